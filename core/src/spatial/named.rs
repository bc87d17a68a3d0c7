//! [`NamedAreas`]: a small gazetteer turning service-area *names* into coverage.

use std::collections::BTreeMap;

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, MultiPolygon};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use super::distance::haversine_m;
use super::prepared::PreparedArea;
use crate::model::GeoPoint;

/// The geometry behind a named area.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::NamedExtent;
/// let vanier = NamedExtent::Circle { center: GeoPoint::new(45.440, -75.660).unwrap(), radius_m: 1_500.0 };
/// assert!(vanier.covers(GeoPoint::new(45.437, -75.655).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum NamedExtent {
    /// An exact boundary (lon/lat polygons, as in GeoJSON). Boundary points are covered.
    Polygon(MultiPolygon<f64>),
    /// A disc: everything within `radius_m` metres (great-circle) of `center`, boundary included.
    Circle {
        /// Centre of the disc.
        center: GeoPoint,
        /// Radius in metres.
        radius_m: f64,
    },
}

impl NamedExtent {
    /// `true` if `point` lies in (or on the edge of) this extent.
    pub fn covers(&self, point: GeoPoint) -> bool {
        match self {
            NamedExtent::Polygon(mp) => {
                let c = Coord {
                    x: point.lon(),
                    y: point.lat(),
                };
                mp.coordinate_position(&c) != CoordPos::Outside
            }
            NamedExtent::Circle { center, radius_m } => haversine_m(*center, point) <= *radius_m,
        }
    }
}

/// Normalises a place name for lookup: Unicode compatibility decomposition, accents removed,
/// lower case, every run of non-alphanumeric characters (spaces, hyphens, apostrophes, dots)
/// collapsed to one space, trimmed.
///
/// # Examples
/// ```
/// use passerelle::spatial::normalize_area_name;
/// assert_eq!(normalize_area_name("Orléans"), "orleans");
/// assert_eq!(normalize_area_name("  Sandy-Hill "), "sandy hill");
/// assert_eq!(normalize_area_name("BYWARD  market"), normalize_area_name("ByWard Market"));
/// assert_eq!(normalize_area_name("Côte-de-Sable"), "cote de sable");
/// ```
pub fn normalize_area_name(name: &str) -> String {
    if name.is_ascii() {
        // ASCII is its own compatibility decomposition and has no combining marks.
        return fold_area_chars(name.chars());
    }
    fold_area_chars(name.nfkd().filter(|c| !is_combining_mark(*c)))
}

/// Lower case, runs of non-alphanumeric characters as one space, trimmed.
fn fold_area_chars(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in chars {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// A gazetteer from place names to extents, so a service whose area is only a name ("City of
/// Ottawa", "Kanata") can be treated as covering the points inside it.
///
/// Lookups are case-, accent- and punctuation-insensitive (see [`normalize_area_name`]).
/// Deployers add or replace entries with [`NamedAreas::insert`]; several names may map to the
/// same extent (e.g. English and French).
///
/// [`NamedAreas::ottawa_sample`] ships rough **approximations** for the fictional Ottawa
/// sample directory: hand-placed discs, not official boundaries. Use real boundaries
/// (municipal open data) for a production deployment.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::{NamedAreas, NamedExtent};
/// let mut areas = NamedAreas::ottawa_sample();
/// let home = GeoPoint::new(45.475, -75.515).unwrap();
/// assert_eq!(areas.covers("ORLEANS", home), Some(true));
/// assert_eq!(areas.covers("Kanata", home), Some(false));
/// assert_eq!(areas.covers("Atlantis", home), None);
///
/// areas.insert("Manotick", NamedExtent::Circle {
///     center: GeoPoint::new(45.226, -75.682).unwrap(),
///     radius_m: 3_000.0,
/// });
/// assert!(areas.get("manotick").is_some());
/// ```
#[derive(Debug, Clone, Default)]
pub struct NamedAreas {
    by_name: BTreeMap<String, NamedExtent>,
    /// [`loose_area_key`] → the first key of `by_name` with that loose form.
    loose: BTreeMap<String, String>,
    /// The polygon extents of `by_name`, prepared for point tests.
    prepared: BTreeMap<String, PreparedArea>,
}

impl PartialEq for NamedAreas {
    /// Same names and extents (the prepared forms follow from them).
    fn eq(&self, other: &Self) -> bool {
        self.by_name == other.by_name && self.loose == other.loose
    }
}

/// A looser form of a normalised name, for names written differently by a feed and a
/// gazetteer: "county of X" and "city and county of X" read as "X county"; "city of",
/// "town of", "village of", "township of", "municipality of", "ville de", "ville d" dropped;
/// the words "st", "ste" and "mt" read as "saint", "sainte" and "mount".
pub(crate) fn loose_area_key(key: &str) -> String {
    let mut rest = key;
    let mut county = false;
    for prefix in ["city and county of ", "county of "] {
        if let Some(r) = rest.strip_prefix(prefix) {
            rest = r;
            county = true;
            break;
        }
    }
    if !county {
        for prefix in [
            "city of ",
            "town of ",
            "village of ",
            "township of ",
            "municipality of ",
            "ville de ",
            "ville d ",
        ] {
            if let Some(r) = rest.strip_prefix(prefix) {
                rest = r;
                break;
            }
        }
    }
    let mut out: Vec<&str> = rest
        .split(' ')
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            "mt" => "mount",
            w => w,
        })
        .collect();
    if county && out.last() != Some(&"county") {
        out.push("county");
    }
    out.join(" ")
}

impl NamedAreas {
    /// An empty gazetteer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces `name`'s extent, returning the previous one. Names that normalise to
    /// the empty string are ignored (and `None` returned).
    pub fn insert(&mut self, name: &str, extent: NamedExtent) -> Option<NamedExtent> {
        let key = normalize_area_name(name);
        if key.is_empty() {
            return None;
        }
        self.loose
            .entry(loose_area_key(&key))
            .or_insert_with(|| key.clone());
        match &extent {
            NamedExtent::Polygon(mp) => {
                self.prepared.insert(key.clone(), PreparedArea::new(mp));
            }
            NamedExtent::Circle { .. } => {
                self.prepared.remove(&key);
            }
        }
        self.by_name.insert(key, extent)
    }

    /// The extent for `name`, if known: by its normalised form ([`normalize_area_name`]), or
    /// else by a looser form ("County of San Mateo" finds "San Mateo County", "St. Albert"
    /// finds "Saint Albert", "City of Ottawa" finds "Ottawa").
    pub fn get(&self, name: &str) -> Option<&NamedExtent> {
        self.get_key(&normalize_area_name(name))
    }

    /// [`NamedAreas::get`] for a name already passed through [`normalize_area_name`].
    fn get_key(&self, key: &str) -> Option<&NamedExtent> {
        self.found_key(key).and_then(|k| self.by_name.get(k))
    }

    /// The key of `by_name` a normalised name finds, directly or by its loose form.
    fn found_key<'k>(&'k self, key: &'k str) -> Option<&'k str> {
        if self.by_name.contains_key(key) {
            return Some(key);
        }
        self.loose.get(&loose_area_key(key)).map(String::as_str)
    }

    /// Whether the extent under `key` (a key of `by_name`) covers `point`, through its
    /// prepared form when it is a polygon.
    fn covers_found(&self, key: &str, point: GeoPoint) -> Option<bool> {
        let extent = self.by_name.get(key)?;
        Some(match (extent, self.prepared.get(key)) {
            (NamedExtent::Polygon(_), Some(p)) => p.covers(point.to_geo().0),
            _ => extent.covers(point),
        })
    }

    /// Whether the area called `name` covers `point`; `None` if the name is unknown.
    pub fn covers(&self, name: &str, point: GeoPoint) -> Option<bool> {
        self.covers_key(&normalize_area_name(name), point)
    }

    /// [`NamedAreas::covers`] for a name already passed through [`normalize_area_name`].
    pub(crate) fn covers_key(&self, key: &str, point: GeoPoint) -> Option<bool> {
        self.found_key(key)
            .and_then(|k| self.covers_found(k, point))
    }

    /// Whether a name already passed through [`normalize_area_name`] is known.
    pub(crate) fn knows_key(&self, key: &str) -> bool {
        self.get_key(key).is_some()
    }

    /// Number of names.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// `true` if there are no names.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Normalised names and their extents, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &NamedExtent)> {
        self.by_name.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// A tiny built-in gazetteer for the **fictional** Ottawa sample directory.
    ///
    /// Every entry is an approximate centre and radius chosen by eye, roughly enclosing the
    /// named community; they overlap and leave gaps and are unsuitable for real eligibility
    /// decisions. Names (with French forms where common): City of Ottawa / Ottawa / Ville
    /// d'Ottawa, Kanata, Orléans, Barrhaven, Vanier, Centretown / Centre-ville, Lowertown /
    /// Basse-Ville, ByWard Market / Marché By, Overbrook, Rural West (Carp, Constance Bay,
    /// Kinburn, also each by name), Nepean, Sandy Hill / Côte-de-Sable, Hintonburg, Alta Vista,
    /// South Keys.
    pub fn ottawa_sample() -> Self {
        // (names, lat, lon, radius_km)
        const SAMPLE: &[(&[&str], f64, f64, f64)] = &[
            (
                &["City of Ottawa", "Ottawa", "Ville d'Ottawa"],
                45.25,
                -75.80,
                50.0,
            ),
            (&["Kanata"], 45.31, -75.91, 7.0),
            (&["Orléans"], 45.47, -75.51, 6.0),
            (&["Barrhaven"], 45.27, -75.74, 5.0),
            (&["Vanier"], 45.44, -75.66, 1.5),
            (&["Centretown", "Centre-ville"], 45.414, -75.695, 1.3),
            (
                &["Lowertown", "Lower Town", "Basse-Ville"],
                45.432,
                -75.690,
                1.0,
            ),
            (&["ByWard Market", "Marché By"], 45.4292, -75.6920, 0.6),
            (&["Overbrook"], 45.425, -75.650, 1.2),
            (&["Rural West", "Ouest rural"], 45.42, -76.10, 16.0),
            (&["Carp"], 45.35, -76.04, 3.0),
            (&["Constance Bay"], 45.50, -76.08, 3.0),
            (&["Kinburn"], 45.39, -76.19, 3.0),
            (&["Nepean"], 45.34, -75.75, 8.0),
            (&["Sandy Hill", "Côte-de-Sable"], 45.424, -75.680, 1.0),
            (&["Hintonburg"], 45.400, -75.730, 1.0),
            (&["Alta Vista"], 45.385, -75.660, 2.5),
            (&["South Keys"], 45.355, -75.655, 1.5),
        ];
        let mut areas = Self::new();
        for (names, lat, lon, radius_km) in SAMPLE {
            if let Ok(center) = GeoPoint::new(*lat, *lon) {
                for name in *names {
                    areas.insert(
                        name,
                        NamedExtent::Circle {
                            center,
                            radius_m: radius_km * 1000.0,
                        },
                    );
                }
            }
        }
        areas
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn sample_is_complete_and_accent_insensitive() {
        let a = NamedAreas::ottawa_sample();
        for name in [
            "City of Ottawa",
            "Kanata",
            "Orleans",
            "ORLÉANS",
            "Barrhaven",
            "Vanier",
            "Centretown",
            "Lowertown",
            "Byward market",
            "Overbrook",
            "rural west",
            "Carp",
            "Constance Bay",
            "Kinburn",
            "Nepean",
            "sandy-hill",
            "Hintonburg",
            "Alta Vista",
            "South Keys",
            "cote de sable",
            "Marche By",
        ] {
            assert!(a.get(name).is_some(), "{name}");
        }
        // Every community centre is inside the City of Ottawa disc.
        let city = a.get("city of ottawa").unwrap();
        for (_, e) in a.iter() {
            if let NamedExtent::Circle { center, .. } = e {
                assert!(city.covers(*center));
            }
        }
        let byward = pt(45.4292, -75.6920);
        assert_eq!(a.covers("ByWard Market", byward), Some(true));
        assert_eq!(a.covers("Kanata", byward), Some(false));
    }

    #[test]
    fn insert_replaces_and_ignores_blank_names() {
        let mut a = NamedAreas::new();
        let sq = NamedExtent::Polygon(MultiPolygon(vec![
            polygon![(x: -1.0, y: -1.0), (x: 1.0, y: -1.0), (x: 1.0, y: 1.0), (x: -1.0, y: 1.0)],
        ]));
        assert!(a.insert("Zone A", sq.clone()).is_none());
        assert!(a.insert("zone-a", sq).is_some());
        assert!(a
            .insert(
                " - ",
                NamedExtent::Circle {
                    center: pt(0.0, 0.0),
                    radius_m: 1.0
                }
            )
            .is_none());
        assert_eq!(a.len(), 1);
        assert_eq!(
            a.covers("ZONE A", pt(1.0, 0.0)),
            Some(true),
            "boundary is covered"
        );
        assert_eq!(a.covers("zone a", pt(2.0, 0.0)), Some(false));
    }

    #[test]
    fn loose_names() {
        let mut a = NamedAreas::new();
        let disc = NamedExtent::Circle {
            center: pt(37.5, -122.3),
            radius_m: 1_000.0,
        };
        a.insert("San Mateo County", disc.clone());
        a.insert("Saint Helena", disc.clone());
        a.insert("Daly City", disc);
        for name in [
            "County of San Mateo",
            "san mateo county",
            "City and County of San Mateo",
            "St. Helena",
            "City of Daly City",
        ] {
            assert!(a.get(name).is_some(), "{name}");
        }
        for name in ["San Mateo", "Daly", "Helena"] {
            assert!(a.get(name).is_none(), "{name}");
        }
        assert_eq!(loose_area_key("ville d ottawa"), "ottawa");
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalize_area_name("Ville d’Ottawa"), "ville d ottawa");
        assert_eq!(normalize_area_name("ﬁef"), "fief");
        assert_eq!(normalize_area_name(""), "");
    }
}
