//! Decrypting an encrypted config (`SEP<MAC>.cnf.xml.enc.sgn`) with the phone's private key
//! (docs/FORMAT.md §9): the AES key is RSA-wrapped (PKCS #1 v1.5) to the phone's certificate,
//! the payload is AES-CBC with the header's IV, the plaintext was padded by the count in tag 20,
//! and tag 27 holds the plaintext's hash — checked before anything is handed back.

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeDecrypt, KeyIvInit};
use rsa::PrivateKey;
use rsa::pkcs1v15::Pkcs1v15Encrypt;

use crate::file::signed_file::SignedFile;

/// AES works on 16-byte blocks.
const BLOCK: usize = 16;

/// Why an encrypted config could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// The file has no encryption block.
    #[error("not an encrypted config: the header has no encryption block (tags 16-27)")]
    NotEncrypted,
    /// An element the block needs is absent.
    #[error("the encryption block has no {0}")]
    Missing(&'static str),
    /// The wrapped key does not unwrap with this private key.
    #[error("the wrapped key does not decrypt with this private key (is it this phone's?)")]
    WrongKey,
    /// The unwrapped key is not an AES key: almost always another phone's private key (PKCS
    /// #1 v1.5 unwrapping with the wrong key can yield bytes instead of failing).
    #[error(
        "the wrapped key unwraps to {0} bytes, not an AES key (16, 24 or 32): is this the phone's private key?"
    )]
    KeyLength(usize),
    /// The IV is not one block.
    #[error("the IV is {0} bytes, not 16")]
    IvLength(usize),
    /// The ciphertext is not whole blocks.
    #[error("the encrypted payload is {0} bytes, not a multiple of 16")]
    NotWholeBlocks(usize),
    /// The padding count is larger than the plaintext.
    #[error("the padding count {padding} is larger than the {length}-byte plaintext")]
    PaddingTooLong {
        /// Tag 20.
        padding: u16,
        /// The decrypted length.
        length: usize,
    },
    /// The plaintext digest code has no algorithm.
    #[error("plaintext digest code {0} is not SHA-1, SHA-256 or SHA-512")]
    DigestUnsupported(u8),
    /// The decrypted plaintext does not have the header's hash.
    #[error(
        "the decrypted config does not match the header's hash (expected {expected}, got {found})"
    )]
    HashMismatch {
        /// Tag 27, hex.
        expected: String,
        /// The plaintext's hash, hex.
        found: String,
    },
}

/// The config inside an encrypted `.enc.sgn`, its padding removed and its hash checked.
///
/// # Errors
///
/// [`DecryptError`] when the file is not encrypted, the block is incomplete, the key is not
/// the phone's, or the result does not match the header's hash.
pub fn decrypt_config(
    file: &SignedFile<'_>,
    phone_key: &PrivateKey,
) -> Result<Vec<u8>, DecryptError> {
    let block = file.encryption().ok_or(DecryptError::NotEncrypted)?;
    let wrapped = block
        .wrapped_key
        .ok_or(DecryptError::Missing("wrapped key (tag 25)"))?;
    let iv = block.iv.ok_or(DecryptError::Missing("IV (tag 19)"))?;
    let expected = block
        .plaintext_hash
        .ok_or(DecryptError::Missing("plaintext hash (tag 27)"))?;
    let digest = block
        .plaintext_digest
        .ok_or(DecryptError::Missing("plaintext digest (tag 26)"))?;
    let key = phone_key
        .decrypt(Pkcs1v15Encrypt, wrapped)
        .map_err(|_| DecryptError::WrongKey)?;
    if iv.len() != BLOCK {
        return Err(DecryptError::IvLength(iv.len()));
    }
    let ciphertext = file.payload();
    if !ciphertext.len().is_multiple_of(BLOCK) {
        return Err(DecryptError::NotWholeBlocks(ciphertext.len()));
    }
    let mut plaintext = ciphertext.to_vec();
    let decrypted = match key.len() {
        16 => cbc_decrypt::<aes::Aes128>(&key, iv, &mut plaintext),
        24 => cbc_decrypt::<aes::Aes192>(&key, iv, &mut plaintext),
        32 => cbc_decrypt::<aes::Aes256>(&key, iv, &mut plaintext),
        other => return Err(DecryptError::KeyLength(other)),
    };
    if !decrypted {
        return Err(DecryptError::NotWholeBlocks(ciphertext.len()));
    }
    let padding = block.padding.unwrap_or(0);
    let length =
        plaintext
            .len()
            .checked_sub(usize::from(padding))
            .ok_or(DecryptError::PaddingTooLong {
                padding,
                length: plaintext.len(),
            })?;
    plaintext.truncate(length);
    let found = digest
        .digest(&plaintext)
        .ok_or(DecryptError::DigestUnsupported(digest.code()))?;
    if found != expected {
        return Err(DecryptError::HashMismatch {
            expected: hex::encode(expected),
            found: hex::encode(found),
        });
    }
    Ok(plaintext)
}

/// Decrypts whole blocks in place; false when the lengths do not fit.
fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> bool
where
    C: aes::cipher::BlockCipherDecrypt + aes::cipher::KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let Ok(decryptor) = cbc::Decryptor::<C>::new_from_slices(key, iv) else {
        return false;
    };
    decryptor.decrypt_padded::<NoPadding>(buffer).is_ok()
}
