//! Verdicts from pasted `show ctl` / `show itl` text: compared with a file (checksums first,
//! then records by serial and certificate SHA-1) and with the cluster's certificates (serial
//! and SHA-1). The text never holds certificates, so nothing here says anything about keys,
//! signatures or expiry: callers say so.

use x509_parser::prelude::{FromDer, X509Certificate};

use crate::evidence::pasted::{PastedList, PastedRecord};
use crate::judge::check::{CheckError, CheckStatus, Role, ServerCertificate};
use ctlkit_format::cert::names::{common_name, cucm_name};
use ctlkit_format::cert::serial::Serial;
use ctlkit_format::checksum::{Checksums, sha1};
use ctlkit_format::file::record::{Function, Record};
use ctlkit_format::file::trust_list::{Kind, TrustList};

/// How the text's checksums compare with a file's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecksumVerdict {
    /// The text's MD5 or SHA-1 is the file's: the same bytes.
    Same,
    /// The text's checksums are not the file's.
    Different,
    /// The text printed no checksum.
    NotPrinted,
}

/// One record in the comparison, paired by serial (and role) between the text and the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PastedRecordChange {
    /// In both, with the same certificate SHA-1 (or no hash to compare).
    Same {
        /// The text's record.
        text: PastedRecord,
    },
    /// Same serial and role, another certificate.
    CertificateDiffers {
        /// The text's record.
        text: PastedRecord,
        /// The file's certificate SHA-1.
        file_sha1: [u8; 20],
    },
    /// Only the text has it.
    OnlyInText {
        /// The text's record.
        text: PastedRecord,
    },
    /// Only the file has it.
    OnlyInFile {
        /// Its index in the file.
        index: usize,
        /// Its role.
        function: Option<Function>,
        /// Its subject, CUCM style.
        subject: String,
        /// Its serial.
        serial: Option<Serial<'static>>,
    },
}

impl PastedRecordChange {
    /// `same`, `certificate_differs`, `only_in_text`, `only_in_file`.
    pub fn code(&self) -> &'static str {
        match self {
            PastedRecordChange::Same { .. } => "same",
            PastedRecordChange::CertificateDiffers { .. } => "certificate_differs",
            PastedRecordChange::OnlyInText { .. } => "only_in_text",
            PastedRecordChange::OnlyInFile { .. } => "only_in_file",
        }
    }
}

/// A pasted output against a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedDiff {
    /// Checksums first: when they match, nothing else needs saying.
    pub checksums: ChecksumVerdict,
    /// The text's length and the file's, when the text printed one and they differ.
    pub length: Option<(usize, usize)>,
    /// The signer's serial in the text and in the file, when they differ.
    pub signer_serial: Option<(Option<Serial<'static>>, Option<Serial<'static>>)>,
    /// The signature bytes the text printed are not the file's (a re-signed file: another
    /// timestamp, another key).
    pub signature_differs: bool,
    /// Records paired by serial and role.
    pub records: Vec<PastedRecordChange>,
}

impl PastedDiff {
    /// The text describes exactly the file: same checksum, or (without one printed) the same
    /// length, signer and records.
    pub fn identical(&self) -> bool {
        match self.checksums {
            ChecksumVerdict::Same => true,
            ChecksumVerdict::Different => false,
            ChecksumVerdict::NotPrinted => {
                self.length.is_none()
                    && self.signer_serial.is_none()
                    && !self.signature_differs
                    && self
                        .records
                        .iter()
                        .all(|change| matches!(change, PastedRecordChange::Same { .. }))
            }
        }
    }
}

/// Compares what a pasted output says with a file.
pub fn diff_pasted(text: &PastedList, file: &TrustList<'_>) -> PastedDiff {
    let sums = Checksums::of(file.as_bytes());
    let checksums = match (text.md5, text.sha1) {
        (None, None) => ChecksumVerdict::NotPrinted,
        (md5, sha1) => {
            // Every checksum printed must agree: one that does not means other bytes.
            let same =
                md5.is_none_or(|md5| md5 == sums.md5) && sha1.is_none_or(|sha1| sha1 == sums.sha1);
            if same {
                ChecksumVerdict::Same
            } else {
                ChecksumVerdict::Different
            }
        }
    };
    let length = text
        .length
        .filter(|length| *length != file.as_bytes().len())
        .map(|length| (length, file.as_bytes().len()));
    let file_signer = file.header().signer_serial().map(Serial::into_owned);
    let signer_serial = match (&text.signer_serial, &file_signer) {
        (Some(text_serial), file_serial) if Some(text_serial) != file_serial.as_ref() => {
            Some((Some(text_serial.clone()), file_serial.clone()))
        }
        _ => None,
    };
    let signature_differs = text
        .signature
        .as_deref()
        .filter(|printed| !printed.is_empty())
        .is_some_and(|printed| Some(printed) != file.header().signature());
    PastedDiff {
        checksums,
        length,
        signer_serial,
        signature_differs,
        records: pair_records(&text.records, file.records()),
    }
}

fn pair_records(text: &[PastedRecord], file: &[Record<'_>]) -> Vec<PastedRecordChange> {
    let mut unpaired: Vec<&Record<'_>> = file.iter().collect();
    let mut changes = Vec::new();
    for record in text {
        let same_serial = |candidate: &&Record<'_>| {
            record.serial.is_some() && candidate.serial_number().as_ref() == record.serial.as_ref()
        };
        // Records without a serial (a non-secure CTL's) pair by position and role.
        let unnumbered = |candidate: &&Record<'_>| {
            record.serial.is_none()
                && candidate.serial_number().is_none()
                && candidate.index() == record.index
                && candidate.function() == record.function
        };
        let position = unpaired
            .iter()
            .position(|candidate| same_serial(candidate) && candidate.function() == record.function)
            .or_else(|| unpaired.iter().position(same_serial))
            .or_else(|| unpaired.iter().position(unnumbered));
        let Some(position) = position else {
            changes.push(PastedRecordChange::OnlyInText {
                text: record.clone(),
            });
            continue;
        };
        let paired = unpaired.remove(position);
        let file_sha1 = paired.certificate_der().map(sha1);
        match (record.certificate_sha1, file_sha1) {
            (Some(text_sha1), Some(file_sha1)) if text_sha1 != file_sha1 => {
                changes.push(PastedRecordChange::CertificateDiffers {
                    text: record.clone(),
                    file_sha1,
                });
            }
            _ => changes.push(PastedRecordChange::Same {
                text: record.clone(),
            }),
        }
    }
    for record in unpaired {
        changes.push(PastedRecordChange::OnlyInFile {
            index: record.index(),
            function: record.function(),
            subject: ctlkit_format::text::printable(ctlkit_format::text::until_nul(
                record.subject_name().unwrap_or_default(),
            ))
            .into_owned(),
            serial: record.serial_number().map(Serial::into_owned),
        });
    }
    changes
}

/// One cluster certificate looked for in a pasted output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastedFinding {
    /// Where the certificate came from.
    pub path: String,
    /// Which certificate it is.
    pub role: Role,
    /// Its subject, CUCM style.
    pub subject: String,
    /// Its serial.
    pub serial: Serial<'static>,
    /// Its SHA-1.
    pub sha1: [u8; 20],
    /// `match` (a record of an allowed role has its serial and SHA-1), `mismatch` (its serial,
    /// another SHA-1 — or no hash printed to tell), `missing` (no record has its serial).
    pub status: CheckStatus,
    /// The records that carry its serial, by index.
    pub records: Vec<usize>,
    /// Why, as the stable name `check` gives a file's finding (`holds_certificate`,
    /// `other_certificate`, `no_hash_printed`, `no_record`, `not_carried_by_kind`,
    /// `other_nodes_itl`).
    pub code: &'static str,
}

/// Looks for each cluster certificate among the text's records, by serial and SHA-1.
///
/// # Errors
///
/// [`CheckError::Certificate`] when a certificate does not parse, as for a file.
pub fn check_pasted(
    text: &PastedList,
    certificates: &[ServerCertificate],
) -> Result<Vec<PastedFinding>, CheckError> {
    let mut findings = Vec::new();
    for certificate in certificates {
        let (_, parsed) = X509Certificate::from_der(&certificate.der).map_err(|error| {
            CheckError::Certificate {
                path: certificate.path.clone(),
                reason: error.to_string(),
            }
        })?;
        let serial = Serial::from_der_integer(parsed.raw_serial()).into_owned();
        let digest = sha1(&certificate.der);
        let allowed = certificate.role.functions(text.kind);
        let carrying: Vec<&PastedRecord> = text
            .records
            .iter()
            .filter(|record| {
                record.serial.as_ref() == Some(&serial)
                    && record
                        .function
                        .is_some_and(|function| allowed.contains(&function))
            })
            .collect();
        // As for a file: TVS is never in a CTL, and an ITL naming a CallManager node is that
        // node's alone.
        let host = common_name(parsed.subject());
        let node_records = || {
            text.records.iter().filter(|record| {
                matches!(record.function, Some(Function::CcmTftp | Function::Ccm))
                    && record.serial.is_some()
            })
        };
        // A record of this certificate's host (its CN as DNSNAME or in the subject) holding
        // another certificate is this node's, regenerated: not another node's.
        let this_host = |record: &&PastedRecord| {
            !host.is_empty()
                && (record
                    .dns_name
                    .as_deref()
                    .is_some_and(|name| name.eq_ignore_ascii_case(host))
                    || record.subject.as_deref().is_some_and(|subject| {
                        subject
                            .split([';', ','])
                            .any(|part| part.trim().eq_ignore_ascii_case(&format!("CN={host}")))
                    }))
        };
        let other_nodes = certificate.role == Role::CallManager
            && text.kind == Kind::Itl
            && node_records().next().is_some()
            && !node_records().any(|record| this_host(&record));
        let (status, code) = if carrying.is_empty() && allowed.is_empty() {
            (CheckStatus::NotExpected, "not_carried_by_kind")
        } else if carrying.is_empty() && other_nodes {
            (CheckStatus::NotExpected, "other_nodes_itl")
        } else if carrying.is_empty() {
            (CheckStatus::Missing, "no_record")
        } else if carrying
            .iter()
            .any(|record| record.certificate_sha1 == Some(digest))
        {
            (CheckStatus::Match, "holds_certificate")
        } else if carrying
            .iter()
            .all(|record| record.certificate_sha1.is_none())
        {
            (CheckStatus::Mismatch, "no_hash_printed")
        } else {
            (CheckStatus::Mismatch, "other_certificate")
        };
        findings.push(PastedFinding {
            path: certificate.path.clone(),
            role: certificate.role,
            subject: cucm_name(parsed.subject()),
            serial,
            sha1: digest,
            status,
            records: carrying.iter().map(|record| record.index).collect(),
            code,
        });
    }
    Ok(findings)
}
