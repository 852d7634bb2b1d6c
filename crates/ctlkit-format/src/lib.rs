//! The format layer of ctlkit: every Cisco file a phone checks before use — CTL and ITL trust
//! lists, signed and encrypted configs, firmware headers — read without copying, verified,
//! built and signed. No files, no threads, no network, no terminal: the crate boundary keeps
//! those out (`cargo tree -p ctlkit-format` shows none of them), so a program that only wants to
//! parse a trust list pulls only what parsing and signing need.
//!
//! | what | where |
//! |---|---|
//! | the TLV elements, their tags and the one careful reader of untrusted bytes | [`tlv`] |
//! | the signed header, records, a whole trust list, any other signed file, decryption | [`file`](mod@file) |
//! | serials, names as writers spell them, certificates, who signed | [`cert`] |
//! | checking and making signatures, building files in CUCM's layout | [`sign`](mod@sign) |
//!
//! Every byte is treated as hostile: parsing never panics, runs in linear time and memory, and
//! a broken file gives a [`ParseError`] naming the place, the offset and the element.
//! docs/ARCHITECTURE.md in the ctlkit repository maps the layers.
//!
//! ```
//! let bytes = std::fs::read("../../fixtures/ITLFile-csptechnologies.tlv")?;
//! let itl = ctlkit_format::TrustList::parse(&bytes)?;
//! assert_eq!(itl.records().len(), 5);
//! assert!(ctlkit_format::verify(&itl).is_valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects,
        clippy::as_conversions,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

pub mod cert;
pub mod checksum;
pub mod file;
pub mod sign;
pub mod text;
pub mod timefmt;
pub mod tlv;

pub use cert::certificate::{CertificateInfo, Expiry, KeyInfo};
pub use cert::serial::{Serial, SerialParseError};
pub use cert::signer_class::{SignerClass, signer_class};
pub use checksum::Checksums;
pub use file::decrypt::{DecryptError, decrypt_config};
pub use file::header::{DigestAlgorithm, Header, SignedBytes};
pub use file::record::{Function, Record};
pub use file::signed_file::{CiscoFile, Encryption, PayloadKind, SignedFile};
pub use file::trust_list::{Kind, Salvaged, TrustList};
pub use sign::build::{
    BuildError, BuildRequest, BuildWarning, Built, RecordBuilder, SignRequest, SignedFileBuilder,
    SignerInfo, SigningFailure, TooLongPart, TrustListBuilder, build_trust_list, sign_payload,
};
pub use sign::companion::{CompanionError, companion_config};
pub use sign::encrypt::{EncryptedConfig, EncryptionSecrets, encrypt_config, sign_encrypted};
pub use sign::signature::{
    KeyOrigin, KeyProblem, Outcome, SIGNED_FILE_SIGNERS, SignatureStatus, SignerCandidate,
    SignerMatch, SignerRef, TRUST_LIST_SIGNERS, Verification, verify, verify_header,
    verify_signed_file,
};
pub use sign::signer::{RsaPublicParts, RsaSigner, SignError, SignerError, sign};
pub use text::printable;
pub use tlv::element::{Element, ElementName, Encoding, Section};
pub use tlv::error::{Bound, ParseError, ParseErrorKind, Place};
pub use tlv::warning::{Warning, WarningKind};
