//! What a piece of evidence holds: a file that came out of a capture (or a copy that may be
//! damaged) read as ctlkit reads any file, so a report can say "an ITL", "a signed config" or
//! "a trust list, damaged at offset N" without each caller deciding it again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::audit::{PhoneCopy, phone_name};
use crate::capture::{
    CaptureOptions, CaptureReadError, CaptureSummary, Transfer, extract_transfers,
};
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

/// The copies a capture shows phones receiving whole, as audit input: each complete transfer
/// whose content `wanted` accepts (the server file's kind: an ITL audit takes the ITLs, not
/// the CTLs and configs fetched beside them). A phone is named by the MAC in `CTLSEP<MAC>` /
/// `ITLSEP<MAC>` and its address, else by its address; the copy's path reads
/// `CAPTURE#ADDRESS/NAME`.
///
/// # Errors
///
/// [`CaptureReadError`] when the input is not a capture.
pub fn captured_copies(
    reader: impl std::io::Read + Send,
    capture_name: &str,
    options: &CaptureOptions,
    wanted: &dyn Fn(&Content) -> bool,
) -> Result<(Vec<PhoneCopy>, CaptureSummary), CaptureReadError> {
    let mut copies: Vec<(u64, PhoneCopy)> = Vec::new();
    let summary = extract_transfers(reader, options, &mut |transfer| {
        if !transfer.is_complete() || !wanted(&Content::of(&transfer.bytes)) {
            return;
        }
        let base = transfer.base_name();
        let address = transfer.client.ip();
        let by_name = phone_name(Path::new(&base));
        let phone = if by_name != base {
            format!("{by_name} ({address})")
        } else {
            address.to_string()
        };
        copies.push((
            transfer.first_packet,
            PhoneCopy {
                phone,
                path: PathBuf::from(format!("{capture_name}#{address}/{base}")),
                bytes: Some(Arc::from(transfer.bytes)),
            },
        ));
    })?;
    copies.sort_by_key(|(first_packet, _)| *first_packet);
    Ok((copies.into_iter().map(|(_, copy)| copy).collect(), summary))
}
