//! Who signs and how, for `build` and `sign`: the signer's certificate and key, the digest,
//! FILENAME and TIMESTAMP, and what to tell a person about them afterwards.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use ctlkit::format::{BuildWarning, RsaSigner};
use ctlkit::lint::{LintFinding, LintOptions, Severity};
use ctlkit::report::{LintReport, Render, lint_counts};
use ctlkit::{Checksums, CiscoFile, DigestAlgorithm, Kind, lint, report};

use super::args::{DigestArg, SigningArgs};
use super::exit::Failure;
#[cfg(feature = "pkcs11")]
use super::load::first_certificate;
use super::load::read_bundle;
use super::output::write_stdout;

/// The signer, loaded and checked for presence (the library checks that they match).
pub struct Signing {
    /// The signer's certificate, DER.
    pub certificate: Vec<u8>,
    /// Its private key: read from a PEM file, or on a token.
    pub key: Box<dyn RsaSigner>,
    /// DIGESTALGORTITHM.
    pub digest: DigestAlgorithm,
    /// FILENAME: as given, else the output's base name.
    pub filename: String,
    /// TIMESTAMP: as given, else now.
    pub timestamp: u32,
}

impl Signing {
    /// Loads the signer for a file to be written at `output`.
    pub fn load(arguments: &SigningArgs, output: &Path) -> Result<Self, Failure> {
        let filename = signed_name(arguments, output)?;
        let (certificate, key) = signer_and_key(arguments)?;
        let timestamp = arguments.timestamp.unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .ok()
                .and_then(|elapsed| u32::try_from(elapsed.as_secs()).ok())
                .unwrap_or(u32::MAX)
        });
        Ok(Signing {
            certificate,
            key,
            digest: arguments.digest.into(),
            filename,
            timestamp,
        })
    }
}

/// The FILENAME a file written at `output` is signed with: --filename, else the output's
/// base name.
pub fn signed_name(arguments: &SigningArgs, output: &Path) -> Result<String, Failure> {
    match &arguments.filename {
        Some(name) => Ok(name.clone()),
        None => output
            .file_name()
            .and_then(|name| name.to_str())
            .map(str::to_owned)
            .ok_or_else(|| {
                Failure::Unusable(format!(
                    "{}: no file name; give --filename",
                    output.display()
                ))
            }),
    }
}

/// The signer's certificate and key: from a token when --signer-pkcs11 is given (the
/// certificate from --signer if given, else from the token), else from PEM files.
fn signer_and_key(arguments: &SigningArgs) -> Result<(Vec<u8>, Box<dyn RsaSigner>), Failure> {
    #[cfg(feature = "pkcs11")]
    if let Some(uri) = &arguments.token.signer_pkcs11 {
        let signer = super::token::open_signer(&arguments.token, uri)?;
        let certificate = match &arguments.signer {
            Some(path) => first_certificate(path, "the signer")?,
            None => signer.certificate().map(<[u8]>::to_vec).ok_or_else(|| {
                Failure::Unusable(format!(
                    "{}: no certificate beside key {} on the token; give --signer CERT.pem",
                    signer.place(),
                    signer.object()
                ))
            })?,
        };
        return Ok((certificate, Box::new(signer)));
    }
    let signer_path = arguments
        .signer
        .as_deref()
        .ok_or_else(|| Failure::Unusable("no signer: give --signer SIGNER.pem".to_owned()))?;
    let signer = read_bundle(signer_path, true)?;
    let certificate = first_certificate_of(signer_path, signer.certificates)?;
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
                .unwrap_or(signer_path)
                .display()
        ))
    })?;
    Ok((certificate, Box::new(key)))
}

fn first_certificate_of(path: &Path, certificates: Vec<Vec<u8>>) -> Result<Vec<u8>, Failure> {
    certificates.into_iter().next().ok_or_else(|| {
        Failure::Unusable(format!(
            "{}: no CERTIFICATE block for the signer",
            path.display()
        ))
    })
}

/// Warnings on stderr (with the flag that changes them), then what was written and its
/// checksums on stdout.
pub fn report_written(
    output: &Path,
    bytes: &[u8],
    warnings: &[BuildWarning],
) -> Result<(), Failure> {
    for warning in warnings {
        let hint = match warning {
            BuildWarning::WeakDigest => {
                "; use --digest sha512 if every phone model in the cluster supports it"
            }
            BuildWarning::SignerVersionChosen { .. } => "; --signer-version 1.0 writes 1.0",
            _ => "",
        };
        let label = match warning {
            BuildWarning::SignerVersionChosen { .. } => "note",
            _ => "warning",
        };
        eprintln!("{label}: {}{hint}", report::build_warning(warning));
    }
    let sums = Checksums::of(bytes);
    write_stdout(&format!(
        "wrote {} ({} bytes)\n{}(MD5)\n{}(SHA1)\n",
        output.display(),
        bytes.len(),
        sums.md5_hex(),
        sums.sha1_hex()
    ))
}

/// Runs the lint rules on a file about to be written: errors refuse it unless `force`;
/// every finding not allowed is shown on stderr.
pub fn lint_before_writing(bytes: &[u8], allow: &[String], force: bool) -> Result<(), Failure> {
    let Ok(file) = CiscoFile::parse(bytes) else {
        return Ok(());
    };
    let kind = match &file {
        CiscoFile::TrustList(list) => list.kind().unwrap_or(Kind::Ctl),
        CiscoFile::Signed(_) => Kind::Ctl,
    };
    let options = LintOptions {
        certificates: &[],
        release: None,
        now: time::OffsetDateTime::now_utc(),
        warn_days: 30,
        expect_rollback: false,
        recovery_signed_itl: None,
    };
    // No cluster certificates are given here, so the rules cannot fail.
    let findings: Vec<LintFinding> = lint(&file, kind, &options)
        .unwrap_or_default()
        .into_iter()
        .filter(|finding| {
            finding.lint.severity() > Severity::Info
                && !allow
                    .iter()
                    .any(|rule| rule.eq_ignore_ascii_case(finding.lint.rule()))
        })
        .collect();
    let report = LintReport {
        file: "lint",
        findings: &findings,
    };
    // Every line but the closing count, which names the file as "lint".
    for line in report
        .text(false)
        .lines()
        .filter(|line| !line.starts_with("lint: "))
    {
        eprintln!("{line}");
    }
    let errors = lint_counts(&findings).error;
    if errors > 0 && !force {
        return Err(Failure::Unusable(format!(
            "not written: {errors} lint error(s) above (--allow RULE to silence one, --force to write anyway)"
        )));
    }
    Ok(())
}

impl From<DigestArg> for DigestAlgorithm {
    fn from(digest: DigestArg) -> Self {
        match digest {
            DigestArg::Sha1 => DigestAlgorithm::Sha1,
            DigestArg::Sha256 => DigestAlgorithm::Sha256,
            DigestArg::Sha512 => DigestAlgorithm::Sha512,
        }
    }
}
