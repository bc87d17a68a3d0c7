//! The full San Mateo County feed (`smc-ohana-full`, 1,709 services, BSD-3-Clause, see its
//! ATTRIBUTION.md) loaded as a deployer would: no error HSDS itself would not raise, hours in
//! the zone the schedule rows name across daylight-saving changes, a wheelchair user who gets
//! results, taxonomy codes with spaces, and an export that keeps the licence.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::{hsds::*, matching::*, model::*};

/// "A project of the Tides Center" at its Pacifica office: Monday to Thursday 08:30–12:30
/// and 13:30–17:30 (to 19:30 on Wednesday), Friday 08:30–13:30, Pacific time.
const TIDES_SERVICE: &str = "9f74b7fa-56c4-5d66-b2e4-e4b1bc6749de";
const TIDES_LOCATION: &str = "ccdc6318-f34e-54b5-8b98-88087217ca92";
const TIDES_POINT: (f64, f64) = (37.635091, -122.491878);
const SAN_MATEO: (f64, f64) = (37.5630, -122.3255);

fn feed_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full")
}

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(jiff::civil::date(2026, 12, 4)),
        ..ImportOptions::default()
    }
}

fn imported() -> &'static Imported {
    static I: OnceLock<Imported> = OnceLock::new();
    I.get_or_init(|| import_path(feed_dir(), &opts()).unwrap())
}

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let (nav, _) =
            Navigator::build(imported().directory.clone(), NavigatorOptions::default()).unwrap();
        nav
    })
}

fn point(p: (f64, f64)) -> GeoPoint {
    GeoPoint::new(p.0, p.1).unwrap()
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[test]
fn the_full_feed_loads_with_no_error() {
    let i = imported();
    let r = &i.report;
    let errors: Vec<String> = r.errors().map(ToString::to_string).collect();
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        errors.first()
    );
    assert_eq!(i.directory.services.len(), 1709);
    assert_eq!(i.directory.schedules.len(), 4053);
    let mut by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for w in r.warnings() {
        *by_kind.entry(format!("{:?}", w.kind)).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> = [
        // services with no language for themselves or their locations
        ("NoLanguage", 785),
        // schedule rows with a description ("By appointment") and no times
        ("NoTimes", 262),
        // national offices (Washington, New York, Chicago, Los Angeles …) far from the county
        ("SuspectCoordinates", 22),
        ("MissingCoordinates", 1),
        // "Information on CD" and "Wheelchair-accessible van": no feature of a place
        ("Unknown", 8),
        // one note for the 4,053 rows naming America/Los_Angeles
        ("Normalized", 1),
        // the data package dates the snapshot 2014-05-25; no service carries a date
        ("Stale", 1),
    ]
    .into_iter()
    .map(|(k, n)| (k.to_owned(), n))
    .collect();
    assert_eq!(by_kind, expected);

    let zone_note = r.of_kind(ProblemKind::Normalized).next().unwrap();
    assert_eq!(zone_note.field.as_deref(), Some("timezone"));
    assert!(
        zone_note
            .message
            .starts_with("4053 row(s) give the IANA time zone \"America/Los_Angeles\""),
        "{}",
        zone_note.message
    );
    let stale = r.of_kind(ProblemKind::Stale).next().unwrap();
    assert_eq!(stale.table, "datapackage");
    assert!(stale.message.contains("2014-05-25"), "{}", stale.message);
    assert!(r.of_kind(ProblemKind::NoTimeZone).next().is_none());
    assert!(r.to_string().contains("0 error(s), 1080 warning(s)\n"));
    // the zone every row names is the directory's
    assert_eq!(
        i.directory.meta.timezone.as_deref(),
        Some("America/Los_Angeles")
    );
    assert_eq!(nav().time_zone().iana_name(), Some("America/Los_Angeles"));
}

#[test]
fn term_codes_with_spaces_load() {
    let d = &imported().directory;
    let community = d
        .taxonomy_terms
        .iter()
        .filter(|t| t.code.as_ref().is_some_and(|c| c.as_str().contains(' ')))
        .count();
    assert_eq!(community, 1449);
    assert!(d
        .taxonomy_terms
        .iter()
        .any(|t| t.code.as_ref().map(TermCode::as_str) == Some("COMMUNITY SERVICES")));
}

/// The Tides Center office's hours, compiled as the navigator does.
fn tides_hours() -> OpeningHours {
    let d = &imported().directory;
    let sal = d
        .service_at_locations
        .iter()
        .find(|s| s.service_id == TIDES_SERVICE && s.location_id == TIDES_LOCATION)
        .unwrap();
    let zone = directory_time_zone(&d.meta).unwrap();
    OpeningHours::compile(schedules_for(sal, &d.schedules), &zone).unwrap()
}

#[test]
fn hours_follow_pacific_time_across_daylight_saving() {
    let h = tides_hours();
    assert_eq!(h.time_zone().iana_name(), Some("America/Los_Angeles"));
    let open = |t: &str| h.is_open_at(ts(t)).is_open();
    // Friday 08:30–13:30. 21:00 UTC is 13:00 PST before the change (open) and 14:00 PDT
    // after it (closed), 2026-03-08.
    assert!(open("2026-03-06T21:00:00Z"));
    assert!(!open("2026-03-13T21:00:00Z"));
    // And back on 2026-11-01: 20:45 UTC is 13:45 PDT (closed), then 12:45 PST (open).
    assert!(!open("2026-10-30T20:45:00Z"));
    assert!(open("2026-11-06T20:45:00Z"));
    // 02:43 Pacific on a Friday is not "open until 13:30" (it was, read in UTC).
    assert!(!open("2026-11-06T02:43:00-08:00"));
    assert_eq!(
        h.is_open_at(ts("2026-11-06T02:43:00-08:00")),
        Openness::Closed {
            next_opens: Some(ts("2026-11-06T08:30:00-08:00"))
        }
    );
    // Opening on the first Friday after the change, in local time.
    assert_eq!(
        h.next_opening(ts("2026-03-12T23:00:00-07:00")),
        Some(ts("2026-03-13T08:30:00-07:00"))
    );
}

#[test]
fn a_search_at_night_does_not_say_open() {
    let q = Query::new([Need::text("food pantry")])
        .near(point(TIDES_POINT), 2_000.0)
        .at(ts("2026-11-06T02:43:00-08:00"))
        .limit(100);
    let res = nav().search(&q).unwrap();
    let m = res
        .matches()
        .find(|m| m.service_id == TIDES_SERVICE)
        .unwrap_or_else(|| {
            panic!(
                "{:?} {:?}",
                res.needs[0].counts,
                res.matches()
                    .map(|m| (&m.service_id, &m.service_name.value))
                    .collect::<Vec<_>>()
            )
        });
    assert_eq!(
        m.openness,
        Openness::Closed {
            next_opens: Some(ts("2026-11-06T08:30:00-08:00"))
        }
    );
    let open = nav()
        .search(&q.clone().at(ts("2026-11-06T10:00:00-08:00")))
        .unwrap();
    let m = open
        .matches()
        .find(|m| m.service_id == TIDES_SERVICE)
        .unwrap();
    assert!(m.openness.is_open(), "{:?}", m.openness);
}

fn counselling(strict: bool) -> SearchResults {
    let mut q = Query::new([Need::text("counselling")])
        .near(point(SAN_MATEO), 10_000.0)
        .delivery(DeliveryPreference::InPersonOnly)
        .accessibility(["wheelchair"])
        .at(ts("2026-11-18T12:00:00-08:00"))
        .limit(50);
    if strict {
        q = q.require_accessibility();
    }
    nav().search(&q).unwrap()
}

/// Location ids whose accessibility records name wheelchair access.
fn wheelchair_places() -> Vec<&'static str> {
    imported()
        .directory
        .accessibility
        .iter()
        .filter(|a| a.features.contains(&AccessFeature::Wheelchair))
        .filter_map(|a| a.location_id.as_deref())
        .collect()
}

#[test]
fn accessibility_text_is_read_as_codes() {
    let d = &imported().directory;
    let count = |f: AccessFeature| {
        d.accessibility
            .iter()
            .filter(|a| a.features.contains(&f))
            .count()
    };
    // "Wheelchair accessible" (1,122 rows): the text is kept as written
    assert_eq!(count(AccessFeature::Wheelchair), 1122);
    assert_eq!(count(AccessFeature::AccessibleWashroom), 401);
    assert_eq!(count(AccessFeature::AccessibleParking), 369);
    assert_eq!(count(AccessFeature::Ramp), 329);
    assert_eq!(count(AccessFeature::Elevator), 282);
    assert!(d
        .accessibility
        .iter()
        .any(|a| a.description.value == "Wheelchair accessible"));
}

#[test]
fn a_wheelchair_user_gets_in_person_counselling() {
    let res = counselling(false);
    let need = &res.needs[0];
    assert!(need.total > 10, "{:?}", need.counts);
    assert_eq!(need.no_match, None);
    let first = &need.matches[0];
    assert_eq!(first.via, DeliveryMode::InPerson);
    assert_eq!(
        first.breakdown.get(Factor::Accessibility).value,
        Some(1.0),
        "a place known to be accessible leads"
    );
    let reason = first
        .reasons
        .iter()
        .find(|r| r.factor == Factor::Accessibility)
        .unwrap();
    assert_eq!(reason.en, "Lists wheelchair access.");
    assert_eq!(reason.fr, "Indique : accès en fauteuil roulant.");
    // places with no accessibility information stay, ranked below, saying so
    let unknown: Vec<&Match> = need
        .matches
        .iter()
        .filter(|m| m.breakdown.get(Factor::Accessibility).value == Some(0.5))
        .collect();
    for m in &unknown {
        let r = m
            .reasons
            .iter()
            .find(|r| r.factor == Factor::Accessibility)
            .unwrap();
        assert!(r.en.starts_with("No accessibility information"), "{}", r.en);
    }

    // strict: only places known to have wheelchair access, in person
    let strict = counselling(true);
    let places = wheelchair_places();
    assert!(strict.needs[0].total > 0);
    assert!(strict.needs[0].total <= need.total);
    for m in strict.matches() {
        assert_eq!(m.via, DeliveryMode::InPerson);
        assert!(places.contains(&m.location_id.as_deref().unwrap()));
    }
}

#[test]
fn export_keeps_the_licence_and_sources() {
    let d = &imported().directory;
    let files = export_csv_tables(d);
    let package = &files
        .iter()
        .find(|(n, _)| n == "datapackage.json")
        .unwrap()
        .1;
    let package: serde_json::Value = serde_json::from_slice(package).unwrap();
    assert_eq!(package["licenses"][0]["name"], "BSD-3-Clause");
    assert!(package["sources"][0]["path"]
        .as_str()
        .unwrap()
        .starts_with("https://github.com/codeforamerica/ohana-api/"));
    assert_eq!(package["title"], "smc-ohana-full-hsds3");
    assert!(package["description"]
        .as_str()
        .unwrap()
        .starts_with("San Mateo County (California)"));
    assert_eq!(
        package["passerelle"]["timezone"], "America/Los_Angeles",
        "the zone read from the rows is written for the next load"
    );
    let again = import_tables(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    );
    assert_eq!(again.directory.meta.package, d.meta.package);
    assert!(again.report.is_clean());
    assert_eq!(again.directory.meta.timezone, d.meta.timezone);
}
