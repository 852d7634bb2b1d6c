//! Fresh secrets from the operating system's random source, for encrypting a config: the
//! format crate takes them as given and reaches no operating system itself.

use ctlkit_format::sign::encrypt::EncryptionSecrets;

/// The operating system gave no random bytes.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random source failed: {0}")]
pub struct RandomError(String);

/// A new AES key, IV and key-wrap seed.
///
/// # Errors
///
/// [`RandomError`] when the operating system's random source fails.
pub fn encryption_secrets() -> Result<EncryptionSecrets, RandomError> {
    let mut secrets = EncryptionSecrets {
        key: [0; 16],
        iv: [0; 16],
        wrap_seed: [0; 32],
    };
    for buffer in [
        &mut secrets.key[..],
        &mut secrets.iv[..],
        &mut secrets.wrap_seed[..],
    ] {
        fill(buffer)?;
    }
    Ok(secrets)
}

/// Fills `buffer` from the operating system's random source.
///
/// # Errors
///
/// [`RandomError`] when the source fails.
pub(crate) fn fill(buffer: &mut [u8]) -> Result<(), RandomError> {
    getrandom::fill(buffer).map_err(|error| RandomError(error.to_string()))
}
