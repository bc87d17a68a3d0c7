//! GeoJSON service-area extents: Polygon, MultiPolygon, or a Feature holding one.
//!
//! Rings must be closed, have at least four positions and WGS84 coordinates, and the whole
//! extent at most `max_vertices` positions; otherwise the extent is rejected (error).
//! Self-intersections and other topology faults are reported as warnings and the extent kept.
//! Across a feed, the extents kept hold at most `max_total_extent_vertices` positions in all
//! ([`FeedVertices`]): an extent that would pass it is rejected (`VertexBudget`).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::{json, Value};

use super::fields::Parsed;
use super::report::ProblemKind;

fn err<T>(msg: impl Into<String>) -> Parsed<T> {
    Parsed::Err(ProblemKind::InvalidGeometry, msg.into())
}

/// Vertices the extents of one feed may still hold (`ImportOptions::max_total_extent_vertices`).
#[derive(Debug)]
pub(crate) struct FeedVertices {
    limit: usize,
    left: usize,
}

impl FeedVertices {
    pub(crate) fn new(limit: usize) -> Self {
        Self { limit, left: limit }
    }

    fn refused(&self) -> Parsed<MultiPolygon<f64>> {
        Parsed::Err(
            ProblemKind::VertexBudget,
            format!(
                "the feed's service-area extents would hold more than max_total_extent_vertices ({}) in all; extent dropped, the service area kept",
                self.limit
            ),
        )
    }
}

/// Parses and validates an extent given as GeoJSON text or a JSON object.
pub(crate) fn parse_extent(v: &Value, max_vertices: usize) -> Parsed<MultiPolygon<f64>> {
    parse_extent_in_feed(v, max_vertices, &mut FeedVertices::new(usize::MAX))
}

/// [`parse_extent`] charging the extent kept to `feed`. Once the feed has fewer vertices left
/// than the smallest ring (4), an extent is refused before its text is parsed; otherwise the
/// positions are counted ring by ring before they are read.
pub(crate) fn parse_extent_in_feed(
    v: &Value,
    max_vertices: usize,
    feed: &mut FeedVertices,
) -> Parsed<MultiPolygon<f64>> {
    if feed.left < 4 {
        return feed.refused();
    }
    let per_extent = max_vertices;
    let max_vertices = max_vertices.min(feed.left);
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
        // within its own limit, so the feed's total is the bound it passed
        Err(e) if e == TOO_MANY && positions(geometry) <= per_extent => return feed.refused(),
        Err(e) => return err(e),
    };
    feed.left = feed
        .left
        .saturating_sub(max_vertices.saturating_sub(budget));
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

const TOO_MANY: &str = "extent has more vertices than max_extent_vertices";

/// The extent's positions, counted without reading them.
fn positions(geometry: &Value) -> usize {
    fn count(v: &Value, depth: u8) -> usize {
        match v {
            Value::Array(items) if depth > 0 => items.iter().map(|i| count(i, depth - 1)).sum(),
            Value::Array(items) => items.len(),
            _ => 0,
        }
    }
    let depth = match geometry.get("type").and_then(Value::as_str) {
        Some("MultiPolygon") => 2,
        _ => 1,
    };
    geometry.get("coordinates").map_or(0, |c| count(c, depth))
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
        return Err(TOO_MANY.into());
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

    fn kind(p: &Parsed<MultiPolygon<f64>>) -> Option<ProblemKind> {
        match p {
            Parsed::Err(k, _) => Some(*k),
            _ => None,
        }
    }

    #[test]
    fn the_feed_total_binds_after_the_extents_that_fit() {
        let square = json!(SQUARE);
        let two = json!({"type": "MultiPolygon", "coordinates": [
            serde_json::from_str::<Value>(SQUARE).unwrap()["coordinates"].clone(),
            serde_json::from_str::<Value>(SQUARE).unwrap()["coordinates"].clone(),
        ]});
        let mut feed = FeedVertices::new(12);
        // a square (5) fits; the 10-vertex MultiPolygon does not (7 left); another square does
        assert!(matches!(
            parse_extent_in_feed(&square, 100, &mut feed),
            Parsed::Ok(_)
        ));
        assert_eq!(feed.left, 7);
        assert_eq!(
            kind(&parse_extent_in_feed(&two, 100, &mut feed)),
            Some(ProblemKind::VertexBudget)
        );
        assert_eq!(feed.left, 7, "a refused extent is not charged");
        assert!(matches!(
            parse_extent_in_feed(&square, 100, &mut feed),
            Parsed::Ok(_)
        ));
        assert_eq!(feed.left, 2);
        assert_eq!(
            kind(&parse_extent_in_feed(&square, 100, &mut feed)),
            Some(ProblemKind::VertexBudget)
        );
        // an extent over its own limit is reported as that, whatever the feed has left
        let mut feed = FeedVertices::new(6);
        assert_eq!(
            kind(&parse_extent_in_feed(&two, 8, &mut feed)),
            Some(ProblemKind::InvalidGeometry)
        );
        assert_eq!(feed.left, 6);
        // a broken extent is broken, not over budget, and costs nothing
        let open = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]});
        assert_eq!(
            kind(&parse_extent_in_feed(&open, 100, &mut feed)),
            Some(ProblemKind::InvalidGeometry)
        );
        assert_eq!(feed.left, 6);
    }
}
