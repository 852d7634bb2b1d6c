//! Everything the reports say about a parsed file, worked out once: checksums, each record's
//! certificate decoded, the signature checked.

use ctlkit_format::cert::certificate::CertificateInfo;
use ctlkit_format::cert::signer_class::{SignerClass, signer_class};
use ctlkit_format::checksum::{self, Checksums};
use ctlkit_format::file::record::tag;
use ctlkit_format::file::trust_list::TrustList;
use ctlkit_format::sign::signature::{Verification, verify};
use ctlkit_format::tlv::error::Place;
use ctlkit_format::tlv::warning::{Warning, WarningKind};

/// A parsed trust list with the facts that cost more than parsing: checksums, decoded
/// certificates and the signature verdict. Text and JSON reports both render this, so they cannot disagree.
#[derive(Debug, Clone)]
pub struct Inspection<'t, 'a> {
    /// The parsed file.
    pub trust_list: &'t TrustList<'a>,
    /// Checksums of the whole file.
    pub checksums: Checksums,
    /// The certificate of each record, in record order (`None` where a record has none).
    pub certificates: Vec<Option<RecordCertificate>>,
    /// Structural warnings, then certificate warnings, in file order within each.
    pub warnings: Vec<Warning>,
    /// The file's signature checked against its own signer record.
    pub verification: Verification,
    /// Who signed: eToken, ITLRecovery, CallManager or a third party.
    pub signer_class: SignerClass,
}

/// A record's CERTIFICATE element: its hashes, and what it says when it decodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCertificate {
    /// Size of the DER in bytes.
    pub length: usize,
    /// SHA-1 of the DER, as `show ctl` prints it.
    pub sha1: [u8; 20],
    /// SHA-256 of the DER.
    pub sha256: [u8; 32],
    /// The decoded certificate, or why it does not decode.
    pub info: Result<CertificateInfo, WarningKind>,
}

/// What is wrong with a record's CERTIFICATE, when something is.
fn certificate_problem(info: &Result<CertificateInfo, WarningKind>) -> Option<WarningKind> {
    match info {
        Err(kind) => Some(kind.clone()),
        Ok(decoded) if decoded.trailing_bytes > 0 => Some(WarningKind::CertificateTrailingBytes {
            count: decoded.trailing_bytes,
        }),
        Ok(_) => None,
    }
}

/// The warnings about records' certificates (which parsing does not decode): one place
/// decides them for reports and for lint.
pub(crate) fn certificate_warnings(trust_list: &TrustList<'_>) -> Vec<Warning> {
    trust_list
        .records()
        .iter()
        .filter_map(|record| {
            let element = record.find(tag::CERTIFICATE)?;
            let kind = certificate_problem(&CertificateInfo::from_der(element.value))?;
            Some(Warning {
                place: Place::Record(record.index()),
                offset: element.offset,
                kind,
            })
        })
        .collect()
}

impl<'t, 'a> Inspection<'t, 'a> {
    /// Hashes the file, decodes every record's certificate and checks the signature.
    pub fn of(trust_list: &'t TrustList<'a>) -> Self {
        let mut warnings = trust_list.warnings().to_vec();
        let certificates = trust_list
            .records()
            .iter()
            .map(|record| {
                let element = record.find(tag::CERTIFICATE)?;
                let info = CertificateInfo::from_der(element.value);
                if let Some(kind) = certificate_problem(&info) {
                    warnings.push(Warning {
                        place: Place::Record(record.index()),
                        offset: element.offset,
                        kind,
                    });
                }
                Some(RecordCertificate {
                    length: element.value.len(),
                    sha1: checksum::sha1(element.value),
                    sha256: checksum::sha256(element.value),
                    info,
                })
            })
            .collect();
        Inspection {
            trust_list,
            checksums: Checksums::of(trust_list.as_bytes()),
            certificates,
            warnings,
            verification: verify(trust_list),
            signer_class: signer_class(trust_list),
        }
    }
}
