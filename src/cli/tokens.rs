//! `ctlkit tokens`.

use std::process::ExitCode;

use ctlkit::keys::pkcs11::{Pkcs11Uri, inventory};
use ctlkit::report::TokensReport;

use super::args::TokensArgs;
use super::exit::Failure;
use super::output::emit;
use super::token::{load_module, pin_for, token_failure};

/// Lists every token (or the one --token names); with --login, logs in to exactly one token
/// first decided, so a PIN is never tried on a token it was not meant for.
pub fn run(arguments: &TokensArgs) -> Result<ExitCode, Failure> {
    let module = load_module(arguments.pkcs11_module.as_deref(), None)?;
    let chosen = Pkcs11Uri {
        token: arguments.token.clone(),
        ..Pkcs11Uri::default()
    };
    let login = if arguments.login {
        let token = module
            .find_token(&chosen)
            .map_err(|error| Failure::Unusable(format!("--login: {error}")))?;
        let pin = pin_for(&token, None)?;
        Some((token.place().clone(), pin))
    } else {
        None
    };
    let mut tokens = inventory(&module, |token| match &login {
        Some((place, pin)) if place == token.place() => Some(pin.clone()),
        _ => None,
    })
    .map_err(token_failure)?;
    if let Some(label) = &arguments.token {
        tokens.retain(|token| &token.label == label);
        if tokens.is_empty() {
            return Err(Failure::Unusable(format!("no token labelled '{label}'")));
        }
    }
    let module_path = module.path().display().to_string();
    emit(
        &TokensReport {
            module: &module_path,
            tokens: &tokens,
        },
        arguments.format,
    )?;
    Ok(ExitCode::SUCCESS)
}
