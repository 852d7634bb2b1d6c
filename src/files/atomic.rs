//! Writing files so that nothing is lost: a temporary file in the same directory, then a
//! rename, never over an existing file unless asked.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a file was not written; when this is returned, nothing was left behind.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The destination exists and overwriting was not asked for.
    #[error("{} exists", super::path_text(.0))]
    Exists(PathBuf),
    /// The destination is a folder: a file is never written over one, `--force` or not.
    #[error("{} is a folder", super::path_text(.0))]
    IsDirectory(PathBuf),
    /// The file system refused.
    #[error("{}: {source}", super::path_text(path))]
    Io {
        /// The destination.
        path: PathBuf,
        /// The reason.
        #[source]
        source: io::Error,
    },
}

/// Whether [`write_atomically`] could write `path`, asked before the work that makes the bytes
/// (a PIN prompt, a signature, a download), so a refusal comes first and costs nothing.
///
/// # Errors
///
/// [`WriteError::IsDirectory`] when `path` is a folder, [`WriteError::Exists`] when it exists
/// and `overwrite` is false.
pub fn check_writable(path: &Path, overwrite: bool) -> Result<(), WriteError> {
    if fs::metadata(path).is_ok_and(|metadata| metadata.is_dir()) {
        return Err(WriteError::IsDirectory(path.to_path_buf()));
    }
    if !overwrite && fs::symlink_metadata(path).is_ok() {
        return Err(WriteError::Exists(path.to_path_buf()));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: readers see the old file or the whole new one.
///
/// # Errors
///
/// [`WriteError::IsDirectory`] when `path` is a folder, [`WriteError::Exists`] when `path`
/// exists and `overwrite` is false, [`WriteError::Io`] otherwise; the temporary file is removed in both cases.
pub fn write_atomically(path: &Path, bytes: &[u8], overwrite: bool) -> Result<(), WriteError> {
    write_with_mode(path, bytes, overwrite, 0o644)
}

/// Writes a file holding a private key: as [`write_atomically`], readable by its owner only
/// from the moment it exists, and never over an existing file.
///
/// # Errors
///
/// As [`write_atomically`].
pub fn write_secret(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_with_mode(path, bytes, false, 0o600)
}

fn write_with_mode(
    path: &Path,
    bytes: &[u8],
    overwrite: bool,
    mode: u32,
) -> Result<(), WriteError> {
    let io_error = |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    check_writable(path, overwrite)?;
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".ctlkit-")
        .tempfile_in(directory)
        .map_err(io_error)?;
    // The temporary file is created owner-only; a key never has other permissions, a trust
    // list is served by TFTP and so readable by everyone, like the files CUCM writes. The
    // mode is set before any byte is written.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(temporary.path(), fs::Permissions::from_mode(mode))
            .map_err(io_error)?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temporary.write_all(bytes).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    if overwrite {
        temporary
            .persist(path)
            .map_err(|error| io_error(error.error))?;
    } else {
        // Checked above, but another process may have created it since: never clobber.
        temporary.persist_noclobber(path).map_err(|error| {
            if error.error.kind() == io::ErrorKind::AlreadyExists {
                WriteError::Exists(path.to_path_buf())
            } else {
                io_error(error.error)
            }
        })?;
    }
    Ok(())
}
