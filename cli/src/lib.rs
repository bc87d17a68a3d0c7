//! The `passerelle` command-line tool, as a library so its tests run it in process.
//!
//! ```sh
//! passerelle demo [--lang fr]                         # the embedded sample's situations
//! passerelle search [DIR] --need "food bank" --lat 45.43 --lon -75.69 [--lang fr] [--json | --format csv]
//! passerelle validate DIR [--json]                    # import report; exit 1 on errors
//! passerelle export DIR --out OUT [--format csv|json]
//! passerelle subset DIR --need … --lat … --lon … --out OUT [--format csv|json]
//! passerelle gaps DIR --unmet unmet.csv [--referrals referrals.csv] [--format csv|geojson]
//! passerelle snapshot DIR --out directory.psnap        # Navigator::open_snapshot opens it
//! ```
//!
//! `DIR` is an HSDS directory: a folder of CSV tables (a data package) or a JSON file.
//! Exit codes: 0 success, 1 failure (or, for `validate`, errors in the report), 2 bad usage.

mod args;
mod commands;
mod display;

use std::fmt;
use std::io::{self, Write};

pub use args::{parse_args, Args, Command, Format};

/// The usage text.
pub const USAGE: &str = "\
usage: passerelle <command> [DIR] [options]

commands:
  demo        the embedded (fictional) Ottawa sample's demo situations (the default)
  search      one search: --need <text> (repeatable) or --term <code>
  validate    the import report of DIR; --json for a machine-readable report;
              exits with 1 when the report has errors
  export      re-export DIR as HSDS: --out <path> [--format csv|json]
  subset      the matches of a search as an HSDS sub-directory: search options and
              --out <path> [--format csv|json]
  gaps        gap analysis: --unmet <unmet.csv> [--referrals <referrals.csv>]
              [--min-records <k>] [--format csv|geojson]
  snapshot    write a navigator snapshot of DIR (opens without re-importing):
              --out <file.psnap>
  help        this text (also --help, -h)
  version     the library version (also --version, -V)

DIR: a folder of HSDS CSV tables or an HSDS JSON file (for search, also a snapshot file
ending in .psnap); search, subset and gaps use the embedded sample when it is left out.

search options:
  --need <text>         a need in French or English (repeatable)
  --term <code>         a need as a taxonomy term code (repeatable)
  --lat <deg> --lon <deg> [--radius-km <km>]   where the resident is (default radius 10 km)
  --fact <name=value>   a fact about the resident (repeatable): age=78, disability=yes,
                        benefits=ei,ow (lists)
  --lang en|fr          output language (default en)
  --limit <n>           results per need (default 5)
  --delivery in-person|remote|home|phone
  --open-now            only services open now (or with unknown hours)
  --at <instant>        judge openness at this RFC 3339 instant (default: now)
  --json                print the results as JSON (the library's result format) instead of text
  --format csv          print one CSV line per match (and per need without one) instead;
                        columns as the batch output, missing_facts joined with ';'";

/// What went wrong: bad input (exit code 2) or a failure while running (exit code 1).
#[derive(Debug)]
pub enum CliError {
    /// The command line is wrong.
    Usage(String),
    /// Loading, building, searching or writing failed.
    Failed(String),
    /// `validate` found errors in the directory (the report is already written).
    Invalid,
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Usage(m) | Self::Failed(m) => f.write_str(m),
            Self::Invalid => f.write_str("the directory has errors"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        if e.kind() == io::ErrorKind::BrokenPipe {
            // The reader went away (`| head`): nothing more to say.
            Self::Failed(String::new())
        } else {
            Self::Failed(format!("cannot write the output: {e}"))
        }
    }
}

/// Runs the tool as its binary does: `args` without the program name, the output to `out`,
/// error messages (with the usage text after a usage error) to `err`; returns the exit code
/// (0 done, 1 failed or `validate` found errors, 2 bad command line). The `passerelle` binary
/// and the bindings' `python -m passerelle` both run through it.
///
/// ```
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let code = passerelle_cli::run_main(&["--version".to_owned()], &mut out, &mut err);
/// assert_eq!(code, 0);
/// assert!(String::from_utf8(out).unwrap().starts_with("passerelle "));
/// ```
pub fn run_main(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    // A failed write to `err` has nowhere else to go: the exit code still says what happened.
    match run(args, out) {
        Ok(()) => 0,
        Err(CliError::Usage(m)) => {
            let _ = writeln!(err, "error: {m}\n\n{USAGE}");
            2
        }
        Err(CliError::Invalid) => 1,
        Err(CliError::Failed(m)) => {
            if !m.is_empty() {
                let _ = writeln!(err, "error: {m}");
            }
            1
        }
    }
}

/// Runs the tool with `args` (without the program name), writing to `out`.
///
/// # Errors
/// [`CliError::Usage`] for bad input, [`CliError::Failed`] when loading, searching or writing
/// fails, [`CliError::Invalid`] when `validate` finds errors.
pub fn run(args: &[String], out: &mut dyn Write) -> Result<(), CliError> {
    let args = parse_args(args)?;
    match args.command {
        Command::Help => {
            writeln!(out, "{USAGE}")?;
            Ok(())
        }
        Command::Version => {
            writeln!(out, "passerelle {}", passerelle::VERSION)?;
            Ok(())
        }
        Command::Demo => commands::demo(&args, out),
        Command::Search => commands::search(&args, out),
        Command::Validate => commands::validate(&args, out),
        Command::Export => commands::export(&args, out),
        Command::Subset => commands::subset(&args, out),
        Command::Gaps => commands::gaps(&args, out),
        Command::Snapshot => commands::snapshot(&args, out),
    }
}
