//! `ctlkit check`.

use std::fs;
use std::process::ExitCode;

use ctlkit::report::{check_json, check_text, in_sync};
use ctlkit::{Kind, Role, ServerCertificate, check, read_pem_bundle};
use time::OffsetDateTime;

use super::args::{CheckArgs, Format};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse, read};
use super::output::{color_stdout, write_json, write_stdout};

/// Exit 0 when every finding is a match (expiring is only a warning), 1 otherwise.
pub fn run(arguments: &CheckArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let list = parse(&input)?;
    let kind = kind_of(&list, &input.name, arguments.kind.map(Kind::from));
    let mut certificates = Vec::new();
    for (role, paths) in [
        (Role::CallManager, &arguments.callmanager),
        (Role::Capf, &arguments.capf),
        (Role::Tvs, &arguments.tvs),
        (Role::ItlRecovery, &arguments.itlrecovery),
    ] {
        for path in paths {
            let bytes =
                fs::read(path).map_err(|error| Failure::Unusable(format!("{path}: {error}")))?;
            let bundle = read_pem_bundle(&bytes, None)
                .map_err(|error| Failure::Unusable(format!("{path}: {error}")))?;
            let Some(der) = bundle.certificates.into_iter().next() else {
                return Err(Failure::Unusable(format!("{path}: no certificate in it")));
            };
            certificates.push(ServerCertificate {
                path: path.clone(),
                role,
                der,
            });
        }
    }
    let findings = check(
        &list,
        kind,
        &certificates,
        OffsetDateTime::now_utc(),
        arguments.warn_days,
    )
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    match arguments.format {
        Format::Text => write_stdout(&check_text(&input.name, &findings, color_stdout()))?,
        Format::Json => write_json(&check_json(&findings))?,
    }
    Ok(if in_sync(&findings) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
