//! Arguments to library calls, results to stdout, errors to one line on stderr and an exit code.

mod args;
mod audit;
mod build;
mod check;
mod diff;
mod exit;
mod extract;
mod fetch;
mod hash;
mod lint;
mod load;
mod output;
mod show;
mod sign;
mod signing;
mod strip;
#[cfg(feature = "pkcs11")]
mod token;
#[cfg(feature = "pkcs11")]
mod tokens;
mod verify;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command};
use exit::Failure;
use output::write_stdout;

/// Runs the command line and maps the outcome to ctlkit's exit codes: 0 ok, 1 a negative
/// verdict, 2 unusable input or usage (clap exits 2 by itself for usage errors).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Show(arguments) => show::run(arguments, cli.max_size),
        Command::Hash(arguments) => hash::run(arguments, cli.max_size),
        Command::Verify(arguments) => verify::run(arguments, cli.max_size),
        Command::Lint(arguments) => lint::run(arguments, cli.max_size),
        Command::Build(arguments) => build::run(arguments, cli.max_size),
        Command::Check(arguments) => check::run(arguments, cli.max_size),
        Command::Diff(arguments) => diff::run(arguments, cli.max_size),
        Command::Fetch(arguments) => fetch::run(arguments, cli.max_size),
        Command::Audit(arguments) => audit::run(arguments, cli.max_size),
        Command::Strip(arguments) => strip::run(arguments, cli.max_size),
        Command::Sign(arguments) => sign::run(arguments, cli.max_size),
        #[cfg(feature = "pkcs11")]
        Command::Tokens(arguments) => tokens::run(arguments),
        Command::Extract(arguments) => extract::run(arguments, cli.max_size),
        Command::Completions(arguments) => completions(arguments.shell),
        Command::Man => man(),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}

/// The completion script for `shell`, from the clap definitions.
fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ctlkit", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitCode::SUCCESS)
}

/// The man page, from the clap definitions: the top page, then one section per command.
fn man() -> Result<ExitCode, Failure> {
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .map_err(Failure::Output)?;
    for subcommand in command.get_subcommands() {
        let mut section = Vec::new();
        clap_mangen::Man::new(subcommand.clone())
            .title(format!("ctlkit-{}", subcommand.get_name()))
            .render(&mut section)
            .map_err(Failure::Output)?;
        page.extend_from_slice(&section);
    }
    write_stdout(&String::from_utf8_lossy(&page))?;
    Ok(ExitCode::SUCCESS)
}
