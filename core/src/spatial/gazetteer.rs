//! Loading a deployer's gazetteer (GeoJSON or CSV of named areas) into [`NamedAreas`], and
//! adding a directory's own named service-area extents.
//!
//! Formats (see `docs/gazetteer.md`):
//! * GeoJSON: a `FeatureCollection` whose features have a `name` property (or `NAME`,
//!   `Name`), optional `aliases` (array of strings, or one string separated by `;`) and a
//!   `Polygon` or `MultiPolygon` geometry (WGS84 longitude/latitude).
//! * CSV (header required): `name`, optional `aliases` (`;`-separated) and one geometry per
//!   row: `wkt` (`POLYGON` / `MULTIPOLYGON`), `geojson` (a geometry object), or `lat`, `lon`
//!   and `radius_km` (a disc).
//!
//! A bad entry is skipped and reported as a [`GazetteerProblem`] naming the entry and field;
//! every valid entry of the same input is kept.

use std::path::Path;

use serde_json::{json, Value};

use super::named::{NamedAreas, NamedExtent};
use crate::model::{Directory, GeoPoint};

/// Largest gazetteer input accepted, in bytes (256 MiB).
pub const MAX_GAZETTEER_BYTES: u64 = 256 * 1024 * 1024;

/// Most vertices in one gazetteer area (county boundaries at full resolution stay under it).
pub const MAX_GAZETTEER_VERTICES: usize = 1_000_000;

/// Deepest parenthesis nesting of a WKT geometry (a MULTIPOLYGON needs 3).
const MAX_WKT_DEPTH: usize = 3;

/// A gazetteer input that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GazetteerError {
    /// The file could not be read.
    #[error("gazetteer {path}: {why}")]
    Io {
        /// The path given.
        path: String,
        /// The system's reason.
        why: String,
    },
    /// The input is larger than [`MAX_GAZETTEER_BYTES`].
    #[error("gazetteer is {bytes} bytes; at most {max} are accepted")]
    TooLarge {
        /// Size of the input.
        bytes: u64,
        /// The limit.
        max: u64,
    },
    /// The input is not a GeoJSON FeatureCollection or a CSV with the needed columns.
    #[error("gazetteer is not valid {format}: {why}")]
    Format {
        /// `GeoJSON` or `CSV`.
        format: &'static str,
        /// What is wrong.
        why: String,
    },
}

/// One gazetteer entry that was skipped (or kept with a warning), naming where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerProblem {
    /// Where: `feature 3` (0-based, GeoJSON) or `row 5` (1-based data row, CSV).
    pub entry: String,
    /// The entry's name, when it has one.
    pub name: Option<String>,
    /// The property or column concerned (`name`, `geometry`, `wkt` …).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// True when the entry was kept anyway (e.g. a self-intersecting ring).
    pub kept: bool,
}

impl std::fmt::Display for GazetteerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.entry)?;
        if let Some(n) = &self.name {
            write!(f, " ({n:?})")?;
        }
        write!(
            f,
            " field {}: {}{}",
            self.field,
            self.message,
            if self.kept { " (kept)" } else { " (skipped)" }
        )
    }
}

/// A loaded gazetteer and the problems of its entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GazetteerLoad {
    /// The areas read, by every name and alias.
    pub areas: NamedAreas,
    /// Entries skipped or kept with a warning, in input order.
    pub problems: Vec<GazetteerProblem>,
}

impl GazetteerLoad {
    fn problem(&mut self, entry: String, name: Option<&str>, field: &str, message: String) {
        self.problems.push(GazetteerProblem {
            entry,
            name: name.map(str::to_owned),
            field: field.to_owned(),
            message,
            kept: false,
        });
    }

    fn add(
        &mut self,
        entry: String,
        names: &[String],
        extent: Result<(NamedExtent, Option<String>), String>,
        field: &str,
    ) {
        let first = names.first().map(String::as_str);
        match extent {
            Ok((extent, warning)) => {
                if let Some(w) = warning {
                    self.problems.push(GazetteerProblem {
                        entry: entry.clone(),
                        name: first.map(str::to_owned),
                        field: field.to_owned(),
                        message: w,
                        kept: true,
                    });
                }
                let mut any = false;
                for n in names {
                    if crate::spatial::normalize_area_name(n).is_empty() {
                        continue;
                    }
                    any = true;
                    self.areas.insert(n, extent.clone());
                }
                if !any {
                    self.problem(entry, first, "name", "no usable name".into());
                }
            }
            Err(why) => self.problem(entry, first, field, why),
        }
    }
}

fn check_size(len: usize) -> Result<(), GazetteerError> {
    let bytes = u64::try_from(len).unwrap_or(u64::MAX);
    if bytes > MAX_GAZETTEER_BYTES {
        return Err(GazetteerError::TooLarge {
            bytes,
            max: MAX_GAZETTEER_BYTES,
        });
    }
    Ok(())
}

/// Names from a `;`-separated string or an array of strings.
fn alias_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => s
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn polygon_extent(v: &Value) -> Result<(NamedExtent, Option<String>), String> {
    crate::hsds::geojson_extent(v, MAX_GAZETTEER_VERTICES)
        .map(|(mp, w)| (NamedExtent::Polygon(mp), w))
}

impl NamedAreas {
    /// Reads a GeoJSON `FeatureCollection` of named areas (see the module docs). Features
    /// without a name or with a geometry that is not a valid Polygon/MultiPolygon are skipped
    /// and reported; the others load.
    ///
    /// # Errors
    /// [`GazetteerError::Format`] when the input is not JSON or not a FeatureCollection,
    /// [`GazetteerError::TooLarge`] over [`MAX_GAZETTEER_BYTES`].
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::GeoPoint;
    /// use passerelle::spatial::NamedAreas;
    /// let geojson = r#"{"type": "FeatureCollection", "features": [
    ///   {"type": "Feature", "properties": {"name": "Square County", "aliases": ["County of Square"]},
    ///    "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
    ///   {"type": "Feature", "properties": {}, "geometry": null}]}"#;
    /// let load = NamedAreas::from_geojson(geojson.as_bytes()).unwrap();
    /// assert_eq!(load.problems.len(), 1); // the second feature has no name
    /// let inside = GeoPoint::new(0.5, 0.5).unwrap();
    /// assert_eq!(load.areas.covers("square county", inside), Some(true));
    /// ```
    pub fn from_geojson(bytes: &[u8]) -> Result<GazetteerLoad, GazetteerError> {
        check_size(bytes.len())?;
        let format = |why: String| GazetteerError::Format {
            format: "GeoJSON",
            why,
        };
        let root: Value = serde_json::from_slice(bytes).map_err(|e| format(e.to_string()))?;
        if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(format("expected a FeatureCollection".into()));
        }
        let Some(features) = root.get("features").and_then(Value::as_array) else {
            return Err(format("FeatureCollection without a features array".into()));
        };
        let mut load = GazetteerLoad::default();
        for (i, f) in features.iter().enumerate() {
            let entry = format!("feature {i}");
            let props = f.get("properties");
            let name = ["name", "NAME", "Name"]
                .iter()
                .find_map(|k| props.and_then(|p| p.get(*k)).and_then(Value::as_str))
                .map(str::trim)
                .filter(|n| !n.is_empty());
            let Some(name) = name else {
                load.problem(
                    entry,
                    None,
                    "name",
                    "feature without a name property".into(),
                );
                continue;
            };
            let mut names = vec![name.to_owned()];
            names.extend(alias_list(props.and_then(|p| p.get("aliases"))));
            let extent = match f.get("geometry") {
                Some(g @ Value::Object(_)) => polygon_extent(g),
                _ => Err("feature without a geometry".into()),
            };
            load.add(entry, &names, extent, "geometry");
        }
        Ok(load)
    }

    /// Reads a CSV gazetteer (see the module docs): a `name` column, optional `aliases`, and
    /// per row a `wkt`, `geojson` or `lat`/`lon`/`radius_km` geometry. Rows without a name or
    /// a valid geometry are skipped and reported; the others load.
    ///
    /// # Errors
    /// [`GazetteerError::Format`] when the header lacks `name` or every geometry column, or
    /// the CSV is malformed; [`GazetteerError::TooLarge`] over [`MAX_GAZETTEER_BYTES`].
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::GeoPoint;
    /// use passerelle::spatial::NamedAreas;
    /// let csv = "name,aliases,wkt,lat,lon,radius_km\n\
    ///     Square Town,Town of Square,\"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))\",,,\n\
    ///     Hamlet,,,10.0,10.0,2\n";
    /// let load = NamedAreas::from_csv(csv.as_bytes()).unwrap();
    /// assert!(load.problems.is_empty());
    /// assert_eq!(load.areas.covers("Town of Square", GeoPoint::new(0.5, 0.5).unwrap()), Some(true));
    /// assert_eq!(load.areas.covers("hamlet", GeoPoint::new(10.01, 10.0).unwrap()), Some(true));
    /// ```
    pub fn from_csv(bytes: &[u8]) -> Result<GazetteerLoad, GazetteerError> {
        check_size(bytes.len())?;
        let format = |why: String| GazetteerError::Format { format: "CSV", why };
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let header = reader.headers().map_err(|e| format(e.to_string()))?.clone();
        let col = |n: &str| header.iter().position(|h| h.eq_ignore_ascii_case(n));
        let name_col = col("name").ok_or_else(|| format("no name column".into()))?;
        let (aliases, wkt, geojson) = (col("aliases"), col("wkt"), col("geojson"));
        let (lat, lon, radius) = (col("lat"), col("lon"), col("radius_km"));
        if wkt.is_none()
            && geojson.is_none()
            && (lat.is_none() || lon.is_none() || radius.is_none())
        {
            return Err(format(
                "no geometry column (wkt, geojson, or lat, lon and radius_km)".into(),
            ));
        }
        let mut load = GazetteerLoad::default();
        for (i, rec) in reader.records().enumerate() {
            let entry = format!("row {}", i + 1);
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    load.problem(entry, None, "row", e.to_string());
                    continue;
                }
            };
            let get = |c: Option<usize>| c.and_then(|c| rec.get(c)).filter(|v| !v.is_empty());
            let Some(name) = get(Some(name_col)) else {
                load.problem(entry, None, "name", "row without a name".into());
                continue;
            };
            let mut names = vec![name.to_owned()];
            names.extend(alias_list(
                get(aliases).map(|a| Value::String(a.into())).as_ref(),
            ));
            let (field, extent) = if let Some(w) = get(wkt) {
                ("wkt", wkt_to_geojson(w).and_then(|g| polygon_extent(&g)))
            } else if let Some(g) = get(geojson) {
                (
                    "geojson",
                    serde_json::from_str::<Value>(g)
                        .map_err(|e| format!("not JSON: {e}"))
                        .and_then(|g| polygon_extent(&g)),
                )
            } else {
                ("lat", circle(get(lat), get(lon), get(radius)))
            };
            load.add(entry, &names, extent, field);
        }
        Ok(load)
    }

    /// A gazetteer from bytes: GeoJSON when the first non-blank character is `{`, CSV
    /// otherwise.
    ///
    /// # Errors
    /// As [`NamedAreas::from_geojson`] and [`NamedAreas::from_csv`].
    pub fn from_bytes(bytes: &[u8]) -> Result<GazetteerLoad, GazetteerError> {
        let first = bytes
            .iter()
            .find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
        if first == Some(&b'{') {
            Self::from_geojson(bytes)
        } else {
            Self::from_csv(bytes)
        }
    }

    /// A gazetteer from a file: CSV for a `.csv` name, GeoJSON otherwise
    /// (`.geojson`, `.json`).
    ///
    /// # Errors
    /// [`GazetteerError::Io`] when the file cannot be read, otherwise as the format's reader.
    pub fn from_path(path: impl AsRef<Path>) -> Result<GazetteerLoad, GazetteerError> {
        let path = path.as_ref();
        let io = |e: std::io::Error| GazetteerError::Io {
            path: path.display().to_string(),
            why: e.to_string(),
        };
        let len = std::fs::metadata(path).map_err(io)?.len();
        if len > MAX_GAZETTEER_BYTES {
            return Err(GazetteerError::TooLarge {
                bytes: len,
                max: MAX_GAZETTEER_BYTES,
            });
        }
        let bytes = std::fs::read(path).map_err(io)?;
        let is_csv = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
        if is_csv {
            Self::from_csv(&bytes)
        } else {
            Self::from_geojson(&bytes)
        }
    }

    /// Adds every entry of `other` whose name this gazetteer does not know yet; returns how
    /// many names were added.
    pub fn extend_missing(&mut self, other: &NamedAreas) -> usize {
        let mut added = 0;
        for (name, extent) in other.iter() {
            if self.get(name).is_none() {
                self.insert(name, extent.clone());
                added += 1;
            }
        }
        added
    }

    /// Adds the directory's own named service areas that carry an extent, under each of their
    /// names (all languages), for names this gazetteer does not know yet (a gazetteer the
    /// deployer supplies wins). Other service areas given by name only then resolve through
    /// them. Returns how many names were added.
    ///
    /// # Examples
    /// ```
    /// use passerelle::spatial::NamedAreas;
    /// use passerelle::Directory;
    /// let mut areas = NamedAreas::new();
    /// assert_eq!(areas.add_directory_extents(&Directory::default()), 0);
    /// ```
    pub fn add_directory_extents(&mut self, directory: &Directory) -> usize {
        let mut added = 0;
        for area in &directory.service_areas {
            let Some(extent) = &area.extent else { continue };
            for name in area.name.all() {
                let key = crate::spatial::normalize_area_name(name);
                if key.is_empty() || self.get(&key).is_some() {
                    continue;
                }
                self.insert(&key, NamedExtent::Polygon(extent.clone()));
                added += 1;
            }
        }
        added
    }
}

fn circle(
    lat: Option<&str>,
    lon: Option<&str>,
    radius_km: Option<&str>,
) -> Result<(NamedExtent, Option<String>), String> {
    let num = |v: Option<&str>, what: &str| -> Result<f64, String> {
        v.ok_or_else(|| {
            format!("no geometry (wkt, geojson, or lat, lon and radius_km); {what} is empty")
        })?
        .parse::<f64>()
        .map_err(|_| format!("{what} is not a number"))
    };
    let center = GeoPoint::new(num(lat, "lat")?, num(lon, "lon")?).map_err(|e| e.to_string())?;
    let r = num(radius_km, "radius_km")?;
    if !(r.is_finite() && r > 0.0 && r <= 20_000.0) {
        return Err("radius_km must be over 0 and at most 20000".into());
    }
    Ok((
        NamedExtent::Circle {
            center,
            radius_m: r * 1000.0,
        },
        None,
    ))
}

/// A WKT `POLYGON` or `MULTIPOLYGON` as a GeoJSON geometry object (validated afterwards as
/// any GeoJSON extent).
fn wkt_to_geojson(text: &str) -> Result<Value, String> {
    let t = text.trim();
    let open = t.find('(').ok_or("WKT without coordinates")?;
    let (kind, body) = t.split_at(open);
    let kind = kind.trim().to_ascii_uppercase();
    let (gtype, depth) = match kind.as_str() {
        "POLYGON" => ("Polygon", 2),
        "MULTIPOLYGON" => ("MultiPolygon", 3),
        other => {
            return Err(format!(
                "WKT type {:?} is not POLYGON or MULTIPOLYGON",
                other.chars().take(20).collect::<String>()
            ))
        }
    };
    let mut chars = body.chars().peekable();
    let coords = wkt_list(&mut chars, depth)?;
    if chars.any(|c| !c.is_whitespace()) {
        return Err("unexpected text after the WKT geometry".into());
    }
    Ok(json!({ "type": gtype, "coordinates": coords }))
}

/// One parenthesised list: of positions at `depth` 1, of lists below.
fn wkt_list(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    depth: usize,
) -> Result<Value, String> {
    if depth == 0 || depth > MAX_WKT_DEPTH {
        return Err("WKT nesting is wrong for the geometry type".into());
    }
    skip_ws(chars);
    if chars.next() != Some('(') {
        return Err("WKT: expected '('".into());
    }
    let mut items = Vec::new();
    loop {
        skip_ws(chars);
        if depth == 1 {
            let mut token = String::new();
            while let Some(&c) = chars.peek() {
                if c == ',' || c == ')' {
                    break;
                }
                token.push(c);
                chars.next();
                if token.len() > 200 {
                    return Err("WKT: position too long".into());
                }
            }
            let nums: Result<Vec<f64>, _> =
                token.split_whitespace().map(str::parse::<f64>).collect();
            match nums {
                Ok(n) if n.len() >= 2 => items.push(json!([n.first(), n.get(1)])),
                _ => return Err("WKT: a position must be two numbers (longitude latitude)".into()),
            }
        } else {
            items.push(wkt_list(chars, depth - 1)?);
        }
        skip_ws(chars);
        match chars.next() {
            Some(',') => continue,
            Some(')') => break,
            _ => return Err("WKT: expected ',' or ')'".into()),
        }
    }
    Ok(Value::Array(items))
}

fn skip_ws(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.peek().is_some_and(|c| c.is_whitespace()) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn wkt_polygons_and_holes() {
        let g = wkt_to_geojson("polygon ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1))")
            .unwrap();
        let (NamedExtent::Polygon(mp), None) = polygon_extent(&g).unwrap() else {
            panic!("polygon")
        };
        let e = NamedExtent::Polygon(mp);
        assert!(e.covers(pt(3.0, 3.0)));
        assert!(!e.covers(pt(1.5, 1.5)), "hole");
        let m = wkt_to_geojson(
            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 1, 0 0)), ((10 10, 11 10, 11 11, 10 11, 10 10)))",
        )
        .unwrap();
        assert_eq!(m["type"], "MultiPolygon");
        for bad in [
            "POINT (1 2)",
            "POLYGON ((0 0, 1 0, 1 1",
            "POLYGON ((0 0, 1 x, 1 1, 0 0))",
            "POLYGON (((0 0, 1 0, 1 1, 0 0)))",
            "POLYGON ((0 0, 1 0, 1 1, 0 0)) trailing",
            "POLYGON",
        ] {
            assert!(
                wkt_to_geojson(bad)
                    .and_then(|g| polygon_extent(&g))
                    .is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn csv_keeps_good_rows_and_names_bad_ones() {
        let csv = "name,aliases,wkt,lat,lon,radius_km\n\
            A,,\"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))\",,,\n\
            ,,\"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))\",,,\n\
            B,,\"POLYGON ((0 0, 1 0, 1 1))\",,,\n\
            C,Cee;See,,1,1,x\n\
            D,Dee,,1,1,5\n";
        let load = NamedAreas::from_csv(csv.as_bytes()).unwrap();
        assert_eq!(load.areas.len(), 3, "A, D and Dee");
        let rows: Vec<(&str, &str)> = load
            .problems
            .iter()
            .map(|p| (p.entry.as_str(), p.field.as_str()))
            .collect();
        assert_eq!(
            rows,
            [("row 2", "name"), ("row 3", "wkt"), ("row 4", "lat")]
        );
        assert_eq!(load.problems[1].name.as_deref(), Some("B"));
        assert!(load.problems[2].message.contains("radius_km"));
        assert!(NamedAreas::from_csv(b"label,wkt\nx,y\n").is_err());
        assert!(NamedAreas::from_csv(b"name,aliases\nx,y\n").is_err());
    }

    #[test]
    fn geojson_errors() {
        assert!(matches!(
            NamedAreas::from_geojson(b"[1]"),
            Err(GazetteerError::Format { .. })
        ));
        assert!(NamedAreas::from_geojson(b"{\"type\":\"Feature\"}").is_err());
        let fc = br#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Line"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}},
            {"type":"Feature","properties":{"NAME":"Ok","aliases":"Okay; O.K."},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}"#;
        let load = NamedAreas::from_geojson(fc).unwrap();
        assert_eq!(load.problems.len(), 1);
        assert_eq!(load.problems[0].entry, "feature 0");
        assert_eq!(load.problems[0].field, "geometry");
        assert_eq!(load.areas.len(), 3);
        assert!(load.areas.get("o k").is_some());
        let sniffed = NamedAreas::from_bytes(fc).unwrap();
        assert_eq!(sniffed, load);
    }

    #[test]
    fn io_error_names_the_path() {
        let err = NamedAreas::from_path("/nonexistent/areas.geojson").unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/areas.geojson"),
            "{err}"
        );
    }
}
