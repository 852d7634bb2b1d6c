//! `ctlkit strip`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::{CiscoFile, PayloadKind, write_atomically};

use super::args::StripArgs;
use super::exit::Failure;
use super::load::{parse_any, read};

/// Writes the payload; nothing is written when the input is not a signed file.
pub fn run(arguments: &StripArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let CiscoFile::Signed(file) = parse_any(&input)? else {
        return Err(Failure::Unusable(format!(
            "{}: a trust list: its records are not a payload (use ctlkit show)",
            input.name
        )));
    };
    let output = match &arguments.output {
        Some(output) => output.clone(),
        None => default_output(&input.name, file.payload_kind()).ok_or_else(|| {
            Failure::Unusable(format!(
                "{}: does not end in .sgn; give -o OUT (or -o - for standard output)",
                input.name
            ))
        })?,
    };
    if output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(file.payload())
            .and_then(|()| stdout.flush())
            .map_err(Failure::Output)?;
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(&output, file.payload(), arguments.force)?;
    eprintln!(
        "wrote {} ({} bytes, {})",
        output.display(),
        file.payload().len(),
        file.payload_kind().code()
    );
    Ok(ExitCode::SUCCESS)
}

/// `X.sgn` → `X`; a gzip payload gets `.tar.gz` unless the name already ends in `.gz`.
fn default_output(name: &str, kind: PayloadKind) -> Option<PathBuf> {
    let stem = name.strip_suffix(".sgn")?;
    if stem.is_empty() || name == "-" {
        return None;
    }
    if kind == PayloadKind::Gzip && !stem.ends_with(".gz") {
        return Some(PathBuf::from(format!("{stem}.tar.gz")));
    }
    Some(PathBuf::from(stem))
}
