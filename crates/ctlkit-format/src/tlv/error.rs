//! Why a trust list could not be parsed, with the place it went wrong.

use std::fmt;

use crate::tlv::element::ElementName;

/// The part of a trust list an error or a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Place {
    /// The file as a whole (before any element could be read).
    File,
    /// The header, from offset 0 to HEADERLENGTH.
    Header,
    /// The record with this number, counted from 1 as `show ctl` does.
    Record(usize),
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File => f.write_str("file"),
            Place::Header => f.write_str("header"),
            Place::Record(index) => write!(f, "record {index}"),
        }
    }
}

/// What an element ran past when its declared length was too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The end of the file.
    File,
    /// The end of the header (HEADERLENGTH).
    Header,
    /// The end of the enclosing container (SIGNERID, SIGNATUREINFO, SIGNATUREALGOINFO).
    Container(ElementName),
    /// The end of the record (RECORDLENGTH).
    Record,
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::File => f.write_str("the file"),
            Bound::Header => f.write_str("the header"),
            Bound::Container(name) => write!(f, "its container {name}"),
            Bound::Record => f.write_str("the record"),
        }
    }
}

/// A trust list that cannot be read as one: the structure itself is broken.
///
/// The message names the place, the byte offset and the element, so a person can open the file
/// in a hex editor at the right spot: `record 3 at offset 1490: RECORDLENGTH 1186 runs past the
/// end of the file (3746 bytes)`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{place} at offset {offset}: {kind}")]
pub struct ParseError {
    /// Header, record N, or the file as a whole.
    pub place: Place,
    /// Byte offset, from the start of the file, of the element that is wrong.
    pub offset: usize,
    /// What is wrong.
    pub kind: ParseErrorKind,
}

/// The ways a trust list's structure can be broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Zero bytes.
    #[error("the file is empty; a trust list starts with a VERSION element")]
    Empty,
    /// The file ends where its first record should start: every CTL and ITL CUCM writes holds
    /// records (at least its signer's), so this is a copy cut short right after its header.
    #[error(
        "no record follows the header: the file ends at HEADERLENGTH ({header_length}), cut short right after its header"
    )]
    NoRecords {
        /// Where the first record should start.
        header_length: u16,
    },
    /// The first element of the header or of a record has the wrong tag.
    #[error("expected {expected} (tag {expected_tag}) here, found tag {found}")]
    WrongFirstTag {
        /// The element that must come here.
        expected: ElementName,
        /// Its tag.
        expected_tag: u8,
        /// The tag that is there instead.
        found: u8,
    },
    /// The bytes end in the middle of an element's tag and length.
    #[error("{element} is cut off: its tag and length need 3 bytes, {available} left in {bound}")]
    TruncatedElementHead {
        /// The element whose head is cut off.
        element: ElementName,
        /// Bytes left before the bound.
        available: usize,
        /// What ends there.
        bound: Bound,
    },
    /// An element's length runs past the end of what holds it.
    #[error("{element} length {length} runs past the end of {bound} ({available} bytes left)")]
    ElementPastEnd {
        /// The element whose length lies.
        element: ElementName,
        /// Its declared length.
        length: u16,
        /// Bytes actually left before the bound.
        available: usize,
        /// What it runs past.
        bound: Bound,
    },
    /// VERSION, HEADERLENGTH or RECORDLENGTH does not hold exactly the bytes it must.
    #[error("{element} must be {expected} bytes long, its length is {found}")]
    FixedLength {
        /// The element.
        element: ElementName,
        /// The only length that makes sense for it.
        expected: u16,
        /// Its declared length.
        found: u16,
    },
    /// HEADERLENGTH says the header ends past the end of the file.
    #[error("HEADERLENGTH {header_length} runs past the end of the file ({file_length} bytes)")]
    HeaderLengthPastEnd {
        /// Declared header size.
        header_length: u16,
        /// Size of the file.
        file_length: usize,
    },
    /// HEADERLENGTH is smaller than the VERSION and HEADERLENGTH elements themselves.
    #[error("HEADERLENGTH {header_length} is shorter than its own elements ({minimum} bytes)")]
    HeaderLengthTooShort {
        /// Declared header size.
        header_length: u16,
        /// The smallest possible header.
        minimum: usize,
    },
    /// A container (SIGNERID, SIGNATUREINFO, SIGNATUREALGOINFO) reaches past the header or
    /// past the container that holds it.
    #[error("{element} length {length} runs past the end of {bound} ({available} bytes left)")]
    ContainerPastEnd {
        /// The container.
        element: ElementName,
        /// Its declared length.
        length: u16,
        /// Bytes left before the bound.
        available: usize,
        /// What it runs past.
        bound: Bound,
    },
    /// RECORDLENGTH is smaller than the RECORDLENGTH element itself.
    #[error(
        "RECORDLENGTH {record_length} is shorter than the RECORDLENGTH element ({minimum} bytes)"
    )]
    RecordLengthTooShort {
        /// Declared record size.
        record_length: u16,
        /// The smallest possible record.
        minimum: usize,
    },
    /// RECORDLENGTH says the record ends past the end of the file.
    #[error("RECORDLENGTH {record_length} runs past the end of the file ({file_length} bytes)")]
    RecordLengthPastEnd {
        /// Declared record size.
        record_length: u16,
        /// Size of the file.
        file_length: usize,
    },
    /// A few bytes after the last record, too few to be a record.
    #[error("{count} trailing bytes after the last record, too few to be a record")]
    TrailingBytes {
        /// How many bytes are left over.
        count: usize,
    },
}
