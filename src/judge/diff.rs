//! What changed between two trust lists (the phone's copy and the TFTP server's), and whether
//! a phone's checksum matches a file.

use std::fmt;

use ctlkit_format::cert::serial::Serial;
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::header::{DigestAlgorithm, Header};
use ctlkit_format::file::record::{Function, Record, tag};
use ctlkit_format::file::signed_file::SignedFile;
use ctlkit_format::file::trust_list::TrustList;
use ctlkit_format::text::printable;
use ctlkit_format::timefmt::from_timestamp;
use ctlkit_format::tlv::element::{Element, ElementName, Section};
use time::OffsetDateTime;

/// The header fields a diff compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderField {
    /// VERSION.
    Version,
    /// SIGNERNAME.
    SignerName,
    /// SERIALNUMBER.
    SignerSerial,
    /// CANAME.
    SignerIssuer,
    /// DIGESTALGORTITHM.
    Digest,
    /// FILENAME.
    Filename,
    /// TIMESTAMP.
    Timestamp,
    /// Tag 28, the signer version.
    SignerVersion,
}

impl HeaderField {
    /// Every field, in the order a diff lists them.
    pub const ALL: [HeaderField; 8] = [
        HeaderField::Version,
        HeaderField::SignerName,
        HeaderField::SignerSerial,
        HeaderField::SignerIssuer,
        HeaderField::Digest,
        HeaderField::Filename,
        HeaderField::Timestamp,
        HeaderField::SignerVersion,
    ];

    /// `version`, `signer_name`, `signer_serial`, `signer_issuer`, `digest`, `filename`,
    /// `timestamp`, `signer_version`.
    pub fn code(self) -> &'static str {
        match self {
            HeaderField::Version => "version",
            HeaderField::SignerName => "signer_name",
            HeaderField::SignerSerial => "signer_serial",
            HeaderField::SignerIssuer => "signer_issuer",
            HeaderField::Digest => "digest",
            HeaderField::Filename => "filename",
            HeaderField::Timestamp => "timestamp",
            HeaderField::SignerVersion => "signer_version",
        }
    }

    /// This field's value in `header`, when it has one.
    pub fn read(self, header: &Header<'_>) -> Option<HeaderValue> {
        match self {
            HeaderField::Version => {
                let (major, minor) = header.version();
                Some(HeaderValue::Version(major, minor))
            }
            HeaderField::SignerName => header
                .signer_name()
                .map(|name| HeaderValue::Text(name.to_vec())),
            HeaderField::SignerSerial => header
                .signer_serial()
                .map(|serial| HeaderValue::Serial(serial.into_owned())),
            HeaderField::SignerIssuer => header
                .signer_issuer()
                .map(|name| HeaderValue::Text(name.to_vec())),
            HeaderField::Digest => header.digest_algorithm().map(HeaderValue::Digest),
            HeaderField::Filename => header
                .filename()
                .map(|name| HeaderValue::Text(name.to_vec())),
            HeaderField::Timestamp => header
                .timestamp()
                .and_then(from_timestamp)
                .map(HeaderValue::Time),
            HeaderField::SignerVersion => header
                .signer_version()
                .map(|(major, minor)| HeaderValue::Version(major, minor)),
        }
    }
}

/// A header field's value, as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderValue {
    /// A version: major, minor.
    Version(u8, u8),
    /// A name, as the writer spelled it.
    Text(Vec<u8>),
    /// A serial number.
    Serial(Serial<'static>),
    /// A digest algorithm.
    Digest(DigestAlgorithm),
    /// A moment.
    Time(OffsetDateTime),
}

/// A header field that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderChange {
    /// Which field.
    pub field: HeaderField,
    /// The phone's value (`None` when absent).
    pub phone: Option<HeaderValue>,
    /// The server's value.
    pub server: Option<HeaderValue>,
}

/// A record as a diff names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// Its number in its file (from 1).
    pub index: usize,
    /// Its role; `None` without FUNCTION.
    pub function: Option<Function>,
    /// SUBJECTNAME, or DNSNAME for records without a subject.
    pub name: String,
    /// SERIALNUMBER as stored, when present.
    pub serial: Option<Serial<'static>>,
}

/// What differs in a record present in both files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedField {
    /// A known element's value.
    Element(ElementName),
    /// The elements with tags the format does not define.
    UnknownTags,
    /// Same values, another order.
    ElementOrder,
}

/// A record present in both files, with different content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    /// The record in the phone's file.
    pub phone: RecordSummary,
    /// The record in the server's file.
    pub server: RecordSummary,
    /// What differs.
    pub fields: Vec<ChangedField>,
}

/// The difference between two trust lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    /// Byte-identical files.
    pub identical: bool,
    /// Header fields that differ.
    pub header_changes: Vec<HeaderChange>,
    /// Records only the server's file has.
    pub added: Vec<RecordSummary>,
    /// Records only the phone's file has.
    pub removed: Vec<RecordSummary>,
    /// Records in both, changed (a re-issued certificate lands here).
    pub changed: Vec<RecordChange>,
}

/// Compares the phone's copy with the server's.
pub fn diff(phone: &TrustList<'_>, server: &TrustList<'_>) -> Diff {
    if phone.as_bytes() == server.as_bytes() {
        return Diff {
            identical: true,
            header_changes: Vec::new(),
            added: Vec::new(),
            removed: Vec::new(),
            changed: Vec::new(),
        };
    }
    // Which server record each phone record pairs with: by function and subject first, then
    // what is left by function and DNS name (a record that lost or gained its certificate,
    // as when a cluster goes non-secure, keeps its host name).
    let mut partner: Vec<Option<usize>> = vec![None; phone.records().len()];
    let mut taken = vec![false; server.records().len()];
    let keys: [KeyFn; 2] = [subject_key, host_key];
    for key in keys {
        for (old, slot) in phone.records().iter().zip(partner.iter_mut()) {
            let Some(wanted) = key(old).filter(|_| slot.is_none()) else {
                continue;
            };
            let found = server
                .records()
                .iter()
                .zip(taken.iter_mut())
                .position(|(new, used)| !*used && key(new) == Some(wanted));
            if let Some(position) = found {
                if let Some(used) = taken.get_mut(position) {
                    *used = true;
                }
                *slot = Some(position);
            }
        }
    }
    let mut removed = Vec::new();
    let mut changed = Vec::new();
    for (old, slot) in phone.records().iter().zip(&partner) {
        match slot.and_then(|position| server.records().get(position)) {
            Some(new) => {
                let fields = changed_fields(old, new);
                if !fields.is_empty() {
                    changed.push(RecordChange {
                        phone: summary(old),
                        server: summary(new),
                        fields,
                    });
                }
            }
            None => removed.push(summary(old)),
        }
    }
    let added = server
        .records()
        .iter()
        .zip(&taken)
        .filter(|(_, used)| !**used)
        .map(|(record, _)| summary(record))
        .collect();
    Diff {
        identical: false,
        header_changes: header_changes(phone.header(), server.header()),
        added,
        removed,
        changed,
    }
}

type KeyFn = for<'r, 'a> fn(&'r Record<'a>) -> Option<(Option<u16>, &'a [u8])>;

/// Records are the same record when function and subject agree: a re-issued certificate
/// keeps both.
fn subject_key<'a>(record: &Record<'a>) -> Option<(Option<u16>, &'a [u8])> {
    let subject = record
        .subject_name()
        .filter(|subject| !subject.is_empty())?;
    Some((record.function().map(Function::code), subject))
}

/// Failing that, when function and DNS name agree.
fn host_key<'a>(record: &Record<'a>) -> Option<(Option<u16>, &'a [u8])> {
    let host = record.dns_name().filter(|host| !host.is_empty())?;
    Some((record.function().map(Function::code), host))
}

fn summary(record: &Record<'_>) -> RecordSummary {
    RecordSummary {
        index: record.index(),
        function: record.function(),
        name: record
            .subject_name()
            .or_else(|| record.dns_name())
            .map_or_else(String::new, |name| printable(name).into_owned()),
        serial: record.serial_number().map(Serial::into_owned),
    }
}

fn changed_fields(old: &Record<'_>, new: &Record<'_>) -> Vec<ChangedField> {
    let mut fields = Vec::new();
    for field in [
        tag::DNSNAME,
        tag::SUBJECTNAME,
        tag::FUNCTION,
        tag::ISSUERNAME,
        tag::SERIALNUMBER,
        tag::PUBLICKEY,
        tag::SIGNATURE,
        tag::CERTIFICATE,
        tag::IPADDRESS,
        tag::CERTHASH,
        tag::HASHALGORITHM,
    ] {
        if old.find(field).map(|element| element.value)
            != new.find(field).map(|element| element.value)
        {
            fields.push(ChangedField::Element(ElementName::new(
                Section::Record,
                field,
            )));
        }
    }
    let unknown = |record: &Record<'_>| -> Vec<(u8, Vec<u8>)> {
        record
            .unknown_elements()
            .map(|element: &Element<'_>| (element.tag, element.value.to_vec()))
            .collect()
    };
    if unknown(old) != unknown(new) {
        fields.push(ChangedField::UnknownTags);
    }
    let tags = |record: &Record<'_>| -> Vec<u8> {
        record
            .elements()
            .iter()
            .map(|element| element.tag)
            .collect()
    };
    if fields.is_empty() && tags(old) != tags(new) {
        fields.push(ChangedField::ElementOrder);
    }
    fields
}

fn header_changes(phone: &Header<'_>, server: &Header<'_>) -> Vec<HeaderChange> {
    HeaderField::ALL
        .into_iter()
        .filter_map(|field| {
            let (old, new) = (field.read(phone), field.read(server));
            (old != new).then_some(HeaderChange {
                field,
                phone: old,
                server: new,
            })
        })
        .collect()
}

/// The difference between two signed files (configs, firmware): their headers, and whether
/// their payloads are the same bytes. How the payloads differ is for a report to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedDiff {
    /// Byte-identical files.
    pub identical: bool,
    /// Header fields that differ.
    pub header_changes: Vec<HeaderChange>,
    /// The payloads are the same bytes.
    pub same_payload: bool,
}

/// Compares two signed files, the phone's (or an old) copy and the server's.
pub fn diff_signed(phone: &SignedFile<'_>, server: &SignedFile<'_>) -> SignedDiff {
    SignedDiff {
        identical: phone.as_bytes() == server.as_bytes(),
        header_changes: header_changes(phone.header(), server.header()),
        same_payload: phone.payload() == server.payload(),
    }
}

/// A checksum typed from a phone's screen that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChecksumParseError {
    /// Not hexadecimal.
    #[error("{text}: not a hexadecimal checksum")]
    NotHex {
        /// What was typed.
        text: String,
    },
    /// Hexadecimal, but neither an MD5 nor a SHA-1.
    #[error("{text}: {digits} hex digits; an MD5 has 32, a SHA-1 40")]
    WrongLength {
        /// What was typed.
        text: String,
        /// How many digits it has.
        digits: usize,
    },
}

/// Which checksum a phone showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneChecksum {
    /// 16 bytes: MD5 (7975, 8831…).
    Md5([u8; 16]),
    /// 20 bytes: SHA-1.
    Sha1([u8; 20]),
}

impl PhoneChecksum {
    /// Reads a checksum as typed from a phone's screen: hex in any case, spaces, colons or
    /// dashes allowed; MD5 or SHA-1 by length.
    ///
    /// # Errors
    ///
    /// [`ChecksumParseError`] when it is not 32 or 40 hexadecimal digits.
    pub fn parse(text: &str) -> Result<Self, ChecksumParseError> {
        let digits: String = text
            .chars()
            .filter(|character| !matches!(character, ' ' | ':' | '-'))
            .collect();
        let bytes = hex::decode(&digits).map_err(|_| ChecksumParseError::NotHex {
            text: text.to_owned(),
        })?;
        if let Ok(md5) = <[u8; 16]>::try_from(bytes.as_slice()) {
            return Ok(PhoneChecksum::Md5(md5));
        }
        <[u8; 20]>::try_from(bytes.as_slice())
            .map(PhoneChecksum::Sha1)
            .map_err(|_| ChecksumParseError::WrongLength {
                text: text.to_owned(),
                digits: digits.len(),
            })
    }

    /// Whether it is the checksum of a file with these checksums.
    pub fn matches(&self, checksums: &Checksums) -> bool {
        match self {
            PhoneChecksum::Md5(md5) => *md5 == checksums.md5,
            PhoneChecksum::Sha1(sha1) => *sha1 == checksums.sha1,
        }
    }
}

impl fmt::Display for PhoneChecksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneChecksum::Md5(md5) => write!(f, "MD5 {}", hex::encode(md5)),
            PhoneChecksum::Sha1(sha1) => write!(f, "SHA-1 {}", hex::encode(sha1)),
        }
    }
}

/// Two copies compared byte for byte: what is said about a damaged phone copy, which cannot be
/// compared record by record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteComparison {
    /// The phone copy's length.
    pub phone_length: usize,
    /// The server file's length.
    pub server_length: usize,
    /// The first offset where they differ (the shorter one's end, when one is a prefix of the
    /// other); `None` when identical.
    pub first_difference: Option<usize>,
    /// The phone's copy is the server's first bytes: a transfer cut short.
    pub phone_is_prefix: bool,
}

impl ByteComparison {
    /// Compares `phone` with `server`.
    pub fn of(phone: &[u8], server: &[u8]) -> Self {
        let common = phone
            .iter()
            .zip(server)
            .position(|(left, right)| left != right);
        let shorter = phone.len().min(server.len());
        let first_difference = match common {
            Some(offset) => Some(offset),
            None if phone.len() == server.len() => None,
            None => Some(shorter),
        };
        ByteComparison {
            phone_length: phone.len(),
            server_length: server.len(),
            first_difference,
            phone_is_prefix: common.is_none() && phone.len() < server.len(),
        }
    }

    /// `identical`, `cut_short`, `differs`: stable for reports.
    pub fn code(&self) -> &'static str {
        match (self.first_difference, self.phone_is_prefix) {
            (None, _) => "identical",
            (Some(_), true) => "cut_short",
            (Some(_), false) => "differs",
        }
    }
}

#[cfg(test)]
mod byte_tests {
    use super::ByteComparison;

    #[test]
    fn a_cut_short_copy_is_a_prefix_and_a_corrupted_one_names_its_first_changed_byte() {
        let server = b"0123456789";
        let cut = ByteComparison::of(&server[..4], server);
        assert_eq!(
            (cut.first_difference, cut.phone_is_prefix, cut.code()),
            (Some(4), true, "cut_short")
        );
        let changed = ByteComparison::of(b"0123X56789", server);
        assert_eq!(
            (changed.first_difference, changed.code()),
            (Some(4), "differs")
        );
        let longer = ByteComparison::of(b"0123456789!", server);
        assert_eq!(
            (longer.first_difference, longer.phone_is_prefix),
            (Some(10), false)
        );
        assert_eq!(ByteComparison::of(server, server).code(), "identical");
    }
}
