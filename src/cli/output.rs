//! Writing to stdout without panicking on a closed pipe (`ctlkit show x | head`).

use std::io::{self, IsTerminal, Write};

use super::exit::Failure;

/// Writes `text` to stdout in one go and flushes.
pub fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(Failure::Output)
}

/// Colour only on a terminal, and never when `NO_COLOR` is set to anything (no-color.org).
pub fn color_stdout() -> bool {
    io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// Pretty JSON followed by a newline.
pub fn write_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|error| Failure::Output(io::Error::other(error)))?;
    text.push('\n');
    write_stdout(&text)
}
