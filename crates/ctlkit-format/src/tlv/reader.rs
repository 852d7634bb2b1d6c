//! The cursor over untrusted bytes: the only code that turns raw input into elements.
//!
//! Every read is bounded by an end offset the caller has already checked against the input,
//! and a declared length that does not fit gives an error instead of a short read.

use crate::tlv::element::{Element, ElementName, Encoding, Section};
use crate::tlv::error::{Bound, ParseErrorKind};
use crate::tlv::tags::header;

/// Reads elements one after another from an absolute offset in the file.
pub(crate) struct Reader<'a> {
    input: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    /// A reader at `position` in `input`.
    pub(crate) fn at(input: &'a [u8], position: usize) -> Self {
        Reader { input, position }
    }

    /// Offset of the next element.
    pub(crate) fn position(&self) -> usize {
        self.position
    }

    /// The tag byte at the current position, if there is one.
    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.input.get(self.position).copied()
    }

    /// Reads the element at the current position, which must end at or before `end`.
    ///
    /// On error the reader stays where it was: nothing after a broken element can be trusted.
    pub(crate) fn next_element(
        &mut self,
        section: Section,
        end: usize,
        bound: Bound,
    ) -> Result<Element<'a>, ParseErrorKind> {
        let window = self.input.get(self.position..end).unwrap_or_default();
        let Some((&tag, after_tag)) = window.split_first() else {
            return Err(ParseErrorKind::TruncatedElementHead {
                element: ElementName::new(section, 0),
                available: 0,
                bound,
            });
        };
        let name = ElementName::new(section, tag);
        let encoding = match section {
            Section::Header => header::encoding(tag),
            Section::Record => Encoding::Value,
        };
        if encoding == Encoding::Padding {
            return Ok(self.advance(Element {
                offset: self.position,
                tag,
                length: 0,
                encoding,
                value: &[],
            }));
        }
        let Some((length_bytes, after_length)) = after_tag.split_first_chunk::<2>() else {
            return Err(ParseErrorKind::TruncatedElementHead {
                element: name,
                available: window.len(),
                bound,
            });
        };
        let length = u16::from_be_bytes(*length_bytes);
        let Some(value) = after_length.get(..usize::from(length)) else {
            let available = after_length.len();
            return Err(match encoding {
                Encoding::Container => ParseErrorKind::ContainerPastEnd {
                    element: name,
                    length,
                    available,
                    bound,
                },
                _ => ParseErrorKind::ElementPastEnd {
                    element: name,
                    length,
                    available,
                    bound,
                },
            });
        };
        Ok(self.advance(Element {
            offset: self.position,
            tag,
            length,
            encoding,
            value,
        }))
    }

    fn advance(&mut self, element: Element<'a>) -> Element<'a> {
        self.position = self.position.saturating_add(element.encoded_len());
        element
    }
}
