//! What is signed, who signed it, and checking or making the signature (docs/FORMAT.md §4, §9).
//!
//! Every Cisco signed file carries the same header, and its signature covers the whole file
//! with the SIGNATURE element cut out, RSA PKCS #1 v1.5 with the header's digest. Who may have
//! signed depends on the file: a trust list is signed by a SAST record, a config by a TFTP or
//! CCM+TFTP record. So verification takes the header, the candidate keys with their roles, and
//! the roles allowed to sign; trust lists and any other signed file share this code.

use rsa::PublicKey;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::hazmat::PrehashVerifier;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::cert::names::same_name;
use crate::cert::serial::Serial;
use crate::file::header::{DigestAlgorithm, Header, SignedBytes};
use crate::file::record::{Function, Record};
use crate::file::trust_list::TrustList;

/// The verdict on a file's signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignatureStatus {
    /// The signature matches the file and the signer's key.
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

/// How the signer was matched to the header's SERIALNUMBER and CANAME.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignerMatch {
    /// Serial and issuer both match (the issuer compared by its attributes, however each
    /// writer spelled it).
    SerialAndIssuer,
    /// The serial matches and the record or the header names no issuer to compare.
    SerialOnly,
}

impl SignerMatch {
    /// `serial_and_issuer`, `serial_only`: the JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SignerMatch::SerialAndIssuer => "serial_and_issuer",
            SignerMatch::SerialOnly => "serial_only",
        }
    }
}

/// Where a candidate signer key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyOrigin {
    /// Record `index` (from 1, as `show ctl` counts) of trust list number `list` among those
    /// searched (0 when a file is checked against its own records).
    Record {
        /// Which list, in the order given.
        list: usize,
        /// Which record.
        index: usize,
    },
    /// A certificate given directly rather than found in a trust list.
    Certificate,
}

/// A key that may have signed a file, with what identifies it and the role it holds.
#[derive(Debug, Clone)]
pub struct SignerCandidate<'c> {
    /// Where it comes from.
    pub origin: KeyOrigin,
    /// Its role (a record's FUNCTION); `None` for a record without one or a bare certificate.
    pub role: Option<Function>,
    /// Its certificate's serial.
    pub serial: Serial<'c>,
    /// Its certificate's issuer, as the writer spelled it.
    pub issuer: Option<&'c [u8]>,
    /// Its certificate's subject, as the writer spelled it.
    pub subject: Option<&'c [u8]>,
    key: KeySource<'c>,
}

#[derive(Debug, Clone)]
enum KeySource<'c> {
    Certificate(&'c [u8]),
    Pkcs1(&'c [u8]),
    Decoded(PublicKey),
    Missing,
}

impl<'c> SignerCandidate<'c> {
    /// A record of trust list number `list` as a candidate; `None` when it has no serial (a
    /// signer is named by serial, so such a record can never be one).
    pub fn from_record(list: usize, record: &Record<'c>) -> Option<Self> {
        let key = match (record.certificate_der(), record.public_key()) {
            (Some(der), _) => KeySource::Certificate(der),
            (None, Some(pkcs1)) => KeySource::Pkcs1(pkcs1),
            (None, None) => KeySource::Missing,
        };
        Some(SignerCandidate {
            origin: KeyOrigin::Record {
                list,
                index: record.index(),
            },
            role: record.function(),
            serial: record.serial_number()?,
            issuer: record.issuer_name(),
            subject: record.subject_name(),
            key,
        })
    }

    /// A certificate given directly (`--cert`): any role may sign with it, and it is matched
    /// to the header by serial alone.
    ///
    /// # Errors
    ///
    /// [`KeyProblem::CertificateUnparseable`] when the DER is not a certificate.
    pub fn from_certificate(der: &'c [u8]) -> Result<Self, KeyProblem> {
        let (_, certificate) = X509Certificate::from_der(der)
            .map_err(|error| KeyProblem::CertificateUnparseable(error.to_string()))?;
        let serial = Serial::from_der_integer(certificate.raw_serial())
            .as_bytes()
            .to_vec();
        Ok(SignerCandidate {
            origin: KeyOrigin::Certificate,
            role: None,
            serial: Serial::from_owned(serial),
            issuer: None,
            subject: None,
            key: KeySource::Certificate(der),
        })
    }

    /// Every record of `list` that can be a candidate, tagged with the list's number.
    pub fn all_of<'l>(
        number: usize,
        list: &'l TrustList<'c>,
    ) -> impl Iterator<Item = SignerCandidate<'c>> + 'l {
        list.records()
            .iter()
            .filter_map(move |record| SignerCandidate::from_record(number, record))
    }

    /// Decodes the key now rather than at each verification: for a candidate that will check
    /// many files (a phone's held records in a sweep). A key that does not decode stays as it
    /// is, so the problem is reported where it matters.
    #[must_use]
    pub fn with_decoded_key(mut self) -> Self {
        if let Ok(key) = self.rsa_key() {
            self.key = KeySource::Decoded(key);
        }
        self
    }

    /// The RSA key: from the certificate, else from the PUBLICKEY element.
    fn rsa_key(&self) -> Result<PublicKey, KeyProblem> {
        match &self.key {
            KeySource::Certificate(der) => {
                let (_, certificate) = X509Certificate::from_der(der)
                    .map_err(|error| KeyProblem::CertificateUnparseable(error.to_string()))?;
                PublicKey::from_public_key_der(certificate.public_key().raw)
                    .map_err(|error| KeyProblem::CertificateKeyNotRsa(error.to_string()))
            }
            KeySource::Pkcs1(pkcs1) => PublicKey::from_pkcs1_der(pkcs1)
                .map_err(|error| KeyProblem::PublicKeyNotRsa(error.to_string())),
            KeySource::Decoded(key) => Ok(key.clone()),
            KeySource::Missing => Err(KeyProblem::NoKey),
        }
    }
}

/// Why a signer's key cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
// Exhaustive on purpose: every report names every variant, and the compiler checks it
// across the crate boundary.
pub enum KeyProblem {
    /// The record's CERTIFICATE does not parse (the parser's reason).
    CertificateUnparseable(String),
    /// The certificate's key is not RSA (the decoder's reason).
    CertificateKeyNotRsa(String),
    /// The PUBLICKEY element is not a PKCS #1 RSA key (the decoder's reason).
    PublicKeyNotRsa(String),
    /// Neither CERTIFICATE nor PUBLICKEY.
    NoKey,
}

/// The signer a verification settled on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerRef {
    /// Where its key came from.
    pub origin: KeyOrigin,
    /// Its role.
    pub role: Option<Function>,
    /// Its subject as the writer spelled it (lossy UTF-8).
    pub subject: Option<String>,
    /// How it was matched to the header.
    pub matched: SignerMatch,
}

/// What a verification found, with the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
// Exhaustive on purpose: every report names every variant, and the compiler checks it
// across the crate boundary.
pub enum Outcome {
    /// The signature verifies.
    Verified {
        /// The header's digest.
        digest: DigestAlgorithm,
        /// The signer's key size.
        key_bits: usize,
    },
    /// The signature does not verify with the signer's key.
    SignatureMismatch,
    /// The header has no SIGNATURE element.
    NoSignature,
    /// The header names no signer (no SERIALNUMBER).
    NoSignerSerial,
    /// No candidate with an allowed role has the signer's serial.
    SignerNotFound {
        /// The header's SERIALNUMBER.
        serial: Serial<'static>,
        /// The header's SIGNERNAME.
        name: Option<String>,
        /// The roles that were allowed to sign.
        allowed: Vec<Function>,
    },
    /// A candidate has the signer's serial, but not a role allowed to sign this file.
    SignerHasOtherRole {
        /// The header's SERIALNUMBER.
        serial: Serial<'static>,
        /// The header's SIGNERNAME.
        name: Option<String>,
        /// The candidate found.
        origin: KeyOrigin,
        /// Its role.
        role: Option<Function>,
        /// The roles that were allowed to sign.
        allowed: Vec<Function>,
    },
    /// The signer was found but its key cannot be had.
    SignerKeyUnusable(KeyProblem),
    /// SIGNATUREALGORTITHM is not 0 (RSA), the only algorithm defined.
    SignatureAlgorithmUnsupported {
        /// The code found.
        code: u8,
    },
    /// The signature's size does not fit the signer's key (a certificate regenerated with
    /// the same serial and another key size, or a broken header).
    SignatureSizeMismatch {
        /// The SIGNATURE's size in bytes.
        signature_bytes: usize,
        /// The signer's key size.
        key_bits: usize,
    },
    /// No DIGESTALGORTITHM element (or not one byte).
    DigestMissing,
    /// A signed file was given no keys to check it with: the phone's lists or the signer's
    /// certificate would verify it.
    NoKeysGiven {
        /// The header's SERIALNUMBER.
        serial: Option<Serial<'static>>,
        /// The header's SIGNERNAME.
        name: Option<String>,
        /// Cisco firmware: signed by the key phones carry in their firmware.
        firmware: bool,
    },
    /// A digest code with no algorithm behind it.
    DigestUnsupported {
        /// The code found.
        code: u8,
    },
}

impl Outcome {
    /// A stable machine-readable name for the outcome.
    pub fn code(&self) -> &'static str {
        match self {
            Outcome::Verified { .. } => "signed",
            Outcome::SignatureMismatch => "signature_mismatch",
            Outcome::NoSignature => "no_signature",
            Outcome::NoSignerSerial => "no_signer_serial",
            Outcome::SignerNotFound { .. } => "signer_not_found",
            Outcome::SignerHasOtherRole { .. } => "signer_has_other_role",
            Outcome::SignerKeyUnusable(_) => "signer_key_unusable",
            Outcome::SignatureAlgorithmUnsupported { .. } => "signature_algorithm_unsupported",
            Outcome::SignatureSizeMismatch { .. } => "signature_size_mismatch",
            Outcome::DigestMissing => "digest_missing",
            Outcome::NoKeysGiven { firmware: true, .. } => "firmware_key_not_given",
            Outcome::NoKeysGiven { .. } => "no_keys_given",
            Outcome::DigestUnsupported { .. } => "digest_unsupported",
        }
    }
}

/// The outcome of checking a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Valid, invalid or unverifiable.
    pub status: SignatureStatus,
    /// The signer whose key was used, when one was found.
    pub signer: Option<SignerRef>,
    /// What was found.
    pub outcome: Outcome,
}

impl Verification {
    fn new(signer: Option<SignerRef>, outcome: Outcome) -> Self {
        let status = match outcome {
            Outcome::Verified { .. } => SignatureStatus::Valid,
            Outcome::SignatureMismatch => SignatureStatus::Invalid,
            _ => SignatureStatus::Unverifiable,
        };
        Verification {
            status,
            signer,
            outcome,
        }
    }

    /// Whether the signature is valid.
    pub fn is_valid(&self) -> bool {
        self.status == SignatureStatus::Valid
    }

    /// The number (from 1) of the record whose key was used, when the signer is a record.
    pub fn signer_record(&self) -> Option<usize> {
        match self.signer.as_ref()?.origin {
            KeyOrigin::Record { index, .. } => Some(index),
            KeyOrigin::Certificate => None,
        }
    }

    /// How the signer was matched, when one was found.
    pub fn signer_match(&self) -> Option<SignerMatch> {
        self.signer.as_ref().map(|signer| signer.matched)
    }
}

/// Checks a signed file that is not a trust list with `candidates` (the records of the lists
/// a phone holds, or a certificate given by hand) and the roles that sign configs; with no
/// candidates, says what would verify it.
pub fn verify_signed_file(
    file: &crate::file::signed_file::SignedFile<'_>,
    candidates: &[SignerCandidate<'_>],
) -> Verification {
    if candidates.is_empty() {
        let header = file.header();
        return Verification::new(
            None,
            Outcome::NoKeysGiven {
                serial: header.signer_serial().map(Serial::into_owned),
                name: header
                    .signer_name()
                    .map(|name| String::from_utf8_lossy(name).into_owned()),
                firmware: file.is_firmware(),
            },
        );
    }
    verify_header(file.header(), candidates, SIGNED_FILE_SIGNERS)
}

/// The roles that sign configs and other signed files: TFTP and CCM+TFTP (docs/FORMAT.md §9).
pub const SIGNED_FILE_SIGNERS: &[Function] = &[Function::CcmTftp, Function::Tftp];

/// The roles that sign a trust list: SAST records (docs/FORMAT.md §3).
pub const TRUST_LIST_SIGNERS: &[Function] = &[Function::Sast];

/// Checks a trust list's signature with the key of its own SAST record that the header names.
pub fn verify(list: &TrustList<'_>) -> Verification {
    let candidates: Vec<SignerCandidate<'_>> = SignerCandidate::all_of(0, list).collect();
    verify_header(list.header(), &candidates, TRUST_LIST_SIGNERS)
}

/// Checks the signature of the file `header` starts with, using the candidate whose serial
/// and issuer the header names and whose role is in `allowed`. A candidate with the serial
/// and another issuer is another certificate; one that names no issuer matches by serial.
///
/// When several candidates match (the same certificate in a held CTL and a held ITL), the
/// first that verifies wins; if none does, the first one's failure is reported.
pub fn verify_header(
    header: &Header<'_>,
    candidates: &[SignerCandidate<'_>],
    allowed: &[Function],
) -> Verification {
    let (Some(signature), Some(signed)) = (header.signature(), header.signed_bytes()) else {
        return Verification::new(None, Outcome::NoSignature);
    };
    let Some(serial) = header.signer_serial() else {
        return Verification::new(None, Outcome::NoSignerSerial);
    };
    let issuer = header.signer_issuer();
    let name = header
        .signer_name()
        .map(|name| String::from_utf8_lossy(name).into_owned());
    // A serial is unique only under its issuer: a certificate with the signer's serial from
    // another issuer is another certificate, not the signer (README, "Signers").
    let issuer_conflicts = |candidate: &SignerCandidate<'_>| match (issuer, candidate.issuer) {
        (Some(wanted), Some(found)) => !same_name(wanted, found),
        _ => false,
    };
    let same_serial = |candidate: &&SignerCandidate<'_>| {
        serial.matches(candidate.serial.as_bytes()) && !issuer_conflicts(candidate)
    };
    // A certificate given by hand is trusted for whatever it signed.
    let allowed_role = |candidate: &&SignerCandidate<'_>| {
        candidate.origin == KeyOrigin::Certificate
            || candidate.role.is_some_and(|role| allowed.contains(&role))
    };
    let issuer_matches =
        |candidate: &SignerCandidate<'_>| issuer.is_some() && candidate.issuer.is_some();
    let mut signers: Vec<(&SignerCandidate<'_>, SignerMatch)> = candidates
        .iter()
        .filter(same_serial)
        .filter(allowed_role)
        .map(|candidate| {
            let matched = if issuer_matches(candidate) {
                SignerMatch::SerialAndIssuer
            } else {
                SignerMatch::SerialOnly
            };
            (candidate, matched)
        })
        .collect();
    // Issuer matches first; the sort is stable, so file order decides among equals.
    signers.sort_by_key(|(_, matched)| *matched != SignerMatch::SerialAndIssuer);
    if signers.is_empty() {
        let outcome = match candidates.iter().find(same_serial) {
            Some(other) => Outcome::SignerHasOtherRole {
                serial: serial.into_owned(),
                name,
                origin: other.origin,
                role: other.role,
                allowed: allowed.to_vec(),
            },
            None => Outcome::SignerNotFound {
                serial: serial.into_owned(),
                name,
                allowed: allowed.to_vec(),
            },
        };
        return Verification::new(None, outcome);
    }
    let mut first_failure = None;
    for (candidate, matched) in signers {
        let verification = check_with(header, signature, signed, candidate, matched);
        if verification.is_valid() {
            return verification;
        }
        first_failure.get_or_insert(verification);
    }
    first_failure.unwrap_or_else(|| Verification::new(None, Outcome::NoSignature))
}

fn check_with(
    header: &Header<'_>,
    signature: &[u8],
    signed: SignedBytes<'_>,
    candidate: &SignerCandidate<'_>,
    matched: SignerMatch,
) -> Verification {
    let signer = SignerRef {
        origin: candidate.origin,
        role: candidate.role,
        subject: candidate
            .subject
            .map(|subject| String::from_utf8_lossy(subject).into_owned()),
        matched,
    };
    let done = |outcome| Verification::new(Some(signer.clone()), outcome);
    let key = match candidate.rsa_key() {
        Ok(key) => key,
        Err(problem) => return done(Outcome::SignerKeyUnusable(problem)),
    };
    if let Some(code) = header.signature_algorithm().filter(|&code| code != 0) {
        return done(Outcome::SignatureAlgorithmUnsupported { code });
    }
    let key_bytes = key.size();
    let key_bits = key_bytes.saturating_mul(8);
    if signature.len() != key_bytes {
        return done(Outcome::SignatureSizeMismatch {
            signature_bytes: signature.len(),
            key_bits,
        });
    }
    let Some(digest) = header.digest_algorithm() else {
        return done(Outcome::DigestMissing);
    };
    let verified = match digest {
        DigestAlgorithm::Sha1 => check::<Sha1>(&key, signed, signature),
        DigestAlgorithm::Sha256 => check::<Sha256>(&key, signed, signature),
        DigestAlgorithm::Sha512 => check::<Sha512>(&key, signed, signature),
        DigestAlgorithm::Other(code) => return done(Outcome::DigestUnsupported { code }),
    };
    if verified {
        done(Outcome::Verified { digest, key_bits })
    } else {
        done(Outcome::SignatureMismatch)
    }
}

/// Hashes the two signed slices without joining them, then checks the prehash.
fn check<D: Digest + rsa::pkcs8::AssociatedOid>(
    key: &PublicKey,
    signed: SignedBytes<'_>,
    signature: &[u8],
) -> bool {
    let mut hasher = D::new();
    hasher.update(signed.before);
    hasher.update(signed.after);
    let prehash = hasher.finalize();
    let Ok(signature) = Signature::try_from(signature) else {
        return false;
    };
    VerifyingKey::<D>::new(key.clone())
        .verify_prehash(&prehash, &signature)
        .is_ok()
}
