//! Reading and parsing trust-list arguments the same way in every command.

use std::path::Path;

use ctlkit::{FetchOptions, Input, Kind, TftpUrl, TrustList, fetch, read_input};

use super::exit::Failure;

/// Reads `path` (`-` for standard input, `tftp://HOST[:PORT]/NAME` from a TFTP server) under
/// the size limit.
pub fn read(path: &str, max_size: u64) -> Result<Input, Failure> {
    if path.starts_with("tftp://") {
        let url = TftpUrl::parse(path).map_err(|error| Failure::Unusable(error.to_string()))?;
        let options = FetchOptions {
            max_size,
            ..FetchOptions::default()
        };
        let bytes = fetch(&url, &options).map_err(|error| Failure::Unusable(error.to_string()))?;
        return Ok(Input {
            name: path.to_owned(),
            bytes,
            modified: None,
        });
    }
    Ok(read_input(path, max_size)?)
}

/// Parses an input, naming it in the error.
pub fn parse(input: &Input) -> Result<TrustList<'_>, Failure> {
    TrustList::parse(&input.bytes).map_err(|error| Failure::Parse {
        path: input.name.clone(),
        error,
    })
}

/// CTL or ITL: the user's `--kind`, else the header's FILENAME, else the file's own name,
/// else CTL.
pub fn kind_of(list: &TrustList<'_>, path: &str, chosen: Option<Kind>) -> Kind {
    chosen
        .or_else(|| list.kind())
        .or_else(|| {
            let name = Path::new(path).file_name()?.to_str()?;
            Kind::from_file_name(name.as_bytes())
        })
        .unwrap_or(Kind::Ctl)
}
