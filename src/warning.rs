//! Oddities a real file may have: reported, never fatal.

use std::fmt;

use crate::element::{Element, ElementName, Encoding, Section};
use crate::error::Place;

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

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at offset {}: {}", self.place, self.offset, self.kind)
    }
}

/// The kinds of oddity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WarningKind {
    /// A tag the format does not define: kept, shown and written back as found.
    #[error("unknown tag {tag} ({length} bytes), kept as found")]
    UnknownTag {
        /// The tag.
        tag: u8,
        /// Its declared length.
        length: u16,
    },
    /// The same element twice; the first one is the one used.
    #[error("second {element} element; the first one is used")]
    Duplicate {
        /// The element.
        element: ElementName,
    },
    /// An element whose value is not the size the format gives it; its typed value is unknown.
    #[error("{element} is {found} bytes long, expected {expected}")]
    UnexpectedLength {
        /// The element.
        element: ElementName,
        /// The size the format gives it.
        expected: u16,
        /// Its declared length.
        found: u16,
    },
    /// An element every real file has is absent.
    #[error("no {element} element")]
    Missing {
        /// The element.
        element: ElementName,
    },
    /// HEADERLENGTH not a multiple of 4, which every real header is.
    #[error("HEADERLENGTH {header_length} is not a multiple of 4")]
    HeaderNotPadded {
        /// The header's length.
        header_length: u16,
    },
    /// The CERTIFICATE element does not hold an X.509 certificate that parses.
    #[error("CERTIFICATE does not parse as X.509: {reason}")]
    CertificateUnparseable {
        /// The X.509 parser's reason.
        reason: String,
    },
    /// The CERTIFICATE element holds bytes after the certificate's DER.
    #[error("CERTIFICATE has {count} bytes after the certificate")]
    CertificateTrailingBytes {
        /// How many.
        count: usize,
    },
}

/// The checks header and records share: duplicates, unknown tags, values of the wrong size.
///
/// `expected_length` gives the value size the format fixes for an element, where it fixes one.
pub(crate) fn check_elements(
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
