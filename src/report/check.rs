//! `ctlkit check` output: a table read at a glance, then what to do; and JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::Render;
use super::style::{Tone, paint};
use super::words::{function_label, joined};
use crate::judge::check::{Cause, CheckStatus, Checked, Finding, Role, in_sync};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::{day, rfc3339};

/// `ctlkit check`: a trust list against the cluster's certificates.
#[derive(Debug, Clone, Copy)]
pub struct CheckReport<'r> {
    /// The trust list as given.
    pub file: &'r str,
    /// What the check found.
    pub findings: &'r [Finding],
}

impl Render for CheckReport<'_> {
    type Json = CheckJson;

    fn text(&self, color: bool) -> String {
        check_text(self.file, self.findings, color)
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::check::check_page(&self.json(), self.file, time::OffsetDateTime::now_utc())
    }

    fn json(&self) -> CheckJson {
        check_json(self.findings)
    }
}

/// `ctlkit check --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckJson {
    /// Every finding is `match` (or only `expiring`).
    pub in_sync: bool,
    /// One per given certificate and record it pairs with, then expiry findings.
    pub findings: Vec<FindingJson>,
}

/// One finding.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FindingJson {
    /// The PEM's path, or `record N`.
    pub certificate: String,
    /// `CallManager`, `CAPF`, `TVS`, `ITLRecovery`, or the record's function.
    pub role: String,
    /// `match`, `mismatch`, `missing`, `stale`, `expired`, `expiring`.
    pub status: String,
    /// A stable name for the cause (`holds_certificate`, `other_certificate`, `no_record`…).
    pub code: String,
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
    /// What to do; null for a match.
    pub advice: Option<String>,
}

fn check_json(findings: &[Finding]) -> CheckJson {
    CheckJson {
        in_sync: in_sync(findings),
        findings: findings
            .iter()
            .map(|finding| FindingJson {
                certificate: finding_certificate(finding),
                role: finding_role(finding),
                status: finding.status.as_str().to_owned(),
                code: finding.cause.code().to_owned(),
                record: finding.record,
                file_serial: finding.file_serial.as_ref().map(ToString::to_string),
                server_serial: finding.server_serial.as_ref().map(ToString::to_string),
                not_before: finding.not_before.map(rfc3339),
                not_after: finding.not_after.map(rfc3339),
                detail: finding_detail(finding),
                advice: Some(finding_advice(finding)).filter(|advice| !advice.is_empty()),
            })
            .collect(),
    }
}

fn tone(status: CheckStatus) -> Tone {
    match status {
        CheckStatus::Match => Tone::Good,
        CheckStatus::Expiring | CheckStatus::NotExpected => Tone::Warning,
        _ => Tone::Bad,
    }
}

/// The table, one row per finding, each non-match followed by its detail and advice.
fn check_text(file: &str, findings: &[Finding], color: bool) -> String {
    let mut out = String::new();
    let serial = |serial: Option<&ctlkit_format::cert::serial::Serial<'_>>| {
        serial.map_or_else(|| "-".to_owned(), ToString::to_string)
    };
    // Serials run from 5 to 20 bytes: size those columns to what is there.
    let width = |values: Vec<String>, heading: &str| {
        values
            .iter()
            .map(String::len)
            .chain([heading.len()])
            .max()
            .unwrap_or_default()
            .saturating_add(2)
    };
    let file_serials: Vec<String> = findings
        .iter()
        .map(|finding| serial(finding.file_serial.as_ref()))
        .collect();
    let server_serials: Vec<String> = findings
        .iter()
        .map(|finding| serial(finding.server_serial.as_ref()))
        .collect();
    let file_width = width(file_serials.clone(), "FILE SERIAL");
    let server_width = width(server_serials.clone(), "SERVER SERIAL");
    let status_width = width(
        findings
            .iter()
            .map(|finding| finding.status.as_str().to_owned())
            .chain(["mismatch".to_owned()])
            .collect(),
        "STATUS",
    );
    let _ = writeln!(
        out,
        "{:<status_width$}{:<13}{:<8}{:<file_width$}{:<server_width$}CERTIFICATE",
        "STATUS", "ROLE", "RECORD", "FILE SERIAL", "SERVER SERIAL"
    );
    for ((finding, file_serial), server_serial) in
        findings.iter().zip(&file_serials).zip(&server_serials)
    {
        let record = finding
            .record
            .map_or_else(|| "-".to_owned(), |record| record.to_string());
        let line = format!(
            "{}{:<13}{:<8}{:<file_width$}{:<server_width$}{}",
            paint(
                finding.status.as_str(),
                status_width,
                tone(finding.status),
                color
            ),
            finding_role(finding),
            record,
            file_serial,
            server_serial,
            printable(finding_certificate(finding).as_bytes())
        );
        out.push_str(line.trim_end());
        out.push('\n');
        if finding.status != CheckStatus::Match {
            let indent = " ".repeat(status_width);
            let _ = writeln!(
                out,
                "{indent}{}",
                printable(finding_detail(finding).as_bytes())
            );
            let _ = writeln!(out, "{indent}what to do: {}", finding_advice(finding));
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

/// What a check finding is about: the PEM's path, or `record N`.
fn finding_certificate(finding: &Finding) -> String {
    match &finding.checked {
        Checked::Certificate { path, .. } => path.clone(),
        Checked::Record { .. } => format!("record {}", finding.record.unwrap_or_default()),
    }
}

/// `CallManager`, `CAPF`…, or the record's function for expiry findings.
fn finding_role(finding: &Finding) -> String {
    match &finding.checked {
        Checked::Certificate { role, .. } => role.name().to_owned(),
        Checked::Record { function } => {
            function.map_or_else(|| "record".to_owned(), function_label)
        }
    }
}

fn serial_or_none(serial: Option<&ctlkit_format::cert::serial::Serial<'_>>) -> String {
    serial.map_or_else(|| "(none)".to_owned(), ToString::to_string)
}

/// What a check finding found, in a sentence.
fn finding_detail(finding: &Finding) -> String {
    let kind = finding.kind;
    let record = finding.record.unwrap_or_default();
    let function = finding.function.map_or_else(String::new, function_label);
    let path = match &finding.checked {
        Checked::Certificate { path, .. } => path.as_str(),
        Checked::Record { .. } => "",
    };
    match &finding.cause {
        Cause::HoldsCertificate => format!("record {record} ({function}) holds this certificate"),
        Cause::NoCertificateInRecord { host } => format!(
            "record {record} ({function}) lists {} without a certificate",
            printable(host.as_bytes())
        ),
        Cause::OtherCertificate {
            held_generated,
            signed_before,
        } => {
            let held = held_generated.map_or_else(|| "an unknown date".to_owned(), day);
            let mut detail = format!(
                "record {record} ({function}) holds serial {} generated {held}; {path} has serial {} generated {}",
                serial_or_none(finding.file_serial.as_ref()),
                serial_or_none(finding.server_serial.as_ref()),
                finding.not_before.map_or_else(String::new, day)
            );
            if let Some(signed) = signed_before {
                detail.push_str(&format!(
                    "; the {kind} was signed {}, before this certificate existed",
                    day(*signed)
                ));
            }
            detail
        }
        Cause::NoRecord {
            roles,
            records,
            subject,
            signed_before,
        } => {
            let roles: Vec<String> = roles.iter().copied().map(function_label).collect();
            let mut detail = format!(
                "no {} record of the {kind}'s {records} records is for {}",
                roles.join(" / "),
                printable(subject.as_bytes())
            );
            if let Some(signed) = signed_before {
                detail.push_str(&format!(
                    "; the {kind} was signed {}, before this certificate was generated {}",
                    day(*signed),
                    finding.not_before.map_or_else(String::new, day)
                ));
            }
            detail
        }
        Cause::NotCarriedByKind => {
            format!("CUCM never lists {} in a {kind}", finding_role(finding))
        }
        Cause::OtherNodesItl { nodes } => format!(
            "this ITL is the one {} serves: a TFTP node's ITL carries its own CallManager certificate, not {path}",
            joined(
                &nodes
                    .iter()
                    .map(|node| printable(node.as_bytes()).into_owned())
                    .collect::<Vec<_>>()
            )
        ),
        Cause::CertificateExpiry { subject, .. } => {
            let verb = if finding.status == crate::judge::check::CheckStatus::Expired {
                "expired"
            } else {
                "expires"
            };
            format!(
                "{} certificate {} {verb} {}",
                finding_role(finding),
                printable(subject.as_bytes()),
                finding.not_after.map_or_else(String::new, day)
            )
        }
    }
}

/// What to do about a check finding, in administrators' terms; empty for a match.
fn finding_advice(finding: &Finding) -> String {
    let kind = finding.kind;
    let role = match &finding.checked {
        Checked::Certificate { role, .. } => Some(*role),
        Checked::Record { .. } => None,
    };
    match (&finding.cause, role) {
        (Cause::HoldsCertificate, _) => String::new(),
        (Cause::NoCertificateInRecord { .. }, Some(role)) => format!(
            "if the cluster should be in mixed mode, {} (a record without certificate is what a non-secure CTL writes)",
            update_advice(role, kind)
        ),
        (Cause::NotCarriedByKind, Some(Role::Tvs)) => {
            "none: check TVS.pem against the ITL (ITLFile.tlv) instead".to_owned()
        }
        (Cause::OtherNodesItl { .. }, _) => {
            "none: check this CallManager.pem against the ITL of its own node (each TFTP node serves its own ITLFile.tlv), and against the CTL, which lists every node".to_owned()
        }
        (Cause::OtherCertificate { .. } | Cause::NoRecord { .. }, Some(role)) => {
            update_advice(role, kind)
        }
        (Cause::CertificateExpiry { etoken: true, .. }, _) => {
            "this is a USB eToken: add a new eToken to the CTL with the CTL client and sign the CTL with it before this one expires".to_owned()
        }
        (Cause::CertificateExpiry { .. }, _) => {
            let update = match kind {
                Kind::Ctl => "`utils ctl update CTLFile` or the CTL client",
                Kind::Itl => "restart Cisco TFTP so it rebuilds the ITL",
            };
            format!(
                "regenerate this {} certificate (OS Administration > Certificate Management, or `set cert regen`), then update the {kind}: {update}",
                finding_role(finding)
            )
        }
        _ => String::new(),
    }
}

/// How an administrator gets the current certificate into the trust list, in CUCM's terms.
pub(crate) fn update_advice(role: Role, kind: Kind) -> String {
    let file = role.file_name();
    match kind {
        Kind::Ctl => format!(
            "run the CTL client or `utils ctl update CTLFile` so the CTL carries the current {file}, then restart Cisco TFTP and Cisco CallManager on every node"
        ),
        Kind::Itl => format!(
            "restart Cisco TFTP so it rebuilds ITLFile.tlv with the current {file}; phones take the new ITL through TVS"
        ),
    }
}
