//! Parse, report on and check Cisco CTL / ITL trust-list files (`CTLFile.tlv`, `ITLFile.tlv`,
//! `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`).
//!
//! | what | where |
//! |---|---|
//! | parse a file without copying, every element with its offset | [`TrustList::parse`] |
//! | write it back byte for byte | [`TrustList::to_bytes`] |
//! | header facts: signer, digest, signature, file name, timestamp | [`Header`] |
//! | record facts: function, names, serial, key, certificate, IP | [`Record`] |
//! | what a record's certificate says | [`CertificateInfo`] |
//! | check the signature, find the signer record | [`verify`] |
//! | would a phone holding list A accept list B | [`would_accept`] |
//! | MD5 / SHA-1 / SHA-256, as `show ctl` and phones show them | [`Checksums`] |
//! | build and sign a file from certificates, as the CTL client does | [`build_trust_list`] |
//! | write a new file in CUCM's layout (signature from a closure) | [`TrustListBuilder`] |
//! | cross-check against CallManager.pem / CAPF.pem / TVS.pem / ITLRecovery.pem | [`check()`] |
//! | what changed between the phone's copy and the server's | [`diff()`] |
//! | a fleet's files grouped by content and judged | [`audit()`] |
//! | `show ctl`-style text and JSON reports | [`report`] |
//! | fetch a file over TFTP, as phones do | [`fetch`] |
//!
//! Every byte of a trust list is treated as hostile: parsing never panics, runs in linear time
//! and memory, and a broken file gives a [`ParseError`] naming the offset and the element.
//! Oddities a real file may have (unknown tags, missing optional fields, a certificate that does
//! not decode) are [`Warning`]s, never errors.
//!
//! ```
//! let bytes = std::fs::read("fixtures/ITLFile-csptechnologies.tlv")?;
//! let itl = ctlkit::TrustList::parse(&bytes)?;
//! assert_eq!(itl.kind(), Some(ctlkit::Kind::Itl));
//! assert_eq!(itl.records().len(), 5);
//! assert_eq!(itl.to_bytes(), bytes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
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

pub mod audit;
pub mod build;
mod certificate;
pub mod check;
mod checksum;
pub mod diff;
mod element;
mod error;
pub mod header;
mod input;
mod inspect;
mod keys;
mod reader;
pub mod record;
pub mod report;
pub mod signature;
mod text;
pub mod tftp;
pub mod trust;
mod trust_list;
mod warning;
mod write;

pub use audit::{Audit, Group, PhoneFile, audit, collect_files, phone_name};
pub use build::{
    BuildError, BuildRequest, Built, RecordBuilder, SignerInfo, TrustListBuilder, build_trust_list,
};
pub use certificate::{CertificateInfo, KeyInfo, serial_magnitude};
pub use check::{CheckError, CheckStatus, Finding, Role, ServerCertificate, check};
pub use checksum::Checksums;
pub use diff::{Diff, HeaderChange, PhoneChecksum, RecordChange, RecordSummary, diff};
pub use element::{Element, ElementName, Encoding, Section};
pub use error::{Bound, LoadError, ParseError, ParseErrorKind, Place};
pub use header::{DigestAlgorithm, Header};
pub use input::{DEFAULT_MAX_SIZE, Input, read_input};
pub use inspect::{Inspection, RecordCertificate};
pub use keys::{KeyError, PemBundle, read_pem_bundle};
pub use record::{Function, Record};
pub use signature::{
    SignError, SignatureStatus, SignerMatch, Verification, sign, verify, verify_with_keys_from,
};
pub use text::{printable, serial_hex};
pub use tftp::{FetchOptions, TftpError, TftpUrl, fetch};
pub use trust::{Acceptance, AcceptanceVerdict, HeldList, would_accept};
pub use trust_list::{Kind, TrustList};
pub use warning::{Warning, WarningKind};
pub use write::{WriteError, write_atomically};
