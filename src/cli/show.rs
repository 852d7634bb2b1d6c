//! `ctlkit show`.

use std::process::ExitCode;

use ctlkit::report::{self, ReportContext};
use ctlkit::{Inspection, Kind};
use time::OffsetDateTime;

use super::args::{Format, ShowArgs};
use super::exit::Failure;
use super::load::{kind_of, parse, read};
use super::output::{write_json, write_stdout};

/// A report, not a verdict: exit 0 whatever the signature says (`verify` gives verdicts).
pub fn run(arguments: &ShowArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let trust_list = parse(&input)?;
    let context = ReportContext {
        kind: kind_of(&trust_list, &input.name, arguments.kind.map(Kind::from)),
        path: &input.name,
        modified: input.modified.map(OffsetDateTime::from),
        now: OffsetDateTime::now_utc(),
    };
    let inspection = Inspection::of(&trust_list);
    match arguments.format {
        Format::Text => write_stdout(&report::show_text(&inspection, &context))?,
        Format::Json => write_json(&report::show_json(&inspection, &context))?,
    }
    Ok(ExitCode::SUCCESS)
}
