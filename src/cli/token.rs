//! A signer key on a PKCS #11 token: which module, which key, and the PIN — from the URI's
//! pin-source file, CTLKIT_PKCS11_PIN, or a prompt that does not echo; never a flag, and a
//! refused PIN is never tried again.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use ctlkit::keys::pkcs11::{
    MechanismChoice, Pkcs11Error, Pkcs11Module, Pkcs11Uri, Token, TokenSigner,
};

use super::args::{MechanismArg, TokenArgs};
use super::exit::Failure;

/// The environment variable that holds a token's PIN.
pub const PIN_VARIABLE: &str = "CTLKIT_PKCS11_PIN";

/// Loads the module: --pkcs11-module / CTLKIT_PKCS11_MODULE, else the URI's module-path.
pub fn load_module(given: Option<&Path>, uri: Option<&Pkcs11Uri>) -> Result<Pkcs11Module, Failure> {
    let path: PathBuf = given
        .map(Path::to_path_buf)
        .or_else(|| uri.and_then(|uri| uri.module_path.clone()))
        .ok_or_else(|| {
            Failure::Unusable(
                "no PKCS #11 module: give --pkcs11-module MODULE.so or set CTLKIT_PKCS11_MODULE \
                 (SafeNet eToken: libeTPkcs11.so; SoftHSM: /usr/lib/softhsm/libsofthsm2.so)"
                    .to_owned(),
            )
        })?;
    Pkcs11Module::load(&path).map_err(token_failure)
}

/// The token's signer named by --signer-pkcs11, logged in.
pub fn open_signer(arguments: &TokenArgs, text: &str) -> Result<TokenSigner, Failure> {
    let uri: Pkcs11Uri = text
        .parse()
        .map_err(|error| Failure::Unusable(format!("--signer-pkcs11 {text}: {error}")))?;
    let module = load_module(arguments.pkcs11_module.as_deref(), Some(&uri))?;
    let token = module.find_token(&uri).map_err(token_failure)?;
    let pin = pin_for(&token, uri.pin_source.as_deref())?;
    let choice = match arguments.pkcs11_mechanism {
        MechanismArg::Auto => MechanismChoice::Auto,
        MechanismArg::ShaRsaPkcs => MechanismChoice::HashOnToken,
        MechanismArg::RsaPkcs => MechanismChoice::RawRsa,
    };
    token
        .signer(&uri, pin.as_deref(), choice)
        .map_err(token_failure)
}

/// The PIN for a token that needs one: the pin-source file, else CTLKIT_PKCS11_PIN, else a
/// prompt on the terminal. `None` for a token with a PIN pad or no login.
pub fn pin_for(token: &Token<'_>, pin_source: Option<&Path>) -> Result<Option<String>, Failure> {
    if !token.needs_pin() {
        return Ok(None);
    }
    if let Some(path) = pin_source {
        let text = std::fs::read_to_string(path).map_err(|source| {
            Failure::Load(ctlkit::LoadError::Io {
                path: path.to_path_buf(),
                source,
            })
        })?;
        // The file's own line ending is not part of the PIN.
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()));
    }
    if let Some(pin) = std::env::var_os(PIN_VARIABLE) {
        return pin
            .into_string()
            .map(Some)
            .map_err(|_| Failure::Unusable(format!("{PIN_VARIABLE} is not UTF-8")));
    }
    if std::io::stdin().is_terminal() {
        let place = token.place();
        let pin = rpassword::prompt_password(format!("PIN for {place}: "))
            .map_err(|error| Failure::Unusable(format!("reading the PIN: {error}")))?;
        return Ok(Some(pin));
    }
    Err(Failure::Unusable(format!(
        "{}: the token needs a PIN: set {PIN_VARIABLE}, add ?pin-source=FILE to the URI, or run on a terminal to be asked",
        token.place()
    )))
}

/// A token error as one line.
pub fn token_failure(error: Pkcs11Error) -> Failure {
    Failure::Unusable(error.to_string())
}
