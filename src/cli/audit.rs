//! `ctlkit audit`.

use std::process::ExitCode;

use ctlkit::report::AuditReport;
use ctlkit::{AuditTarget, audit, collect_files};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::args::{AuditArgs, TableFormat};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse, read};
use super::output::emit;

/// Below this many files the audit takes no time worth a progress bar.
const PROGRESS_THRESHOLD: usize = 2_000;

/// Exit 0 when every phone matches the server, 1 otherwise.
pub fn run(arguments: &AuditArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let server_input = read(&arguments.against, max_size)?;
    let server = parse(&server_input)?;
    let files =
        collect_files(&arguments.paths).map_err(|error| Failure::Unusable(error.to_string()))?;
    if files.is_empty() {
        return Err(Failure::Unusable(
            "no files found under the paths given".to_owned(),
        ));
    }
    // Only for people: text output, a terminal on stderr (indicatif hides itself otherwise),
    // and enough files to take a moment.
    let bar = if arguments.format == TableFormat::Text && files.len() >= PROGRESS_THRESHOLD {
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
    let target = AuditTarget {
        server: &server,
        server_name: &server_input.name,
        server_kind: kind_of(&server, &server_input.name, None),
        has_tvs: !arguments.no_tvs,
        max_size,
    };
    let result = audit(&files, &target, &|| bar.inc(1));
    bar.finish_and_clear();
    let report = AuditReport {
        audit: &result,
        server: &server_input.name,
    };
    emit(&report, arguments.format)?;
    Ok(if result.matching == result.phones {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
