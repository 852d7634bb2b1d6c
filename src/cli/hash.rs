//! `ctlkit hash`.

use std::process::ExitCode;

use base64::Engine as _;
use ctlkit::Checksums;
use ctlkit::format::DigestAlgorithm;
use ctlkit::report::{HashEntry, HashReport};

use super::args::HashArgs;
use super::exit::{Failure, UNUSABLE};
use super::load::read;
use super::output::emit;

/// Hashes every file it can; a file that cannot be read is reported and makes the exit code 2,
/// but does not stop the others.
pub fn run(arguments: &HashArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let mut report = HashReport::default();
    let mut failed = false;
    for path in &arguments.files {
        match read(path, max_size).and_then(|input| entry(input, arguments.certhash.as_deref())) {
            Ok(entry) => report.entries.push(entry),
            Err(failure) => {
                failed = true;
                let _ = failure.report();
            }
        }
    }
    emit(&report, arguments.format)?;
    Ok(if failed {
        ExitCode::from(UNUSABLE)
    } else {
        ExitCode::SUCCESS
    })
}

/// The file's entry; with `certhash`, its first certificate's digest in base64 too.
fn entry(input: ctlkit::Input, certhash: Option<&str>) -> Result<HashEntry, Failure> {
    let mut entry = HashEntry::new(&input.name, input.bytes.len(), &Checksums::of(&input.bytes));
    let Some(digest_name) = certhash else {
        return Ok(entry);
    };
    let (digest, name) = match digest_name {
        "sha256" => (DigestAlgorithm::Sha256, "sha256"),
        "sha512" => (DigestAlgorithm::Sha512, "sha512"),
        _ => (DigestAlgorithm::Sha1, "sha1"),
    };
    let certificate = certificate_der(&input.bytes).ok_or_else(|| {
        Failure::Unusable(format!("{}: no certificate in it (PEM or DER)", input.name))
    })?;
    let hash = digest.digest(&certificate).unwrap_or_default();
    entry.certificate_hash = Some(base64::engine::general_purpose::STANDARD.encode(hash));
    entry.certificate_hash_digest = Some(name);
    Ok(entry)
}

/// The first certificate of a PEM file, or the bytes themselves when they are one DER
/// certificate; a key beside it (EC from `ctlkit cert --curve`, or encrypted) is not read.
fn certificate_der(bytes: &[u8]) -> Option<Vec<u8>> {
    let first = ctlkit::keys::read_pem_certificates(bytes)
        .ok()?
        .into_iter()
        .next()?;
    x509_parser::parse_x509_certificate(&first)
        .is_ok_and(|(rest, _)| rest.is_empty())
        .then_some(first)
}
