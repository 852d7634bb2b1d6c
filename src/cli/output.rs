//! The one rendering seam: a report value goes out as text, JSON or CSV from here, and
//! stdout is written without panicking on a closed pipe (`ctlkit show x | head`).

use std::io::{self, IsTerminal, Write};

use ctlkit::report::Render;

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
