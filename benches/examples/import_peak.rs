//! Peak memory of one whole import, for `/usr/bin/time -v` (maximum resident set size).
//!
//! ```sh
//! cargo build --release -p passerelle-benches --example import_peak
//! # a synthetic directory of N service-at-locations, written as an HSDS CSV folder
//! target/release/examples/import_peak synth 100000 /tmp/synth-100k
//! # one import of a folder (or JSON file); the budget in MiB is optional (default 1024)
//! /usr/bin/time -v target/release/examples/import_peak import /tmp/synth-100k [budget-MiB]
//! # tiny rows: T tables (the last ones unknown to HSDS) of R rows `id,name`
//! target/release/examples/import_peak tiny 4 1000000 /tmp/tiny
//! # what `Navigator.from_path` does: import with default options, then `Navigator::build`
//! # (each phase timed; add a repeat count to loop the import for a profiler)
//! /usr/bin/time -v target/release/examples/import_peak nav /tmp/synth-100k
//! # the same above the default import limits (a 1M feed): rounds, then the budget in MiB
//! /usr/bin/time -v target/release/examples/import_peak nav /tmp/synth-1m 1 8192
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::Write;
use std::time::Instant;

use passerelle::{hsds::export_csv_dir, import_path, ImportOptions};
use passerelle_benches::synth;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("synth") => {
            let n: usize = args[1].parse().unwrap();
            let dir = synth::generate(synth::SynthConfig::with_size(n));
            export_csv_dir(&dir, &args[2]).unwrap();
        }
        Some("tiny") => {
            let tables: usize = args[1].parse().unwrap();
            let rows: usize = args[2].parse().unwrap();
            let out = std::path::Path::new(&args[3]);
            std::fs::create_dir_all(out).unwrap();
            let names = [
                "organizations",
                "services",
                "zz_extra_a",
                "zz_extra_b",
                "zz_extra_c",
            ];
            for name in names.iter().take(tables) {
                let mut f = std::io::BufWriter::new(
                    std::fs::File::create(out.join(format!("{name}.csv"))).unwrap(),
                );
                writeln!(f, "id,organization_id,name").unwrap();
                for i in 0..rows {
                    writeln!(f, "{i},o1,x").unwrap();
                }
            }
        }
        Some("import") => {
            let budget: u64 = args.get(2).map_or(1024, |b| b.parse().unwrap());
            let opts = ImportOptions {
                max_import_bytes: budget << 20,
                max_rows: usize::MAX,
                max_file_bytes: u64::MAX,
                quality_warnings: false,
                ..ImportOptions::default()
            };
            let start = Instant::now();
            let i = import_path(&args[1], &opts).unwrap();
            let took = start.elapsed();
            let loaded: usize = i.report.loaded().values().sum();
            let over = i
                .report
                .of_kind(passerelle::hsds::ProblemKind::MemoryBudget)
                .count();
            println!(
                "records loaded {loaded}, services {}, memory_budget problems {over}, {took:.2?}",
                i.directory.services.len()
            );
        }
        Some("nav") => {
            let rounds: usize = args.get(2).map_or(1, |r| r.parse().unwrap());
            // A feed above the default limits (1M SALs) needs a larger import budget.
            let opts = match args.get(3).map(|b| b.parse::<u64>().unwrap()) {
                Some(mib) => ImportOptions {
                    max_import_bytes: mib << 20,
                    max_rows: usize::MAX,
                    max_file_bytes: u64::MAX,
                    ..ImportOptions::default()
                },
                None => ImportOptions::default(),
            };
            for _ in 1..rounds {
                let start = Instant::now();
                let i = import_path(&args[1], &opts).unwrap();
                println!("import {:.2?} ({} problems)", start.elapsed(), i.report.problems().len());
            }
            let start = Instant::now();
            let i = import_path(&args[1], &opts).unwrap().usable().unwrap();
            let imported = start.elapsed();
            let problems = i.report.problems().len();
            let services = i.directory.services.len();
            let start = Instant::now();
            let (nav, _) =
                passerelle::Navigator::build(i.directory, passerelle::NavigatorOptions::default())
                    .unwrap();
            let built = start.elapsed();
            println!(
                "services {services}, problems {problems}, import {imported:.2?}, build {built:.2?}, total {:.2?}",
                imported + built
            );
            drop(nav);
        }
        _ => eprintln!("usage: import_peak synth N DIR | tiny T R DIR | import PATH [budget-MiB] | nav PATH [rounds] [budget-MiB]"),
    }
}
