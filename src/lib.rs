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
//! library has no command-line dependencies: build it with `default-features = false`; the
//! format layer alone is the `ctlkit-format` crate. docs/ARCHITECTURE.md maps the layers.
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

mod evidence;
mod files;
mod judge;
mod keys;
pub mod report;

#[cfg(feature = "pkcs11")]
pub use keys::pkcs11;

pub use ctlkit_format::file::header::tag as header_tag;
pub use ctlkit_format::file::record::tag as record_tag;
pub use ctlkit_format::{
    Bound, BuildError, BuildRequest, BuildWarning, Built, CertificateInfo, Checksums, CiscoFile,
    DecryptError, DigestAlgorithm, Element, ElementName, Encoding, Encryption, Expiry, Function,
    Header, KeyInfo, KeyOrigin, KeyProblem, Kind, Outcome, ParseError, ParseErrorKind, PayloadKind,
    Place, Record, RecordBuilder, RsaPublicParts, RsaSigner, SIGNED_FILE_SIGNERS, Salvaged,
    Section, Serial, SerialParseError, SignError, SignRequest, SignatureStatus, SignedBytes,
    SignedFile, SignedFileBuilder, SignerCandidate, SignerClass, SignerError, SignerInfo,
    SignerMatch, SignerRef, TRUST_LIST_SIGNERS, TooLongPart, TrustList, TrustListBuilder,
    Verification, Warning, WarningKind, build_trust_list, decrypt_config, printable, sign,
    sign_payload, signer_class, verify, verify_header, verify_signed_file,
};
pub use evidence::capture::{
    CaptureDamage, CaptureOptions, CaptureReadError, CaptureSummary, HTTP_TFTP_PORT, Incomplete,
    Protocol, TFTP_PORT, Transfer, extract_transfers, is_capture,
};
pub use evidence::content::{Content, TransferFacts, captured_copies};
pub use evidence::pasted::{PastedList, PastedRecord, is_pasted_show, parse_pasted};
pub use evidence::phone_copy::{PhoneCopy, phone_name};
pub use evidence::tftp::{
    FetchOptions, MAX_USELESS_PACKETS, TftpError, TftpLimits, TftpProgress, TftpStep, TftpTransfer,
    TftpTransferError, TftpUrl, TftpViolation, fetch,
};
pub use files::atomic::{WriteError, write_atomically};
pub use files::input::{DEFAULT_MAX_SIZE, Input, LoadError, read_file, read_stream};
pub use judge::acceptance::{
    Acceptance, AcceptanceReason, AcceptanceVerdict, Anchor, FileKind, HeldList, HeldSetError,
    Phone, allowed_signers, check_held_set, judge_new_file, would_accept,
};
pub use judge::audit::{
    Audit, AuditProblem, AuditServer, AuditTarget, Group, PhoneFile, Standing, WalkError, audit,
    collect_files,
};
pub use judge::check::{
    Cause, CheckError, CheckStatus, Checked, Finding, Role, ServerCertificate, check, in_sync,
};
pub use judge::diff::{
    ByteComparison, ChangedField, ChecksumParseError, Diff, HeaderChange, PhoneChecksum,
    RecordChange, RecordSummary, SignedDiff, diff, diff_signed,
};
pub use judge::fleet::{
    FileFacts, FleetAudit, FleetServer, PhoneGroup, PhoneReason, PhoneRow, PhoneStanding,
    ServerCtl, Slot, audit_fleet, config_name,
};
pub use judge::inspect::{Inspection, RecordCertificate};
pub use judge::lint::{
    ITL_MAX_BYTES, ITL_MAX_CERTIFICATES, Lint, LintFinding, LintOptions, PASTED_RULES, Release,
    ReleaseBasis, Severity, known_key, lint, lint_pasted, release_basis,
};
pub use judge::pasted_compare::{
    ChecksumVerdict, PastedDiff, PastedFinding, PastedRecordChange, check_pasted, diff_pasted,
};
pub use judge::sweep::{SweepRow, SweptFile, sweep};
pub use keys::pem::{KeyError, PemBundle, read_pem_bundle};
