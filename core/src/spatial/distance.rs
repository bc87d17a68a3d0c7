//! Great-circle and flat distance models, and the metre-radius → lat/lon box conversion.

use geo::Distance as _;

use crate::model::GeoPoint;

/// Mean Earth radius in metres (IUGG / GRS80 mean radius), the radius `geo::Haversine` uses.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Half the Earth's circumference in metres: no two points are further apart on the sphere.
pub const MAX_DISTANCE_M: f64 = std::f64::consts::PI * EARTH_RADIUS_M;

/// A way of measuring the distance between two WGS84 points.
///
/// The matcher and [`PointIndex`](crate::spatial::PointIndex) users take a `&impl DistanceModel`, so
/// tests can swap in [`Equirectangular`] (or a stub) for [`Haversine`], the default.
///
/// # Units
/// Metres. Implementations must be symmetric, return a finite value `>= 0`, and return 0 for
/// identical points.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::{DistanceModel, Haversine};
/// let byward = GeoPoint::new(45.4292, -75.6920).unwrap();
/// let kanata = GeoPoint::new(45.3088, -75.8987).unwrap();
/// let d_km = Haversine.distance_m(byward, kanata) / 1000.0;
/// assert!((20.0..25.0).contains(&d_km));
/// ```
pub trait DistanceModel {
    /// Distance between `a` and `b`, in metres.
    fn distance_m(&self, a: GeoPoint, b: GeoPoint) -> f64;

    /// Distance between `a` and `b`, in kilometres.
    fn distance_km(&self, a: GeoPoint, b: GeoPoint) -> f64 {
        self.distance_m(a, b) / 1000.0
    }
}

/// Great-circle distance on a sphere of radius [`EARTH_RADIUS_M`] (via `geo::Haversine`).
///
/// Error against the WGS84 ellipsoid is below 0.5 %, far less than the uncertainty of a
/// resident's location; this is the default everywhere.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::{DistanceModel, Haversine};
/// let p = GeoPoint::new(45.0, -75.0).unwrap();
/// assert_eq!(Haversine.distance_m(p, p), 0.0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Haversine;

impl DistanceModel for Haversine {
    fn distance_m(&self, a: GeoPoint, b: GeoPoint) -> f64 {
        haversine_m(a, b)
    }
}

/// Haversine distance in metres; never NaN (near-antipodal rounding is clamped).
#[inline]
pub(crate) fn haversine_m(a: GeoPoint, b: GeoPoint) -> f64 {
    let d = geo::Haversine.distance(a.to_geo(), b.to_geo());
    if d.is_nan() {
        // `a` rounded slightly above 1 for (near-)antipodal points.
        MAX_DISTANCE_M
    } else {
        d
    }
}

/// Haversine distances from one fixed origin, with the origin's trigonometry precomputed.
///
/// Performs exactly the operations of `geo::Haversine::distance(origin, p)` in the same order,
/// so results are bit-identical to [`Haversine`] (a unit test checks this).
#[derive(Debug, Clone, Copy)]
pub(crate) struct HaversineFrom {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl HaversineFrom {
    pub(crate) fn new(origin: GeoPoint) -> Self {
        Self {
            lat: origin.lat(),
            lon: origin.lon(),
            cos_lat: origin.lat().to_radians().cos(),
        }
    }

    /// Distance in metres to (`lon`, `lat`) in degrees.
    #[inline]
    pub(crate) fn distance_m(&self, lon: f64, lat: f64) -> f64 {
        self.distance_m_cos(lon, lat, lat.to_radians().cos())
    }

    /// [`HaversineFrom::distance_m`] with `cos_lat = lat.to_radians().cos()` precomputed by
    /// the caller (a point tested by many searches): the same operations, the same bits.
    #[inline]
    pub(crate) fn distance_m_cos(&self, lon: f64, lat: f64, cos_lat: f64) -> f64 {
        let delta_theta = (lat - self.lat).to_radians();
        let delta_lambda = (lon - self.lon).to_radians();
        let a = (delta_theta / 2.0).sin().powi(2)
            + self.cos_lat * cos_lat * (delta_lambda / 2.0).sin().powi(2);
        let c = 2.0 * a.sqrt().asin();
        let d = EARTH_RADIUS_M * c;
        if d.is_nan() {
            MAX_DISTANCE_M
        } else {
            d
        }
    }

    /// The haversine term `a` (`d = 2R·asin(√a)`) that [`HaversineFrom::distance_m_cos`]
    /// must exceed for a distance above `radius_m`, with a relative safety margin; `None`
    /// when no point on the sphere is that far.
    pub(crate) fn beyond_threshold(radius_m: f64) -> Option<f64> {
        let half = radius_m / (2.0 * EARTH_RADIUS_M);
        (half < std::f64::consts::FRAC_PI_2).then(|| half.sin().powi(2) * (1.0 + 1e-9) + 1e-300)
    }

    /// `true` only if the point is certainly farther than the radius whose
    /// [`HaversineFrom::beyond_threshold`] is `threshold`: a lower bound of the haversine term
    /// from `sin x ≥ x − x³/6` (for `0 ≤ x ≤ π/2`), without trigonometry. `false` means "maybe
    /// within": compute the distance.
    #[inline]
    pub(crate) fn surely_beyond(&self, lon: f64, lat: f64, cos_lat: f64, threshold: f64) -> bool {
        fn sin_lower(x: f64) -> f64 {
            (x - x * x * x / 6.0).max(0.0)
        }
        let half_theta = ((lat - self.lat).to_radians() / 2.0).abs();
        let mut delta_lambda = (lon - self.lon).to_radians().abs();
        if delta_lambda > std::f64::consts::PI {
            // sin²(Δλ/2) has period 2π: the short way round.
            delta_lambda = 2.0 * std::f64::consts::PI - delta_lambda;
        }
        let lat_term = sin_lower(half_theta).powi(2);
        let lon_term = self.cos_lat * cos_lat * sin_lower(delta_lambda / 2.0).powi(2);
        lat_term + lon_term > threshold
    }
}

/// Flat-earth (equirectangular) approximation: longitude differences scaled by the cosine of
/// the mean latitude, then Pythagoras.
///
/// About 3× cheaper than [`Haversine`] and within 0.1 % of it below ~100 km at mid latitudes;
/// useful as a pre-filter or in tests with hand-computable distances. It takes the short way
/// across the antimeridian. Not suitable for long distances or near the poles.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::{DistanceModel, Equirectangular, Haversine};
/// let a = GeoPoint::new(45.42, -75.69).unwrap();
/// let b = GeoPoint::new(45.35, -75.75).unwrap();
/// let flat = Equirectangular.distance_m(a, b);
/// let round = Haversine.distance_m(a, b);
/// assert!((flat - round).abs() / round < 1e-3);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Equirectangular;

impl DistanceModel for Equirectangular {
    fn distance_m(&self, a: GeoPoint, b: GeoPoint) -> f64 {
        let mean_lat = ((a.lat() + b.lat()) / 2.0).to_radians();
        let mut dlon = (b.lon() - a.lon()).abs();
        if dlon > 180.0 {
            dlon = 360.0 - dlon;
        }
        let x = dlon.to_radians() * mean_lat.cos();
        let y = (b.lat() - a.lat()).to_radians();
        (x * x + y * y).sqrt() * EARTH_RADIUS_M
    }
}

/// A latitude/longitude rectangle in degrees that does not cross the antimeridian
/// (`min_lon <= max_lon`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct DegBox {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl DegBox {
    #[inline]
    pub(crate) fn contains(&self, lon: f64, lat: f64) -> bool {
        lon >= self.min_lon && lon <= self.max_lon && lat >= self.min_lat && lat <= self.max_lat
    }
}

/// Slack added to every side of a search box, in degrees (~1 mm), so rounding in the box
/// computation never drops a point the exact distance test would keep.
const BOX_SLACK_DEG: f64 = 1e-8;

/// The lat/lon boxes (one, or two when the circle crosses the antimeridian) covering every
/// point within `radius_m` of `center` on the sphere.
///
/// The longitude half-width is `asin(sin δ / cos φ)` (δ the angular radius, φ the latitude),
/// the exact extent of a spherical cap; when the cap contains a pole the box spans all
/// longitudes. Latitudes are clamped to ±90.
pub(crate) fn radius_boxes(center: GeoPoint, radius_m: f64) -> ([DegBox; 2], usize) {
    let full = DegBox {
        min_lon: -180.0,
        min_lat: -90.0,
        max_lon: 180.0,
        max_lat: 90.0,
    };
    let empty = full;
    if radius_m.is_nan() || radius_m < 0.0 {
        return ([empty, empty], 0);
    }
    let delta = radius_m / EARTH_RADIUS_M; // radians
    if delta >= std::f64::consts::PI {
        return ([full, empty], 1);
    }
    let delta_deg = delta.to_degrees();
    let slack = BOX_SLACK_DEG + delta_deg * 1e-9;
    let lat = center.lat();
    let lon = center.lon();
    let min_lat = lat - delta_deg - slack;
    let max_lat = lat + delta_deg + slack;
    if min_lat <= -90.0 || max_lat >= 90.0 {
        // The cap contains a pole: every longitude is reachable.
        let b = DegBox {
            min_lon: -180.0,
            min_lat: min_lat.max(-90.0),
            max_lon: 180.0,
            max_lat: max_lat.min(90.0),
        };
        return ([b, empty], 1);
    }
    let s = delta.sin() / lat.to_radians().cos();
    if s.is_nan() || s >= 1.0 || delta >= std::f64::consts::FRAC_PI_2 {
        let b = DegBox {
            min_lon: -180.0,
            min_lat,
            max_lon: 180.0,
            max_lat,
        };
        return ([b, empty], 1);
    }
    let dlon = s.asin().to_degrees() * (1.0 + 1e-9) + BOX_SLACK_DEG;
    let lo = lon - dlon;
    let hi = lon + dlon;
    let mk = |min_lon: f64, max_lon: f64| DegBox {
        min_lon,
        min_lat,
        max_lon,
        max_lat,
    };
    if lo < -180.0 {
        ([mk(-180.0, hi), mk(lo + 360.0, 180.0)], 2)
    } else if hi > 180.0 {
        ([mk(lo, 180.0), mk(-180.0, hi - 360.0)], 2)
    } else {
        ([mk(lo, hi), empty], 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn known_pairs() {
        // ByWard Market → Kanata. Wikipedia ("Kanata, Ontario") places Kanata at 45°18′N 75°55′W,
        // "about 22 km west of the city's downtown core".
        let byward = p(45.4292, -75.6920);
        let kanata = p(45.3, -75.0 - 55.0 / 60.0);
        let d = Haversine.distance_km(byward, kanata);
        assert!((21.0..25.0).contains(&d), "{d}");
        // Published: Paris (48.8566, 2.3522) → London (51.5074, -0.1278) ≈ 343.5 km.
        let d = Haversine.distance_km(p(48.8566, 2.3522), p(51.5074, -0.1278));
        assert!((d - 343.5).abs() < 1.0, "{d}");
        // One degree of latitude ≈ 111.195 km on the mean sphere.
        let d = Haversine.distance_m(p(0.0, 0.0), p(1.0, 0.0));
        assert!((d - 111_195.08).abs() < 1.0, "{d}");
    }

    #[test]
    fn radius_matches_geo() {
        assert_eq!(EARTH_RADIUS_M, geo::Haversine.radius());
    }

    #[test]
    fn surely_beyond_prunes_far_sites_and_keeps_near_ones() {
        let ottawa = p(45.4215, -75.6972);
        let from = HaversineFrom::new(ottawa);
        let t10 = HaversineFrom::beyond_threshold(10_000.0).unwrap();
        let beyond =
            |q: GeoPoint| from.surely_beyond(q.lon(), q.lat(), q.lat().to_radians().cos(), t10);
        // Toronto, 350 km; 11 km due north; 11 km due east; 9 km north-east.
        assert!(beyond(p(43.6532, -79.3832)));
        assert!(beyond(p(45.4215 + 11.0 / 111.2, -75.6972)));
        assert!(beyond(p(45.4215, -75.6972 + 11.0 / (111.2 * 0.7022))));
        let ne = p(45.4215 + 6.3 / 111.2, -75.6972 + 6.3 / (111.2 * 0.7022));
        assert!(Haversine.distance_m(ottawa, ne) < 10_000.0);
        assert!(!beyond(ne));
        assert!(!beyond(ottawa));
        // No radius reaches past the antipode.
        assert!(HaversineFrom::beyond_threshold(MAX_DISTANCE_M).is_none());
    }

    #[test]
    fn antipodes_are_finite() {
        let d = Haversine.distance_m(p(0.0, 0.0), p(0.0, 180.0));
        assert!((d - MAX_DISTANCE_M).abs() < 1.0);
        let d = Haversine.distance_m(p(90.0, 0.0), p(-90.0, 0.0));
        assert!(d.is_finite() && (d - MAX_DISTANCE_M).abs() < 1.0);
    }

    #[test]
    fn antimeridian_is_short() {
        let d = Haversine.distance_m(p(0.0, 179.9), p(0.0, -179.9));
        assert!((d - 22_239.0).abs() < 5.0, "{d}");
        let e = Equirectangular.distance_m(p(0.0, 179.9), p(0.0, -179.9));
        assert!((d - e).abs() < 1.0, "{e}");
    }

    #[test]
    fn boxes_split_at_antimeridian_and_open_at_poles() {
        let (b, n) = radius_boxes(p(0.0, 179.99), 10_000.0);
        assert_eq!(n, 2);
        assert!(b[0].contains(179.995, 0.0) || b[1].contains(179.995, 0.0));
        assert!(b[0].contains(-179.99, 0.0) || b[1].contains(-179.99, 0.0));
        let (b, n) = radius_boxes(p(89.99, 0.0), 5_000.0);
        assert_eq!(n, 1);
        assert_eq!(
            (b[0].min_lon, b[0].max_lon, b[0].max_lat),
            (-180.0, 180.0, 90.0)
        );
        let (_, n) = radius_boxes(p(0.0, 0.0), -1.0);
        assert_eq!(n, 0);
        let (b, n) = radius_boxes(p(0.0, 0.0), f64::INFINITY);
        assert_eq!((n, b[0].min_lat), (1, -90.0));
    }

    fn arb_point() -> impl Strategy<Value = GeoPoint> {
        (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(a, o)| p(a, o))
    }

    proptest! {
        #[test]
        fn haversine_symmetric_nonnegative(a in arb_point(), b in arb_point()) {
            let d1 = Haversine.distance_m(a, b);
            let d2 = Haversine.distance_m(b, a);
            prop_assert!(d1 >= 0.0 && d1.is_finite());
            prop_assert!((d1 - d2).abs() <= 1e-6 * d1.max(1.0));
            prop_assert!(d1 <= MAX_DISTANCE_M + 1e-3);
            prop_assert_eq!(Haversine.distance_m(a, a), 0.0);
        }

        #[test]
        fn surely_beyond_is_a_lower_bound(
            a in arb_point(),
            b in arb_point(),
            near in proptest::bool::ANY,
            radius_m in 0.0..3.0e7f64,
            small in 0.0..1.0e5f64,
        ) {
            // Half the cases put the radius within 100 km of the true distance, where
            // rounding matters.
            let from = HaversineFrom::new(a);
            let d = from.distance_m(b.lon(), b.lat());
            let radius_m = if near { (d - small / 100.0).max(0.0) + small % 3.0 } else { radius_m };
            if let Some(t) = HaversineFrom::beyond_threshold(radius_m) {
                if from.surely_beyond(b.lon(), b.lat(), b.lat().to_radians().cos(), t) {
                    prop_assert!(d > radius_m, "{d} <= {radius_m}");
                }
            } else {
                prop_assert!(radius_m >= MAX_DISTANCE_M * 0.999_999);
            }
        }

        #[test]
        fn precomputed_origin_is_bit_identical(a in arb_point(), b in arb_point()) {
            let d = HaversineFrom::new(a).distance_m(b.lon(), b.lat());
            prop_assert_eq!(d.to_bits(), Haversine.distance_m(a, b).to_bits());
        }

        #[test]
        fn equirectangular_symmetric_nonnegative(a in arb_point(), b in arb_point()) {
            let d1 = Equirectangular.distance_m(a, b);
            prop_assert!(d1 >= 0.0 && d1.is_finite());
            prop_assert!((d1 - Equirectangular.distance_m(b, a)).abs() <= 1e-6 * d1.max(1.0));
        }

        #[test]
        fn boxes_cover_the_cap(
            c in arb_point(),
            dlat in -40.0f64..40.0,
            dlon in -60.0f64..60.0,
            r in 0.0f64..3.0e6,
        ) {
            let mut lon = c.lon() + dlon;
            if lon > 180.0 { lon -= 360.0 } else if lon < -180.0 { lon += 360.0 }
            let q = p((c.lat() + dlat).clamp(-90.0, 90.0), lon);
            if Haversine.distance_m(c, q) <= r {
                let (b, n) = radius_boxes(c, r);
                let hit = b.iter().take(n).any(|b| b.contains(q.lon(), q.lat()));
                prop_assert!(hit, "{c:?} {q:?} {r}");
            }
        }
    }
}
