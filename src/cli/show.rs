//! `ctlkit show`.

use std::process::ExitCode;

use ctlkit::report::{ReportContext, ShowReport, SignedShowReport};
use ctlkit::{CiscoFile, Inspection, Kind};
use time::OffsetDateTime;

use super::args::ShowArgs;
use super::exit::Failure;
use super::load::{kind_of, parse_any, read};
use super::output::emit;

/// A report, not a verdict: exit 0 whatever the signature says (`verify` gives verdicts).
pub fn run(arguments: &ShowArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let trust_list = match parse_any(&input)? {
        CiscoFile::TrustList(list) => list,
        CiscoFile::Signed(file) => {
            let report = SignedShowReport {
                file: &file,
                path: &input.name,
                modified: input.modified.map(OffsetDateTime::from),
            };
            emit(&report, arguments.format)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let inspection = Inspection::of(&trust_list);
    let report = ShowReport {
        inspection: &inspection,
        context: ReportContext {
            kind: kind_of(&trust_list, &input.name, arguments.kind.map(Kind::from)),
            path: &input.name,
            modified: input.modified.map(OffsetDateTime::from),
            now: OffsetDateTime::now_utc(),
        },
    };
    emit(&report, arguments.format)?;
    Ok(ExitCode::SUCCESS)
}
