//! Search cost on hostile feeds: services whose service areas hold many vertices around one
//! city, against the same directory without them.
//!
//! ```sh
//! cargo build --profile profiling -p passerelle-benches --example area_cost
//! target/profiling/examples/area_cost
//! ```
//!
//! Feeds, each the synthetic 10k plus hostile extents around `toronto-downtown`:
//! - `stars 1000x19999`: 1,000 spiky stars of 19,999 vertices (20 M vertices; a directory
//!   built in memory, ten times what an import keeps by default);
//! - `stars 100x19999`: 100 of them (2 M, the import's default `max_total_extent_vertices`);
//! - `crossing 100x19999`: 100 star polygons whose every edge passes next to the centre, so a
//!   point test there reads every edge (the worst shape for the prepared bands; 2 M);
//! - `donuts 200000x10`: 200,000 squares with a square hole holding the centre (2 M), 200
//!   per service, so every one is tested and none covers.
//!
//! Hostile extents go to the services the code mix finds at the centre (the candidates whose
//! coverage a search tests). Prints, per feed, the build time and the mean and slowest time
//! per question of the code mix at the centre and at one origin outside, and once the time the plain `geo`
//! test of the 1,000 stars takes for one point (what each search paid before extents were
//! prepared).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::sync::Arc;
use std::time::Instant;

use geo::{Contains, LineString, MultiPolygon, Polygon};
use passerelle::model::ServiceArea;
use passerelle::{Directory, Navigator, NavigatorOptions, Query};
use passerelle_benches::querymix::code_mix;
use passerelle_benches::synth;

const VERTICES: u32 = 19_999;

fn ring_of(points: impl Iterator<Item = (f64, f64)>) -> LineString<f64> {
    let mut ring: Vec<(f64, f64)> = points.collect();
    ring.push(ring[0]);
    LineString::from(ring)
}

fn star(lat: f64, lon: f64, radius: f64) -> MultiPolygon<f64> {
    let ring = ring_of((0..VERTICES).map(|i| {
        let t = f64::from(i) / f64::from(VERTICES) * std::f64::consts::TAU;
        let r = if i % 2 == 0 { radius } else { radius * 0.97 };
        (lon + r * t.cos(), lat + r * t.sin())
    }));
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// The star polygon {n/((n-1)/2)}: consecutive vertices almost opposite on the circle, so
/// every edge passes within `radius * pi / n` of the centre and spans it on both axes.
fn crossing(lat: f64, lon: f64, radius: f64) -> MultiPolygon<f64> {
    let step = (VERTICES - 1) / 2;
    let ring = ring_of((0..VERTICES).map(|i| {
        let k = (u64::from(i) * u64::from(step)) % u64::from(VERTICES);
        let t = k as f64 / f64::from(VERTICES) * std::f64::consts::TAU;
        (lon + radius * t.cos(), lat + radius * t.sin())
    }));
    MultiPolygon(vec![Polygon::new(ring, vec![])])
}

/// A square of half-side `outer` with a square hole of half-side `inner`, both centred.
fn donut(lat: f64, lon: f64, outer: f64, inner: f64) -> MultiPolygon<f64> {
    let square = |h: f64| {
        ring_of(
            [(-h, -h), (h, -h), (h, h), (-h, h)]
                .into_iter()
                .map(|(x, y)| (lon + x, lat + y)),
        )
    };
    MultiPolygon(vec![Polygon::new(square(outer), vec![square(inner)])])
}

fn with_areas(
    base: &Directory,
    owners: &[String],
    extents: impl Iterator<Item = MultiPolygon<f64>>,
) -> Directory {
    let mut dir = base.clone();
    for (i, extent) in extents.enumerate() {
        dir.service_areas.push(ServiceArea {
            id: format!("hostile-{i}"),
            service_id: Some(owners[i % owners.len()].clone()),
            extent: Some(extent),
            ..ServiceArea::default()
        });
    }
    dir
}

fn queries_at(nav: &Navigator, origin: &str) -> Vec<Query> {
    let catalog = nav.catalog().clone();
    code_mix()
        .into_iter()
        .filter(|q| q.origin_label == origin)
        .map(|q| q.to_query(&catalog))
        .collect()
}

/// Mean and slowest time per question, in ms (the slowest over `rounds` runs of each).
fn per_query(nav: &Navigator, queries: &[Query], rounds: usize) -> (f64, f64) {
    let mut n = 0usize;
    let (mut total, mut slowest) = (0.0f64, 0.0f64);
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            n += nav.search(q).unwrap().matches().count();
            let ms = t.elapsed().as_secs_f64() * 1e3;
            total += ms;
            slowest = slowest.max(ms);
        }
    }
    std::hint::black_box(n);
    (total / (queries.len() * rounds) as f64, slowest)
}

fn main() {
    let base = synth::generate(synth::SynthConfig::with_size(10_000));
    let centre = synth::origins()
        .into_iter()
        .find(|(l, _)| *l == "toronto-downtown")
        .unwrap()
        .1;
    let (lat, lon) = (centre.lat(), centre.lon());
    // the services the code mix finds at the centre, then the rest in directory order
    let (plain, _) = Navigator::build(base.clone(), NavigatorOptions::default()).unwrap();
    let mut owners: Vec<String> = Vec::new();
    for q in queries_at(&plain, "toronto-downtown") {
        for m in plain.search(&q).unwrap().matches() {
            if !owners.contains(&m.service_id) {
                owners.push(m.service_id.clone());
            }
        }
    }
    let found = owners.len();
    for s in &base.services {
        if owners.len() >= 1_000 {
            break;
        }
        if !owners.contains(&s.id) {
            owners.push(s.id.clone());
        }
    }
    println!(
        "{found} services found at the centre; hostile extents on {} services",
        owners.len()
    );

    let one_star = star(lat, lon, 0.3);
    let c = geo::Point::new(lon, lat);
    let t = Instant::now();
    let rounds = 20;
    let mut inside = 0;
    for _ in 0..rounds {
        for _ in 0..1_000 {
            inside += usize::from(one_star.contains(&c));
        }
    }
    println!(
        "plain geo test of 1000 extents x {VERTICES} vertices, one point: {:.2} ms ({inside} inside)",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds)
    );
    let crossing_one = crossing(lat, lon, 0.3);
    let t = Instant::now();
    let mut inside = 0;
    for _ in 0..rounds {
        for _ in 0..100 {
            inside += usize::from(crossing_one.contains(&c));
        }
    }
    println!(
        "plain geo test of 100 crossing extents x {VERTICES} vertices, one point: {:.2} ms ({inside} inside)",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds)
    );

    let only = |n: usize| owners.iter().take(n).cloned().collect::<Vec<_>>();
    type Feed<'a> = (&'a str, Box<dyn Fn() -> Directory + 'a>);
    let feeds: Vec<Feed<'_>> = vec![
        ("no hostile extents", Box::new(|| base.clone())),
        (
            "stars 1000x19999",
            Box::new(|| with_areas(&base, &only(1_000), (0..1_000).map(|_| one_star.clone()))),
        ),
        (
            "stars 100x19999",
            Box::new(|| with_areas(&base, &only(100), (0..100).map(|_| one_star.clone()))),
        ),
        (
            "crossing 100x19999",
            Box::new(|| with_areas(&base, &only(100), (0..100).map(|_| crossing_one.clone()))),
        ),
        (
            "donuts 200000x10",
            Box::new(|| {
                with_areas(
                    &base,
                    &only(1_000),
                    (0..200_000).map(|i| donut(lat, lon, 0.3, 0.01 + f64::from(i % 100) * 1e-4)),
                )
            }),
        ),
    ];
    for (label, make) in feeds {
        let dir: Arc<Directory> = Arc::new(make());
        let t = Instant::now();
        let (nav, _) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
        let built = t.elapsed();
        for origin in ["toronto-downtown", "rural-east"] {
            let queries = queries_at(&nav, origin);
            per_query(&nav, &queries, 1);
            let (mean, slowest) = per_query(&nav, &queries, 5);
            println!(
                "{label}: build {built:.2?}; {origin}: {} questions, mean {mean:.3} ms/question, slowest {slowest:.2} ms",
                queries.len()
            );
        }
    }
}
