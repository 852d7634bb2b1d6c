//! The one rendering seam: a report value goes out as text, JSON or CSV from here, and
//! stdout is written without panicking on a closed pipe (`ctlkit show x | head`).

use std::io::{self, IsTerminal, Write};

use ctlkit::report::Render;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::exit::Failure;

/// The formats a report can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// For people.
    Text,
    /// For scripts.
    Json,
    /// For spreadsheets.
    Csv,
    /// A page for people, standing alone.
    Html,
}

/// Writes `report` in `format` to stdout.
pub fn emit(report: &impl Render, format: impl Into<Output>) -> Result<(), Failure> {
    match format.into() {
        Output::Text => write_stdout(&report.text(color_stdout())),
        Output::Json => {
            let mut text = serde_json::to_string_pretty(&report.json())
                .map_err(|error| Failure::Output(io::Error::other(error)))?;
            text.push('\n');
            write_stdout(&text)
        }
        Output::Html => {
            let facts = super::page::page_facts();
            write_stdout(&ctlkit::report::html::page(&facts, &report.html()))
        }
        Output::Csv => match report.csv() {
            Some(text) => write_stdout(&text),
            None => Err(Failure::Unusable(
                "this command has no CSV output; use --format text or json".to_owned(),
            )),
        },
    }
}

/// Writes `text` to stdout in one go and flushes.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::Output)
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything (no-color.org).
fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Below this many files a run takes no time worth a progress bar.
const PROGRESS_THRESHOLD: usize = 2_000;

/// A progress bar on stderr for long runs over many files, only for people: text output, a
/// terminal (indicatif hides itself otherwise), and enough files to take a moment.
pub fn progress_bar(files: usize, for_people: bool) -> ProgressBar {
    if !for_people || files < PROGRESS_THRESHOLD {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(u64::try_from(files).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr_with_hz(5),
    );
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} {eta}") {
        bar.set_style(style);
    }
    bar
}
