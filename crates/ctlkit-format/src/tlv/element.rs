//! One TLV element as it sits in the file: offset, tag, length and the raw value.

use std::fmt;

use crate::tlv::encode;
pub use crate::tlv::tags::Encoding;
use crate::tlv::tags::{header, record};

/// Which table gives a tag its meaning: the same number means different things in the
/// header and in a record (tag 5 is SERIALNUMBER in one, ISSUERNAME in the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The header's tag table (docs/FORMAT.md §2).
    Header,
    /// The record tag table (docs/FORMAT.md §3).
    Record,
}

/// An element's name as `show ctl` prints it, or `tag N` for a tag no table names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ElementName {
    /// The table the tag belongs to.
    pub section: Section,
    /// The tag number.
    pub tag: u8,
}

impl ElementName {
    /// The name of `tag` in `section`.
    pub const fn new(section: Section, tag: u8) -> Self {
        ElementName { section, tag }
    }

    /// The name `show ctl` prints, `None` for a tag the format does not define.
    pub fn known(&self) -> Option<&'static str> {
        match self.section {
            Section::Header => header::name(self.tag),
            Section::Record => record::name(self.tag),
        }
    }
}

impl fmt::Display for ElementName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.known() {
            Some(name) => f.write_str(name),
            None => write!(f, "tag {}", self.tag),
        }
    }
}

/// One element exactly as found, borrowed from the input.
///
/// `value` is the element's own bytes for a value element, the bytes its children occupy for a
/// container, and empty for padding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    /// Byte offset of the tag from the start of the file.
    pub offset: usize,
    /// The tag byte.
    pub tag: u8,
    /// The declared length (0 for padding, which has none).
    pub length: u16,
    /// How the element is encoded.
    pub encoding: Encoding,
    /// The value (see the type's docs for containers and padding).
    pub value: &'a [u8],
}

impl Element<'_> {
    /// Bytes the element occupies in the file, counting only its own tag and length for a
    /// container (its children are elements of their own).
    pub fn encoded_len(&self) -> usize {
        match self.encoding {
            Encoding::Padding => 1,
            Encoding::Container => 3,
            Encoding::Value => self.value.len().saturating_add(3),
        }
    }

    /// Appends the element's encoding, as it was read, to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self.encoding {
            Encoding::Padding => out.push(self.tag),
            Encoding::Container => encode::put_head(out, self.tag, self.length),
            Encoding::Value => {
                encode::put_head(out, self.tag, self.length);
                out.extend_from_slice(self.value);
            }
        }
    }

    /// The value as a big-endian `u16`, when it is exactly two bytes long.
    pub fn as_u16(&self) -> Option<u16> {
        let bytes: [u8; 2] = self.value.try_into().ok()?;
        Some(u16::from_be_bytes(bytes))
    }

    /// The value as one byte, when it is exactly one byte long.
    pub fn as_u8(&self) -> Option<u8> {
        match self.value {
            [byte] => Some(*byte),
            _ => None,
        }
    }
}
