//! `ctlkit hash`.

use std::process::ExitCode;

use ctlkit::report::{hash_json, hash_line};
use ctlkit::{Checksums, read_input};

use super::args::{Format, HashArgs};
use super::exit::{Failure, UNUSABLE};
use super::output::{write_json, write_stdout};

/// Hashes every file it can; a file that cannot be read is reported and makes the exit code 2,
/// but does not stop the others.
pub fn run(arguments: &HashArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let mut entries = Vec::new();
    let mut failed = false;
    for path in &arguments.files {
        match read_input(path, max_size) {
            Ok(input) => {
                let checksums = Checksums::of(&input.bytes);
                match arguments.format {
                    Format::Text => write_stdout(&format!("{}\n", hash_line(&checksums, path)))?,
                    Format::Json => entries.push(hash_json(&checksums, path, input.bytes.len())),
                }
            }
            Err(error) => {
                failed = true;
                let _ = Failure::from(error).report();
            }
        }
    }
    if arguments.format == Format::Json {
        write_json(&entries)?;
    }
    Ok(if failed {
        ExitCode::from(UNUSABLE)
    } else {
        ExitCode::SUCCESS
    })
}
