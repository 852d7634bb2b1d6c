//! The one place errors become exit codes and stderr lines, and where the library's errors
//! get the hint a person needs (which flag or variable changes the outcome).

use std::io;
use std::process::ExitCode;

use ctlkit::evidence::Recognised;
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
    /// The input is not a trust list (or not the Cisco file expected).
    #[error("{path}: {}", parse_message(error, *recognised))]
    Parse {
        /// The path as given.
        path: String,
        /// Where and what.
        error: ParseError,
        /// What the file is instead, when ctlkit can tell.
        recognised: Option<Recognised>,
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

/// The parse error, or — when the file is something else ctlkit knows — what it is and where
/// it belongs.
fn parse_message(error: &ParseError, recognised: Option<Recognised>) -> String {
    let Some((what, remedy)) = recognised.and_then(recognised_remedy) else {
        return error.to_string();
    };
    let expected = match recognised {
        Some(Recognised::SignedFile | Recognised::Firmware) => "a trust list",
        _ => "a CTL, ITL or Cisco signed file",
    };
    format!("this is {what}, not {expected}: {remedy} ({error})")
}

/// What a misplaced file is, and what to do with it.
fn recognised_remedy(recognised: Recognised) -> Option<(&'static str, &'static str)> {
    Some(match recognised {
        Recognised::SignedFile => (
            "a signed file (a config or a load)",
            "--trust takes the CTL / ITL a phone holds; check the config itself with `ctlkit verify --trust ITLFile.tlv FILE`",
        ),
        Recognised::Firmware => (
            "Cisco firmware",
            "phones check it with Cisco's key; look at it with `ctlkit show FILE` or `ctlkit verify FILE`",
        ),
        Recognised::PemCertificate | Recognised::DerCertificate => (
            "a certificate",
            "give it with --cert (verify a signed file) or --callmanager / --capf / --tvs / --itlrecovery (check, lint, build)",
        ),
        Recognised::PemKey => (
            "a private key",
            "keys sign: give it to `ctlkit build` or `ctlkit sign` with --signer-key",
        ),
        Recognised::Capture => (
            "a packet capture",
            "list the files in it with `ctlkit extract FILE`; `ctlkit audit` and `ctlkit diff` read captures directly",
        ),
        Recognised::Gzip | Recognised::Tar | Recognised::Zip => (
            "an archive",
            "unpack it (e.g. `tar xzf FILE`) and give the .tlv or .sgn inside",
        ),
        Recognised::PastedShow => (
            "pasted `show ctl` / `show itl` text",
            "it holds no certificates, so it cannot stand in for the file here; give the file itself (`ctlkit fetch tftp://SERVER/ITLFile.tlv`), or compare the text with `ctlkit diff TEXT FILE`",
        ),
        Recognised::Text => (
            "plain text",
            "a plain config is signed with `ctlkit sign`; trust lists come from the TFTP server (`ctlkit fetch`)",
        ),
        Recognised::TrustList => return None,
        _ => return None,
    })
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
        WriteError::IsDirectory(_) => {
            "; -o names the file to write: give a file name inside it (e.g. DIR/ITLFile.tlv)"
        }
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

/// The one stderr line for a damaged copy whose report (what could be read) is on stdout, so a
/// script watching stderr learns of the damage as it does of a file that does not parse at all.
pub fn damage_line(name: &str, damage: &ParseError) {
    eprintln!(
        "error: {}",
        ctlkit::format::printable(format!("{name}: {damage}").as_bytes())
    );
}
