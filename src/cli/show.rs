//! `ctlkit show`.

use std::path::Path;
use std::process::ExitCode;

use ctlkit::report::{self, ReportContext};
use ctlkit::{Inspection, Kind, TrustList, read_input};
use time::OffsetDateTime;

use super::args::{Format, ShowArgs};
use super::exit::Failure;
use super::output::{write_json, write_stdout};

pub fn run(arguments: &ShowArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read_input(&arguments.file, max_size)?;
    let trust_list = TrustList::parse(&input.bytes).map_err(|error| Failure::Parse {
        path: input.name.clone(),
        error,
    })?;
    let kind = arguments
        .kind
        .map(Kind::from)
        .or_else(|| trust_list.kind())
        .or_else(|| kind_from_path(&input.name))
        .unwrap_or(Kind::Ctl);
    let context = ReportContext {
        kind,
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

fn kind_from_path(path: &str) -> Option<Kind> {
    let name = Path::new(path).file_name()?.to_str()?;
    Kind::from_file_name(name.as_bytes())
}
