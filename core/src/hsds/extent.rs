//! GeoJSON service-area extents: Polygon, MultiPolygon, or a Feature holding one.
//!
//! Rings must be closed, have at least four positions and WGS84 coordinates, and the whole
//! extent at most `max_vertices` positions; otherwise the extent is rejected (error).
//! Self-intersections and other topology faults are reported as warnings and the extent kept.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{json, Value};

use super::fields::Parsed;
use super::report::ProblemKind;

fn err<T>(msg: impl Into<String>) -> Parsed<T> {
    Parsed::Err(ProblemKind::InvalidGeometry, msg.into())
}

/// Parses and validates an extent given as GeoJSON text or a JSON object.
pub(crate) fn parse_extent(v: &Value, max_vertices: usize) -> Parsed<MultiPolygon<f64>> {
    let parsed;
    let obj = match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(o) => {
                parsed = o;
                &parsed
            }
            Err(e) => return err(format!("extent is not GeoJSON: {e}")),
        },
        Value::Object(_) => v,
        _ => return err("extent is not GeoJSON"),
    };
    let mut normalized = None;
    let mut geometry = obj;
    if obj.get("type").and_then(Value::as_str) == Some("Feature") {
        normalized = Some("GeoJSON Feature read as its geometry; properties kept verbatim");
        geometry = match obj.get("geometry") {
            Some(g) => g,
            None => return err("GeoJSON Feature without geometry"),
        };
    }
    let coords = geometry.get("coordinates");
    let mut budget = max_vertices;
    let result = match (geometry.get("type").and_then(Value::as_str), coords) {
        (Some("Polygon"), Some(c)) => polygon(c, &mut budget).map(|p| MultiPolygon(vec![p])),
        (Some("MultiPolygon"), Some(Value::Array(polys))) => polys
            .iter()
            .map(|p| polygon(p, &mut budget))
            .collect::<Result<Vec<_>, _>>()
            .map(MultiPolygon),
        (Some(t), _) => Err(format!(
            "GeoJSON type {t:?} is not a Polygon or MultiPolygon with coordinates"
        )),
        (None, _) => Err("GeoJSON object without a type".to_owned()),
    };
    let mp = match result {
        Ok(mp) => mp,
        Err(e) => return err(e),
    };
    // passerelle's own check, an O(n log n) sweep: geo's `Validation` compares every pair of
    // edges, and took 125 s on one 100 000-vertex extent (5 s at the default 20 000 limit).
    let limits = crate::spatial::AreaLimits {
        max_vertices: usize::MAX,
    };
    if let Err(first) = limits.validate(&mp) {
        return Parsed::Warned(
            mp,
            ProblemKind::InvalidGeometry,
            format!("extent is not a valid polygon ({first}); kept, but point-in-area tests may be wrong"),
        );
    }
    match normalized {
        Some(msg) => Parsed::Normalized(mp, msg.to_owned()),
        None => Parsed::Ok(mp),
    }
}

fn polygon(v: &Value, budget: &mut usize) -> Result<Polygon<f64>, String> {
    let Value::Array(rings) = v else {
        return Err("polygon coordinates must be an array of rings".into());
    };
    let mut rings = rings.iter().map(|r| ring(r, budget));
    let exterior = rings
        .next()
        .ok_or_else(|| "polygon without rings".to_owned())??;
    let interiors = rings.collect::<Result<Vec<_>, _>>()?;
    Ok(Polygon::new(exterior, interiors))
}

fn ring(v: &Value, budget: &mut usize) -> Result<LineString<f64>, String> {
    let Value::Array(points) = v else {
        return Err("ring must be an array of positions".into());
    };
    if points.len() > *budget {
        return Err("extent has more vertices than max_extent_vertices".into());
    }
    *budget -= points.len();
    let mut coords = Vec::with_capacity(points.len());
    for p in points {
        let xy = match p {
            Value::Array(xy) if xy.len() >= 2 => xy,
            _ => return Err("position must be [longitude, latitude]".into()),
        };
        let (Some(x), Some(y)) = (
            xy.first().and_then(Value::as_f64),
            xy.get(1).and_then(Value::as_f64),
        ) else {
            return Err("position coordinates must be numbers".into());
        };
        if !x.is_finite()
            || !y.is_finite()
            || !(-180.0..=180.0).contains(&x)
            || !(-90.0..=90.0).contains(&y)
        {
            return Err(format!("position [{x}, {y}] is outside WGS84 bounds"));
        }
        coords.push(Coord { x, y });
    }
    if coords.len() < 4 {
        return Err(format!(
            "ring has {} positions; at least 4 needed",
            coords.len()
        ));
    }
    if coords.first() != coords.last() {
        return Err("ring is not closed (first and last positions differ)".into());
    }
    Ok(LineString(coords))
}

/// The extent as GeoJSON text (a Polygon when there is one polygon).
pub(crate) fn to_geojson(mp: &MultiPolygon<f64>) -> String {
    fn ring(l: &LineString<f64>) -> Value {
        Value::Array(l.0.iter().map(|c| json!([c.x, c.y])).collect())
    }
    fn poly(p: &Polygon<f64>) -> Value {
        let mut rings = vec![ring(p.exterior())];
        rings.extend(p.interiors().iter().map(ring));
        Value::Array(rings)
    }
    let v = match mp.0.as_slice() {
        [one] => json!({"type": "Polygon", "coordinates": poly(one)}),
        many => {
            json!({"type": "MultiPolygon", "coordinates": many.iter().map(poly).collect::<Vec<_>>()})
        }
    };
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[-75.8,45.3],[-75.6,45.3],[-75.6,45.5],[-75.8,45.5],[-75.8,45.3]]]}"#;

    #[test]
    fn square_round_trips() {
        let Parsed::Ok(mp) = parse_extent(&json!(SQUARE), 100) else {
            panic!()
        };
        let Parsed::Ok(again) = parse_extent(&json!(to_geojson(&mp)), 100) else {
            panic!()
        };
        assert_eq!(mp, again);
    }

    #[test]
    fn rejects_bad_extents() {
        let open = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#;
        assert!(matches!(parse_extent(&json!(open), 100), Parsed::Err(..)));
        assert!(matches!(
            parse_extent(&json!("extent"), 100),
            Parsed::Err(..)
        ));
        assert!(matches!(parse_extent(&json!(SQUARE), 4), Parsed::Err(..)));
        let far = r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#;
        assert!(matches!(parse_extent(&json!(far), 100), Parsed::Err(..)));
        let bowtie = r#"{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
        assert!(matches!(
            parse_extent(&json!(bowtie), 100),
            Parsed::Warned(..)
        ));
    }
}
