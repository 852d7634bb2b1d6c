//! Pages people attach to tickets: one HTML file that stands alone — inline CSS and SVG, no
//! script, no remote load (a Content-Security-Policy says so to the browser), every value from
//! a file, a name, a capture or the network escaped by maud. The header says what the page was
//! made from: the command line, ctlkit's version, when, and each input's checksums.
//!
//! Each report draws its page from the same facts as its JSON; reports without a page of
//! their own get those facts laid out as tables ([`facts`]).

pub(crate) mod audit;
pub(crate) mod boot;
pub(crate) mod check;
pub(crate) mod diff;
mod facts;
pub(crate) mod lint;
pub(crate) mod show;
mod svg;
pub(crate) mod verify;

pub use facts::facts;

use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use ctlkit_format::text::printable;
use ctlkit_format::timefmt::rfc3339;

/// The page's style, inline: the policy below allows exactly this stylesheet by its hash.
const STYLE: &str = include_str!("style.css");

/// A page's own part: its title and what goes under the header.
#[derive(Debug, Clone)]
pub struct HtmlBody {
    /// What the page is about (`ITLFile.tlv`, `47 phones`), or `None` for the command's name.
    pub title: Option<String>,
    /// The content.
    pub body: Markup,
}

/// What the page was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFacts {
    /// The command, as `ctlkit show ITLFile.tlv` (secrets already taken out).
    pub command: String,
    /// Which command (`show`), for a page without a title of its own.
    pub command_name: String,
    /// ctlkit's version.
    pub version: String,
    /// When the page was made.
    pub generated: OffsetDateTime,
    /// The inputs named on the command line.
    pub inputs: Vec<InputFacts>,
}

/// One input named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFacts {
    /// The path as given.
    pub path: String,
    /// What it is.
    pub what: InputKind,
}

/// What an input is, for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// A file: its size and checksums (lower-case hex).
    File {
        /// Bytes.
        length: u64,
        /// MD5.
        md5: String,
        /// SHA-1.
        sha1: String,
        /// SHA-256.
        sha256: String,
    },
    /// A folder of this many files (each report row names its own).
    Folder {
        /// Files in it.
        files: usize,
    },
    /// A private key: named, never fingerprinted on a page that leaves the building.
    PrivateKey,
    /// Standard input.
    Stdin,
}

/// The Content-Security-Policy: nothing loads, nothing runs; only the page's own stylesheet
/// (by hash) and inline SVG, which is markup, not a load.
pub fn content_security_policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
}

/// The whole page.
pub fn page(facts: &PageFacts, body: &HtmlBody) -> String {
    let title = body
        .title
        .clone()
        .unwrap_or_else(|| facts.command_name.clone());
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content=(content_security_policy());
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="generator" content={ "ctlkit " (facts.version) };
                title { "ctlkit " (facts.command_name) ": " (shown(&title)) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header.page {
                    h1 { "ctlkit " (facts.command_name) ": " (shown(&title)) }
                    dl {
                        dt { "Command" } dd { code { (shown(&facts.command)) } }
                        dt { "ctlkit" } dd { (facts.version) }
                        dt { "Made" } dd { (rfc3339(facts.generated)) }
                        dt { "Inputs" } dd { (inputs(&facts.inputs)) }
                    }
                }
                main { (body.body) }
                footer.page {
                    "Made by ctlkit " (facts.version) ". The page runs no script and loads nothing; \
                     every value from the files is shown as text."
                }
            }
        }
    };
    markup.into_string()
}

fn inputs(inputs: &[InputFacts]) -> Markup {
    if inputs.is_empty() {
        return html! { span.muted { "none named (standard input or the live server)" } };
    }
    let table = html! {
        div.table-wrap { table {
            thead { tr { th { "Input" } th { "Size" } th { "MD5" } th { "SHA-1" } th { "SHA-256" } } }
            tbody { @for input in inputs { tr {
                td { code { (shown(&input.path)) } }
                @match &input.what {
                    InputKind::File { length, md5, sha1, sha256 } => {
                        td.nowrap { (length) " bytes" } td.mono { (md5) } td.mono { (sha1) } td.mono { (sha256) }
                    }
                    InputKind::Folder { files } => {
                        td colspan="4" { "a folder of " (files) " files (each is named below with its checksums)" }
                    }
                    InputKind::PrivateKey => {
                        td colspan="4" { "a private key: not fingerprinted here" }
                    }
                    InputKind::Stdin => { td colspan="4" { "standard input" } }
                }
            } } }
        } }
    };
    if inputs.len() > 12 {
        html! { details { summary { (inputs.len()) " inputs" } (table) } }
    } else {
        table
    }
}

/// Text from a file or the network as the page shows it: control bytes and invalid UTF-8 as
/// `\xNN` (maud escapes `<`, `&` and quotes when it is written).
pub(crate) fn shown(text: &str) -> String {
    printable(text.as_bytes()).into_owned()
}

/// The CSS class of a verdict word.
pub(crate) fn tone(word: &str) -> &'static str {
    match word {
        "accepted" | "in_sync" | "valid" | "ok" | "loaded" | "installed" | "already_held"
        | "present" | "signed" | "found" => "ok",
        "will_update" | "taken_on_faith" | "info" | "firmware" => "info",
        "accepted_if_tvs_vouches"
        | "needs_tvs"
        | "incomplete"
        | "warning"
        | "expiring"
        | "not_signed"
        | "not_found"
        | "unreadable"
        | "unverifiable" => "warn",
        _ => "bad",
    }
}

/// A status word with its tone: words, never colour alone.
pub(crate) fn status(word: &str) -> Markup {
    html! { span class={ "status " (tone(word)) } { (word.replace('_', " ")) } }
}
