//! RFC 7512 PKCS #11 URIs: which token, which object, where the PIN comes from.
//!
//! Strict on purpose: an attribute ctlkit does not know (a typo such as `tokn=`) is an error,
//! not a filter that silently matches every token.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::error::UriError;

/// What kind of object a URI's `type=` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectType {
    /// `type=private`.
    PrivateKey,
    /// `type=public`.
    PublicKey,
    /// `type=cert`.
    Certificate,
}

/// A parsed `pkcs11:` URI. Every field is a filter; an empty URI (`pkcs11:`) matches the one
/// token and the one key there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    /// `token=`: the token's label.
    pub token: Option<String>,
    /// `manufacturer=`: the token's manufacturer.
    pub manufacturer: Option<String>,
    /// `model=`: the token's model.
    pub model: Option<String>,
    /// `serial=`: the token's serial number.
    pub serial: Option<String>,
    /// `slot-id=`: the module's slot number.
    pub slot_id: Option<u64>,
    /// `slot-description=`.
    pub slot_description: Option<String>,
    /// `slot-manufacturer=`.
    pub slot_manufacturer: Option<String>,
    /// `object=`: the object's label (CKA_LABEL).
    pub object: Option<String>,
    /// `id=`: the object's CKA_ID, bytes.
    pub id: Option<Vec<u8>>,
    /// `type=`.
    pub object_type: Option<ObjectType>,
    /// `?module-path=`: the module to load.
    pub module_path: Option<PathBuf>,
    /// `?pin-source=`: a file holding the PIN (a path, or a `file:` URI).
    pub pin_source: Option<PathBuf>,
}

/// Characters RFC 7512 lets stand unencoded in a value: unreserved, plus `:[]@!$'()*+,=&`.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',');

impl FromStr for Pkcs11Uri {
    type Err = UriError;

    fn from_str(text: &str) -> Result<Self, UriError> {
        let rest = text
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case("pkcs11:"))
            .and_then(|_| text.get(7..))
            .ok_or(UriError::Scheme)?;
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut uri = Pkcs11Uri::default();
        let mut seen: Vec<String> = Vec::new();
        let attributes = path
            .split(';')
            .map(|attribute| (attribute, false))
            .chain(query.split('&').map(|attribute| (attribute, true)));
        for (attribute, in_query) in attributes {
            if attribute.is_empty() {
                continue;
            }
            let (name, value) = attribute
                .split_once('=')
                .ok_or_else(|| UriError::NotAnAttribute(attribute.to_owned()))?;
            let name = name.to_ascii_lowercase();
            if seen.contains(&name) {
                return Err(UriError::Duplicate(name));
            }
            uri.set(&name, value, in_query)?;
            seen.push(name);
        }
        Ok(uri)
    }
}

impl Pkcs11Uri {
    fn set(&mut self, name: &str, value: &str, in_query: bool) -> Result<(), UriError> {
        let text = || decode_text(name, value);
        match (name, in_query) {
            ("token", false) => self.token = Some(text()?),
            ("manufacturer", false) => self.manufacturer = Some(text()?),
            ("model", false) => self.model = Some(text()?),
            ("serial", false) => self.serial = Some(text()?),
            ("slot-description", false) => self.slot_description = Some(text()?),
            ("slot-manufacturer", false) => self.slot_manufacturer = Some(text()?),
            ("object", false) => self.object = Some(text()?),
            ("id", false) => self.id = Some(decode_bytes(name, value)?),
            ("slot-id", false) => {
                let number = text()?;
                self.slot_id = Some(number.parse().map_err(|_| UriError::Value {
                    attribute: name.to_owned(),
                    value: number.clone(),
                    problem: "is not a slot number",
                })?);
            }
            ("type", false) => {
                let kind = text()?;
                self.object_type = Some(match kind.as_str() {
                    "private" => ObjectType::PrivateKey,
                    "public" => ObjectType::PublicKey,
                    "cert" => ObjectType::Certificate,
                    _ => {
                        return Err(UriError::Value {
                            attribute: name.to_owned(),
                            value: kind,
                            problem: "is not private, public or cert",
                        });
                    }
                });
            }
            ("module-path", true) => self.module_path = Some(PathBuf::from(text()?)),
            ("pin-source", true) => {
                let source = text()?;
                let path = source.strip_prefix("file:").unwrap_or(&source);
                self.pin_source = Some(PathBuf::from(path));
            }
            ("pin-value", true) => return Err(UriError::PinOnCommandLine),
            _ => return Err(UriError::Unknown(name.to_owned())),
        }
        Ok(())
    }

    /// The object part, for messages: `object=sast-a;id=%0a`, or "any key".
    pub fn object_part(&self) -> String {
        let mut parts = Vec::new();
        if let Some(object) = &self.object {
            parts.push(format!("object={}", utf8_percent_encode(object, VALUE)));
        }
        if let Some(id) = &self.id {
            parts.push(format!("id={}", encode_id(id)));
        }
        if parts.is_empty() {
            "any key".to_owned()
        } else {
            parts.join(";")
        }
    }

    /// The URI that names one object on one token: what `ctlkit tokens` prints.
    pub fn for_object(token: &str, label: &str, id: &[u8]) -> Self {
        Pkcs11Uri {
            token: Some(token.to_owned()),
            object: (!label.is_empty()).then(|| label.to_owned()),
            id: (!id.is_empty()).then(|| id.to_vec()),
            ..Pkcs11Uri::default()
        }
    }
}

/// Every byte of an id as `%XX`: ids are binary and read best that way.
fn encode_id(id: &[u8]) -> String {
    id.iter().map(|byte| format!("%{byte:02x}")).collect()
}

impl fmt::Display for Pkcs11Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut path = Vec::new();
        let text = [
            ("token", &self.token),
            ("manufacturer", &self.manufacturer),
            ("model", &self.model),
            ("serial", &self.serial),
            ("slot-description", &self.slot_description),
            ("slot-manufacturer", &self.slot_manufacturer),
        ];
        for (name, value) in text {
            if let Some(value) = value {
                path.push(format!("{name}={}", utf8_percent_encode(value, VALUE)));
            }
        }
        if let Some(slot) = self.slot_id {
            path.push(format!("slot-id={slot}"));
        }
        if let Some(object) = &self.object {
            path.push(format!("object={}", utf8_percent_encode(object, VALUE)));
        }
        if let Some(id) = &self.id {
            path.push(format!("id={}", encode_id(id)));
        }
        if let Some(kind) = self.object_type {
            let kind = match kind {
                ObjectType::PrivateKey => "private",
                ObjectType::PublicKey => "public",
                ObjectType::Certificate => "cert",
            };
            path.push(format!("type={kind}"));
        }
        write!(f, "pkcs11:{}", path.join(";"))?;
        let mut query = Vec::new();
        if let Some(module) = &self.module_path {
            let module = module.to_string_lossy();
            query.push(format!(
                "module-path={}",
                utf8_percent_encode(&module, VALUE)
            ));
        }
        if let Some(source) = &self.pin_source {
            let source = source.to_string_lossy();
            query.push(format!(
                "pin-source={}",
                utf8_percent_encode(&source, VALUE)
            ));
        }
        if !query.is_empty() {
            write!(f, "?{}", query.join("&"))?;
        }
        Ok(())
    }
}

/// Checks every `%` starts a two-digit hex escape (the decoder would pass a bad one through).
fn well_encoded(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.iter().enumerate().all(|(position, byte)| {
        *byte != b'%'
            || bytes
                .get(position.saturating_add(1)..position.saturating_add(3))
                .is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit))
    })
}

fn decode_bytes(name: &str, value: &str) -> Result<Vec<u8>, UriError> {
    if !well_encoded(value) {
        return Err(UriError::Encoding(name.to_owned()));
    }
    Ok(percent_decode_str(value).collect())
}

fn decode_text(name: &str, value: &str) -> Result<String, UriError> {
    String::from_utf8(decode_bytes(name, value)?).map_err(|_| UriError::Encoding(name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_examples_parse() {
        let uri: Pkcs11Uri =
            "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin"
                .parse()
                .unwrap();
        assert_eq!(uri.token.as_deref(), Some("The Software PKCS#11 Softtoken"));
        assert_eq!(uri.manufacturer.as_deref(), Some("Snake Oil, Inc."));
        assert_eq!(uri.object.as_deref(), Some("my-certificate"));
        assert_eq!(uri.object_type, Some(ObjectType::Certificate));
        assert_eq!(
            uri.id.as_deref(),
            Some(&[0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91][..])
        );
        assert_eq!(uri.serial.as_deref(), Some(""));
        assert_eq!(uri.pin_source, Some(PathBuf::from("/etc/token_pin")));
        assert_eq!(
            "pkcs11:".parse::<Pkcs11Uri>().unwrap(),
            Pkcs11Uri::default()
        );
        let module: Pkcs11Uri = "pkcs11:slot-id=3?module-path=/usr/lib/softhsm/libsofthsm2.so"
            .parse()
            .unwrap();
        assert_eq!(module.slot_id, Some(3));
        assert_eq!(
            module.module_path,
            Some(PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"))
        );
    }

    #[test]
    fn mistakes_are_refused_not_ignored() {
        let refused = |text: &str| text.parse::<Pkcs11Uri>().unwrap_err();
        assert_eq!(refused("token=a"), UriError::Scheme);
        assert_eq!(refused("pkcs11:tokn=a"), UriError::Unknown("tokn".into()));
        assert_eq!(
            refused("pkcs11:token=a;token=b"),
            UriError::Duplicate("token".into())
        );
        assert_eq!(refused("pkcs11:id=%0"), UriError::Encoding("id".into()));
        assert_eq!(
            refused("pkcs11:object=%ff"),
            UriError::Encoding("object".into())
        );
        assert_eq!(
            refused("pkcs11:token"),
            UriError::NotAnAttribute("token".into())
        );
        assert_eq!(
            refused("pkcs11:token=a?pin-value=1234"),
            UriError::PinOnCommandLine
        );
        // A query attribute in the path is not a query attribute.
        assert_eq!(
            refused("pkcs11:module-path=/x.so"),
            UriError::Unknown("module-path".into())
        );
        assert!(matches!(
            refused("pkcs11:slot-id=one"),
            UriError::Value { .. }
        ));
        assert!(matches!(
            refused("pkcs11:type=secret"),
            UriError::Value { .. }
        ));
    }

    #[test]
    fn what_is_printed_parses_back_to_the_same_uri() {
        let uri = Pkcs11Uri {
            token: Some("eToken A; SAST #1".into()),
            object: Some("sast/a".into()),
            id: Some(vec![0x0a, 0xff]),
            slot_id: Some(7),
            object_type: Some(ObjectType::PrivateKey),
            module_path: Some(PathBuf::from("/opt/lib/eTPkcs11.so")),
            pin_source: Some(PathBuf::from("/run/pin")),
            ..Pkcs11Uri::default()
        };
        let printed = uri.to_string();
        assert!(printed.contains("id=%0a%ff"), "{printed}");
        assert!(
            printed.contains("token=eToken%20A%3B%20SAST%20%231"),
            "{printed}"
        );
        assert_eq!(printed.parse::<Pkcs11Uri>().unwrap(), uri);
    }
}
