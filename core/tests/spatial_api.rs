//! The spatial API as the matcher and the HSDS importer use it, through the public surface.

use geo::{polygon, LineString, MultiPolygon, Polygon};
use passerelle::{
    model::{GeoPoint, Location, ServiceArea},
    spatial::{
        validate_area, AreaIndex, AreaProblem, DistanceModel, Equirectangular, Haversine,
        NamedAreas, PointIndex,
    },
    Error,
};

fn pt(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint::new(lat, lon).unwrap()
}

#[test]
fn matcher_flow_over_directory_records() {
    let locations = [
        ("byward", 45.4292, -75.6920),
        ("vanier", 45.4400, -75.6600),
        ("kanata", 45.3088, -75.8987),
        ("orleans", 45.4700, -75.5100),
    ]
    .map(|(id, lat, lon)| Location {
        id: id.into(),
        point: Some(pt(lat, lon)),
        ..Default::default()
    });
    // Category bitsets parallel to `locations`: bit 0 food, bit 1 housing.
    let cats = [0b01u32, 0b10, 0b01, 0b11];
    let index = PointIndex::new(
        locations
            .iter()
            .enumerate()
            .filter_map(|(i, l)| Some((i as u32, l.point?))),
    );
    let resident = pt(45.4250, -75.6950);
    let food = index.nearest_within_m(resident, 25_000.0, 10, |id| cats[id as usize] & 0b01 != 0);
    let names: Vec<&str> = food
        .iter()
        .map(|h| locations[h.id as usize].id.as_str())
        .collect();
    assert_eq!(names, ["byward", "orleans", "kanata"]);
    assert!(food.windows(2).all(|w| w[0].distance_m <= w[1].distance_m));
    for h in &food {
        let d = Haversine.distance_m(resident, locations[h.id as usize].point.unwrap());
        assert!((h.distance_m - d).abs() < 1e-6);
    }
    let nearest_housing = index.nearest_k(resident, 1, |id| cats[id as usize] & 0b10 != 0);
    assert_eq!(locations[nearest_housing[0].id as usize].id, "vanier");
}

#[test]
fn service_area_extents_and_names() {
    let mut donut = polygon![(x: -75.80, y: 45.35), (x: -75.60, y: 45.35), (x: -75.60, y: 45.50), (x: -75.80, y: 45.50)];
    donut.interiors_push(LineString::from(vec![
        (-75.72, 45.40),
        (-75.68, 45.40),
        (-75.68, 45.44),
        (-75.72, 45.44),
        (-75.72, 45.40),
    ]));
    let areas = [
        ServiceArea {
            id: "sa-core".into(),
            extent: Some(MultiPolygon(vec![donut])),
            ..Default::default()
        },
        ServiceArea {
            id: "sa-none".into(),
            ..Default::default()
        },
    ];
    for a in &areas {
        if let Some(e) = &a.extent {
            assert_eq!(validate_area(e), Ok(()));
        }
    }
    let index = AreaIndex::new(
        areas
            .iter()
            .enumerate()
            .filter_map(|(i, a)| Some((i as u32, a.extent.clone()?))),
    );
    assert_eq!(index.covering(pt(45.37, -75.75)), [0]);
    assert!(
        index.covering(pt(45.42, -75.70)).is_empty(),
        "inside the hole"
    );
    assert_eq!(index.covering(pt(45.40, -75.70)), [0], "on the hole's edge");

    let names = NamedAreas::ottawa_sample();
    assert_eq!(names.covers("Orléans", pt(45.47, -75.51)), Some(true));
    assert_eq!(names.covers("orleans", pt(45.47, -75.51)), Some(true));
}

#[test]
fn importer_gets_a_crate_error() {
    let bow = Polygon::new(
        LineString::from(vec![
            (0.0, 0.0),
            (1.0, 1.0),
            (1.0, 0.0),
            (0.0, 1.0),
            (0.0, 0.0),
        ]),
        vec![],
    );
    let problem = validate_area(&MultiPolygon(vec![bow])).unwrap_err();
    assert_eq!(
        problem,
        AreaProblem::SelfIntersection {
            polygon: 0,
            ring: 0
        }
    );
    let err: Error = problem.into();
    assert_eq!(err.to_string(), "ring 0 of polygon 0 intersects itself");
}

#[test]
fn flat_model_is_a_drop_in() {
    fn nearest<'a>(
        m: &impl DistanceModel,
        from: GeoPoint,
        to: &'a [(&'a str, GeoPoint)],
    ) -> &'a str {
        to.iter()
            .min_by(|a, b| m.distance_m(from, a.1).total_cmp(&m.distance_m(from, b.1)))
            .map(|x| x.0)
            .unwrap()
    }
    let sites = [("a", pt(45.43, -75.69)), ("b", pt(45.31, -75.90))];
    let r = pt(45.42, -75.70);
    assert_eq!(
        nearest(&Haversine, r, &sites),
        nearest(&Equirectangular, r, &sites)
    );
}
