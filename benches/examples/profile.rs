//! A small driver for instruction counts (callgrind) of `Navigator::build` and of the query
//! mixes, load-independent where wall clock on a shared machine is not.
//!
//! ```sh
//! cargo build --release -p passerelle-benches --example profile
//! valgrind --tool=callgrind --toggle-collect='*measured_*' \
//!     target/release/examples/profile build 100k
//! valgrind --tool=callgrind --toggle-collect='*measured_*' \
//!     target/release/examples/profile code 100k 1
//! ```
//!
//! Modes: `build N` (one `Navigator::build`), `code N [rounds]` / `text N [rounds]` (the
//! query mixes of the query bench, after one build). Prints wall time and a digest of the
//! results so before/after runs can be checked for identical answers.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use passerelle::{Directory, Navigator, NavigatorOptions, Query, SearchResults};
use passerelle_benches::querymix::{code_mix, parse_size, percentile, text_mix};
use passerelle_benches::synth;

#[inline(never)]
fn measured_build(dir: &Arc<Directory>) -> Navigator {
    Navigator::build(dir.clone(), NavigatorOptions::default())
        .unwrap()
        .0
}

/// The results of the last round and each query's time in every round.
#[inline(never)]
fn measured_queries(
    nav: &Navigator,
    queries: &[Query],
    rounds: usize,
) -> (Vec<SearchResults>, Vec<Vec<Duration>>) {
    let mut last = Vec::new();
    let mut times = vec![Vec::with_capacity(rounds); queries.len()];
    for _ in 0..rounds {
        last = queries
            .iter()
            .zip(&mut times)
            .map(|(q, t)| {
                let start = Instant::now();
                let r = nav.search(q).unwrap();
                t.push(start.elapsed());
                r
            })
            .collect();
    }
    (last, times)
}

fn digest(results: &[SearchResults]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for r in results {
        format!("{r:?}").hash(&mut h);
    }
    h.finish()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("build", String::as_str);
    let n = args.get(2).and_then(|s| parse_size(s)).unwrap_or(10_000);
    let rounds: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = Arc::new(synth::generate(synth::SynthConfig::with_size(n)));
    let t = Instant::now();
    let nav = measured_build(&dir);
    println!("build {n}: {:.2?}", t.elapsed());
    let mix = match mode {
        "code" => code_mix(),
        "text" => text_mix(),
        _ => return,
    };
    // `PROFILE_ONLY=<need text>`: only the questions of that text.
    let mix: Vec<_> = match std::env::var("PROFILE_ONLY") {
        Ok(only) => mix
            .into_iter()
            .filter(|q| q.text == Some(only.as_str()))
            .collect(),
        Err(_) => mix,
    };
    let catalog = nav.catalog().clone();
    let queries: Vec<Query> = mix.iter().map(|q| q.to_query(&catalog)).collect();
    let t = Instant::now();
    let (results, times) = measured_queries(&nav, &queries, rounds);
    let per = t.elapsed() / u32::try_from(queries.len() * rounds).unwrap_or(1);
    let mut all: Vec<Duration> = times.iter().flatten().copied().collect();
    all.sort();
    println!(
        "{mode} mix {n}: {} queries × {rounds} rounds, mean {per:.2?}/query, p50 {:.2?}, p99 {:.2?}, digest {:016x}",
        queries.len(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        digest(&results)
    );
    // Each question's fastest round, the least disturbed by other load on a shared machine.
    let mut best: Vec<Duration> = times
        .iter()
        .filter_map(|t| t.iter().min().copied())
        .collect();
    best.sort();
    println!(
        "   fastest round per question: p50 {:.2?}, mean {:.2?}",
        percentile(&best, 0.5),
        best.iter().sum::<Duration>() / u32::try_from(best.len().max(1)).unwrap_or(1)
    );
    // `PROFILE_DETAIL=1`: p50 per need text (or code) of the mix.
    if std::env::var_os("PROFILE_DETAIL").is_some() {
        let mut keys: Vec<&str> = mix.iter().map(|q| q.text.unwrap_or(q.branch)).collect();
        keys.dedup();
        for key in keys {
            let mut ts: Vec<Duration> = mix
                .iter()
                .zip(&times)
                .filter(|(q, _)| q.text.unwrap_or(q.branch) == key)
                .flat_map(|(_, t)| t.iter().copied())
                .collect();
            ts.sort();
            println!("   {key:28} p50 {:.2?}", percentile(&ts, 0.5));
        }
    }
}
