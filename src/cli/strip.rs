//! `ctlkit strip`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::CiscoFile;
use ctlkit::files::write_atomically;
use ctlkit::format::{PayloadKind, decrypt_config};

use super::args::StripArgs;
use super::exit::Failure;
use super::load::{parse_any, read, read_bundle};

/// Writes the payload; nothing is written when the input is not a signed file.
pub fn run(arguments: &StripArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let CiscoFile::Signed(file) = parse_any(&input)? else {
        return Err(Failure::Unusable(format!(
            "{}: a trust list: its records are not a payload (use ctlkit show)",
            input.name
        )));
    };
    let decrypted = match &arguments.key {
        Some(path) => {
            let key = read_bundle(path, true)?.private_key.ok_or_else(|| {
                Failure::Unusable(format!("{}: no private key in it", path.display()))
            })?;
            Some(
                decrypt_config(&file, &key)
                    .map_err(|error| Failure::Unusable(format!("{}: {error}", input.name)))?,
            )
        }
        None => None,
    };
    let (bytes, what) = match &decrypted {
        Some(plaintext) => (plaintext.as_slice(), "decrypted config"),
        None => (file.payload(), file.payload_kind().code()),
    };
    let default = match &decrypted {
        Some(_) => input
            .name
            .strip_suffix(".enc.sgn")
            .filter(|stem| !stem.is_empty())
            .map(PathBuf::from),
        None => default_output(&input.name, file.payload_kind()),
    };
    let output = match &arguments.output {
        Some(output) => output.clone(),
        None => default.ok_or_else(|| {
            Failure::Unusable(format!(
                "{}: does not end in .sgn; give -o OUT (or -o - for standard output)",
                input.name
            ))
        })?,
    };
    if output.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(bytes)
            .and_then(|()| stdout.flush())
            .map_err(Failure::Output)?;
        return Ok(ExitCode::SUCCESS);
    }
    write_atomically(&output, bytes, arguments.force)?;
    eprintln!("wrote {} ({} bytes, {what})", output.display(), bytes.len());
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
