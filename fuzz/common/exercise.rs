//! What every fuzz target does, shared with `tests/fuzz_regressions.rs` (which replays past
//! crashes and the seed corpus under plain `cargo test`) and `tests/properties.rs`.
//!
//! Each function panics only when ctlkit breaks one of its promises: a panic inside the
//! library, a parsed file that does not write back to the same bytes, a report that is not
//! valid JSON.

#![allow(dead_code)]

use std::net::SocketAddr;

use arbitrary::Arbitrary;
use ctlkit::acceptance::{FileKind, judge_new_file};
use ctlkit::check::{Role, ServerCertificate};
use ctlkit::diff::diff_signed;
use ctlkit::evidence::TransferFacts;
use ctlkit::evidence::capture::{CaptureOptions, extract_transfers};
use ctlkit::evidence::tftp::{MAX_USELESS_PACKETS, TftpLimits, TftpProgress, TftpTransfer};
use ctlkit::format::verify_signed_file;
use ctlkit::inspect::Inspection;
use ctlkit::lint::{LintOptions, Release};
use ctlkit::report::{
    DamagedShowReport, ExtractReport, ExtractRow, LintReport, Render, ReportContext, ShowReport,
    SignedDiffReport, SignedShowReport,
};
use ctlkit::{
    CiscoFile, HeldList, Kind, TrustList, lint, verify as verify_signature, would_accept,
};

/// The trust list a phone holds in the `verify` target: the token-signed mixed-mode CTL.
const HELD: &[u8] = include_bytes!("../../fixtures/CTLFile-etoken-sha1.tlv");
/// A cluster certificate the lint rules compare anchors with (PEM).
const CALLMANAGER_PEM: &[u8] = include_bytes!("../../fixtures/cluster/CallManager-cucm-pub.pem");

/// That certificate's DER, decoded once.
fn callmanager_der() -> &'static [u8] {
    static DER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    DER.get_or_init(|| {
        ctlkit::keys::read_pem_bundle(CALLMANAGER_PEM, None)
            .expect("the fixture is PEM")
            .certificates
            .remove(0)
    })
}

/// Any bytes: parsing returns, it never panics; a signed file's payload runs to the end.
pub fn parse(data: &[u8]) {
    let _ = TrustList::parse(data);
    // What an error says a misplaced file is: any bytes.
    let _ = ctlkit::evidence::recognise(data);
    // As pasted text: reading never panics, whatever the bytes.
    if ctlkit::pasted::is_pasted_show(data) || data.len() < 4096 {
        let text = String::from_utf8_lossy(data);
        let _ = ctlkit::pasted::parse_pasted(&text);
        // The same words with every line break lost, as a ticket system pastes them: the
        // un-flattening path (long line, table heading) is reached whatever the bytes.
        let flattened = format!(
            "BYTEPOS {}{}",
            text.split_whitespace().collect::<Vec<_>>().join(" "),
            " ".repeat(301)
        );
        let _ = ctlkit::pasted::parse_pasted(&flattened);
    }
    if let Ok(CiscoFile::Signed(file)) = CiscoFile::parse(data) {
        assert_eq!(
            file.payload_offset() + file.payload().len(),
            data.len(),
            "the payload is everything after the header"
        );
        let _ = file.load_list_images();
    }
}

/// Whatever parses writes back to exactly the same bytes.
pub fn roundtrip(data: &[u8]) {
    if let Ok(list) = TrustList::parse(data) {
        assert_eq!(
            list.to_bytes(),
            data,
            "a parsed file must write back unchanged"
        );
    }
}

/// Signature check and the phone's verdict against a fixed held CTL.
pub fn verify(data: &[u8]) {
    let Ok(list) = TrustList::parse(data) else {
        return;
    };
    let own = verify_signature(&list);
    let held = TrustList::parse(HELD).expect("the held fixture parses");
    let holding = [HeldList {
        name: "held",
        kind: Kind::Ctl,
        list: &held,
    }];
    for kind in [Kind::Ctl, Kind::Itl] {
        for has_tvs in [true, false] {
            let _ = would_accept(&list, kind, &own, &holding, has_tvs);
        }
    }
}

/// A signed file's report, verdicts, diff and decryption attempt never panic.
pub fn signed(data: &[u8]) {
    let Ok(CiscoFile::Signed(file)) = CiscoFile::parse(data) else {
        return;
    };
    let report = SignedShowReport {
        file: &file,
        path: "fuzz",
        modified: None,
    };
    assert!(report.text(false).ends_with('\n'));
    let json = serde_json::to_string(&report.json()).expect("serializes");
    let _: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let held = TrustList::parse(HELD).expect("the held fixture parses");
    let holding = [HeldList {
        name: "held",
        kind: Kind::Ctl,
        list: &held,
    }];
    let _ = judge_new_file(file.header(), FileKind::Signed, None, &holding, true);
    lint_never_panics(&CiscoFile::Signed(file.clone()), Kind::Ctl);
    let _ = verify_signed_file(&file, &[]);
    let difference = diff_signed(&file, &file);
    assert!(difference.identical && difference.same_payload);
    let _ = SignedDiffReport {
        phone: ("a", &file),
        server: ("b", &file),
        diff: &difference,
    }
    .text(false);
}

/// Every lint rule runs, against a cluster certificate too, and its report renders.
fn lint_never_panics(file: &CiscoFile<'_>, kind: Kind) {
    let anchor = [ServerCertificate {
        path: "CallManager.pem".to_owned(),
        role: Role::CallManager,
        der: callmanager_der().to_vec(),
    }];
    for release in [None, Some(Release::V11), Some(Release::V15)] {
        let options = LintOptions {
            certificates: &anchor,
            release,
            now: time::OffsetDateTime::UNIX_EPOCH,
            warn_days: 30,
            expect_rollback: false,
            recovery_signed_itl: None,
        };
        let findings = lint(file, kind, &options).expect("the anchor certificate parses");
        let report = LintReport {
            file: "fuzz",
            findings: &findings,
        };
        assert!(report.text(false).ends_with('\n'));
    }
}

/// Both reports render, and the JSON one is valid JSON; a damaged copy is salvaged (what it
/// keeps is what parses on its own) and its report renders too.
pub fn report(data: &[u8]) {
    let list = match TrustList::parse(data) {
        Ok(list) => list,
        Err(error) => {
            damaged_report(data, &error);
            return;
        }
    };
    let inspection = Inspection::of(&list);
    for kind in [Kind::Ctl, Kind::Itl] {
        let report = ShowReport {
            inspection: &inspection,
            context: ReportContext {
                kind,
                path: "fuzz",
                modified: None,
                now: time::OffsetDateTime::UNIX_EPOCH,
            },
        };
        let text = report.text(false);
        assert!(text.ends_with('\n'));
        lint_never_panics(&CiscoFile::TrustList(list.clone()), kind);
        let json = serde_json::to_string(&report.json()).expect("serializes");
        let _: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        page_holds_no_markup_from_the_file(&report.html());
    }
}

/// The page renders, and nothing from the file became markup: maud escapes every `<`, so the
/// page has exactly the elements ctlkit writes, whatever the file says.
fn page_holds_no_markup_from_the_file(body: &ctlkit::report::html::HtmlBody) {
    let facts = ctlkit::report::html::PageFacts {
        command: "ctlkit show fuzz".to_owned(),
        command_name: "show".to_owned(),
        version: "0".to_owned(),
        generated: time::OffsetDateTime::UNIX_EPOCH,
        inputs: Vec::new(),
    };
    let page = ctlkit::report::html::page(&facts, body);
    let lower = page.to_ascii_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("<img") && !lower.contains("<iframe"));
}

/// A file `TrustList::parse` refused: if its header holds, the salvaged part parses and the
/// damage is the first record that does not; the damaged report renders.
fn damaged_report(data: &[u8], error: &ctlkit::ParseError) {
    let Ok(salvaged) = TrustList::parse_salvaged(data) else {
        return;
    };
    let Some(damage) = &salvaged.damage else {
        // Salvage found no damage where parse did: only a file-level error may do that.
        assert!(
            !matches!(error.place, ctlkit::format::Place::Record(_)),
            "parse failed at a record, salvage did not: {error}"
        );
        return;
    };
    assert!(
        matches!(damage.place, ctlkit::format::Place::Record(_)),
        "{damage}"
    );
    let inspection = Inspection::of(&salvaged.list);
    let report = DamagedShowReport {
        show: ShowReport {
            inspection: &inspection,
            context: ReportContext {
                kind: Kind::Itl,
                path: "fuzz",
                modified: None,
                now: time::OffsetDateTime::UNIX_EPOCH,
            },
        },
        damage,
    };
    assert!(report.text(false).contains("DAMAGED"));
    let json = serde_json::to_string(&report.json()).expect("serializes");
    let _: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
}

/// The size limit the `tftp` target's client runs under.
const TFTP_LIMIT: u64 = 4096;
/// Silent tries the `tftp` target's client allows.
const TFTP_RETRIES: u32 = 3;

/// A malicious TFTP server against the client's state machine. The input is a series of
/// events: a selector byte (0 a timeout, 1 a datagram from a stranger's port, anything else
/// one from the server's transfer port), a 2-byte length and that many bytes. The first byte
/// picks the block size asked for. The client must never panic, hold more than its limit, or
/// go on forever without progress.
pub fn tftp(data: &[u8]) {
    let server: SocketAddr = "127.0.0.1:69".parse().expect("address");
    let transfer_port: SocketAddr = "127.0.0.1:40000".parse().expect("address");
    let stranger: SocketAddr = "127.0.0.1:40001".parse().expect("address");
    let Some((&choice, mut rest)) = data.split_first() else {
        return;
    };
    let block_size = if choice % 2 == 0 { 512 } else { 1428 };
    let limits = TftpLimits {
        max_size: TFTP_LIMIT,
        retries: TFTP_RETRIES,
    };
    let (mut transfer, _request) = TftpTransfer::start(server, "ITLFile.tlv", block_size, limits);
    let patience = u64::from(MAX_USELESS_PACKETS) + u64::from(TFTP_RETRIES) + 3;
    let mut idle_events: u64 = 0;
    let mut received = 0;
    while let Some((&selector, after)) = rest.split_first() {
        let Some((length, after)) = after.split_first_chunk::<2>() else {
            break;
        };
        let length = usize::from(u16::from_be_bytes(*length)).min(after.len());
        let (datagram, after) = after.split_at(length);
        rest = after;
        let step = match selector {
            0 => transfer.on_timeout(),
            1 => transfer.on_packet(stranger, datagram),
            _ => transfer.on_packet(transfer_port, datagram),
        };
        assert!(transfer.received() as u64 <= TFTP_LIMIT, "over the limit");
        match step.progress {
            TftpProgress::Done(file) => {
                assert!(file.len() as u64 <= TFTP_LIMIT, "a file over the limit");
                return;
            }
            TftpProgress::Failed(_) => return,
            TftpProgress::Continue => {}
        }
        if transfer.received() == received {
            idle_events += 1;
            assert!(idle_events <= patience, "no progress and no end");
        } else {
            received = transfer.received();
            idle_events = 0;
        }
    }
}

/// The most one transfer may hold in the `capture` target.
const CAPTURE_LIMIT: u64 = 64 * 1024;

/// Any bytes as a packet capture: reading never panics, no transfer holds more than the
/// limit, transfers come in the order packets asked for them only after sorting (they are
/// handed on as they end), and the report renders as text and valid JSON.
pub fn capture(data: &[u8]) {
    let options = CaptureOptions {
        max_transfer: CAPTURE_LIMIT,
        tftp_ports: vec![69],
        http_ports: vec![6970],
    };
    let mut transfers = Vec::new();
    let Ok(summary) = extract_transfers(data, &options, &mut |transfer| {
        assert!(
            transfer.bytes.len() as u64 <= CAPTURE_LIMIT,
            "a transfer over the limit"
        );
        if transfer.is_complete() {
            assert!(transfer.incomplete.is_none());
        }
        transfers.push(transfer);
    }) else {
        return;
    };
    assert!(
        summary.undecoded <= summary.packets,
        "more undecoded than read"
    );
    let facts: Vec<TransferFacts> = transfers.iter().map(TransferFacts::of).collect();
    let report = ExtractReport {
        capture: "fuzz.pcap",
        summary: &summary,
        rows: transfers
            .iter()
            .zip(&facts)
            .map(|(transfer, facts)| ExtractRow {
                transfer,
                facts,
                size: transfer.bytes.len(),
                written: None,
            })
            .collect(),
    };
    let _ = report.text(false);
    let json = serde_json::to_string(&report.json()).expect("the JSON serialises");
    let _: serde_json::Value = serde_json::from_str(&json).expect("the JSON parses");
    let _ = report.csv();
}

/// Everything above, in order.
pub fn everything(data: &[u8]) {
    parse(data);
    roundtrip(data);
    verify(data);
    report(data);
    signed(data);
    tftp(data);
    capture(data);
}

/// A header element, for structure-aware generation.
#[derive(Debug, Clone, Arbitrary)]
pub enum HeaderItem {
    /// A tag-13 padding byte.
    Padding,
    /// Tag, length, value.
    Leaf(u8, Vec<u8>),
    /// A container tag (SIGNERID, SIGNATUREINFO, SIGNATUREALGOINFO, and the encryption containers, when the tag is 3, 7, 9, 16, 17, 21)
    /// whose length covers its children.
    Container(u8, Vec<(u8, Vec<u8>)>),
}

/// A valid-looking trust list: VERSION, HEADERLENGTH (computed), header items, records with
/// RECORDLENGTH computed, then a tail of stray bytes (usually empty).
#[derive(Debug, Clone, Arbitrary)]
pub struct Shape {
    /// VERSION's two bytes.
    pub version: [u8; 2],
    /// Header elements after HEADERLENGTH.
    pub header: Vec<HeaderItem>,
    /// Records: each a list of (tag, value), RECORDLENGTH excluded.
    pub records: Vec<Vec<(u8, Vec<u8>)>>,
    /// Bytes after the last record.
    pub tail: Vec<u8>,
}

fn push_element(out: &mut Vec<u8>, tag: u8, value: &[u8]) {
    let length = u16::try_from(value.len()).unwrap_or(u16::MAX);
    out.push(tag);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&value[..usize::from(length)]);
}

/// The bytes of a shape.
pub fn encode(shape: &Shape) -> Vec<u8> {
    let mut out = Vec::new();
    push_element(&mut out, 1, &shape.version);
    push_element(&mut out, 2, &[0, 0]);
    for item in &shape.header {
        match item {
            HeaderItem::Padding => out.push(13),
            HeaderItem::Leaf(tag, value) => push_element(&mut out, *tag, value),
            HeaderItem::Container(tag, children) => {
                let mut inner = Vec::new();
                for (child, value) in children {
                    push_element(&mut inner, *child, value);
                }
                push_element(&mut out, *tag, &inner);
            }
        }
    }
    let header_length = u16::try_from(out.len()).unwrap_or(u16::MAX);
    out[8..10].copy_from_slice(&header_length.to_be_bytes());
    for record in &shape.records {
        let mut body = Vec::new();
        for (tag, value) in record {
            push_element(&mut body, *tag, value);
        }
        let length = u16::try_from(body.len() + 5).unwrap_or(u16::MAX);
        push_element(&mut out, 1, &length.to_be_bytes());
        out.extend_from_slice(&body);
    }
    out.extend_from_slice(&shape.tail);
    out
}
