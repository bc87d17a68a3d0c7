//! Coverage scans: service deserts, speed over the whole City of Ottawa, grid keys that join
//! gap cells.

use crate::gaps_support::*;
use passerelle::{gaps::*, referrals::*, spatial::*, *};

fn ottawa() -> LatLonBox {
    LatLonBox::new(pt(44.96, -76.36), pt(45.54, -75.25))
}

fn food() -> CoverageOptions {
    CoverageOptions {
        needs: vec![code("food")],
        ..Default::default()
    }
}

#[test]
fn rural_west_is_an_in_person_food_desert_compared_with_downtown() {
    let rural = LatLonBox::new(pt(45.36, -76.30), pt(45.42, -76.22));
    let downtown = LatLonBox::new(pt(45.415, -75.705), pt(45.435, -75.680));
    let r = coverage_grid(nav(), rural, 1.0, &food()).unwrap();
    let d = coverage_grid(nav(), downtown, 1.0, &food()).unwrap();
    assert!(!r.is_empty() && !d.is_empty());
    let worst_downtown = d.iter().map(|c| c.nearest_m.unwrap()).fold(0.0, f64::max);
    let best_rural = r
        .iter()
        .map(|c| c.nearest_m.unwrap_or(f64::INFINITY))
        .fold(f64::INFINITY, f64::min);
    assert!(worst_downtown < 2_000.0, "{worst_downtown}");
    assert!(
        best_rural > 5.0 * worst_downtown,
        "{best_rural} vs {worst_downtown}"
    );
    let min_downtown = d.iter().map(|c| c.in_person_within_reach).min().unwrap();
    let max_rural = r.iter().map(|c| c.in_person_within_reach).max().unwrap();
    assert!(
        min_downtown > 3 * max_rural.max(1),
        "{min_downtown} vs {max_rural}"
    );
    // Home delivery still reaches the rural west (city-wide meal and grocery delivery).
    assert!(r.iter().all(|c| c.comes_to_resident >= 1));
}

#[test]
fn whole_city_at_one_km_for_every_need_is_quick() {
    let start = std::time::Instant::now();
    let cells = coverage_grid(nav(), ottawa(), 1.0, &CoverageOptions::default()).unwrap();
    let took = start.elapsed();
    let needs: std::collections::BTreeSet<&str> = cells.iter().map(|c| c.need.as_str()).collect();
    assert!(needs.len() >= 25, "{needs:?}");
    let areas = cells.len() / needs.len();
    assert!((5_000..7_000).contains(&areas), "{areas}");
    eprintln!(
        "{} rows ({areas} cells × {} needs) in {took:?}",
        cells.len(),
        needs.len()
    );
    // Generous for unoptimised test builds on a shared 2-core machine.
    assert!(took.as_secs() < 60, "{took:?}");
    // Parents include their children's services.
    let at = |need: &str| {
        cells
            .iter()
            .filter(|c| c.need.as_str() == need)
            .map(|c| c.in_person_within_reach)
            .sum::<u32>()
    };
    assert!(at("food") >= at("food.bank"));
}

#[test]
fn grid_cells_join_gap_cells_on_area() {
    let home = pt(45.4385, -75.6612);
    let key = AreaKey::grid(home, 1_000).unwrap();
    let keys = grid_area_keys(LatLonBox::new(pt(45.43, -75.67), pt(45.45, -75.65)), 1.0).unwrap();
    assert!(keys.contains(&key));
    let cells = coverage_grid(
        nav(),
        LatLonBox::new(pt(45.43, -75.67), pt(45.45, -75.65)),
        1.0,
        &food(),
    )
    .unwrap();
    let c = cells.iter().find(|c| c.area == key).unwrap();
    assert_eq!(Some(c.centroid), key.grid_centre());
}

#[test]
fn named_areas_are_scanned_from_their_centroids() {
    let areas = [named("Kinburn"), named("ByWard Market"), named("Atlantis")];
    let cells = coverage_areas(nav(), &areas, &AreaCentroids::ottawa_sample(), &food()).unwrap();
    assert_eq!(cells.len(), 2, "Atlantis has no centroid");
    assert!(cells[0].nearest_m.unwrap() > cells[1].nearest_m.unwrap());
}

#[test]
fn invalid_scans_are_rejected() {
    let e = coverage_grid(nav(), ottawa(), 0.5, &food()).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Gap(GapError::InvalidOption {
                option: "cell_km",
                ..
            })
        ),
        "{e}"
    );
    let bad = CoverageOptions {
        reach_m: -1.0,
        ..food()
    };
    assert!(coverage_grid(nav(), ottawa(), 1.0, &bad).is_err());
    let world = LatLonBox::new(pt(-80.0, -180.0), pt(80.0, 180.0));
    let e = coverage_grid(nav(), world, 1.0, &food()).unwrap_err();
    assert!(matches!(e, Error::Gap(GapError::TooLarge { .. })), "{e}");
}

proptest::proptest! {
    /// The one grid (`AreaKey::grid`): a box's enumerated keys hold the key of any point inside
    /// it, once each, anywhere on the globe and at any cell size.
    #[test]
    fn grid_area_keys_cover_their_box(
        lat in -89.0f64..89.0, lon in -179.0f64..179.0, dlat in 0.0f64..0.5, dlon in 0.0f64..0.5,
        cell_km in 1.0f64..50.0, u in 0.0f64..1.0, v in 0.0f64..1.0,
    ) {
        let bbox = LatLonBox::new(pt(lat, lon), pt(lat + dlat, (lon + dlon).min(180.0)));
        let keys = grid_area_keys(bbox, cell_km).unwrap();
        let inside = pt(lat + u * dlat, (lon + v * dlon).min(180.0));
        let cell_m = (cell_km * 1000.0).round() as u32;
        proptest::prop_assert!(keys.contains(&AreaKey::grid(inside, cell_m).unwrap()));
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        proptest::prop_assert_eq!(unique.len(), keys.len());
    }
}
