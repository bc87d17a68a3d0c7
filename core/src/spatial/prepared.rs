//! Polygon extents prepared once for many point tests.
//!
//! A plain point-in-polygon test walks every edge of every ring, so a feed controls the cost
//! of each search through the vertex count of its service areas. [`PreparedArea`] keeps, per
//! ring, its edges bucketed by the band of coordinates they span, along y and along x; a test
//! reads only the edges of the band holding the point, in whichever direction has fewer. The
//! answer is exactly `geo`'s (same winding-number rules, same robust orientation predicate):
//! only edges whose span holds the point's coordinate can touch or cross the ray, and the
//! winding number is a sum, so testing that subset in any order gives the same position.

use geo::coordinate_position::CoordPos;
use geo::kernels::{Kernel, Orientation};
use geo::{
    BoundingRect, Contains, Coord, CoordinatePosition, GeoNum, LineString, MultiPolygon, Rect,
};

/// At most this many bucket entries per edge, whatever the shape: long edges spanning many
/// bands make the index coarser instead of larger.
const MAX_ENTRIES_PER_EDGE: usize = 2;

/// Edges of one ring, bucketed by the band of one axis they span (compressed rows).
#[derive(Debug, Clone)]
struct Bands {
    lo: f64,
    /// Bands per unit of the axis.
    scale: f64,
    /// `starts[b]..starts[b + 1]` indexes `edges` for band `b`.
    starts: Vec<u32>,
    /// Edge numbers (edge `i` runs from vertex `i` to vertex `i + 1`).
    edges: Vec<u32>,
}

impl Bands {
    /// Buckets `edges` (pairs of coordinates along the banded axis) into at most `n` bands.
    fn new(spans: &[(f64, f64)]) -> Self {
        let (lo, hi) = spans
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |acc, s| {
                (acc.0.min(s.0.min(s.1)), acc.1.max(s.0.max(s.1)))
            });
        let mut bands = (spans.len() / 4).clamp(1, 1 << 16);
        loop {
            let scale = if hi > lo {
                bands as f64 / (hi - lo)
            } else {
                0.0
            };
            let band = |v: f64| (((v - lo) * scale) as usize).min(bands - 1);
            let entries: usize = spans
                .iter()
                .map(|&(a, b)| band(a.max(b)) - band(a.min(b)) + 1)
                .sum();
            if bands == 1 || entries <= MAX_ENTRIES_PER_EDGE * spans.len().max(1) {
                let mut starts = vec![0u32; bands + 1];
                for &(a, b) in spans {
                    for n in band(a.min(b))..=band(a.max(b)) {
                        if let Some(s) = starts.get_mut(n + 1) {
                            *s += 1;
                        }
                    }
                }
                for n in 1..starts.len() {
                    let prev = starts.get(n - 1).copied().unwrap_or(0);
                    if let Some(s) = starts.get_mut(n) {
                        *s += prev;
                    }
                }
                let mut fill = starts.clone();
                let mut edges = vec![0u32; entries];
                for (i, &(a, b)) in spans.iter().enumerate() {
                    for n in band(a.min(b))..=band(a.max(b)) {
                        if let Some(at) = fill.get_mut(n) {
                            if let Some(slot) = edges.get_mut(*at as usize) {
                                *slot = u32::try_from(i).unwrap_or(u32::MAX);
                            }
                            *at += 1;
                        }
                    }
                }
                return Self {
                    lo,
                    scale,
                    starts,
                    edges,
                };
            }
            // Entries beyond one per edge grow about linearly with the band count.
            let extra = entries.saturating_sub(spans.len()).max(1) as f64;
            let allowed = (MAX_ENTRIES_PER_EDGE - 1) * spans.len();
            let next = (bands as f64 * allowed as f64 / extra * 0.9) as usize;
            bands = next.min(bands - 1).max(1);
        }
    }

    /// Edges whose span may hold `v` (all of them do, plus some that do not).
    fn at(&self, v: f64) -> &[u32] {
        let bands = self.starts.len().saturating_sub(1);
        let f = (v - self.lo) * self.scale;
        if bands == 0 || f.is_nan() || f < 0.0 || f >= bands as f64 + 1.0 {
            return &[];
        }
        let b = (f as usize).min(bands - 1);
        match (self.starts.get(b), self.starts.get(b + 1)) {
            (Some(&s), Some(&e)) => self.edges.get(s as usize..e as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// One ring with its edge bands along y (horizontal rays) and along x (vertical rays).
#[derive(Debug, Clone)]
struct Ring {
    coords: Vec<Coord<f64>>,
    by_y: Bands,
    by_x: Bands,
}

impl Ring {
    fn new(ring: &LineString<f64>) -> Self {
        let coords = ring.0.clone();
        let edges = coords.len().saturating_sub(1);
        let span = |f: fn(&Coord<f64>) -> f64| -> Vec<(f64, f64)> {
            (0..edges)
                .filter_map(|i| Some((f(coords.get(i)?), f(coords.get(i + 1)?))))
                .collect()
        };
        Self {
            by_y: Bands::new(&span(|c| c.y)),
            by_x: Bands::new(&span(|c| c.x)),
            coords,
        }
    }

    /// `geo::coordinate_position::coord_pos_relative_to_ring`, over the edges of one band.
    fn position(&self, c: Coord<f64>) -> CoordPos {
        match self.coords.as_slice() {
            [] => return CoordPos::Outside,
            [only] => {
                return if *only == c {
                    CoordPos::OnBoundary
                } else {
                    CoordPos::Outside
                }
            }
            _ => {}
        }
        let (ys, xs) = (self.by_y.at(c.y), self.by_x.at(c.x));
        // A ray along x, or the mirror image (x and y swapped) with a ray along y: mirroring
        // negates the winding number and keeps the boundary, so inside/outside is the same.
        let (edges, flip) = if xs.len() < ys.len() {
            (xs, true)
        } else {
            (ys, false)
        };
        let turn = |p: Coord<f64>| if flip { Coord { x: p.y, y: p.x } } else { p };
        let c = turn(c);
        let mut winding = 0i64;
        for &i in edges {
            let (Some(&a), Some(&b)) =
                (self.coords.get(i as usize), self.coords.get(i as usize + 1))
            else {
                continue;
            };
            let (a, b) = (turn(a), turn(b));
            if a.y <= c.y {
                if b.y >= c.y {
                    let o = <f64 as GeoNum>::Ker::orient2d(a, b, c);
                    if o == Orientation::CounterClockwise && b.y != c.y {
                        winding += 1;
                    } else if o == Orientation::Collinear && between(c.x, a.x, b.x) {
                        return CoordPos::OnBoundary;
                    }
                }
            } else if b.y <= c.y {
                let o = <f64 as GeoNum>::Ker::orient2d(a, b, c);
                if o == Orientation::Clockwise {
                    winding -= 1;
                } else if o == Orientation::Collinear && between(c.x, a.x, b.x) {
                    return CoordPos::OnBoundary;
                }
            }
        }
        if winding == 0 {
            CoordPos::Outside
        } else {
            CoordPos::Inside
        }
    }
}

fn between(v: f64, a: f64, b: f64) -> bool {
    if a < b {
        a <= v && v <= b
    } else {
        b <= v && v <= a
    }
}

#[derive(Debug, Clone)]
struct Piece {
    exterior: Ring,
    holes: Vec<Ring>,
    empty: bool,
}

/// A multipolygon prepared for point tests: same answers as `geo`'s `coordinate_position`
/// and `Contains`, at a cost bounded by the edges of one band instead of every edge.
#[derive(Debug, Clone)]
pub(crate) struct PreparedArea {
    rect: Option<Rect<f64>>,
    pieces: Vec<Piece>,
    /// Extents with a non-finite coordinate (only from unvalidated input) are tested plainly.
    plain: Option<MultiPolygon<f64>>,
}

impl PreparedArea {
    pub(crate) fn new(mp: &MultiPolygon<f64>) -> Self {
        let finite =
            mp.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .all(|r| r.0.iter().all(|c| c.x.is_finite() && c.y.is_finite()));
        if !finite {
            return Self {
                rect: None,
                pieces: Vec::new(),
                plain: Some(mp.clone()),
            };
        }
        Self {
            plain: None,
            rect: mp.bounding_rect(),
            pieces: mp
                .0
                .iter()
                .map(|p| Piece {
                    exterior: Ring::new(p.exterior()),
                    holes: p.interiors().iter().map(Ring::new).collect(),
                    empty: p.exterior().0.is_empty(),
                })
                .collect(),
        }
    }

    /// Where `c` lies, as `geo`'s `CoordinatePosition` of the multipolygon (boundaries
    /// counted by the OGC "mod 2" rule).
    pub(crate) fn position(&self, c: Coord<f64>) -> CoordPos {
        if let Some(mp) = &self.plain {
            return mp.coordinate_position(&c);
        }
        let in_rect = self.rect.is_some_and(|r| {
            r.min().x <= c.x && c.x <= r.max().x && r.min().y <= c.y && c.y <= r.max().y
        });
        if !in_rect {
            return CoordPos::Outside;
        }
        let mut inside = false;
        let mut boundaries = 0usize;
        for p in &self.pieces {
            match p.position(c) {
                CoordPos::Inside => inside = true,
                CoordPos::OnBoundary => boundaries += 1,
                CoordPos::Outside => {}
            }
        }
        if boundaries % 2 == 1 {
            CoordPos::OnBoundary
        } else if inside {
            CoordPos::Inside
        } else {
            CoordPos::Outside
        }
    }

    /// `geo`'s `MultiPolygon::contains(point)`: some polygon has `c` strictly inside.
    pub(crate) fn contains(&self, c: Coord<f64>) -> bool {
        if let Some(mp) = &self.plain {
            return mp.contains(&c);
        }
        let in_rect = self.rect.is_some_and(|r| {
            r.min().x <= c.x && c.x <= r.max().x && r.min().y <= c.y && c.y <= r.max().y
        });
        in_rect
            && self
                .pieces
                .iter()
                .any(|p| p.position(c) == CoordPos::Inside)
    }

    /// `geo`'s `coordinate_position(c) != Outside`: inside or on the boundary.
    pub(crate) fn covers(&self, c: Coord<f64>) -> bool {
        self.position(c) != CoordPos::Outside
    }
}

impl Piece {
    /// `geo`'s position of `c` relative to one polygon.
    fn position(&self, c: Coord<f64>) -> CoordPos {
        if self.empty {
            return CoordPos::Outside;
        }
        match self.exterior.position(c) {
            CoordPos::Inside => {
                for h in &self.holes {
                    match h.position(c) {
                        CoordPos::Outside => {}
                        CoordPos::OnBoundary => return CoordPos::OnBoundary,
                        CoordPos::Inside => return CoordPos::Outside,
                    }
                }
                CoordPos::Inside
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use geo::Polygon;
    use proptest::prelude::*;

    use super::*;

    fn ring(points: &[(f64, f64)]) -> LineString<f64> {
        LineString::from(points.to_vec())
    }

    /// Random rings (self-crossing, spiky, repeated points: anything), snapped to a coarse
    /// grid so probes often land on vertices and edges.
    fn arb_ring() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec((-20i32..20, -20i32..20), 1..60).prop_map(|v| {
            v.into_iter()
                .map(|(x, y)| (f64::from(x) / 4.0, f64::from(y) / 4.0))
                .collect()
        })
    }

    fn probes() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec(
            prop_oneof![
                (-24i32..24, -24i32..24)
                    .prop_map(|(x, y)| (f64::from(x) / 4.0, f64::from(y) / 4.0)),
                (-6.0f64..6.0, -6.0f64..6.0),
            ],
            1..80,
        )
    }

    proptest! {
        /// Same position, containment and coverage as `geo` on arbitrary (also invalid)
        /// multipolygons with holes, on and off vertices and edges.
        #[test]
        fn agrees_with_geo(
            shapes in prop::collection::vec((arb_ring(), prop::collection::vec(arb_ring(), 0..3)), 0..4),
            points in probes(),
        ) {
            let mp = MultiPolygon(
                shapes
                    .iter()
                    .map(|(e, hs)| Polygon::new(ring(e), hs.iter().map(|h| ring(h)).collect()))
                    .collect(),
            );
            let prepared = PreparedArea::new(&mp);
            for (x, y) in points {
                let c = Coord { x, y };
                prop_assert_eq!(prepared.position(c), mp.coordinate_position(&c), "{:?}", c);
                prop_assert_eq!(prepared.contains(c), mp.contains(&c), "{:?}", c);
            }
        }
    }

    /// A 19,999-vertex spiky star (the shape of the hostile feed): a point test reads a small
    /// share of the edges, and answers match `geo` on a grid of probes.
    #[test]
    fn many_vertices_agree() {
        let n = 19_999;
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let t = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
                let r = if i % 2 == 0 { 1.0 } else { 0.97 };
                (r * t.cos(), r * t.sin())
            })
            .collect();
        let mp = MultiPolygon(vec![Polygon::new(ring(&pts), vec![])]);
        let prepared = PreparedArea::new(&mp);
        let mut widest = 0;
        for i in -50..=50 {
            for j in -50..=50 {
                let c = Coord {
                    x: f64::from(i) / 49.0,
                    y: f64::from(j) / 49.0,
                };
                assert_eq!(prepared.position(c), mp.coordinate_position(&c), "{c:?}");
                for p in &prepared.pieces {
                    let r = &p.exterior;
                    widest = widest.max(r.by_x.at(c.x).len().min(r.by_y.at(c.y).len()));
                }
            }
        }
        // Inside the star a point reads a few dozen edges; the worst probes are the bounding
        // box's corners next to the spikes (about 1,350 edges, 7 % of the ring).
        assert!(widest < 2_000, "a point reads {widest} edges");
    }
}
