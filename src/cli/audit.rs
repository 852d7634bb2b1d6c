//! `ctlkit audit`.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use ctlkit::report::AuditReport;
use ctlkit::{
    AuditServer, AuditTarget, CaptureOptions, CiscoFile, Content, Kind, PhoneCopy, audit,
    captured_copies, collect_files, is_capture,
};

use super::args::{AuditArgs, TableFormat};
use super::exit::{Failure, NEGATIVE};
use super::load::{kind_of, one_output, parse_any, pasted_outputs, read};
use super::output::{emit, progress_bar};

/// Exit 0 when every phone matches the server, 1 otherwise.
pub fn run(arguments: &AuditArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let server_input = read(&arguments.against, max_size)?;
    let pasted = pasted_outputs(&server_input)?;
    let pasted_server = pasted
        .as_deref()
        .map(|outputs| one_output(&server_input.name, outputs, None))
        .transpose()?;
    let parsed_server = match pasted_server {
        Some(_) => None,
        None => Some(parse_any(&server_input)?),
    };
    let (server, server_kind) = match (&parsed_server, pasted_server) {
        (Some(file @ CiscoFile::TrustList(list)), _) => (
            AuditServer::File(file),
            kind_of(list, &server_input.name, None),
        ),
        (Some(file @ CiscoFile::Signed(_)), _) => (AuditServer::File(file), Kind::Ctl),
        (None, Some(text)) => (AuditServer::Pasted(text), text.kind),
        (None, None) => {
            return Err(Failure::Unusable(format!(
                "{}: nothing to audit against",
                server_input.name
            )));
        }
    };
    if pasted_server.is_some() {
        eprintln!(
            "note: {} is pasted show output: copies are compared by its checksums only (it holds no certificates to judge them with)",
            server_input.name
        );
    }
    let files =
        collect_files(&arguments.paths).map_err(|error| Failure::Unusable(error.to_string()))?;
    let same_kind = |content: &Content| match (server, content) {
        (
            AuditServer::File(CiscoFile::TrustList(_)) | AuditServer::Pasted(_),
            Content::TrustList(kind),
        ) => kind.is_none_or(|kind| kind == server_kind),
        (AuditServer::File(CiscoFile::Signed(_)), Content::Signed(_)) => true,
        _ => false,
    };
    let options = CaptureOptions {
        max_transfer: max_size,
        ..CaptureOptions::default()
    };
    let mut copies = Vec::with_capacity(files.len());
    for path in files {
        let named = arguments.paths.contains(&path);
        if !looks_like_capture(&path, named) {
            copies.push(PhoneCopy::from_file(path));
            continue;
        }
        let name = path.display().to_string();
        let file = File::open(&path)
            .map_err(|source| Failure::Load(ctlkit::LoadError::Io { path, source }))?;
        let (captured, summary) = captured_copies(file, &name, &options, &same_kind)
            .map_err(|error| Failure::Unusable(format!("{name}: {error}")))?;
        if captured.is_empty() {
            eprintln!(
                "note: {name}: no complete transfer of a file like {}",
                server_input.name
            );
        }
        if let Some(damage) = &summary.damage {
            eprintln!(
                "note: {name}: the capture stops making sense at byte {}: {}; what came before was read",
                damage.offset, damage.message
            );
        }
        copies.extend(captured);
    }
    if copies.is_empty() {
        return Err(Failure::Unusable(
            "no phone files found under the paths given".to_owned(),
        ));
    }
    let bar = progress_bar(copies.len(), arguments.format == TableFormat::Text);
    let target = AuditTarget {
        server,
        server_name: &server_input.name,
        server_kind,
        has_tvs: !arguments.no_tvs,
        max_size,
    };
    let result = audit(&copies, &target, &|| bar.inc(1));
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

/// A capture: a file named on the command line whose first bytes say so, or one found in a
/// folder with a capture's extension (so a fleet's thousands of files are not opened twice).
fn looks_like_capture(path: &Path, named: bool) -> bool {
    let by_extension = path.extension().is_some_and(|extension| {
        ["pcap", "pcapng", "cap"]
            .iter()
            .any(|known| extension.eq_ignore_ascii_case(known))
    });
    if !named && !by_extension {
        return false;
    }
    let mut magic = [0u8; 4];
    File::open(path)
        .and_then(|mut file| file.read_exact(&mut magic))
        .is_ok_and(|()| is_capture(&magic))
}
