//! `ctlkit verify`: one file's signature and the phone's verdict, or a sweep of many files.

use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::acceptance::{FileKind, judge_new_file};
use ctlkit::files::collect_files;
use ctlkit::format::{SignerCandidate, verify_signed_file};
use ctlkit::report::{SweepReport, VerifyReport};
use ctlkit::{Acceptance, CiscoFile, HeldList, Input, TrustList, sweep, verify, would_accept};

use super::args::{TableFormat, VerifyArgs};
use super::exit::{Failure, NEGATIVE, UNUSABLE};
use super::load::{Parsed, kind_of, parse, parse_or_salvage, read, read_bundle};
use super::output::{emit, progress_bar};

/// Exit 0 when the signature is valid and, with `--trust`, a phone accepts the file outright;
/// 1 otherwise (an "only if TVS vouches" answer is not a yes). A sweep exits 1 when any file
/// would be rejected.
pub fn run(arguments: &VerifyArgs, max_size: u64) -> Result<ExitCode, Failure> {
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
    ctlkit::acceptance::check_held_set(&held).map_err(|error| {
        Failure::Unusable(format!(
            "--trust: {error}; give the phone's CTL and/or its ITL, once each"
        ))
    })?;
    let sweeping = arguments.files.len() > 1
        || arguments
            .files
            .first()
            .is_some_and(|path| path != "-" && std::path::Path::new(path).is_dir());
    if sweeping {
        return run_sweep(arguments, &held, max_size);
    }
    let Some(path) = arguments.files.first() else {
        return Err(Failure::Unusable("give a file to verify".to_owned()));
    };
    let input = read(path, max_size)?;
    if ctlkit::pasted::is_pasted_show(&input.bytes) {
        return Err(Failure::Unusable(format!(
            "{}: pasted show ctl / show itl text holds no certificates, so no signature can be checked from it; verify the file itself, or compare the text with it: ctlkit diff {} FILE",
            input.name, input.name
        )));
    }
    let certificate = arguments
        .cert
        .as_deref()
        .map(|path| {
            read_bundle(path, false)?
                .certificates
                .into_iter()
                .next()
                .ok_or_else(|| {
                    Failure::Unusable(format!("{}: no certificate in it", path.display()))
                })
        })
        .transpose()?;
    let (file, damage) = match parse_or_salvage(&input)? {
        Parsed::Whole(file) => (file, None),
        Parsed::Damaged(salvaged) => (CiscoFile::TrustList(salvaged.list), salvaged.damage),
    };
    let (verification, verdict) = match file {
        CiscoFile::TrustList(_) if certificate.is_some() => {
            return Err(Failure::Unusable(format!(
                "{}: a trust list is checked with its own SAST records (and --trust for a phone's view); --cert is for signed files",
                input.name
            )));
        }
        CiscoFile::TrustList(list) => {
            let verification = verify(&list);
            let kind = kind_of(&list, &input.name, None);
            let verdict = would_accept(&list, kind, &verification, &held, !arguments.no_tvs);
            (verification, verdict)
        }
        CiscoFile::Signed(file) => {
            let candidates: Vec<SignerCandidate<'_>> = match &certificate {
                Some(der) => vec![
                    SignerCandidate::from_certificate(der)
                        .map_err(|error| Failure::Unusable(format!("--cert: {error:?}")))?,
                ],
                None => Vec::new(),
            };
            // Firmware answers to Cisco's key, never to the phone's lists.
            if certificate.is_some() || file.is_firmware() || held.is_empty() {
                (verify_signed_file(&file, &candidates), None)
            } else {
                let verdict = judge_new_file(
                    file.header(),
                    FileKind::Signed,
                    None,
                    &held,
                    !arguments.no_tvs,
                );
                let verification = verdict
                    .as_ref()
                    .map(|verdict| verdict.with_held_keys.clone())
                    .unwrap_or_else(|| verify_signed_file(&file, &candidates));
                (verification, verdict)
            }
        }
    };
    let report = VerifyReport {
        file: &input.name,
        verification: &verification,
        verdict: verdict.as_ref(),
        damage: damage.as_ref(),
    };
    emit(&report, arguments.format)?;
    // A held copy that fails its own signature is not what the phone holds: nothing was judged.
    if verdict
        .as_ref()
        .is_some_and(|verdict| verdict.acceptance == Acceptance::CannotJudge)
    {
        return Ok(ExitCode::from(UNUSABLE));
    }
    let accepted = verdict
        .as_ref()
        .is_none_or(|verdict| verdict.acceptance == Acceptance::Accepted);
    Ok(if verification.is_valid() && accepted && damage.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}

fn run_sweep(
    arguments: &VerifyArgs,
    held: &[HeldList<'_, '_>],
    max_size: u64,
) -> Result<ExitCode, Failure> {
    if held.is_empty() {
        return Err(Failure::Unusable(
            "to verify many files, give the lists the phones hold: --trust ITLFile.tlv [--trust CTLFile.tlv]".to_owned(),
        ));
    }
    let paths: Vec<PathBuf> = arguments.files.iter().map(PathBuf::from).collect();
    let files = collect_files(&paths).map_err(|error| Failure::Unusable(error.to_string()))?;
    if files.is_empty() {
        return Err(Failure::Unusable(
            "no files found under the paths given".to_owned(),
        ));
    }
    let bar = progress_bar(files.len(), arguments.format == TableFormat::Text);
    let rows = sweep(&files, held, !arguments.no_tvs, max_size, &|| bar.inc(1));
    bar.finish_and_clear();
    let held_names: Vec<String> = held.iter().map(|list| list.name.to_owned()).collect();
    let report = SweepReport {
        rows: &rows,
        held: &held_names,
    };
    emit(&report, arguments.format)?;
    let cannot_judge = rows
        .iter()
        .any(|row| row.acceptance() == Some(Acceptance::CannotJudge));
    Ok(if cannot_judge {
        ExitCode::from(UNUSABLE)
    } else if report.counts().rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(NEGATIVE)
    })
}
