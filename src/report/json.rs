//! The JSON reports: a stable schema for scripts (documented in the README). Field names are
//! part of the interface; add fields, never rename or remove them.

use serde::Serialize;

use super::show::ShowReport;
use super::words::{verification_sentence, warning_kind_sentence, warning_sentence};
use super::{Render, ReportContext};
use crate::judge::inspect::{Inspection, RecordCertificate};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::header::Header;
use ctlkit_format::file::record::Record;
use ctlkit_format::sign::signature::Verification;
use ctlkit_format::timefmt::{from_timestamp, rfc3339};
use ctlkit_format::tlv::element::Element;
use ctlkit_format::tlv::error::ParseError;
use ctlkit_format::tlv::warning::Warning;

/// `ctlkit show --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShowJson {
    /// `"CTL"` or `"ITL"`.
    pub kind: String,
    /// The file as a whole.
    pub file: FileJson,
    /// The header.
    pub header: HeaderJson,
    /// The records, in file order.
    pub records: Vec<RecordJson>,
    /// Oddities that did not stop parsing.
    pub warnings: Vec<WarningJson>,
    /// The signature checked against the file's own signer record.
    pub verification: VerificationJson,
    /// Who signed: `etoken`, `itlrecovery`, `callmanager`, `third_party`.
    pub signer_class: &'static str,
}

/// The file as a whole.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileJson {
    /// The path as given (`-` for standard input).
    pub path: String,
    /// Size in bytes.
    pub length: usize,
    /// Checksums, lower-case hex.
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// Modification time, RFC 3339 UTC, or null.
    pub modified: Option<String>,
}

/// The header's facts.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeaderJson {
    /// `"1.2"`.
    pub version: String,
    /// HEADERLENGTH.
    pub header_length: u16,
    /// Tag 28, `"1.0"` or null.
    pub signer_version: Option<String>,
    /// Who signed.
    pub signer: SignerJson,
    /// `"SHA-1"`, `"SHA-256"`, `"SHA-512"`, `"unknown digest N"`, or null.
    pub digest: Option<String>,
    /// SIGNATUREALGORTITHM code (0 = RSA), or null.
    pub signature_algorithm: Option<u8>,
    /// SIGNATUREMODULUS as bits, or null.
    pub signature_modulus_bits: Option<u32>,
    /// Size of the SIGNATURE value in bytes, or null when absent.
    pub signature_length: Option<usize>,
    /// FILENAME, or null.
    pub filename: Option<String>,
    /// TIMESTAMP, RFC 3339 UTC, or null.
    pub timestamp: Option<String>,
    /// Header elements with tags the format does not define.
    pub unknown_tags: Vec<UnknownTagJson>,
}

/// The signer as the header names it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SignerJson {
    /// SIGNERNAME.
    pub name: Option<String>,
    /// SERIALNUMBER, upper-case hex pairs joined by `:`.
    pub serial: Option<String>,
    /// CANAME.
    pub issuer: Option<String>,
}

/// One record.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordJson {
    /// Record number, from 1.
    pub index: usize,
    /// Byte offset in the file.
    pub offset: usize,
    /// RECORDLENGTH.
    pub length: u16,
    /// `"SAST"`, `"CCM"`, `"CCM+TFTP"`, `"TFTP"`, `"CAPF"`, `"APP-SERVER"`, `"TVS"`, the code
    /// as a string for other codes, or null without a FUNCTION.
    pub function: Option<String>,
    /// FUNCTION code.
    pub function_code: Option<u16>,
    /// DNSNAME.
    pub dns_name: Option<String>,
    /// SUBJECTNAME as the writer spelled it.
    pub subject: Option<String>,
    /// ISSUERNAME as the writer spelled it.
    pub issuer: Option<String>,
    /// SERIALNUMBER, upper-case hex pairs joined by `:`, exactly as stored.
    pub serial: Option<String>,
    /// IPADDRESS, dotted (or IPv6) text.
    pub ip_address: Option<String>,
    /// Size of PUBLICKEY in bytes.
    pub public_key_length: Option<usize>,
    /// CERTHASH, lower-case hex.
    pub certificate_hash: Option<String>,
    /// HASH ALGORITHM of CERTHASH.
    pub certificate_hash_algorithm: Option<String>,
    /// The certificate, or null when the record has none.
    pub certificate: Option<CertificateJson>,
    /// Record elements with tags the format does not define.
    pub unknown_tags: Vec<UnknownTagJson>,
}

/// A record's certificate.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CertificateJson {
    /// DER size.
    pub length: usize,
    /// SHA-1 of the DER, lower-case hex.
    pub sha1: String,
    /// SHA-256 of the DER, lower-case hex.
    pub sha256: String,
    /// Subject DN from the certificate, or null when it does not parse.
    pub subject_dn: Option<String>,
    /// Issuer DN from the certificate.
    pub issuer_dn: Option<String>,
    /// Serial from the certificate, upper-case hex pairs.
    pub serial: Option<String>,
    /// RFC 3339 UTC.
    pub not_before: Option<String>,
    /// RFC 3339 UTC.
    pub not_after: Option<String>,
    /// Whether `not_after` is in the past.
    pub expired: Option<bool>,
    /// `"RSA 2048"`, `"EC 256 (prime256v1)"`.
    pub key: Option<String>,
    /// Short name or OID of the certificate's signature algorithm.
    pub signature_algorithm: Option<String>,
    /// Why the certificate does not parse, or null.
    pub error: Option<String>,
}

/// An element the format does not define.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnknownTagJson {
    /// The tag.
    pub tag: u8,
    /// Byte offset in the file.
    pub offset: usize,
    /// Declared length.
    pub length: u16,
    /// The value, lower-case hex.
    pub value: String,
}

/// A warning.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WarningJson {
    /// `"header"`, `"record N"` or `"file"`.
    pub place: String,
    /// Byte offset.
    pub offset: usize,
    /// A stable name for the kind of oddity (`unknown_tag`, `duplicate_element`…).
    pub code: String,
    /// The whole one-line message.
    pub message: String,
}

impl WarningJson {
    /// The JSON form of a warning.
    pub fn of(warning: &Warning) -> Self {
        WarningJson {
            place: warning.place.to_string(),
            offset: warning.offset,
            code: warning.kind.code().to_owned(),
            message: warning_sentence(warning),
        }
    }
}

impl HeaderJson {
    /// The JSON form of any signed header.
    pub fn of(header: &Header<'_>) -> Self {
        let (major, minor) = header.version();
        HeaderJson {
            version: format!("{major}.{minor}"),
            header_length: header.length(),
            signer_version: header
                .signer_version()
                .map(|(major, minor)| format!("{major}.{minor}")),
            signer: SignerJson {
                name: header.signer_name().map(lossy),
                serial: header.signer_serial().map(|serial| serial.to_string()),
                issuer: header.signer_issuer().map(lossy),
            },
            digest: header.digest_algorithm().map(|digest| digest.to_string()),
            signature_algorithm: header.signature_algorithm(),
            signature_modulus_bits: header.signature_modulus_bits(),
            signature_length: header.signature().map(<[u8]>::len),
            filename: header.filename().map(lossy),
            timestamp: header.timestamp().and_then(from_timestamp).map(rfc3339),
            unknown_tags: header.unknown_elements().map(unknown_tag).collect(),
        }
    }
}

/// The signature verdict.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerificationJson {
    /// `"valid"`, `"invalid"` or `"unverifiable"`.
    pub status: String,
    /// Number of the record whose key was used, or null.
    pub signer_record: Option<usize>,
    /// `"serial_and_issuer"`, `"serial_only"`, or null.
    pub signer_match: Option<String>,
    /// A stable name for the outcome (`signed`, `signature_mismatch`, `signer_not_found`…).
    pub code: String,
    /// Why, in one sentence.
    pub reason: String,
}

impl VerificationJson {
    /// The JSON form of a verification.
    pub fn of(verification: &Verification) -> Self {
        VerificationJson {
            status: verification.status.as_str().to_owned(),
            signer_record: verification.signer_record(),
            signer_match: verification
                .signer_match()
                .map(|matched| matched.as_str().to_owned()),
            code: verification.outcome.code().to_owned(),
            reason: verification_sentence(verification),
        }
    }
}

/// Builds the `show --format json` document.
pub(crate) fn show_json(inspection: &Inspection<'_, '_>, context: &ReportContext<'_>) -> ShowJson {
    let list = inspection.trust_list;
    let header = list.header();
    let sums = &inspection.checksums;
    ShowJson {
        kind: context.kind.to_string(),
        file: FileJson {
            path: context.path.to_owned(),
            length: list.as_bytes().len(),
            md5: sums.md5_hex(),
            sha1: sums.sha1_hex(),
            sha256: sums.sha256_hex(),
            modified: context.modified.map(rfc3339),
        },
        header: HeaderJson::of(header),
        records: list
            .records()
            .iter()
            .zip(&inspection.certificates)
            .map(|(record, certificate)| record_json(record, certificate.as_ref(), context))
            .collect(),
        warnings: inspection.warnings.iter().map(WarningJson::of).collect(),
        verification: VerificationJson::of(&inspection.verification),
        signer_class: inspection.signer_class.code(),
    }
}

fn record_json(
    record: &Record<'_>,
    certificate: Option<&RecordCertificate>,
    context: &ReportContext<'_>,
) -> RecordJson {
    let function = record.function();
    RecordJson {
        index: record.index(),
        offset: record.offset(),
        length: record.length(),
        function: function.map(|function| function.to_string()),
        function_code: function.map(|function| function.code()),
        dns_name: record.dns_name().map(lossy),
        subject: record.subject_name().map(lossy),
        issuer: record.issuer_name().map(lossy),
        serial: record.serial_number().map(|serial| serial.to_string()),
        ip_address: record.ip_address().map(|address| address.to_string()),
        public_key_length: record.public_key().map(<[u8]>::len),
        certificate_hash: record.certificate_hash().map(hex::encode),
        certificate_hash_algorithm: record
            .certificate_hash_algorithm()
            .map(|digest| digest.to_string()),
        certificate: certificate.map(|certificate| certificate_json(certificate, context)),
        unknown_tags: record.unknown_elements().map(unknown_tag).collect(),
    }
}

fn certificate_json(
    certificate: &RecordCertificate,
    context: &ReportContext<'_>,
) -> CertificateJson {
    let info = certificate.info.as_ref().ok();
    CertificateJson {
        length: certificate.length,
        sha1: hex::encode(certificate.sha1),
        sha256: hex::encode(certificate.sha256),
        subject_dn: info.map(|info| info.subject_dn.clone()),
        issuer_dn: info.map(|info| info.issuer_dn.clone()),
        serial: info.map(|info| info.serial.to_string()),
        not_before: info.map(|info| rfc3339(info.not_before)),
        not_after: info.map(|info| rfc3339(info.not_after)),
        expired: info.map(|info| info.is_expired_at(context.now)),
        key: info.map(|info| info.key.to_string()),
        signature_algorithm: info.map(|info| info.signature_algorithm.clone()),
        error: certificate.info.as_ref().err().map(warning_kind_sentence),
    }
}

fn unknown_tag(element: &Element<'_>) -> UnknownTagJson {
    UnknownTagJson {
        tag: element.tag,
        offset: element.offset,
        length: element.length,
        value: hex::encode(element.value),
    }
}

pub(crate) fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One file of `ctlkit hash --format json`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HashEntry {
    /// The path as given.
    pub path: String,
    /// Size in bytes.
    pub length: usize,
    /// MD5, lower-case hex.
    pub md5: String,
    /// SHA-1, lower-case hex.
    pub sha1: String,
    /// SHA-256, lower-case hex.
    pub sha256: String,
    /// With `--certhash`: the digest of the file's certificate (DER), base64, as certutils'
    /// certhash prints it and a config's `<certHash>` holds; else null.
    pub certificate_hash: Option<String>,
    /// Its digest (`sha1`, `sha256`, `sha512`), or null.
    pub certificate_hash_digest: Option<&'static str>,
}

impl HashEntry {
    /// The entry for a file with these checksums.
    pub fn new(path: &str, length: usize, checksums: &Checksums) -> Self {
        HashEntry {
            path: path.to_owned(),
            length,
            md5: checksums.md5_hex(),
            sha1: checksums.sha1_hex(),
            sha256: checksums.sha256_hex(),
            certificate_hash: None,
            certificate_hash_digest: None,
        }
    }
}

/// `ctlkit hash`: the checksums of every file that could be read.
#[derive(Debug, Clone, Default)]
pub struct HashReport {
    /// One per file, in the order given.
    pub entries: Vec<HashEntry>,
}

impl Render for HashReport {
    type Json = Vec<HashEntry>;

    /// `<md5>  <sha1>  <sha256>  FILE` per line, md5sum style; `<base64>  FILE` for certificate
    /// hashes.
    fn text(&self, _color: bool) -> String {
        self.entries
            .iter()
            .map(|entry| {
                if let Some(hash) = &entry.certificate_hash {
                    return format!(
                        "{hash}  {}\n",
                        ctlkit_format::text::printable(entry.path.as_bytes())
                    );
                }
                format!(
                    "{}  {}  {}  {}\n",
                    entry.md5,
                    entry.sha1,
                    entry.sha256,
                    ctlkit_format::text::printable(entry.path.as_bytes())
                )
            })
            .collect()
    }

    fn json(&self) -> Vec<HashEntry> {
        self.entries.clone()
    }
}

impl Render for ShowReport<'_, '_> {
    type Json = ShowJson;

    fn text(&self, _color: bool) -> String {
        super::show::show_text(self.inspection, &self.context)
    }

    #[cfg(feature = "html")]
    fn html(&self) -> super::html::HtmlBody {
        super::html::show::show_page(&self.json(), self.context.now)
    }

    fn json(&self) -> ShowJson {
        show_json(self.inspection, &self.context)
    }
}

/// Where a damaged copy stops parsing.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DamageJson {
    /// `header`, `record N` or `file`.
    pub place: String,
    /// Byte offset of the element that is wrong.
    pub offset: usize,
    /// What is wrong with it.
    pub message: String,
}

impl DamageJson {
    /// The JSON of a parse error.
    pub fn of(error: &ParseError) -> Self {
        DamageJson {
            place: error.place.to_string(),
            offset: error.offset,
            message: error.kind.to_string(),
        }
    }
}

/// `show` of a damaged copy: everything read before the damage, then the damage.
#[derive(Debug, Clone, Copy)]
pub struct DamagedShowReport<'r, 'a> {
    /// The report of what could be read.
    pub show: ShowReport<'r, 'a>,
    /// Where and what.
    pub damage: &'r ParseError,
}

/// `show --format json` of a damaged copy: the usual document and `damage`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DamagedShowJson {
    /// What could be read.
    #[serde(flatten)]
    pub show: ShowJson,
    /// Where it stops.
    pub damage: DamageJson,
}

impl Render for DamagedShowReport<'_, '_> {
    type Json = DamagedShowJson;

    fn text(&self, color: bool) -> String {
        let mut out = self.show.text(color);
        out.push_str(&format!(
            "\nDAMAGED\n{}\n",
            super::words::damage_sentence(
                self.damage,
                self.show.inspection.verification.is_valid()
            )
        ));
        out
    }

    fn json(&self) -> DamagedShowJson {
        DamagedShowJson {
            show: self.show.json(),
            damage: DamageJson::of(self.damage),
        }
    }
}
