//! `ctlkit show`.

use std::process::ExitCode;

use ctlkit::inspect::Inspection;
use ctlkit::report::{
    DamagedShowReport, PastedShowReport, ReportContext, ShowReport, SignedShowReport,
};
use ctlkit::{CiscoFile, Kind};
use time::OffsetDateTime;

use super::args::ShowArgs;
use super::exit::{Failure, UNUSABLE, damage_line};
use super::load::{Parsed, kind_of, parse_or_salvage, pasted_outputs, read};
use super::output::emit;

/// A report, not a verdict: exit 0 whatever the signature says (`verify` gives verdicts);
/// a damaged copy is shown up to its damage, which is named, and exits 2.
pub fn run(arguments: &ShowArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    if let Some(outputs) = pasted_outputs(&input)? {
        let report = PastedShowReport {
            file: &input.name,
            outputs: &outputs,
        };
        emit(&report, arguments.format)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (trust_list, damage) = match parse_or_salvage(&input)? {
        Parsed::Damaged(salvaged) => (salvaged.list, salvaged.damage),
        Parsed::Whole(CiscoFile::TrustList(list)) => (list, None),
        Parsed::Whole(CiscoFile::Signed(file)) => {
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
    if let Some(damage) = &damage {
        damage_line(&input.name, damage);
        emit(
            &DamagedShowReport {
                show: report,
                damage,
            },
            arguments.format,
        )?;
        return Ok(ExitCode::from(UNUSABLE));
    }
    emit(&report, arguments.format)?;
    Ok(ExitCode::SUCCESS)
}
