//! `sightline`: lint, import and format dashboard files without a browser.
//!
//! ```text
//! sightline lint FILE…          every problem, with path and line/column; exit 1 on errors
//! sightline import FILE         a Grafana export, normalised, on standard output
//! sightline fmt [--check] FILE… canonical formatting, in place (or only check)
//! ```

mod args;
mod commands;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("sightline: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    let outcome = commands::run(&command);
    print!("{}", outcome.stdout);
    eprint!("{}", outcome.stderr);
    ExitCode::from(outcome.code)
}
