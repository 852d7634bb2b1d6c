//! `ctlkit lint`.

use std::process::ExitCode;

use ctlkit::format::{SignerClass, signer_class};
use ctlkit::lint::{LintFinding, LintOptions, PASTED_RULES, Severity, lint_pasted};
use ctlkit::report::{LintReports, explain};
use ctlkit::{CiscoFile, Input, Kind, TrustList, lint, verify};
use time::OffsetDateTime;

use super::args::{DenyArg, LintArgs};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse_any, pasted_outputs, read, server_certificates};
use super::output::{emit, write_stdout};

/// Exit 0 when no finding reaches `--deny`, 1 otherwise.
pub fn run(arguments: &LintArgs, max_size: u64) -> Result<ExitCode, Failure> {
    if let Some(rule) = &arguments.explain {
        let page = explain(rule).ok_or_else(|| {
            Failure::Unusable(format!("{rule}: no such rule (see ctlkit lint --help)"))
        })?;
        write_stdout(&page)?;
        return Ok(ExitCode::SUCCESS);
    }
    let certificates = server_certificates(&arguments.cluster)?;
    let inputs: Vec<Input> = arguments
        .files
        .iter()
        .map(|path| read(path, max_size))
        .collect::<Result<_, _>>()?;
    // An ITL of the cluster that ITLRecovery signs dates it to 12.0 or later.
    let recovery_signed_itl = inputs.iter().find_map(|input| {
        let list = TrustList::parse(&input.bytes).ok()?;
        let signed_by_recovery = kind_of(&list, &input.name, None) == Kind::Itl
            && signer_class(&list) == SignerClass::ItlRecovery
            && verify(&list).is_valid();
        signed_by_recovery.then_some(input.name.as_str())
    });
    let options = LintOptions {
        certificates: &certificates,
        release: arguments.release,
        now: OffsetDateTime::now_utc(),
        warn_days: arguments.warn_days,
        expect_rollback: arguments.expect_rollback,
        recovery_signed_itl,
    };
    let deny = match arguments.deny {
        DenyArg::Info => Severity::Info,
        DenyArg::Warning => Severity::Warning,
        DenyArg::Error => Severity::Error,
    };
    let mut reports = Vec::new();
    let allowed = |finding: &LintFinding| {
        !arguments
            .allow
            .iter()
            .any(|rule| rule.eq_ignore_ascii_case(finding.lint.rule()))
    };
    for input in &inputs {
        if let Some(outputs) = pasted_outputs(input)? {
            eprintln!(
                "note: {} is pasted show ctl / show itl text, which holds no certificates: only {} can be checked from it",
                input.name,
                PASTED_RULES.join(", ")
            );
            let several = outputs.len() > 1;
            for output in &outputs {
                let name = if several {
                    format!("{} (line {})", input.name, output.first_line)
                } else {
                    input.name.clone()
                };
                let findings = lint_pasted(output).into_iter().filter(allowed).collect();
                reports.push((name, findings));
            }
            continue;
        }
        let file = parse_any(input)?;
        let kind = match &file {
            CiscoFile::TrustList(list) => {
                kind_of(list, &input.name, arguments.kind.map(Kind::from))
            }
            CiscoFile::Signed(_) => Kind::Ctl,
        };
        let findings: Vec<LintFinding> = lint(&file, kind, &options)
            .map_err(|error| Failure::Unusable(error.to_string()))?
            .into_iter()
            .filter(allowed)
            .collect();
        reports.push((input.name.clone(), findings));
    }
    let denied = reports
        .iter()
        .flat_map(|(_, findings)| findings)
        .any(|finding| finding.lint.severity() >= deny);
    emit(&LintReports { files: &reports }, arguments.format)?;
    Ok(if denied {
        ExitCode::from(NEGATIVE)
    } else {
        ExitCode::SUCCESS
    })
}
