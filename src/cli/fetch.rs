//! `ctlkit fetch`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use ctlkit::Checksums;
use ctlkit::evidence::tftp::{FetchOptions, TftpUrl, fetch};
use ctlkit::files::write_atomically;

use super::args::FetchArgs;
use super::exit::Failure;
use super::output::write_stdout;

/// Fetches, then writes atomically; on any error nothing is written.
pub fn run(arguments: &FetchArgs, max_size: u64) -> Result<ExitCode, Failure> {
    let url = TftpUrl::parse(&arguments.url)?;
    let options = FetchOptions {
        timeout: Duration::from_secs_f64(arguments.timeout),
        retries: arguments.retries,
        block_size: arguments.block_size,
        max_size,
    };
    let output: PathBuf = match &arguments.output {
        Some(output) => output.clone(),
        None => Path::new(&url.name)
            .file_name()
            .map(PathBuf::from)
            .ok_or_else(|| {
                Failure::Unusable(format!("{}: no file name to save as; give -o", url.name))
            })?,
    };
    ctlkit::files::check_writable(&output, arguments.force)?;
    let bytes = fetch(&url, &options)?;
    write_atomically(&output, &bytes, arguments.force)?;
    let sums = Checksums::of(&bytes);
    write_stdout(&format!(
        "{}: {} bytes from {url}\n{}(MD5)\n{}(SHA1)\n",
        output.display(),
        bytes.len(),
        sums.md5_hex(),
        sums.sha1_hex()
    ))?;
    Ok(ExitCode::SUCCESS)
}
