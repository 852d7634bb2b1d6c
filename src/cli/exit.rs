//! The one place errors become exit codes and stderr lines.

use std::io;
use std::process::ExitCode;

use ctlkit::{LoadError, ParseError};

/// Exit code for a negative verdict (invalid signature, mismatch, difference).
pub const NEGATIVE: u8 = 1;
/// Exit code for unusable input or a usage error.
pub const UNUSABLE: u8 = 2;

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The input could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The input is not a trust list.
    #[error("{path}: {error}")]
    Parse {
        /// The path as given.
        path: String,
        /// Where and what.
        error: ParseError,
    },
    /// Arguments or inputs that cannot be acted on: a bad certificate or key, an existing
    /// output file, a TFTP server's error… (the message is complete as it is).
    #[error("{0}")]
    Unusable(String),
    /// Writing the output failed (other than a closed pipe).
    #[error("writing output: {0}")]
    Output(io::Error),
}

impl Failure {
    /// Prints the one-line error and gives the exit code; a closed pipe is a normal end.
    pub fn report(&self) -> ExitCode {
        if let Failure::Output(error) = self
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
        eprintln!("error: {}", ctlkit::printable(self.to_string().as_bytes()));
        ExitCode::from(UNUSABLE)
    }
}
