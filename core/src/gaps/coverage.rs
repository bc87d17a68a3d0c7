//! Coverage scans: for each area and need, how far the nearest in-person service is and how
//! many are within reach, to find service deserts.

use crate::matching::{Navigator, DEFAULT_MAX_DISTANCE_M};
use crate::model::{GeoPoint, TermCode};
use crate::referrals::{grid_steps, AreaKey, MIN_GRID_CELL_M};
use crate::spatial::{DistanceModel, Haversine, LatLonBox, NamedAreas};

use super::centroids::AreaCentroids;
use super::directory::{Coverage, Outreach, ServiceTable, NO_GROUP};
use super::error::GapError;

/// Most rows (areas × needs) one coverage scan may produce: 5 million, about 100 times the
/// City of Ottawa (≈ 5 700 one-kilometre cells in its bounding box) × 30 needs.
pub const MAX_COVERAGE_ROWS: u64 = 5_000_000;

/// Options of [`coverage_grid`] and [`coverage_areas`].
#[derive(Debug, Clone)]
pub struct CoverageOptions {
    /// Needs to scan (taxonomy codes). Empty (the default): every need code of the
    /// directory's taxonomy that some active service is filed at or under. A service serves a
    /// need when one of its codes is the need or lies below it (`food.bank` serves `food`).
    pub needs: Vec<TermCode>,
    /// "Within reach" distance in metres (default
    /// [`DEFAULT_MAX_DISTANCE_M`](crate::matching::DEFAULT_MAX_DISTANCE_M), 10 km).
    pub reach_m: f64,
    /// Gazetteer for service areas given by name only (default: the Ottawa sample's).
    pub named_areas: NamedAreas,
}

impl Default for CoverageOptions {
    fn default() -> Self {
        Self {
            needs: Vec::new(),
            reach_m: DEFAULT_MAX_DISTANCE_M,
            named_areas: NamedAreas::ottawa_sample(),
        }
    }
}

impl CoverageOptions {
    fn validate(&self) -> Result<(), GapError> {
        if !(self.reach_m.is_finite() && self.reach_m >= 0.0) {
            return Err(GapError::InvalidOption {
                option: "reach_m",
                why: "a finite distance of 0 m or more",
            });
        }
        Ok(())
    }
}

/// Supply of one need around one area's centroid.
///
/// Only active services count, and only where their declared service area (if any) does not
/// exclude the centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageCell {
    /// The area (a `grid:` cell for [`coverage_grid`]).
    pub area: AreaKey,
    /// Where distances are measured from: the cell centre or the area's centroid.
    pub centroid: GeoPoint,
    /// The need.
    pub need: TermCode,
    /// Distance in whole metres to the nearest in-person site (a service at a physical
    /// location) serving the need, however far; `None` if there is none.
    pub nearest_m: Option<f64>,
    /// In-person sites serving the need within `reach_m` (a service at two locations counts
    /// twice).
    pub in_person_within_reach: u32,
    /// Services that come to the resident (home visits, delivery, mobile outreach) whose
    /// declared area covers the centroid, or, with no declared area, whose base is within
    /// `reach_m` (or unknown).
    pub comes_to_resident: u32,
    /// Phone and online services whose declared area covers the centroid or that declare
    /// none.
    pub remote_services: u32,
}

/// The `grid:` area keys of every cell of `cell_km` kilometres (≥ 1, rounded to whole metres)
/// overlapping `bbox`, row by row from south to north, west to east. These are the same
/// cells as [`AreaKey::grid`], so coverage rows join gap rows on `area`.
///
/// # Errors
/// [`GapError::InvalidOption`] for a cell below 1 km (or not finite),
/// [`GapError::TooLarge`] for more than [`MAX_COVERAGE_ROWS`] cells.
///
/// # Examples
/// ```
/// use passerelle::gaps::grid_area_keys;
/// use passerelle::model::GeoPoint;
/// use passerelle::referrals::AreaKey;
/// use passerelle::spatial::LatLonBox;
/// let bbox = LatLonBox::new(GeoPoint::new(45.40, -75.72).unwrap(), GeoPoint::new(45.45, -75.65).unwrap());
/// let keys = grid_area_keys(bbox, 2.0).unwrap();
/// let inside = AreaKey::grid(GeoPoint::new(45.42, -75.69).unwrap(), 2_000).unwrap();
/// assert!(keys.contains(&inside));
/// ```
pub fn grid_area_keys(bbox: LatLonBox, cell_km: f64) -> Result<Vec<AreaKey>, crate::Error> {
    let cell_m = cell_m(cell_km)?;
    let spans = grid_spans(bbox, cell_m);
    let total: u64 = spans.iter().map(|(_, c)| c.len()).sum();
    check_rows(total, 1)?;
    Ok(spans
        .into_iter()
        .flat_map(|(row, cols)| {
            cols.iter()
                .filter_map(move |col| AreaKey::from_grid_parts(cell_m, row, col))
        })
        .collect())
}

fn cell_m(cell_km: f64) -> Result<u32, GapError> {
    let m = (cell_km * 1000.0).round();
    if !(m.is_finite() && m >= f64::from(MIN_GRID_CELL_M) && m <= 20_000_000.0) {
        return Err(GapError::InvalidOption {
            option: "cell_km",
            why: "a cell size of at least 1 km",
        });
    }
    Ok(m as u32)
}

fn check_rows(areas: u64, needs: usize) -> Result<(), GapError> {
    let rows = areas.saturating_mul(needs as u64);
    if rows > MAX_COVERAGE_ROWS {
        return Err(GapError::TooLarge {
            rows,
            max: MAX_COVERAGE_ROWS,
        });
    }
    Ok(())
}

/// Columns of one grid row: one range, or two when the box crosses the antimeridian.
#[derive(Debug, Clone)]
struct Cols(
    std::ops::RangeInclusive<i64>,
    Option<std::ops::RangeInclusive<i64>>,
);

impl Cols {
    fn len(&self) -> u64 {
        let n =
            |r: &std::ops::RangeInclusive<i64>| u64::try_from(r.end() - r.start() + 1).unwrap_or(0);
        n(&self.0) + self.1.as_ref().map_or(0, n)
    }
    fn iter(&self) -> impl Iterator<Item = i64> {
        self.0.clone().chain(self.1.clone().into_iter().flatten())
    }
}

fn grid_spans(bbox: LatLonBox, cell_m: u32) -> Vec<(i64, Cols)> {
    let (dlat, _) = grid_steps(cell_m, 0);
    let first = (bbox.south() / dlat).floor() as i64;
    let last = (bbox.north() / dlat).floor() as i64;
    (first..=last)
        .map(|row| {
            let (_, dlon) = grid_steps(cell_m, row);
            let col = |lon: f64| (lon / dlon).floor() as i64;
            let cols = if bbox.west() <= bbox.east() {
                Cols(col(bbox.west())..=col(bbox.east()), None)
            } else {
                Cols(
                    col(bbox.west())..=col(180.0 - 1e-9),
                    Some(col(-180.0)..=col(bbox.east())),
                )
            };
            (row, cols)
        })
        .collect()
}

/// Scans every `cell_km` grid cell (≥ 1 km) overlapping `bbox`: for each cell and need, the
/// nearest in-person service and the counts within reach, measured from the cell centre.
/// Rows come cell by cell (south to north, west to east), needs in code order.
///
/// Each need gets its own [`PointIndex`](crate::spatial::PointIndex) of in-person sites, so a cell
/// costs one radius query per need (plus one nearest query when nothing is within reach):
/// the City of Ottawa at 1 km × 30 needs is ≈ 170 000 rows.
///
/// # Errors
/// [`GapError`] (inside [`crate::Error::Gap`]) for a cell below 1 km, an invalid reach, or
/// more than [`MAX_COVERAGE_ROWS`] rows.
///
/// # Examples
/// ```
/// use passerelle::{gaps::coverage_grid, gaps::CoverageOptions, Directory, model::GeoPoint, spatial::LatLonBox, Navigator,
///     NavigatorOptions, model::TermCode};
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
/// let bbox = LatLonBox::new(GeoPoint::new(45.41, -75.71).unwrap(), GeoPoint::new(45.44, -75.67).unwrap());
/// let opts = CoverageOptions { needs: vec![TermCode::new("food").unwrap()], ..Default::default() };
/// let cells = coverage_grid(&nav, bbox, 1.0, &opts).unwrap();
/// assert!(cells.iter().all(|c| c.nearest_m.is_some_and(|d| d < 3_000.0)));
/// ```
pub fn coverage_grid(
    nav: &Navigator,
    bbox: LatLonBox,
    cell_km: f64,
    options: &CoverageOptions,
) -> Result<Vec<CoverageCell>, crate::Error> {
    options.validate()?;
    let cell_m = cell_m(cell_km)?;
    let spans = grid_spans(bbox, cell_m);
    let table = ServiceTable::build(nav.directory(), &options.needs);
    let cells: u64 = spans.iter().map(|(_, c)| c.len()).sum();
    check_rows(cells, table.needs.len())?;
    let areas = spans.into_iter().flat_map(|(row, cols)| {
        cols.iter().filter_map(move |col| {
            let key = AreaKey::from_grid_parts(cell_m, row, col)?;
            let centre = key.grid_centre()?;
            Some((key, centre))
        })
    });
    Ok(scan(&table, areas, options))
}

/// Like [`coverage_grid`], over given areas measured from their centroids (see
/// [`AreaCentroids`]); areas without a known centroid are skipped. Rows come in the order of
/// `areas`, needs in code order.
///
/// # Errors
/// As [`coverage_grid`] (invalid reach, too many rows).
pub fn coverage_areas(
    nav: &Navigator,
    areas: &[AreaKey],
    centroids: &AreaCentroids,
    options: &CoverageOptions,
) -> Result<Vec<CoverageCell>, crate::Error> {
    options.validate()?;
    let table = ServiceTable::build(nav.directory(), &options.needs);
    check_rows(areas.len() as u64, table.needs.len())?;
    let placed = areas
        .iter()
        .filter_map(|a| Some((a.clone(), centroids.get(a)?)));
    Ok(scan(&table, placed, options))
}

fn scan(
    table: &ServiceTable,
    areas: impl Iterator<Item = (AreaKey, GeoPoint)>,
    options: &CoverageOptions,
) -> Vec<CoverageCell> {
    let reach_m = options.reach_m;
    let mut cov = Coverage::new(&table.groups, &options.named_areas);
    let mut out = Vec::new();
    for (area, centre) in areas {
        cov.at(centre);
        for (need, supply) in table.needs.iter().zip(&table.supply) {
            let mut within = 0u32;
            let mut nearest = f64::INFINITY;
            supply.sites.for_each_within_m(centre, reach_m, |h| {
                let g = table.sites.get(h.id as usize).map_or(NO_GROUP, |s| s.group);
                if cov.covers(g) {
                    within += 1;
                    nearest = nearest.min(h.distance_m);
                }
            });
            if within == 0 {
                nearest = supply
                    .sites
                    .nearest_k(centre, 1, |id| {
                        let g = table.sites.get(id as usize).map_or(NO_GROUP, |s| s.group);
                        cov.covers(g)
                    })
                    .first()
                    .map_or(f64::INFINITY, |h| h.distance_m);
            }
            let comes = count_services(&supply.comes, |o| {
                if o.group == NO_GROUP {
                    o.point
                        .is_none_or(|p| Haversine.distance_m(p, centre) <= reach_m)
                } else {
                    cov.declared(o.group)
                }
            });
            let remote = count_services(&supply.remote, |o| cov.covers(o.group));
            out.push(CoverageCell {
                area: area.clone(),
                centroid: centre,
                need: need.clone(),
                nearest_m: nearest.is_finite().then(|| nearest.round()),
                in_person_within_reach: within,
                comes_to_resident: comes,
                remote_services: remote,
            });
        }
    }
    out
}

/// Distinct services (entries are sorted by service) with at least one entry passing `ok`.
fn count_services(entries: &[Outreach], mut ok: impl FnMut(&Outreach) -> bool) -> u32 {
    let mut n = 0u32;
    let mut last = u32::MAX;
    for o in entries {
        if o.service != last && ok(o) {
            n += 1;
            last = o.service;
        }
    }
    n
}
