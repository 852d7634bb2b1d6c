//! Parse, verify, judge and report on Cisco CTL / ITL trust-list files (`CTLFile.tlv`,
//! `ITLFile.tlv`, `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`) and every other file a phone checks
//! before use: the library behind the `ctlkit` command.
//!
//! The names most programs need are at the root; the rest live in a module per concept:
//!
//! | what | where |
//! |---|---|
//! | parse a trust list without copying, write it back byte for byte | [`TrustList`] |
//! | any Cisco signed file: a trust list, a config, firmware | [`CiscoFile`], [`SignedFile`] |
//! | check a trust list's signature with its own SAST record | [`verify`] |
//! | the whole format layer: headers, records, serials, certificates, signatures, building and signing files in CUCM's layout | [`format`](mod@format) (the `ctlkit-format` crate) |
//! | would a phone holding a CTL and / or an ITL take a new list or config | [`would_accept`], [`acceptance`] |
//! | cross-check a list against CallManager.pem / CAPF.pem / TVS.pem / ITLRecovery.pem | [`check()`], [`mod@check`] |
//! | what changed between the phone's copy and the server's | [`diff()`], [`mod@diff`] |
//! | what phones and CUCM will refuse in a file | [`lint()`], [`mod@lint`] |
//! | a fleet phone by phone: each phone's CTL, ITL and config judged as the phone does | [`audit()`], [`mod@audit`] |
//! | a TFTP folder judged against a phone's lists | [`sweep()`], [`mod@sweep`] |
//! | what a file shows: checksums, decoded certificates, the signer's class | [`inspect`] |
//! | evidence: packet captures, the server fetched over TFTP, a phone's copies | [`evidence`] |
//! | pasted `show ctl` / `show itl` text, and comparing it with files and certificates | [`pasted`] |
//! | certificates and keys from PEM files; keys on tokens (feature `pkcs11`) | [`keys`] |
//! | reading files under a size limit, writing them atomically, walking folders | [`files`] |
//! | text, JSON and CSV reports: the only place sentences are written | [`report`] |
//!
//! Every byte of a trust list is treated as hostile: parsing never panics, runs in linear time
//! and memory, and a broken file gives a [`ParseError`] naming the offset and the element.
//! Oddities a real file may have are [`format::Warning`]s, never errors. Verdicts are data with
//! a stable `code`; [`report`] turns them into words. The library has no command-line
//! dependencies: build it with `default-features = false`. docs/ARCHITECTURE.md maps the
//! layers.
//!
//! ```
//! let bytes = std::fs::read("fixtures/ITLFile-csptechnologies.tlv")?;
//! let itl = ctlkit::TrustList::parse(&bytes)?;
//! assert_eq!(itl.kind(), Some(ctlkit::Kind::Itl));
//! assert_eq!(itl.records().len(), 5);
//! assert_eq!(itl.to_bytes(), bytes);
//! assert!(ctlkit::verify(&itl).is_valid());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub)]
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

pub mod evidence;
pub mod files;
mod judge;
pub mod keys;
pub mod report;

pub use ctlkit_format as format;
pub use judge::{acceptance, audit, boot, check, diff, inspect, lint, phone_models, sweep};

/// Pasted `show ctl` / `show itl` text: read back into its records and checksums, and compared
/// with a file (`diff_pasted`) and the cluster's certificates (`check_pasted`).
pub mod pasted {
    pub use crate::evidence::pasted::{PastedList, PastedRecord, is_pasted_show, parse_pasted};
    pub use crate::judge::pasted_compare::{
        ChecksumVerdict, PastedDiff, PastedFinding, PastedRecordChange, check_pasted, diff_pasted,
    };
}

pub use ctlkit_format::{
    Checksums, CiscoFile, DigestAlgorithm, Function, Header, Kind, ParseError, Record, Serial,
    SignedFile, TrustList, Verification, verify,
};
pub use files::{Input, LoadError, read_file};
pub use judge::acceptance::{Acceptance, AcceptanceVerdict, HeldList, would_accept};
pub use judge::audit::audit;
pub use judge::check::check;
pub use judge::diff::diff;
pub use judge::lint::lint;
pub use judge::sweep::sweep;
