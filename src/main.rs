//! `ctlkit`: the command-line face of the library. Argument parsing and output only; the
//! library does the work.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
