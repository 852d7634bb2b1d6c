//! `ctlkit verify` output: the signature verdict and, with held files, the phone's verdict.

use std::fmt::Write as _;

use serde::Serialize;

use super::json::VerificationJson;
use crate::signature::Verification;
use crate::text::printable;
use crate::trust::AcceptanceVerdict;

/// `ctlkit verify --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyJson {
    /// The file as given.
    pub file: String,
    /// The signature verdict (`status`, `signer_record`, `signer_match`, `reason`).
    #[serde(flatten)]
    pub verification: VerificationJson,
    /// Whether a phone holding the `--trust` files installs it outright; null without them.
    pub accepted: Option<bool>,
    /// `"accepted"`, `"accepted_if_tvs_vouches"`, `"rejected"`; null without `--trust`.
    pub acceptance: Option<String>,
    /// The sentence explaining `acceptance`; null without `--trust`.
    pub accepted_reason: Option<String>,
}

/// Builds the JSON document.
pub fn verify_json(
    file: &str,
    verification: &Verification,
    verdict: Option<&AcceptanceVerdict>,
) -> VerifyJson {
    VerifyJson {
        file: file.to_owned(),
        verification: VerificationJson::of(verification),
        accepted: verdict.map(|verdict| verdict.acceptance == crate::trust::Acceptance::Accepted),
        acceptance: verdict.map(|verdict| verdict.acceptance.as_str().to_owned()),
        accepted_reason: verdict.map(|verdict| verdict.reason.clone()),
    }
}

/// Two lines at most: `FILE: signature valid: …` and `FILE: accepted: …`.
pub fn verify_text(
    file: &str,
    verification: &Verification,
    verdict: Option<&AcceptanceVerdict>,
) -> String {
    let file = printable(file.as_bytes());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{file}: signature {}: {}",
        verification.status,
        printable(verification.reason.as_bytes())
    );
    if let Some(verdict) = verdict {
        let _ = writeln!(
            out,
            "{file}: {}: {}",
            verdict.acceptance,
            printable(verdict.reason.as_bytes())
        );
    }
    out
}
