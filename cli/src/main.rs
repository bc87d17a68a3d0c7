//! The `passerelle` binary: see the crate documentation of `passerelle_cli` or
//! `passerelle help`.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (stdout, stderr) = (io::stdout(), io::stderr());
    ExitCode::from(passerelle_cli::run_main(
        &args,
        &mut stdout.lock(),
        &mut stderr.lock(),
    ))
}
