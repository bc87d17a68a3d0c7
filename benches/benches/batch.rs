//! Batch search: the navigator's own pool (`Navigator::search_batch`: scoped threads, one
//! contiguous chunk per thread) against rayon's work-stealing `par_iter` and a plain loop, on
//! the same navigator and the same questions, in the same run.
//!
//! `PASSERELLE_BENCH_SIZES=10k cargo bench -p passerelle-benches --bench batch -- --warm-up-time 1 --measurement-time 5`
//!
//! The questions are the text mix of the query bench (every text × origin × radius × open-now),
//! repeated to the batch size, so their costs differ as a real batch's do (a typo, a 50 km
//! radius and a rural origin are not the same work). Directory sizes: `PASSERELLE_BENCH_SIZES`
//! (`10k,100k` by default).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use passerelle::{Navigator, NavigatorOptions, Query};
use passerelle_benches::querymix::{self, machine, size_label, text_mix};
use passerelle_benches::synth;
use rayon::prelude::*;

/// Batch sizes: a call-centre shift's worth and a data team's table.
const BATCHES: [usize; 2] = [256, 4_096];

fn queries(nav: &Navigator, n: usize) -> Vec<Query> {
    let mix = text_mix();
    (0..n)
        .map(|i| mix[i % mix.len()].to_query(nav.catalog()))
        .collect()
}

fn bench(c: &mut Criterion) {
    println!("\n=== batch search ({})", machine());
    for n in querymix::sizes() {
        let dir = std::sync::Arc::new(synth::generate(synth::SynthConfig::with_size(n)));
        let (nav, _) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
        let mut g = c.benchmark_group(format!("batch/{}", size_label(n)));
        // A 4 096-query batch takes ~0.5 s: ten samples keep the run to minutes.
        g.sample_size(10);
        for b in BATCHES {
            let qs = queries(&nav, b);
            // Same answers on every path before timing anything.
            let own: Vec<_> = nav.search_batch(&qs).unwrap();
            let ray: Vec<_> = qs.par_iter().map(|q| nav.search(q)).collect();
            for (a, r) in own.iter().zip(&ray) {
                assert_eq!(a.as_ref().unwrap(), r.as_ref().unwrap());
            }
            g.throughput(Throughput::Elements(b as u64));
            g.bench_with_input(BenchmarkId::new("sequential", b), &qs, |bch, qs| {
                bch.iter(|| {
                    black_box(qs.iter().map(|q| nav.search(q)).collect::<Vec<_>>());
                });
            });
            g.bench_with_input(BenchmarkId::new("own_pool", b), &qs, |bch, qs| {
                bch.iter(|| black_box(nav.search_batch(qs).unwrap()));
            });
            g.bench_with_input(BenchmarkId::new("rayon", b), &qs, |bch, qs| {
                bch.iter(|| {
                    black_box(qs.par_iter().map(|q| nav.search(q)).collect::<Vec<_>>());
                });
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
