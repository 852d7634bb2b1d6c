//! What a piece of evidence holds: a file that came out of a capture (or a copy that may be
//! damaged) read as ctlkit reads any file, so a report can say "an ITL", "a signed config" or
//! "a trust list, damaged at offset N" without each caller deciding it again.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::evidence::capture::{
    CaptureOptions, CaptureReadError, CaptureSummary, Transfer, extract_transfers,
};
use crate::evidence::phone_copy::{PhoneCopy, phone_name};
use ctlkit_format::checksum::Checksums;
use ctlkit_format::file::signed_file::{CiscoFile, PayloadKind};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::tlv::error::ParseError;

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
/// the CTLs and configs fetched beside them). The copy's path reads `CAPTURE#ADDRESS/NAME`.
///
/// Within one capture, what one client address fetched is one phone's: a phone fetching
/// `CTLFile.tlv` and `ITLSEP<MAC>.tlv` is `SEP<MAC> (ADDRESS)` for both. An address none of
/// whose names carries a MAC is a phone named by its address. Where names from one address
/// carry two MACs (a NAT, or addresses reused over a long capture), each MAC stays its own
/// phone and the files without one are named `ADDRESS (shared by SEP…, SEP…)`, so a report
/// says so instead of guessing.
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
    struct Seen {
        first_packet: u64,
        address: IpAddr,
        /// `SEP<MAC>` when the name carries one.
        mac: Option<String>,
        base: String,
        bytes: Arc<[u8]>,
    }
    let mut seen: Vec<Seen> = Vec::new();
    let summary = extract_transfers(reader, options, &mut |transfer| {
        if !transfer.is_complete() || !wanted(&Content::of(&transfer.bytes)) {
            return;
        }
        let base = transfer.base_name();
        let by_name = phone_name(Path::new(&base));
        seen.push(Seen {
            first_packet: transfer.first_packet,
            address: transfer.client.ip(),
            mac: (by_name != base).then_some(by_name),
            base,
            bytes: Arc::from(transfer.bytes),
        });
    })?;
    let mut macs_by_address: BTreeMap<IpAddr, BTreeSet<String>> = BTreeMap::new();
    for copy in &seen {
        let macs = macs_by_address.entry(copy.address).or_default();
        if let Some(mac) = &copy.mac {
            macs.insert(mac.clone());
        }
    }
    seen.sort_by_key(|copy| copy.first_packet);
    let copies = seen
        .into_iter()
        .map(|copy| {
            let address = copy.address;
            let macs = macs_by_address.get(&address);
            let phone = match (&copy.mac, macs.map(BTreeSet::len).unwrap_or_default()) {
                (Some(mac), _) => format!("{mac} ({address})"),
                (None, 0) => address.to_string(),
                (None, 1) => {
                    let mac = macs.and_then(|macs| macs.first()).cloned();
                    format!("{} ({address})", mac.unwrap_or_default())
                }
                (None, _) => format!(
                    "{address} (shared by {})",
                    macs.map(|macs| macs.iter().cloned().collect::<Vec<_>>().join(", "))
                        .unwrap_or_default()
                ),
            };
            PhoneCopy {
                phone,
                path: PathBuf::from(format!("{capture_name}#{address}/{}", copy.base)),
                bytes: Some(copy.bytes),
            }
        })
        .collect();
    Ok((copies, summary))
}
