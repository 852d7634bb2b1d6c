//! `ctlkit extract`: the files a capture shows being transferred, one per request.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::Render;
use super::csv::csv_line;
use crate::evidence::capture::{CaptureSummary, Transfer};
use crate::evidence::content::{Content, TransferFacts};
use crate::files::{bytes_text, path_text};
use ctlkit_format::file::trust_list::Kind;
use ctlkit_format::text::printable;

/// One transfer and what became of it.
#[derive(Debug, Clone, Copy)]
pub struct ExtractRow<'r> {
    /// What the capture shows.
    pub transfer: &'r Transfer,
    /// Checksums and content of what arrived.
    pub facts: &'r TransferFacts,
    /// How many bytes arrived (the transfer's bytes may have been dropped once written).
    pub size: usize,
    /// Where it was written, if it was.
    pub written: Option<&'r Path>,
}

/// The whole capture.
#[derive(Debug, Clone)]
pub struct ExtractReport<'r> {
    /// The capture's name as given.
    pub capture: &'r str,
    /// Packets, undecoded packets, damage.
    pub summary: &'r CaptureSummary,
    /// One per transfer, in the order they were requested.
    pub rows: Vec<ExtractRow<'r>>,
}

/// `extract --format json`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ExtractJson {
    /// The capture's name.
    pub capture: String,
    /// Packets read.
    pub packets: u64,
    /// Packets that were not IPv4 / IPv6 UDP or TCP, or did not decode.
    pub undecoded: u64,
    /// Damage to the capture file, if any.
    pub damage: Option<CaptureDamageJson>,
    /// One per transfer.
    pub transfers: Vec<TransferJson>,
}

/// Where a capture file stops making sense.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaptureDamageJson {
    /// Byte offset in the capture.
    pub offset: u64,
    /// What was wrong.
    pub message: String,
}

/// One transfer.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TransferJson {
    /// `tftp` or `http`.
    pub protocol: &'static str,
    /// The requester, `IP:port`.
    pub client: String,
    /// The server, `IP:port`.
    pub server: String,
    /// The name requested, printable.
    pub name: String,
    /// Bytes received (the whole file when complete).
    pub size: usize,
    /// Whether the whole file arrived.
    pub complete: bool,
    /// Why not, when it did not.
    pub incomplete: Option<IncompleteJson>,
    /// MD5 of what arrived, hex.
    pub md5: String,
    /// SHA-1 of what arrived, hex.
    pub sha1: String,
    /// `ctl`, `itl`, `trust_list`, `signed`, `damaged`, `other`.
    pub content: &'static str,
    /// For `damaged`: where and what.
    pub damage: Option<String>,
    /// Where it was written.
    pub written: Option<String>,
}

/// Why a transfer is incomplete.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncompleteJson {
    /// `gap`, `unfinished`, `refused`, `aborted`, `too_large`.
    pub code: &'static str,
    /// In words.
    pub reason: String,
}

impl Render for ExtractReport<'_> {
    type Json = ExtractJson;

    fn text(&self, _color: bool) -> String {
        let complete = self
            .rows
            .iter()
            .filter(|row| row.transfer.is_complete())
            .count();
        let mut out = format!(
            "{}: {} packets ({} not decoded), {} transfers, {} complete\n\n",
            self.capture,
            self.summary.packets,
            self.summary.undecoded,
            self.rows.len(),
            complete
        );
        for row in &self.rows {
            let transfer = row.transfer;
            let state = match &transfer.incomplete {
                None => "complete".to_owned(),
                Some(incomplete) => format!("INCOMPLETE ({})", incomplete_sentence(incomplete)),
            };
            let _ = write!(
                out,
                "{} {} <- {}  {}  {} bytes  {}  MD5 {}  SHA1 {}  {}",
                transfer.protocol.code(),
                transfer.client,
                transfer.server,
                printable(&transfer.name),
                row.size,
                state,
                row.facts.checksums.md5_hex(),
                row.facts.checksums.sha1_hex(),
                content_words(&row.facts.content)
            );
            if let Some(path) = row.written {
                let _ = write!(out, "  -> {}", printable(path_text(path).as_bytes()));
            }
            out.push('\n');
        }
        if let Some(damage) = &self.summary.damage {
            let _ = writeln!(out, "\n{}", capture_damage_sentence(damage));
        }
        out
    }

    fn json(&self) -> ExtractJson {
        ExtractJson {
            capture: self.capture.to_owned(),
            packets: self.summary.packets,
            undecoded: self.summary.undecoded,
            damage: self
                .summary
                .damage
                .as_ref()
                .map(|damage| CaptureDamageJson {
                    offset: damage.offset,
                    message: damage.message.clone(),
                }),
            transfers: self.rows.iter().map(row_json).collect(),
        }
    }

    fn csv(&self) -> Option<String> {
        let mut out = String::from(
            "protocol,client,server,name,size,complete,incomplete,md5,sha1,content,written\n",
        );
        for row in self.rows.iter().map(row_json) {
            out.push_str(&csv_line(&[
                row.protocol.to_owned(),
                row.client,
                row.server,
                row.name,
                row.size.to_string(),
                row.complete.to_string(),
                row.incomplete
                    .map(|incomplete| incomplete.code)
                    .unwrap_or_default()
                    .to_owned(),
                row.md5,
                row.sha1,
                row.content.to_owned(),
                row.written.unwrap_or_default(),
            ]));
        }
        Some(out)
    }
}

fn row_json(row: &ExtractRow<'_>) -> TransferJson {
    let transfer = row.transfer;
    TransferJson {
        protocol: transfer.protocol.code(),
        client: transfer.client.to_string(),
        server: transfer.server.to_string(),
        name: bytes_text(&transfer.name),
        size: row.size,
        complete: transfer.is_complete(),
        incomplete: transfer
            .incomplete
            .as_ref()
            .map(|incomplete| IncompleteJson {
                code: incomplete.code(),
                reason: incomplete_sentence(incomplete),
            }),
        md5: row.facts.checksums.md5_hex(),
        sha1: row.facts.checksums.sha1_hex(),
        content: row.facts.content.code(),
        damage: match &row.facts.content {
            Content::Damaged(error) => Some(error.to_string()),
            _ => None,
        },
        written: row.written.map(path_text),
    }
}

/// Why a transfer in a capture is not the whole file.
fn incomplete_sentence(incomplete: &crate::evidence::capture::Incomplete) -> String {
    use crate::evidence::capture::Incomplete;
    match incomplete {
        Incomplete::Gap { after_gap } => format!(
            "packets are missing from the capture; the bytes before the gap are kept ({after_gap} bytes after it are not)"
        ),
        Incomplete::Unfinished => "the capture ends before the transfer does".to_owned(),
        Incomplete::Refused { code, message } => {
            format!(
                "the server refused it ({code} {})",
                printable(message.as_bytes())
            )
        }
        Incomplete::Aborted => "the client gave up (an error or a reset connection)".to_owned(),
        Incomplete::TooLarge { limit } => {
            format!("more than {limit} bytes were sent; raise the limit with --max-size")
        }
    }
}

/// What some bytes are, in words.
fn content_words(content: &crate::evidence::content::Content) -> String {
    use crate::evidence::content::Content;
    match content {
        Content::TrustList(Some(Kind::Ctl)) => "a CTL".to_owned(),
        Content::TrustList(Some(Kind::Itl)) => "an ITL".to_owned(),
        Content::TrustList(None) => "a trust list".to_owned(),
        Content::Signed(kind) => format!("a signed file ({} payload)", kind.code()),
        Content::Damaged(error) => format!("a damaged Cisco signed file: {error}"),
        Content::Other => "not a Cisco signed file".to_owned(),
    }
}

/// Damage to a capture file.
fn capture_damage_sentence(damage: &crate::evidence::capture::CaptureDamage) -> String {
    format!(
        "the capture file stops making sense at byte {}: {}; everything before it was read",
        damage.offset,
        printable(damage.message.as_bytes())
    )
}
