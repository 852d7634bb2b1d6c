//! Oddities a real file may have: reported, never fatal.

use crate::tlv::element::{Element, ElementName, Encoding, Section};
use crate::tlv::error::Place;

/// Something unusual about a file that still parses: kept in the model and shown in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Header or record N.
    pub place: Place,
    /// Byte offset of the element concerned.
    pub offset: usize,
    /// What is unusual.
    pub kind: WarningKind,
}

/// The kinds of oddity.
#[derive(Debug, Clone, PartialEq, Eq)]
// Exhaustive on purpose: every report names every variant, and the compiler checks it
// across the crate boundary.
pub enum WarningKind {
    /// A tag the format does not define: kept, shown and written back as found.
    UnknownTag {
        /// The tag.
        tag: u8,
        /// Its declared length.
        length: u16,
    },
    /// The same element twice; the first one is the one used.
    Duplicate {
        /// The element.
        element: ElementName,
    },
    /// An element whose value is not the size the format gives it; its typed value is unknown.
    UnexpectedLength {
        /// The element.
        element: ElementName,
        /// The size the format gives it.
        expected: u16,
        /// Its declared length.
        found: u16,
    },
    /// An element every real file has is absent.
    Missing {
        /// The element.
        element: ElementName,
    },
    /// HEADERLENGTH not a multiple of 4, which every real header is.
    HeaderNotPadded {
        /// The header's length.
        header_length: u16,
    },
    /// The CERTIFICATE element does not hold an X.509 certificate that parses.
    CertificateUnparseable {
        /// The X.509 parser's reason.
        reason: String,
    },
    /// The CERTIFICATE element holds bytes after the certificate's DER.
    CertificateTrailingBytes {
        /// How many.
        count: usize,
    },
}

impl WarningKind {
    /// A stable machine-readable name for the oddity.
    pub fn code(&self) -> &'static str {
        match self {
            WarningKind::UnknownTag { .. } => "unknown_tag",
            WarningKind::Duplicate { .. } => "duplicate_element",
            WarningKind::UnexpectedLength { .. } => "unexpected_length",
            WarningKind::Missing { .. } => "missing_element",
            WarningKind::HeaderNotPadded { .. } => "header_not_padded",
            WarningKind::CertificateUnparseable { .. } => "certificate_unparseable",
            WarningKind::CertificateTrailingBytes { .. } => "certificate_trailing_bytes",
        }
    }
}

/// The checks header and records share: duplicates, unknown tags, values of the wrong size.
///
/// `expected_length` gives the value size the format fixes for an element, where it fixes one.
pub fn check_elements(
    place: Place,
    section: Section,
    elements: &[Element<'_>],
    expected_length: impl Fn(&Element<'_>) -> Option<u16>,
    warnings: &mut Vec<Warning>,
) {
    let mut seen = [false; 256];
    for element in elements {
        let warn = |kind| Warning {
            place,
            offset: element.offset,
            kind,
        };
        let name = ElementName::new(section, element.tag);
        if element.encoding != Encoding::Padding
            && let Some(seen_before) = seen.get_mut(usize::from(element.tag))
        {
            if *seen_before {
                warnings.push(warn(WarningKind::Duplicate { element: name }));
            }
            *seen_before = true;
        }
        if name.known().is_none() {
            warnings.push(warn(WarningKind::UnknownTag {
                tag: element.tag,
                length: element.length,
            }));
        }
        if let Some(expected) = expected_length(element).filter(|&size| size != element.length) {
            warnings.push(warn(WarningKind::UnexpectedLength {
                element: name,
                expected,
                found: element.length,
            }));
        }
    }
}
