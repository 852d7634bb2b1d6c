//! The companion of an encrypted config: the `SEP<MAC>.cnf.xml.sgn` a phone fetches first,
//! holding only what it needs to fetch and check the encrypted one (docs/FORMAT.md §9, §14b) —
//! `fullConfig` false, the config's `ipAddressMode`, `loadInformation`, `capfAuthMode` and
//! `capfList` as they are, `certHash` (the MD5 of the phone's certificate, hex, as certutils
//! writes it) and `encrConfig` true.

use md5::{Digest, Md5};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The config's elements the companion keeps, in the config's order.
const KEPT: &[&str] = &[
    "ipAddressMode",
    "loadInformation",
    "capfAuthMode",
    "capfList",
];

/// Why no companion could be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompanionError {
    /// The config is not well-formed XML.
    #[error("the config is not XML: {0}")]
    NotXml(String),
    /// The config's root is not `<device>`.
    #[error("the config's root element is not <device>")]
    NotDevice,
}

/// The companion's XML for `config`, encrypted for the phone whose certificate (DER) is
/// `phone_certificate`.
///
/// # Errors
///
/// [`CompanionError`] when the config is not XML or its root is not `<device>`.
pub fn companion_config(
    config: &[u8],
    phone_certificate: &[u8],
) -> Result<Vec<u8>, CompanionError> {
    let mut reader = Reader::from_reader(config);
    let mut depth: usize = 0;
    let mut root_seen = false;
    let mut kept: Vec<&[u8]> = Vec::new();
    let not_xml = |error: &dyn std::fmt::Display| CompanionError::NotXml(error.to_string());
    loop {
        let start = position(&reader);
        match reader.read_event().map_err(|error| not_xml(&error))? {
            Event::Start(element) => {
                if depth == 0 {
                    if element.name().as_ref() != "device" || root_seen {
                        return Err(CompanionError::NotDevice);
                    }
                    root_seen = true;
                    depth = 1;
                } else if depth == 1 && KEPT.contains(&element.name().as_ref()) {
                    let name = element.name().as_ref().to_owned();
                    reader
                        .read_to_end(quick_xml::name::QName(&name))
                        .map_err(|error| not_xml(&error))?;
                    kept.extend(config.get(start..position(&reader)));
                } else {
                    depth = depth.saturating_add(1);
                }
            }
            Event::Empty(element) => {
                if depth == 0 {
                    return Err(CompanionError::NotDevice);
                }
                if depth == 1 && KEPT.contains(&element.name().as_ref()) {
                    kept.extend(config.get(start..position(&reader)));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(CompanionError::NotDevice);
    }
    let mut out =
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>\n  <fullConfig>false</fullConfig>\n"
            .to_vec();
    for element in kept {
        out.extend_from_slice(b"  ");
        out.extend_from_slice(element);
        out.push(b'\n');
    }
    out.extend_from_slice(b"  <certHash>");
    out.extend_from_slice(hex::encode(Md5::digest(phone_certificate)).as_bytes());
    out.extend_from_slice(b"</certHash>\n  <encrConfig>true</encrConfig>\n</device>\n");
    Ok(out)
}

/// Where the reader is, as an index into the config.
fn position(reader: &Reader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_companion_keeps_what_the_phone_needs_and_nothing_else() {
        let config = b"<?xml version=\"1.0\"?>\n<device xsi:type=\"axl\">\n<fullConfig>true</fullConfig>\n<loadInformation model=\"8845\">sip88xx.14-2</loadInformation>\n<sipProfile><phoneLabel>secret</phoneLabel></sipProfile>\n<capfList><capf><phonePort>3804</phonePort></capf></capfList>\n<ipAddressMode/>\n</device>\n";
        let companion = String::from_utf8(companion_config(config, b"cert").unwrap()).unwrap();
        assert!(
            companion.contains("<loadInformation model=\"8845\">sip88xx.14-2</loadInformation>")
        );
        assert!(
            companion.contains("<capfList><capf><phonePort>3804</phonePort></capf></capfList>")
        );
        assert!(companion.contains("<ipAddressMode/>"));
        assert!(companion.contains("<fullConfig>false</fullConfig>"));
        assert!(!companion.contains("secret") && !companion.contains("<fullConfig>true"));
        assert!(companion.contains(&format!(
            "<certHash>{}</certHash>",
            hex::encode(Md5::digest(b"cert"))
        )));
        assert!(companion.contains("<encrConfig>true</encrConfig>"));
        assert_eq!(
            companion_config(b"<other/>", b""),
            Err(CompanionError::NotDevice)
        );
        assert!(matches!(
            companion_config(b"<device><a></device>", b""),
            Err(CompanionError::NotXml(_))
        ));
    }
}
