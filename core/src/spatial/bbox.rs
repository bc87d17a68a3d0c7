//! Latitude/longitude boxes (the extent of a coverage scan). The grid itself is
//! [`AreaKey::grid`](crate::referrals::AreaKey::grid): one grid for unmet-need keys and coverage scans.

use crate::model::GeoPoint;

/// A latitude/longitude rectangle in degrees. If `west > east` it crosses the antimeridian.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::LatLonBox;
/// let ottawa = LatLonBox::new(
///     GeoPoint::new(44.96, -76.36).unwrap(),
///     GeoPoint::new(45.54, -75.25).unwrap(),
/// );
/// assert_eq!(ottawa.south(), 44.96);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLonBox {
    south_west: GeoPoint,
    north_east: GeoPoint,
}

impl LatLonBox {
    /// A box from its south-west and north-east corners. Latitudes are swapped if given in the
    /// wrong order; longitudes are kept (west > east means crossing the antimeridian).
    pub fn new(south_west: GeoPoint, north_east: GeoPoint) -> Self {
        if south_west.lat() <= north_east.lat() {
            Self {
                south_west,
                north_east,
            }
        } else {
            // Both points are valid, so recombining their coordinates is too.
            match (
                GeoPoint::new(north_east.lat(), south_west.lon()),
                GeoPoint::new(south_west.lat(), north_east.lon()),
            ) {
                (Ok(sw), Ok(ne)) => Self {
                    south_west: sw,
                    north_east: ne,
                },
                _ => Self {
                    south_west,
                    north_east,
                },
            }
        }
    }
    /// Southern latitude, degrees.
    pub fn south(&self) -> f64 {
        self.south_west.lat()
    }
    /// Northern latitude, degrees.
    pub fn north(&self) -> f64 {
        self.north_east.lat()
    }
    /// Western longitude, degrees.
    pub fn west(&self) -> f64 {
        self.south_west.lon()
    }
    /// Eastern longitude, degrees.
    pub fn east(&self) -> f64 {
        self.north_east.lon()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn latitudes_in_the_wrong_order_are_swapped_longitudes_kept() {
        let b = LatLonBox::new(pt(1.0, -179.0), pt(-1.0, 179.0));
        assert_eq!((b.south(), b.north()), (-1.0, 1.0));
        assert_eq!((b.west(), b.east()), (-179.0, 179.0));
    }
}
