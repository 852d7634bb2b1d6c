//! What is signed, who signed it, and checking or making the signature (FORMAT.md §4).
//!
//! The signature covers the whole file with the SIGNATURE element (tag, length and value) cut
//! out, with RSA PKCS #1 v1.5 and the header's digest. The signer is the SAST record whose
//! serial (and issuer) match the header's SERIALNUMBER and CANAME.

use std::fmt;

use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::header::DigestAlgorithm;
use crate::record::{Function, Record};
use crate::text::printable;
use crate::trust_list::TrustList;

/// The verdict on a file's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureStatus {
    /// The signature matches the file and the signer record's key.
    Valid,
    /// The signature does not match: the file was changed after signing, or the signer
    /// record holds another key.
    Invalid,
    /// It cannot be checked: no signer record, no key, an unsupported algorithm, or a
    /// signature whose size does not fit the key.
    Unverifiable,
}

impl SignatureStatus {
    /// `valid`, `invalid`, `unverifiable`: the JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Valid => "valid",
            SignatureStatus::Invalid => "invalid",
            SignatureStatus::Unverifiable => "unverifiable",
        }
    }
}

impl fmt::Display for SignatureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the signer record was matched to the header's signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignerMatch {
    /// SERIALNUMBER and CANAME both match the record's serial and issuer.
    SerialAndIssuer,
    /// Only the serial matches (the record or the header has no issuer, or they differ).
    SerialOnly,
}

/// The outcome of checking a signature, with the reason in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Valid, invalid or unverifiable.
    pub status: SignatureStatus,
    /// The number (from 1) of the record whose key was used, when one was found.
    pub signer_record: Option<usize>,
    /// How that record was matched to the header's signer.
    pub signer_match: Option<SignerMatch>,
    /// Why, in one sentence.
    pub reason: String,
}

impl Verification {
    fn unverifiable(signer: Option<(&Record<'_>, SignerMatch)>, reason: String) -> Self {
        Verification {
            status: SignatureStatus::Unverifiable,
            signer_record: signer.map(|(record, _)| record.index()),
            signer_match: signer.map(|(_, matched)| matched),
            reason,
        }
    }

    /// Whether the signature is valid.
    pub fn is_valid(&self) -> bool {
        self.status == SignatureStatus::Valid
    }
}

/// Why a signature could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The digest code has no algorithm behind it.
    #[error("cannot sign with {0}")]
    UnsupportedDigest(DigestAlgorithm),
    /// The RSA operation failed.
    #[error("RSA signing failed: {0}")]
    Rsa(String),
}

/// The signed bytes: everything before the SIGNATURE element and everything after it.
/// `None` when the header has no SIGNATURE.
pub fn signed_parts<'a>(list: &TrustList<'a>) -> Option<(&'a [u8], &'a [u8])> {
    let element = list.header().signature_element()?;
    let input = list.as_bytes();
    let end = element.offset.checked_add(element.encoded_len())?;
    Some((input.get(..element.offset)?, input.get(end..)?))
}

/// Checks `list`'s signature with the key of its own signer record.
pub fn verify(list: &TrustList<'_>) -> Verification {
    verify_with_keys_from(list, list)
}

/// Checks `list`'s signature with the key of the record in `keys` that matches `list`'s
/// header signer: a phone checks a new file with the keys of the file it already holds.
pub fn verify_with_keys_from(list: &TrustList<'_>, keys: &TrustList<'_>) -> Verification {
    let header = list.header();
    let Some(signature) = header.signature() else {
        return Verification::unverifiable(None, "the header has no SIGNATURE element".to_owned());
    };
    let signer = match find_signer(list, keys) {
        Ok(signer) => signer,
        Err(reason) => return Verification::unverifiable(None, reason),
    };
    let (record, matched) = signer;
    let key = match record_key(record) {
        Ok(key) => key,
        Err(reason) => {
            return Verification::unverifiable(
                Some(signer),
                format!("record {} ({}) {reason}", record.index(), describe(record)),
            );
        }
    };
    if let Some(code) = header.signature_algorithm().filter(|&code| code != 0) {
        return Verification::unverifiable(
            Some(signer),
            format!("SIGNATUREALGORTITHM {code} is not RSA (0), the only algorithm defined"),
        );
    }
    let key_bytes = key.size();
    if signature.len() != key_bytes {
        return Verification::unverifiable(
            Some(signer),
            format!(
                "the {}-byte signature does not fit record {}'s {}-bit key",
                signature.len(),
                record.index(),
                key_bytes.saturating_mul(8)
            ),
        );
    }
    let Some((before, after)) = signed_parts(list) else {
        return Verification::unverifiable(
            Some(signer),
            "the SIGNATURE element cannot be cut out".to_owned(),
        );
    };
    let digest = header
        .digest_algorithm()
        .unwrap_or(DigestAlgorithm::Other(0));
    let outcome = match digest {
        DigestAlgorithm::Sha1 => check::<Sha1>(&key, before, after, signature),
        DigestAlgorithm::Sha256 => check::<Sha256>(&key, before, after, signature),
        DigestAlgorithm::Sha512 => check::<Sha512>(&key, before, after, signature),
        DigestAlgorithm::Other(code) => {
            return Verification::unverifiable(
                Some(signer),
                format!("digest code {code} is not SHA-1 (1), SHA-256 (2) or SHA-512 (3)"),
            );
        }
    };
    let by = match matched {
        SignerMatch::SerialAndIssuer => "",
        SignerMatch::SerialOnly => " (matched by serial number only)",
    };
    let (status, reason) = if outcome {
        (
            SignatureStatus::Valid,
            format!(
                "signed by record {} ({}){by} with {digest} and RSA-{}",
                record.index(),
                describe(record),
                key_bytes.saturating_mul(8)
            ),
        )
    } else {
        (
            SignatureStatus::Invalid,
            format!(
                "the signature does not match record {}'s key ({}){by}: the file was changed after signing, or signed by another key",
                record.index(),
                describe(record)
            ),
        )
    };
    Verification {
        status,
        signer_record: Some(record.index()),
        signer_match: Some(matched),
        reason,
    }
}

/// Signs `data` with `key` and `digest`, RSA PKCS #1 v1.5 as phones expect.
///
/// # Errors
///
/// [`SignError`] for a digest code without an algorithm or an RSA failure.
pub fn sign(key: &PrivateKey, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignError> {
    fn with<D: Digest + rsa::pkcs8::AssociatedOid>(
        key: &PrivateKey,
        data: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let prehash = D::digest(data);
        let signature: Signature = SigningKey::<D>::new(key.clone())
            .sign_prehash(&prehash)
            .map_err(|error| SignError::Rsa(error.to_string()))?;
        Ok(Box::<[u8]>::from(signature).into_vec())
    }
    match digest {
        DigestAlgorithm::Sha1 => with::<Sha1>(key, data),
        DigestAlgorithm::Sha256 => with::<Sha256>(key, data),
        DigestAlgorithm::Sha512 => with::<Sha512>(key, data),
        other => Err(SignError::UnsupportedDigest(other)),
    }
}

fn check<D: Digest + rsa::pkcs8::AssociatedOid>(
    key: &PublicKey,
    before: &[u8],
    after: &[u8],
    signature: &[u8],
) -> bool {
    let mut hasher = D::new();
    hasher.update(before);
    hasher.update(after);
    let prehash = hasher.finalize();
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    VerifyingKey::<D>::new(key.clone())
        .verify_prehash(&prehash, &signature)
        .is_ok()
}

/// The record in `keys` that holds the key for `list`'s header signer: a SAST record whose
/// serial matches numerically, preferring one whose issuer matches too.
///
/// # Errors
///
/// A sentence saying why no record fits.
pub fn find_signer<'k, 'a>(
    list: &TrustList<'_>,
    keys: &'k TrustList<'a>,
) -> Result<(&'k Record<'a>, SignerMatch), String> {
    let header = list.header();
    let Some(serial) = header.signer_serial() else {
        return Err("the header names no signer (no SERIALNUMBER)".to_owned());
    };
    let issuer = header.signer_issuer();
    let serial_matches = |record: &&Record<'_>| {
        record
            .serial_number()
            .is_some_and(|candidate| same_serial(candidate, serial))
    };
    let sast: Vec<&Record<'a>> = keys
        .records_with_function(Function::Sast)
        .filter(serial_matches)
        .collect();
    if let Some(record) = sast
        .iter()
        .find(|record| issuer.is_some() && record.issuer_name() == issuer)
    {
        return Ok((record, SignerMatch::SerialAndIssuer));
    }
    if let Some(record) = sast.first() {
        return Ok((record, SignerMatch::SerialOnly));
    }
    let name = header.signer_name().map_or_else(
        || "(unnamed)".to_owned(),
        |name| printable(name).into_owned(),
    );
    let serial_text = crate::text::serial_hex(serial);
    match keys.records().iter().find(serial_matches) {
        Some(other) => Err(format!(
            "the signer {name} (serial {serial_text}) is record {} but that record is {}, not a SAST",
            other.index(),
            other.function().map_or_else(
                || "without FUNCTION".to_owned(),
                |function| function.to_string()
            )
        )),
        None => Err(format!(
            "no SAST record has the signer's serial {serial_text} ({name})"
        )),
    }
}

/// Serial numbers compared as numbers: leading zero bytes do not count.
pub fn same_serial(left: &[u8], right: &[u8]) -> bool {
    let significant = |bytes: &[u8]| -> Vec<u8> {
        bytes
            .iter()
            .copied()
            .skip_while(|&byte| byte == 0)
            .collect()
    };
    significant(left) == significant(right)
}

/// A record's RSA key: from its certificate, else from its PUBLICKEY element.
///
/// # Errors
///
/// A phrase (completing "record N …") saying why no RSA key can be had.
pub fn record_key(record: &Record<'_>) -> Result<PublicKey, String> {
    if let Some(der) = record.certificate_der() {
        let (_, certificate) = X509Certificate::from_der(der)
            .map_err(|error| format!("has a certificate that does not parse: {error}"))?;
        return PublicKey::from_public_key_der(certificate.public_key().raw)
            .map_err(|error| format!("has no usable RSA key in its certificate: {error}"));
    }
    match record.public_key() {
        Some(pkcs1) => PublicKey::from_pkcs1_der(pkcs1)
            .map_err(|error| format!("has a PUBLICKEY that is not an RSA key: {error}")),
        None => Err("has neither a CERTIFICATE nor a PUBLICKEY".to_owned()),
    }
}

/// `SAST, CN=…` for reasons.
fn describe(record: &Record<'_>) -> String {
    let function = record
        .function()
        .map_or_else(|| "no FUNCTION".to_owned(), |function| function.to_string());
    match record.subject_name() {
        Some(subject) => format!("{function}, {}", printable(subject)),
        None => function,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_compare_as_numbers() {
        assert!(same_serial(&[0, 0x83, 1], &[0x83, 1]));
        assert!(!same_serial(&[0x83, 1], &[0x83, 1, 0]));
        assert!(same_serial(&[], &[0]));
    }
}
