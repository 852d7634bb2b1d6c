//! Cross-check a trust list against the cluster's own certificates (`CallManager.pem`,
//! `CAPF.pem`, `TVS.pem`, `ITLRecovery.pem`): the comparison TAC does by hand after a
//! certificate was regenerated.

use std::fmt;

use time::{Duration, OffsetDateTime};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::build::cucm_name;
use crate::certificate::{CertificateInfo, serial_magnitude};
use crate::record::{Function, Record};
use crate::report::time_format::day;
use crate::text::{printable, serial_hex};
use crate::trust_list::{Kind, TrustList};

/// The cluster certificate a PEM file is, which decides the records it belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// `CallManager.pem`: CCM+TFTP or CCM records (and, in an ITL, the SAST record it signs with).
    CallManager,
    /// `CAPF.pem`: the CAPF record.
    Capf,
    /// `TVS.pem`: TVS records.
    Tvs,
    /// `ITLRecovery.pem`: a SAST record.
    ItlRecovery,
}

impl Role {
    fn functions(self, kind: Kind) -> &'static [Function] {
        match (self, kind) {
            (Role::CallManager, Kind::Itl) => &[Function::CcmTftp, Function::Ccm, Function::Sast],
            (Role::CallManager, Kind::Ctl) => &[Function::CcmTftp, Function::Ccm],
            (Role::Capf, _) => &[Function::Capf],
            (Role::Tvs, _) => &[Function::Tvs],
            (Role::ItlRecovery, _) => &[Function::Sast],
        }
    }

    /// The file name CUCM gives this certificate.
    pub fn file_name(self) -> &'static str {
        match self {
            Role::CallManager => "CallManager.pem",
            Role::Capf => "CAPF.pem",
            Role::Tvs => "TVS.pem",
            Role::ItlRecovery => "ITLRecovery.pem",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::CallManager => "CallManager",
            Role::Capf => "CAPF",
            Role::Tvs => "TVS",
            Role::ItlRecovery => "ITLRecovery",
        })
    }
}

/// A certificate from the cluster, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerCertificate {
    /// Where it came from (shown in findings).
    pub path: String,
    /// Which certificate it is.
    pub role: Role,
    /// DER.
    pub der: Vec<u8>,
}

/// A finding's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckStatus {
    /// The record holds exactly this certificate.
    Match,
    /// The record holds another certificate.
    Mismatch,
    /// No record for it, or a record without a certificate (a non-secure CTL).
    Missing,
    /// The trust list was signed before this certificate was generated, so it cannot hold it.
    Stale,
    /// A record's certificate is past its notAfter.
    Expired,
    /// A record's certificate expires within the warning window (a warning, not a failure).
    Expiring,
}

impl CheckStatus {
    /// `match`, `mismatch`…: the JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Match => "match",
            CheckStatus::Mismatch => "mismatch",
            CheckStatus::Missing => "missing",
            CheckStatus::Stale => "stale",
            CheckStatus::Expired => "expired",
            CheckStatus::Expiring => "expiring",
        }
    }

    /// Whether this finding keeps the trust list "in sync" (expiring is only a warning).
    pub fn is_ok(self) -> bool {
        matches!(self, CheckStatus::Match | CheckStatus::Expiring)
    }
}

impl fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the cross-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The PEM's path, or `record N` for an expiry finding about a record's own certificate.
    pub certificate: String,
    /// `CallManager`, `CAPF`, `TVS`, `ITLRecovery`, or the record's function for expiry findings.
    pub role: String,
    /// The verdict.
    pub status: CheckStatus,
    /// The record concerned (from 1).
    pub record: Option<usize>,
    /// The record's serial, as stored.
    pub file_serial: Option<String>,
    /// The server certificate's serial.
    pub server_serial: Option<String>,
    /// The certificate's notBefore (the server's; the record's for expiry findings).
    pub not_before: Option<OffsetDateTime>,
    /// The certificate's notAfter.
    pub not_after: Option<OffsetDateTime>,
    /// What was found, in a sentence.
    pub detail: String,
    /// What to do, in administrators' terms; empty for a match.
    pub advice: String,
}

/// Why a cross-check could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// A given certificate does not parse.
    #[error("{path}: not an X.509 certificate: {reason}")]
    Certificate {
        /// The PEM's path.
        path: String,
        /// The parser's reason.
        reason: String,
    },
}

/// What the cross-check needs of a server certificate, decoded once.
struct Server<'c> {
    given: &'c ServerCertificate,
    certificate: X509Certificate<'c>,
    serial: Vec<u8>,
    common_name: String,
}

impl Server<'_> {
    /// When the certificate was generated (notBefore).
    fn generated(&self) -> OffsetDateTime {
        self.certificate.validity().not_before.to_datetime()
    }

    /// A finding about this certificate, with what the certificate itself says filled in.
    fn finding(&self, status: CheckStatus, record: Option<&Record<'_>>) -> Finding {
        Finding {
            certificate: self.given.path.clone(),
            role: self.given.role.to_string(),
            status,
            record: record.map(Record::index),
            file_serial: record.and_then(Record::serial_number).map(serial_hex),
            server_serial: Some(serial_hex(&self.serial)),
            not_before: Some(self.generated()),
            not_after: Some(self.certificate.validity().not_after.to_datetime()),
            detail: String::new(),
            advice: String::new(),
        }
    }

    /// The list's signing time, when that is before this certificate existed: such a list
    /// cannot hold it.
    fn signed_before(&self, signed_at: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
        signed_at.filter(|&signed| signed < self.generated())
    }
}

/// Compares `list` with the cluster's certificates, and flags every record certificate that
/// has expired at `now` or expires within `warn_days`.
///
/// # Errors
///
/// [`CheckError::Certificate`] when a given certificate does not parse.
pub fn check(
    list: &TrustList<'_>,
    kind: Kind,
    certificates: &[ServerCertificate],
    now: OffsetDateTime,
    warn_days: u32,
) -> Result<Vec<Finding>, CheckError> {
    let signed_at = list
        .header()
        .timestamp()
        .and_then(|seconds| OffsetDateTime::from_unix_timestamp(i64::from(seconds)).ok());
    let mut findings = Vec::new();
    for given in certificates {
        let (_, certificate) =
            X509Certificate::from_der(&given.der).map_err(|error| CheckError::Certificate {
                path: given.path.clone(),
                reason: error.to_string(),
            })?;
        let common_name = certificate
            .subject()
            .iter_common_name()
            .next()
            .and_then(|name| name.as_str().ok())
            .unwrap_or_default()
            .to_owned();
        let server = Server {
            serial: serial_magnitude(certificate.raw_serial()),
            certificate,
            common_name,
            given,
        };
        let paired: Vec<&Record<'_>> = list
            .records()
            .iter()
            .filter(|record| {
                record
                    .function()
                    .is_some_and(|function| given.role.functions(kind).contains(&function))
                    && belongs_to(record, &server)
            })
            .collect();
        if paired.is_empty() {
            findings.push(unpaired(&server, list, kind, signed_at));
        }
        for record in paired {
            findings.push(compare(record, &server, kind, signed_at));
        }
    }
    findings.extend(expiry_findings(list, kind, now, warn_days));
    Ok(findings)
}

/// Whether a record is the place for this certificate: it holds this certificate or one with
/// the same subject, or its subject string is the certificate's in CUCM's style, or its
/// DNSNAME is the certificate's CN (a certificate re-issued under another subject, or a record
/// without certificate, still belongs to its host).
fn belongs_to(record: &Record<'_>, server: &Server<'_>) -> bool {
    let same_certificate_subject = record.certificate_der().is_some_and(|der| {
        der == server.given.der.as_slice()
            || X509Certificate::from_der(der).is_ok_and(|(_, held)| {
                held.subject().as_raw() == server.certificate.subject().as_raw()
            })
    });
    let same_subject_string = record
        .subject_name()
        .is_some_and(|subject| subject == cucm_name(server.certificate.subject()).as_bytes());
    let same_host = !server.common_name.is_empty()
        && record
            .dns_name()
            .is_some_and(|name| name.eq_ignore_ascii_case(server.common_name.as_bytes()));
    same_certificate_subject || same_subject_string || same_host
}

fn compare(
    record: &Record<'_>,
    server: &Server<'_>,
    kind: Kind,
    signed_at: Option<OffsetDateTime>,
) -> Finding {
    let not_before = server.generated();
    let mut finding = server.finding(CheckStatus::Match, Some(record));
    let function = record
        .function()
        .map_or_else(String::new, |function| function.to_string());
    let Some(der) = record.certificate_der() else {
        finding.status = CheckStatus::Missing;
        finding.detail = format!(
            "record {} ({function}) lists {} without a certificate",
            record.index(),
            host(record, server)
        );
        finding.advice = format!(
            "if the cluster should be in mixed mode, {} (a record without certificate is what a non-secure CTL writes)",
            update_advice(server.given.role, kind)
        );
        return finding;
    };
    if der == server.given.der.as_slice() {
        finding.detail = format!(
            "record {} ({function}) holds this certificate",
            record.index()
        );
        return finding;
    }
    let held_generated = CertificateInfo::from_der(der)
        .map(|info| day(info.not_before))
        .unwrap_or_else(|_| "an unknown date".to_owned());
    let stale = server.signed_before(signed_at);
    finding.status = if stale.is_some() {
        CheckStatus::Stale
    } else {
        CheckStatus::Mismatch
    };
    let mut detail = format!(
        "record {} ({function}) holds serial {} generated {held_generated}; {} has serial {} generated {}",
        record.index(),
        finding.file_serial.as_deref().unwrap_or("(none)"),
        server.given.path,
        serial_hex(&server.serial),
        day(not_before)
    );
    if let Some(signed) = stale {
        detail.push_str(&format!(
            "; the {kind} was signed {}, before this certificate existed",
            day(signed)
        ));
    }
    finding.detail = detail;
    finding.advice = update_advice(server.given.role, kind);
    finding
}

fn unpaired(
    server: &Server<'_>,
    list: &TrustList<'_>,
    kind: Kind,
    signed_at: Option<OffsetDateTime>,
) -> Finding {
    let not_before = server.generated();
    let stale = server.signed_before(signed_at);
    let status = if stale.is_some() {
        CheckStatus::Stale
    } else {
        CheckStatus::Missing
    };
    let roles: Vec<String> = server
        .given
        .role
        .functions(kind)
        .iter()
        .map(ToString::to_string)
        .collect();
    let mut detail = format!(
        "no {} record of the {kind}'s {} records is for {}",
        roles.join(" / "),
        list.records().len(),
        printable(cucm_name(server.certificate.subject()).as_bytes())
    );
    if let Some(signed) = stale {
        detail.push_str(&format!(
            "; the {kind} was signed {}, before this certificate was generated {}",
            day(signed),
            day(not_before)
        ));
    }
    Finding {
        detail,
        advice: match (server.given.role, kind) {
            (Role::Tvs, Kind::Ctl) => {
                "CUCM lists TVS in the ITL, not in the CTL: check TVS.pem against ITLFile.tlv"
                    .to_owned()
            }
            (role, kind) => update_advice(role, kind),
        },
        ..server.finding(status, None)
    }
}

fn expiry_findings(
    list: &TrustList<'_>,
    kind: Kind,
    now: OffsetDateTime,
    warn_days: u32,
) -> Vec<Finding> {
    let horizon = now.saturating_add(Duration::days(i64::from(warn_days)));
    list.records()
        .iter()
        .filter_map(|record| {
            let info = CertificateInfo::from_der(record.certificate_der()?).ok()?;
            let status = if info.not_after < now {
                CheckStatus::Expired
            } else if info.not_after < horizon {
                CheckStatus::Expiring
            } else {
                return None;
            };
            let function = record
                .function()
                .map_or_else(|| "record".to_owned(), |function| function.to_string());
            let subject = record.subject_name().map_or_else(
                || info.subject_dn.clone(),
                |subject| printable(subject).into_owned(),
            );
            let verb = if status == CheckStatus::Expired {
                "expired"
            } else {
                "expires"
            };
            Some(Finding {
                certificate: format!("record {}", record.index()),
                role: function.clone(),
                status,
                record: Some(record.index()),
                file_serial: record.serial_number().map(serial_hex),
                server_serial: None,
                not_before: Some(info.not_before),
                not_after: Some(info.not_after),
                detail: format!(
                    "{function} certificate {subject} {verb} {}",
                    day(info.not_after)
                ),
                advice: renewal_advice(&info, &function, kind),
            })
        })
        .collect()
}

/// What renewing an expiring record certificate means: a USB eToken (issued by Cisco
/// Manufacturing CA) is replaced, a server certificate regenerated.
fn renewal_advice(info: &CertificateInfo, function: &str, kind: Kind) -> String {
    let update = match kind {
        Kind::Ctl => "`utils ctl update CTLFile` or the CTL client",
        Kind::Itl => "restart Cisco TFTP so it rebuilds the ITL",
    };
    if info.issuer_dn.contains("Cisco Manufacturing CA") {
        "this is a USB eToken: add a new eToken to the CTL with the CTL client and sign the CTL with it before this one expires".to_owned()
    } else {
        format!(
            "regenerate this {function} certificate (OS Administration > Certificate Management, or `set cert regen`), then update the {kind}: {update}"
        )
    }
}

/// How an administrator gets the current certificate into the trust list, in CUCM's terms.
fn update_advice(role: Role, kind: Kind) -> String {
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

fn host(record: &Record<'_>, server: &Server<'_>) -> String {
    match record.dns_name() {
        Some(name) if !name.is_empty() => printable(name).into_owned(),
        _ => server.common_name.clone(),
    }
}
