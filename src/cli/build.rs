//! `ctlkit build`.

use std::net::Ipv4Addr;
use std::process::ExitCode;

use ctlkit::files::write_atomically;
use ctlkit::format::{BuildRequest, build_trust_list};
use ctlkit::{Function, Kind};

use super::args::BuildArgs;
use super::exit::Failure;
use super::load::{first_certificate, parse, read, read_certificates};
use super::signing::{Signing, lint_before_writing, report_written, signed_name};

pub fn run(arguments: &BuildArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let output = arguments.output.as_path();
    ctlkit::files::check_writable(output, arguments.force)?;
    check_names_a_kind(arguments)?;
    let signing = Signing::load(&arguments.signing, output)?;

    let mut certificates = Vec::new();
    for (function, paths) in [
        (Function::Sast, &arguments.sast),
        (Function::Ccm, &arguments.ccm),
        (Function::CcmTftp, &arguments.ccm_tftp),
        (Function::Tftp, &arguments.tftp),
        (Function::Capf, &arguments.capf),
        (Function::Tvs, &arguments.tvs),
        (Function::AppServer, &arguments.app_server),
    ] {
        for path in paths {
            let found = read_certificates(path)?;
            if found.is_empty() {
                // The same words as for one certificate wanted.
                first_certificate(path, "a record")?;
            }
            certificates.extend(found.into_iter().map(|der| (function, der)));
        }
    }

    let existing_input = arguments
        .from
        .as_deref()
        .map(|path| read(path, max_size))
        .transpose()?;
    let existing = existing_input.as_ref().map(parse).transpose()?;
    let addresses = arguments
        .dns
        .iter()
        .map(|text| parse_address(text))
        .collect::<Result<Vec<_>, _>>()?;
    let built = build_trust_list(&BuildRequest {
        signer_certificate: &signing.certificate,
        signer_key: signing.key.as_ref(),
        digest: signing.digest,
        certificates,
        existing: existing.as_ref(),
        drop_serials: &arguments.drop_serial,
        filename: signing.filename,
        timestamp: signing.timestamp,
        addresses: &addresses,
        signer_version: match arguments.signer_version.as_deref() {
            Some("1.1") => Some((1, 1)),
            Some(_) => Some((1, 0)),
            None => None,
        },
    })
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    lint_before_writing(&built.bytes, &arguments.signing.allow, arguments.force)?;
    write_atomically(output, &built.bytes, arguments.force)?;
    report_written(output, &built.bytes, &built.warnings)?;
    Ok(ExitCode::SUCCESS)
}

/// A phone knows a trust list's kind only by the name it asked for, and ctlkit lints what it
/// builds by the FILENAME it signs: a name that says neither CTL nor ITL would be linted as a
/// guess, so it is refused before any key or token is touched.
fn check_names_a_kind(arguments: &BuildArgs) -> Result<(), Failure> {
    let name = signed_name(&arguments.signing, &arguments.output)?;
    // FILENAME may carry a TFTP sub-folder; the kind is in the last part.
    let last = name.rsplit('/').next().unwrap_or_default();
    if Kind::from_file_name(last.as_bytes()).is_some() {
        return Ok(());
    }
    Err(Failure::Unusable(format!(
        "{name}: the name says neither CTL nor ITL, and phones tell a trust list's kind only by its name: write CTLFile.tlv or ITLFile.tlv (CTLSEP<MAC>.tlv, ITLSEP<MAC>.tlv), or give --filename ITLFile.tlv to sign that name into a file written elsewhere"
    )))
}

/// `NAME=IPv4`.
fn parse_address(text: &str) -> Result<(String, Ipv4Addr), Failure> {
    let (name, address) = text
        .split_once('=')
        .ok_or_else(|| Failure::Unusable(format!("--dns {text}: expected NAME=IP")))?;
    let address = address.parse().map_err(|_| {
        Failure::Unusable(format!("--dns {text}: {address} is not an IPv4 address"))
    })?;
    Ok((name.to_owned(), address))
}
