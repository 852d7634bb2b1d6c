//! `ctlkit audit`.

use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::report::{audit_csv, audit_json, audit_text};
use ctlkit::{audit, collect_files};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::args::{AuditArgs, AuditFormat};
use super::exit::{Failure, NEGATIVE};
use super::load::{parse, read};
use super::output::{write_json, write_stdout};

/// Below this many files the audit takes no time worth a progress bar.
const PROGRESS_THRESHOLD: usize = 2_000;

/// Exit 0 when every phone matches the server, 1 otherwise.
pub fn run(arguments: &AuditArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let server_input = read(&arguments.against, max_size)?;
    let server = parse(&server_input)?;
    let paths: Vec<PathBuf> = arguments.paths.iter().map(PathBuf::from).collect();
    let files = collect_files(&paths).map_err(Failure::Unusable)?;
    if files.is_empty() {
        return Err(Failure::Unusable(
            "no files found under the paths given".to_owned(),
        ));
    }
    // Only for people: text output, a terminal on stderr (indicatif hides itself otherwise),
    // and enough files to take a moment.
    let bar = if arguments.format == AuditFormat::Text && files.len() >= PROGRESS_THRESHOLD {
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(files.len()).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr_with_hz(5),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} files {per_sec} {eta}")
        {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let result = audit(&files, &server, &server_input.name, max_size, &|| {
        bar.inc(1)
    });
    bar.finish_and_clear();
    match arguments.format {
        AuditFormat::Text => write_stdout(&audit_text(&result, &server_input.name))?,
        AuditFormat::Json => write_json(&audit_json(&result))?,
        AuditFormat::Csv => write_stdout(&audit_csv(&result))?,
    }
    Ok(if result.matching == result.phones {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
