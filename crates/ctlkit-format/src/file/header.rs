//! The signed header every Cisco signed file starts with — trust lists, `.sgn` configs,
//! firmware (docs/FORMAT.md §2, §9): who signed the file, how, when, and the signature itself.
//! It is parsed on its own, so any file kind can be verified by the same code.

use std::fmt;

use crate::cert::serial::Serial;
use crate::text;
use crate::tlv::element::{Element, ElementName, Encoding, Section};
use crate::tlv::error::{Bound, ParseError, ParseErrorKind, Place};
use crate::tlv::reader::Reader;
use crate::tlv::warning::{Warning, WarningKind, check_elements};

pub use crate::tlv::tags::header as tag;

/// Bytes taken by VERSION and HEADERLENGTH, the smallest possible header.
const MIN_HEADER_LENGTH: usize = 10;

/// The digest the signature was computed with (header tag 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlgorithm {
    /// Code 1.
    Sha1,
    /// Code 2 (defined by one builder, never seen from CUCM).
    Sha256,
    /// Code 3 (clusters whose TFTP file signature algorithm is SHA-512).
    Sha512,
    /// Any other code, kept as found.
    Other(u8),
}

impl DigestAlgorithm {
    /// The algorithm a code stands for.
    pub fn from_code(code: u8) -> Self {
        match code {
            1 => DigestAlgorithm::Sha1,
            2 => DigestAlgorithm::Sha256,
            3 => DigestAlgorithm::Sha512,
            other => DigestAlgorithm::Other(other),
        }
    }

    /// The code stored in the file.
    pub fn code(self) -> u8 {
        match self {
            DigestAlgorithm::Sha1 => 1,
            DigestAlgorithm::Sha256 => 2,
            DigestAlgorithm::Sha512 => 3,
            DigestAlgorithm::Other(code) => code,
        }
    }

    /// The digest of `bytes`; `None` for a code no algorithm is known for.
    pub fn digest(self, bytes: &[u8]) -> Option<Vec<u8>> {
        use sha2::Digest as _;
        Some(match self {
            DigestAlgorithm::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
            DigestAlgorithm::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            DigestAlgorithm::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
            DigestAlgorithm::Other(_) => return None,
        })
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DigestAlgorithm::Sha1 => f.write_str("SHA-1"),
            DigestAlgorithm::Sha256 => f.write_str("SHA-256"),
            DigestAlgorithm::Sha512 => f.write_str("SHA-512"),
            DigestAlgorithm::Other(code) => write!(f, "unknown digest {code}"),
        }
    }
}

/// The typed view of the header's elements, in file order, containers and padding included,
/// borrowed from the whole file it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    input: &'a [u8],
    elements: Vec<Element<'a>>,
    length: u16,
    warnings: Vec<Warning>,
}

/// What a signature covers: the file without its SIGNATURE element, in two slices (the bytes
/// before the element, and every byte after it, payload or records included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedBytes<'a> {
    /// From offset 0 to the SIGNATURE element.
    pub before: &'a [u8],
    /// From the end of the SIGNATURE element to the end of the file.
    pub after: &'a [u8],
}

impl<'a> Header<'a> {
    /// Parses the header at the start of `input` (the whole file): VERSION, HEADERLENGTH, then
    /// every element up to HEADERLENGTH, containers checked against their ends.
    ///
    /// Oddities (unknown or duplicate tags, values of an unexpected size, missing elements,
    /// a length that is not a multiple of 4) are kept as [`Header::warnings`].
    ///
    /// # Errors
    ///
    /// A [`ParseError`] naming the offset and element when the structure is broken.
    pub fn parse(input: &'a [u8]) -> Result<Self, ParseError> {
        let fail = |offset, kind| ParseError {
            place: Place::Header,
            offset,
            kind,
        };
        if input.is_empty() {
            return Err(ParseError {
                place: Place::File,
                offset: 0,
                kind: ParseErrorKind::Empty,
            });
        }
        let mut reader = Reader::at(input, 0);
        let version = read_fixed(&mut reader, input.len(), tag::VERSION)?;
        let length_element = read_fixed(&mut reader, input.len(), tag::HEADERLENGTH)?;
        let length = length_element.as_u16().unwrap_or_default();
        let end = usize::from(length);
        if end < MIN_HEADER_LENGTH {
            return Err(fail(
                length_element.offset,
                ParseErrorKind::HeaderLengthTooShort {
                    header_length: length,
                    minimum: MIN_HEADER_LENGTH,
                },
            ));
        }
        if end > input.len() {
            return Err(fail(
                length_element.offset,
                ParseErrorKind::HeaderLengthPastEnd {
                    header_length: length,
                    file_length: input.len(),
                },
            ));
        }

        let mut elements = vec![version, length_element];
        // Ends of the containers we are inside, innermost last, with their names.
        let mut open_containers: Vec<(usize, ElementName)> = Vec::new();
        while reader.position() < end {
            let (limit, bound) = match open_containers.last() {
                Some(&(container_end, name)) => (container_end, Bound::Container(name)),
                None => (end, Bound::Header),
            };
            let offset = reader.position();
            let element = reader
                .next_element(Section::Header, limit, bound)
                .map_err(|kind| fail(offset, kind))?;
            if element.encoding == Encoding::Container {
                let container_end = offset.saturating_add(3).saturating_add(element.value.len());
                open_containers.push((
                    container_end,
                    ElementName::new(Section::Header, element.tag),
                ));
            }
            elements.push(element);
            while open_containers
                .last()
                .is_some_and(|&(container_end, _)| container_end == reader.position())
            {
                open_containers.pop();
            }
        }

        let mut header = Header {
            input,
            elements,
            length,
            warnings: Vec::new(),
        };
        let mut warnings = Vec::new();
        header.collect_warnings(&mut warnings);
        header.warnings = warnings;
        Ok(header)
    }

    fn collect_warnings(&self, warnings: &mut Vec<Warning>) {
        let warn = |offset, kind| Warning {
            place: Place::Header,
            offset,
            kind,
        };
        if !self.length.is_multiple_of(4) {
            warnings.push(warn(
                0,
                WarningKind::HeaderNotPadded {
                    header_length: self.length,
                },
            ));
        }
        check_elements(
            Place::Header,
            Section::Header,
            &self.elements,
            |element| expected_value_length(element.tag),
            warnings,
        );
        for required in [tag::SIGNERID, tag::SIGNATURE, tag::DIGESTALGORTITHM] {
            if self.find(required).is_none() {
                warnings.push(warn(
                    0,
                    WarningKind::Missing {
                        element: ElementName::new(Section::Header, required),
                    },
                ));
            }
        }
    }

    /// Oddities found while parsing the header.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The whole file this header starts.
    pub fn file(&self) -> &'a [u8] {
        self.input
    }

    /// What the signature covers (docs/FORMAT.md §4, §9): `None` when there is no SIGNATURE.
    pub fn signed_bytes(&self) -> Option<SignedBytes<'a>> {
        let element = self.signature_element()?;
        let end = element.offset.checked_add(element.encoded_len())?;
        Some(SignedBytes {
            before: self.input.get(..element.offset)?,
            after: self.input.get(end..)?,
        })
    }

    /// Every header element in file order, padding and containers included.
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

    /// VERSION as (major, minor); real files say 1.2.
    pub fn version(&self) -> (u8, u8) {
        match self.elements.first().map(|element| element.value) {
            Some(&[major, minor]) => (major, minor),
            _ => (0, 0),
        }
    }

    /// HEADERLENGTH: the header's size in bytes, where the first record starts.
    pub fn length(&self) -> u16 {
        self.length
    }

    /// Tag 28, the signer version a non-Cisco builder writes, as (major, minor).
    pub fn signer_version(&self) -> Option<(u8, u8)> {
        match self.value(tag::SIGNERVERSION)? {
            &[major, minor] => Some((major, minor)),
            _ => None,
        }
    }

    /// SIGNERNAME: the signer certificate's subject, as the writer spelled it.
    pub fn signer_name(&self) -> Option<&'a [u8]> {
        self.value(tag::SIGNERNAME).map(text::until_nul)
    }

    /// SERIALNUMBER: the signer certificate's serial number, as stored.
    pub fn signer_serial(&self) -> Option<Serial<'a>> {
        self.value(tag::SERIALNUMBER).map(Serial::from_stored)
    }

    /// CANAME: the signer certificate's issuer, as the writer spelled it.
    pub fn signer_issuer(&self) -> Option<&'a [u8]> {
        self.value(tag::CANAME).map(text::until_nul)
    }

    /// DIGESTALGORTITHM: the digest the signature was made with.
    pub fn digest_algorithm(&self) -> Option<DigestAlgorithm> {
        self.find(tag::DIGESTALGORTITHM)?
            .as_u8()
            .map(DigestAlgorithm::from_code)
    }

    /// SIGNATUREALGORTITHM: 0 is RSA PKCS #1 v1.5, the only code seen in real files.
    pub fn signature_algorithm(&self) -> Option<u8> {
        self.find(tag::SIGNATUREALGORTITHM)?.as_u8()
    }

    /// SIGNATUREMODULUS as the signature size in bits (512, 1024, 2048, 4096).
    pub fn signature_modulus_bits(&self) -> Option<u32> {
        match self.find(tag::SIGNATUREMODULUS)?.as_u8()? {
            0 => Some(512),
            1 => Some(1024),
            2 => Some(2048),
            3 => Some(4096),
            _ => None,
        }
    }

    /// SIGNATURE: the signature value.
    pub fn signature(&self) -> Option<&'a [u8]> {
        self.value(tag::SIGNATURE)
    }

    /// The SIGNATURE element, with its offset: what the signature does not cover.
    fn signature_element(&self) -> Option<&Element<'a>> {
        self.find(tag::SIGNATURE)
    }

    /// FILENAME: the name the file was signed as, e.g. `CTLFile.tlv`.
    pub fn filename(&self) -> Option<&'a [u8]> {
        self.value(tag::FILENAME).map(text::until_nul)
    }

    /// TIMESTAMP: when the file was signed, in seconds since 1970-01-01 UTC.
    pub fn timestamp(&self) -> Option<u32> {
        let bytes: [u8; 4] = self.value(tag::TIMESTAMP)?.try_into().ok()?;
        Some(u32::from_be_bytes(bytes))
    }

    /// Elements whose tag the format does not define, in file order.
    pub fn unknown_elements(&self) -> impl Iterator<Item = &Element<'a>> {
        self.elements
            .iter()
            .filter(|element| tag::name(element.tag).is_none())
    }
}

/// Reads VERSION or HEADERLENGTH, which must come first, in this order, with 2-byte values.
fn read_fixed<'a>(
    reader: &mut Reader<'a>,
    end: usize,
    expected_tag: u8,
) -> Result<Element<'a>, ParseError> {
    let offset = reader.position();
    let expected = ElementName::new(Section::Header, expected_tag);
    let fail = |kind| ParseError {
        place: Place::Header,
        offset,
        kind,
    };
    if let Some(found) = reader.peek_tag().filter(|&found| found != expected_tag) {
        return Err(fail(ParseErrorKind::WrongFirstTag {
            expected,
            expected_tag,
            found,
        }));
    }
    let element = reader
        .next_element(Section::Header, end, Bound::File)
        .map_err(|kind| {
            fail(match kind {
                ParseErrorKind::TruncatedElementHead { available, .. } => {
                    ParseErrorKind::TruncatedElementHead {
                        element: expected,
                        available,
                        bound: Bound::File,
                    }
                }
                other => other,
            })
        })?;
    if element.length != 2 {
        return Err(fail(ParseErrorKind::FixedLength {
            element: expected,
            expected: 2,
            found: element.length,
        }));
    }
    Ok(element)
}

/// The value size the format fixes for a header element, where it fixes one.
fn expected_value_length(tag: u8) -> Option<u16> {
    match tag {
        tag::DIGESTALGORTITHM | tag::SIGNATUREALGORTITHM | tag::SIGNATUREMODULUS => Some(1),
        tag::SIGNERVERSION | tag::PADDINGCOUNT | tag::KEYSIZE => Some(2),
        tag::PLAINTEXTDIGEST => Some(1),
        tag::TIMESTAMP => Some(4),
        _ => None,
    }
}
