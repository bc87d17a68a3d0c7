//! Snapshot open time and resident memory on the synthetic directory.
//!
//! ```sh
//! cargo build --release -p passerelle-benches --example snapshot_open
//! target/release/examples/snapshot_open write 100k /tmp/synth-100k.psnap
//! target/release/examples/snapshot_open open /tmp/synth-100k.psnap 5
//! ```
//!
//! `write N FILE`: generates the seeded synthetic directory of N service-at-locations, builds
//! the navigator (timed) and saves its snapshot. `open FILE [rounds]`: in a fresh process,
//! opens the snapshot `rounds` times (wall time of each, median printed), then prints the
//! resident memory (VmRSS) with one navigator open, the peak (VmHWM), the time of the first
//! search (which builds the contact index presentation reads), and a digest of the
//! code and text query mixes' answers so a built and an opened navigator can be compared
//! (`write` prints the same digest for the navigator it built).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use passerelle::{Navigator, NavigatorOptions};
use passerelle_benches::querymix::{code_mix, machine, parse_size, rss, text_mix};
use passerelle_benches::synth;

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// A digest of the answers to the code and text query mixes.
fn digest(nav: &Navigator) -> u64 {
    let catalog = nav.catalog().clone();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for q in code_mix().iter().chain(text_mix().iter()) {
        let r = nav.search(&q.to_query(&catalog)).unwrap();
        format!("{r:?}").hash(&mut h);
    }
    h.finish()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("", String::as_str);
    println!("{}", machine());
    match mode {
        "write" => {
            let n = args.get(2).and_then(|s| parse_size(s)).unwrap_or(100_000);
            let path = args.get(3).expect("write N FILE");
            let dir = Arc::new(synth::generate(synth::SynthConfig::with_size(n)));
            let t = Instant::now();
            let (nav, _) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
            println!("build {n}: {:.2?}", t.elapsed());
            let t = Instant::now();
            nav.save_snapshot(path).unwrap();
            let bytes = std::fs::metadata(path).unwrap().len();
            println!(
                "save: {:.2?}, {:.1} MiB; answers digest {:016x}",
                t.elapsed(),
                mib(bytes as usize),
                digest(&nav)
            );
        }
        "open" => {
            let path = args.get(2).expect("open FILE [rounds]");
            let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(3);
            let (rss0, _) = rss();
            let mut times: Vec<Duration> = Vec::new();
            let mut kept = None;
            for _ in 0..rounds.max(1) {
                drop(kept.take());
                let t = Instant::now();
                let (nav, _) = Navigator::open_snapshot(path, NavigatorOptions::default()).unwrap();
                times.push(t.elapsed());
                kept = Some(nav);
            }
            let (rss1, hwm) = rss();
            let nav = kept.unwrap();
            let first = times.first().copied().unwrap_or_default();
            times.sort();
            println!(
                "open: first {first:.2?}, median of {} {:.2?}, min {:.2?}; RSS with it open {:.1} MiB \
                 (before {:.1} MiB), peak {:.1} MiB",
                times.len(),
                times.get(times.len() / 2).copied().unwrap_or_default(),
                times.first().copied().unwrap_or_default(),
                mib(rss1),
                mib(rss0),
                mib(hwm)
            );
            let q = text_mix()
                .first()
                .map(|q| q.to_query(nav.catalog()))
                .unwrap();
            let t = Instant::now();
            let first_results = nav.search(&q).unwrap();
            println!(
                "first search after open (builds the contact index): {:.2?}, {} needs",
                t.elapsed(),
                first_results.needs.len()
            );
            let t = Instant::now();
            let d = digest(&nav);
            println!(
                "answers digest {d:016x} (query mixes in {:.2?})",
                t.elapsed()
            );
        }
        _ => eprintln!("usage: snapshot_open write N FILE | open FILE [rounds]"),
    }
}
