//! `ctlkit fetch`.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use ctlkit::{Checksums, FetchOptions, TftpUrl, fetch, write_atomically};

use super::args::FetchArgs;
use super::exit::Failure;
use super::output::write_stdout;

/// Fetches, then writes atomically; on any error nothing is written.
pub fn run(arguments: &FetchArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let url =
        TftpUrl::parse(&arguments.url).map_err(|error| Failure::Unusable(error.to_string()))?;
    let options = FetchOptions {
        timeout: Duration::from_secs_f64(arguments.timeout),
        retries: arguments.retries,
        block_size: arguments.block_size,
        max_size,
    };
    let output = match &arguments.output {
        Some(output) => output.clone(),
        None => Path::new(&url.name)
            .file_name()
            .and_then(|name| name.to_str())
            .ok_or_else(|| {
                Failure::Unusable(format!("{}: no file name to save as; give -o", url.name))
            })?
            .to_owned(),
    };
    let bytes = fetch(&url, &options).map_err(|error| Failure::Unusable(error.to_string()))?;
    write_atomically(Path::new(&output), &bytes, arguments.force)
        .map_err(|error| Failure::Unusable(error.to_string()))?;
    let sums = Checksums::of(&bytes);
    write_stdout(&format!(
        "{output}: {} bytes from {url}\n{}(MD5)\n{}(SHA1)\n",
        bytes.len(),
        sums.md5_hex(),
        sums.sha1_hex()
    ))?;
    Ok(ExitCode::SUCCESS)
}
