//! The checksums administrators compare trust lists by.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// MD5 and SHA-1 (what CUCM's `show ctl` and the phones show) and SHA-256, of a whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Checksums {
    /// MD5 of the file.
    pub md5: [u8; 16],
    /// SHA-1 of the file.
    pub sha1: [u8; 20],
    /// SHA-256 of the file.
    pub sha256: [u8; 32],
}

impl Checksums {
    /// The three checksums of `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Checksums {
            md5: Md5::digest(bytes).into(),
            sha1: Sha1::digest(bytes).into(),
            sha256: Sha256::digest(bytes).into(),
        }
    }

    /// MD5 in lower-case hex.
    pub fn md5_hex(&self) -> String {
        hex::encode(self.md5)
    }

    /// SHA-1 in lower-case hex.
    pub fn sha1_hex(&self) -> String {
        hex::encode(self.sha1)
    }

    /// SHA-256 in lower-case hex.
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

/// The checksums of bytes that come in pieces (a file read a block at a time, never whole).
#[derive(Debug, Clone, Default)]
pub struct ChecksumsHasher {
    md5: Md5,
    sha1: Sha1,
    sha256: Sha256,
}

impl ChecksumsHasher {
    /// Adds the next piece.
    pub fn update(&mut self, piece: &[u8]) {
        self.md5.update(piece);
        self.sha1.update(piece);
        self.sha256.update(piece);
    }

    /// The checksums of every piece added, in order.
    pub fn finish(self) -> Checksums {
        Checksums {
            md5: self.md5.finalize().into(),
            sha1: self.sha1.finalize().into(),
            sha256: self.sha256.finalize().into(),
        }
    }
}

/// SHA-1 of `bytes`: how `show ctl` identifies a record's certificate.
pub fn sha1(bytes: &[u8]) -> [u8; 20] {
    Sha1::digest(bytes).into()
}

/// SHA-256 of `bytes`.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_in_pieces_are_the_checksums_of_the_whole() {
        let mut hasher = ChecksumsHasher::default();
        for piece in [&b"a"[..], b"", b"bc"] {
            hasher.update(piece);
        }
        assert_eq!(hasher.finish(), Checksums::of(b"abc"));
    }

    #[test]
    fn checksums_of_known_input_match_published_test_vectors() {
        let sums = Checksums::of(b"abc");
        assert_eq!(sums.md5_hex(), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(sums.sha1_hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sums.sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
