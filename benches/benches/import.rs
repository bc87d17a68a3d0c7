//! Import of HSDS CSV (records/s), `Navigator::build` time and memory per service-at-location.
//!
//! `cargo bench -p passerelle-benches --bench import -- --warm-up-time 1 --measurement-time 3`
//!
//! Sizes: `PASSERELLE_BENCH_SIZES=10k,100k` (default; `1m` opt-in). Before the criterion
//! groups the bench prints, per size: CSV bytes, import records/s, build time (median of 5),
//! heap bytes the navigator keeps beyond the directory it indexes (a counting global
//! allocator in this binary), peak heap during build, and the RSS delta.
#![allow(unsafe_code)] // the counting allocator below; `core` keeps `forbid(unsafe_code)`
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use passerelle::{
    hsds::{export_csv_tables, import_tables},
    Directory, ImportOptions, Navigator, NavigatorOptions,
};
use passerelle_benches::querymix::{machine, rss, size_label, sizes};
use passerelle_benches::synth;

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let now =
                    LIVE.fetch_add(new_size - layout.size(), Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn opts() -> ImportOptions {
    ImportOptions {
        max_file_bytes: u64::MAX,
        max_rows: usize::MAX,
        quality_warnings: false,
        ..ImportOptions::default()
    }
}

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn report(n: usize, dir: &Arc<Directory>, tables: &[(String, Vec<u8>)]) {
    println!("\n=== {} SALs ({})", size_label(n), machine());
    let csv_bytes: usize = tables.iter().map(|(_, b)| b.len()).sum();
    let rows: usize = tables
        .iter()
        .map(|(_, b)| b.iter().filter(|&&c| c == b'\n').count().saturating_sub(1))
        .sum();
    let t = Instant::now();
    let imported = import_tables(
        tables.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    );
    let dt = t.elapsed();
    assert_eq!(imported.directory.service_at_locations.len(), n);
    println!(
        "   import: {} tables, {:.1} MiB CSV, {rows} rows in {dt:.2?}: {:.0} rows/s, {:.0} SAL/s, {:.0} MiB/s ({} problems)",
        tables.len(),
        mib(csv_bytes),
        rows as f64 / dt.as_secs_f64(),
        n as f64 / dt.as_secs_f64(),
        mib(csv_bytes) / dt.as_secs_f64(),
        imported.report.problems().len()
    );
    drop(imported);
    // build: memory first (one build), then time (median of 5)
    let (rss0, _) = rss();
    let live0 = LIVE.load(Relaxed);
    PEAK.store(live0, Relaxed);
    let t = Instant::now();
    let (nav, report) = Navigator::build(dir.clone(), NavigatorOptions::default()).unwrap();
    let first = t.elapsed();
    let held = LIVE.load(Relaxed) - live0;
    let peak = PEAK.load(Relaxed) - live0;
    let (rss1, hwm) = rss();
    println!(
        "   build (first): {first:.2?}; navigator heap beyond the directory: {:.1} MiB = {:.0} B/SAL; \
         peak extra heap during build {:.1} MiB; RSS delta {:.1} MiB (VmHWM {:.0} MiB); {} SAL rows, {} problems",
        mib(held),
        held as f64 / n as f64,
        mib(peak),
        mib(rss1.saturating_sub(rss0)),
        mib(hwm),
        report.service_at_locations,
        report.problems.len()
    );
    drop(nav);
    let times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            let nav = Navigator::build(dir.clone(), NavigatorOptions::default()).unwrap();
            let d = t.elapsed();
            drop(nav);
            d
        })
        .collect();
    println!("   build median of 5: {:.2?}", median(times));
    let live_dir = LIVE.load(Relaxed);
    println!(
        "   whole process live heap with the directory loaded: {:.1} MiB = {:.0} B/SAL (directory strings and records)",
        mib(live_dir),
        live_dir as f64 / n as f64
    );
}

fn benches(c: &mut Criterion) {
    let mut prepared = Vec::new();
    for n in sizes() {
        let t = Instant::now();
        let dir = Arc::new(synth::generate(synth::SynthConfig::with_size(n)));
        let tables = export_csv_tables(&dir);
        println!(
            "generated {} SALs and exported CSV in {:.2?}",
            size_label(n),
            t.elapsed()
        );
        report(n, &dir, &tables);
        prepared.push((n, dir, tables));
    }
    let mut g = c.benchmark_group("import_csv");
    g.sample_size(10);
    for (n, _, tables) in &prepared {
        g.bench_with_input(
            BenchmarkId::from_parameter(size_label(*n)),
            tables,
            |b, t| {
                b.iter(|| import_tables(t.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &opts()))
            },
        );
    }
    g.finish();
    let mut g = c.benchmark_group("navigator_build");
    g.sample_size(10);
    for (n, dir, _) in &prepared {
        g.bench_with_input(BenchmarkId::from_parameter(size_label(*n)), dir, |b, d| {
            b.iter(|| Navigator::build(d.clone(), NavigatorOptions::default()).unwrap())
        });
    }
    g.finish();
}

criterion_group!(import, benches);
criterion_main!(import);
