//! A global equal-area-ish grid for coverage and gap analysis.

use std::fmt;

use crate::model::GeoPoint;

/// Metres per degree of latitude on the mean sphere.
const M_PER_DEG_LAT: f64 = super::distance::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Smallest cell accepted by [`grid_cells`] and [`cell_key`], in km: finer cells could single
/// out a household when residents' locations are counted per cell.
pub const MIN_CELL_KM: f64 = 1.0;

/// A latitude/longitude rectangle in degrees. If `west > east` it crosses the antimeridian.
///
/// # Examples
/// ```
/// use passerelle::{GeoPoint, LatLonBox};
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

/// A stable identifier of a grid cell: the same for a given location and cell size whatever
/// box was enumerated, so counts from different runs can be joined.
///
/// Displayed as `g{cell_m}:{row}:{col}`, e.g. `g5000:2706:1234`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    /// Cell size in metres.
    pub cell_m: u32,
    /// Row, counted north from the south pole.
    pub row: u32,
    /// Column, counted east from the antimeridian (−180°).
    pub col: u32,
}

impl fmt::Display for CellKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "g{}:{}:{}", self.cell_m, self.row, self.col)
    }
}

/// One grid cell: its key and its centre point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridCell {
    /// Stable key.
    pub key: CellKey,
    /// Centre of the cell.
    pub center: GeoPoint,
}

/// The grid geometry for one cell size.
#[derive(Debug, Clone, Copy)]
struct Grid {
    cell_m: u32,
    row_deg: f64,
    rows: u32,
}

impl Grid {
    fn new(cell_km: f64) -> Self {
        let cell_km = if cell_km.is_finite() {
            cell_km.clamp(MIN_CELL_KM, 20_000.0)
        } else {
            MIN_CELL_KM
        };
        let cell_m = (cell_km * 1000.0).round() as u32;
        let row_deg = f64::from(cell_m) / M_PER_DEG_LAT;
        let rows = ((180.0 / row_deg).ceil() as u32).max(1);
        Self {
            cell_m,
            row_deg,
            rows,
        }
    }

    fn row(&self, lat: f64) -> u32 {
        (((lat + 90.0) / self.row_deg).floor().max(0.0) as u32).min(self.rows - 1)
    }

    fn row_center_lat(&self, row: u32) -> f64 {
        (-90.0 + (f64::from(row) + 0.5) * self.row_deg).clamp(-90.0, 90.0)
    }

    /// Columns in `row`: as many whole cells as fit around that latitude's circle (at least 1).
    fn cols(&self, row: u32) -> u32 {
        let circumference_m =
            360.0 * M_PER_DEG_LAT * self.row_center_lat(row).to_radians().cos().abs();
        ((circumference_m / f64::from(self.cell_m)).floor() as u32).max(1)
    }

    fn col(&self, row: u32, lon: f64) -> u32 {
        let cols = self.cols(row);
        let w = 360.0 / f64::from(cols);
        (((lon + 180.0) / w).floor().max(0.0) as u32).min(cols - 1)
    }

    fn cell(&self, row: u32, col: u32) -> Option<GridCell> {
        let w = 360.0 / f64::from(self.cols(row));
        let lon = -180.0 + (f64::from(col) + 0.5) * w;
        let center = GeoPoint::new(self.row_center_lat(row), lon).ok()?;
        Some(GridCell {
            key: CellKey {
                cell_m: self.cell_m,
                row,
                col,
            },
            center,
        })
    }
}

/// The key of the grid cell holding `point`, for cells of about `cell_km` kilometres.
///
/// Rows are `cell_km` tall; each row is split into as many `≈ cell_km`-wide columns as fit at
/// its latitude, so cells have roughly equal area. `cell_km` is clamped to at least
/// [`MIN_CELL_KM`] (and rounded to whole metres) so keys stay coarse enough not to identify
/// a household.
///
/// # Examples
/// ```
/// use passerelle::{cell_key, GeoPoint};
/// let a = cell_key(GeoPoint::new(45.4292, -75.6920).unwrap(), 5.0);
/// let b = cell_key(GeoPoint::new(45.4300, -75.6930).unwrap(), 5.0);
/// assert_eq!(a, b);
/// assert_eq!(a.cell_m, 5000);
/// ```
pub fn cell_key(point: GeoPoint, cell_km: f64) -> CellKey {
    let g = Grid::new(cell_km);
    let row = g.row(point.lat());
    CellKey {
        cell_m: g.cell_m,
        row,
        col: g.col(row, point.lon()),
    }
}

/// Every grid cell (see [`cell_key`]) overlapping `bbox`, row by row from south to north,
/// west to east, with its stable key and centre. Lazy: nothing is allocated up front.
///
/// # Examples
/// ```
/// use passerelle::{cell_key, grid_cells, GeoPoint, LatLonBox};
/// let bbox = LatLonBox::new(
///     GeoPoint::new(45.20, -75.95).unwrap(),
///     GeoPoint::new(45.50, -75.50).unwrap(),
/// );
/// let cells: Vec<_> = grid_cells(bbox, 10.0).collect();
/// // About 33 km × 35 km in 10 km cells: 4–5 rows of 4–5 columns.
/// assert!((16..=25).contains(&cells.len()), "{}", cells.len());
/// // Each centre falls in its own cell.
/// assert!(cells.iter().all(|c| cell_key(c.center, 10.0) == c.key));
/// ```
pub fn grid_cells(bbox: LatLonBox, cell_km: f64) -> impl Iterator<Item = GridCell> {
    let g = Grid::new(cell_km);
    let (first, last) = (g.row(bbox.south()), g.row(bbox.north()));
    let (west, east) = (bbox.west(), bbox.east());
    (first..=last).flat_map(move |row| {
        let (w, e) = (g.col(row, west), g.col(row, east));
        let cols = g.cols(row);
        // `west > east` (in degrees) crosses the antimeridian: wrap around.
        let (main, wrapped) = if west <= east {
            (w..=e, None)
        } else {
            (w..=cols - 1, Some(0..=e))
        };
        main.chain(wrapped.into_iter().flatten())
            .filter_map(move |col| g.cell(row, col))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn keys_are_stable_and_coarse() {
        let k = cell_key(pt(45.4292, -75.6920), 0.001);
        assert_eq!(k.cell_m, 1000, "clamped to the minimum");
        assert_eq!(k.to_string(), format!("g1000:{}:{}", k.row, k.col));
        assert_eq!(cell_key(pt(90.0, 0.0), 5.0).col, 0);
        assert_eq!(cell_key(pt(-90.0, 180.0), 5.0).row, 0);
        assert_eq!(
            cell_key(pt(0.0, f64::MAX.min(180.0)), f64::NAN).cell_m,
            1000
        );
    }

    #[test]
    fn antimeridian_box_wraps() {
        let bbox = LatLonBox::new(pt(-1.0, 179.0), pt(1.0, -179.0));
        let cells: Vec<_> = grid_cells(bbox, 50.0).collect();
        assert!(!cells.is_empty());
        assert!(
            cells.iter().all(|c| c.center.lon().abs() > 178.0),
            "{cells:?}"
        );
        let west_first = LatLonBox::new(pt(1.0, -179.0), pt(-1.0, 179.0));
        assert_eq!(west_first.south(), -1.0);
    }

    proptest! {
        #[test]
        fn enumerated_cells_cover_their_box(lat in -89.0f64..89.0, lon in -179.0f64..179.0,
                                             dlat in 0.0f64..1.0, dlon in 0.0f64..1.0,
                                             cell_km in 1.0f64..50.0, u in 0.0f64..1.0, v in 0.0f64..1.0) {
            let bbox = LatLonBox::new(pt(lat, lon), pt(lat + dlat, (lon + dlon).min(180.0)));
            let keys: Vec<_> = grid_cells(bbox, cell_km).map(|c| c.key).collect();
            let inside = pt(lat + u * dlat, (lon + v * dlon).min(180.0));
            prop_assert!(keys.contains(&cell_key(inside, cell_km)));
            let mut sorted = keys.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), keys.len());
        }
    }
}
