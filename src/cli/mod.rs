//! Arguments to library calls, results to stdout, errors to one line on stderr and an exit code.

mod args;
mod audit;
mod build;
mod check;
mod diff;
mod exit;
mod fetch;
mod hash;
mod load;
mod output;
mod show;
mod verify;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Runs the command line and maps the outcome to ctlkit's exit codes: 0 ok, 1 a negative
/// verdict, 2 unusable input or usage (clap exits 2 by itself for usage errors).
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Show(arguments) => show::run(arguments, cli.max_size),
        Command::Hash(arguments) => hash::run(arguments, cli.max_size),
        Command::Verify(arguments) => verify::run(arguments, cli.max_size),
        Command::Build(arguments) => build::run(arguments, cli.max_size),
        Command::Check(arguments) => check::run(arguments, cli.max_size),
        Command::Diff(arguments) => diff::run(arguments, cli.max_size),
        Command::Fetch(arguments) => fetch::run(arguments, cli.max_size),
        Command::Audit(arguments) => audit::run(arguments, cli.max_size),
    };
    match outcome {
        Ok(code) => code,
        Err(failure) => failure.report(),
    }
}
