//! `ctlkit verify` output: the signature verdict and, with held files, the phone's verdict.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::json::DamageJson;
use super::json::VerificationJson;
use super::words::damage_sentence;
use super::words::{acceptance_sentence, acceptance_words, verification_sentence};
use crate::judge::acceptance::{Acceptance, AcceptanceVerdict};
use ctlkit_format::sign::signature::Verification;
use ctlkit_format::text::printable;
use ctlkit_format::tlv::error::ParseError;

/// A file's signature verdict and, with held lists, the phone's.
#[derive(Debug, Clone, Copy)]
pub struct VerifyReport<'r> {
    /// The file as given.
    pub file: &'r str,
    /// Its signature checked against its own records.
    pub verification: &'r Verification,
    /// What a phone holding the `--trust` lists does with it.
    pub verdict: Option<&'r AcceptanceVerdict>,
    /// Where a damaged copy stops parsing (its signature was checked over every byte all the
    /// same).
    pub damage: Option<&'r ParseError>,
}

/// `ctlkit verify --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyJson {
    /// The file as given.
    pub file: String,
    /// The signature verdict (`status`, `signer_record`, `signer_match`, `code`, `reason`).
    #[serde(flatten)]
    pub verification: VerificationJson,
    /// Whether a phone holding the `--trust` files installs it outright; null without them.
    pub accepted: Option<bool>,
    /// `"accepted"`, `"accepted_if_tvs_vouches"`, `"rejected"`; null without `--trust`.
    pub acceptance: Option<String>,
    /// A stable name for why (`signed_by_held_record`, `tvs_may_vouch`…); null without
    /// `--trust`.
    pub acceptance_code: Option<String>,
    /// The sentence explaining `acceptance`; null without `--trust`.
    pub accepted_reason: Option<String>,
    /// For a damaged copy: `{place, offset, message}`; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damage: Option<DamageJson>,
}

impl Render for VerifyReport<'_> {
    type Json = VerifyJson;

    /// Two lines at most: `FILE: signature valid: …` and `FILE: accepted: …`.
    fn text(&self, _color: bool) -> String {
        let file = printable(self.file.as_bytes());
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{file}: signature {}: {}",
            self.verification.status.as_str(),
            verification_sentence(self.verification)
        );
        if let Some(verdict) = self.verdict {
            let _ = writeln!(
                out,
                "{file}: {}: {}",
                acceptance_words(verdict.acceptance),
                acceptance_sentence(self.file, verdict)
            );
        }
        if let Some(damage) = self.damage {
            let _ = writeln!(
                out,
                "{file}: damaged: {}",
                damage_sentence(damage, self.verification.is_valid())
            );
        }
        out
    }

    fn json(&self) -> VerifyJson {
        VerifyJson {
            file: self.file.to_owned(),
            verification: VerificationJson::of(self.verification),
            accepted: self
                .verdict
                .map(|verdict| verdict.acceptance == Acceptance::Accepted),
            acceptance: self
                .verdict
                .map(|verdict| verdict.acceptance.as_str().to_owned()),
            acceptance_code: self.verdict.map(|verdict| verdict.reason.code().to_owned()),
            accepted_reason: self
                .verdict
                .map(|verdict| acceptance_sentence(self.file, verdict)),
            damage: self.damage.map(DamageJson::of),
        }
    }
}
