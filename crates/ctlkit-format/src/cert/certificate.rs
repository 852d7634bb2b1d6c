//! What a record's certificate says, as far as the X.509 parser can tell.

use std::fmt;

use time::{Duration, OffsetDateTime};
use x509_parser::oid_registry::OidRegistry;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::cert::serial::Serial;
use crate::tlv::warning::WarningKind;

/// The facts `show ctl` leaves out: names as the certificate has them, validity, key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// Subject distinguished name (RFC 4514 style, from the certificate itself).
    pub subject_dn: String,
    /// Issuer distinguished name.
    pub issuer_dn: String,
    /// Serial number without the DER sign byte, as trust lists store it.
    pub serial: Serial<'static>,
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
    /// Key type and size.
    pub key: KeyInfo,
    /// The algorithm the certificate is signed with, by its short name when known
    /// (`sha1WithRSAEncryption`), else by OID.
    pub signature_algorithm: String,
    /// Bytes after the certificate inside the CERTIFICATE element (normally 0).
    pub trailing_bytes: usize,
}

/// A certificate's public key, as far as reports need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    /// `RSA`, `EC`, `DSA`, or the algorithm's OID.
    pub algorithm: String,
    /// Key size in bits (0 when the parser cannot tell).
    pub bits: usize,
    /// The named curve of an EC key.
    pub curve: Option<String>,
}

impl KeyInfo {
    /// Whether phones are reported to take this key only from a list whose header says
    /// SIGNERVERSION 1.1: an EC key, or an RSA key above 2048 bits (docs/FORMAT.md §8, §10).
    pub fn needs_signer_version_1_1(&self) -> bool {
        self.algorithm == "EC" || (self.algorithm == "RSA" && self.bits > 2048)
    }
}

impl fmt::Display for KeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.algorithm, self.bits)?;
        if let Some(curve) = &self.curve {
            write!(f, " ({curve})")?;
        }
        Ok(())
    }
}

impl CertificateInfo {
    /// Decodes a certificate's DER.
    ///
    /// # Errors
    ///
    /// [`WarningKind::CertificateUnparseable`] when the bytes are not an X.509 certificate: a
    /// record with a broken certificate is still a record, so this is a warning for callers.
    pub fn from_der(der: &[u8]) -> Result<Self, WarningKind> {
        let (rest, certificate) = X509Certificate::from_der(der).map_err(|error| {
            WarningKind::CertificateUnparseable {
                reason: error.to_string(),
            }
        })?;
        let registry = x509_parser::objects::oid_registry();
        Ok(CertificateInfo {
            subject_dn: certificate.subject().to_string(),
            issuer_dn: certificate.issuer().to_string(),
            serial: Serial::from_der_integer(certificate.raw_serial()).into_owned(),
            not_before: certificate.validity().not_before.to_datetime(),
            not_after: certificate.validity().not_after.to_datetime(),
            key: key_info(&certificate, registry),
            signature_algorithm: oid_name(&certificate.signature_algorithm.algorithm, registry),
            trailing_bytes: rest.len(),
        })
    }

    /// Whether the certificate has expired at `now`.
    pub fn is_expired_at(&self, now: OffsetDateTime) -> bool {
        self.expiry(now, 0) == Expiry::Expired
    }

    /// Where the certificate stands at `now`, with a warning window of `warn_days`.
    pub fn expiry(&self, now: OffsetDateTime, warn_days: u32) -> Expiry {
        let horizon = now.saturating_add(Duration::days(i64::from(warn_days)));
        if self.not_after < now {
            Expiry::Expired
        } else if self.not_after < horizon {
            Expiry::Expiring
        } else {
            Expiry::Valid
        }
    }

    /// Whether Cisco Manufacturing CA issued it: a USB eToken, replaced rather than regenerated.
    pub fn is_etoken(&self) -> bool {
        self.issuer_dn.contains("Cisco Manufacturing CA")
    }
}

/// A certificate's validity at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expiry {
    /// Valid beyond the warning window.
    Valid,
    /// Valid now, but not for the whole warning window.
    Expiring,
    /// Past its notAfter.
    Expired,
}

fn key_info(certificate: &X509Certificate<'_>, registry: &OidRegistry<'_>) -> KeyInfo {
    let spki = certificate.public_key();
    let (algorithm, bits, curve) = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => ("RSA".to_owned(), rsa.key_size(), None),
        Ok(PublicKey::EC(point)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|parameters| parameters.as_oid().ok())
                .map(|oid| oid_name(&oid, registry));
            ("EC".to_owned(), point.key_size(), curve)
        }
        Ok(PublicKey::DSA(_)) => ("DSA".to_owned(), 0, None),
        _ => (oid_name(&spki.algorithm.algorithm, registry), 0, None),
    };
    KeyInfo {
        algorithm,
        bits,
        curve,
    }
}

fn oid_name(oid: &x509_parser::der_parser::oid::Oid<'_>, registry: &OidRegistry<'_>) -> String {
    registry
        .get(oid)
        .map(|entry| entry.sn().to_owned())
        .unwrap_or_else(|| oid.to_id_string())
}
