//! What changed between two trust lists (the phone's copy and the TFTP server's), and whether
//! a phone's checksum matches a file.

use std::fmt;

use crate::checksum::Checksums;
use crate::element::Element;
use crate::record::{Record, tag};
use crate::report::time_format::rfc3339;
use crate::text::{printable, serial_hex};
use crate::trust_list::TrustList;

/// A header field that differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderChange {
    /// `version`, `signer_name`, `signer_serial`, `signer_issuer`, `digest`, `filename`,
    /// `timestamp`, `signer_version`.
    pub field: &'static str,
    /// The phone's value (null when absent).
    pub phone: Option<String>,
    /// The server's value.
    pub server: Option<String>,
}

/// A record as a diff names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSummary {
    /// Its number in its file (from 1).
    pub index: usize,
    /// `SAST`, `CCM+TFTP`… or the code; `none` without FUNCTION.
    pub function: String,
    /// SUBJECTNAME, or DNSNAME for records without a subject.
    pub name: String,
    /// SERIALNUMBER as stored, when present.
    pub serial: Option<String>,
}

/// A record present in both files, with different content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange {
    /// The record in the phone's file.
    pub phone: RecordSummary,
    /// The record in the server's file.
    pub server: RecordSummary,
    /// Names of the elements that differ (`SERIALNUMBER`, `CERTIFICATE`…).
    pub fields: Vec<String>,
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
        header_changes: header_changes(phone, server),
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
    Some((
        record.function().map(crate::record::Function::code),
        subject,
    ))
}

/// Failing that, when function and DNS name agree.
fn host_key<'a>(record: &Record<'a>) -> Option<(Option<u16>, &'a [u8])> {
    let host = record.dns_name().filter(|host| !host.is_empty())?;
    Some((record.function().map(crate::record::Function::code), host))
}

fn summary(record: &Record<'_>) -> RecordSummary {
    RecordSummary {
        index: record.index(),
        function: record
            .function()
            .map_or_else(|| "none".to_owned(), |function| function.to_string()),
        name: record
            .subject_name()
            .or_else(|| record.dns_name())
            .map_or_else(String::new, |name| printable(name).into_owned()),
        serial: record.serial_number().map(serial_hex),
    }
}

fn changed_fields(old: &Record<'_>, new: &Record<'_>) -> Vec<String> {
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
            fields.push(tag::name(field).unwrap_or_default().to_owned());
        }
    }
    let unknown = |record: &Record<'_>| -> Vec<(u8, Vec<u8>)> {
        record
            .unknown_elements()
            .map(|element: &Element<'_>| (element.tag, element.value.to_vec()))
            .collect()
    };
    if unknown(old) != unknown(new) {
        fields.push("unknown tags".to_owned());
    }
    let tags = |record: &Record<'_>| -> Vec<u8> {
        record
            .elements()
            .iter()
            .map(|element| element.tag)
            .collect()
    };
    if fields.is_empty() && tags(old) != tags(new) {
        fields.push("element order".to_owned());
    }
    fields
}

fn header_changes(phone: &TrustList<'_>, server: &TrustList<'_>) -> Vec<HeaderChange> {
    type Reader = fn(&TrustList<'_>) -> Option<String>;
    let fields: [(&'static str, Reader); 8] = [
        ("version", |list| {
            let (major, minor) = list.header().version();
            Some(format!("{major}.{minor}"))
        }),
        ("signer_name", |list| {
            list.header()
                .signer_name()
                .map(|name| printable(name).into_owned())
        }),
        ("signer_serial", |list| {
            list.header().signer_serial().map(serial_hex)
        }),
        ("signer_issuer", |list| {
            list.header()
                .signer_issuer()
                .map(|name| printable(name).into_owned())
        }),
        ("digest", |list| {
            list.header()
                .digest_algorithm()
                .map(|digest| digest.to_string())
        }),
        ("filename", |list| {
            list.header()
                .filename()
                .map(|name| printable(name).into_owned())
        }),
        ("timestamp", |list| {
            list.header()
                .timestamp()
                .and_then(crate::report::time_format::from_timestamp)
                .map(rfc3339)
        }),
        ("signer_version", |list| {
            list.header()
                .signer_version()
                .map(|(major, minor)| format!("{major}.{minor}"))
        }),
    ];
    fields
        .iter()
        .filter_map(|(field, read)| {
            let (old, new) = (read(phone), read(server));
            (old != new).then_some(HeaderChange {
                field,
                phone: old,
                server: new,
            })
        })
        .collect()
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
    /// A sentence when it is not 32 or 40 hexadecimal digits.
    pub fn parse(text: &str) -> Result<Self, String> {
        let digits: String = text
            .chars()
            .filter(|character| !matches!(character, ' ' | ':' | '-'))
            .collect();
        let bytes =
            hex::decode(&digits).map_err(|_| format!("{text}: not a hexadecimal checksum"))?;
        if let Ok(md5) = <[u8; 16]>::try_from(bytes.as_slice()) {
            return Ok(PhoneChecksum::Md5(md5));
        }
        <[u8; 20]>::try_from(bytes.as_slice())
            .map(PhoneChecksum::Sha1)
            .map_err(|_| {
                format!(
                    "{text}: {} hex digits; an MD5 has 32, a SHA-1 40",
                    digits.len()
                )
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
