//! Who holds the private key: the builders ask a [`RsaSigner`] for a signature, so a key read
//! from a PEM file and a key that never leaves a token (see `pkcs11`) sign through one door.

use rsa::PrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::signature::hazmat::PrehashSigner;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::file::header::DigestAlgorithm;

/// An RSA private key that can make PKCS #1 v1.5 signatures, wherever it lives.
///
/// The builders check [`public_key`](Self::public_key) against the signer's certificate
/// before asking for a signature, and verify the finished file afterwards, so an
/// implementation that signs with the wrong key is caught, never written.
pub trait RsaSigner: std::fmt::Debug {
    /// The public half: it must be the certificate's key, and its size decides
    /// SIGNATUREMODULUS.
    ///
    /// # Errors
    ///
    /// [`SignerError`] when the key's public half cannot be read (a token that hides it).
    fn public_key(&self) -> Result<RsaPublicParts, SignerError>;

    /// Signs `data` (the whole of it; hashing is the signer's business) with `digest`,
    /// RSA PKCS #1 v1.5.
    ///
    /// # Errors
    ///
    /// [`SignerError`] when the key or the device refuses.
    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignerError>;
}

/// An RSA public key as two big-endian integers without leading zero bytes, the form
/// certificates, PEM keys and PKCS #11 attributes can all be brought to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicParts {
    /// The modulus n.
    pub modulus: Vec<u8>,
    /// The public exponent e.
    pub exponent: Vec<u8>,
}

impl RsaPublicParts {
    /// Both integers with any leading zero bytes removed (DER INTEGERs carry a sign byte,
    /// PKCS #11 attributes sometimes pad).
    pub fn new(modulus: &[u8], exponent: &[u8]) -> Self {
        RsaPublicParts {
            modulus: trim_leading_zeros(modulus).to_vec(),
            exponent: trim_leading_zeros(exponent).to_vec(),
        }
    }

    /// The signature size in bits: the modulus length in whole bytes, as RSA pads to it.
    pub fn signature_bits(&self) -> usize {
        self.modulus.len().saturating_mul(8)
    }
}

fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes
        .iter()
        .position(|byte| *byte != 0)
        .unwrap_or(bytes.len());
    bytes.get(first..).unwrap_or_default()
}

/// Why a signer could not sign: what the key's holder said, kept with its source.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SignerError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl SignerError {
    /// Wraps any error from the key's holder.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        SignerError(Box::new(error))
    }
}

impl RsaSigner for PrivateKey {
    fn public_key(&self) -> Result<RsaPublicParts, SignerError> {
        Ok(RsaPublicParts::new(&self.n_bytes(), &self.e_bytes()))
    }

    fn sign(&self, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignerError> {
        sign(self, digest, data).map_err(SignerError::new)
    }
}

/// Why a signature could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The digest code has no algorithm behind it.
    #[error("cannot sign with digest code {}", .0.code())]
    UnsupportedDigest(DigestAlgorithm),
    /// The RSA operation failed.
    #[error("RSA signing failed: {0}")]
    Rsa(String),
}

/// Signs `data` with `key` and `digest`, RSA PKCS #1 v1.5 as phones expect.
///
/// # Errors
///
/// [`SignError`] for a digest code without an algorithm or an RSA failure.
pub fn sign(key: &PrivateKey, digest: DigestAlgorithm, data: &[u8]) -> Result<Vec<u8>, SignError> {
    fn with<D: Digest + rsa::pkcs8::AssociatedOid>(
        key: &PrivateKey,
        data: &[u8],
    ) -> Result<Vec<u8>, SignError> {
        let prehash = D::digest(data);
        let signature: Signature = SigningKey::<D>::new(key.clone())
            .sign_prehash(&prehash)
            .map_err(|error| SignError::Rsa(error.to_string()))?;
        Ok(Box::<[u8]>::from(signature).into_vec())
    }
    match digest {
        DigestAlgorithm::Sha1 => with::<Sha1>(key, data),
        DigestAlgorithm::Sha256 => with::<Sha256>(key, data),
        DigestAlgorithm::Sha512 => with::<Sha512>(key, data),
        other => Err(SignError::UnsupportedDigest(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_are_not_part_of_the_key() {
        let parts = RsaPublicParts::new(&[0, 0, 0xc3, 0x01], &[0, 1, 0, 1]);
        assert_eq!(parts.modulus, [0xc3, 0x01]);
        assert_eq!(parts.exponent, [1, 0, 1]);
        assert_eq!(parts.signature_bits(), 16);
        assert!(RsaPublicParts::new(&[0, 0], &[]).modulus.is_empty());
    }
}
