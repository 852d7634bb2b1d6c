//! What a piece of evidence holds: a file that came out of a capture (or a copy that may be
//! damaged) read as ctlkit reads any file, so a report can say "an ITL", "a signed config" or
//! "a trust list, damaged at offset N" without each caller deciding it again.

use crate::capture::Transfer;
use crate::checksum::Checksums;
use crate::error::ParseError;
use crate::signed_file::{CiscoFile, PayloadKind};
use crate::trust_list::Kind;

/// What some bytes are, as far as ctlkit can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// A trust list that parses.
    TrustList(Option<Kind>),
    /// A signed file that is not a trust list.
    Signed(PayloadKind),
    /// It starts like a Cisco signed file (VERSION first) but does not parse: damaged, or cut
    /// short.
    Damaged(ParseError),
    /// Not a Cisco signed file.
    Other,
}

impl Content {
    /// What `bytes` are.
    pub fn of(bytes: &[u8]) -> Self {
        match CiscoFile::parse(bytes) {
            Ok(CiscoFile::TrustList(list)) => Content::TrustList(list.kind()),
            Ok(CiscoFile::Signed(file)) => Content::Signed(file.payload_kind()),
            Err(error) if starts_like_a_signed_file(bytes) => Content::Damaged(error),
            Err(_) => Content::Other,
        }
    }

    /// `ctl`, `itl`, `trust_list`, `signed`, `damaged`, `other`: the JSON spelling.
    pub fn code(&self) -> &'static str {
        match self {
            Content::TrustList(Some(Kind::Ctl)) => "ctl",
            Content::TrustList(Some(Kind::Itl)) => "itl",
            Content::TrustList(None) => "trust_list",
            Content::Signed(_) => "signed",
            Content::Damaged(_) => "damaged",
            Content::Other => "other",
        }
    }
}

/// VERSION (tag 1, length 2) first: how every Cisco signed file begins.
pub(crate) fn starts_like_a_signed_file(bytes: &[u8]) -> bool {
    bytes.starts_with(&[1, 0, 2])
}

/// A transfer's facts for a report: checksums and content of what arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferFacts {
    /// MD5 / SHA-1 / SHA-256 of the bytes that arrived.
    pub checksums: Checksums,
    /// What they are.
    pub content: Content,
}

impl TransferFacts {
    /// Reads a transfer's bytes.
    pub fn of(transfer: &Transfer) -> Self {
        TransferFacts {
            checksums: Checksums::of(&transfer.bytes),
            content: Content::of(&transfer.bytes),
        }
    }
}
