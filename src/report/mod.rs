//! Presentation only: turns an [`Inspection`](crate::Inspection) into text or JSON. No
//! parsing happens here.

mod audit;
mod check;
mod diff;
mod json;
mod show;
mod style;
pub(crate) mod time_format;
mod verify;

pub use audit::{AuditJson, audit_csv, audit_json, audit_text};
pub use check::{CheckJson, FindingJson, check_json, check_text, in_sync};
pub use diff::{DiffJson, DiffSides, checksum_json, checksum_text, diff_json, diff_text};
pub use json::{HashEntry, ShowJson, VerificationJson, hash_json, show_json};
pub use show::{hash_line, show_text};
pub use verify::{VerifyJson, verify_json, verify_text};

use time::OffsetDateTime;

use crate::trust_list::Kind;

/// What a report needs besides the file itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportContext<'a> {
    /// CTL or ITL wording.
    pub kind: Kind,
    /// The path as the user gave it.
    pub path: &'a str,
    /// The file's modification time, when known.
    pub modified: Option<OffsetDateTime>,
    /// The time certificates are judged expired against; a parameter so reports are
    /// reproducible.
    pub now: OffsetDateTime,
}
