//! Writes the benchmarks' seeded synthetic directory as an HSDS CSV folder, for whole-process
//! comparisons (import vs snapshot open with the `passerelle` tool, or a peer's loader).
//!
//! ```sh
//! cargo run -p passerelle-benches --example write_synth -- 100k /tmp/synth-100k
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use passerelle::hsds::export_csv_dir;
use passerelle_benches::querymix::parse_size;
use passerelle_benches::synth;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n = args.get(1).and_then(|s| parse_size(s)).unwrap_or(10_000);
    let out = args.get(2).map_or("synth", String::as_str);
    let dir = synth::generate(synth::SynthConfig::with_size(n));
    export_csv_dir(&dir, out).expect("write the CSV folder");
    println!("{out}: {} services", dir.services.len());
}
