//! The full San Mateo County feed (`tests/data/hsds/smc-ohana-full`, BSD-3-Clause, see its
//! ATTRIBUTION.md) as a new user loads it: contact details in every result, detail lookups,
//! named service areas resolved with a supplied gazetteer (`tests/data/gazetteer`, rough
//! outlines drawn for these tests), and a query's whole result exported as HSDS and read back.
//!
//! The feed gives schedules no usable zone of its own: the tests set the directory zone.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::{hsds::*, matching::*, model::*, spatial::*};

/// Inside the test gazetteer's Daly City (and San Mateo County).
const DALY_CITY: (f64, f64) = (37.6879, -122.4702);
/// Inside the test gazetteer's San Mateo (and San Mateo County).
const SAN_MATEO: (f64, f64) = (37.5630, -122.3255);
/// Inside the test gazetteer's San Francisco County, outside San Mateo County.
const SAN_FRANCISCO: (f64, f64) = (37.7749, -122.4194);

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn directory() -> Directory {
    let imported = import_path(data("hsds/smc-ohana-full"), &ImportOptions::default()).unwrap();
    let mut d = imported.directory;
    d.meta.timezone = Some("America/Los_Angeles".into());
    d
}

fn gazetteer() -> NamedAreas {
    let load = NamedAreas::from_path(data("gazetteer/smc-approx.geojson")).unwrap();
    assert!(load.problems.is_empty(), "{:?}", load.problems);
    load.areas
}

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let options = NavigatorOptions {
            named_areas: gazetteer(),
            ..NavigatorOptions::default()
        };
        Navigator::build(directory(), options).unwrap().0
    })
}

fn bare_nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(directory(), NavigatorOptions::default())
            .unwrap()
            .0
    })
}

fn point(p: (f64, f64)) -> GeoPoint {
    GeoPoint::new(p.0, p.1).unwrap()
}

fn query(need: &str, near: (f64, f64)) -> Query {
    Query::new([Need::text(need)])
        .near(point(near), 10_000.0)
        .at("2026-11-18T12:00:00-08:00".parse().unwrap())
        .limit(20)
}

#[test]
fn csv_and_geojson_gazetteers_agree() {
    let csv = NamedAreas::from_path(data("gazetteer/smc-approx.csv")).unwrap();
    assert!(csv.problems.is_empty(), "{:?}", csv.problems);
    let geojson = gazetteer();
    assert_eq!(csv.areas.len(), geojson.len());
    for (name, _) in geojson.iter() {
        for p in [DALY_CITY, SAN_MATEO, SAN_FRANCISCO] {
            assert_eq!(
                csv.areas.covers(name, point(p)),
                geojson.covers(name, point(p)),
                "{name}"
            );
        }
    }
    let bytes = std::fs::read(data("gazetteer/smc-approx.csv")).unwrap();
    assert_eq!(NamedAreas::from_bytes(&bytes).unwrap(), csv);
}

#[test]
fn every_match_carries_what_a_navigator_acts_on() {
    let res = nav().search(&query("counseling", SAN_MATEO)).unwrap();
    let matches: Vec<&Match> = res.matches().collect();
    assert_eq!(matches.len(), 20);
    let with_phone = matches
        .iter()
        .filter(|m| !m.contact.phones.is_empty())
        .count();
    let with_address = matches
        .iter()
        .filter(|m| {
            m.contact
                .address
                .as_ref()
                .is_some_and(|a| !a.city.is_empty())
        })
        .count();
    assert!(
        with_phone * 10 >= matches.len() * 9,
        "{with_phone}/{}",
        matches.len()
    );
    assert!(
        with_address * 10 >= matches.len() * 9,
        "{with_address}/{}",
        matches.len()
    );
    assert!(matches.iter().any(|m| m.contact.website.is_some()));
    assert!(matches
        .iter()
        .any(|m| !m.contact.application_process.is_empty()));
    assert!(matches.iter().any(|m| !m.contact.fees.is_empty()));
    // Every address shown is the matched location's own, every phone one the directory gives
    // to the service, the location, the service at location or the organisation.
    let dir = nav().directory();
    for m in &matches {
        if let (Some(a), Some(loc)) = (&m.contact.address, &m.location_id) {
            assert!(dir
                .addresses
                .iter()
                .any(|r| r.location_id.as_deref() == Some(loc) && r.city == a.city));
        }
        for p in &m.contact.phones {
            assert!(dir.phones.iter().any(|r| r.number.trim() == p.number
                && (r.service_id.as_deref() == Some(&m.service_id)
                    || r.location_id.is_some() && r.location_id == m.location_id
                    || r.service_at_location_id.is_some()
                        && r.service_at_location_id == m.service_at_location_id
                    || r.organization_id.as_deref() == Some(&m.organization_id))));
        }
    }
}

#[test]
fn service_and_location_lookups() {
    let res = nav().search(&query("food pantry", DALY_CITY)).unwrap();
    let m = res.matches().find(|m| m.location_id.is_some()).unwrap();
    let s = nav().service(&m.service_id).unwrap();
    assert_eq!(s.name, m.service_name);
    assert!(s.location_ids.contains(m.location_id.as_ref().unwrap()));
    let l = nav().location(m.location_id.as_ref().unwrap()).unwrap();
    assert!(l.service_ids.contains(&m.service_id));
    assert_eq!(l.addresses.first(), m.contact.address.as_ref());
    assert!(l.point.is_some());
    // 1,122 locations describe their accessibility in words; the lookup keeps the words.
    let described = nav()
        .directory()
        .locations
        .iter()
        .filter_map(|l| nav().location(&l.id))
        .filter(|l| !l.accessibility.is_empty())
        .count();
    assert!(described > 1_000, "{described}");
    assert!(nav().service("no-such-service").is_none());
    assert!(nav().location("no-such-location").is_none());
}

/// The coverage factor of the first match whose service names its area(s) only.
fn coverage_of(nav: &Navigator, need: &str, near: (f64, f64), area: &str) -> Vec<Option<f64>> {
    let dir = nav.directory();
    let named: BTreeSet<&str> = dir
        .service_areas
        .iter()
        .filter(|a| a.name.value == area && a.extent.is_none())
        .filter_map(|a| a.service_id.as_deref())
        .collect();
    let res = nav.search(&query(need, near).limit(100)).unwrap();
    res.matches()
        .filter(|m| named.contains(m.service_id.as_str()))
        .map(|m| m.breakdown.get(Factor::Coverage).value)
        .collect()
}

#[test]
fn named_areas_resolve_with_the_supplied_gazetteer() {
    // Without a gazetteer every named area is unknown: coverage 0.5 for all.
    let unknown = coverage_of(bare_nav(), "food pantry", DALY_CITY, "San Mateo County");
    assert!(!unknown.is_empty());
    assert!(unknown.iter().all(|v| *v == Some(0.5)), "{unknown:?}");
    // With it, a Daly City resident is inside San Mateo County.
    let known = coverage_of(nav(), "food pantry", DALY_CITY, "San Mateo County");
    assert!(!known.is_empty());
    assert!(known.iter().all(|v| *v == Some(1.0)), "{known:?}");
    let daly = coverage_of(nav(), "food", DALY_CITY, "Daly City");
    assert!(daly.contains(&Some(1.0)), "{daly:?}");
    // A San Francisco resident is outside services serving San Mateo County only.
    let q = query("food pantry", SAN_FRANCISCO);
    let with = nav().search(&q).unwrap();
    let without = bare_nav().search(&q).unwrap();
    assert!(with.needs[0].counts.outside_area > 0);
    assert_eq!(without.needs[0].counts.outside_area, 0);
}

#[test]
fn feed_extents_serve_as_a_gazetteer() {
    // One service area drawn with an extent makes every area of that name known.
    let mut d = directory();
    let smc = gazetteer();
    let Some(NamedExtent::Polygon(county)) = smc.get("San Mateo County").cloned() else {
        panic!("polygon");
    };
    let row = d
        .service_areas
        .iter_mut()
        .find(|a| a.name.value == "San Mateo County")
        .unwrap();
    row.extent = Some(county);
    let (nav, _) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    assert!(nav.named_areas().get("county of san mateo").is_some());
    let cov = coverage_of(&nav, "food pantry", DALY_CITY, "San Mateo County");
    assert!(!cov.is_empty());
    assert!(cov.iter().all(|v| *v == Some(1.0)), "{cov:?}");
}

#[test]
fn a_querys_whole_result_exports_and_reads_back() {
    let q = Query::new([Need::text("health")])
        .near(point(SAN_MATEO), 50_000.0)
        .limit(3);
    let page = nav().search(&q).unwrap();
    assert!(page.needs[0].total > 100, "more than one page of 100");
    let sub = nav().export_query_directory(&q).unwrap();
    let page_services: BTreeSet<&str> = page.matches().map(|m| m.service_id.as_str()).collect();
    assert!(sub.services.len() > page_services.len());
    let json = export_json(&sub);
    let back = import_json(&json, &ImportOptions::default()).unwrap();
    let ids =
        |d: &Directory| -> BTreeSet<String> { d.services.iter().map(|s| s.id.clone()).collect() };
    assert_eq!(ids(&back.directory), ids(&sub));
    assert_eq!(back.directory.phones.len(), sub.phones.len());
    assert_eq!(back.directory.addresses.len(), sub.addresses.len());
    // The CSV tables carry the same services.
    let tables = export_csv_tables(&sub);
    let services = tables.iter().find(|(n, _)| n == "services.csv").unwrap();
    let rows = services.1.iter().filter(|b| **b == b'\n').count();
    assert!(rows > sub.services.len(), "{rows}");
}

#[test]
fn a_service_lookup_gives_the_numbers_of_its_places() {
    // San Mateo gives every phone to a location: a service's numbers are its places'.
    let res = nav().search(&query("counseling", SAN_MATEO)).unwrap();
    let m = res
        .matches()
        .find(|m| !m.contact.phones.is_empty())
        .unwrap();
    let s = nav().service(&m.service_id).unwrap();
    assert!(m
        .contact
        .phones
        .iter()
        .all(|p| s.contact.phones.contains(p)));
    // Exported as a sub-directory, the service keeps the same contact details.
    let q = query("counseling", SAN_MATEO);
    let sub = nav().export_query_directory(&q).unwrap();
    let (sub_nav, _) = Navigator::build(sub, NavigatorOptions::default()).unwrap();
    assert_eq!(sub_nav.service(&m.service_id).unwrap().contact, s.contact);
}

#[test]
fn no_default_embeds_the_fictional_ottawa_areas() {
    assert!(NavigatorOptions::default().named_areas.is_empty());
    // San Mateo draws no extent: without a supplied gazetteer nothing is known.
    assert!(bare_nav().named_areas().is_empty());
    assert!(bare_nav().named_areas().get("Vanier").is_none());
    assert!(nav().named_areas().get("Vanier").is_none());
    assert!(NavigatorOptions::sample()
        .named_areas
        .get("Vanier")
        .is_some());
}
