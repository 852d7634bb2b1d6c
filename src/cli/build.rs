//! `ctlkit build`.

use std::net::Ipv4Addr;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use ctlkit::{
    BuildRequest, BuildWarning, Checksums, DigestAlgorithm, Function, build_trust_list, report,
    write_atomically,
};

use super::args::{BuildArgs, DigestArg};
use super::exit::Failure;
use super::load::{parse, read, read_bundle};
use super::output::write_stdout;

pub fn run(arguments: &BuildArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let signer = read_bundle(&arguments.signer, true)?;
    let signer_certificate = signer.certificates.first().cloned().ok_or_else(|| {
        Failure::Unusable(format!(
            "{}: no CERTIFICATE block for the signer",
            arguments.signer.display()
        ))
    })?;
    let signer_key = match &arguments.signer_key {
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
            let bundle = read_bundle(path, false)?;
            if bundle.certificates.is_empty() {
                return Err(Failure::Unusable(format!(
                    "{}: no certificate in it",
                    path.display()
                )));
            }
            certificates.extend(bundle.certificates.into_iter().map(|der| (function, der)));
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
    let timestamp = match arguments.timestamp {
        Some(timestamp) => timestamp,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .ok()
            .and_then(|elapsed| u32::try_from(elapsed.as_secs()).ok())
            .unwrap_or(u32::MAX),
    };

    let built = build_trust_list(&BuildRequest {
        signer_certificate: &signer_certificate,
        signer_key: &signer_key,
        digest: arguments.digest.into(),
        certificates,
        existing: existing.as_ref(),
        drop_serials: &arguments.drop_serial,
        filename,
        timestamp,
        addresses: &addresses,
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

impl From<DigestArg> for DigestAlgorithm {
    fn from(digest: DigestArg) -> Self {
        match digest {
            DigestArg::Sha1 => DigestAlgorithm::Sha1,
            DigestArg::Sha256 => DigestAlgorithm::Sha256,
            DigestArg::Sha512 => DigestAlgorithm::Sha512,
        }
    }
}
