//! `ctlkit diff A.sgn B.sgn`: header changes, then the payloads — a unified diff of their
//! lines for text (configs, load lists), their checksums for anything else.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::diff::{HeaderChangeJson, SideJson};
use super::style::{Tone, paint};
use crate::judge::diff::SignedDiff;
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::signed_file::SignedFile;
use ctlkit_format::text::printable;

/// Lines of context around each change in the payload diff, as `diff -u`.
const CONTEXT: usize = 3;

/// Two signed files compared.
#[derive(Debug, Clone, Copy)]
pub struct SignedDiffReport<'r, 'a> {
    /// The first file (the phone's, or the old one) and its name.
    pub phone: (&'r str, &'r SignedFile<'a>),
    /// The second file (the server's, or the new one) and its name.
    pub server: (&'r str, &'r SignedFile<'a>),
    /// What differs.
    pub diff: &'r SignedDiff,
}

/// `ctlkit diff --format json` for two signed files.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignedDiffJson {
    /// What was compared: `trust_lists`, `checksum` (`--phone-checksum`), `signed_files`,
    /// `pasted_text` or `damaged_copy`; the rest of the document follows from it.
    pub comparison: &'static str,
    /// Byte-identical files.
    pub identical: bool,
    /// The first file.
    pub phone: SideJson,
    /// The second file.
    pub server: SideJson,
    /// Header fields that differ.
    pub header_changes: Vec<HeaderChangeJson>,
    /// The payloads.
    pub payload: PayloadDiffJson,
}

/// The two payloads.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PayloadDiffJson {
    /// The same bytes.
    pub same: bool,
    /// The first payload's type.
    pub phone_type: &'static str,
    /// The second payload's type.
    pub server_type: &'static str,
    /// The first payload's size.
    pub phone_length: usize,
    /// The second payload's size.
    pub server_length: usize,
    /// The first payload's SHA-256.
    pub phone_sha256: String,
    /// The second payload's SHA-256.
    pub server_sha256: String,
    /// For text payloads that differ: a unified diff of their lines; otherwise null.
    pub unified_diff: Option<String>,
}

fn side(name: &str, file: &SignedFile<'_>) -> SideJson {
    let sums = Checksums::of(file.as_bytes());
    SideJson {
        path: Some(name.to_owned()),
        md5: Some(sums.md5_hex()),
        sha1: Some(sums.sha1_hex()),
    }
}

impl SignedDiffReport<'_, '_> {
    /// The payloads' lines compared, when both are text and they differ.
    fn unified_diff(&self) -> Option<String> {
        let (phone_name, phone) = self.phone;
        let (server_name, server) = self.server;
        if self.diff.same_payload
            || !phone.payload_kind().is_text()
            || !server.payload_kind().is_text()
        {
            return None;
        }
        let old = String::from_utf8_lossy(phone.payload());
        let new = String::from_utf8_lossy(server.payload());
        Some(
            similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
                .unified_diff()
                .context_radius(CONTEXT)
                .header(phone_name, server_name)
                .to_string(),
        )
    }

    fn payload_json(&self) -> PayloadDiffJson {
        let (_, phone) = self.phone;
        let (_, server) = self.server;
        PayloadDiffJson {
            same: self.diff.same_payload,
            phone_type: phone.payload_kind().code(),
            server_type: server.payload_kind().code(),
            phone_length: phone.payload().len(),
            server_length: server.payload().len(),
            phone_sha256: Checksums::of(phone.payload()).sha256_hex(),
            server_sha256: Checksums::of(server.payload()).sha256_hex(),
            unified_diff: self.unified_diff(),
        }
    }
}

impl Render for SignedDiffReport<'_, '_> {
    type Json = SignedDiffJson;

    fn text(&self, color: bool) -> String {
        let json = self.json();
        let mut out = String::new();
        let name =
            |side: &SideJson| printable(side.path.as_deref().unwrap_or("").as_bytes()).into_owned();
        if json.identical {
            let _ = writeln!(
                out,
                "{}: {} and {} are byte-identical: MD5 {}, SHA-1 {}",
                paint("identical", 0, Tone::Good, color),
                name(&json.phone),
                name(&json.server),
                json.server.md5.as_deref().unwrap_or_default(),
                json.server.sha1.as_deref().unwrap_or_default()
            );
            return out;
        }
        for (label, side) in [("phone ", &json.phone), ("server", &json.server)] {
            let _ = writeln!(
                out,
                "{label}  {}: MD5 {}  SHA-1 {}",
                name(side),
                side.md5.as_deref().unwrap_or_default(),
                side.sha1.as_deref().unwrap_or_default()
            );
        }
        let _ = writeln!(out, "{}", paint("different", 0, Tone::Bad, color));
        if !json.header_changes.is_empty() {
            out.push_str("\nheader:\n");
            for change in &json.header_changes {
                let _ = writeln!(
                    out,
                    "  {:<15}{} -> {}",
                    change.field,
                    change.phone.as_deref().unwrap_or("(none)"),
                    change.server.as_deref().unwrap_or("(none)")
                );
            }
        }
        let payload = &json.payload;
        if payload.same {
            out.push_str("\npayload: the same bytes\n");
            return out;
        }
        let _ = writeln!(
            out,
            "\npayload: {} ({} bytes, SHA-256 {}) -> {} ({} bytes, SHA-256 {})",
            payload.phone_type,
            payload.phone_length,
            payload.phone_sha256,
            payload.server_type,
            payload.server_length,
            payload.server_sha256
        );
        if let Some(unified) = &payload.unified_diff {
            // Line by line, so a hostile payload's control bytes are escaped but the diff's
            // own line breaks are kept.
            for line in unified.lines() {
                out.push_str(&printable(line.as_bytes()));
                out.push('\n');
            }
        }
        out
    }

    fn json(&self) -> SignedDiffJson {
        SignedDiffJson {
            comparison: "signed_files",
            identical: self.diff.identical,
            phone: side(self.phone.0, self.phone.1),
            server: side(self.server.0, self.server.1),
            header_changes: self
                .diff
                .header_changes
                .iter()
                .map(HeaderChangeJson::of)
                .collect(),
            payload: self.payload_json(),
        }
    }
}
