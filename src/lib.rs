//! Parse, report on and check Cisco CTL / ITL trust-list files (`CTLFile.tlv`, `ITLFile.tlv`,
//! `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`).
//!
//! | what | where |
//! |---|---|
//! | parse a file without copying, every element with its offset | [`TrustList::parse`] |
//! | write it back byte for byte | [`TrustList::to_bytes`] |
//! | the signed header every Cisco signed file shares: signer, digest, signature, file name, timestamp, what is signed | [`Header`] |
//! | record facts: function, names, serial, key, certificate, IP | [`Record`] |
//! | what a record's certificate says | [`CertificateInfo`] |
//! | check a trust list's signature with its own SAST record | [`verify`] |
//! | check any signed header against candidate keys and the roles allowed to sign | [`verify_header`] |
//! | would a phone holding a CTL and / or an ITL accept a new list | [`would_accept`] |
//! | MD5 / SHA-1 / SHA-256, as `show ctl` and phones show them | [`Checksums`] |
//! | build and sign a file from certificates, as the CTL client does | [`build_trust_list`] |
//! | write a new file in CUCM's layout (signature from a closure) | [`TrustListBuilder`] |
//! | whatever holds the signing key: a PEM key, a key on an eToken / PKCS #11 token (feature `pkcs11`) | [`RsaSigner`], `pkcs11` |
//! | cross-check against CallManager.pem / CAPF.pem / TVS.pem / ITLRecovery.pem | [`check()`] |
//! | what changed between the phone's copy and the server's | [`diff()`] |
//! | a fleet phone by phone: each phone's CTL, ITL and config judged as the phone does | [`audit_fleet`] |
//! | copies grouped by content against one server file | [`audit()`] |
//! | `show ctl`-style text, JSON and CSV reports: the only place sentences are written | [`report`] |
//! | fetch a file over TFTP, as phones do | [`fetch`] |
//! | the TFTP protocol as a state machine without I/O | [`TftpTransfer`] |
//! | read a file under a size limit, write one atomically | [`read_file`], [`write_atomically`] |
//!
//! Every byte of a trust list is treated as hostile: parsing never panics, runs in linear time
//! and memory, and a broken file gives a [`ParseError`] naming the offset and the element.
//! Oddities a real file may have (unknown tags, missing optional fields, a certificate that does
//! not decode) are [`Warning`]s, never errors.
//!
//! Verdicts are data: [`Verification`], [`AcceptanceVerdict`], [`Finding`], [`Diff`] and
//! [`Audit`] carry the facts and a stable `code`; [`report`] turns them into words. The
//! library has no command-line dependencies: build it with `default-features = false`.
//! docs/ARCHITECTURE.md maps the layers.
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

mod atomic;
mod audit;
mod build;
mod capture;
mod certificate;
mod check;
mod checksum;
mod decrypt;
mod diff;
mod element;
mod encode;
mod error;
mod evidence;
mod fleet;
mod header;
mod input;
mod inspect;
mod keys;
mod lint;
mod names;
mod pasted;
mod pasted_compare;
#[cfg(feature = "pkcs11")]
pub mod pkcs11;
mod reader;
mod record;
pub mod report;
mod serial;
mod signature;
mod signed_file;
mod signer;
mod signer_class;
mod sweep;
mod tags;
mod text;
mod tftp;
mod timefmt;
mod trust;
mod trust_list;
mod warning;

pub use atomic::{WriteError, write_atomically};
pub use audit::{
    Audit, AuditProblem, AuditServer, AuditTarget, Group, PhoneCopy, PhoneFile, Standing,
    WalkError, audit, collect_files, phone_name,
};
pub use build::{
    BuildError, BuildRequest, BuildWarning, Built, RecordBuilder, SignRequest, SignedFileBuilder,
    SignerInfo, TooLongPart, TrustListBuilder, build_trust_list, sign_payload,
};
pub use capture::{
    CaptureDamage, CaptureOptions, CaptureReadError, CaptureSummary, HTTP_TFTP_PORT, Incomplete,
    Protocol, TFTP_PORT, Transfer, extract_transfers, is_capture,
};
pub use certificate::{CertificateInfo, Expiry, KeyInfo};
pub use check::{
    Cause, CheckError, CheckStatus, Checked, Finding, Role, ServerCertificate, check, in_sync,
};
pub use checksum::Checksums;
pub use decrypt::{DecryptError, decrypt_config};
pub use diff::{
    ByteComparison, ChangedField, ChecksumParseError, Diff, HeaderChange, PhoneChecksum,
    RecordChange, RecordSummary, SignedDiff, diff, diff_signed,
};
pub use element::{Element, ElementName, Encoding, Section};
pub use error::{Bound, LoadError, ParseError, ParseErrorKind, Place};
pub use evidence::{Content, TransferFacts, captured_copies};
pub use fleet::{
    FileFacts, FleetAudit, FleetServer, PhoneGroup, PhoneReason, PhoneRow, PhoneStanding,
    ServerCtl, Slot, audit_fleet, config_name,
};
pub use header::{DigestAlgorithm, Header, SignedBytes, tag as header_tag};
pub use input::{DEFAULT_MAX_SIZE, Input, read_file, read_stream};
pub use inspect::{Inspection, RecordCertificate};
pub use keys::{KeyError, PemBundle, read_pem_bundle};
pub use lint::{
    ITL_MAX_BYTES, ITL_MAX_CERTIFICATES, Lint, LintFinding, LintOptions, PASTED_RULES, Release,
    ReleaseBasis, Severity, known_key, lint, lint_pasted, release_basis,
};
pub use signer_class::{SignerClass, signer_class};
pub use pasted::{PastedList, PastedRecord, is_pasted_show, parse_pasted};
pub use pasted_compare::{
    ChecksumVerdict, PastedCheckError, PastedDiff, PastedFinding, PastedRecordChange, check_pasted,
    diff_pasted,
};
pub use record::{Function, Record, tag as record_tag};
pub use serial::{Serial, SerialParseError};
pub use signature::{
    KeyOrigin, KeyProblem, Outcome, SIGNED_FILE_SIGNERS, SignatureStatus, SignerCandidate,
    SignerMatch, SignerRef, TRUST_LIST_SIGNERS, Verification, verify, verify_header,
    verify_signed_file,
};
pub use signed_file::{CiscoFile, Encryption, PayloadKind, SignedFile};
pub use signer::{RsaPublicParts, RsaSigner, SignError, SignerError, sign};
pub use sweep::{SweepRow, SweptFile, sweep};
pub use text::printable;
pub use tftp::{
    FetchOptions, MAX_USELESS_PACKETS, TftpError, TftpLimits, TftpProgress, TftpStep, TftpTransfer,
    TftpTransferError, TftpUrl, TftpViolation, fetch,
};
pub use trust::{
    Acceptance, AcceptanceReason, AcceptanceVerdict, Anchor, FileKind, HeldList, HeldSetError,
    Phone, allowed_signers, check_held_set, judge_new_file, would_accept,
};
pub use trust_list::{Kind, Salvaged, TrustList};
pub use warning::{Warning, WarningKind};
