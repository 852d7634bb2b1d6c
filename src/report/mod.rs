//! Presentation only: turns the library's verdicts into text, JSON or CSV. Nothing is parsed
//! or decided here; every sentence ctlkit says is written here (most in `words`).
//!
//! Each command's result is a report value implementing [`Render`]; the command line picks
//! the format in one place, so a new output format is one more method here.

mod audit;
mod boot;
mod check;
mod csv;
mod diff;
mod extract;
#[cfg(feature = "html")]
pub mod html;
mod json;
mod lint;
mod pasted;
mod pasted_audit;
#[cfg(feature = "schema")]
pub mod schema;
mod show;
mod signed;
mod signed_diff;
mod style;
#[cfg(feature = "pkcs11")]
mod tokens;
mod verify;
mod words;

pub use audit::{AuditJson, AuditReport, PhoneFileJson, PhoneGroupJson};
pub use boot::{
    BootFleetJson, BootFleetReport, BootGroupJson, BootJson, BootReport, BootStepJson, HoldsJson,
    RequestJson,
};
pub use check::{CheckJson, CheckReport, FindingJson};
pub use diff::{
    ChangedJson, ChecksumReport, DamagedDiffJson, DamagedDiffReport, DiffJson, DiffRecordJson,
    DiffReport, DiffSides, HeaderChangeJson, RecordsJson, SideJson,
};
pub use extract::{
    CaptureDamageJson, ExtractJson, ExtractReport, ExtractRow, IncompleteJson, TransferJson,
};
pub use json::{
    CertificateJson, DamageJson, DamagedShowJson, DamagedShowReport, FileJson, HashEntry,
    HashReport, HeaderJson, RecordJson, ShowJson, SignerJson, UnknownTagJson, VerificationJson,
    WarningJson,
};
pub use lint::{
    LintCounts, LintFindingJson, LintJson, LintReport, LintReports, RULES, RulePage, explain,
    lint_counts, severity_text,
};
pub use pasted::{
    NO_CERTIFICATES, PastedChangeJson, PastedCheckJson, PastedCheckReport, PastedDiffJson,
    PastedDiffReport, PastedFindingJson, PastedListJson, PastedRecordJson, PastedShowJson,
    PastedShowReport,
};
pub use pasted_audit::{ContentGroupJson, PastedAuditJson, PastedAuditReport, PhoneJson};
pub use show::ShowReport;
pub use signed::{EncryptionJson, PayloadJson, SignedJson, SignedShowReport};
pub use signed_diff::{PayloadDiffJson, SignedDiffJson, SignedDiffReport};
#[cfg(feature = "pkcs11")]
pub use tokens::{SignsJson, TokenJson, TokenObjectJson, TokensJson, TokensReport};
pub use verify::{VerifyCounts, VerifyJson, VerifyReport, VerifyRowJson};

use serde::Serialize;
use time::OffsetDateTime;

use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::sign::build::BuildWarning;
use ctlkit_format::text::printable;
use words::function_label;

/// A command's result, ready to be shown in any format.
pub trait Render {
    /// The JSON document (a stable schema, documented in the README).
    type Json: Serialize;

    /// The report for people; `color` paints status words for a terminal.
    fn text(&self, color: bool) -> String;

    /// The report for scripts.
    fn json(&self) -> Self::Json;

    /// The report for spreadsheets, one row per item, when the command has one.
    fn csv(&self) -> Option<String> {
        None
    }

    /// The page for people (a ticket, a change record): by default the JSON facts as tables;
    /// reports with pictures draw their own. [`html::page`] adds the header and the policy.
    #[cfg(feature = "html")]
    fn html(&self) -> html::HtmlBody {
        html::facts(&self.json())
    }
}

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

/// What a build warning says, without command-line flags.
pub fn build_warning(warning: &BuildWarning) -> String {
    build_warning_sentence(warning)
}

/// What a build warning says (the command line adds which flag changes it).
fn build_warning_sentence(warning: &BuildWarning) -> String {
    match warning {
        BuildWarning::WeakDigest => "SHA-1 is weak".to_owned(),
        BuildWarning::ShortSignerKey { bits } => {
            format!("the signer's key is {bits} bits, below 2048")
        }
        BuildWarning::AlreadyListed { function, subject } => format!(
            "{} {} is already listed; kept once",
            function_label(*function),
            printable(subject.as_bytes())
        ),
        BuildWarning::SignerVersionChosen {
            function,
            subject,
            key,
        } => format!(
            "wrote SIGNERVERSION 1.1 (header tag 28): {} {} has an {key} key, which phones are reported to take only from a list of 1.1",
            function_label(*function),
            printable(subject.as_bytes())
        ),
        BuildWarning::ShortRecordKey {
            function,
            subject,
            bits,
        } => format!(
            "{} {} has a {bits}-bit key, below 2048",
            function_label(*function),
            printable(subject.as_bytes())
        ),
    }
}

/// Why a file could not be used, in a sentence (for a command's stderr line).
pub fn problem_sentence(problem: &crate::judge::audit::AuditProblem) -> String {
    words::problem_sentence(problem)
}
