//! Every file under the paths a user gives: files as given, folders recursively, in sorted
//! order, so a fleet's evidence is read in the same order on every run.

use std::path::PathBuf;

/// A path given that cannot be walked.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", super::path_text(path))]
pub struct WalkError {
    /// The argument being walked.
    pub path: PathBuf,
    /// What went wrong.
    #[source]
    pub source: walkdir::Error,
}

/// Every regular file under `paths` (files as given, folders recursively), in sorted order.
///
/// # Errors
///
/// [`WalkError`] naming a path that cannot be walked.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, WalkError> {
    let mut files = Vec::new();
    for path in paths {
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.map_err(|source| WalkError {
                path: path.clone(),
                source,
            })?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}
