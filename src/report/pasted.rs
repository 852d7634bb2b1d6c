//! Reports on pasted `show ctl` / `show itl` text: what it holds, how it compares with a file,
//! and whether it carries the cluster's certificates.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use crate::evidence::pasted::{PastedList, PastedRecord};
use crate::judge::check::Role;
use crate::judge::pasted_compare::{PastedDiff, PastedFinding, PastedRecordChange};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::text::printable;

/// What pasted text cannot tell, said wherever a verdict would need it.
pub const NO_CERTIFICATES: &str =
    "pasted text holds no certificates: keys, signatures and expiry cannot be checked from it";

/// `show` of pasted text.
#[derive(Debug, Clone, Copy)]
pub struct PastedShowReport<'r> {
    /// The text's name as given.
    pub file: &'r str,
    /// Every output in it.
    pub outputs: &'r [PastedList],
}

/// `show --format json` of pasted text.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedShowJson {
    /// The text's path as given.
    pub path: String,
    /// Always `pasted_show_output`.
    pub source: &'static str,
    /// One per output.
    pub outputs: Vec<PastedListJson>,
    /// What it cannot tell.
    pub note: &'static str,
}

/// One output.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedListJson {
    /// `CTL` or `ITL`.
    pub kind: String,
    /// Its first line in the text.
    pub first_line: usize,
    /// MD5, hex.
    pub md5: Option<String>,
    /// SHA-1, hex.
    pub sha1: Option<String>,
    /// Bytes.
    pub length: Option<usize>,
    /// `Version:`.
    pub version: Option<String>,
    /// `HeaderLength:`.
    pub header_length: Option<u16>,
    /// SIGNERNAME.
    pub signer_name: Option<String>,
    /// The header's SERIALNUMBER.
    pub signer_serial: Option<String>,
    /// CANAME.
    pub ca_name: Option<String>,
    /// The signature's bytes as printed, hex.
    pub signature: Option<String>,
    /// What CUCM said of its own signature check.
    pub verified: Option<bool>,
    /// The records.
    pub records: Vec<PastedRecordJson>,
}

/// One record.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedRecordJson {
    /// Its number.
    pub index: usize,
    /// `SAST`, `CCM+TFTP`…
    pub function: Option<String>,
    /// DNSNAME.
    pub dns_name: Option<String>,
    /// SUBJECTNAME.
    pub subject: Option<String>,
    /// ISSUERNAME.
    pub issuer: Option<String>,
    /// SERIALNUMBER.
    pub serial: Option<String>,
    /// The certificate's SHA-1, hex.
    pub certificate_sha1: Option<String>,
    /// Whether CUCM said this record's key signed the file.
    pub signed_this_file: Option<bool>,
}

fn record_json(record: &PastedRecord) -> PastedRecordJson {
    PastedRecordJson {
        index: record.index,
        function: record.function.map(|function| function.to_string()),
        dns_name: record.dns_name.clone(),
        subject: record.subject.clone(),
        issuer: record.issuer.clone(),
        serial: record.serial.as_ref().map(ToString::to_string),
        certificate_sha1: record.certificate_sha1.map(hex::encode),
        signed_this_file: record.signed_this_file,
    }
}

fn list_json(list: &PastedList) -> PastedListJson {
    PastedListJson {
        kind: list.kind.to_string(),
        first_line: list.first_line,
        md5: list.md5.map(hex::encode),
        sha1: list.sha1.map(hex::encode),
        length: list.length,
        version: list.version.clone(),
        header_length: list.header_length,
        signer_name: list.signer_name.clone(),
        signer_serial: list.signer_serial.as_ref().map(ToString::to_string),
        ca_name: list.ca_name.clone(),
        signature: list.signature.as_ref().map(hex::encode),
        verified: list.verified,
        records: list.records.iter().map(record_json).collect(),
    }
}

fn optional(value: Option<&str>) -> String {
    value.map_or_else(
        || "(not printed)".to_owned(),
        |value| printable(value.as_bytes()).into_owned(),
    )
}

fn record_line(record: &PastedRecord) -> String {
    format!(
        "  record {}: {}  {}  serial {}  certificate SHA-1 {}",
        record.index,
        record.function.map_or_else(
            || "(no FUNCTION)".to_owned(),
            |function| function.to_string()
        ),
        optional(record.subject.as_deref()),
        optional(record.serial.as_ref().map(ToString::to_string).as_deref()),
        optional(record.certificate_sha1.map(hex::encode).as_deref())
    )
}

impl Render for PastedShowReport<'_> {
    type Json = PastedShowJson;

    fn text(&self, _color: bool) -> String {
        let mut out = String::new();
        for list in self.outputs {
            let _ = writeln!(
                out,
                "{}: pasted `show {}` output (from line {})",
                printable(self.file.as_bytes()),
                list.kind.to_string().to_ascii_lowercase(),
                list.first_line
            );
            let _ = writeln!(
                out,
                "  {} (MD5)  {} (SHA1)  {} bytes",
                optional(list.md5.map(hex::encode).as_deref()),
                optional(list.sha1.map(hex::encode).as_deref()),
                optional(list.length.map(|length| length.to_string()).as_deref())
            );
            let _ = writeln!(
                out,
                "  signer {}  serial {}  issued by {}",
                optional(list.signer_name.as_deref()),
                optional(
                    list.signer_serial
                        .as_ref()
                        .map(ToString::to_string)
                        .as_deref()
                ),
                optional(list.ca_name.as_deref())
            );
            match list.verified {
                Some(true) => out.push_str("  the output says: verified successfully\n"),
                Some(false) => out.push_str("  the output says: verification failed\n"),
                None => {}
            }
            for record in &list.records {
                out.push_str(&record_line(record));
                out.push('\n');
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{NO_CERTIFICATES}");
        out
    }

    fn json(&self) -> PastedShowJson {
        PastedShowJson {
            path: self.file.to_owned(),
            source: "pasted_show_output",
            outputs: self.outputs.iter().map(list_json).collect(),
            note: NO_CERTIFICATES,
        }
    }
}

/// `diff` of pasted text and a file.
#[derive(Debug, Clone, Copy)]
pub struct PastedDiffReport<'r> {
    /// The text's name and the output compared.
    pub text: (&'r str, &'r PastedList),
    /// The file's name.
    pub file: &'r str,
    /// The comparison.
    pub diff: &'r PastedDiff,
}

/// `diff --format json` of pasted text and a file.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedDiffJson {
    /// What was compared: `trust_lists`, `checksum` (`--phone-checksum`), `signed_files`,
    /// `pasted_text` or `damaged_copy`; the rest of the document follows from it.
    pub comparison: &'static str,
    /// The same bytes (by checksum), or nothing else differs.
    pub identical: bool,
    /// `same`, `different`, `not_printed`.
    pub checksums: &'static str,
    /// The text's path as given.
    pub text_path: String,
    /// The file's path as given.
    pub file_path: String,
    /// The sentence.
    pub reason: String,
    /// Records paired by serial and role.
    pub records: Vec<PastedChangeJson>,
    /// What the text cannot tell.
    pub note: &'static str,
}

/// One record pairing.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedChangeJson {
    /// `same`, `certificate_differs`, `only_in_text`, `only_in_file`.
    pub change: &'static str,
    /// In words.
    pub detail: String,
}

impl Render for PastedDiffReport<'_> {
    type Json = PastedDiffJson;

    fn text(&self, _color: bool) -> String {
        let (name, list) = self.text;
        let mut out = format!(
            "{}\n",
            pasted_diff_sentence(name, list, self.file, self.diff)
        );
        if !self.diff.identical() {
            for change in &self.diff.records {
                if !matches!(change, PastedRecordChange::Same { .. }) {
                    let _ = writeln!(out, "  {}", pasted_change_sentence(change));
                }
            }
        }
        let _ = writeln!(out, "({NO_CERTIFICATES})");
        out
    }

    fn json(&self) -> PastedDiffJson {
        let (name, list) = self.text;
        PastedDiffJson {
            comparison: "pasted_text",
            identical: self.diff.identical(),
            checksums: match self.diff.checksums {
                crate::judge::pasted_compare::ChecksumVerdict::Same => "same",
                crate::judge::pasted_compare::ChecksumVerdict::Different => "different",
                crate::judge::pasted_compare::ChecksumVerdict::NotPrinted => "not_printed",
            },
            text_path: name.to_owned(),
            file_path: self.file.to_owned(),
            reason: pasted_diff_sentence(name, list, self.file, self.diff),
            records: self
                .diff
                .records
                .iter()
                .map(|change| PastedChangeJson {
                    change: change.code(),
                    detail: pasted_change_sentence(change),
                })
                .collect(),
            note: NO_CERTIFICATES,
        }
    }
}

/// `check` of pasted text against the cluster's certificates.
#[derive(Debug, Clone, Copy)]
pub struct PastedCheckReport<'r> {
    /// The text's name.
    pub file: &'r str,
    /// The output checked.
    pub list: &'r PastedList,
    /// One per certificate.
    pub findings: &'r [PastedFinding],
}

/// `check --format json` of pasted text.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedCheckJson {
    /// The text's path as given.
    pub path: String,
    /// `CTL` or `ITL`.
    pub kind: String,
    /// Every certificate found as it should be.
    pub in_sync: bool,
    /// One per certificate.
    pub findings: Vec<PastedFindingJson>,
    /// What the text cannot tell.
    pub note: &'static str,
}

/// One certificate.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PastedFindingJson {
    /// Its file.
    pub path: String,
    /// `CallManager`, `CAPF`…
    pub role: String,
    /// Its subject.
    pub subject: String,
    /// Its serial.
    pub serial: String,
    /// Its SHA-1, hex.
    pub sha1: String,
    /// `match`, `mismatch`, `missing`, `not_expected`.
    pub status: &'static str,
    /// Why, as a stable name (the codes `check` gives a file's findings, and
    /// `no_hash_printed`).
    pub code: &'static str,
    /// The records carrying its serial.
    pub records: Vec<usize>,
    /// In words.
    pub detail: String,
    /// What to do; null when nothing is to be done.
    pub advice: Option<String>,
}

impl Render for PastedCheckReport<'_> {
    type Json = PastedCheckJson;

    fn text(&self, _color: bool) -> String {
        let mut out = format!(
            "{}: pasted `show {}` output against the cluster's certificates (by serial and SHA-1)\n",
            printable(self.file.as_bytes()),
            self.list.kind.to_string().to_ascii_lowercase()
        );
        for finding in self.findings {
            let _ = writeln!(
                out,
                "  {:<9} {}",
                finding.status.as_str(),
                pasted_finding_sentence(finding, self.list.kind)
            );
        }
        let _ = writeln!(out, "({NO_CERTIFICATES})");
        out
    }

    fn json(&self) -> PastedCheckJson {
        PastedCheckJson {
            path: self.file.to_owned(),
            kind: self.list.kind.to_string(),
            in_sync: self.findings.iter().all(|finding| {
                matches!(
                    finding.status,
                    crate::judge::check::CheckStatus::Match
                        | crate::judge::check::CheckStatus::NotExpected
                )
            }),
            findings: self
                .findings
                .iter()
                .map(|finding| PastedFindingJson {
                    path: finding.path.clone(),
                    role: finding.role.name().to_owned(),
                    subject: finding.subject.clone(),
                    serial: finding.serial.to_string(),
                    sha1: hex::encode(finding.sha1),
                    status: finding.status.as_str(),
                    code: finding.code,
                    records: finding.records.clone(),
                    detail: pasted_finding_sentence(finding, self.list.kind),
                    advice: pasted_finding_advice(finding, self.list.kind),
                })
                .collect(),
            note: NO_CERTIFICATES,
        }
    }
}

/// What to do about a pasted finding, in CUCM's terms; `None` when nothing is to be done.
fn pasted_finding_advice(finding: &PastedFinding, kind: Kind) -> Option<String> {
    Some(match finding.code {
        "holds_certificate" => return None,
        "not_carried_by_kind" => format!(
            "none: a {kind} does not carry {}; check it against the other list",
            finding.role.name()
        ),
        "other_nodes_itl" => "none: check this CallManager.pem against the ITL of its own node, and against the CTL, which lists every node".to_owned(),
        "no_hash_printed" => "the text prints no certificate hash to compare: check the file itself (`ctlkit check FILE --callmanager …`)".to_owned(),
        _ => super::check::update_advice(finding.role, kind),
    })
}

/// A pasted output against a file: the answer, checksums first.
fn pasted_diff_sentence(
    text: &str,
    list: &crate::evidence::pasted::PastedList,
    file: &str,
    diff: &crate::judge::pasted_compare::PastedDiff,
) -> String {
    use crate::judge::pasted_compare::ChecksumVerdict;
    let text = printable(text.as_bytes());
    let file = printable(file.as_bytes());
    let output = format!(
        "the `show {}` output in {text}",
        list.kind.to_string().to_ascii_lowercase()
    );
    match diff.checksums {
        ChecksumVerdict::Same => {
            format!("identical: {output} has {file}'s checksum: it describes exactly that file")
        }
        ChecksumVerdict::Different => {
            let mut sentence = format!("different: {output} has another checksum than {file}");
            if let Some((printed, actual)) = diff.length {
                sentence.push_str(&format!(" ({printed} bytes against {actual})"));
            }
            if let Some((printed, actual)) = &diff.signer_serial {
                let name = |serial: &Option<ctlkit_format::cert::serial::Serial<'_>>| {
                    serial
                        .as_ref()
                        .map_or_else(|| "none".to_owned(), ToString::to_string)
                };
                sentence.push_str(&format!(
                    "; signer serial {} against {}",
                    name(printed),
                    name(actual)
                ));
            }
            sentence
        }
        ChecksumVerdict::NotPrinted if diff.identical() => format!(
            "no checksum printed in {output}; its length, signer and every record's serial and certificate SHA-1 match {file}"
        ),
        ChecksumVerdict::NotPrinted if diff.signature_differs => format!(
            "no checksum printed in {output}, and its signature bytes are not {file}'s: another signing (another time or key)"
        ),
        ChecksumVerdict::NotPrinted => {
            format!("no checksum printed in {output}, and it differs from {file}")
        }
    }
}

/// One record pairing between pasted text and a file.
fn pasted_change_sentence(change: &crate::judge::pasted_compare::PastedRecordChange) -> String {
    use crate::judge::pasted_compare::PastedRecordChange;
    let describe = |record: &crate::evidence::pasted::PastedRecord| {
        format!(
            "{} {} (serial {})",
            record
                .function
                .map_or_else(|| "record".to_owned(), |function| function.to_string()),
            printable(record.subject.as_deref().unwrap_or("?").as_bytes()),
            record
                .serial
                .as_ref()
                .map_or_else(|| "?".to_owned(), ToString::to_string)
        )
    };
    match change {
        PastedRecordChange::Same { text } => format!("same: {}", describe(text)),
        PastedRecordChange::CertificateDiffers { text, file_sha1 } => format!(
            "certificate differs: {}: SHA-1 {} in the text, {} in the file (re-issued with the same serial?)",
            describe(text),
            text.certificate_sha1.map(hex::encode).unwrap_or_default(),
            hex::encode(file_sha1)
        ),
        PastedRecordChange::OnlyInText { text } => {
            format!("only in the text: record {} {}", text.index, describe(text))
        }
        PastedRecordChange::OnlyInFile {
            index,
            function,
            subject,
            serial,
        } => format!(
            "only in the file: record {index} {} {} (serial {})",
            function.map_or_else(|| "record".to_owned(), |function| function.to_string()),
            printable(subject.as_bytes()),
            serial
                .as_ref()
                .map_or_else(|| "?".to_owned(), ToString::to_string)
        ),
    }
}

/// A cluster certificate looked for in pasted text.
fn pasted_finding_sentence(
    finding: &crate::judge::pasted_compare::PastedFinding,
    kind: Kind,
) -> String {
    use crate::judge::check::CheckStatus;
    let what = format!(
        "{} {} (serial {}, SHA-1 {})",
        finding.role.name(),
        printable(finding.subject.as_bytes()),
        finding.serial,
        hex::encode(finding.sha1)
    );
    let records = finding
        .records
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match finding.status {
        CheckStatus::Match => format!("{what}: in record(s) {records}"),
        CheckStatus::NotExpected if finding.role == Role::Tvs => {
            format!("{what}: CUCM never lists TVS in a {kind}; check it against the ITL")
        }
        CheckStatus::NotExpected => format!(
            "{what}: another node's: a TFTP node's ITL carries its own CallManager certificate alone; check it against its node's ITL"
        ),
        CheckStatus::Mismatch => format!(
            "{what}: record {records} has its serial but another (or no printed) certificate SHA-1: the {kind} carries a different certificate with this serial"
        ),
        _ => format!(
            "{what}: no record of the {kind} has its serial: the {kind} predates it (update the {kind}, then reset the phones)"
        ),
    }
}
