//! `ctlkit verify --trust HELD DIR…`: a folder's files against a phone's lists, grouped by
//! verdict and signer for people, one row per file for scripts and spreadsheets.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::words::{acceptance_sentence, acceptance_words, problem_sentence};
use crate::files::path_text;
use crate::judge::acceptance::Acceptance;
use crate::judge::sweep::{SweepRow, SweptFile};
use ctlkit_format::text::printable;

/// How many file names a text group lists before "and N more".
const FILES_SHOWN: usize = 6;

/// The sweep's answer.
#[derive(Debug, Clone, Copy)]
pub struct SweepReport<'r> {
    /// One row per file, in path order.
    pub rows: &'r [SweepRow],
    /// The held lists' names, for the summary line.
    pub held: &'r [String],
}

/// `verify --format json` over many files.
#[derive(Debug, Clone, Serialize)]
pub struct SweepJson {
    /// Files looked at.
    pub files: usize,
    /// How many got each answer.
    pub counts: SweepCounts,
    /// One per file.
    pub rows: Vec<SweepRowJson>,
}

/// How many files got each answer.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct SweepCounts {
    /// Phones install them.
    pub accepted: usize,
    /// Phones install them only if TVS vouches for the signer.
    pub accepted_if_tvs_vouches: usize,
    /// Phones refuse them.
    pub rejected: usize,
    /// Firmware, checked with Cisco's key rather than the lists.
    pub firmware: usize,
    /// Not signed files.
    pub not_signed: usize,
    /// Unreadable.
    pub unusable: usize,
}

/// One file.
#[derive(Debug, Clone, Serialize)]
pub struct SweepRowJson {
    /// Its path.
    pub path: String,
    /// `ctl`, `itl`, `signed`, `firmware`, `not_signed`, `unusable`.
    pub kind: &'static str,
    /// For signed files and firmware: the payload's type.
    #[serde(rename = "type")]
    pub payload_type: Option<&'static str>,
    /// SIGNERNAME.
    pub signer_name: Option<String>,
    /// SERIALNUMBER.
    pub signer_serial: Option<String>,
    /// `accepted`, `accepted_if_tvs_vouches`, `rejected`, or null.
    pub acceptance: Option<&'static str>,
    /// Why, as a stable name (or the kind for files phones do not check this way).
    pub code: String,
    /// Why, in a sentence.
    pub reason: String,
}

/// The answer's label for grouping: the acceptance, else what kind of file it is.
fn label(row: &SweepRow) -> &'static str {
    match (row.acceptance(), &row.file) {
        (Some(acceptance), _) => acceptance.as_str(),
        (None, file) => file.code(),
    }
}

fn reason(row: &SweepRow) -> String {
    let name = path_text(&row.path);
    match (&row.verdict, &row.file) {
        (Some(verdict), _) => acceptance_sentence(&name, verdict),
        (None, SweptFile::Firmware(_)) => {
            "firmware: phones check it with Cisco's own key, not with their trust lists".to_owned()
        }
        (None, SweptFile::NotSigned) => {
            "not a signed file: phones load it without checking a signature".to_owned()
        }
        (None, SweptFile::Unusable(problem)) => problem_sentence(problem),
        (None, _) => "the phone holds no list to judge it by".to_owned(),
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

impl SweepReport<'_> {
    /// How many files got each answer.
    pub fn counts(&self) -> SweepCounts {
        let mut counts = SweepCounts::default();
        for row in self.rows {
            let slot = match (row.acceptance(), &row.file) {
                (Some(Acceptance::Accepted), _) => &mut counts.accepted,
                (Some(Acceptance::AcceptedIfTvsVouches), _) => &mut counts.accepted_if_tvs_vouches,
                (Some(Acceptance::Rejected), _) => &mut counts.rejected,
                (Some(Acceptance::CannotJudge), _) => &mut counts.unusable,
                (None, SweptFile::Firmware(_)) => &mut counts.firmware,
                (None, SweptFile::Unusable(_)) => &mut counts.unusable,
                (None, _) => &mut counts.not_signed,
            };
            *slot = slot.saturating_add(1);
        }
        counts
    }
}

impl Render for SweepReport<'_> {
    type Json = SweepJson;

    /// The counts, then one group per (answer, signer), worst first.
    fn text(&self, _color: bool) -> String {
        let counts = self.counts();
        let mut out = String::new();
        let held: Vec<String> = self
            .held
            .iter()
            .map(|name| printable(name.as_bytes()).into_owned())
            .collect();
        let _ = writeln!(
            out,
            "{} files against a phone holding {}:",
            self.rows.len(),
            held.join(" and ")
        );
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
                let _ = writeln!(out, "  {}", printable(reason(first).as_bytes()));
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

    fn json(&self) -> SweepJson {
        SweepJson {
            files: self.rows.len(),
            counts: self.counts(),
            rows: self.rows.iter().map(|row| row_json(row, true)).collect(),
        }
    }

    /// `path,kind,type,signer_name,signer_serial,acceptance,code`, one row per file.
    fn csv(&self) -> Option<String> {
        let mut out = String::from("path,kind,type,signer_name,signer_serial,acceptance,code\n");
        for row in self.rows.iter().map(|row| row_json(row, false)) {
            let fields = [
                super::csv::csv_field(&row.path),
                row.kind.to_owned(),
                row.payload_type.unwrap_or_default().to_owned(),
                super::csv::csv_field(row.signer_name.as_deref().unwrap_or_default()),
                row.signer_serial.unwrap_or_default(),
                row.acceptance.unwrap_or_default().to_owned(),
                row.code,
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        Some(out)
    }
}

/// One file's row; the sentence only when asked (CSV has no column for it).
fn row_json(row: &SweepRow, with_reason: bool) -> SweepRowJson {
    SweepRowJson {
        path: path_text(&row.path),
        kind: row.file.code(),
        payload_type: match &row.file {
            SweptFile::Signed(kind) | SweptFile::Firmware(kind) => Some(kind.code()),
            _ => None,
        },
        signer_name: row.signer_name.clone(),
        signer_serial: row.signer_serial.as_ref().map(ToString::to_string),
        acceptance: row.acceptance().map(Acceptance::as_str),
        code: row.verdict.as_ref().map_or_else(
            || row.file.code().to_owned(),
            |verdict| verdict.reason.code().to_owned(),
        ),
        reason: if with_reason {
            reason(row)
        } else {
            String::new()
        },
    }
}
