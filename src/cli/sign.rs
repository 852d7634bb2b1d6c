//! `ctlkit sign`.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use ctlkit::{BuildWarning, Checksums, SignRequest, report, sign_payload, write_atomically};

use super::args::SignArgs;
use super::exit::Failure;
use super::load::{read, read_bundle};
use super::output::write_stdout;

/// Signs, checks the result, writes it atomically; on any error nothing is written.
pub fn run(arguments: &SignArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let signer = read_bundle(&arguments.signer, true)?;
    let certificate = signer.certificates.first().cloned().ok_or_else(|| {
        Failure::Unusable(format!(
            "{}: no CERTIFICATE block for the signer",
            arguments.signer.display()
        ))
    })?;
    let key = match &arguments.signer_key {
        Some(path) => read_bundle(path, true)?.private_key,
        None => signer.private_key,
    }
    .ok_or_else(|| {
        Failure::Unusable(format!(
            "{}: no private key; put it in the same file or give --signer-key KEY.pem",
            arguments
                .signer_key
                .as_deref()
                .unwrap_or(&arguments.signer)
                .display()
        ))
    })?;
    let payload = read(&arguments.input, max_size)?;
    let output = arguments.output.as_path();
    let filename = match &arguments.filename {
        Some(name) => name.clone(),
        None => output
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| {
                Failure::Unusable(format!(
                    "{}: no file name; give --filename",
                    output.display()
                ))
            })?
            .to_owned(),
    };
    let timestamp = arguments.timestamp.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| u32::try_from(elapsed.as_secs()).ok())
            .unwrap_or(u32::MAX)
    });
    let built = sign_payload(&SignRequest {
        signer_certificate: &certificate,
        signer_key: &key,
        digest: arguments.digest.into(),
        filename,
        timestamp: Some(timestamp),
        payload: &payload.bytes,
    })
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    write_atomically(output, &built.bytes, arguments.force)?;
    for warning in &built.warnings {
        let hint = match warning {
            BuildWarning::WeakDigest => {
                "; use --digest sha512 if every phone model in the cluster supports it"
            }
            _ => "",
        };
        eprintln!("warning: {}{hint}", report::build_warning(warning));
    }
    let sums = Checksums::of(&built.bytes);
    write_stdout(&format!(
        "wrote {} ({} bytes)\n{}(MD5)\n{}(SHA1)\n",
        output.display(),
        built.bytes.len(),
        sums.md5_hex(),
        sums.sha1_hex()
    ))?;
    Ok(ExitCode::SUCCESS)
}
