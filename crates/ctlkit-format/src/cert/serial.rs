//! Certificate serial numbers as trust lists store them, compare them and print them
//! (docs/FORMAT.md §3).

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// A certificate serial number: the bytes as a file stores them, compared as a number.
///
/// Files store the unsigned big-endian magnitude without the DER sign byte, but writers differ
/// in leading zeros, so two serials are equal when they are the same number: `00:83:01` equals
/// `83:01`. Display keeps every stored byte (`show ctl` prints what is there), upper-case hex
/// pairs joined by `:`.
#[derive(Debug, Clone)]
pub struct Serial<'a> {
    stored: Cow<'a, [u8]>,
}

impl<'a> Serial<'a> {
    /// A serial as a file stores it, bytes kept as found.
    pub fn from_stored(bytes: &'a [u8]) -> Self {
        Serial {
            stored: Cow::Borrowed(bytes),
        }
    }

    /// A serial from a certificate's DER INTEGER content: the sign byte (and any other leading
    /// zero) dropped, as CUCM writes it. A zero serial keeps one byte.
    pub fn from_der_integer(content: &'a [u8]) -> Self {
        let first_significant = content
            .iter()
            .position(|&byte| byte != 0)
            .unwrap_or(content.len().saturating_sub(1));
        Serial {
            stored: Cow::Borrowed(content.get(first_significant..).unwrap_or(content)),
        }
    }

    /// A serial owning `bytes`, kept as given.
    pub fn from_owned(bytes: Vec<u8>) -> Serial<'static> {
        Serial {
            stored: Cow::Owned(bytes),
        }
    }

    /// The bytes as stored.
    pub fn as_bytes(&self) -> &[u8] {
        &self.stored
    }

    /// The same serial, owning its bytes.
    pub fn into_owned(self) -> Serial<'static> {
        Serial {
            stored: Cow::Owned(self.stored.into_owned()),
        }
    }

    /// Whether `stored` (a file's SERIALNUMBER) is the same number.
    pub fn matches(&self, stored: &[u8]) -> bool {
        significant(&self.stored) == significant(stored)
    }
}

/// The bytes without leading zeros: what makes two spellings of a number equal.
fn significant(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&byte| byte != 0)
        .unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

impl PartialEq for Serial<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.matches(&other.stored)
    }
}

impl Eq for Serial<'_> {}

impl Hash for Serial<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        significant(&self.stored).hash(state);
    }
}

impl fmt::Display for Serial<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (position, byte) in self.stored.iter().enumerate() {
            if position > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

/// A serial typed by a person was not hexadecimal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a hexadecimal serial number")]
pub struct SerialParseError {
    /// What was typed.
    pub text: String,
}

impl FromStr for Serial<'static> {
    type Err = SerialParseError;

    /// `83:E9:08…`, `83e908…`, `83 e9 08`, `83-E9`: any case, colons, spaces or dashes.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let digits: String = text
            .chars()
            .filter(|character| !matches!(character, ':' | ' ' | '-'))
            .collect();
        hex::decode(&digits)
            .ok()
            .filter(|bytes| !bytes.is_empty())
            .map(|bytes| Serial {
                stored: Cow::Owned(bytes),
            })
            .ok_or_else(|| SerialParseError {
                text: text.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_compare_as_numbers() {
        assert_eq!(
            Serial::from_stored(&[0, 0x83, 1]),
            Serial::from_stored(&[0x83, 1])
        );
        assert_ne!(
            Serial::from_stored(&[0x83, 1]),
            Serial::from_stored(&[0x83, 1, 0])
        );
        assert_eq!(Serial::from_stored(&[]), Serial::from_stored(&[0]));
    }

    #[test]
    fn der_integers_lose_only_leading_zero_bytes() {
        assert_eq!(
            Serial::from_der_integer(&[0x00, 0x83, 0x00]).as_bytes(),
            [0x83, 0x00]
        );
        assert_eq!(Serial::from_der_integer(&[0x01]).as_bytes(), [0x01]);
        assert_eq!(Serial::from_der_integer(&[0x00]).as_bytes(), [0x00]);
    }

    #[test]
    fn display_keeps_every_stored_byte() {
        assert_eq!(
            Serial::from_stored(&[0x00, 0x83, 0x0a]).to_string(),
            "00:83:0A"
        );
        assert_eq!(Serial::from_stored(&[]).to_string(), "");
    }

    #[test]
    fn parses_what_people_type() {
        for text in ["83:E9:08", "83e908", "83 e9 08", "83-E9-08"] {
            let serial: Serial<'static> = text.parse().unwrap();
            assert_eq!(serial.as_bytes(), [0x83, 0xe9, 0x08], "{text}");
        }
        for bad in ["", "xyz", "8"] {
            assert!(bad.parse::<Serial<'static>>().is_err(), "{bad}");
        }
    }
}
