//! Reading input files with a size limit, so a huge or endless input is refused, not read.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The default limit: far above any real trust list (phones refuse ITLs over 64 KB) and far
/// below what would strain memory.
pub const DEFAULT_MAX_SIZE: u64 = 16 * 1024 * 1024;

/// A file's bytes and what the file system says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The name to show for it: the path as given, `-` for standard input, or a URL.
    pub name: String,
    /// The whole content.
    pub bytes: Vec<u8>,
    /// Last modification time, when the source has one.
    pub modified: Option<SystemTime>,
}

/// Reads the file at `path` whole, refusing anything over `max_size` bytes.
///
/// The size is checked from the file's metadata before reading, and the read itself stops one
/// byte past the limit, so a file that grows cannot exhaust memory. Any path works, including
/// one that is not valid UTF-8.
///
/// # Errors
///
/// [`LoadError::Io`] when the file cannot be opened or read, [`LoadError::IsDirectory`] for a
/// directory, [`LoadError::TooLarge`] over the limit.
pub fn read_file(path: &Path, max_size: u64) -> Result<Input, LoadError> {
    let io_error = |source: io::Error| LoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(LoadError::IsDirectory {
            path: path.to_path_buf(),
        });
    }
    if metadata.len() > max_size {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            limit: max_size,
        });
    }
    let mut input = read_stream(file, path.to_path_buf(), max_size)?;
    input.modified = metadata.modified().ok();
    Ok(input)
}

/// Reads a stream (standard input, a pipe) whole, refusing anything over `max_size` bytes;
/// `name` is how errors and reports refer to it.
///
/// # Errors
///
/// [`LoadError::Io`] when reading fails, [`LoadError::TooLarge`] over the limit.
pub fn read_stream(reader: impl Read, name: PathBuf, max_size: u64) -> Result<Input, LoadError> {
    let mut bytes = Vec::new();
    if let Err(source) = reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return Err(LoadError::Io { path: name, source });
    }
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max_size {
        return Err(LoadError::TooLarge {
            path: name,
            limit: max_size,
        });
    }
    Ok(Input {
        name: super::path_text(&name),
        bytes,
        modified: None,
    })
}

/// Why an input file could not be loaded (before any parsing).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The operating system refused (missing file, no permission…).
    #[error("{}: {source}", super::path_text(path))]
    Io {
        /// The path as given (`-` for standard input).
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
    /// The path names a directory where a file was expected.
    #[error("{}: is a directory", super::path_text(path))]
    IsDirectory {
        /// The path as given.
        path: PathBuf,
    },
    /// The file is larger than the configured limit; it was not read whole.
    #[error("{}: larger than the {limit}-byte limit", super::path_text(path))]
    TooLarge {
        /// The path as given.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
}

impl LoadError {
    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            LoadError::Io { path, .. }
            | LoadError::IsDirectory { path }
            | LoadError::TooLarge { path, .. } => path,
        }
    }
}
