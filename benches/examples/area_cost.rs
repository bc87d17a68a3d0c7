//! Search cost on a hostile feed: 1,000 services whose service areas are 19,999-vertex
//! spiky stars around one city (issue #17 item 8), against the same directory without them.
//!
//! ```sh
//! cargo build --profile profiling -p passerelle-benches --example area_cost
//! target/profiling/examples/area_cost
//! ```
//!
//! Prints the mean time per question of the code mix at the origin inside the extents and at
//! one outside, with and without the hostile extents, and the time the plain `geo` test of
//! the 1,000 extents takes for one point (what each search paid before extents were
//! prepared).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Instant;

use geo::{Contains, LineString, MultiPolygon, Polygon};
use passerelle::{Directory, Navigator, NavigatorOptions, Query, ServiceArea};
use passerelle_benches::querymix::code_mix;
use passerelle_benches::synth;

const VERTICES: u32 = 19_999;
const HOSTILE: usize = 1_000;

fn star(lat: f64, lon: f64, radius: f64) -> MultiPolygon<f64> {
    let ring: Vec<(f64, f64)> = (0..VERTICES)
        .map(|i| {
            let t = f64::from(i) / f64::from(VERTICES) * std::f64::consts::TAU;
            let r = if i % 2 == 0 { radius } else { radius * 0.97 };
            (lon + r * t.cos(), lat + r * t.sin())
        })
        .collect();
    MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])])
}

fn mean_per_query(nav: &Navigator, queries: &[Query], rounds: usize) -> f64 {
    let t = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for q in queries {
            n += nav.search(q).unwrap().matches().count();
        }
    }
    std::hint::black_box(n);
    t.elapsed().as_secs_f64() * 1e3 / (queries.len() * rounds) as f64
}

fn main() {
    let base = synth::generate(synth::SynthConfig::with_size(10_000));
    let centre = synth::origins()
        .into_iter()
        .find(|(l, _)| *l == "toronto-downtown")
        .unwrap()
        .1;
    let extent = star(centre.lat(), centre.lon(), 0.3);
    let mut hostile = base.clone();
    for (i, s) in base.services.iter().take(HOSTILE).enumerate() {
        hostile.service_areas.push(ServiceArea {
            id: format!("hostile-{i}"),
            service_id: Some(s.id.clone()),
            extent: Some(extent.clone()),
            ..ServiceArea::default()
        });
    }
    let c = geo::Point::new(centre.lon(), centre.lat());
    let t = Instant::now();
    let rounds = 20;
    let mut inside = 0;
    for _ in 0..rounds {
        for a in hostile.service_areas.iter().rev().take(HOSTILE) {
            inside += usize::from(a.extent.as_ref().unwrap().contains(&c));
        }
    }
    println!(
        "plain geo test of {HOSTILE} extents x {VERTICES} vertices, one point: {:.2} ms ({inside} inside)",
        t.elapsed().as_secs_f64() * 1e3 / f64::from(rounds)
    );
    for (label, dir) in [
        ("without hostile extents", base),
        ("with hostile extents", hostile),
    ] {
        let dir: Arc<Directory> = Arc::new(dir);
        let t = Instant::now();
        let (nav, _) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
        let built = t.elapsed();
        let catalog = nav.catalog().clone();
        for origin in ["toronto-downtown", "rural-east"] {
            let queries: Vec<Query> = code_mix()
                .into_iter()
                .filter(|q| q.origin_label == origin)
                .map(|q| q.to_query(&catalog))
                .collect();
            mean_per_query(&nav, &queries, 1);
            let ms = mean_per_query(&nav, &queries, 5);
            println!(
                "{label}: build {built:.2?}; {origin}: {} questions, mean {ms:.3} ms/question",
                queries.len()
            );
        }
    }
}
