//! The command-line tool (`passerelle_cli`) through the bindings: `python -m passerelle` runs
//! the same commands, flags and output as the `passerelle` binary.

/// What one run of the command-line tool printed, and its exit code.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CommandLineRun {
    /// 0 done, 1 failed (or `validate` found errors), 2 bad command line.
    pub exit_code: u8,
    /// What the tool wrote to standard output.
    pub stdout: String,
    /// Its error messages (and the usage text after a usage error).
    pub stderr: String,
}

/// Runs the `passerelle` command-line tool with `args` (without the program name, e.g.
/// `["search", "DIR", "--need", "food bank"]`; `["help"]` lists the commands) and returns what
/// it printed. Files it is asked to write (`--out`) are written.
#[uniffi::export]
pub fn run_command_line(args: Vec<String>) -> CommandLineRun {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit_code = passerelle_cli::run_main(&args, &mut out, &mut err);
    CommandLineRun {
        exit_code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}
