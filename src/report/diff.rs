//! `ctlkit diff` output.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::style::{Tone, paint};
use super::words::{acceptance_sentence, acceptance_words, function_name};
use crate::judge::acceptance::{Acceptance, AcceptanceVerdict};
use crate::judge::diff::{
    ChangedField, Diff, HeaderChange, HeaderValue, PhoneChecksum, RecordChange, RecordSummary,
};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::rfc3339;

/// `ctlkit diff PHONE SERVER`: what changed, and whether the phone takes the server's file.
#[derive(Debug, Clone, Copy)]
pub struct DiffReport<'r> {
    /// The two files.
    pub sides: DiffSides<'r>,
    /// What differs.
    pub diff: &'r Diff,
    /// What a phone holding PHONE does with SERVER.
    pub verdict: Option<&'r AcceptanceVerdict>,
}

impl Render for DiffReport<'_> {
    type Json = DiffJson;

    fn text(&self, color: bool) -> String {
        diff_text(&self.sides, self.diff, self.verdict, color)
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::diff::diff_page(&self.json())
    }

    fn json(&self) -> DiffJson {
        diff_json(&self.sides, self.diff, self.verdict)
    }
}

/// `ctlkit diff --phone-checksum HEX SERVER`: a checksum read off a phone against a file.
#[derive(Debug, Clone, Copy)]
pub struct ChecksumReport<'r> {
    /// What the phone shows.
    pub checksum: &'r PhoneChecksum,
    /// The server's file as given.
    pub server: &'r str,
    /// Its checksums.
    pub checksums: &'r Checksums,
}

impl Render for ChecksumReport<'_> {
    type Json = DiffJson;

    fn text(&self, color: bool) -> String {
        checksum_text(self.checksum, self.server, self.checksums, color)
    }

    fn json(&self) -> DiffJson {
        checksum_json(self.checksum, self.server, self.checksums)
    }
}

/// `ctlkit diff --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiffJson {
    /// What was compared: `trust_lists`, `checksum` (`--phone-checksum`), `signed_files`,
    /// `pasted_text` or `damaged_copy`; the rest of the document follows from it.
    pub comparison: &'static str,
    /// Byte-identical files (or, with `--phone-checksum`, a matching checksum).
    pub identical: bool,
    /// The phone's copy: its checksums (with `--phone-checksum`, only the one given).
    pub phone: SideJson,
    /// The server's copy.
    pub server: SideJson,
    /// Header fields that differ.
    pub header_changes: Vec<HeaderChangeJson>,
    /// Record changes.
    pub records: RecordsJson,
    /// Would a phone holding PHONE install SERVER: `"accepted"`, `"accepted_if_tvs_vouches"`,
    /// `"rejected"`; null with `--phone-checksum`.
    pub acceptance: Option<String>,
    /// A stable name for why (`signed_by_held_record`, `tvs_may_vouch`…).
    pub acceptance_code: Option<String>,
    /// The sentence explaining `acceptance`.
    pub acceptance_reason: Option<String>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SideJson {
    /// The path (null for a checksum typed in).
    pub path: Option<String>,
    /// MD5, lower-case hex.
    pub md5: Option<String>,
    /// SHA-1, lower-case hex.
    pub sha1: Option<String>,
}

/// A header field that differs.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeaderChangeJson {
    /// The field.
    pub field: String,
    /// The phone's value.
    pub phone: Option<String>,
    /// The server's value.
    pub server: Option<String>,
}

impl HeaderChangeJson {
    /// The JSON form of a header change, for trust lists and signed files alike.
    pub fn of(change: &HeaderChange) -> Self {
        HeaderChangeJson {
            field: change.field.code().to_owned(),
            phone: change.phone.as_ref().map(header_value),
            server: change.server.as_ref().map(header_value),
        }
    }
}

/// A header value as reports write it: `1.2`, a name made printable, `5C:1D:…`, `SHA-1`, an
/// RFC 3339 time.
pub(crate) fn header_value(value: &HeaderValue) -> String {
    match value {
        HeaderValue::Version(major, minor) => format!("{major}.{minor}"),
        HeaderValue::Text(text) => printable(text).into_owned(),
        HeaderValue::Serial(serial) => serial.to_string(),
        HeaderValue::Digest(digest) => digest.to_string(),
        HeaderValue::Time(moment) => rfc3339(*moment),
    }
}

/// Records added, removed and changed.
#[derive(Debug, Clone, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordsJson {
    /// Only on the server.
    pub added: Vec<DiffRecordJson>,
    /// Only on the phone.
    pub removed: Vec<DiffRecordJson>,
    /// In both, different.
    pub changed: Vec<ChangedJson>,
}

/// A record as a diff names it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DiffRecordJson {
    /// Its number in its file.
    pub index: usize,
    /// Its function.
    pub function: String,
    /// SUBJECTNAME, or DNSNAME without a subject.
    pub name: String,
    /// SERIALNUMBER.
    pub serial: Option<String>,
}

/// A changed record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangedJson {
    /// As on the phone.
    pub phone: DiffRecordJson,
    /// As on the server.
    pub server: DiffRecordJson,
    /// The elements that differ.
    pub fields: Vec<String>,
}

fn side(path: &str, checksums: &Checksums) -> SideJson {
    SideJson {
        path: Some(path.to_owned()),
        md5: Some(checksums.md5_hex()),
        sha1: Some(checksums.sha1_hex()),
    }
}

fn record_json(record: &RecordSummary) -> DiffRecordJson {
    DiffRecordJson {
        index: record.index,
        function: summary_function(record),
        name: record.name.clone(),
        serial: record.serial.as_ref().map(ToString::to_string),
    }
}

/// `SAST`, `CCM+TFTP`…, or `none` without FUNCTION.
fn summary_function(record: &RecordSummary) -> String {
    record.function.map_or_else(
        || "none".to_owned(),
        |function| function_name(Some(function)),
    )
}

fn field_name(field: &ChangedField) -> String {
    match field {
        ChangedField::Element(name) => name.to_string(),
        ChangedField::UnknownTags => "unknown tags".to_owned(),
        ChangedField::ElementOrder => "element order".to_owned(),
    }
}

/// The two files compared.
#[derive(Debug, Clone, Copy)]
pub struct DiffSides<'s> {
    /// The phone's copy's path.
    pub phone: &'s str,
    /// Its checksums.
    pub phone_checksums: &'s Checksums,
    /// The server's copy's path.
    pub server: &'s str,
    /// Its checksums.
    pub server_checksums: &'s Checksums,
}

fn diff_json(sides: &DiffSides<'_>, diff: &Diff, verdict: Option<&AcceptanceVerdict>) -> DiffJson {
    DiffJson {
        comparison: "trust_lists",
        identical: diff.identical,
        phone: side(sides.phone, sides.phone_checksums),
        server: side(sides.server, sides.server_checksums),
        header_changes: diff
            .header_changes
            .iter()
            .map(HeaderChangeJson::of)
            .collect(),
        records: RecordsJson {
            added: diff.added.iter().map(record_json).collect(),
            removed: diff.removed.iter().map(record_json).collect(),
            changed: diff
                .changed
                .iter()
                .map(|change| ChangedJson {
                    phone: record_json(&change.phone),
                    server: record_json(&change.server),
                    fields: change.fields.iter().map(field_name).collect(),
                })
                .collect(),
        },
        acceptance: verdict.map(|verdict| verdict.acceptance.as_str().to_owned()),
        acceptance_code: verdict.map(|verdict| verdict.reason.code().to_owned()),
        acceptance_reason: verdict.map(|verdict| acceptance_sentence(sides.server, verdict)),
    }
}

fn checksum_json(checksum: &PhoneChecksum, server: &str, checksums: &Checksums) -> DiffJson {
    let (md5, sha1) = match checksum {
        PhoneChecksum::Md5(md5) => (Some(hex::encode(md5)), None),
        PhoneChecksum::Sha1(sha1) => (None, Some(hex::encode(sha1))),
    };
    DiffJson {
        comparison: "checksum",
        identical: checksum.matches(checksums),
        phone: SideJson {
            path: None,
            md5,
            sha1,
        },
        server: side(server, checksums),
        header_changes: Vec::new(),
        records: RecordsJson::default(),
        acceptance: None,
        acceptance_code: None,
        acceptance_reason: None,
    }
}

fn diff_text(
    sides: &DiffSides<'_>,
    diff: &Diff,
    verdict: Option<&AcceptanceVerdict>,
    color: bool,
) -> String {
    let mut out = String::new();
    let (phone, server) = (
        printable(sides.phone.as_bytes()),
        printable(sides.server.as_bytes()),
    );
    if diff.identical {
        let _ = writeln!(
            out,
            "{}: {phone} and {server} are byte-identical: MD5 {}, SHA-1 {}",
            paint("identical", 0, Tone::Good, color),
            sides.server_checksums.md5_hex(),
            sides.server_checksums.sha1_hex()
        );
        return out;
    }
    let _ = writeln!(
        out,
        "phone   {phone}: MD5 {}  SHA-1 {}",
        sides.phone_checksums.md5_hex(),
        sides.phone_checksums.sha1_hex()
    );
    let _ = writeln!(
        out,
        "server  {server}: MD5 {}  SHA-1 {}",
        sides.server_checksums.md5_hex(),
        sides.server_checksums.sha1_hex()
    );
    let _ = writeln!(out, "{}", paint("different", 0, Tone::Bad, color));
    if !diff.header_changes.is_empty() {
        out.push_str("\nheader:\n");
        for HeaderChange {
            field,
            phone,
            server,
        } in &diff.header_changes
        {
            let shown = |value: &Option<HeaderValue>| {
                value
                    .as_ref()
                    .map_or_else(|| "(none)".to_owned(), header_value)
            };
            let _ = writeln!(
                out,
                "  {:<15}{} -> {}",
                field.code(),
                shown(phone),
                shown(server)
            );
        }
    }
    if !(diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty()) {
        out.push_str("\nrecords:\n");
    }
    for RecordChange {
        phone,
        server,
        fields,
    } in &diff.changed
    {
        let _ = writeln!(
            out,
            "  {}{:<10}{} (phone #{}, server #{}): serial {} -> {}; {}",
            paint("changed", 9, Tone::Warning, color),
            summary_function(phone),
            phone.name,
            phone.index,
            server.index,
            serial_or_none(phone),
            serial_or_none(server),
            fields.iter().map(field_name).collect::<Vec<_>>().join(", ")
        );
    }
    for (word, records, tone) in [
        ("added", &diff.added, Tone::Good),
        ("removed", &diff.removed, Tone::Bad),
    ] {
        for record in records {
            let _ = writeln!(
                out,
                "  {}{:<10}{} (#{}), serial {}",
                paint(word, 9, tone, color),
                summary_function(record),
                record.name,
                record.index,
                serial_or_none(record)
            );
        }
    }
    if let Some(verdict) = verdict {
        let tone = match verdict.acceptance {
            Acceptance::Accepted => Tone::Good,
            Acceptance::AcceptedIfTvsVouches => Tone::Warning,
            Acceptance::Rejected => Tone::Bad,
            Acceptance::CannotJudge => Tone::Warning,
        };
        let _ = writeln!(
            out,
            "\nthe phone: {}: {}",
            paint(acceptance_words(verdict.acceptance), 0, tone, color),
            acceptance_sentence(sides.server, verdict)
        );
    }
    out
}

fn checksum_text(
    checksum: &PhoneChecksum,
    server: &str,
    checksums: &Checksums,
    color: bool,
) -> String {
    let server = printable(server.as_bytes());
    if checksum.matches(checksums) {
        format!(
            "{}: the phone's {checksum} is {server}'s\n",
            paint("identical", 0, Tone::Good, color)
        )
    } else {
        format!(
            "{}: the phone shows {checksum}; {server} has MD5 {} and SHA-1 {}\n",
            paint("different", 0, Tone::Bad, color),
            checksums.md5_hex(),
            checksums.sha1_hex()
        )
    }
}

fn serial_or_none(record: &RecordSummary) -> String {
    record
        .serial
        .as_ref()
        .map_or_else(|| "(none)".to_owned(), ToString::to_string)
}

/// `diff PHONE SERVER` when the phone's copy is damaged: compared byte for byte.
#[derive(Debug, Clone, Copy)]
pub struct DamagedDiffReport<'r> {
    /// The phone's copy: its name and checksums.
    pub phone: (&'r str, &'r Checksums),
    /// The server's file: its name and checksums.
    pub server: (&'r str, &'r Checksums),
    /// Where the phone's copy stops parsing.
    pub damage: &'r ctlkit_format::tlv::error::ParseError,
    /// The two compared byte for byte.
    pub comparison: crate::judge::diff::ByteComparison,
}

/// `diff --format json` for a damaged phone copy.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DamagedDiffJson {
    /// What was compared: `trust_lists`, `checksum` (`--phone-checksum`), `signed_files`,
    /// `pasted_text` or `damaged_copy`; the rest of the document follows from it.
    pub comparison: &'static str,
    /// Always false: a damaged copy is never the server's file.
    pub identical: bool,
    /// The phone's copy.
    pub phone: SideJson,
    /// The server's file.
    pub server: SideJson,
    /// Where the phone's copy stops parsing.
    pub damage: super::json::DamageJson,
    /// `cut_short` (the phone's copy is the server's first bytes) or `differs`.
    pub byte_comparison: &'static str,
    /// The first byte where they differ (the phone copy's end when it was cut short).
    pub first_difference: Option<usize>,
    /// The sentence.
    pub reason: String,
}

impl Render for DamagedDiffReport<'_> {
    type Json = DamagedDiffJson;

    fn text(&self, _color: bool) -> String {
        let mut out = String::new();
        for (label, (name, sums), length) in [
            ("phone ", self.phone, self.comparison.phone_length),
            ("server", self.server, self.comparison.server_length),
        ] {
            let _ = writeln!(
                out,
                "{label}  {}: MD5 {}  SHA-1 {}  ({length} bytes)",
                printable(name.as_bytes()),
                sums.md5_hex(),
                sums.sha1_hex()
            );
        }
        let _ = writeln!(
            out,
            "damaged: {} at offset {}: {}",
            self.damage.place, self.damage.offset, self.damage.kind
        );
        let _ = writeln!(out, "{}", byte_comparison_sentence(&self.comparison));
        out
    }

    fn json(&self) -> DamagedDiffJson {
        let side = |(name, sums): (&str, &Checksums)| SideJson {
            path: Some(name.to_owned()),
            md5: Some(sums.md5_hex()),
            sha1: Some(sums.sha1_hex()),
        };
        DamagedDiffJson {
            comparison: "damaged_copy",
            identical: false,
            phone: side(self.phone),
            server: side(self.server),
            damage: super::json::DamageJson::of(self.damage),
            byte_comparison: self.comparison.code(),
            first_difference: self.comparison.first_difference,
            reason: byte_comparison_sentence(&self.comparison),
        }
    }
}

/// What comparing a damaged phone copy with the server's file byte for byte shows.
fn byte_comparison_sentence(comparison: &crate::judge::diff::ByteComparison) -> String {
    let (phone, server) = (comparison.phone_length, comparison.server_length);
    match (comparison.first_difference, comparison.phone_is_prefix) {
        (None, _) => "the copies are byte-identical".to_owned(),
        (Some(_), true) => format!(
            "the phone's copy is the first {phone} of the server's {server} bytes: a transfer cut short, not a different file"
        ),
        (Some(offset), false) => format!(
            "the copies differ from byte {offset} on (phone {phone} bytes, server {server}): corrupted on the way, or another file"
        ),
    }
}
