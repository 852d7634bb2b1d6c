//! Cross-check a trust list against the cluster's own certificates (`CallManager.pem`,
//! `CAPF.pem`, `TVS.pem`, `ITLRecovery.pem`): the comparison TAC does by hand after a
//! certificate was regenerated.

use time::OffsetDateTime;
use x509_parser::prelude::{FromDer, X509Certificate};

use ctlkit_format::cert::certificate::{CertificateInfo, Expiry};
use ctlkit_format::cert::names::{common_name, cucm_name};
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::file::record::{Function, Record};
use ctlkit_format::file::trust_list::{Kind, TrustList};
use ctlkit_format::timefmt::from_timestamp;

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
    /// The records this certificate belongs in, in a list of `kind`.
    pub fn functions(self, kind: Kind) -> &'static [Function] {
        match (self, kind) {
            (Role::CallManager, Kind::Itl) => &[Function::CcmTftp, Function::Ccm, Function::Sast],
            (Role::CallManager, Kind::Ctl) => &[Function::CcmTftp, Function::Ccm],
            (Role::Capf, _) => &[Function::Capf],
            // CUCM lists TVS in the ITL alone.
            (Role::Tvs, Kind::Itl) => &[Function::Tvs],
            (Role::Tvs, Kind::Ctl) => &[],
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

impl Role {
    /// `CallManager`, `CAPF`, `TVS`, `ITLRecovery`: the certificate's name in CUCM.
    pub fn name(self) -> &'static str {
        match self {
            Role::CallManager => "CallManager",
            Role::Capf => "CAPF",
            Role::Tvs => "TVS",
            Role::ItlRecovery => "ITLRecovery",
        }
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
    /// CUCM does not put this certificate in this kind of list: TVS in a CTL, another node's
    /// CallManager certificate in an ITL (each TFTP node's ITL carries its own).
    NotExpected,
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
            CheckStatus::NotExpected => "not_expected",
        }
    }

    /// Whether this finding keeps the trust list "in sync" (expiring is only a warning; a
    /// certificate the list is not meant to carry is no fault of the list).
    pub fn is_ok(self) -> bool {
        matches!(
            self,
            CheckStatus::Match | CheckStatus::Expiring | CheckStatus::NotExpected
        )
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// A cluster certificate given on the command line.
    Certificate {
        /// Where it came from.
        path: String,
        /// Which certificate it is.
        role: Role,
    },
    /// A record's own certificate (expiry findings).
    Record {
        /// Its role.
        function: Option<Function>,
    },
}

/// The facts behind a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cause {
    /// The record holds exactly the given certificate.
    HoldsCertificate,
    /// The record names the host but carries no certificate (what a non-secure CTL writes).
    NoCertificateInRecord {
        /// The record's DNSNAME, or the certificate's CN.
        host: String,
    },
    /// The record holds another certificate.
    OtherCertificate {
        /// When the held certificate was generated (its notBefore), when it decodes.
        held_generated: Option<OffsetDateTime>,
        /// When the list was signed, if that is before the given certificate existed.
        signed_before: Option<OffsetDateTime>,
    },
    /// No record with the right role is for this certificate.
    NoRecord {
        /// The roles looked at.
        roles: Vec<Function>,
        /// How many records the list has.
        records: usize,
        /// The certificate's subject in CUCM's style.
        subject: String,
        /// When the list was signed, if that is before the given certificate existed.
        signed_before: Option<OffsetDateTime>,
    },
    /// CUCM never lists this certificate in this kind of list (TVS in a CTL).
    NotCarriedByKind,
    /// The ITL is another node's: it names these nodes' CallManager certificates, and a TFTP
    /// node's ITL carries its own alone.
    OtherNodesItl {
        /// The DNSNAMEs of the ITL's CCM+TFTP / CCM records.
        nodes: Vec<String>,
    },
    /// A record's certificate is expired or expiring.
    CertificateExpiry {
        /// Its subject, as the record spells it (or the certificate's DN).
        subject: String,
        /// Issued by Cisco Manufacturing CA: a USB eToken.
        etoken: bool,
    },
}

impl Cause {
    /// A stable machine-readable name for the cause.
    pub fn code(&self) -> &'static str {
        match self {
            Cause::HoldsCertificate => "holds_certificate",
            Cause::NoCertificateInRecord { .. } => "record_without_certificate",
            Cause::OtherCertificate {
                signed_before: Some(_),
                ..
            } => "signed_before_certificate",
            Cause::OtherCertificate { .. } => "other_certificate",
            Cause::NoRecord {
                signed_before: Some(_),
                ..
            } => "signed_before_certificate",
            Cause::NoRecord { .. } => "no_record",
            Cause::NotCarriedByKind => "not_carried_by_kind",
            Cause::OtherNodesItl { .. } => "other_nodes_itl",
            Cause::CertificateExpiry { .. } => "certificate_expiry",
        }
    }
}

/// One line of the cross-check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What was checked.
    pub checked: Checked,
    /// The verdict.
    pub status: CheckStatus,
    /// The facts behind it.
    pub cause: Cause,
    /// CTL or ITL: decides which records a certificate belongs in, and the remedy.
    pub kind: Kind,
    /// The record concerned (from 1).
    pub record: Option<usize>,
    /// The record's function.
    pub function: Option<Function>,
    /// The record's serial, as stored.
    pub file_serial: Option<Serial<'static>>,
    /// The server certificate's serial.
    pub server_serial: Option<Serial<'static>>,
    /// The certificate's notBefore (the server's; the record's for expiry findings).
    pub not_before: Option<OffsetDateTime>,
    /// The certificate's notAfter.
    pub not_after: Option<OffsetDateTime>,
}

/// Whether every finding keeps the trust list in sync (an expiring certificate is only a
/// warning).
pub fn in_sync(findings: &[Finding]) -> bool {
    findings.iter().all(|finding| finding.status.is_ok())
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
    serial: Serial<'c>,
    common_name: String,
}

impl Server<'_> {
    /// When the certificate was generated (notBefore).
    fn generated(&self) -> OffsetDateTime {
        self.certificate.validity().not_before.to_datetime()
    }

    /// A finding about this certificate, with what the certificate itself says filled in.
    fn finding(
        &self,
        status: CheckStatus,
        cause: Cause,
        kind: Kind,
        record: Option<&Record<'_>>,
    ) -> Finding {
        Finding {
            checked: Checked::Certificate {
                path: self.given.path.clone(),
                role: self.given.role,
            },
            status,
            cause,
            kind,
            record: record.map(Record::index),
            function: record.and_then(Record::function),
            file_serial: record
                .and_then(Record::serial_number)
                .map(Serial::into_owned),
            server_serial: Some(self.serial.clone().into_owned()),
            not_before: Some(self.generated()),
            not_after: Some(self.certificate.validity().not_after.to_datetime()),
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
    let signed_at = list.header().timestamp().and_then(from_timestamp);
    let mut findings = Vec::new();
    for given in certificates {
        let (_, certificate) =
            X509Certificate::from_der(&given.der).map_err(|error| CheckError::Certificate {
                path: given.path.clone(),
                reason: error.to_string(),
            })?;
        let server = Server {
            serial: Serial::from_der_integer(certificate.raw_serial()),
            common_name: common_name(certificate.subject()).to_owned(),
            certificate,
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
            findings.push(match not_expected(&server, list, kind) {
                Some(cause) => server.finding(CheckStatus::NotExpected, cause, kind, None),
                None => unpaired(&server, list, kind, signed_at),
            });
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
    let Some(der) = record.certificate_der() else {
        let host = match record.dns_name() {
            Some(name) if !name.is_empty() => String::from_utf8_lossy(name).into_owned(),
            _ => server.common_name.clone(),
        };
        return server.finding(
            CheckStatus::Missing,
            Cause::NoCertificateInRecord { host },
            kind,
            Some(record),
        );
    };
    if der == server.given.der.as_slice() {
        return server.finding(
            CheckStatus::Match,
            Cause::HoldsCertificate,
            kind,
            Some(record),
        );
    }
    let held_generated = CertificateInfo::from_der(der)
        .ok()
        .map(|info| info.not_before);
    let signed_before = server.signed_before(signed_at);
    let status = if signed_before.is_some() {
        CheckStatus::Stale
    } else {
        CheckStatus::Mismatch
    };
    server.finding(
        status,
        Cause::OtherCertificate {
            held_generated,
            signed_before,
        },
        kind,
        Some(record),
    )
}

/// Why a certificate no record is for is not expected in this list, as CUCM builds each kind
/// (docs/FORMAT.md §14): TVS is never in a CTL; an ITL is one TFTP node's, and carries that
/// node's CallManager certificate alone, so another node's is not missing from it. An ITL that
/// names no CallManager node at all is missing this one.
fn not_expected(server: &Server<'_>, list: &TrustList<'_>, kind: Kind) -> Option<Cause> {
    let roles = server.given.role.functions(kind);
    if roles.is_empty() {
        return Some(Cause::NotCarriedByKind);
    }
    if server.given.role != Role::CallManager || kind != Kind::Itl {
        return None;
    }
    let nodes: Vec<String> = list
        .records()
        .iter()
        .filter(|record| matches!(record.function(), Some(Function::CcmTftp | Function::Ccm)))
        .filter(|record| record.has_key())
        .map(|record| match record.dns_name() {
            Some(name) if !name.is_empty() => String::from_utf8_lossy(name).into_owned(),
            _ => format!("record {}", record.index()),
        })
        .collect();
    (!nodes.is_empty()).then_some(Cause::OtherNodesItl { nodes })
}

fn unpaired(
    server: &Server<'_>,
    list: &TrustList<'_>,
    kind: Kind,
    signed_at: Option<OffsetDateTime>,
) -> Finding {
    let signed_before = server.signed_before(signed_at);
    let status = if signed_before.is_some() {
        CheckStatus::Stale
    } else {
        CheckStatus::Missing
    };
    server.finding(
        status,
        Cause::NoRecord {
            roles: server.given.role.functions(kind).to_vec(),
            records: list.records().len(),
            subject: cucm_name(server.certificate.subject()),
            signed_before,
        },
        kind,
        None,
    )
}

fn expiry_findings(
    list: &TrustList<'_>,
    kind: Kind,
    now: OffsetDateTime,
    warn_days: u32,
) -> Vec<Finding> {
    list.records()
        .iter()
        .filter_map(|record| {
            let info = CertificateInfo::from_der(record.certificate_der()?).ok()?;
            let status = match info.expiry(now, warn_days) {
                Expiry::Expired => CheckStatus::Expired,
                Expiry::Expiring => CheckStatus::Expiring,
                Expiry::Valid => return None,
            };
            let subject = record.subject_name().map_or_else(
                || info.subject_dn.clone(),
                |subject| String::from_utf8_lossy(subject).into_owned(),
            );
            Some(Finding {
                checked: Checked::Record {
                    function: record.function(),
                },
                status,
                cause: Cause::CertificateExpiry {
                    subject,
                    etoken: info.is_etoken(),
                },
                kind,
                record: Some(record.index()),
                function: record.function(),
                file_serial: record.serial_number().map(Serial::into_owned),
                server_serial: None,
                not_before: Some(info.not_before),
                not_after: Some(info.not_after),
            })
        })
        .collect()
}
