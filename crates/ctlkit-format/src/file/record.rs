//! A record: one certificate (or placeholder) the trust list names, and the role it has.

use std::fmt;
use std::net::IpAddr;

use crate::cert::serial::Serial;
use crate::file::header::DigestAlgorithm;
use crate::text;
use crate::tlv::element::{Element, ElementName, Section};
use crate::tlv::error::{Bound, ParseError, ParseErrorKind, Place};
use crate::tlv::reader::Reader;
use crate::tlv::warning::{Warning, WarningKind, check_elements};

pub use crate::tlv::tags::record as tag;

/// Bytes taken by the RECORDLENGTH element, the smallest possible record.
const MIN_RECORD_LENGTH: usize = 5;

/// A record's role (FUNCTION, record tag 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// 0: System Administrator Security Token, a key allowed to sign the trust list.
    Sast,
    /// 1: CallManager.
    Ccm,
    /// 2: CallManager and TFTP on one node.
    CcmTftp,
    /// 3: TFTP server.
    Tftp,
    /// 4: Certificate Authority Proxy Function.
    Capf,
    /// 7: application server.
    AppServer,
    /// 21: Trust Verification Service.
    Tvs,
    /// Any other code, kept as found.
    Other(u16),
}

impl Function {
    /// The role a code stands for.
    pub fn from_code(code: u16) -> Self {
        match code {
            0 => Function::Sast,
            1 => Function::Ccm,
            2 => Function::CcmTftp,
            3 => Function::Tftp,
            4 => Function::Capf,
            7 => Function::AppServer,
            21 => Function::Tvs,
            other => Function::Other(other),
        }
    }

    /// The code stored in the file.
    pub fn code(self) -> u16 {
        match self {
            Function::Sast => 0,
            Function::Ccm => 1,
            Function::CcmTftp => 2,
            Function::Tftp => 3,
            Function::Capf => 4,
            Function::AppServer => 7,
            Function::Tvs => 21,
            Function::Other(code) => code,
        }
    }

    /// The short name administrators use (`SAST`, `CCM+TFTP`…), `None` for an unknown code.
    pub fn short_name(self) -> Option<&'static str> {
        Some(match self {
            Function::Sast => "SAST",
            Function::Ccm => "CCM",
            Function::CcmTftp => "CCM+TFTP",
            Function::Tftp => "TFTP",
            Function::Capf => "CAPF",
            Function::AppServer => "APP-SERVER",
            Function::Tvs => "TVS",
            Function::Other(_) => return None,
        })
    }

    /// What `show ctl` prints in the FUNCTION row.
    pub fn show_ctl_name(self) -> String {
        match self {
            Function::Sast => "System Administrator Security Token".to_owned(),
            Function::Other(code) => code.to_string(),
            known => known.short_name().unwrap_or_default().to_owned(),
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.short_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.code()),
        }
    }
}

/// One record, its elements in file order, borrowed from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    index: usize,
    offset: usize,
    elements: Vec<Element<'a>>,
}

impl<'a> Record<'a> {
    /// Parses the record numbered `index` at `offset`; `input` is the whole file.
    pub fn parse(
        input: &'a [u8],
        index: usize,
        offset: usize,
        warnings: &mut Vec<Warning>,
    ) -> Result<Self, ParseError> {
        let place = Place::Record(index);
        let fail = |offset, kind| ParseError {
            place,
            offset,
            kind,
        };
        let remaining = input.len().saturating_sub(offset);
        let mut reader = Reader::at(input, offset);
        // Fewer bytes than the smallest record: leftovers, whatever they start with.
        if remaining < MIN_RECORD_LENGTH {
            return Err(fail(
                offset,
                ParseErrorKind::TrailingBytes { count: remaining },
            ));
        }
        match reader.peek_tag() {
            Some(tag::RECORDLENGTH) => {}
            found => {
                return Err(fail(
                    offset,
                    ParseErrorKind::WrongFirstTag {
                        expected: ElementName::new(Section::Record, tag::RECORDLENGTH),
                        expected_tag: tag::RECORDLENGTH,
                        found: found.unwrap_or_default(),
                    },
                ));
            }
        }
        let length_element = reader
            .next_element(Section::Record, input.len(), Bound::File)
            .map_err(|kind| fail(offset, kind))?;
        let Some(record_length) = length_element.as_u16() else {
            return Err(fail(
                offset,
                ParseErrorKind::FixedLength {
                    element: ElementName::new(Section::Record, tag::RECORDLENGTH),
                    expected: 2,
                    found: length_element.length,
                },
            ));
        };
        if usize::from(record_length) < MIN_RECORD_LENGTH {
            return Err(fail(
                offset,
                ParseErrorKind::RecordLengthTooShort {
                    record_length,
                    minimum: MIN_RECORD_LENGTH,
                },
            ));
        }
        if usize::from(record_length) > remaining {
            return Err(fail(
                offset,
                ParseErrorKind::RecordLengthPastEnd {
                    record_length,
                    file_length: input.len(),
                },
            ));
        }
        let end = offset.saturating_add(usize::from(record_length));
        let mut elements = vec![length_element];
        while reader.position() < end {
            let element_offset = reader.position();
            let element = reader
                .next_element(Section::Record, end, Bound::Record)
                .map_err(|kind| fail(element_offset, kind))?;
            elements.push(element);
        }
        let record = Record {
            index,
            offset,
            elements,
        };
        record.collect_warnings(warnings);
        Ok(record)
    }

    fn collect_warnings(&self, warnings: &mut Vec<Warning>) {
        let warn = |offset, kind| Warning {
            place: Place::Record(self.index),
            offset,
            kind,
        };
        check_elements(
            Place::Record(self.index),
            Section::Record,
            &self.elements,
            |element| match element.tag {
                tag::FUNCTION => Some(2),
                tag::HASHALGORITHM => Some(1),
                // IPv6 has not been seen, but 16 bytes is the one other size that makes sense.
                tag::IPADDRESS if element.value.len() != 16 => Some(4),
                _ => None,
            },
            warnings,
        );
        if self.find(tag::FUNCTION).is_none() {
            warnings.push(warn(
                self.offset,
                WarningKind::Missing {
                    element: ElementName::new(Section::Record, tag::FUNCTION),
                },
            ));
        }
    }

    /// The record's number, counted from 1 as `show ctl` does.
    pub fn index(&self) -> usize {
        self.index
    }

    /// Byte offset of the record (its RECORDLENGTH element) in the file.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// RECORDLENGTH: the record's size in bytes, RECORDLENGTH element included.
    pub fn length(&self) -> u16 {
        self.elements
            .first()
            .and_then(Element::as_u16)
            .unwrap_or_default()
    }

    /// Every element of the record in file order, RECORDLENGTH first.
    pub fn elements(&self) -> &[Element<'a>] {
        &self.elements
    }

    /// The first element with `tag` (later duplicates are reported as warnings and ignored).
    pub fn find(&self, tag: u8) -> Option<&Element<'a>> {
        self.elements.iter().find(|element| element.tag == tag)
    }

    fn value(&self, tag: u8) -> Option<&'a [u8]> {
        self.find(tag).map(|element| element.value)
    }

    /// FUNCTION: the record's role; `None` when the element is missing or not 2 bytes.
    pub fn function(&self) -> Option<Function> {
        self.find(tag::FUNCTION)?.as_u16().map(Function::from_code)
    }

    /// DNSNAME: host name or IP as text (empty for a lone NUL).
    pub fn dns_name(&self) -> Option<&'a [u8]> {
        self.value(tag::DNSNAME).map(text::until_nul)
    }

    /// SUBJECTNAME: the certificate's subject as the writer spelled it.
    pub fn subject_name(&self) -> Option<&'a [u8]> {
        self.value(tag::SUBJECTNAME).map(text::until_nul)
    }

    /// ISSUERNAME: the certificate's issuer as the writer spelled it.
    pub fn issuer_name(&self) -> Option<&'a [u8]> {
        self.value(tag::ISSUERNAME).map(text::until_nul)
    }

    /// SERIALNUMBER: the certificate's serial, as stored.
    pub fn serial_number(&self) -> Option<Serial<'a>> {
        self.value(tag::SERIALNUMBER).map(Serial::from_stored)
    }

    /// PUBLICKEY: the certificate's public key (PKCS #1 RSAPublicKey or an EC point).
    pub fn public_key(&self) -> Option<&'a [u8]> {
        self.value(tag::PUBLICKEY)
    }

    /// CERTIFICATE: the whole X.509 certificate, DER.
    pub fn certificate_der(&self) -> Option<&'a [u8]> {
        self.value(tag::CERTIFICATE)
    }

    /// Whether it carries a key to verify with: a CERTIFICATE or a PUBLICKEY.
    pub fn has_key(&self) -> bool {
        self.certificate_der().is_some() || self.public_key().is_some()
    }

    /// IPADDRESS as an address: 4 bytes IPv4, 16 bytes IPv6; `None` for any other size.
    pub fn ip_address(&self) -> Option<IpAddr> {
        let value = self.value(tag::IPADDRESS)?;
        if let Ok(v4) = <[u8; 4]>::try_from(value) {
            return Some(IpAddr::from(v4));
        }
        <[u8; 16]>::try_from(value).ok().map(IpAddr::from)
    }

    /// CERTHASH: hash of a certificate the record does not carry.
    pub fn certificate_hash(&self) -> Option<&'a [u8]> {
        self.value(tag::CERTHASH)
    }

    /// HASH ALGORITHM: algorithm of CERTHASH, same codes as the header's digest.
    pub fn certificate_hash_algorithm(&self) -> Option<DigestAlgorithm> {
        self.find(tag::HASHALGORITHM)?
            .as_u8()
            .map(DigestAlgorithm::from_code)
    }

    /// Elements whose tag the format does not define, in file order.
    pub fn unknown_elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.elements
            .iter()
            .filter(|element| tag::name(element.tag).is_none())
    }
}
