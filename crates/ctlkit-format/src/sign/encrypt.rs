//! Encrypting a config for one phone, as a TFTP server with "Encrypted Config" does
//! (docs/FORMAT.md §9): the XML padded with `\r` to whole AES blocks (always 1 to 16 bytes),
//! AES-128-CBC under a fresh key and IV, the key wrapped to the phone's certificate (RSA,
//! PKCS #1 v1.5), the plaintext's digest beside it; then signed like any config, VERSION 2.0.
//! The secrets come from the caller: this crate reaches no operating system.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use chacha20::ChaCha20Rng;
use chacha20::rand_core::SeedableRng;
use rsa::PublicKey;
use rsa::pkcs8::DecodePublicKey;
use x509_parser::prelude::{FromDer, X509Certificate};

use crate::file::header::DigestAlgorithm;
use crate::file::signed_file::{CiscoFile, PayloadKind};
use crate::sign::build::{BuildError, Built, SignRequest, sign_file};
use crate::tlv::encode::put_element;

/// AES block and key size in bytes.
const BLOCK: usize = 16;

/// The fresh secrets of one encryption: never reuse them.
#[derive(Clone)]
pub struct EncryptionSecrets {
    /// The AES-128 key.
    pub key: [u8; 16],
    /// The CBC initialisation vector.
    pub iv: [u8; 16],
    /// Seeds the random padding of the key wrap (PKCS #1 v1.5).
    pub wrap_seed: [u8; 32],
}

impl std::fmt::Debug for EncryptionSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EncryptionSecrets(..)")
    }
}

/// What goes into the signed file: header tags 16–27 and the ciphertext payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedConfig {
    /// Tags 16 (ENCRYPTION INFO: IV and KEY containers), 26 and 27, encoded.
    pub header: Vec<u8>,
    /// The ciphertext.
    pub ciphertext: Vec<u8>,
}

/// Encrypts `plaintext` for the phone whose certificate (DER) is `phone_certificate`; the
/// digest of the plaintext is taken with `digest` (SHA-1 or SHA-512, as the signature).
///
/// # Errors
///
/// [`BuildError::PhoneCertificate`] when the certificate does not parse or holds no RSA key
/// (a key can only be wrapped to RSA), [`BuildError::TooLong`] past a 2-byte length.
pub fn encrypt_config(
    plaintext: &[u8],
    phone_certificate: &[u8],
    digest: DigestAlgorithm,
    secrets: &EncryptionSecrets,
) -> Result<EncryptedConfig, BuildError> {
    let (_, certificate) = X509Certificate::from_der(phone_certificate)
        .map_err(|error| BuildError::PhoneCertificate(error.to_string()))?;
    let phone_key = PublicKey::from_public_key_der(certificate.public_key().raw)
        .map_err(|error| BuildError::PhoneCertificate(format!("not an RSA key: {error}")))?;
    let plaintext_digest = digest
        .digest(plaintext)
        .ok_or(BuildError::PhoneCertificate(format!(
            "no digest for code {}",
            digest.code()
        )))?;

    let padding = BLOCK.saturating_sub(plaintext.len() % BLOCK);
    let mut buffer = plaintext.to_vec();
    buffer.extend(std::iter::repeat_n(b'\r', padding));
    let length = buffer.len();
    cbc::Encryptor::<aes::Aes128>::new(&secrets.key.into(), &secrets.iv.into())
        .encrypt_padded::<NoPadding>(&mut buffer, length)
        .map_err(|_| BuildError::SelfCheck("the padded config is not whole AES blocks"))?;
    let wrapped = phone_key
        .encrypt(
            &mut ChaCha20Rng::from_seed(secrets.wrap_seed),
            rsa::pkcs1v15::Pkcs1v15Encrypt,
            &secrets.key,
        )
        .map_err(|error| BuildError::PhoneCertificate(format!("cannot wrap the key: {error}")))?;

    let mut iv_info = Vec::new();
    put_element(&mut iv_info, 18, &[0])?;
    put_element(&mut iv_info, 19, &secrets.iv)?;
    let padding_field = u16::try_from(padding).unwrap_or(16).to_be_bytes();
    put_element(&mut iv_info, 20, &padding_field)?;
    let mut key_info = Vec::new();
    put_element(&mut key_info, 22, &[0])?;
    let wrapped_bits = u16::try_from(wrapped.len().saturating_mul(8)).unwrap_or(u16::MAX);
    put_element(&mut key_info, 23, &wrapped_bits.to_be_bytes())?;
    put_element(&mut key_info, 24, &[1])?;
    put_element(&mut key_info, 25, &wrapped)?;
    let mut containers = Vec::new();
    put_element(&mut containers, 17, &iv_info)?;
    put_element(&mut containers, 21, &key_info)?;
    let mut header = Vec::new();
    put_element(&mut header, 16, &containers)?;
    put_element(&mut header, 26, &[digest.code()])?;
    put_element(&mut header, 27, &plaintext_digest)?;
    Ok(EncryptedConfig {
        header,
        ciphertext: buffer,
    })
}

/// Encrypts a config for one phone and signs it (VERSION 2.0, tags 16–27 after TIMESTAMP,
/// docs/FORMAT.md §9), then checks the result parses as an encrypted config and verifies.
///
/// # Errors
///
/// As [`sign_payload`](crate::sign::build::sign_payload), and [`BuildError::PhoneCertificate`] for a phone certificate that
/// cannot be encrypted to.
pub fn sign_encrypted(
    request: &SignRequest<'_>,
    phone_certificate: &[u8],
    secrets: &EncryptionSecrets,
) -> Result<Built, BuildError> {
    let encrypted = encrypt_config(request.payload, phone_certificate, request.digest, secrets)?;
    let built = sign_file(request, (2, 0), encrypted.header, encrypted.ciphertext)?;
    match CiscoFile::parse(&built.bytes) {
        Ok(CiscoFile::Signed(file)) if file.payload_kind() == PayloadKind::Encrypted => Ok(built),
        _ => Err(BuildError::SelfCheck(
            "does not parse as an encrypted config",
        )),
    }
}
