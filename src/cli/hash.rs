//! `ctlkit hash`.

use std::process::ExitCode;

use ctlkit::Checksums;
use ctlkit::report::{HashEntry, HashReport};

use super::args::HashArgs;
use super::exit::{Failure, UNUSABLE};
use super::load::read;
use super::output::emit;

/// Hashes every file it can; a file that cannot be read is reported and makes the exit code 2,
/// but does not stop the others.
pub fn run(arguments: &HashArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let mut report = HashReport::default();
    let mut failed = false;
    for path in &arguments.files {
        match read(path, max_size) {
            Ok(input) => report.entries.push(HashEntry::new(
                &input.name,
                input.bytes.len(),
                &Checksums::of(&input.bytes),
            )),
            Err(failure) => {
                failed = true;
                let _ = failure.report();
            }
        }
    }
    emit(&report, arguments.format)?;
    Ok(if failed {
        ExitCode::from(UNUSABLE)
    } else {
        ExitCode::SUCCESS
    })
}
