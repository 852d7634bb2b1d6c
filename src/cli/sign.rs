//! `ctlkit sign`.

use std::process::ExitCode;

use ctlkit::files::write_atomically;
use ctlkit::format::{SignRequest, companion_config, sign_encrypted, sign_payload};
use ctlkit::keys::encryption_secrets;

use super::args::SignArgs;
use super::exit::Failure;
use super::load::{first_certificate, read};
use super::signing::{Signing, lint_before_writing, report_written};

/// Signs, checks the result, writes it atomically; on any error nothing is written.
pub fn run(arguments: &SignArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let output = arguments.output.as_path();
    ctlkit::files::check_writable(output, arguments.force)?;
    if let Some(companion) = &arguments.companion {
        ctlkit::files::check_writable(companion, arguments.force)?;
    }
    let signing = Signing::load(&arguments.signing, output)?;
    let payload = read(&arguments.input, max_size)?;
    let phone_certificate = arguments
        .encrypt_for
        .as_deref()
        .map(|path| first_certificate(path, "--encrypt-for"))
        .transpose()?;
    let request = SignRequest {
        signer_certificate: &signing.certificate,
        signer_key: signing.key.as_ref(),
        digest: signing.digest,
        filename: signing.filename,
        timestamp: Some(signing.timestamp),
        payload: &payload.bytes,
    };
    let built = match &phone_certificate {
        Some(phone) => {
            let secrets =
                encryption_secrets().map_err(|error| Failure::Unusable(error.to_string()))?;
            sign_encrypted(&request, phone, &secrets)
        }
        None => sign_payload(&request),
    }
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    let companion = match (&arguments.companion, &phone_certificate) {
        (Some(path), Some(phone)) => {
            let xml = companion_config(&payload.bytes, phone)
                .map_err(|error| Failure::Unusable(format!("{}: {error}", payload.name)))?;
            let filename = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            let signed = sign_payload(&SignRequest {
                filename,
                payload: &xml,
                ..request.clone()
            })
            .map_err(|error| Failure::Unusable(error.to_string()))?;
            Some((path, signed))
        }
        _ => None,
    };
    lint_before_writing(&built.bytes, &arguments.signing.allow, arguments.force)?;
    write_atomically(output, &built.bytes, arguments.force)?;
    report_written(output, &built.bytes, &built.warnings)?;
    if let Some((path, signed)) = companion {
        write_atomically(path, &signed.bytes, arguments.force)?;
        report_written(path, &signed.bytes, &[])?;
    }
    Ok(ExitCode::SUCCESS)
}
