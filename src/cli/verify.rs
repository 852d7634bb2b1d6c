//! `ctlkit verify`: one file's signature and the phone's verdict, or a sweep of many files.

use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::acceptance::Phone;
use ctlkit::audit::AuditProblem;
use ctlkit::files::collect_files;
use ctlkit::format::SignerCandidate;
use ctlkit::report::VerifyReport;
use ctlkit::sweep::{RowOutcome, SweepRow, SweptFile, judge_file};
use ctlkit::{HeldList, Input, TrustList, sweep};

use super::args::{TableFormat, VerifyArgs};
use super::exit::{Failure, NEGATIVE, UNUSABLE, damage_line};
use super::load::{first_certificate, kind_of, parse, read, tvs_trusts};
use super::output::{emit, progress_bar};

/// One answer per file, the same for one file or many. The worst file decides the exit code:
/// 2 when any is unusable (or judged by a held copy that fails its own signature), 1 when any
/// is rejected, accepted only if TVS vouches ("only if" is not a yes), damaged, or has a
/// signature that is invalid or cannot be checked; else 0.
pub fn run(arguments: &VerifyArgs, max_size: u64) -> Result<ExitCode, Failure> {
    if arguments.trust.is_empty() && (arguments.tvs.no_tvs || !arguments.tvs.tvs_trusts.is_empty())
    {
        return Err(Failure::Unusable(
            "--no-tvs and --tvs-trusts describe the phone that judges: give the lists it holds with --trust".to_owned(),
        ));
    }
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
    let certificate = arguments
        .cert
        .as_deref()
        .map(|path| first_certificate(path, "--cert"))
        .transpose()?;
    if let Some(der) = &certificate {
        SignerCandidate::from_certificate(der)
            .map_err(|error| Failure::Unusable(format!("--cert: {error:?}")))?;
    }
    if arguments.files.is_empty() {
        return Err(Failure::Unusable("give a file to verify".to_owned()));
    }
    let tvs_trusted = tvs_trusts(&arguments.tvs.tvs_trusts)?;
    let phone = Phone::new(&held, !arguments.tvs.no_tvs).map(|phone| match &tvs_trusted {
        Some(trusted) => phone.with_tvs_trusts(trusted),
        None => phone,
    });
    let mut rows = Vec::new();
    let mut on_disk = Vec::new();
    for argument in &arguments.files {
        let is_path = argument != "-"
            && !argument
                .to_str()
                .is_some_and(|text| text.starts_with("tftp://"));
        if is_path {
            on_disk.push(PathBuf::from(argument));
            continue;
        }
        // Standard input or a TFTP server: read here, judged as any file.
        let input = read(argument, max_size)?;
        let row = judge_file(
            PathBuf::from(&input.name),
            &input.bytes,
            phone.as_ref(),
            certificate.as_deref(),
        );
        rows.push(named_row(SweepRow { named: true, ..row }, &input));
    }
    // A glob may name thousands of files: look each row up in a set, not a list.
    let named_paths: std::collections::HashSet<PathBuf> = on_disk.iter().cloned().collect();
    if !on_disk.is_empty() {
        let files =
            collect_files(&on_disk).map_err(|error| Failure::Unusable(error.to_string()))?;
        let bar = progress_bar(files.len(), arguments.format == TableFormat::Text);
        let swept = sweep(
            &files,
            phone.as_ref(),
            max_size,
            certificate.as_deref(),
            &|| bar.inc(1),
        );
        bar.finish_and_clear();
        for row in swept {
            // A file named on the command line was meant to be judged: if it is no Cisco file,
            // say what it is (files found in a folder may be anything a TFTP server serves).
            let named = named_paths.contains(&row.path);
            let row = SweepRow { named, ..row };
            if named && row.file == SweptFile::NotSigned {
                let input = read(row.path.as_os_str(), max_size)?;
                rows.push(named_row(row, &input));
            } else {
                rows.push(row);
            }
        }
    }
    if rows.is_empty() {
        return Err(Failure::Unusable(
            "no files found under the paths given".to_owned(),
        ));
    }
    if certificate.is_some()
        && let Some(list) = rows
            .iter()
            .find(|row| row.named && matches!(row.file, SweptFile::TrustList(_)))
    {
        return Err(Failure::Unusable(format!(
            "{}: a trust list is checked with its own SAST records (and --trust for a phone's view); --cert is for signed files",
            ctlkit::files::path_text(&list.path)
        )));
    }
    for row in &rows {
        if let SweptFile::Unusable(problem) = &row.file {
            eprintln!("error: {}", unusable_line(row, problem));
        }
        if let Some(damage) = &row.damage {
            damage_line(&ctlkit::files::path_text(&row.path), damage);
        }
    }
    let held_names: Vec<String> = held.iter().map(|list| list.name.to_owned()).collect();
    let report = VerifyReport {
        rows: &rows,
        held: &held_names,
    };
    // One unusable file alone: the stderr line is the whole answer for people.
    let alone_and_unusable =
        matches!(rows.as_slice(), [row] if matches!(row.file, SweptFile::Unusable(_)));
    if !(alone_and_unusable && arguments.format == TableFormat::Text) {
        emit(&report, arguments.format)?;
    }
    Ok(match rows.iter().map(SweepRow::outcome).max() {
        Some(RowOutcome::Unusable) => ExitCode::from(UNUSABLE),
        Some(RowOutcome::Negative) => ExitCode::from(NEGATIVE),
        _ => ExitCode::SUCCESS,
    })
}

/// A file given by name that is not a Cisco file: unusable, with what it is.
fn named_row(row: SweepRow, input: &Input) -> SweepRow {
    if row.file != SweptFile::NotSigned {
        return row;
    }
    match TrustList::parse(&input.bytes) {
        Err(error) => ctlkit::sweep::unusable(
            row.path,
            AuditProblem::NotCiscoFile {
                error,
                recognised: ctlkit::evidence::recognise(&input.bytes),
            },
        ),
        Ok(_) => row,
    }
}

/// The stderr line for an unusable file: what it is and where it belongs when ctlkit can
/// tell, else the problem.
fn unusable_line(row: &SweepRow, problem: &AuditProblem) -> String {
    let path = ctlkit::files::path_text(&row.path);
    match problem {
        AuditProblem::NotCiscoFile { error, recognised } => Failure::Parse {
            path,
            error: error.clone(),
            recognised: *recognised,
        }
        .to_string(),
        _ => format!("{path}: {}", ctlkit::report::problem_sentence(problem)),
    }
}
