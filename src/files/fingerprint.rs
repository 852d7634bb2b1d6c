//! What a page attached to a ticket says of each input: its size and checksums, read a block at
//! a time whatever its size, and whether it holds a private key (which is named, never
//! fingerprinted).

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use ctlkit_format::checksum::{Checksums, ChecksumsHasher};

/// A file's size and checksums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// Bytes.
    pub length: u64,
    /// MD5, SHA-1, SHA-256.
    pub checksums: Checksums,
    /// Whether the file holds a PEM private key.
    pub private_key: bool,
}

/// The PEM label every private key's armour carries (`RSA PRIVATE KEY`, `EC PRIVATE KEY`,
/// `ENCRYPTED PRIVATE KEY`).
const KEY_ARMOUR: &[u8] = b"PRIVATE KEY-----";

/// Reads `path` through once.
///
/// # Errors
///
/// The I/O error of opening or reading it.
pub fn fingerprint(path: &Path) -> io::Result<Fingerprint> {
    let mut file = File::open(path)?;
    let mut hasher = ChecksumsHasher::default();
    let mut block = vec![0u8; 64 * 1024];
    let mut length: u64 = 0;
    let mut private_key = false;
    // The armour may straddle two blocks: the tail of the last one is searched with the next.
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let count = match file.read(&mut block) {
            Ok(0) => break,
            Ok(count) => count,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        let piece = block.get(..count).unwrap_or_default();
        hasher.update(piece);
        length = length.saturating_add(u64::try_from(count).unwrap_or(u64::MAX));
        if !private_key {
            tail.extend_from_slice(piece);
            private_key = tail
                .windows(KEY_ARMOUR.len())
                .any(|window| window == KEY_ARMOUR);
            let keep = tail.len().saturating_sub(KEY_ARMOUR.len());
            tail.drain(..keep);
        }
    }
    Ok(Fingerprint {
        length,
        checksums: hasher.finish(),
        private_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_seen_even_across_blocks_and_checksums_match() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("signer.pem");
        let mut bytes = vec![b'x'; 64 * 1024 - 5];
        bytes.extend_from_slice(b"-----BEGIN PRIVATE KEY-----\n");
        std::fs::write(&path, &bytes).unwrap();
        let print = fingerprint(&path).unwrap();
        assert!(print.private_key);
        assert_eq!(print.length, bytes.len() as u64);
        assert_eq!(print.checksums, Checksums::of(&bytes));
        std::fs::write(&path, b"-----BEGIN CERTIFICATE-----").unwrap();
        assert!(!fingerprint(&path).unwrap().private_key);
    }
}
