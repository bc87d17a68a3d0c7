//! [`PointIndex`]: a static, bulk-loaded k-d tree over service-at-location points.

use std::cmp::Ordering;

use super::distance::{radius_boxes, DegBox, HaversineFrom, MAX_DISTANCE_M};
use crate::model::GeoPoint;

/// Items per leaf. 64 measured best at 100k–1M points (see `benches/RESULTS.md`).
const NODE_SIZE: usize = 64;

/// Radius of the first round of the growing nearest-neighbour search, in metres.
const FIRST_ROUND_M: f64 = 1_000.0;

/// One result of a [`PointIndex`] query: the caller's item id and its great-circle distance
/// from the query centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// The id given to [`PointIndex::new`] (an index into the caller's arrays).
    pub id: u32,
    /// Haversine distance from the query centre, in metres.
    pub distance_m: f64,
}

impl Hit {
    /// Orders by distance, then by id, so sorted results are deterministic.
    fn cmp_by_distance(&self, other: &Self) -> Ordering {
        self.distance_m
            .total_cmp(&other.distance_m)
            .then(self.id.cmp(&other.id))
    }
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    lon: f64,
    lat: f64,
    id: u32,
}

/// A read-only spatial index over points, each carrying a `u32` id (typically the position
/// of a service-at-location in the matcher's arrays).
///
/// Built once with [`PointIndex::new`] (a k-d tree sorted in place, like *kdbush*: one flat
/// array of 24-byte entries, no per-node allocations), then queried concurrently: it is
/// `Send + Sync` and every query takes `&self`.
///
/// All queries measure great-circle ([`Haversine`](crate::spatial::Haversine)) distance in metres and
/// are exact: a metre radius is converted to one or two latitude/longitude boxes (wider in
/// longitude away from the equator, split at the antimeridian, all longitudes when the circle
/// contains a pole), the tree is searched for those boxes, and each candidate's true distance
/// is then compared with the radius. Items exactly at `radius_m` are included.
///
/// Duplicate ids are allowed and returned as separate hits.
///
/// # Examples
/// ```
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::PointIndex;
/// let pts = [
///     (0, GeoPoint::new(45.4292, -75.6920).unwrap()), // ByWard Market
///     (1, GeoPoint::new(45.3088, -75.8987).unwrap()), // Kanata
///     (2, GeoPoint::new(45.4215, -75.6972).unwrap()), // Parliament
/// ];
/// let index = PointIndex::new(pts);
/// let here = GeoPoint::new(45.4250, -75.6950).unwrap();
///
/// // Everything within 2 km (unsorted).
/// let mut ids: Vec<u32> = index.within_m(here, 2_000.0).iter().map(|h| h.id).collect();
/// ids.sort();
/// assert_eq!(ids, [0, 2]);
///
/// // Nearest first, only even ids, at most 1 result.
/// let hits = index.nearest_within_m(here, 50_000.0, 1, |id| id % 2 == 0);
/// assert_eq!(hits.len(), 1);
/// assert_eq!(hits[0].id, 2);
///
/// // The 2 nearest odd ids, however far.
/// let hits = index.nearest_k(here, 2, |id| id % 2 == 1);
/// assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), [1]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct PointIndex {
    entries: Vec<Entry>,
}

impl PointIndex {
    /// Builds the index from `(id, point)` pairs. `O(n log n)`; under 10 ms per 100 000
    /// points on the reference machine.
    pub fn new(items: impl IntoIterator<Item = (u32, GeoPoint)>) -> Self {
        let mut entries: Vec<Entry> = items
            .into_iter()
            .map(|(id, p)| Entry {
                lon: p.lon(),
                lat: p.lat(),
                id,
            })
            .collect();
        entries.shrink_to_fit();
        sort_kd(&mut entries, true);
        Self { entries }
    }

    /// Number of indexed points.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` if no point is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Heap and inline size of the index, in bytes (24 bytes per point plus a few words).
    pub fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.entries.capacity() * std::mem::size_of::<Entry>()
    }

    /// Calls `visit` for every item within `radius_m` metres of `center`, in no particular
    /// order, without allocating. A negative or NaN radius matches nothing; a radius of half
    /// the Earth's circumference or more matches everything.
    pub fn for_each_within_m(&self, center: GeoPoint, radius_m: f64, visit: impl FnMut(Hit)) {
        self.scan(center, radius_m, |_| true, visit);
    }

    /// The search loop: `keep` runs first (for items in the search box, a superset of the
    /// circle, so a cheap category test saves most distance computations), then the exact
    /// distance test.
    fn scan(
        &self,
        center: GeoPoint,
        radius_m: f64,
        mut keep: impl FnMut(u32) -> bool,
        mut visit: impl FnMut(Hit),
    ) {
        let (boxes, n) = radius_boxes(center, radius_m);
        let from = HaversineFrom::new(center);
        for b in boxes.iter().take(n) {
            search(&self.entries, b, true, &mut |e: &Entry| {
                if keep(e.id) {
                    let d = from.distance_m(e.lon, e.lat);
                    if d <= radius_m {
                        visit(Hit {
                            id: e.id,
                            distance_m: d,
                        });
                    }
                }
            });
        }
    }

    /// All items within `radius_m` metres of `center`, **unsorted**.
    ///
    /// # Units
    /// `radius_m` and [`Hit::distance_m`] are metres.
    pub fn within_m(&self, center: GeoPoint, radius_m: f64) -> Vec<Hit> {
        let mut out = Vec::new();
        self.for_each_within_m(center, radius_m, |h| out.push(h));
        out
    }

    /// Items within `radius_m` metres of `center` for which `keep(id)` is true, **sorted by
    /// distance** (ties by id), at most `limit` of them: the matcher's "candidates near the
    /// resident that serve the need".
    ///
    /// The search grows outwards (1 km, then ×4 per round, up to `radius_m`) and stops at the
    /// first round that finds `limit` items, so in a dense city core a 50 km query costs
    /// about as much as a 1–4 km one. `keep` runs *before* the distance test on the items in
    /// each round's search box, so a rejected item costs no distance computation; it may be
    /// called several times for the same id and must be a cheap, pure test such as a
    /// category bitset intersection.
    pub fn nearest_within_m(
        &self,
        center: GeoPoint,
        radius_m: f64,
        limit: usize,
        mut keep: impl FnMut(u32) -> bool,
    ) -> Vec<Hit> {
        if limit == 0 || radius_m.is_nan() || radius_m < 0.0 || self.entries.is_empty() {
            return Vec::new();
        }
        let mut round_m = radius_m.min(FIRST_ROUND_M);
        loop {
            let mut out = Vec::new();
            self.scan(center, round_m, &mut keep, |h| out.push(h));
            // Everything outside this round's circle is further than everything inside it, so
            // `limit` hits inside are the `limit` nearest overall.
            if out.len() >= limit || round_m >= radius_m {
                return sorted_prefix(out, limit);
            }
            round_m *= 4.0;
            if round_m >= MAX_DISTANCE_M {
                round_m = f64::INFINITY;
            }
            round_m = round_m.min(radius_m);
        }
    }

    /// The `k` items nearest to `center` for which `keep(id)` is true, sorted by distance
    /// (ties by id), however far away they are. Returns fewer than `k` only if fewer items pass
    /// `keep`. Same search and the same requirements on `keep` as
    /// [`nearest_within_m`](Self::nearest_within_m) with an unlimited radius.
    pub fn nearest_k(&self, center: GeoPoint, k: usize, keep: impl FnMut(u32) -> bool) -> Vec<Hit> {
        self.nearest_within_m(center, f64::INFINITY, k, keep)
    }
}

/// Sorts `hits` by distance and keeps the first `limit`, selecting before sorting when that
/// saves work.
fn sorted_prefix(mut hits: Vec<Hit>, limit: usize) -> Vec<Hit> {
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by(limit - 1, Hit::cmp_by_distance);
        hits.truncate(limit);
    }
    hits.truncate(limit);
    hits.sort_unstable_by(Hit::cmp_by_distance);
    hits
}

#[inline]
fn key(e: &Entry, by_lon: bool) -> f64 {
    if by_lon {
        e.lon
    } else {
        e.lat
    }
}

/// Sorts `entries` into an implicit k-d tree: the median (by longitude, then latitude,
/// alternating) sits at `len / 2`, smaller-or-equal keys before it, greater-or-equal after.
fn sort_kd(entries: &mut [Entry], by_lon: bool) {
    if entries.len() <= NODE_SIZE {
        return;
    }
    let m = entries.len() / 2;
    entries.select_nth_unstable_by(m, |a, b| key(a, by_lon).total_cmp(&key(b, by_lon)));
    let (left, right) = entries.split_at_mut(m);
    sort_kd(left, !by_lon);
    if let Some((_, right)) = right.split_first_mut() {
        sort_kd(right, !by_lon);
    }
}

/// Visits every entry inside `b`, mirroring the layout [`sort_kd`] produced.
fn search(entries: &[Entry], b: &DegBox, by_lon: bool, visit: &mut impl FnMut(&Entry)) {
    if entries.len() <= NODE_SIZE {
        for e in entries {
            if b.contains(e.lon, e.lat) {
                visit(e);
            }
        }
        return;
    }
    let (left, right) = entries.split_at(entries.len() / 2);
    let Some((mid, right)) = right.split_first() else {
        return;
    };
    if b.contains(mid.lon, mid.lat) {
        visit(mid);
    }
    let k = key(mid, by_lon);
    let (lo, hi) = if by_lon {
        (b.min_lon, b.max_lon)
    } else {
        (b.min_lat, b.max_lat)
    };
    if lo <= k {
        search(left, b, !by_lon, visit);
    }
    if hi >= k {
        search(right, b, !by_lon, visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spatial::{DistanceModel, Haversine};
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn brute(pts: &[GeoPoint], c: GeoPoint, r: f64) -> Vec<(u32, f64)> {
        let mut v: Vec<_> = pts
            .iter()
            .enumerate()
            .map(|(i, q)| (i as u32, Haversine.distance_m(c, *q)))
            .filter(|(_, d)| *d <= r)
            .collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }

    fn ids(hits: &[Hit]) -> Vec<(u32, f64)> {
        let mut v: Vec<_> = hits.iter().map(|h| (h.id, h.distance_m)).collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }

    #[test]
    fn empty_and_degenerate_queries() {
        let idx = PointIndex::new([]);
        assert!(idx.is_empty());
        assert!(idx.within_m(p(0.0, 0.0), 1e9).is_empty());
        assert!(idx.nearest_k(p(0.0, 0.0), 3, |_| true).is_empty());
        let idx = PointIndex::new([(7, p(1.0, 1.0))]);
        assert!(idx.within_m(p(1.0, 1.0), -1.0).is_empty());
        assert!(idx.within_m(p(1.0, 1.0), f64::NAN).is_empty());
        assert_eq!(idx.within_m(p(1.0, 1.0), 0.0).len(), 1);
        assert_eq!(idx.within_m(p(-1.0, -179.0), f64::INFINITY).len(), 1);
        assert!(idx
            .nearest_within_m(p(1.0, 1.0), 10.0, 0, |_| true)
            .is_empty());
    }

    #[test]
    fn boundary_point_is_included() {
        let c = p(45.0, -75.0);
        let q = p(45.01, -75.0);
        let d = Haversine.distance_m(c, q);
        let idx = PointIndex::new([(1, q)]);
        assert_eq!(idx.within_m(c, d).len(), 1);
        assert!(idx.within_m(c, d - 1e-6).is_empty());
    }

    #[test]
    fn antimeridian_and_poles() {
        let pts = [
            p(0.0, 179.95),
            p(0.0, -179.95),
            p(0.0, 179.0),
            p(89.95, 0.0),
            p(89.95, 180.0),
            p(89.95, -90.0),
            p(-89.99, 45.0),
            p(-90.0, 0.0),
        ];
        let idx = PointIndex::new(pts.iter().enumerate().map(|(i, q)| (i as u32, *q)));
        // 12 km around the antimeridian finds both sides, not the point 1° away.
        assert_eq!(
            ids(&idx.within_m(p(0.0, 180.0), 12_000.0)),
            brute(&pts, p(0.0, 180.0), 12_000.0)
        );
        assert_eq!(idx.within_m(p(0.0, -180.0), 12_000.0).len(), 2);
        // Around the north pole, all longitudes.
        let near_pole = idx.within_m(p(90.0, 0.0), 10_000.0);
        assert_eq!(near_pole.len(), 3);
        assert_eq!(ids(&near_pole), brute(&pts, p(90.0, 0.0), 10_000.0));
        let south = idx.within_m(p(-89.995, -120.0), 5_000.0);
        assert_eq!(ids(&south), brute(&pts, p(-89.995, -120.0), 5_000.0));
        assert_eq!(south.len(), 2);
    }

    #[test]
    fn nearest_k_finds_far_points_and_respects_filter() {
        let pts = [
            p(45.0, -75.0),
            p(-33.9, 151.2),
            p(51.5, -0.1),
            p(45.001, -75.0),
        ];
        let idx = PointIndex::new(pts.iter().enumerate().map(|(i, q)| (i as u32, *q)));
        let got: Vec<u32> = idx
            .nearest_k(p(45.0, -75.0), 3, |id| id != 3)
            .iter()
            .map(|h| h.id)
            .collect();
        assert_eq!(got, [0, 2, 1]);
        assert_eq!(idx.nearest_k(p(45.0, -75.0), 10, |_| true).len(), 4);
    }

    #[test]
    fn memory_is_24_bytes_per_point() {
        let idx = PointIndex::new((0..1000).map(|i| (i, p(45.0, -75.0 + f64::from(i) * 1e-3))));
        assert!(idx.memory_bytes() < 1000 * 24 + 64);
    }

    fn arb_cloud() -> impl Strategy<Value = Vec<GeoPoint>> {
        // A mix of a dense city-sized cluster and global scatter, with duplicates.
        let local = (44.9f64..45.9, -76.4f64..-75.0).prop_map(|(a, o)| p(a, o));
        let global = (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(a, o)| p(a, o));
        prop::collection::vec(prop_oneof![3 => local, 1 => global], 0..400)
    }

    fn arb_center() -> impl Strategy<Value = GeoPoint> {
        prop_oneof![
            (44.9f64..45.9, -76.4f64..-75.0).prop_map(|(a, o)| p(a, o)),
            (-90.0f64..=90.0, -180.0f64..=180.0).prop_map(|(a, o)| p(a, o)),
            (-90.0f64..=90.0).prop_map(|a| p(a, 180.0)),
            (-180.0f64..=180.0).prop_map(|o| p(89.9, o)),
        ]
    }

    proptest! {
        #[test]
        fn radius_query_equals_brute_force(pts in arb_cloud(), c in arb_center(), r in prop_oneof![0.0f64..60_000.0, 0.0f64..5.0e6]) {
            let idx = PointIndex::new(pts.iter().enumerate().map(|(i, q)| (i as u32, *q)));
            prop_assert_eq!(ids(&idx.within_m(c, r)), brute(&pts, c, r));
        }

        #[test]
        fn nearest_within_equals_brute_force(pts in arb_cloud(), c in arb_center(), r in 0.0f64..100_000.0, limit in 0usize..20, m in 1u32..4) {
            let idx = PointIndex::new(pts.iter().enumerate().map(|(i, q)| (i as u32, *q)));
            let got: Vec<_> = idx.nearest_within_m(c, r, limit, |id| id % m == 0).iter().map(|h| (h.id, h.distance_m)).collect();
            let want: Vec<_> = brute(&pts, c, r).into_iter().filter(|(id, _)| id % m == 0).take(limit).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn knn_equals_brute_force(pts in arb_cloud(), c in arb_center(), k in 0usize..15, m in 1u32..4) {
            let idx = PointIndex::new(pts.iter().enumerate().map(|(i, q)| (i as u32, *q)));
            let got: Vec<_> = idx.nearest_k(c, k, |id| id % m == 0).iter().map(|h| (h.id, h.distance_m)).collect();
            let want: Vec<_> = brute(&pts, c, f64::INFINITY).into_iter().filter(|(id, _)| id % m == 0).take(k).collect();
            prop_assert_eq!(got, want);
        }
    }
}
