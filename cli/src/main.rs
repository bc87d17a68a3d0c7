//! The `passerelle` binary: see the crate documentation of `passerelle_cli` or
//! `passerelle help`.

use std::io;
use std::process::ExitCode;

use passerelle_cli::{run, CliError, USAGE};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match run(&args, &mut out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(m)) => {
            eprintln!("error: {m}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(CliError::Invalid) => ExitCode::FAILURE,
        Err(CliError::Failed(m)) => {
            if !m.is_empty() {
                eprintln!("error: {m}");
            }
            ExitCode::FAILURE
        }
    }
}
