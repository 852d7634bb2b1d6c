//! `ctlkit cert`.

use std::path::PathBuf;
use std::process::ExitCode;

use ctlkit::Checksums;
use ctlkit::files::{check_writable, path_text, write_secret};
use ctlkit::keys::{CertificateDigest, CertificateRequest, KeyKind, make_certificate};

use super::args::CertArgs;
use super::exit::Failure;
use super::output::write_stdout;

/// Makes the certificate and key and writes them, owner-only, never over a file.
pub fn run(arguments: &CertArgs) -> Result<ExitCode, Failure> {
    let output = arguments.output.clone().unwrap_or_else(|| {
        let name: String = arguments
            .common
            .chars()
            .map(|character| {
                if character.is_ascii_alphanumeric() || character == '-' {
                    character
                } else {
                    '_'
                }
            })
            .collect();
        PathBuf::from(format!("{name}.pem"))
    });
    if let Err(error) = check_writable(&output, false) {
        return Err(match error {
            ctlkit::files::WriteError::Exists(path) => Failure::Unusable(format!(
                "{} exists: ctlkit cert never writes over a file (it may hold a key); name another with -o",
                path_text(&path)
            )),
            other => other.into(),
        });
    }
    let key = match (arguments.curve.as_deref(), arguments.key_size) {
        (Some("p384"), _) => KeyKind::P384,
        (Some(_), _) => KeyKind::P256,
        (None, bits) => KeyKind::Rsa(bits.unwrap_or(2048)),
    };
    let digest = match (arguments.digest.as_deref(), key) {
        (Some("sha384"), _) | (None, KeyKind::P384) => CertificateDigest::Sha384,
        (Some("sha512"), _) => CertificateDigest::Sha512,
        _ => CertificateDigest::Sha256,
    };
    let made = make_certificate(
        &CertificateRequest {
            common_name: arguments.common.clone(),
            organization: arguments.organization.clone(),
            unit: arguments.unit.clone(),
            locality: arguments.locality.clone(),
            state: arguments.state.clone(),
            country: arguments.country.clone(),
            years: arguments.years,
            key,
            digest,
        },
        time::OffsetDateTime::now_utc(),
    )
    .map_err(|error| Failure::Unusable(error.to_string()))?;
    let mut pem = made.certificate_pem.clone();
    pem.push_str(&made.key_pem);
    write_secret(&output, pem.as_bytes())?;
    let sums = Checksums::of(&made.certificate_der);
    write_stdout(&format!(
        "wrote {} (certificate and key, readable by its owner only)\ncertificate {}(SHA1) {}(MD5)\n",
        path_text(&output),
        sums.sha1_hex(),
        sums.md5_hex()
    ))?;
    Ok(ExitCode::SUCCESS)
}
