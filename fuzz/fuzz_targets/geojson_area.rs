//! Service-area extents: GeoJSON text in a feed's `service_areas.extent`, and polygons given
//! to `validate_area` directly.
//!
//! Input starting with `{`: the bytes are the extent of one service area, imported through
//! `service_areas.csv` (quoted) and, when it parses as JSON, read leniently into polygons for
//! `validate_area`. Other input: polygons built from arbitrary coordinates.
//!
//! Properties (beyond "never panics", bounded time via -timeout):
//! - the service-area row is always loaded; a kept extent has at most `max_extent_vertices`
//!   vertices and only finite WGS84 coordinates;
//! - `validate_area` never accepts NaN, infinite or out-of-range vertices, open rings, rings
//!   of fewer than 4 points, or more vertices than the limit;
//! - `AreaIndex` built from the accepted extent answers point queries without panicking.
#![no_main]

use arbitrary::Arbitrary;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use libfuzzer_sys::fuzz_target;
use passerelle::{
    hsds::import_tables,
    model::GeoPoint,
    spatial::{AreaIndex, AreaLimits},
    ImportOptions,
};
use serde_json::Value;

const MAX_VERTICES: usize = 2_000;

#[derive(Debug, Arbitrary)]
struct Polys {
    polys: Vec<Vec<Vec<(f64, f64)>>>,
    probes: Vec<(f64, f64)>,
    limit: u16,
}

fn ring(v: &Value) -> Option<LineString<f64>> {
    let pts = v.as_array()?;
    Some(LineString(
        pts.iter()
            .filter_map(|p| {
                let p = p.as_array()?;
                Some(Coord {
                    x: p.first()?.as_f64()?,
                    y: p.get(1)?.as_f64()?,
                })
            })
            .collect(),
    ))
}

fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let rings = v.as_array()?;
    let mut it = rings.iter().filter_map(ring);
    Some(Polygon::new(it.next()?, it.collect()))
}

fn lenient(v: &Value) -> Option<MultiPolygon<f64>> {
    let g = if v.get("type")?.as_str()? == "Feature" {
        v.get("geometry")?
    } else {
        v
    };
    let c = g.get("coordinates")?;
    match g.get("type")?.as_str()? {
        "Polygon" => Some(MultiPolygon(vec![polygon(c)?])),
        "MultiPolygon" => Some(MultiPolygon(
            c.as_array()?.iter().filter_map(polygon).collect(),
        )),
        _ => None,
    }
}

fn vertices(mp: &MultiPolygon<f64>) -> usize {
    mp.0.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

fn check(mp: &MultiPolygon<f64>, limit: usize, probes: &[(f64, f64)]) {
    let limits = AreaLimits {
        max_vertices: limit,
    };
    let ok = limits.validate(mp).is_ok();
    if ok {
        let n = vertices(mp);
        assert!(
            n > 0 && n <= limit,
            "accepted {n} vertices with limit {limit}"
        );
        for p in &mp.0 {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                assert!(r.0.len() >= 4, "accepted a ring of {} points", r.0.len());
                assert_eq!(r.0.first(), r.0.last(), "accepted an open ring");
                for c in &r.0 {
                    assert!(
                        c.x.is_finite()
                            && c.y.is_finite()
                            && c.x.abs() <= 180.0
                            && c.y.abs() <= 90.0,
                        "accepted vertex {c:?}"
                    );
                }
            }
        }
        if std::env::var_os("FUZZ_DEBUG").is_some() {
            eprintln!("{mp:?}");
        }
        let index = AreaIndex::new([(0u32, mp.clone())]);
        for &(lat, lon) in probes.iter().take(8) {
            if let Ok(p) = GeoPoint::new(lat, lon) {
                let _ = index.covering(p);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if data.first() == Some(&b'{') {
        let text = String::from_utf8_lossy(data);
        let csv = format!(
            "id,service_id,extent\nsa1,,\"{}\"\n",
            text.replace('"', "\"\"")
        );
        let opts = ImportOptions {
            max_extent_vertices: MAX_VERTICES,
            quality_warnings: false,
            ..ImportOptions::default()
        };
        let imported = import_tables([("service_areas", csv.as_bytes())], &opts);
        assert_eq!(
            imported.directory.service_areas.len(),
            1,
            "{}",
            imported.report
        );
        if let Some(mp) = &imported.directory.service_areas[0].extent {
            assert!(vertices(mp) <= MAX_VERTICES);
            for c in
                mp.0.iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .flat_map(|r| &r.0)
            {
                assert!(
                    c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0,
                    "kept {c:?}"
                );
            }
        }
        if let Ok(v) = serde_json::from_slice::<Value>(data) {
            if let Some(mp) = lenient(&v) {
                check(&mp, MAX_VERTICES, &[(45.4, -75.7), (0.0, 0.0)]);
            }
        }
        return;
    }
    let Ok(input) = arbitrary::Unstructured::new(data).arbitrary::<Polys>() else {
        return;
    };
    let mp = MultiPolygon(
        input
            .polys
            .iter()
            .take(8)
            .filter_map(|rings| {
                let mut rings = rings.iter().take(8).map(|r| {
                    let mut ls: Vec<Coord<f64>> = r.iter().map(|&(x, y)| Coord { x, y }).collect();
                    // close most rings so the deeper checks run
                    if ls.len() > 2 && ls.len() % 3 != 0 {
                        if let Some(&f) = ls.first() {
                            ls.push(f);
                        }
                    }
                    LineString(ls)
                });
                Some(Polygon::new(rings.next()?, rings.collect()))
            })
            .collect(),
    );
    check(&mp, usize::from(input.limit).max(1), &input.probes);
    let _ = passerelle::spatial::validate_area(&mp);
});
