//! `ctlkit check` output: a table read at a glance, then what to do; and JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::style::{Tone, paint};
use super::time_format::rfc3339;
use crate::check::{CheckStatus, Finding};
use crate::text::printable;

/// `ctlkit check --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct CheckJson {
    /// Every finding is `match` (or only `expiring`).
    pub in_sync: bool,
    /// One per given certificate and record it pairs with, then expiry findings.
    pub findings: Vec<FindingJson>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
pub struct FindingJson {
    /// The PEM's path, or `record N`.
    pub certificate: String,
    /// `CallManager`, `CAPF`, `TVS`, `ITLRecovery`, or the record's function.
    pub role: String,
    /// `match`, `mismatch`, `missing`, `stale`, `expired`, `expiring`.
    pub status: String,
    /// The record concerned, or null.
    pub record: Option<usize>,
    /// The record's serial, or null.
    pub file_serial: Option<String>,
    /// The server certificate's serial, or null.
    pub server_serial: Option<String>,
    /// RFC 3339 UTC.
    pub not_before: Option<String>,
    /// RFC 3339 UTC.
    pub not_after: Option<String>,
    /// What was found.
    pub detail: String,
    /// What to do; empty for a match.
    pub advice: String,
}

/// Whether every finding keeps the file in sync.
pub fn in_sync(findings: &[Finding]) -> bool {
    findings.iter().all(|finding| finding.status.is_ok())
}

/// Builds the JSON document.
pub fn check_json(findings: &[Finding]) -> CheckJson {
    CheckJson {
        in_sync: in_sync(findings),
        findings: findings
            .iter()
            .map(|finding| FindingJson {
                certificate: finding.certificate.clone(),
                role: finding.role.clone(),
                status: finding.status.as_str().to_owned(),
                record: finding.record,
                file_serial: finding.file_serial.clone(),
                server_serial: finding.server_serial.clone(),
                not_before: finding.not_before.map(rfc3339),
                not_after: finding.not_after.map(rfc3339),
                detail: finding.detail.clone(),
                advice: finding.advice.clone(),
            })
            .collect(),
    }
}

fn tone(status: CheckStatus) -> Tone {
    match status {
        CheckStatus::Match => Tone::Good,
        CheckStatus::Expiring => Tone::Warning,
        _ => Tone::Bad,
    }
}

/// The table, one row per finding, each non-match followed by its detail and advice.
pub fn check_text(file: &str, findings: &[Finding], color: bool) -> String {
    let mut out = String::new();
    // Serials run from 5 to 20 bytes: size those columns to what is there.
    let width = |value: fn(&Finding) -> Option<&str>, heading: &str| {
        findings
            .iter()
            .filter_map(value)
            .map(str::len)
            .chain([heading.len()])
            .max()
            .unwrap_or_default()
            .saturating_add(2)
    };
    let file_width = width(|finding| finding.file_serial.as_deref(), "FILE SERIAL");
    let server_width = width(|finding| finding.server_serial.as_deref(), "SERVER SERIAL");
    let _ = writeln!(
        out,
        "{:<10}{:<13}{:<8}{:<file_width$}{:<server_width$}CERTIFICATE",
        "STATUS", "ROLE", "RECORD", "FILE SERIAL", "SERVER SERIAL"
    );
    for finding in findings {
        let record = finding
            .record
            .map_or_else(|| "-".to_owned(), |record| record.to_string());
        let line = format!(
            "{}{:<13}{:<8}{:<file_width$}{:<server_width$}{}",
            paint(finding.status.as_str(), 10, tone(finding.status), color),
            finding.role,
            record,
            finding.file_serial.as_deref().unwrap_or("-"),
            finding.server_serial.as_deref().unwrap_or("-"),
            printable(finding.certificate.as_bytes())
        );
        out.push_str(line.trim_end());
        out.push('\n');
        if finding.status != CheckStatus::Match {
            let _ = writeln!(out, "          {}", printable(finding.detail.as_bytes()));
            let _ = writeln!(out, "          what to do: {}", finding.advice);
        }
    }
    let problems = findings
        .iter()
        .filter(|finding| !finding.status.is_ok())
        .count();
    let warnings = findings
        .iter()
        .filter(|finding| finding.status == CheckStatus::Expiring)
        .count();
    let file = printable(file.as_bytes());
    let verdict = if problems == 0 {
        paint("in sync", 0, Tone::Good, color)
    } else {
        paint("NOT in sync", 0, Tone::Bad, color)
    };
    let _ = write!(out, "{file}: {verdict}");
    if problems > 0 {
        let _ = write!(out, ", {problems} finding(s) need action");
    }
    if warnings > 0 {
        let _ = write!(out, ", {warnings} certificate(s) expiring soon");
    }
    out.push('\n');
    out
}
