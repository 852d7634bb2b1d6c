//! `ctlkit check`.

use std::process::ExitCode;

use ctlkit::check::{CheckStatus, in_sync};
use ctlkit::pasted::check_pasted;
use ctlkit::report::{CheckReport, PastedCheckReport};
use ctlkit::{CiscoFile, Kind, check};
use time::OffsetDateTime;

use super::args::CheckArgs;
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, one_output, parse_any, pasted_outputs, read, server_certificates};
use super::output::emit;

/// Exit 0 when every finding is a match (expiring is only a warning), 1 otherwise.
pub fn run(arguments: &CheckArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    if let Some(outputs) = pasted_outputs(&input)? {
        let output = one_output(&input.name, &outputs, arguments.kind.map(Kind::from))?;
        let certificates = server_certificates(&arguments.cluster)?;
        let findings = check_pasted(output, &certificates)
            .map_err(|error| Failure::Unusable(error.to_string()))?;
        emit(
            &PastedCheckReport {
                file: &input.name,
                list: output,
                findings: &findings,
            },
            arguments.format,
        )?;
        let all_match = findings
            .iter()
            .all(|finding| finding.status == CheckStatus::Match);
        return Ok(if all_match {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(NEGATIVE)
        });
    }
    let CiscoFile::TrustList(list) = parse_any(&input)? else {
        return Err(Failure::Unusable(format!(
            "{}: a signed file, not a trust list: check compares trust lists with the cluster's certificates (use verify --cert for a signed file)",
            input.name
        )));
    };
    let kind = kind_of(&list, &input.name, arguments.kind.map(Kind::from));
    let certificates = server_certificates(&arguments.cluster)?;
    let findings = check(
        &list,
        kind,
        &certificates,
        OffsetDateTime::now_utc(),
        arguments.warn_days,
    )
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    let report = CheckReport {
        file: &input.name,
        findings: &findings,
    };
    emit(&report, arguments.format)?;
    Ok(if in_sync(&findings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
