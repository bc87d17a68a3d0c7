//! Loads an HSDS directory (a CSV folder or a JSON file) and prints the import report and a
//! summary.
//!
//! ```sh
//! cargo run -p passerelle --example load -- core/tests/data/hsds/ohana-smc-hsds3
//! cargo run -p passerelle --example load -- core/tests/data/hsds/hsds3-spec-examples/json/service_full.json
//! ```
//! Without an argument it loads the HSDS 3.1 specification's CSV example.

use std::process::ExitCode;

use passerelle::{import_path, ImportOptions};

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/hsds/hsds3-spec-examples/csv"
        )
        .to_owned()
    });
    match import_path(&path, &ImportOptions::default()) {
        Ok(imported) => {
            let d = &imported.directory;
            println!("{path}");
            println!(
                "{} organizations, {} services, {} locations ({} with coordinates), {} taxonomy terms",
                d.organizations.len(),
                d.services.len(),
                d.locations.len(),
                d.locations.iter().filter(|l| l.point.is_some()).count(),
                d.taxonomy_terms.len(),
            );
            print!("{}", imported.report);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
