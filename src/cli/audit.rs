//! `ctlkit audit`.

use std::process::ExitCode;

use ctlkit::report::AuditReport;
use ctlkit::{AuditTarget, CiscoFile, Kind, audit, collect_files};

use super::args::{AuditArgs, TableFormat};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse_any, read};
use super::output::{emit, progress_bar};

/// Exit 0 when every phone matches the server, 1 otherwise.
pub fn run(arguments: &AuditArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let server_input = read(&arguments.against, max_size)?;
    let server = parse_any(&server_input)?;
    let files =
        collect_files(&arguments.paths).map_err(|error| Failure::Unusable(error.to_string()))?;
    if files.is_empty() {
        return Err(Failure::Unusable(
            "no files found under the paths given".to_owned(),
        ));
    }
    let bar = progress_bar(files.len(), arguments.format == TableFormat::Text);
    let target = AuditTarget {
        server: &server,
        server_name: &server_input.name,
        server_kind: match &server {
            CiscoFile::TrustList(list) => kind_of(list, &server_input.name, None),
            CiscoFile::Signed(_) => Kind::Ctl,
        },
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
