//! Spatial index comparison for the matcher's hot query: "service points within R km of the
//! resident that serve the need (category bitset), nearest first, at most 50".
//!
//! Candidates: passerelle's `PointIndex` (own k-d tree), `rstar` 0.12 `RTree`, `geo-index` 0.4
//! `KDTree`, and a linear scan. Points are deterministic and clustered (city cores, suburbs,
//! sparse rural) over an Ontario-sized region. Results and the command live in
//! `benches/RESULTS.md` (## Spatial index).
//!
//! Run: `cargo bench -p passerelle-benches --bench spatial_index`
//! Quick: `... -- --warm-up-time 1 --measurement-time 2`; memory report only:
//! `SPATIAL_MEMORY_ONLY=1 cargo bench -p passerelle-benches --bench spatial_index`.
#![allow(
    missing_docs,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use geo::{Distance, Haversine};
use geo_index::kdtree::{KDTree, KDTreeBuilder, KDTreeIndex};
use passerelle::{
    model::GeoPoint,
    spatial::{PointIndex, EARTH_RADIUS_M},
};
use rstar::primitives::GeomWithData;
use rstar::{RTree, AABB};

const LIMIT: usize = 50;
const QUERIES: usize = 1024;
const CATEGORIES: u32 = 24;

/// SplitMix64: small, seeded, good enough for synthetic data.
struct Rng(u64);
impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    fn normal(&mut self) -> f64 {
        // Box–Muller.
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// Province-sized region (≈ Ontario south of 52°N): lat 42–52, lon −95 to −74.
const REGION: (f64, f64, f64, f64) = (42.0, -95.0, 52.0, -74.0);
/// City cores (lat, lon, weight).
const CITIES: &[(f64, f64, f64)] = &[
    (43.65, -79.38, 10.0), // Toronto
    (45.42, -75.69, 4.0),  // Ottawa
    (43.59, -79.64, 3.0),  // Mississauga
    (43.26, -79.87, 2.0),  // Hamilton
    (42.98, -81.25, 1.5),  // London
    (43.45, -80.49, 1.5),  // Kitchener
    (42.31, -83.04, 1.0),  // Windsor
    (44.23, -76.49, 0.6),  // Kingston
    (46.49, -80.99, 0.6),  // Sudbury
    (48.38, -89.25, 0.5),  // Thunder Bay
    (44.39, -79.69, 0.6),  // Barrie
    (46.31, -79.46, 0.3),  // North Bay
];

fn km_to_deg(lat: f64, dn_km: f64, de_km: f64) -> (f64, f64) {
    let dlat = dn_km / 111.195;
    let dlon = de_km / (111.195 * lat.to_radians().cos());
    (dlat, dlon)
}

/// One clustered location: 55 % dense core (σ 4 km), 35 % suburb (σ 20 km), 10 % rural.
fn location(rng: &mut Rng) -> GeoPoint {
    let total: f64 = CITIES.iter().map(|c| c.2).sum();
    loop {
        let r = rng.unit();
        let (lat, lon) = if r < 0.9 {
            let mut pick = rng.unit() * total;
            let mut city = CITIES[0];
            for c in CITIES {
                if pick < c.2 {
                    city = *c;
                    break;
                }
                pick -= c.2;
            }
            let sigma_km = if r < 0.55 { 4.0 } else { 20.0 };
            let (dlat, dlon) = km_to_deg(city.0, rng.normal() * sigma_km, rng.normal() * sigma_km);
            (city.0 + dlat, city.1 + dlon)
        } else {
            (rng.range(REGION.0, REGION.2), rng.range(REGION.1, REGION.3))
        };
        if (REGION.0..=REGION.2).contains(&lat) && (REGION.1..=REGION.3).contains(&lon) {
            return GeoPoint::new(lat, lon).unwrap();
        }
    }
}

struct Data {
    points: Vec<GeoPoint>,
    /// Category bitset per point (1–3 of 24 categories).
    cats: Vec<u32>,
    /// Query centres (residents: same distribution) and category masks (one category).
    queries: Vec<(GeoPoint, u32)>,
}

fn data(n: usize) -> Data {
    let mut rng = Rng(0x5EED_0000 ^ n as u64);
    let points: Vec<GeoPoint> = (0..n).map(|_| location(&mut rng)).collect();
    let cats = (0..n)
        .map(|_| {
            let k = 1 + rng.next_u64() % 3;
            (0..k).fold(0u32, |m, _| {
                m | 1 << (rng.next_u64() % u64::from(CATEGORIES))
            })
        })
        .collect();
    let queries = (0..QUERIES)
        .map(|_| {
            (
                location(&mut rng),
                1u32 << (rng.next_u64() % u64::from(CATEGORIES)),
            )
        })
        .collect();
    Data {
        points,
        cats,
        queries,
    }
}

/// Degree box around `c` covering `radius_m` (no antimeridian or pole in this region).
fn deg_box(c: GeoPoint, radius_m: f64) -> (f64, f64, f64, f64) {
    let delta = radius_m / EARTH_RADIUS_M;
    let dlat = delta.to_degrees();
    let dlon = (delta.sin() / c.lat().to_radians().cos())
        .asin()
        .to_degrees();
    (
        c.lon() - dlon,
        c.lat() - dlat,
        c.lon() + dlon,
        c.lat() + dlat,
    )
}

fn hav(a: GeoPoint, lon: f64, lat: f64) -> f64 {
    Haversine.distance(a.to_geo(), geo::Point::new(lon, lat))
}

fn finish(mut hits: Vec<(u32, f64)>) -> Vec<(u32, f64)> {
    hits.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    hits.truncate(LIMIT);
    hits
}

fn q_linear(d: &Data, c: GeoPoint, mask: u32, r: f64) -> Vec<(u32, f64)> {
    let mut hits = Vec::new();
    for (i, p) in d.points.iter().enumerate() {
        if d.cats[i] & mask != 0 {
            let dist = hav(c, p.lon(), p.lat());
            if dist <= r {
                hits.push((i as u32, dist));
            }
        }
    }
    finish(hits)
}

type RPoint = GeomWithData<[f64; 2], u32>;

fn build_rstar(d: &Data) -> RTree<RPoint> {
    RTree::bulk_load(
        d.points
            .iter()
            .enumerate()
            .map(|(i, p)| RPoint::new([p.lon(), p.lat()], i as u32))
            .collect(),
    )
}

fn q_rstar(t: &RTree<RPoint>, d: &Data, c: GeoPoint, mask: u32, r: f64) -> Vec<(u32, f64)> {
    let (x0, y0, x1, y1) = deg_box(c, r);
    let mut hits = Vec::new();
    for e in t.locate_in_envelope(&AABB::from_corners([x0, y0], [x1, y1])) {
        if d.cats[e.data as usize] & mask != 0 {
            let g = e.geom();
            let dist = hav(c, g[0], g[1]);
            if dist <= r {
                hits.push((e.data, dist));
            }
        }
    }
    finish(hits)
}

fn build_geo_index(d: &Data) -> KDTree<f64> {
    let mut b = KDTreeBuilder::<f64>::new(d.points.len() as u32);
    for p in &d.points {
        b.add(p.lon(), p.lat());
    }
    b.finish()
}

fn q_geo_index(t: &KDTree<f64>, d: &Data, c: GeoPoint, mask: u32, r: f64) -> Vec<(u32, f64)> {
    let (x0, y0, x1, y1) = deg_box(c, r);
    let mut hits = Vec::new();
    for i in t.range(x0, y0, x1, y1) {
        if d.cats[i as usize] & mask != 0 {
            let p = d.points[i as usize];
            let dist = hav(c, p.lon(), p.lat());
            if dist <= r {
                hits.push((i, dist));
            }
        }
    }
    finish(hits)
}

fn build_passerelle(d: &Data) -> PointIndex {
    PointIndex::new(d.points.iter().enumerate().map(|(i, p)| (i as u32, *p)))
}

fn q_passerelle(t: &PointIndex, d: &Data, c: GeoPoint, mask: u32, r: f64) -> Vec<(u32, f64)> {
    t.nearest_within_m(c, r, LIMIT, |id| d.cats[id as usize] & mask != 0)
        .into_iter()
        .map(|h| (h.id, h.distance_m))
        .collect()
}

/// Resident set size in bytes (Linux), for memory deltas.
fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

/// Prints build times (best of 3), memory per point and a correctness cross-check.
fn report(sizes: &[usize]) {
    for &n in sizes {
        let d = data(n);
        let r0 = rss_bytes();
        let p = build_passerelle(&d);
        let r1 = rss_bytes();
        let rt = build_rstar(&d);
        let r2 = rss_bytes();
        let g = build_geo_index(&d);
        let r3 = rss_bytes();
        drop((p, rt, g));
        let best = |f: &dyn Fn() -> usize| {
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    black_box(f());
                    t.elapsed()
                })
                .min()
                .unwrap()
        };
        let bp = best(&|| build_passerelle(&d).len());
        let br = best(&|| build_rstar(&d).size());
        let bg = best(&|| build_geo_index(&d).num_items() as usize);

        let p = build_passerelle(&d);
        let rt = build_rstar(&d);
        let g = build_geo_index(&d);
        let per = |b: usize| b as f64 / n as f64;
        eprintln!(
            "[spatial] n={n}: build passerelle {bp:?}, rstar {br:?}, geo-index {bg:?}; \
             bytes/point: passerelle {:.1} (exact {:.1}), rstar {:.1} (RSS delta), \
             geo-index {:.1} (exact buffer {:.1}; +16 for the caller's coordinates it needs)",
            per(r1.saturating_sub(r0)),
            per(p.memory_bytes()),
            per(r2.saturating_sub(r1)),
            per(r3.saturating_sub(r2)),
            per(g.metadata().data_buffer_length()),
        );
        for r in [2_000.0, 10_000.0, 50_000.0] {
            let mut found = 0usize;
            for &(c, m) in d.queries.iter().take(64) {
                let want = q_linear(&d, c, m, r);
                assert_eq!(q_passerelle(&p, &d, c, m, r), want);
                assert_eq!(q_rstar(&rt, &d, c, m, r), want);
                assert_eq!(q_geo_index(&g, &d, c, m, r), want);
                found += want.len();
            }
            eprintln!(
                "[spatial] n={n} r={}km: all agree, mean hits {:.1}",
                r / 1000.0,
                found as f64 / 64.0
            );
        }
    }
}

fn bench(c: &mut Criterion) {
    // 100k and 1M unless PASSERELLE_BENCH_SIZES says otherwise (CI's smoke run uses 10k).
    let mut sizes = match std::env::var_os("PASSERELLE_BENCH_SIZES") {
        Some(_) => passerelle_benches::querymix::sizes(),
        None => vec![100_000usize, 1_000_000],
    };
    sizes.sort_unstable();
    // Largest first: RSS deltas are only meaningful in a fresh heap.
    let largest_first: Vec<usize> = sizes.iter().rev().copied().collect();
    report(&largest_first);
    if std::env::var_os("SPATIAL_MEMORY_ONLY").is_some() {
        return;
    }
    for n in sizes {
        let d = data(n);
        let mut g = c.benchmark_group(format!("spatial_build/{n}"));
        g.sample_size(10)
            .measurement_time(Duration::from_secs(if n > 100_000 { 8 } else { 3 }));
        g.bench_function("passerelle", |b| b.iter(|| build_passerelle(&d)));
        g.bench_function("rstar", |b| b.iter(|| build_rstar(&d)));
        g.bench_function("geo-index", |b| b.iter(|| build_geo_index(&d)));
        g.finish();

        let p = build_passerelle(&d);
        let rt = build_rstar(&d);
        let gi = build_geo_index(&d);
        let mut g = c.benchmark_group(format!("spatial_query/{n}"));
        g.sample_size(20);
        for r_km in [2u32, 10, 50] {
            let r = f64::from(r_km) * 1000.0;
            let mut i = 0usize;
            let mut next = || {
                i = (i + 1) % QUERIES;
                d.queries[i]
            };
            g.bench_function(BenchmarkId::new("passerelle", format!("{r_km}km")), |b| {
                b.iter(|| {
                    let (c, m) = next();
                    q_passerelle(&p, &d, c, m, r)
                })
            });
            g.bench_function(BenchmarkId::new("rstar", format!("{r_km}km")), |b| {
                b.iter(|| {
                    let (c, m) = next();
                    q_rstar(&rt, &d, c, m, r)
                })
            });
            g.bench_function(BenchmarkId::new("geo-index", format!("{r_km}km")), |b| {
                b.iter(|| {
                    let (c, m) = next();
                    q_geo_index(&gi, &d, c, m, r)
                })
            });
            if r_km == 10 {
                g.bench_function(BenchmarkId::new("linear", format!("{r_km}km")), |b| {
                    b.iter(|| {
                        let (c, m) = next();
                        q_linear(&d, c, m, r)
                    })
                });
            }
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
