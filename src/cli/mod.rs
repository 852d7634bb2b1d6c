//! Arguments to library calls, results to stdout, errors to one line on stderr and an exit code.

mod args;
mod audit;
mod boot;
mod build;
mod cert;
mod check;
mod diff;
mod exit;
mod extract;
mod fetch;
mod hash;
mod lint;
mod load;
mod output;
mod page;
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
        Command::Boot(arguments) => boot::run(arguments, cli.max_size),
        Command::Audit(arguments) => audit::run(arguments, cli.max_size),
        Command::Strip(arguments) => strip::run(arguments, cli.max_size),
        Command::Sign(arguments) => sign::run(arguments, cli.max_size),
        Command::Cert(arguments) => cert::run(arguments),
        #[cfg(feature = "pkcs11")]
        Command::Tokens(arguments) => tokens::run(arguments),
        Command::Extract(arguments) => extract::run(arguments, cli.max_size),
        Command::Completions(arguments) => completions(arguments.shell),
        Command::Man(arguments) => man(arguments),
        #[cfg(feature = "schema")]
        Command::Schema(arguments) => schema(&arguments.command),
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

/// The man pages, from the clap definitions: `ctlkit.1`, then `ctlkit-COMMAND.1` for each
/// command (the names the top page's SEE ALSO refers to), printed in turn or written to a
/// folder, atomically and never over a page unless `--force`.
fn man(arguments: &args::ManArgs) -> Result<ExitCode, Failure> {
    let command = Cli::command();
    let mut pages = vec![(
        "ctlkit.1".to_owned(),
        render_page(command.clone(), "ctlkit")?,
    )];
    for subcommand in command.get_subcommands() {
        let name = format!("ctlkit-{}", subcommand.get_name());
        let page = render_page(
            subcommand
                .clone()
                .display_name(name.clone())
                .bin_name(format!("ctlkit {}", subcommand.get_name())),
            &name,
        )?;
        pages.push((format!("{name}.1"), page));
    }
    let Some(folder) = &arguments.dir else {
        let all: Vec<u8> = pages.into_iter().flat_map(|(_, page)| page).collect();
        write_stdout(&String::from_utf8_lossy(&all))?;
        return Ok(ExitCode::SUCCESS);
    };
    if !folder.is_dir() {
        return Err(Failure::Unusable(format!(
            "{}: no such folder (man --dir writes one page per command into an existing folder)",
            ctlkit::files::path_text(folder)
        )));
    }
    for (name, page) in &pages {
        ctlkit::files::write_atomically(&folder.join(name), page, arguments.force)?;
    }
    eprintln!(
        "wrote {} pages to {}",
        pages.len(),
        ctlkit::files::path_text(folder)
    );
    Ok(ExitCode::SUCCESS)
}

fn render_page(command: clap::Command, title: &str) -> Result<Vec<u8>, Failure> {
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .title(title.to_owned())
        .render(&mut page)
        .map_err(Failure::Output)?;
    Ok(page)
}

/// The JSON Schema of a command's JSON output.
#[cfg(feature = "schema")]
fn schema(command: &str) -> Result<ExitCode, Failure> {
    let schema = ctlkit::report::schema::command_schema(command)
        .ok_or_else(|| Failure::Unusable(format!("{command} writes no JSON")))?;
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|error| Failure::Output(std::io::Error::other(error)))?;
    write_stdout(&format!("{text}\n"))?;
    Ok(ExitCode::SUCCESS)
}
