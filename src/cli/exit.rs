//! The one place errors become exit codes and stderr lines, and where the library's errors
//! get the hint a person needs (which flag or variable changes the outcome).

use std::io;
use std::process::ExitCode;

use ctlkit::evidence::tftp::TftpError;
use ctlkit::files::WriteError;
use ctlkit::keys::KeyError;
use ctlkit::{LoadError, ParseError};

/// Exit code for a negative verdict (invalid signature, mismatch, difference).
pub const NEGATIVE: u8 = 1;
/// Exit code for unusable input or a usage error.
pub const UNUSABLE: u8 = 2;

/// The environment variable that holds an encrypted key's passphrase (never a flag: flags
/// show up in `ps` and shell history).
pub const PASSPHRASE_VARIABLE: &str = "CTLKIT_KEY_PASSPHRASE";

/// Why a command could not do its job.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The input could not be read.
    #[error("{}{}", .0, load_hint(.0))]
    Load(#[from] LoadError),
    /// The input is not a trust list.
    #[error("{path}: {error}")]
    Parse {
        /// The path as given.
        path: String,
        /// Where and what.
        error: ParseError,
    },
    /// A TFTP fetch failed.
    #[error("{}{}", .0, tftp_hint(.0))]
    Tftp(#[from] TftpError),
    /// A file could not be written.
    #[error("{}{}", .0, write_hint(.0))]
    Write(#[from] WriteError),
    /// A key or certificate file could not be used.
    #[error("{path}: {error}{}", key_hint(error))]
    Key {
        /// The file.
        path: String,
        /// What is wrong with it.
        error: KeyError,
    },
    /// Arguments or inputs that cannot be acted on: a bad certificate, an argument that does
    /// not parse… (the message is complete as it is).
    #[error("{0}")]
    Unusable(String),
    /// Writing the output failed (other than a closed pipe).
    #[error("writing output: {0}")]
    Output(io::Error),
}

fn load_hint(error: &LoadError) -> &'static str {
    match error {
        LoadError::TooLarge { .. } => " (raise it with --max-size)",
        _ => "",
    }
}

fn tftp_hint(error: &TftpError) -> &'static str {
    match error {
        TftpError::TooLarge { .. } => " (raise it with --max-size)",
        _ => "",
    }
}

fn write_hint(error: &WriteError) -> &'static str {
    match error {
        WriteError::Exists(_) => "; use --force to replace it",
        _ => "",
    }
}

fn key_hint(error: &KeyError) -> String {
    match error {
        KeyError::NeedsPassphrase => format!(": set {PASSPHRASE_VARIABLE}"),
        _ => String::new(),
    }
}

impl Failure {
    /// Prints the one-line error and gives the exit code; a closed pipe is a normal end.
    pub fn report(&self) -> ExitCode {
        if let Failure::Output(error) = self
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: {}",
            ctlkit::format::printable(self.to_string().as_bytes())
        );
        ExitCode::from(UNUSABLE)
    }
}
