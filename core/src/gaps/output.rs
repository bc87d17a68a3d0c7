//! CSV and GeoJSON forms of gap and coverage cells, for spreadsheets and GIS tools (QGIS,
//! kepler.gl, Leaflet read the GeoJSON directly).
//!
//! Geometry: `grid:` areas are Polygons (the cell square, counter-clockwise, closed);
//! named areas and FSAs are Points at their centroid; areas without a centroid are left out
//! of GeoJSON (they stay in CSV). Coordinates are rounded to 6 decimals (≈ 0.1 m).

use serde_json::{json, Map, Value};

use crate::model::GeoPoint;
use crate::referrals::AreaKey;

use super::analysis::GapCell;
use super::coverage::CoverageCell;
use super::error::GapError;

/// Header of [`gap_cells_to_csv`].
pub const GAP_CSV_HEADER: [&str; 13] = [
    "area",
    "need",
    "population",
    "demand",
    "met",
    "unmet",
    "share_unmet",
    "reachable_services",
    "nearest_m",
    "top_reasons",
    "suppressed",
    "centroid_lat",
    "centroid_lon",
];

/// Header of [`coverage_to_csv`].
pub const COVERAGE_CSV_HEADER: [&str; 8] = [
    "area",
    "need",
    "centroid_lat",
    "centroid_lon",
    "nearest_m",
    "in_person_within_reach",
    "comes_to_resident",
    "remote_services",
];

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn share(v: Option<f64>) -> Option<f64> {
    v.map(|s| (s * 10_000.0).round() / 10_000.0)
}

fn write_csv<const N: usize>(
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<String, crate::Error> {
    let err = |e: csv::Error| GapError::Csv { why: e.to_string() };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(&row).map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| GapError::Csv {
        why: e.error().to_string(),
    })?;
    String::from_utf8(bytes).map_err(|_| {
        GapError::Csv {
            why: "not UTF-8".into(),
        }
        .into()
    })
}

/// Gap cells as CSV with header [`GAP_CSV_HEADER`]: empty fields for `None` (suppressed
/// counts, unknown centroid or distance), `top_reasons` joined by `;`, `suppressed` as
/// `true`/`false`, `share_unmet` to 4 decimals, coordinates to 6.
///
/// # Examples
/// ```
/// let csv = passerelle::gaps::gap_cells_to_csv(&[]).unwrap();
/// assert!(csv.starts_with("area,need,population,demand,met,unmet,share_unmet,"));
/// ```
pub fn gap_cells_to_csv(cells: &[GapCell]) -> Result<String, crate::Error> {
    write_csv(
        GAP_CSV_HEADER,
        cells.iter().map(|c| {
            [
                c.area.to_string(),
                c.need.to_string(),
                c.population.clone().unwrap_or_default(),
                opt(c.demand),
                opt(c.met),
                opt(c.unmet),
                opt(share(c.share_unmet)),
                opt(c.reachable_services),
                opt(c.nearest_m),
                c.top_reasons.join(";"),
                c.suppressed.to_string(),
                opt(c.centroid.map(|p| round6(p.lat()))),
                opt(c.centroid.map(|p| round6(p.lon()))),
            ]
        }),
    )
}

/// Coverage cells as CSV with header [`COVERAGE_CSV_HEADER`] (`nearest_m` empty when no
/// in-person service exists).
///
/// # Examples
/// ```
/// let csv = passerelle::gaps::coverage_to_csv(&[]).unwrap();
/// assert_eq!(csv.lines().next(), Some("area,need,centroid_lat,centroid_lon,nearest_m,in_person_within_reach,comes_to_resident,remote_services"));
/// ```
pub fn coverage_to_csv(cells: &[CoverageCell]) -> Result<String, crate::Error> {
    write_csv(
        COVERAGE_CSV_HEADER,
        cells.iter().map(|c| {
            [
                c.area.to_string(),
                c.need.to_string(),
                round6(c.centroid.lat()).to_string(),
                round6(c.centroid.lon()).to_string(),
                opt(c.nearest_m),
                c.in_person_within_reach.to_string(),
                c.comes_to_resident.to_string(),
                c.remote_services.to_string(),
            ]
        }),
    )
}

/// The GeoJSON geometry of an area: the cell square for grid keys, else a Point at the
/// centroid; `None` without either.
fn geometry(area: &AreaKey, centroid: Option<GeoPoint>) -> Option<Value> {
    if let Some((sw, ne)) = area.grid_bounds() {
        let (w, s, e, n) = (
            round6(sw.lon()),
            round6(sw.lat()),
            round6(ne.lon()),
            round6(ne.lat()),
        );
        return Some(json!({
            "type": "Polygon",
            "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
        }));
    }
    let c = centroid?;
    Some(json!({
        "type": "Point",
        "coordinates": [round6(c.lon()), round6(c.lat())],
    }))
}

fn feature(geometry: Value, properties: Map<String, Value>) -> Value {
    json!({ "type": "Feature", "geometry": geometry, "properties": properties })
}

fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}

/// Gap cells as a GeoJSON FeatureCollection (RFC 7946, WGS84 lon/lat). Properties are
/// flat: `area`, `need`, `population` (string or null), `demand`, `met`, `unmet`,
/// `share_unmet`, `reachable_services`, `nearest_m` (numbers or null), `top_reasons`
/// (`;`-joined string), `suppressed` (bool), `centroid_lat`, `centroid_lon`.
///
/// # Examples
/// ```
/// let fc = passerelle::gaps::gap_cells_to_geojson(&[]);
/// assert_eq!(fc["type"], "FeatureCollection");
/// ```
pub fn gap_cells_to_geojson(cells: &[GapCell]) -> Value {
    collection(
        cells
            .iter()
            .filter_map(|c| {
                let g = geometry(&c.area, c.centroid)?;
                let mut p = Map::new();
                p.insert("area".into(), json!(c.area.as_str()));
                p.insert("need".into(), json!(c.need.as_str()));
                p.insert("population".into(), json!(c.population));
                p.insert("demand".into(), json!(c.demand));
                p.insert("met".into(), json!(c.met));
                p.insert("unmet".into(), json!(c.unmet));
                p.insert("share_unmet".into(), json!(share(c.share_unmet)));
                p.insert("reachable_services".into(), json!(c.reachable_services));
                p.insert("nearest_m".into(), json!(c.nearest_m));
                p.insert("top_reasons".into(), json!(c.top_reasons.join(";")));
                p.insert("suppressed".into(), json!(c.suppressed));
                p.insert(
                    "centroid_lat".into(),
                    json!(c.centroid.map(|p| round6(p.lat()))),
                );
                p.insert(
                    "centroid_lon".into(),
                    json!(c.centroid.map(|p| round6(p.lon()))),
                );
                Some(feature(g, p))
            })
            .collect(),
    )
}

/// Coverage cells as a GeoJSON FeatureCollection, one feature per area × need (filter on
/// `need` to map one). Properties: `area`, `need`, `nearest_m` (number or null),
/// `in_person_within_reach`, `comes_to_resident`, `remote_services`, `centroid_lat`,
/// `centroid_lon`.
///
/// # Examples
/// ```
/// let fc = passerelle::gaps::coverage_to_geojson(&[]);
/// assert_eq!(fc["features"].as_array().map(Vec::len), Some(0));
/// ```
pub fn coverage_to_geojson(cells: &[CoverageCell]) -> Value {
    collection(
        cells
            .iter()
            .filter_map(|c| {
                let g = geometry(&c.area, Some(c.centroid))?;
                let mut p = Map::new();
                p.insert("area".into(), json!(c.area.as_str()));
                p.insert("need".into(), json!(c.need.as_str()));
                p.insert("nearest_m".into(), json!(c.nearest_m));
                p.insert(
                    "in_person_within_reach".into(),
                    json!(c.in_person_within_reach),
                );
                p.insert("comes_to_resident".into(), json!(c.comes_to_resident));
                p.insert("remote_services".into(), json!(c.remote_services));
                p.insert("centroid_lat".into(), json!(round6(c.centroid.lat())));
                p.insert("centroid_lon".into(), json!(round6(c.centroid.lon())));
                Some(feature(g, p))
            })
            .collect(),
    )
}
