//! Sites in spatial order, per need term: the index behind the spatial-first candidate plan.
//!
//! For each need term, the site-only SALs (`Sals::site_only`: a point, no remote delivery, no
//! service area a search can test) of the services filed under it, grouped by grid cell
//! (`CELL_DEG` degrees of latitude and longitude) in (row, column) order. A search with a
//! location and a radius reads, per term, only the cells a conservative bound on the
//! haversine distance cannot rule out ([`NearSites::for_each_near`]); every other site of the
//! term is certainly beyond the radius. Per service, how many of its SALs are sites
//! (`sites`) and how many of those are visited in person or by mobile outreach
//! (`sites_visit`) let a search count the far ones without reading them.

use super::{len_u32, modes, Index, NONE};

/// Cell size in degrees (latitude rows and longitude columns), about 2.2 km of latitude.
const CELL_DEG: f64 = 0.02;
/// Offset making cell rows and columns non-negative in a key.
const KEY_BIAS: i64 = 1 << 24;
/// Padding in degrees added to every bound (covers rounding in the bound itself).
const PAD_DEG: f64 = 1e-7;

/// The spatial lists (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct NearSites {
    /// Per term `t`: its cells are `keys[term_cells[t]..term_cells[t + 1]]`.
    term_cells: Vec<u32>,
    /// Cell keys (row, column), ascending within a term.
    keys: Vec<u64>,
    /// Per cell `k`: its SALs are `sals[cell_sals[k]..cell_sals[k + 1]]`.
    cell_sals: Vec<u32>,
    /// SAL indices, ascending within a cell.
    sals: Vec<u32>,
    /// Per service: its site-only SALs.
    pub(crate) sites: Vec<u32>,
    /// Per service: its site-only SALs visited in person or by mobile outreach.
    pub(crate) sites_visit: Vec<u32>,
}

/// Grid row or column of a coordinate in degrees (monotone in `deg`).
fn cell_of(deg: f64) -> i64 {
    (deg / CELL_DEG).floor() as i64
}

/// The key of cell (`row`, `col`): rows major, columns minor.
fn key(row: i64, col: i64) -> u64 {
    let r = (row + KEY_BIAS).clamp(0, 2 * KEY_BIAS) as u64;
    let c = (col + KEY_BIAS).clamp(0, 2 * KEY_BIAS) as u64;
    r << 32 | c
}

impl NearSites {
    /// The lists of `idx` (its postings, SAL points and `site_only` flags must be final).
    pub(crate) fn build(idx: &Index) -> Self {
        let sal = &idx.sal;
        let n_svc = idx.svc.sal_start.len();
        let mut sites = vec![0u32; n_svc];
        let mut sites_visit = vec![0u32; n_svc];
        // Each site's key, once.
        let mut site_key: Vec<u64> = vec![u64::MAX; sal.service.len()];
        for (i, slot) in site_key.iter_mut().enumerate() {
            if !sal.site_only.get(i).copied().unwrap_or(false) {
                continue;
            }
            let (Some(Some(p)), Some(&s)) = (sal.point.get(i), sal.service.get(i)) else {
                continue;
            };
            *slot = key(cell_of(p.lat()), cell_of(p.lon()));
            if let Some(n) = sites.get_mut(s as usize) {
                *n += 1;
            }
            if sal.modes.get(i).copied().unwrap_or(0) & modes::VISIT != 0 {
                if let Some(n) = sites_visit.get_mut(s as usize) {
                    *n += 1;
                }
            }
        }
        let mut out = Self {
            term_cells: Vec::with_capacity(idx.postings.len() + 1),
            sites,
            sites_visit,
            ..Self::default()
        };
        out.term_cells.push(0);
        let mut entries: Vec<(u64, u32)> = Vec::new();
        for list in &idx.postings {
            entries.clear();
            for &s in list {
                let Some((a, b)) = idx.svc.sal_range(s as usize) else {
                    continue;
                };
                for i in a..b {
                    match site_key.get(i as usize).copied() {
                        Some(k) if k != u64::MAX => entries.push((k, i)),
                        _ => {}
                    }
                }
            }
            entries.sort_unstable();
            entries.dedup();
            for (n, &(k, i)) in entries.iter().enumerate() {
                if n == 0 || entries.get(n - 1).is_some_and(|prev| prev.0 != k) {
                    out.keys.push(k);
                    out.cell_sals.push(len_u32(out.sals.len()));
                }
                out.sals.push(i);
            }
            out.term_cells.push(len_u32(out.keys.len()));
        }
        out.cell_sals.push(len_u32(out.sals.len()));
        out
    }

    /// Heap bytes of the lists.
    #[cfg(test)]
    pub(crate) fn memory_bytes(&self) -> usize {
        (self.term_cells.len() + self.cell_sals.len() + self.sals.len())
            * std::mem::size_of::<u32>()
            + self.keys.len() * std::mem::size_of::<u64>()
            + (self.sites.len() + self.sites_visit.len()) * std::mem::size_of::<u32>()
    }

    /// Term `t` has sites.
    pub(crate) fn has_sites(&self, t: u32) -> bool {
        let (a, b) = self.term_range(t);
        a < b
    }

    fn term_range(&self, t: u32) -> (usize, usize) {
        let a = self.term_cells.get(t as usize).copied().unwrap_or(0) as usize;
        let b = self.term_cells.get(t as usize + 1).copied().unwrap_or(0) as usize;
        (a, b.max(a))
    }

    /// Calls `visit` with every site of term `t` that may lie within the radius of
    /// `bound` (and some beyond it); the sites it leaves out are certainly beyond.
    pub(crate) fn for_each_near(&self, t: u32, bound: &NearBound, mut visit: impl FnMut(u32)) {
        let (a, b) = self.term_range(t);
        let Some(cells) = self.keys.get(a..b) else {
            return;
        };
        for row in bound.row_lo..=bound.row_hi {
            let (col_lo, col_hi) = bound.cols(row);
            let lo = cells.partition_point(|&k| k < key(row, col_lo));
            let hi = cells.partition_point(|&k| k <= key(row, col_hi));
            if lo >= hi {
                continue;
            }
            let first = self.cell_sals.get(a + lo).copied().unwrap_or(NONE) as usize;
            let last = self.cell_sals.get(a + hi).copied().unwrap_or(0) as usize;
            for &i in self.sals.get(first..last).unwrap_or(&[]) {
                visit(i);
            }
        }
    }
}

/// The grid cells that may hold a point within a radius of an origin.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NearBound {
    lon: f64,
    cos_lat: f64,
    /// `HaversineFrom::beyond_threshold` of the radius.
    threshold: f64,
    row_lo: i64,
    row_hi: i64,
}

impl NearBound {
    /// The bound around (`lat`, `lon`) in degrees for the haversine term `threshold`
    /// (`HaversineFrom::beyond_threshold`): a point farther than the radius has the
    /// haversine term `a = sin²(Δφ/2) + cos φ₀ cos φ sin²(Δλ/2)` above `threshold`. `None`
    /// when the radius reaches a pole (the grid would not narrow the search).
    pub(crate) fn new(lat: f64, lon: f64, threshold: f64) -> Option<Self> {
        if !(threshold > 0.0 && threshold < 1.0 && lat.is_finite() && lon.is_finite()) {
            return None;
        }
        // sin²(Δφ/2) ≤ a: beyond `dlat` of latitude, a point is beyond the radius.
        let dlat = (2.0 * threshold.sqrt().asin()).to_degrees() + PAD_DEG;
        if lat - dlat <= -90.0 || lat + dlat >= 90.0 {
            return None;
        }
        Some(Self {
            lon,
            cos_lat: lat.to_radians().cos(),
            threshold,
            row_lo: cell_of(lat - dlat),
            row_hi: cell_of(lat + dlat),
        })
    }

    /// The columns of `row` that may hold a point within the radius (all of them when the
    /// bound would wrap around the antimeridian).
    fn cols(&self, row: i64) -> (i64, i64) {
        const ALL: (i64, i64) = (i64::MIN / 4, i64::MAX / 4);
        // Every point of the row has cos φ at least `cos_min` (cos is concave on the row).
        let lat_a = ((row as f64) * CELL_DEG - PAD_DEG).clamp(-90.0, 90.0);
        let lat_b = ((row as f64 + 1.0) * CELL_DEG + PAD_DEG).clamp(-90.0, 90.0);
        let cos_min = lat_a.to_radians().cos().min(lat_b.to_radians().cos());
        let denom = self.cos_lat * cos_min;
        if denom.is_nan() || denom <= 0.0 {
            return ALL;
        }
        // cos φ₀ · cos_min · sin²(Δλ/2) ≤ a.
        let k = self.threshold / denom;
        if k.is_nan() || k >= 1.0 {
            return ALL;
        }
        let dlon = (2.0 * k.sqrt().asin()).to_degrees() * (1.0 + 1e-9) + PAD_DEG;
        let (lo, hi) = (self.lon - dlon, self.lon + dlon);
        if lo < -180.0 || hi > 180.0 {
            return ALL;
        }
        (cell_of(lo), cell_of(hi))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::HaversineFrom;
    use proptest::prelude::*;

    /// Every cell the bound leaves out holds only points beyond the radius.
    fn left_out_is_beyond(lat: f64, lon: f64, r: f64, plat: f64, plon: f64) -> bool {
        let Some(t) = HaversineFrom::beyond_threshold(r) else {
            return true;
        };
        let Some(b) = NearBound::new(lat, lon, t) else {
            return true;
        };
        let (row, col) = (cell_of(plat), cell_of(plon));
        let inside = (b.row_lo..=b.row_hi).contains(&row) && {
            let (lo, hi) = b.cols(row);
            (lo..=hi).contains(&col)
        };
        let d = HaversineFrom::new(crate::model::GeoPoint::new(lat, lon).unwrap())
            .distance_m(plon, plat);
        inside || d > r
    }

    #[test]
    fn near_points_are_in_the_bound() {
        // 9.99 km north, east, west of Toronto; across the antimeridian; near a pole.
        assert!(left_out_is_beyond(
            43.65,
            -79.38,
            10_000.0,
            43.65 + 9.99 / 111.2,
            -79.38
        ));
        assert!(left_out_is_beyond(
            43.65,
            -79.38,
            10_000.0,
            43.65,
            -79.38 + 0.1238
        ));
        assert!(left_out_is_beyond(
            43.65,
            -79.38,
            10_000.0,
            43.65,
            -79.38 - 0.1238
        ));
        assert!(left_out_is_beyond(0.0, 179.99, 10_000.0, 0.0, -179.99));
        assert!(
            NearBound::new(89.99, 0.0, HaversineFrom::beyond_threshold(5e3).unwrap()).is_none()
        );
    }

    proptest! {
        #[test]
        fn the_bound_never_leaves_out_a_point_within_the_radius(
            lat in -80.0f64..80.0,
            lon in -180.0f64..180.0,
            r in 0.0f64..200_000.0,
            dlat in -3.0f64..3.0,
            dlon in -4.0f64..4.0,
        ) {
            let plat = (lat + dlat).clamp(-90.0, 90.0);
            let mut plon = lon + dlon;
            if plon > 180.0 { plon -= 360.0 }
            if plon < -180.0 { plon += 360.0 }
            prop_assert!(left_out_is_beyond(lat, lon, r, plat, plon));
        }
    }
}
