//! Reading input files with a size limit, so a huge or endless input is refused, not read.

use std::fs::File;
use std::io::{self, Read};
use std::time::SystemTime;

use crate::error::LoadError;

/// The default limit: far above any real trust list (phones refuse ITLs over 64 KB) and far
/// below what would strain memory.
pub const DEFAULT_MAX_SIZE: u64 = 16 * 1024 * 1024;

/// A file's bytes and what the file system says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The path as given (`-` for standard input).
    pub name: String,
    /// The whole content.
    pub bytes: Vec<u8>,
    /// Last modification time, when the source has one.
    pub modified: Option<SystemTime>,
}

/// Reads `path` (or standard input for `-`) whole, refusing anything over `max_size` bytes.
///
/// The size is checked from the file's metadata before reading, and the read itself stops one
/// byte past the limit, so a file that grows or a pipe that never ends cannot exhaust memory.
///
/// # Errors
///
/// [`LoadError::Io`] when the source cannot be opened or read, [`LoadError::TooLarge`] over the
/// limit.
pub fn read_input(path: &str, max_size: u64) -> Result<Input, LoadError> {
    let io_error = |error: io::Error| LoadError::Io {
        path: path.to_owned(),
        message: error.to_string(),
    };
    let too_large = || LoadError::TooLarge {
        path: path.to_owned(),
        limit: max_size,
    };
    let (reader, modified): (Box<dyn Read>, _) = if path == "-" {
        (Box::new(io::stdin().lock()), None)
    } else {
        let file = File::open(path).map_err(io_error)?;
        let metadata = file.metadata().map_err(io_error)?;
        if metadata.is_dir() {
            return Err(LoadError::Io {
                path: path.to_owned(),
                message: "is a directory".to_owned(),
            });
        }
        if metadata.len() > max_size {
            return Err(too_large());
        }
        (Box::new(file), metadata.modified().ok())
    };
    let mut bytes = Vec::new();
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_size {
        return Err(too_large());
    }
    Ok(Input {
        name: path.to_owned(),
        bytes,
        modified,
    })
}
