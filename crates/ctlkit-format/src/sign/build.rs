//! Writing new trust lists in CUCM's layout, element for element (docs/FORMAT.md §2–§4).
//!
//! The builder owns its data and knows the layout; the signature itself comes from a closure,
//! so the layout can be tested and used (fixtures, re-signing tools, HSMs) without this module
//! holding a private key.

use std::net::Ipv4Addr;
use std::sync::Arc;

use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey as CertificateKey;

use crate::cert::certificate::CertificateInfo;
use crate::cert::names::{common_name, cucm_name};
use crate::cert::serial::Serial;
use crate::file::header::{DigestAlgorithm, tag as header_tag};
use crate::file::record::{Function, Record, tag as record_tag};
use crate::file::signed_file::CiscoFile;
use crate::file::trust_list::TrustList;
use crate::sign::signature::{SignerCandidate, verify, verify_signed_file};
use crate::sign::signer::{RsaPublicParts, RsaSigner};
use crate::tlv::encode::{ValueTooLong, nul_terminated, put_element};

/// What a signer said when it would not sign, shared so a [`BuildError`] stays `Clone`; two
/// failures are equal when they are the same error.
#[derive(Debug, Clone)]
pub struct SigningFailure(Arc<dyn std::error::Error + Send + Sync + 'static>);

impl std::fmt::Display for SigningFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for SigningFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

impl SigningFailure {
    /// Keeps `error` as the source.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        SigningFailure(Arc::new(error))
    }
}

impl PartialEq for SigningFailure {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SigningFailure {}

/// Why a trust list could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A record, the header or an element would exceed the 65,535 bytes a 2-byte length can
    /// describe.
    #[error("{what} would be {size} bytes, more than a 2-byte length can hold")]
    TooLong {
        /// Which element or record.
        what: TooLongPart,
        /// The size it would have.
        size: usize,
    },
    /// A certificate given to the builder does not parse.
    #[error("certificate does not parse as X.509: {0}")]
    Certificate(String),
    /// The phone's certificate cannot be encrypted to (does not parse, or no RSA key).
    #[error("the phone's certificate: {0}")]
    PhoneCertificate(String),
    /// The signature size is not one SIGNATUREMODULUS can describe (512, 1024, 2048, 4096 bits).
    #[error("a {bits}-bit signature has no SIGNATUREMODULUS code (512, 1024, 2048 or 4096)")]
    UnsupportedModulus {
        /// The signature size in bits.
        bits: usize,
    },
    /// The signing closure returned a signature of another size than announced.
    #[error("the signer returned {found} bytes, the header announces {expected}")]
    SignatureLength {
        /// Bytes announced by SIGNATUREMODULUS.
        expected: usize,
        /// Bytes returned.
        found: usize,
    },
    /// The signer refused or failed; its own error is kept as the source (a token's "PIN
    /// locked" stays the token's error, not text).
    #[error("signing failed: {0}")]
    Signing(#[source] SigningFailure),
    /// The private key does not belong to the signer certificate.
    #[error("the signer's private key does not match its certificate's public key")]
    KeyMismatch,
    /// The signer certificate's key is not RSA.
    #[error("the signer certificate has no RSA key: {0}")]
    SignerNotRsa(String),
    /// A serial to drop that no record has.
    #[error("no record has serial {0}")]
    NoSuchSerial(Serial<'static>),
    /// The finished file did not parse or verify: a bug, never written out.
    #[error("the built file does not verify ({0}); nothing was written")]
    SelfCheck(&'static str),
}

/// What would not fit a 2-byte length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLongPart {
    /// An element with this tag.
    Element(u8),
    /// Record number N (from 1).
    Record(usize),
    /// The header.
    Header,
}

impl std::fmt::Display for TooLongPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TooLongPart::Element(tag) => write!(f, "element with tag {tag}"),
            TooLongPart::Record(index) => write!(f, "record {index}"),
            TooLongPart::Header => f.write_str("the header"),
        }
    }
}

impl From<ValueTooLong> for BuildError {
    fn from(error: ValueTooLong) -> Self {
        BuildError::TooLong {
            what: TooLongPart::Element(error.tag),
            size: error.size,
        }
    }
}

/// Something a person building a file should know; the file is built all the same.
#[derive(Debug, Clone, PartialEq, Eq)]
// Exhaustive on purpose: every report names every variant, and the compiler checks it
// across the crate boundary.
pub enum BuildWarning {
    /// Signed with SHA-1, which is weak (but the only digest every phone checks).
    WeakDigest,
    /// The signer's key is under 2048 bits.
    ShortSignerKey {
        /// Its size.
        bits: usize,
    },
    /// A certificate asked for is already listed with this role; it is kept once.
    AlreadyListed {
        /// The role.
        function: Function,
        /// Its subject in CUCM's style.
        subject: String,
    },
    /// SIGNERVERSION 1.1 was written because a record's key needs it (no version was asked
    /// for): phones are reported to take EC keys and RSA keys above 2048 bits only so.
    SignerVersionChosen {
        /// The first record's role whose key needs it.
        function: Function,
        /// Its subject in CUCM's style.
        subject: String,
        /// Its key (`EC 256 (prime256v1)`, `RSA 4096`).
        key: String,
    },
    /// A record's RSA key is under 2048 bits.
    ShortRecordKey {
        /// The record's role.
        function: Function,
        /// Its subject in CUCM's style.
        subject: String,
        /// Its size.
        bits: usize,
    },
}

/// A record to write: its elements in the order they will appear, RECORDLENGTH excluded
/// (it is computed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordBuilder {
    elements: Vec<(u8, Vec<u8>)>,
}

impl RecordBuilder {
    /// An empty record; add elements in file order with [`RecordBuilder::element`].
    pub fn new() -> Self {
        RecordBuilder::default()
    }

    /// A copy of an existing record, every element but RECORDLENGTH kept as found (unknown
    /// tags included): what `build --from` carries over.
    pub fn from_record(record: &Record<'_>) -> Self {
        RecordBuilder {
            elements: record
                .elements()
                .iter()
                .skip(1)
                .map(|element| (element.tag, element.value.to_vec()))
                .collect(),
        }
    }

    /// Appends an element (any tag, known or not).
    #[must_use]
    pub fn element(mut self, tag: u8, value: impl Into<Vec<u8>>) -> Self {
        self.elements.push((tag, value.into()));
        self
    }

    /// A record for `certificate_der` in CUCM's order: DNSNAME, SUBJECTNAME, FUNCTION,
    /// ISSUERNAME, SERIALNUMBER, PUBLICKEY, SIGNATURE, CERTIFICATE, IPADDRESS, with names in
    /// CUCM's `CN=…;OU=…;O=…;L=…;ST=…;C=…` style and the serial without its DER sign byte.
    ///
    /// # Errors
    ///
    /// [`BuildError::Certificate`] when the DER does not parse.
    pub fn from_certificate(
        certificate_der: &[u8],
        function: Function,
        dns_name: &str,
        ip_address: [u8; 4],
    ) -> Result<Self, BuildError> {
        let (_, certificate) = X509Certificate::from_der(certificate_der)
            .map_err(|error| BuildError::Certificate(error.to_string()))?;
        Ok(RecordBuilder::new()
            .element(record_tag::DNSNAME, nul_terminated(dns_name.as_bytes()))
            .element(
                record_tag::SUBJECTNAME,
                nul_terminated(cucm_name(certificate.subject()).as_bytes()),
            )
            .element(record_tag::FUNCTION, function.code().to_be_bytes())
            .element(
                record_tag::ISSUERNAME,
                nul_terminated(cucm_name(certificate.issuer()).as_bytes()),
            )
            .element(
                record_tag::SERIALNUMBER,
                Serial::from_der_integer(certificate.raw_serial()).as_bytes(),
            )
            .element(
                record_tag::PUBLICKEY,
                certificate.public_key().subject_public_key.data.to_vec(),
            )
            .element(
                record_tag::SIGNATURE,
                certificate.signature_value.data.to_vec(),
            )
            .element(record_tag::CERTIFICATE, certificate_der)
            .element(record_tag::IPADDRESS, ip_address))
    }

    /// The CERTIFICATE element's value, when the record has one.
    pub fn certificate(&self) -> Option<&[u8]> {
        self.elements
            .iter()
            .find(|(tag, _)| *tag == record_tag::CERTIFICATE)
            .map(|(_, value)| value.as_slice())
    }

    /// The FUNCTION element's role, when the record has a known one.
    pub fn function(&self) -> Option<Function> {
        self.elements
            .iter()
            .find(|(tag, _)| *tag == record_tag::FUNCTION)
            .and_then(|(_, value)| <[u8; 2]>::try_from(value.as_slice()).ok())
            .map(|code| Function::from_code(u16::from_be_bytes(code)))
    }

    fn write_to(&self, index: usize, out: &mut Vec<u8>) -> Result<(), BuildError> {
        let body: usize = self
            .elements
            .iter()
            .map(|(_, value)| value.len().saturating_add(3))
            .fold(0, usize::saturating_add);
        let total = body.saturating_add(5);
        let length = u16::try_from(total).map_err(|_| BuildError::TooLong {
            what: TooLongPart::Record(index),
            size: total,
        })?;
        put_element(out, record_tag::RECORDLENGTH, &length.to_be_bytes())?;
        for (tag, value) in &self.elements {
            put_element(out, *tag, value)?;
        }
        Ok(())
    }
}

/// Who signs, as the header names them (SIGNERID) and how (SIGNATUREINFO).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// SIGNERNAME, without the terminating NUL (added when written).
    pub name: Vec<u8>,
    /// SERIALNUMBER, as stored (magnitude, no sign byte).
    pub serial: Vec<u8>,
    /// CANAME, without the terminating NUL.
    pub issuer: Vec<u8>,
    /// DIGESTALGORTITHM.
    pub digest: DigestAlgorithm,
    /// Size of the signature in bits; must be 512, 1024, 2048 or 4096.
    pub signature_bits: usize,
}

impl SignerInfo {
    /// The signer block for a certificate, names in CUCM's `;` style.
    ///
    /// # Errors
    ///
    /// [`BuildError::Certificate`] when the DER does not parse.
    pub fn from_certificate(
        certificate_der: &[u8],
        digest: DigestAlgorithm,
        signature_bits: usize,
    ) -> Result<Self, BuildError> {
        let (_, certificate) = X509Certificate::from_der(certificate_der)
            .map_err(|error| BuildError::Certificate(error.to_string()))?;
        Ok(SignerInfo {
            name: cucm_name(certificate.subject()).into_bytes(),
            serial: Serial::from_der_integer(certificate.raw_serial())
                .as_bytes()
                .to_vec(),
            issuer: cucm_name(certificate.issuer()).into_bytes(),
            digest,
            signature_bits,
        })
    }
}

/// A whole trust list to write: VERSION 1.2, the signer block, signature info, SIGNATURE,
/// FILENAME, TIMESTAMP, padding to a multiple of 4, then the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustListBuilder {
    /// Who signs and how.
    pub signer: SignerInfo,
    /// FILENAME, without the terminating NUL (e.g. `CTLFile.tlv`).
    pub filename: String,
    /// TIMESTAMP, seconds since 1970.
    pub timestamp: u32,
    /// SIGNERVERSION (tag 28), when written: phones are reported to need 1.1 before they take
    /// EC keys or RSA keys above 2048 bits, and a phone holding an ITL of 1.1 fetches its config
    /// over HTTPS first (docs/FORMAT.md §15).
    pub signer_version: Option<(u8, u8)>,
    /// The records in order.
    pub records: Vec<RecordBuilder>,
}

impl TrustListBuilder {
    /// Lays out the file, asks `sign` for the signature over everything but the SIGNATURE
    /// element (docs/FORMAT.md §4), and returns the finished bytes.
    ///
    /// # Errors
    ///
    /// [`BuildError`] when a length overflows, the modulus has no code, or `sign` fails or
    /// returns a signature of the wrong size.
    pub fn build<E: std::error::Error + Send + Sync + 'static>(
        &self,
        sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, BuildError> {
        let mut records = Vec::new();
        for (position, record) in self.records.iter().enumerate() {
            record.write_to(position.saturating_add(1), &mut records)?;
        }
        SignedFileBuilder {
            version: (1, 2),
            signer_version: self.signer_version,
            signer: self.signer.clone(),
            filename: self.filename.clone(),
            timestamp: Some(self.timestamp),
            extra_header: Vec::new(),
            payload: records,
        }
        .build(sign)
    }
}

/// Any signed file to write (docs/FORMAT.md §9): the signed header in CUCM's layout, then a
/// payload — a config, a load list, or a trust list's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedFileBuilder {
    /// VERSION: 1.2 for trust lists, 1.0 / 1.1 / 2.0 for other signed files.
    pub version: (u8, u8),
    /// SIGNERVERSION (tag 28), written after HEADERLENGTH as certutils' `tlvfile` writes it.
    pub signer_version: Option<(u8, u8)>,
    /// Who signs and how.
    pub signer: SignerInfo,
    /// FILENAME, without the terminating NUL; may carry a TFTP sub-folder.
    pub filename: String,
    /// TIMESTAMP, seconds since 1970; firmware has none.
    pub timestamp: Option<u32>,
    /// Header elements after FILENAME and TIMESTAMP, already encoded (an encrypted config's
    /// tags 16–27), kept before the padding.
    pub extra_header: Vec<u8>,
    /// Everything after the header.
    pub payload: Vec<u8>,
}

impl SignedFileBuilder {
    /// Lays out the file, asks `sign` for the signature over everything but the SIGNATURE
    /// element, and returns the finished bytes.
    ///
    /// # Errors
    ///
    /// [`BuildError`] when a length overflows, the modulus has no code, or `sign` fails or
    /// returns a signature of the wrong size.
    pub fn build<E: std::error::Error + Send + Sync + 'static>(
        &self,
        sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, BuildError> {
        let modulus_code = match self.signer.signature_bits {
            512 => 0u8,
            1024 => 1,
            2048 => 2,
            4096 => 3,
            bits => return Err(BuildError::UnsupportedModulus { bits }),
        };
        let signature_length = self.signer.signature_bits / 8;

        // A container is written as an element whose value is its children: same bytes.
        let mut signer_id = Vec::new();
        put_element(
            &mut signer_id,
            header_tag::SIGNERNAME,
            &nul_terminated(&self.signer.name),
        )?;
        put_element(
            &mut signer_id,
            header_tag::SERIALNUMBER,
            &self.signer.serial,
        )?;
        put_element(
            &mut signer_id,
            header_tag::CANAME,
            &nul_terminated(&self.signer.issuer),
        )?;

        let mut algorithm_info = Vec::new();
        put_element(&mut algorithm_info, header_tag::SIGNATUREALGORTITHM, &[0])?;
        put_element(
            &mut algorithm_info,
            header_tag::SIGNATUREMODULUS,
            &[modulus_code],
        )?;
        let mut signature_info = Vec::new();
        put_element(
            &mut signature_info,
            header_tag::DIGESTALGORTITHM,
            &[self.signer.digest.code()],
        )?;
        put_element(
            &mut signature_info,
            header_tag::SIGNATUREALGOINFO,
            &algorithm_info,
        )?;

        // After the signature: FILENAME, TIMESTAMP, extra elements, then padding and payload.
        let mut after = Vec::new();
        put_element(
            &mut after,
            header_tag::FILENAME,
            &nul_terminated(self.filename.as_bytes()),
        )?;
        if let Some(timestamp) = self.timestamp {
            put_element(&mut after, header_tag::TIMESTAMP, &timestamp.to_be_bytes())?;
        }
        after.extend_from_slice(&self.extra_header);

        // Every element's size is known now, so HEADERLENGTH is written once, in place.
        let element_size = |value_length: usize| value_length.saturating_add(3);
        let signer_version_size = self.signer_version.map_or(0, |_| element_size(2));
        let unpadded = [
            element_size(2),
            element_size(2),
            signer_version_size,
            element_size(signer_id.len()),
            element_size(signature_info.len()),
            element_size(signature_length),
            after.len(),
        ]
        .into_iter()
        .fold(0, usize::saturating_add);
        let padding = unpadded.next_multiple_of(4).saturating_sub(unpadded);
        let header_length = unpadded.saturating_add(padding);
        let header_length_field =
            u16::try_from(header_length).map_err(|_| BuildError::TooLong {
                what: TooLongPart::Header,
                size: header_length,
            })?;
        after.extend(std::iter::repeat_n(header_tag::PADDING, padding));
        after.extend_from_slice(&self.payload);

        // Before the signature: VERSION, HEADERLENGTH, SIGNERID, SIGNATUREINFO.
        let mut before = Vec::new();
        let (major, minor) = self.version;
        put_element(&mut before, header_tag::VERSION, &[major, minor])?;
        put_element(
            &mut before,
            header_tag::HEADERLENGTH,
            &header_length_field.to_be_bytes(),
        )?;
        if let Some((major, minor)) = self.signer_version {
            put_element(&mut before, header_tag::SIGNERVERSION, &[major, minor])?;
        }
        put_element(&mut before, header_tag::SIGNERID, &signer_id)?;
        put_element(&mut before, header_tag::SIGNATUREINFO, &signature_info)?;

        let mut signed = Vec::with_capacity(before.len().saturating_add(after.len()));
        signed.extend_from_slice(&before);
        signed.extend_from_slice(&after);
        let signature =
            sign(&signed).map_err(|error| BuildError::Signing(SigningFailure::new(error)))?;
        if signature.len() != signature_length {
            return Err(BuildError::SignatureLength {
                expected: signature_length,
                found: signature.len(),
            });
        }

        let mut file = before;
        put_element(&mut file, header_tag::SIGNATURE, &signature)?;
        file.extend_from_slice(&after);
        Ok(file)
    }
}

/// The node a certificate belongs to, as CUCM names its certificates: `HOST` (CallManager),
/// `HOST-EC` (CallManager-ECDSA), `HOST-tvs` (TVS), `ITLRECOVERY_HOST`; a CAPF certificate
/// (`CAPF-…`) is the publisher's, the first of `addresses`. CUCM writes that node's host name
/// and address in each of its records (docs/FORMAT.md §10).
fn node_address<'a>(
    common_name: &str,
    function: Function,
    addresses: &'a [(String, Ipv4Addr)],
) -> Option<&'a (String, Ipv4Addr)> {
    let lower = common_name.to_ascii_lowercase();
    let host = lower
        .strip_prefix("itlrecovery_")
        .or_else(|| lower.strip_suffix("-tvs"))
        .or_else(|| lower.strip_suffix("-ec"))
        .unwrap_or(&lower);
    addresses
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(host) || name.eq_ignore_ascii_case(&lower))
        .or_else(|| {
            let capf = function == Function::Capf || lower.starts_with("capf-");
            capf.then(|| addresses.first()).flatten()
        })
}

/// The signer key's size in bits, once it is known to belong to the signer's certificate.
fn signer_key_bits(certificate_der: &[u8], key: &dyn RsaSigner) -> Result<usize, BuildError> {
    let (_, signer_certificate) = X509Certificate::from_der(certificate_der)
        .map_err(|error| BuildError::Certificate(error.to_string()))?;
    let certificate_key = match signer_certificate.public_key().parsed() {
        Ok(CertificateKey::RSA(rsa)) => RsaPublicParts::new(rsa.modulus, rsa.exponent),
        Ok(_) => return Err(BuildError::SignerNotRsa("another algorithm".to_owned())),
        Err(error) => return Err(BuildError::SignerNotRsa(error.to_string())),
    };
    let signer_key = key
        .public_key()
        .map_err(|error| BuildError::Signing(SigningFailure::new(error)))?;
    if certificate_key != signer_key {
        return Err(BuildError::KeyMismatch);
    }
    Ok(signer_key.signature_bits())
}

/// What a person should hear about a signer: a weak digest, a short key.
fn signer_warnings(digest: DigestAlgorithm, signature_bits: usize) -> Vec<BuildWarning> {
    let mut warnings = Vec::new();
    if digest == DigestAlgorithm::Sha1 {
        warnings.push(BuildWarning::WeakDigest);
    }
    if signature_bits < 2048 {
        warnings.push(BuildWarning::ShortSignerKey {
            bits: signature_bits,
        });
    }
    warnings
}

/// A payload (a config, a tone file, a load list) to sign as the TFTP server does.
#[derive(Debug, Clone)]
pub struct SignRequest<'r> {
    /// The signer's certificate, DER: the TFTP node's CallManager.pem.
    pub signer_certificate: &'r [u8],
    /// Its private key: a PEM key, a token's, anything that signs.
    pub signer_key: &'r dyn RsaSigner,
    /// DIGESTALGORTITHM.
    pub digest: DigestAlgorithm,
    /// FILENAME (may carry a TFTP sub-folder).
    pub filename: String,
    /// TIMESTAMP; `None` writes none.
    pub timestamp: Option<u32>,
    /// The bytes to sign.
    pub payload: &'r [u8],
}

/// Signs a payload into a `.sgn` in CUCM's header layout (VERSION 1.0, docs/FORMAT.md §9), then
/// checks that the result parses as a signed file and verifies with the signer's certificate.
///
/// # Errors
///
/// [`BuildError`] for a key that does not match the certificate or has no modulus code, a
/// certificate that does not parse, a length overflow, or (never expected) a result that does
/// not verify.
pub fn sign_payload(request: &SignRequest<'_>) -> Result<Built, BuildError> {
    sign_file(request, (1, 0), Vec::new(), request.payload.to_vec())
}

/// Lays out, signs and checks one signed file.
pub(crate) fn sign_file(
    request: &SignRequest<'_>,
    version: (u8, u8),
    extra_header: Vec<u8>,
    payload: Vec<u8>,
) -> Result<Built, BuildError> {
    let signature_bits = signer_key_bits(request.signer_certificate, request.signer_key)?;
    let warnings = signer_warnings(request.digest, signature_bits);
    let bytes = SignedFileBuilder {
        version,
        signer_version: None,
        signer: SignerInfo::from_certificate(
            request.signer_certificate,
            request.digest,
            signature_bits,
        )?,
        filename: request.filename.clone(),
        timestamp: request.timestamp,
        extra_header,
        payload,
    }
    .build(|data| request.signer_key.sign(request.digest, data))?;
    let file = match CiscoFile::parse(&bytes) {
        Ok(CiscoFile::Signed(file)) => file,
        _ => return Err(BuildError::SelfCheck("does not parse as a signed file")),
    };
    let candidate = SignerCandidate::from_certificate(request.signer_certificate)
        .map_err(|_| BuildError::SelfCheck("the signer certificate does not parse"))?;
    let verification = verify_signed_file(&file, &[candidate]);
    if !verification.is_valid() {
        return Err(BuildError::SelfCheck(verification.outcome.code()));
    }
    Ok(Built { bytes, warnings })
}

/// A trust list to make from certificates, as the CTL client or `utils ctl update` does.
#[derive(Debug, Clone)]
pub struct BuildRequest<'r> {
    /// The signer's certificate, DER; it becomes the first SAST record unless already listed.
    pub signer_certificate: &'r [u8],
    /// The signer's private key (a PEM key, a token's); its size decides SIGNATUREMODULUS.
    pub signer_key: &'r dyn RsaSigner,
    /// DIGESTALGORTITHM.
    pub digest: DigestAlgorithm,
    /// Certificates (DER) to list, with their roles, in order.
    pub certificates: Vec<(Function, Vec<u8>)>,
    /// An existing file whose records are kept (the update the CTL client does).
    pub existing: Option<&'r TrustList<'r>>,
    /// Serials of existing records to leave out.
    pub drop_serials: &'r [Serial<'r>],
    /// FILENAME.
    pub filename: String,
    /// TIMESTAMP.
    pub timestamp: u32,
    /// Host name to IPv4 address, the publisher first: every record of that node's
    /// certificates (CN `HOST`, `HOST-EC`, `HOST-tvs`, `ITLRECOVERY_HOST`; CAPF is the
    /// publisher's) gets that DNSNAME and IPADDRESS, as CUCM writes them.
    pub addresses: &'r [(String, Ipv4Addr)],
    /// SIGNERVERSION (tag 28) to write; `None` lets the builder choose: 1.1 when a record's
    /// key needs it (EC, RSA above 2048 bits), else none, as CUCM writes RSA-2048 lists.
    pub signer_version: Option<(u8, u8)>,
}

/// A finished file and what its maker should be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    /// The file's bytes; they verify.
    pub bytes: Vec<u8>,
    /// What a person should know (weak digest, short keys, duplicates skipped).
    pub warnings: Vec<BuildWarning>,
}

/// Builds and signs a trust list in CUCM's layout, then checks the result verifies.
///
/// # Errors
///
/// [`BuildError`] for a key that does not match the signer certificate or has no modulus
/// code, a certificate that does not parse, a `drop_serials` entry no record has, a length
/// overflow, or (never expected) a result that does not verify.
pub fn build_trust_list(request: &BuildRequest<'_>) -> Result<Built, BuildError> {
    let key = request.signer_key;
    let signature_bits = signer_key_bits(request.signer_certificate, key)?;
    let mut warnings = signer_warnings(request.digest, signature_bits);

    let mut kept: Vec<RecordBuilder> = Vec::new();
    let mut listed: Vec<(Function, Serial<'_>)> = Vec::new();
    if let Some(existing) = request.existing {
        let has_serial = |record: &Record<'_>, serial: &Serial<'_>| {
            record.serial_number().as_ref() == Some(serial)
        };
        for serial in request.drop_serials {
            if !existing
                .records()
                .iter()
                .any(|record| has_serial(record, serial))
            {
                return Err(BuildError::NoSuchSerial(serial.clone().into_owned()));
            }
        }
        for record in existing.records() {
            if request
                .drop_serials
                .iter()
                .any(|dropped| has_serial(record, dropped))
            {
                continue;
            }
            if let (Some(function), Some(serial)) = (record.function(), record.serial_number()) {
                listed.push((function, serial));
            }
            kept.push(RecordBuilder::from_record(record));
        }
    } else if let Some(serial) = request.drop_serials.first() {
        return Err(BuildError::NoSuchSerial(serial.clone().into_owned()));
    }

    let mut added: Vec<RecordBuilder> = Vec::new();
    let signer_listed = request.certificates.iter().any(|(function, der)| {
        *function == Function::Sast && der.as_slice() == request.signer_certificate
    });
    let mut wanted: Vec<(Function, &[u8])> = Vec::new();
    if !signer_listed {
        wanted.push((Function::Sast, request.signer_certificate));
    }
    wanted.extend(
        request
            .certificates
            .iter()
            .map(|(function, der)| (*function, der.as_slice())),
    );
    let mut first_added = Vec::new();
    for (function, der) in wanted {
        let (_, certificate) = X509Certificate::from_der(der)
            .map_err(|error| BuildError::Certificate(error.to_string()))?;
        let serial = Serial::from_der_integer(certificate.raw_serial()).into_owned();
        let subject = cucm_name(certificate.subject());
        if listed
            .iter()
            .any(|(present, other)| *present == function && *other == serial)
        {
            warnings.push(BuildWarning::AlreadyListed { function, subject });
            continue;
        }
        if let Ok(parsed) = certificate.public_key().parsed() {
            let bits = parsed.key_size();
            if matches!(parsed, x509_parser::public_key::PublicKey::RSA(_)) && bits < 2048 {
                warnings.push(BuildWarning::ShortRecordKey {
                    function,
                    subject: subject.clone(),
                    bits,
                });
            }
        }
        let common_name = common_name(certificate.subject());
        let address = node_address(common_name, function, request.addresses);
        let dns_name = match (address, function) {
            (Some((name, _)), _) => name.as_str(),
            (None, Function::Sast) => "",
            (None, _) => common_name,
        };
        let ip = address.map_or([0; 4], |(_, ip)| ip.octets());
        let record = RecordBuilder::from_certificate(der, function, dns_name, ip)?;
        listed.push((function, serial));
        // The signer's own SAST record goes first, as CUCM writes it.
        if function == Function::Sast && der == request.signer_certificate {
            first_added.push(record);
        } else {
            added.push(record);
        }
    }

    let mut records = first_added;
    records.extend(kept);
    records.extend(added);
    let signer_version = match request.signer_version {
        Some(version) => Some(version),
        None => {
            let needing = records.iter().find_map(|record| {
                let der = record.certificate()?;
                let info = CertificateInfo::from_der(der).ok()?;
                let needs = info.key.needs_signer_version_1_1();
                needs.then_some((record, der, info))
            });
            needing.map(|(record, der, info)| {
                let subject = X509Certificate::from_der(der)
                    .map(|(_, certificate)| cucm_name(certificate.subject()))
                    .unwrap_or_default();
                warnings.push(BuildWarning::SignerVersionChosen {
                    function: record.function().unwrap_or(Function::Sast),
                    subject,
                    key: info.key.to_string(),
                });
                (1, 1)
            })
        }
    };
    let builder = TrustListBuilder {
        signer: SignerInfo::from_certificate(
            request.signer_certificate,
            request.digest,
            signature_bits,
        )?,
        filename: request.filename.clone(),
        timestamp: request.timestamp,
        signer_version,
        records,
    };
    let bytes = builder.build(|data| key.sign(request.digest, data))?;
    let list = TrustList::parse(&bytes).map_err(|_| BuildError::SelfCheck("does not parse"))?;
    let verification = verify(&list);
    if !verification.is_valid() {
        return Err(BuildError::SelfCheck(verification.outcome.code()));
    }
    Ok(Built { bytes, warnings })
}
