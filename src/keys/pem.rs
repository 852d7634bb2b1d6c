//! Certificates and private keys from PEM files (or a bare DER certificate), as CUCM exports
//! them (`CallManager.pem`) or as an administrator keeps a signer (`cert + key` in one file).

use rsa::PrivateKey;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;

/// Why a PEM file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// Not PEM (and not a DER certificate either).
    #[error("not a PEM file: {0}")]
    NotPem(String),
    /// A private-key block that does not decode as an RSA key.
    #[error("the {block} block is not an RSA private key: {reason}")]
    BadKey {
        /// The PEM label.
        block: String,
        /// The decoder's reason.
        reason: String,
    },
    /// An encrypted key and no passphrase.
    #[error("the private key is encrypted and no passphrase was given")]
    NeedsPassphrase,
    /// A key of another type than RSA: every trust list and signed file seen is RSA-signed,
    /// and an encrypted config's key is RSA-wrapped.
    #[error(
        "the {block} block holds {algorithm} key: ctlkit signs and decrypts with RSA keys only, as every trust list and signed file seen is RSA-signed (ctlkit cert makes an RSA key unless given --curve)"
    )]
    UnsupportedKey {
        /// The PEM label.
        block: String,
        /// What the key is ("an EC", "a DSA"…).
        algorithm: &'static str,
    },
}

/// What a PEM file holds: its certificates (DER) in order, and a private key if it has one.
#[derive(Debug, Clone, Default)]
pub struct PemBundle {
    /// Each CERTIFICATE block, DER.
    pub certificates: Vec<Vec<u8>>,
    /// The first private key found (PKCS #1, PKCS #8, or encrypted PKCS #8).
    pub private_key: Option<PrivateKey>,
}

/// Reads every CERTIFICATE from PEM text (or a single DER certificate), ignoring any key:
/// what a record, a cluster certificate or a phone's certificate needs — the key beside it
/// (an EC key from `ctlkit cert` or certutils' mkcert) is not ours to read.
///
/// # Errors
///
/// [`KeyError::NotPem`] when the text is neither PEM nor DER.
pub fn read_pem_certificates(bytes: &[u8]) -> Result<Vec<Vec<u8>>, KeyError> {
    let blocks = pem::parse_many(bytes).map_err(|error| KeyError::NotPem(error.to_string()))?;
    if blocks.is_empty() {
        return match bytes.first() {
            Some(0x30) => Ok(vec![bytes.to_vec()]),
            _ => Err(KeyError::NotPem("no PEM block found".to_owned())),
        };
    }
    Ok(blocks
        .iter()
        .filter(|block| matches!(block.tag(), "CERTIFICATE" | "X509 CERTIFICATE"))
        .map(|block| block.contents().to_vec())
        .collect())
}

/// Reads every CERTIFICATE and the private key from PEM text; a file that is a single DER
/// certificate is accepted too. Other blocks are ignored.
///
/// # Errors
///
/// [`KeyError`] when the text is neither PEM nor DER, or a key block does not decode.
pub fn read_pem_bundle(bytes: &[u8], passphrase: Option<&str>) -> Result<PemBundle, KeyError> {
    let blocks = pem::parse_many(bytes).map_err(|error| KeyError::NotPem(error.to_string()))?;
    if blocks.is_empty() {
        // A DER certificate is a SEQUENCE (0x30); anything else is not ours to guess at.
        return match bytes.first() {
            Some(0x30) => Ok(PemBundle {
                certificates: vec![bytes.to_vec()],
                private_key: None,
            }),
            _ => Err(KeyError::NotPem("no PEM block found".to_owned())),
        };
    }
    let mut bundle = PemBundle::default();
    for block in blocks {
        let bad_key = |reason: String| KeyError::BadKey {
            block: block.tag().to_owned(),
            reason,
        };
        let key = match block.tag() {
            "CERTIFICATE" | "X509 CERTIFICATE" => {
                bundle.certificates.push(block.contents().to_vec());
                continue;
            }
            "PRIVATE KEY" => {
                if let Some(algorithm) = other_than_rsa(block.contents()) {
                    return Err(KeyError::UnsupportedKey {
                        block: block.tag().to_owned(),
                        algorithm,
                    });
                }
                PrivateKey::from_pkcs8_der(block.contents())
                    .map_err(|error| bad_key(error.to_string()))?
            }
            "RSA PRIVATE KEY" => PrivateKey::from_pkcs1_der(block.contents())
                .map_err(|error| bad_key(error.to_string()))?,
            "ENCRYPTED PRIVATE KEY" => {
                let passphrase = passphrase.ok_or(KeyError::NeedsPassphrase)?;
                PrivateKey::from_pkcs8_encrypted_der(block.contents(), passphrase)
                    .map_err(|error| bad_key(error.to_string()))?
            }
            "EC PRIVATE KEY" | "DSA PRIVATE KEY" | "OPENSSH PRIVATE KEY" => {
                return Err(KeyError::UnsupportedKey {
                    block: block.tag().to_owned(),
                    algorithm: match block.tag() {
                        "EC PRIVATE KEY" => "an EC",
                        "DSA PRIVATE KEY" => "a DSA",
                        _ => "an OpenSSH-format",
                    },
                });
            }
            _ => continue,
        };
        if bundle.private_key.is_none() {
            bundle.private_key = Some(key);
        }
    }
    Ok(bundle)
}

/// What a PKCS #8 key is when it is a known kind other than RSA (`None` for RSA, and for
/// anything else, whose decoding error then speaks).
fn other_than_rsa(der: &[u8]) -> Option<&'static str> {
    let info = rsa::pkcs8::PrivateKeyInfoRef::try_from(der).ok()?;
    match info.algorithm.oid.to_string().as_str() {
        "1.2.840.10045.2.1" => Some("an EC"),
        "1.2.840.10040.4.1" => Some("a DSA"),
        "1.3.101.112" => Some("an Ed25519"),
        "1.3.101.113" => Some("an Ed448"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{CertificateDigest, CertificateRequest, KeyKind, make_certificate};

    fn made(key: KeyKind) -> crate::keys::MadeCertificate {
        let request = CertificateRequest {
            common_name: "pbx.example".to_owned(),
            organization: "PBX".to_owned(),
            unit: "VOICE".to_owned(),
            locality: None,
            state: None,
            country: None,
            years: 1,
            key,
            digest: CertificateDigest::Sha256,
        };
        make_certificate(&request, time::OffsetDateTime::now_utc()).unwrap()
    }

    #[test]
    fn an_ec_key_is_named_for_what_it_is_and_its_certificate_still_reads() {
        let ec = made(KeyKind::P256);
        let both = format!("{}{}", ec.certificate_pem, ec.key_pem);
        let error = read_pem_bundle(both.as_bytes(), None).unwrap_err();
        assert_eq!(
            error,
            KeyError::UnsupportedKey {
                block: "PRIVATE KEY".to_owned(),
                algorithm: "an EC",
            }
        );
        assert!(error.to_string().contains("holds an EC key"), "{error}");
        assert_eq!(
            read_pem_certificates(both.as_bytes()).unwrap(),
            [ec.certificate_der]
        );
        // An RSA key beside its certificate reads as before.
        let rsa = made(KeyKind::Rsa(2048));
        let both = format!("{}{}", rsa.certificate_pem, rsa.key_pem);
        assert!(
            read_pem_bundle(both.as_bytes(), None)
                .unwrap()
                .private_key
                .is_some()
        );
    }
}
