//! `ctlkit verify`.

use std::process::ExitCode;

use ctlkit::report::VerifyReport;
use ctlkit::{Acceptance, HeldList, Input, TrustList, verify, would_accept};

use super::args::VerifyArgs;
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, parse, read};
use super::output::emit;

/// Exit 0 when the signature is valid and, with `--trust`, a phone accepts the file outright;
/// 1 otherwise (an "only if TVS vouches" answer is not a yes).
pub fn run(arguments: &VerifyArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let input = read(&arguments.file, max_size)?;
    let trust_list = parse(&input)?;
    let held_inputs: Vec<Input> = arguments
        .trust
        .iter()
        .map(|path| read(path, max_size))
        .collect::<Result<_, _>>()?;
    let held_lists: Vec<TrustList<'_>> = held_inputs.iter().map(parse).collect::<Result<_, _>>()?;
    let held: Vec<HeldList<'_, '_>> = held_inputs
        .iter()
        .zip(&held_lists)
        .map(|(held_input, list)| HeldList {
            name: &held_input.name,
            kind: kind_of(list, &held_input.name, None),
            list,
        })
        .collect();

    let verification = verify(&trust_list);
    let verdict = would_accept(
        &trust_list,
        kind_of(&trust_list, &input.name, None),
        &verification,
        &held,
        !arguments.no_tvs,
    );
    let report = VerifyReport {
        file: &input.name,
        verification: &verification,
        verdict: verdict.as_ref(),
    };
    emit(&report, arguments.format)?;
    let accepted = verdict
        .as_ref()
        .is_none_or(|verdict| verdict.acceptance == Acceptance::Accepted);
    Ok(if verification.is_valid() && accepted {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
