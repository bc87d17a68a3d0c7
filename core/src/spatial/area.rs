//! Service-area polygons: validation ([`validate_area`]) and point containment ([`AreaIndex`]).

use geo::algorithm::sweep::{Cross, Intersections};
use geo::coordinate_position::CoordPos;
use geo::{
    BoundingRect, Coord, CoordinatePosition, Intersects, Line, LineIntersection, MapCoords,
    MonotonicPolygons, MultiPolygon, Polygon, RemoveRepeatedPoints,
};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::model::GeoPoint;

/// Why a service-area extent was rejected by [`validate_area`].
///
/// Positions are zero-based: `polygon` indexes the `MultiPolygon`, `ring` is 0 for the
/// exterior ring and `1 + i` for interior ring (hole) `i`, `vertex` indexes the ring.
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use passerelle::spatial::{validate_area, AreaProblem};
/// let bow_tie = polygon![(x: 0., y: 0.), (x: 1., y: 1.), (x: 1., y: 0.), (x: 0., y: 1.)];
/// assert_eq!(
///     validate_area(&MultiPolygon(vec![bow_tie])),
///     Err(AreaProblem::SelfIntersection { polygon: 0, ring: 0 })
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AreaProblem {
    /// The extent has no polygon with any vertex.
    #[error("service area has no polygon")]
    Empty,
    /// A ring's first and last vertices differ.
    #[error("ring {ring} of polygon {polygon} is not closed")]
    RingNotClosed {
        /// Polygon position.
        polygon: usize,
        /// Ring position (0 = exterior).
        ring: usize,
    },
    /// A ring has fewer than 4 vertices (3 distinct plus the closing one).
    #[error("ring {ring} of polygon {polygon} has fewer than 4 points")]
    TooFewPoints {
        /// Polygon position.
        polygon: usize,
        /// Ring position (0 = exterior).
        ring: usize,
    },
    /// A vertex is NaN, infinite, or outside WGS84 (`-180..=180` longitude, `-90..=90`
    /// latitude). GeoJSON order is longitude, latitude.
    #[error("vertex {vertex} of ring {ring} of polygon {polygon} is not a WGS84 coordinate")]
    BadCoordinate {
        /// Polygon position.
        polygon: usize,
        /// Ring position (0 = exterior).
        ring: usize,
        /// Vertex position.
        vertex: usize,
    },
    /// The extent has more vertices than [`AreaLimits::max_vertices`].
    #[error("service area has {count} vertices, more than the limit of {limit}")]
    TooManyVertices {
        /// Vertices in the extent.
        count: usize,
        /// The configured limit.
        limit: usize,
    },
    /// Two non-adjacent edges of one ring cross, overlap or touch.
    #[error("ring {ring} of polygon {polygon} intersects itself")]
    SelfIntersection {
        /// Polygon position.
        polygon: usize,
        /// Ring position (0 = exterior).
        ring: usize,
    },
    /// Edges of two different rings cross or overlap along a line (touching at a single point
    /// is allowed).
    #[error("ring {ring_a} of polygon {polygon_a} crosses ring {ring_b} of polygon {polygon_b}")]
    RingsCross {
        /// First polygon position.
        polygon_a: usize,
        /// First ring position.
        ring_a: usize,
        /// Second polygon position.
        polygon_b: usize,
        /// Second ring position.
        ring_b: usize,
    },
    /// A hole lies outside its polygon's exterior ring.
    #[error("hole {ring} of polygon {polygon} is outside the exterior ring")]
    HoleOutsideExterior {
        /// Polygon position.
        polygon: usize,
        /// Ring position (≥ 1).
        ring: usize,
    },
}

/// Limits applied by [`AreaLimits::validate`].
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use passerelle::spatial::{AreaLimits, AreaProblem};
/// let square = MultiPolygon(vec![polygon![
///     (x: -75.8, y: 45.3), (x: -75.6, y: 45.3), (x: -75.6, y: 45.5), (x: -75.8, y: 45.5),
/// ]]);
/// let strict = AreaLimits { max_vertices: 4 };
/// assert_eq!(
///     strict.validate(&square),
///     Err(AreaProblem::TooManyVertices { count: 5, limit: 4 })
/// );
/// assert_eq!(AreaLimits::default().validate(&square), Ok(()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaLimits {
    /// Most vertices allowed in one extent, all rings and polygons together (closing vertices
    /// included). Default 100 000.
    pub max_vertices: usize,
}

impl Default for AreaLimits {
    fn default() -> Self {
        Self {
            max_vertices: 100_000,
        }
    }
}

/// Checks a service-area extent parsed from GeoJSON with the default [`AreaLimits`].
///
/// Reports the first problem found; never panics. Checks, in order: not empty; vertex count;
/// every ring closed, with ≥ 4 points and finite WGS84 coordinates; no ring intersecting itself
/// and no two rings crossing (an `O((n + m) log n)` sweep, `m` the edge pairs overlapping in
/// longitude); every hole inside its exterior. Overlap between *separate* polygons of a
/// `MultiPolygon` is not reported: containment treats the extent as their union.
///
/// Extents crossing the antimeridian must be split into two polygons, as RFC 7946 §3.1.9 asks.
pub fn validate_area(extent: &MultiPolygon<f64>) -> Result<(), AreaProblem> {
    AreaLimits::default().validate(extent)
}

impl AreaLimits {
    /// Checks `extent` as [`validate_area`] does, with these limits.
    pub fn validate(&self, extent: &MultiPolygon<f64>) -> Result<(), AreaProblem> {
        let count: usize = extent.0.iter().map(polygon_vertices).sum();
        if count == 0 {
            return Err(AreaProblem::Empty);
        }
        if count > self.max_vertices {
            return Err(AreaProblem::TooManyVertices {
                count,
                limit: self.max_vertices,
            });
        }
        for (pi, poly) in extent.0.iter().enumerate() {
            for (ri, ring) in rings(poly).enumerate() {
                check_ring(pi, ri, &ring.0)?;
            }
        }
        // The sweep runs on the snapped extent; a ring that collapses there is too small.
        let grid = snapped(extent);
        for (pi, poly) in grid.0.iter().enumerate() {
            for (ri, ring) in rings(poly).enumerate() {
                check_ring(pi, ri, &ring.0)?;
            }
        }
        check_crossings(&grid)?;
        for (pi, poly) in extent.0.iter().enumerate() {
            let outer = Polygon::new(poly.exterior().clone(), vec![]);
            for (hi, hole) in poly.interiors().iter().enumerate() {
                // A hole touching the exterior at one vertex is valid, so test every vertex
                // until one is strictly inside or outside.
                let outside = hole
                    .0
                    .iter()
                    .map(|c| outer.coordinate_position(c))
                    .find(|pos| *pos != CoordPos::OnBoundary)
                    == Some(CoordPos::Outside);
                if outside {
                    return Err(AreaProblem::HoleOutsideExterior {
                        polygon: pi,
                        ring: hi + 1,
                    });
                }
            }
        }
        Ok(())
    }
}

/// Grid the sweep-line algorithms run on: 1e-9 degree (about 0.1 mm).
const SNAP: f64 = 1e9;

/// The extent with every coordinate rounded to the [`SNAP`] grid.
///
/// geo's sweep lines (crossing checks, monotone subdivision) rely on exact orientation
/// predicates, which stop being exact when products of coordinate differences underflow: a
/// hostile extent with subnormal coordinates (`2.7e-310`) made the monotone builder panic
/// (found by the `geojson_area` fuzz target). On the grid, distinct values differ by at least
/// 1e-9, so no product underflows; containment moves by at most 0.1 mm.
///
/// `-0.0` becomes `0.0`: geo's sweep compares x with `total_cmp`, which orders `-0.0` before
/// `0.0`, and a ring touching x = 0 from both sides failed its interval `debug_assert`.
fn snapped(extent: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let snap = |v: f64| (v * SNAP).round() / SNAP + 0.0;
    extent.map_coords(|c| Coord {
        x: snap(c.x),
        y: snap(c.y),
    })
}

fn polygon_vertices(p: &Polygon<f64>) -> usize {
    rings(p).map(|r| r.0.len()).sum()
}

fn rings(p: &Polygon<f64>) -> impl Iterator<Item = &geo::LineString<f64>> {
    std::iter::once(p.exterior()).chain(p.interiors())
}

fn check_ring(polygon: usize, ring: usize, coords: &[Coord<f64>]) -> Result<(), AreaProblem> {
    for (vertex, c) in coords.iter().enumerate() {
        let ok = c.x.is_finite()
            && c.y.is_finite()
            && (-180.0..=180.0).contains(&c.x)
            && (-90.0..=90.0).contains(&c.y);
        if !ok {
            return Err(AreaProblem::BadCoordinate {
                polygon,
                ring,
                vertex,
            });
        }
    }
    let mut distinct = coords.len();
    for w in coords.windows(2) {
        if let [a, b] = w {
            if a == b {
                distinct -= 1;
            }
        }
    }
    if distinct < 4 {
        return Err(AreaProblem::TooFewPoints { polygon, ring });
    }
    if coords.first() != coords.last() {
        return Err(AreaProblem::RingNotClosed { polygon, ring });
    }
    Ok(())
}

/// An edge of a ring, labelled with where it came from.
#[derive(Debug, Clone, Copy)]
struct Edge {
    line: Line<f64>,
    polygon: usize,
    ring: usize,
    index: usize,
    ring_edges: usize,
}

impl Cross for Edge {
    type Scalar = f64;
    fn line(&self) -> Line<f64> {
        self.line
    }
}

fn check_crossings(extent: &MultiPolygon<f64>) -> Result<(), AreaProblem> {
    let mut edges = Vec::new();
    for (pi, poly) in extent.0.iter().enumerate() {
        for (ri, ring) in rings(poly).enumerate() {
            // Zero-length edges (repeated vertices) are dropped so adjacency is by position
            // among the remaining edges.
            let mut coords = ring.0.clone();
            coords.dedup();
            let ring_edges = coords.len().saturating_sub(1);
            for (index, w) in coords.windows(2).enumerate() {
                if let [start, end] = w {
                    edges.push(Edge {
                        line: Line::new(*start, *end),
                        polygon: pi,
                        ring: ri,
                        index,
                        ring_edges,
                    });
                }
            }
        }
    }
    for (a, b, hit) in Intersections::from_iter(edges) {
        let same_ring = a.polygon == b.polygon && a.ring == b.ring;
        let touch_only = matches!(
            hit,
            LineIntersection::SinglePoint {
                is_proper: false,
                ..
            }
        );
        if same_ring {
            let (lo, hi) = (a.index.min(b.index), a.index.max(b.index));
            let adjacent = hi == lo + 1 || (lo == 0 && hi + 1 == a.ring_edges);
            // Consecutive edges share their common vertex; anything more is a self-intersection.
            let shared_vertex_only = touch_only
                && match hit {
                    LineIntersection::SinglePoint { intersection, .. } => {
                        let (first, second) = if a.index == lo { (a, b) } else { (b, a) };
                        if hi == lo + 1 {
                            intersection == first.line.end && intersection == second.line.start
                        } else {
                            intersection == first.line.start && intersection == second.line.end
                        }
                    }
                    LineIntersection::Collinear { .. } => false,
                };
            if !(adjacent && shared_vertex_only) {
                return Err(AreaProblem::SelfIntersection {
                    polygon: a.polygon,
                    ring: a.ring,
                });
            }
        } else if !touch_only {
            return Err(AreaProblem::RingsCross {
                polygon_a: a.polygon,
                ring_a: a.ring,
                polygon_b: b.polygon,
                ring_b: b.ring,
            });
        }
    }
    Ok(())
}

/// One area's geometry, prepared for point queries.
#[derive(Debug, Clone)]
enum Shape {
    /// Valid extents: split into monotone polygons, `O(log n)` per piece and query.
    Monotone(MonotonicPolygons<f64>),
    /// Extents that failed [`validate_area`]: plain `O(n)` crossing-number test, which
    /// tolerates any input.
    Plain(MultiPolygon<f64>),
}

impl Shape {
    fn covers(&self, c: &Coord<f64>) -> bool {
        match self {
            Shape::Monotone(m) => m.intersects(c),
            Shape::Plain(mp) => mp.coordinate_position(c) != CoordPos::Outside,
        }
    }
}

type Envelope = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// Answers "which service areas cover this point?" over many polygon extents.
///
/// Each extent's bounding box goes into an R-tree (`rstar`); a query finds the boxes holding
/// the point, then tests each candidate exactly. Extents that pass [`validate_area`] are
/// pre-split into monotone polygons (`geo::MonotonicPolygons`, `O(log n)` per test); others
/// fall back to the plain point-in-polygon test, so building never fails or panics on bad
/// input. (`geo::PreparedGeometry` is not used: it is built for polygon/polygon `Relate`
/// predicates and holds `Rc`s, which would make the index `!Send`.)
///
/// # Boundary
/// A point exactly on an extent's boundary — exterior ring or hole edge — is **covered** (OGC
/// *covers*, not *contains*): a resident on the street that delimits a catchment is served.
/// Points inside a hole are not covered. Coordinates are planar lon/lat, as in GeoJSON.
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use passerelle::model::GeoPoint;
/// use passerelle::spatial::AreaIndex;
/// let west = polygon![(x: -76.0, y: 45.2), (x: -75.7, y: 45.2), (x: -75.7, y: 45.5), (x: -76.0, y: 45.5)];
/// let east = polygon![(x: -75.7, y: 45.2), (x: -75.4, y: 45.2), (x: -75.4, y: 45.5), (x: -75.7, y: 45.5)];
/// let index = AreaIndex::new([(10, MultiPolygon(vec![west])), (20, MultiPolygon(vec![east]))]);
///
/// let kanata = GeoPoint::new(45.31, -75.90).unwrap();
/// assert_eq!(index.covering(kanata), [10]);
/// let on_shared_edge = GeoPoint::new(45.3, -75.7).unwrap();
/// assert_eq!(index.covering(on_shared_edge), [10, 20]);
/// assert!(index.covering(GeoPoint::new(0.0, 0.0).unwrap()).is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct AreaIndex {
    tree: RTree<Envelope>,
    shapes: Vec<(u32, Shape)>,
}

impl AreaIndex {
    /// Builds the index from `(id, extent)` pairs; ids are the caller's (e.g. positions of
    /// service areas). Empty extents are skipped. Never fails: see the type docs for how
    /// invalid extents are handled.
    pub fn new(areas: impl IntoIterator<Item = (u32, MultiPolygon<f64>)>) -> Self {
        let mut shapes = Vec::new();
        let mut envelopes = Vec::new();
        for (id, extent) in areas {
            let Some(rect) = extent.bounding_rect() else {
                continue;
            };
            let (lo, hi) = (rect.min(), rect.max());
            if ![lo.x, lo.y, hi.x, hi.y].iter().all(|v| v.is_finite()) {
                // Only reachable for unvalidated input; such an extent covers nothing usable.
                continue;
            }
            let slot = u32::try_from(shapes.len()).unwrap_or(u32::MAX);
            let shape = if validate_area(&extent).is_ok() {
                Shape::Monotone(MonotonicPolygons::from(
                    snapped(&extent).remove_repeated_points(),
                ))
            } else {
                Shape::Plain(extent)
            };
            shapes.push((id, shape));
            envelopes.push(Envelope::new(
                Rectangle::from_corners([lo.x, lo.y], [hi.x, hi.y]),
                slot,
            ));
        }
        Self {
            tree: RTree::bulk_load(envelopes),
            shapes,
        }
    }

    /// Number of indexed (non-empty) extents.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// `true` if no extent is indexed.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Calls `visit(id)` for every extent covering `point` (boundary included), in no
    /// particular order, without allocating.
    pub fn for_each_covering(&self, point: GeoPoint, mut visit: impl FnMut(u32)) {
        let c = Coord {
            x: point.lon(),
            y: point.lat(),
        };
        let probe = AABB::from_point([c.x, c.y]);
        for env in self.tree.locate_in_envelope_intersecting(&probe) {
            if let Some((id, shape)) = self.shapes.get(env.data as usize) {
                if shape.covers(&c) {
                    visit(*id);
                }
            }
        }
    }

    /// Ids of every extent covering `point` (boundary included), sorted ascending.
    pub fn covering(&self, point: GeoPoint) -> Vec<u32> {
        let mut out = Vec::new();
        self.for_each_covering(point, |id| out.push(id));
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, LineString};
    use proptest::prelude::*;

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
    }

    fn donut() -> MultiPolygon<f64> {
        let mut p = square(0.0, 0.0, 10.0, 10.0);
        p.interiors_push(LineString::from(vec![
            (4.0, 4.0),
            (6.0, 4.0),
            (6.0, 6.0),
            (4.0, 6.0),
            (4.0, 4.0),
        ]));
        MultiPolygon(vec![p])
    }

    #[test]
    fn holes_boundaries_and_multipolygons() {
        let two_parts = MultiPolygon(vec![
            square(20.0, 0.0, 21.0, 1.0),
            square(30.0, 0.0, 31.0, 1.0),
        ]);
        for valid in [true, false] {
            let idx = if valid {
                AreaIndex::new([(1, donut()), (2, two_parts.clone())])
            } else {
                // Force the fallback path with the same geometry.
                AreaIndex {
                    tree: RTree::bulk_load(vec![
                        Envelope::new(Rectangle::from_corners([0.0, 0.0], [10.0, 10.0]), 0),
                        Envelope::new(Rectangle::from_corners([20.0, 0.0], [31.0, 1.0]), 1),
                    ]),
                    shapes: vec![
                        (1, Shape::Plain(donut())),
                        (2, Shape::Plain(two_parts.clone())),
                    ],
                }
            };
            assert_eq!(idx.covering(pt(1.0, 1.0)), [1], "{valid}");
            assert!(idx.covering(pt(5.0, 5.0)).is_empty(), "in the hole");
            assert_eq!(idx.covering(pt(4.0, 5.0)), [1], "on the hole's edge");
            assert_eq!(idx.covering(pt(0.0, 5.0)), [1], "on the exterior edge");
            assert_eq!(idx.covering(pt(10.0, 10.0)), [1], "on a corner");
            assert!(idx.covering(pt(10.000_001, 5.0)).is_empty());
            assert_eq!(idx.covering(pt(0.5, 20.5)), [2]);
            assert_eq!(idx.covering(pt(0.5, 30.5)), [2]);
            assert!(idx.covering(pt(0.5, 25.0)).is_empty(), "between the parts");
        }
    }

    #[test]
    fn index_uses_monotone_for_valid_and_plain_for_invalid() {
        let bow = MultiPolygon(vec![
            polygon![(x: 0., y: 0.), (x: 2., y: 2.), (x: 2., y: 0.), (x: 0., y: 2.)],
        ]);
        let idx = AreaIndex::new([(1, donut()), (2, bow), (3, MultiPolygon(vec![]))]);
        assert_eq!(idx.len(), 2);
        assert!(matches!(idx.shapes[0].1, Shape::Monotone(_)));
        assert!(matches!(idx.shapes[1].1, Shape::Plain(_)));
        assert_eq!(idx.covering(pt(1.0, 0.5)), [1, 2]);
    }

    #[test]
    fn validation_reports_problems() {
        assert_eq!(validate_area(&donut()), Ok(()));
        assert_eq!(
            validate_area(&MultiPolygon(vec![])),
            Err(AreaProblem::Empty)
        );
        let tiny = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(0.0, 0.0), (1.0, 1.0)]),
            vec![],
        )]);
        assert_eq!(
            validate_area(&tiny),
            Err(AreaProblem::TooFewPoints {
                polygon: 0,
                ring: 0
            })
        );
        let far = MultiPolygon(vec![square(170.0, 0.0, 190.0, 1.0)]);
        assert!(matches!(
            validate_area(&far),
            Err(AreaProblem::BadCoordinate { vertex: 1, .. })
        ));
        let nan = MultiPolygon(vec![square(0.0, 0.0, f64::NAN, 1.0)]);
        assert!(matches!(
            validate_area(&nan),
            Err(AreaProblem::BadCoordinate { .. })
        ));
        let mut hole_out = square(0.0, 0.0, 1.0, 1.0);
        hole_out.interiors_push(LineString::from(vec![
            (5.0, 5.0),
            (6.0, 5.0),
            (6.0, 6.0),
            (5.0, 5.0),
        ]));
        assert_eq!(
            validate_area(&MultiPolygon(vec![hole_out])),
            Err(AreaProblem::HoleOutsideExterior {
                polygon: 0,
                ring: 1
            })
        );
        assert!(matches!(
            validate_area(&MultiPolygon(vec![hole_cross()])),
            Err(AreaProblem::RingsCross {
                polygon_a: 0,
                polygon_b: 0,
                ..
            })
        ));
        // Spike: an edge doubling back over the previous one.
        let spike = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (2.0, 0.0),
                (2.0, 2.0),
                (2.0, 1.0),
                (0.0, 2.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        assert!(matches!(
            validate_area(&spike),
            Err(AreaProblem::SelfIntersection { .. })
        ));
        // Figure-eight touching itself at one vertex.
        let eight = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 1.0),
                (2.0, 0.0),
                (2.0, 2.0),
                (1.0, 1.0),
                (0.0, 2.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        assert!(matches!(
            validate_area(&eight),
            Err(AreaProblem::SelfIntersection { .. })
        ));
        // Separate polygons touching at a corner are fine; crossing ones are not.
        let corner = MultiPolygon(vec![square(0.0, 0.0, 1.0, 1.0), square(1.0, 1.0, 2.0, 2.0)]);
        assert_eq!(validate_area(&corner), Ok(()));
        let crossing = MultiPolygon(vec![square(0.0, 0.0, 2.0, 2.0), square(1.0, 1.0, 3.0, 3.0)]);
        assert!(matches!(
            validate_area(&crossing),
            Err(AreaProblem::RingsCross { .. })
        ));
        // Repeated vertices are tolerated.
        let dup = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (1.0, 0.0),
                (1.0, 0.0),
                (1.0, 1.0),
                (0.0, 1.0),
                (0.0, 0.0),
            ]),
            vec![],
        )]);
        assert_eq!(validate_area(&dup), Ok(()));
        let point_ring = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(1.0, 1.0); 5]),
            vec![],
        )]);
        assert_eq!(
            validate_area(&point_ring),
            Err(AreaProblem::TooFewPoints {
                polygon: 0,
                ring: 0
            })
        );
        let limits = AreaLimits { max_vertices: 9 };
        assert_eq!(
            limits.validate(&donut()),
            Err(AreaProblem::TooManyVertices {
                count: 10,
                limit: 9
            })
        );
    }

    fn hole_cross() -> Polygon<f64> {
        let mut p = square(0.0, 0.0, 2.0, 2.0);
        p.interiors_push(LineString::from(vec![
            (1.0, 1.0),
            (3.0, 1.0),
            (3.0, 1.5),
            (1.0, 1.0),
        ]));
        p
    }

    #[test]
    fn large_area_validates_quickly() {
        // 100 000-vertex circle-ish ring: the sweep must not be quadratic.
        let n = 99_999;
        let ring: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let t = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
                (-75.7 + 0.3 * t.cos(), 45.4 + 0.2 * t.sin())
            })
            .collect();
        let mp = MultiPolygon(vec![Polygon::new(LineString::from(ring), vec![])]);
        let t = std::time::Instant::now();
        assert_eq!(validate_area(&mp), Ok(()));
        let idx = AreaIndex::new([(1, mp)]);
        assert_eq!(idx.covering(pt(45.4, -75.7)), [1]);
        assert!(idx.covering(pt(45.61, -75.7)).is_empty());
        assert!(t.elapsed().as_secs() < 20);
    }

    proptest! {
        /// Star-shaped polygons (random radius per angle) are simple by construction; the
        /// monotone fast path must agree with the plain test everywhere.
        #[test]
        fn monotone_agrees_with_plain(
            radii in prop::collection::vec(0.1f64..1.0, 3..40),
            hole in prop::option::of(0.005f64..0.03),
            probes in prop::collection::vec((-1.1f64..1.1, -1.1f64..1.1), 1..50),
        ) {
            let n = radii.len() as f64;
            let ring: Vec<(f64, f64)> = radii.iter().enumerate()
                .map(|(i, r)| {
                    let t = i as f64 / n * std::f64::consts::TAU;
                    (r * t.cos(), r * t.sin())
                })
                .collect();
            let mut poly = Polygon::new(LineString::from(ring), vec![]);
            if let Some(h) = hole {
                poly.interiors_push(LineString::from(vec![(-h, -h), (h, -h), (h, h), (-h, h), (-h, -h)]));
            }
            let mp = MultiPolygon(vec![poly]);
            prop_assert_eq!(validate_area(&mp), Ok(()));
            let idx = AreaIndex::new([(0, mp.clone())]);
            for (x, y) in probes {
                let c = Coord { x, y };
                let want = mp.coordinate_position(&c) != CoordPos::Outside;
                prop_assert_eq!(!idx.covering(pt(y, x)).is_empty(), want, "{:?}", c);
            }
        }
    }
}
