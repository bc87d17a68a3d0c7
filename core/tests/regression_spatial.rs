//! Regressions found by the `geojson_area` fuzz target (`fuzz/fuzz_targets/geojson_area.rs`).

use geo::{Coord, LineString, MultiPolygon, Polygon};
use passerelle::{
    model::GeoPoint,
    spatial::{validate_area, AreaIndex, AreaProblem},
};

fn ring(pts: &[(f64, f64)]) -> MultiPolygon<f64> {
    MultiPolygon(vec![Polygon::new(
        LineString(pts.iter().map(|&(x, y)| Coord { x, y }).collect()),
        vec![],
    )])
}

// Found by fuzz target geojson_area: an extent whose coordinates are subnormal or tiny
// (2.7e-310, -2.3e-212, 6.6e-43 …) passed validate_area, then AreaIndex::new panicked inside
// geo's monotone subdivision (old_sweep/vec_set.rs: unwrap on an inconsistent sweep state):
// orientation predicates are only exact while products of coordinate differences do not
// underflow. The navigator builds an AreaIndex from every service area of a feed, so one
// hostile extent crashed the host. Fix: the sweep-line steps (crossing check, monotone
// subdivision) run on coordinates snapped to a 1e-9° grid; a ring that collapses on the grid
// is TooFewPoints.
#[test]
fn subnormal_coordinates_do_not_crash_the_area_index() {
    let hostile = ring(&[
        (2.77985942578347e-310, 4.2226058351104925e-86),
        (6.581723724646869e-43, -2.722652356680159e-40),
        (-2.7226523566839745e-40, -2.7226523566839745e-40),
        (-2.376364443340193e-212, -2.2715248494335547e-214),
        (-2.2715248494335547e-214, -2.2715248496496838e-214),
        (2.6858575001883012e-306, 5.636642150770864e-38),
        (2.51053336715005e-310, 4.222605837591781e-86),
        (2.77985942578347e-310, 4.2226058351104925e-86),
    ]);
    assert_eq!(
        validate_area(&hostile),
        Err(AreaProblem::TooFewPoints {
            polygon: 0,
            ring: 0
        })
    );
    let index = AreaIndex::new([(0, hostile)]);
    let _ = index.covering(GeoPoint::new(0.0, 0.0).unwrap());

    // a real square next to tiny noise still validates and indexes
    let square = ring(&[
        (-75.8, 45.3),
        (-75.6, 45.3 + 1e-300),
        (-75.6, 45.5),
        (-75.8, 45.5),
        (-75.8, 45.3),
    ]);
    assert_eq!(validate_area(&square), Ok(()));
    let index = AreaIndex::new([(7, square)]);
    assert_eq!(index.covering(GeoPoint::new(45.4, -75.7).unwrap()), [7]);
}

// Found while fixing the above (the spatial proptest `monotone_agrees_with_plain` on the
// snapped grid): a ring with vertices at x = -0.0 and x = 0.0 tripped a `debug_assert` in
// geo's sweep (`intervals_overlap` orders -0.0 before 0.0 with `total_cmp`), i.e. a feed
// writing `-0.0` in GeoJSON could crash a debug build of the host. The snapped grid maps
// -0.0 to 0.0.
#[test]
fn negative_zero_coordinates_validate() {
    let diamond = ring(&[
        (0.1, 0.0),
        (-0.0, 0.1),
        (-0.1, 0.0),
        (0.0, -0.1),
        (0.1, 0.0),
    ]);
    assert_eq!(validate_area(&diamond), Ok(()));
    let index = AreaIndex::new([(1, diamond)]);
    assert_eq!(index.covering(GeoPoint::new(0.0, 0.0).unwrap()), [1]);
}
