//! `ctlkit verify`: one answer per file, in one shape whether one file was given or a folder
//! of thousands — a script whose glob matches one file gets the same rows and exit code. For
//! people, one file is two lines (signature, then the phone's verdict); many are counts, then
//! groups by verdict and signer.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::csv::csv_line;
use super::json::{DamageJson, VerificationJson};
use super::words::{
    acceptance_sentence, acceptance_words, damage_sentence, problem_sentence, verification_sentence,
};
use crate::files::path_text;
use crate::judge::acceptance::Acceptance;
use crate::judge::sweep::{SweepRow, SweptFile};
use ctlkit_format::text::printable;

/// How many file names a text group lists before "and N more".
const FILES_SHOWN: usize = 6;

/// The answer for every file given.
#[derive(Debug, Clone, Copy)]
pub struct VerifyReport<'r> {
    /// One row per file, in the order judged.
    pub rows: &'r [SweepRow],
    /// The held lists' names (`--trust`), for the summary line; empty without them.
    pub held: &'r [String],
}

/// `ctlkit verify --format json`, for one file or many.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyJson {
    /// Files looked at.
    pub files: usize,
    /// The lists the phone holds (`--trust`), as given; empty without them.
    pub held: Vec<String>,
    /// How many got each answer.
    pub counts: VerifyCounts,
    /// One per file.
    pub rows: Vec<VerifyRowJson>,
}

/// How many files got each answer.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyCounts {
    /// Phones install them (or, without `--trust`, their signature is valid).
    pub accepted: usize,
    /// Phones install them only if TVS vouches for the signer.
    pub accepted_if_tvs_vouches: usize,
    /// Phones refuse them (or, without `--trust`, their signature is invalid or cannot be
    /// checked).
    pub rejected: usize,
    /// Firmware, checked with Cisco's key rather than the lists.
    pub firmware: usize,
    /// Not signed files.
    pub not_signed: usize,
    /// Unreadable, or judged by a held copy that fails its own signature.
    pub unusable: usize,
}

/// One file.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyRowJson {
    /// Its path (bytes that are not UTF-8 written `\xNN`).
    pub path: String,
    /// `ctl`, `itl`, `signed`, `firmware`, `not_signed`, `unusable`.
    pub kind: &'static str,
    /// For signed files and firmware: the payload's type (`xml`, `encrypted`, `tar_gz`…).
    #[serde(rename = "type")]
    pub payload_type: Option<&'static str>,
    /// SIGNERNAME.
    pub signer_name: Option<String>,
    /// SERIALNUMBER, hex.
    pub signer_serial: Option<String>,
    /// The signature checked (a trust list against its own records, a signed file against
    /// the held lists or `--cert`); null when nothing checked it.
    pub signature: Option<VerificationJson>,
    /// `accepted`, `accepted_if_tvs_vouches`, `rejected`, `cannot_judge`; null without
    /// `--trust` and for files phones do not judge by their lists.
    pub acceptance: Option<&'static str>,
    /// Why, as a stable name (`signed_by_held_record`, `tvs_may_vouch`…), or null.
    pub acceptance_code: Option<&'static str>,
    /// Why, in a sentence, or null.
    pub acceptance_reason: Option<String>,
    /// For an unusable file, why, as a stable name (`unreadable`, `not_a_signed_file`…).
    pub problem_code: Option<&'static str>,
    /// The row in one sentence, whatever it is.
    pub summary: String,
    /// For a damaged trust list: where it stops parsing; null otherwise.
    pub damage: Option<DamageJson>,
}

/// The answer's label for grouping: the acceptance, else what kind of file it is.
fn label(row: &SweepRow) -> &'static str {
    match (row.acceptance(), &row.file) {
        (Some(acceptance), _) => acceptance.as_str(),
        (None, file) => file.code(),
    }
}

/// The row in one sentence.
fn summary(row: &SweepRow) -> String {
    let name = path_text(&row.path);
    match (&row.verdict, &row.file, &row.signature) {
        (Some(verdict), _, _) => acceptance_sentence(&name, verdict),
        (None, SweptFile::Firmware(_), Some(signature)) if !signature.is_valid() => format!(
            "firmware: phones check it with Cisco's own key, not with their trust lists; {}",
            verification_sentence(signature)
        ),
        (None, SweptFile::NotSigned, _) => {
            "not a signed file: phones load it without checking a signature".to_owned()
        }
        (None, SweptFile::Unusable(problem), _) => problem_sentence(problem),
        (None, _, Some(signature)) => format!(
            "signature {}: {}",
            signature.status.as_str(),
            verification_sentence(signature)
        ),
        (None, _, None) => "nothing to judge it by".to_owned(),
    }
}

fn signer(row: &SweepRow) -> String {
    match (&row.signer_name, &row.signer_serial) {
        (Some(name), Some(serial)) => format!("{} (serial {serial})", printable(name.as_bytes())),
        (Some(name), None) => printable(name.as_bytes()).into_owned(),
        (None, Some(serial)) => format!("serial {serial}"),
        (None, None) => "no signer".to_owned(),
    }
}

impl VerifyReport<'_> {
    /// How many files got each answer.
    pub fn counts(&self) -> VerifyCounts {
        let mut counts = VerifyCounts::default();
        for row in self.rows {
            let signature_valid = row.signature.as_ref().map(|signature| signature.is_valid());
            let slot = match (row.acceptance(), &row.file, signature_valid) {
                (Some(Acceptance::Accepted), _, _) => &mut counts.accepted,
                (Some(Acceptance::AcceptedIfTvsVouches), _, _) => {
                    &mut counts.accepted_if_tvs_vouches
                }
                (Some(Acceptance::Rejected), _, _) => &mut counts.rejected,
                (Some(Acceptance::CannotJudge), _, _) | (None, SweptFile::Unusable(_), _) => {
                    &mut counts.unusable
                }
                (None, SweptFile::Firmware(_), _) => &mut counts.firmware,
                (None, SweptFile::NotSigned, _) => &mut counts.not_signed,
                (None, _, Some(true)) => &mut counts.accepted,
                (None, _, _) => &mut counts.rejected,
            };
            *slot = slot.saturating_add(1);
        }
        counts
    }

    /// One file: `FILE: signature …` and, with held lists, `FILE: accepted: …`.
    fn one_file_text(row: &SweepRow) -> String {
        let file = printable(path_text(&row.path).as_bytes()).into_owned();
        let mut out = String::new();
        match &row.signature {
            Some(signature) => {
                let _ = writeln!(
                    out,
                    "{file}: signature {}: {}",
                    signature.status.as_str(),
                    verification_sentence(signature)
                );
            }
            None => {
                let _ = writeln!(out, "{file}: {}", printable(summary(row).as_bytes()));
            }
        }
        if let Some(verdict) = &row.verdict {
            let _ = writeln!(
                out,
                "{file}: {}: {}",
                acceptance_words(verdict.acceptance),
                acceptance_sentence(&path_text(&row.path), verdict)
            );
        }
        if let Some(damage) = &row.damage {
            let valid = row
                .signature
                .as_ref()
                .is_some_and(|signature| signature.is_valid());
            let _ = writeln!(out, "{file}: damaged: {}", damage_sentence(damage, valid));
        }
        out
    }

    /// The counts, then one group per (answer, signer), worst first.
    fn many_files_text(&self) -> String {
        let counts = self.counts();
        let mut out = String::new();
        let held: Vec<String> = self
            .held
            .iter()
            .map(|name| printable(name.as_bytes()).into_owned())
            .collect();
        if held.is_empty() {
            let _ = writeln!(
                out,
                "{} files, each by its own signature (give --trust for a phone's verdict):",
                self.rows.len()
            );
        } else {
            let _ = writeln!(
                out,
                "{} files against a phone holding {}:",
                self.rows.len(),
                held.join(" and ")
            );
        }
        for (word, count) in [
            ("rejected", counts.rejected),
            (
                "accepted only if TVS vouches",
                counts.accepted_if_tvs_vouches,
            ),
            ("accepted", counts.accepted),
            ("firmware (Cisco's key)", counts.firmware),
            ("not signed", counts.not_signed),
            ("unreadable", counts.unusable),
        ] {
            let _ = writeln!(out, "  {word:<32}{count:>8}");
        }
        let rank = |label: &str| match label {
            "rejected" => 0,
            "accepted_if_tvs_vouches" => 1,
            "accepted" => 2,
            _ => 3,
        };
        let mut groups: BTreeMap<(u8, &'static str, String), Vec<&SweepRow>> = BTreeMap::new();
        for row in self.rows {
            groups
                .entry((rank(label(row)), label(row), signer(row)))
                .or_default()
                .push(row);
        }
        for ((_, label, signer), rows) in groups {
            let words = match rows.first().and_then(|row| row.acceptance()) {
                Some(acceptance) => acceptance_words(acceptance),
                None => match label {
                    "not_signed" => "not signed",
                    "unusable" => "unreadable",
                    other => other,
                },
            };
            let _ = write!(out, "\n{words}: {} file(s)", rows.len());
            if label != "not_signed" && label != "unusable" {
                let _ = write!(out, " signed by {signer}");
            }
            out.push('\n');
            if let Some(first) = rows.first() {
                let _ = writeln!(out, "  {}", printable(summary(first).as_bytes()));
            }
            let names: Vec<String> = rows
                .iter()
                .take(FILES_SHOWN)
                .map(|row| printable(path_text(&row.path).as_bytes()).into_owned())
                .collect();
            let _ = write!(out, "  files: {}", names.join(", "));
            let more = rows.len().saturating_sub(FILES_SHOWN);
            if more > 0 {
                let _ = write!(out, " and {more} more");
            }
            out.push('\n');
        }
        out
    }
}

impl Render for VerifyReport<'_> {
    type Json = VerifyJson;

    fn text(&self, _color: bool) -> String {
        match self.rows {
            [row] => Self::one_file_text(row),
            _ => self.many_files_text(),
        }
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::verify::verify_page(&self.json())
    }

    fn json(&self) -> VerifyJson {
        VerifyJson {
            files: self.rows.len(),
            held: self.held.to_vec(),
            counts: self.counts(),
            rows: self.rows.iter().map(row_json).collect(),
        }
    }

    /// One row per file.
    fn csv(&self) -> Option<String> {
        let mut out = csv_line(&[
            "path",
            "kind",
            "type",
            "signer_name",
            "signer_serial",
            "signature",
            "signature_code",
            "acceptance",
            "acceptance_code",
            "problem_code",
            "damaged",
        ]);
        // Facts only: CSV has no column for a sentence, so none is written.
        for row in self.rows {
            out.push_str(&csv_line(&[
                path_text(&row.path),
                row.file.code().to_owned(),
                payload_type(row).unwrap_or_default().to_owned(),
                row.signer_name.clone().unwrap_or_default(),
                row.signer_serial
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                row.signature
                    .as_ref()
                    .map(|signature| signature.status.as_str())
                    .unwrap_or_default()
                    .to_owned(),
                row.signature
                    .as_ref()
                    .map(|signature| signature.outcome.code())
                    .unwrap_or_default()
                    .to_owned(),
                row.acceptance()
                    .map(Acceptance::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                row.verdict
                    .as_ref()
                    .map(|verdict| verdict.reason.code())
                    .unwrap_or_default()
                    .to_owned(),
                problem_code(row).unwrap_or_default().to_owned(),
                row.damage.is_some().to_string(),
            ]));
        }
        Some(out)
    }
}

fn row_json(row: &SweepRow) -> VerifyRowJson {
    let name = path_text(&row.path);
    // The verdict's sentence is the row's summary too: written once.
    let acceptance_reason = row
        .verdict
        .as_ref()
        .map(|verdict| acceptance_sentence(&name, verdict));
    VerifyRowJson {
        path: name.clone(),
        kind: row.file.code(),
        payload_type: payload_type(row),
        signer_name: row.signer_name.clone(),
        signer_serial: row.signer_serial.as_ref().map(ToString::to_string),
        signature: row.signature.as_ref().map(VerificationJson::of),
        acceptance: row.acceptance().map(Acceptance::as_str),
        acceptance_code: row.verdict.as_ref().map(|verdict| verdict.reason.code()),
        summary: acceptance_reason.clone().unwrap_or_else(|| summary(row)),
        acceptance_reason,
        problem_code: problem_code(row),
        damage: row.damage.as_ref().map(DamageJson::of),
    }
}

fn payload_type(row: &SweepRow) -> Option<&'static str> {
    match &row.file {
        SweptFile::Signed(kind) | SweptFile::Firmware(kind) => Some(kind.code()),
        _ => None,
    }
}

fn problem_code(row: &SweepRow) -> Option<&'static str> {
    match &row.file {
        SweptFile::Unusable(problem) => Some(problem.code()),
        _ => None,
    }
}
