//! What a phone build keeps. Run it as phones build the library, without the default features
//! (no embedded sample directory, no bundled time-zone database):
//! `cargo test -p passerelle --no-default-features --test phone_build`. It runs with the
//! default features too, where the same answers come with the bundled database present.
//!
//! On the real San Mateo County feed: the directory's zone resolves by name from the system
//! database (Android and iOS have one, as this Linux machine does), open-now answers follow
//! that zone, and a snapshot (what an app ships) opens with the same answers.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::path::PathBuf;

use jiff::tz::{TimeZone, TimeZoneDatabase};
use passerelle::{hsds::*, matching::*, model::*};

const ZONE: &str = "America/Los_Angeles";

fn navigator() -> Navigator {
    let feed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full");
    let mut imported = import_path(feed, &ImportOptions::default()).unwrap();
    imported.directory.meta.timezone = Some(ZONE.into());
    let (nav, report) = Navigator::build(imported.directory, NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    nav
}

/// `food` within 20 km of San Mateo, only what is open (or of unknown hours) at `at`.
fn open_food(nav: &Navigator, at: &str) -> Vec<Match> {
    let here = GeoPoint::new(37.53, -122.29).unwrap();
    let q = Query::new([Need::text("food")])
        .near(here, 20_000.0)
        .at(at.parse().unwrap())
        .open_only()
        .limit(50);
    nav.search(&q).unwrap().needs.remove(0).matches
}

fn open_count(matches: &[Match]) -> usize {
    matches.iter().filter(|m| m.openness.is_open()).count()
}

#[test]
fn zone_names_resolve_from_the_system_database() {
    let tz = TimeZone::get(ZONE).unwrap();
    assert_eq!(tz.iana_name(), Some(ZONE));
    assert!(!jiff::tz::db().is_definitively_empty());
    // The bundled copy is in the library exactly when the `tzdb-bundle` feature is on.
    assert_eq!(
        TimeZoneDatabase::bundled().is_definitively_empty(),
        !cfg!(feature = "tzdb-bundle")
    );
}

#[test]
fn a_real_feed_answers_open_now_in_its_zone() {
    let nav = navigator();
    assert_eq!(nav.time_zone().iana_name(), Some(ZONE));
    // Wednesday 18 November 2026, noon and 3 a.m. Pacific time.
    let noon = open_food(&nav, "2026-11-18T12:00:00-08:00");
    let night = open_food(&nav, "2026-11-18T03:00:00-08:00");
    assert!(open_count(&noon) >= 5, "{} open at noon", open_count(&noon));
    assert!(
        open_count(&night) < open_count(&noon),
        "{} open at 3 a.m., {} at noon",
        open_count(&night),
        open_count(&noon)
    );
    // Open-only leaves out what is known to be closed.
    assert!(noon
        .iter()
        .chain(&night)
        .all(|m| !matches!(m.openness, Openness::Closed { .. })));
}

#[test]
fn a_snapshot_opens_with_the_same_answers() {
    let nav = navigator();
    let bytes = nav.to_snapshot().unwrap();
    let (opened, report) = Navigator::from_snapshot(&bytes, NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(opened.time_zone().iana_name(), Some(ZONE));
    for at in ["2026-11-18T12:00:00-08:00", "2026-11-18T03:00:00-08:00"] {
        assert_eq!(open_food(&opened, at), open_food(&nav, at));
    }
}
