//! Bench binary: the time of one search on the real San Mateo County feed
//! (`core/tests/data/hsds/smc-ohana-full`), for pages of 5 and 20 matches, over a fixed mix
//! of 8 needs × 5 places, so the cost of filling each match (names, reasons, hours, contact
//! details) shows as the difference between the two page sizes.
//!
//! ```sh
//! cargo run -p passerelle --release --example page_cost -- [rounds]
//! ```
//! Uses only `Navigator::search`, so the same file runs against older commits for comparison.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use passerelle::{
    import_path, model::GeoPoint, ImportOptions, Navigator, NavigatorOptions, Need, Query,
};

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/hsds/smc-ohana-full"
    );
    let mut d = import_path(dir, &ImportOptions::default())
        .unwrap()
        .directory;
    d.meta.timezone = Some("America/Los_Angeles".into());
    let t = Instant::now();
    let (nav, _) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    println!("build: {:.1?}", t.elapsed());
    let needs = [
        "counseling",
        "food",
        "health",
        "housing",
        "legal",
        "shelter",
        "senior",
        "employment",
    ];
    let places = [
        (37.5630, -122.3255),
        (37.6879, -122.4702),
        (37.4852, -122.2364),
        (37.4688, -122.1411),
        (37.4636, -122.4286),
    ];
    let at: jiff::Timestamp = "2026-11-18T12:00:00-08:00".parse().unwrap();
    for limit in [5_i64, 20] {
        let queries: Vec<Query> = needs
            .iter()
            .flat_map(|n| {
                places.iter().map(move |&(lat, lon)| {
                    Query::new([Need::text(*n)])
                        .near(GeoPoint::new(lat, lon).unwrap(), 10_000.0)
                        .at(at)
                        .limit(limit)
                })
            })
            .collect();
        let mut times: Vec<Duration> = Vec::with_capacity(rounds * queries.len());
        let mut matches = 0usize;
        for _ in 0..rounds {
            for q in &queries {
                let t = Instant::now();
                let r = black_box(nav.search(q).unwrap());
                times.push(t.elapsed());
                matches += r.matches().count();
            }
        }
        times.sort_unstable();
        let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "limit {limit:>2}: {} searches, {:.1} matches/search; mean {:.1?}, p50 {:.1?}, p99 {:.1?}",
            times.len(),
            matches as f64 / times.len() as f64,
            mean,
            pct(0.5),
            pct(0.99)
        );
    }
}
