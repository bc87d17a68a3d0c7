//! Where an area is: centroids for area keys, and coarse area keys for resident points.

use std::collections::HashMap;

use geo::{Centroid, ChamberlainDuquetteArea};

use crate::model::GeoPoint;
use crate::referrals::AreaKey;
use crate::spatial::{normalize_area_name, NamedAreas, NamedExtent};

/// Centroids of [`AreaKey`]s, used to measure distances from an area to services and to place
/// areas on a map.
///
/// Lookup order for [`AreaCentroids::get`]:
/// 1. a centroid the caller inserted for that exact key (e.g. an FSA centroid table, which
///    passerelle does not ship);
/// 2. for `grid:` keys, the cell centre (computed);
/// 3. for `area:` keys, the centre of the named area from the gazetteer given at construction
///    (disc centre, or polygon centroid), matched case-, accent- and punctuation-insensitively.
///
/// Centroids are properties of areas, never of residents: no output of this module carries
/// a record's own location.
///
/// # Examples
/// ```
/// use passerelle::gaps::AreaCentroids;
/// use passerelle::model::GeoPoint;
/// use passerelle::referrals::AreaKey;
/// let mut c = AreaCentroids::ottawa_sample();
/// let vanier = c.get(&AreaKey::named("Vanier").unwrap()).unwrap();
/// assert!((vanier.lat() - 45.44).abs() < 1e-9);
/// let k1l = AreaKey::from_postal_code("K1L").unwrap();
/// assert!(c.get(&k1l).is_none()); // FSA centroids come from the caller
/// c.insert(k1l.clone(), GeoPoint::new(45.437, -75.662).unwrap());
/// assert!(c.get(&k1l).is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AreaCentroids {
    custom: HashMap<AreaKey, GeoPoint>,
    /// Normalised area name → centre.
    named: HashMap<String, GeoPoint>,
}

impl AreaCentroids {
    /// No named areas and no custom centroids: only grid keys have centroids.
    pub fn new() -> Self {
        Self::default()
    }

    /// Centres of every area of a gazetteer (disc centres, polygon centroids).
    pub fn with_named_areas(areas: &NamedAreas) -> Self {
        let named = areas
            .iter()
            .filter_map(|(name, extent)| Some((name.to_owned(), extent_centre(extent)?)))
            .collect();
        Self {
            custom: HashMap::new(),
            named,
        }
    }

    /// Centres of the Ottawa sample gazetteer ([`NamedAreas::ottawa_sample`]).
    pub fn ottawa_sample() -> Self {
        Self::with_named_areas(&NamedAreas::ottawa_sample())
    }

    /// Sets the centroid of one area (typically `fsa:` keys from a postal-code centroid
    /// table), overriding the built-in one; returns the previous custom centroid.
    pub fn insert(&mut self, area: AreaKey, centroid: GeoPoint) -> Option<GeoPoint> {
        self.custom.insert(area, centroid)
    }

    /// The centroid of `area`, if known (see the lookup order above).
    pub fn get(&self, area: &AreaKey) -> Option<GeoPoint> {
        if let Some(p) = self.custom.get(area) {
            return Some(*p);
        }
        if let Some(p) = area.grid_centre() {
            return Some(p);
        }
        let name = area.as_str().strip_prefix("area:")?;
        self.named.get(&normalize_area_name(name)).copied()
    }
}

/// The centre of a named extent: a disc's centre or a polygon's centroid.
pub(crate) fn extent_centre(extent: &NamedExtent) -> Option<GeoPoint> {
    match extent {
        NamedExtent::Circle { center, .. } => Some(*center),
        NamedExtent::Polygon(mp) => {
            let c = mp.centroid()?;
            GeoPoint::new(c.y(), c.x()).ok()
        }
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// Approximate area of an extent in square metres.
fn extent_area_m2(extent: &NamedExtent) -> f64 {
    match extent {
        NamedExtent::Circle { radius_m, .. } => std::f64::consts::PI * radius_m * radius_m,
        NamedExtent::Polygon(mp) => mp.chamberlain_duquette_unsigned_area(),
        #[allow(unreachable_patterns)]
        _ => f64::INFINITY,
    }
}

/// A coarse, non-identifying [`AreaKey`] for a resident's point, so the point itself never
/// needs to be stored: the **smallest** named area of `areas` that covers the point
/// (`area:<normalised name>`, ties broken by name), or else the `fallback_cell_m` grid cell
/// (at least [`MIN_GRID_CELL_M`](crate::referrals::MIN_GRID_CELL_M) metres).
///
/// Pass an empty [`NamedAreas`] to always get a grid cell. Named areas should be large enough
/// not to single anyone out; the Ottawa sample's smallest (ByWard Market) is a 600 m disc,
/// about the size of a 1 km cell.
///
/// # Errors
/// [`ReferralError::InvalidAreaKey`](crate::referrals::ReferralError::InvalidAreaKey) (inside
/// [`crate::Error::Referral`]) when the point is in no named area and `fallback_cell_m` is
/// below 1000.
///
/// # Examples
/// ```
/// use passerelle::gaps::area_key_for_point;
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::NamedAreas;
/// let areas = NamedAreas::ottawa_sample();
/// let home = GeoPoint::new(45.4385, -75.6612).unwrap(); // in Vanier (and the City of Ottawa)
/// assert_eq!(area_key_for_point(home, &areas, 1_000).unwrap().as_str(), "area:vanier");
/// let far = GeoPoint::new(46.5, -77.0).unwrap(); // outside every sample area
/// assert!(area_key_for_point(far, &areas, 2_000).unwrap().as_str().starts_with("grid:2000:"));
/// ```
pub fn area_key_for_point(
    point: GeoPoint,
    areas: &NamedAreas,
    fallback_cell_m: u32,
) -> Result<AreaKey, crate::Error> {
    let mut best: Option<(f64, &str)> = None;
    for (name, extent) in areas.iter() {
        if !extent.covers(point) {
            continue;
        }
        let size = extent_area_m2(extent);
        if best.is_none_or(|(b, _)| size < b) {
            best = Some((size, name));
        }
    }
    match best {
        Some((_, name)) => Ok(AreaKey::named(name)?),
        None => Ok(AreaKey::grid(point, fallback_cell_m)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_keys_have_computed_centroids() {
        let c = AreaCentroids::new();
        let key = AreaKey::grid(GeoPoint::new(45.0, -75.0).unwrap(), 2_000).unwrap();
        assert_eq!(c.get(&key), key.grid_centre());
        assert!(c.get(&AreaKey::named("Vanier").unwrap()).is_none());
    }

    #[test]
    fn named_lookup_is_insensitive() {
        let c = AreaCentroids::ottawa_sample();
        assert_eq!(
            c.get(&AreaKey::named("ORLÉANS").unwrap()),
            c.get(&AreaKey::named("orleans").unwrap())
        );
        assert!(c.get(&AreaKey::named("Atlantis").unwrap()).is_none());
    }

    #[test]
    fn smallest_area_wins() {
        let areas = NamedAreas::ottawa_sample();
        let byward = GeoPoint::new(45.4292, -75.6920).unwrap();
        assert_eq!(
            area_key_for_point(byward, &areas, 1_000).unwrap().as_str(),
            "area:byward market"
        );
        assert!(area_key_for_point(GeoPoint::new(10.0, 10.0).unwrap(), &areas, 10).is_err());
    }
}
