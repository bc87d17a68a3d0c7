//! CSV and GeoJSON outputs, and the privacy of every output: no record's location, ever.

use crate::gaps_support::*;
use passerelle::{gaps::*, referrals::*, spatial::*};
use serde_json::Value;

fn report() -> (Generated, GapReport) {
    let g = generate(11, 1);
    let r = analyze_gaps(
        nav(),
        &g.unmet,
        &g.referrals,
        &[],
        &AreaCentroids::ottawa_sample(),
        &GapOptions {
            show_suppressed: true,
            ..Default::default()
        },
    )
    .unwrap();
    (g, r)
}

fn check_feature_collection(fc: &Value) -> usize {
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    for f in features {
        assert_eq!(f["type"], "Feature");
        let props = f["properties"].as_object().unwrap();
        for (k, v) in props {
            assert!(
                v.is_number() || v.is_string() || v.is_boolean() || v.is_null(),
                "{k} is not flat"
            );
        }
        let g = &f["geometry"];
        match g["type"].as_str().unwrap() {
            "Point" => {
                let c = g["coordinates"].as_array().unwrap();
                assert_eq!(c.len(), 2);
                let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
                assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
            }
            "Polygon" => {
                let rings = g["coordinates"].as_array().unwrap();
                assert_eq!(rings.len(), 1);
                let ring = rings[0].as_array().unwrap();
                assert_eq!(ring.len(), 5);
                assert_eq!(ring.first(), ring.last(), "closed ring");
                // Counter-clockwise exterior (RFC 7946): positive shoelace area.
                let pts: Vec<(f64, f64)> = ring
                    .iter()
                    .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                    .collect();
                let area: f64 = pts
                    .windows(2)
                    .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
                    .sum();
                assert!(area > 0.0);
            }
            other => panic!("unexpected geometry {other}"),
        }
    }
    features.len()
}

#[test]
fn gap_geojson_is_a_valid_feature_collection() {
    let (_, r) = report();
    let fc = gap_cells_to_geojson(&r.cells);
    let n = check_feature_collection(&fc);
    assert_eq!(n, r.cells.iter().filter(|c| c.centroid.is_some()).count());
    let types: std::collections::BTreeSet<&str> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["geometry"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        ["Point", "Polygon"],
        "named areas and grid cells"
    );
    // Round-trips through text.
    let text = serde_json::to_string(&fc).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), fc);
}

#[test]
fn coverage_geojson_is_a_valid_feature_collection() {
    let bbox = LatLonBox::new(pt(45.40, -75.72), pt(45.44, -75.66));
    let cells = coverage_grid(nav(), bbox, 1.0, &CoverageOptions::default()).unwrap();
    let fc = coverage_to_geojson(&cells);
    assert_eq!(check_feature_collection(&fc), cells.len());
}

#[test]
fn gap_csv_parses_with_the_documented_header() {
    let (_, r) = report();
    let text = gap_cells_to_csv(&r.cells).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        GAP_CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), r.cells.len());
    for (row, cell) in rows.iter().zip(&r.cells) {
        assert_eq!(&row[0], cell.area.as_str());
        assert_eq!(&row[1], cell.need.as_str());
        assert_eq!(&row[2], cell.population.as_deref().unwrap_or(""));
        assert_eq!(row[3].parse::<u64>().ok(), cell.demand);
        assert_eq!(row[5].parse::<u64>().ok(), cell.unmet);
        assert_eq!(row[7].parse::<u32>().ok(), cell.reachable_services);
        assert_eq!(row[8].parse::<f64>().ok(), cell.nearest_m);
        assert_eq!(&row[10], if cell.suppressed { "true" } else { "false" });
        assert_eq!(AreaKey::try_from(row[0].to_owned()).unwrap(), cell.area);
    }
}

#[test]
fn coverage_csv_parses_with_the_documented_header() {
    let bbox = LatLonBox::new(pt(45.40, -75.72), pt(45.42, -75.70));
    let cells = coverage_grid(nav(), bbox, 1.0, &CoverageOptions::default()).unwrap();
    let text = coverage_to_csv(&cells).unwrap();
    let mut rd = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rd.headers().unwrap().iter().collect::<Vec<_>>(),
        COVERAGE_CSV_HEADER
    );
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), cells.len());
    for (row, c) in rows.iter().zip(&cells) {
        assert_eq!(&row[1], c.need.as_str());
        assert_eq!(row[4].parse::<f64>().ok(), c.nearest_m);
        assert_eq!(row[5].parse::<u32>().unwrap(), c.in_person_within_reach);
    }
}

/// Decimal renderings of a coordinate as it could leak: full, and truncated to 3–6 decimals.
fn renderings(v: f64) -> Vec<String> {
    let mut out = vec![v.to_string()];
    for d in 3..=6usize {
        out.push(format!("{v:.d$}"));
        let scale = 10f64.powi(d as i32);
        let t = (v * scale).trunc() / scale;
        out.push(format!("{t:.d$}"));
    }
    out
}

#[test]
fn no_output_contains_a_records_coordinates() {
    // Residents at distinctive points (digits no centroid or cell corner shares).
    let planted = [
        pt(45.437_913_7, -75.661_284_3),
        pt(45.391_728_4, -76.187_456_1),
        pt(45.289_164_2, -75.852_937_8),
    ];
    let areas = NamedAreas::ottawa_sample();
    let mut unmet = Vec::new();
    let mut refs = Vec::new();
    for (i, p) in planted.iter().enumerate() {
        for cell_m in [0, 1_000] {
            let area = if cell_m == 0 {
                area_key_for_point(*p, &areas, 1_000).unwrap()
            } else {
                AreaKey::grid(*p, cell_m).unwrap()
            };
            for j in 0..5 {
                unmet.push(crate::gaps_support::unmet(
                    &area,
                    "food.bank",
                    Some("senior"),
                    UnmetReason::NoneWithinReach,
                ));
                refs.push(referral(
                    &format!("p{i}-{j}"),
                    Some(&area),
                    "food.bank",
                    None,
                    ReferralStatus::Connected,
                    None,
                ));
            }
        }
    }
    let g = generate(3, 1);
    unmet.extend(g.unmet);
    refs.extend(g.referrals);
    let report = analyze_gaps(
        nav(),
        &unmet,
        &refs,
        &[],
        &AreaCentroids::ottawa_sample(),
        &GapOptions {
            show_suppressed: true,
            min_records: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(report.cells.len() > 10);
    let bbox = LatLonBox::new(pt(45.28, -76.20), pt(45.45, -75.65));
    let coverage = coverage_grid(
        nav(),
        bbox,
        1.0,
        &CoverageOptions {
            needs: vec![code("food.bank")],
            ..Default::default()
        },
    )
    .unwrap();
    let outputs = [
        gap_cells_to_csv(&report.cells).unwrap(),
        serde_json::to_string(&gap_cells_to_geojson(&report.cells)).unwrap(),
        format!("{report:?}"),
        coverage_to_csv(&coverage).unwrap(),
        serde_json::to_string(&coverage_to_geojson(&coverage)).unwrap(),
        format!("{coverage:?}"),
    ];
    for p in &planted {
        for needle in renderings(p.lat()).into_iter().chain(renderings(p.lon())) {
            // Forms with fewer than 5 decimals (≥ 11 m) can collide with a cell centre or
            // corner by chance; 5 decimals and more (≈ 1 m) must be absent.
            if needle.split('.').nth(1).is_some_and(|d| d.len() >= 5) {
                for (i, out) in outputs.iter().enumerate() {
                    assert!(!out.contains(&needle), "output {i} contains {needle}");
                }
            }
        }
    }
}

#[test]
fn geojson_coordinates_are_only_cell_corners_and_area_centroids() {
    let (_, r) = report();
    let centroids = AreaCentroids::ottawa_sample();
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let fc = gap_cells_to_geojson(&r.cells);
    for f in fc["features"].as_array().unwrap() {
        let area = AreaKey::try_from(f["properties"]["area"].as_str().unwrap().to_owned()).unwrap();
        let g = &f["geometry"];
        let coords: Vec<(f64, f64)> = match g["type"].as_str().unwrap() {
            "Point" => vec![(
                g["coordinates"][0].as_f64().unwrap(),
                g["coordinates"][1].as_f64().unwrap(),
            )],
            _ => g["coordinates"][0]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect(),
        };
        let allowed: Vec<(f64, f64)> = match area.grid_bounds() {
            Some((sw, ne)) => vec![
                (sw.lon(), sw.lat()),
                (ne.lon(), sw.lat()),
                (ne.lon(), ne.lat()),
                (sw.lon(), ne.lat()),
            ],
            None => {
                let c = centroids.get(&area).unwrap();
                vec![(c.lon(), c.lat())]
            }
        };
        for (x, y) in coords {
            assert!(
                allowed
                    .iter()
                    .any(|(ax, ay)| round(*ax) == x && round(*ay) == y),
                "{area}: ({x}, {y})"
            );
        }
        let c = centroids.get(&area).unwrap();
        assert_eq!(
            f["properties"]["centroid_lat"].as_f64(),
            Some(round(c.lat()))
        );
    }
}
