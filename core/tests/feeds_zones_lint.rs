//! Time zones as feeds give them (IANA names on schedule rows, a zone set by the caller, none
//! at all) on a small Eastern fixture written for these tests, and the lint warnings a
//! maintainer acts on: placeholder and stray coordinates, dates in the future or in the wrong
//! order, and data too old by any of its dates.

use passerelle::{hsds::*, matching::*, model::*};

const ORG: (&str, &str) = ("organizations", "id,name\no1,Harbourside Help Network\n");

fn import(tables: &[(&str, &str)], opts: &ImportOptions) -> Imported {
    import_tables(tables.iter().map(|(n, b)| (*n, b.as_bytes())), opts)
}

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(jiff::civil::date(2026, 12, 4)),
        ..ImportOptions::default()
    }
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

/// An evening legal clinic (Monday 18:00–20:00) in an Eastern city, and a tax clinic on the
/// West Coast (Monday 09:00–12:00), each row naming its zone.
fn two_coasts(eastern_zone: &str) -> Vec<(&'static str, String)> {
    vec![
        (ORG.0, ORG.1.to_owned()),
        (
            "services",
            "id,organization_id,name\nlegal,o1,Evening legal clinic\ntax,o1,Tax return help\n"
                .to_owned(),
        ),
        (
            "locations",
            "id,name,location_type,latitude,longitude\neast,Harbour library,physical,39.29,-76.61\nwest,Bayside hall,physical,37.56,-122.32\n"
                .to_owned(),
        ),
        (
            "service_at_location",
            "id,service_id,location_id\nx-legal,legal,east\nx-tax,tax,west\n".to_owned(),
        ),
        (
            "schedules",
            format!(
                "id,service_id,location_id,timezone,freq,byday,opens_at,closes_at\n\
                 sc-legal,legal,east,{eastern_zone},WEEKLY,MO,18:00,20:00\n\
                 sc-tax,tax,west,America/Los_Angeles,WEEKLY,MO,09:00,12:00\n"
            ),
        ),
        (
            "languages",
            "id,service_id,code\nla1,legal,en\nla2,tax,en\n".to_owned(),
        ),
    ]
}

fn hours_of(d: &Directory, sal_id: &str) -> OpeningHours {
    let sal = d
        .service_at_locations
        .iter()
        .find(|s| s.id == sal_id)
        .unwrap();
    let zone = directory_time_zone(&d.meta).unwrap();
    OpeningHours::compile(schedules_for(sal, &d.schedules), &zone).unwrap()
}

#[test]
fn eastern_hours_follow_daylight_saving_per_location() {
    let t = two_coasts("America/New_York");
    let tables: Vec<(&str, &str)> = t.iter().map(|(n, b)| (*n, b.as_str())).collect();
    let i = import(&tables, &opts());
    assert!(i.report.is_clean(), "{}", i.report);
    // two zones: a note per zone, no directory zone, no UTC warning (every timed row has one)
    assert_eq!(i.report.of_kind(ProblemKind::Normalized).count(), 2);
    assert_eq!(i.report.of_kind(ProblemKind::NoTimeZone).count(), 0);
    assert_eq!(i.directory.meta.timezone, None);
    let legal = hours_of(&i.directory, "x-legal");
    let tax = hours_of(&i.directory, "x-tax");
    assert_eq!(legal.time_zone().iana_name(), Some("America/New_York"));
    assert_eq!(tax.time_zone().iana_name(), Some("America/Los_Angeles"));
    let open = |h: &OpeningHours, t: &str| h.is_open_at(ts(t)).is_open();
    // US daylight saving starts 2026-03-08. 22:30 UTC on a Monday is 17:30 EST (closed)
    // the week before and 18:30 EDT (open) the week after.
    assert!(!open(&legal, "2026-03-02T22:30:00Z"));
    assert!(open(&legal, "2026-03-09T22:30:00Z"));
    // It ends 2026-11-01: 23:30 UTC is 19:30 EDT (open), then 18:30 EST (open), and
    // 00:30 UTC Tuesday is 20:30 EDT (closed), then 19:30 EST (open).
    assert!(open(&legal, "2026-10-26T23:30:00Z"));
    assert!(!open(&legal, "2026-10-27T00:30:00Z"));
    assert!(open(&legal, "2026-11-03T00:30:00Z"));
    // The same instants on the West Coast tax clinic, in its own zone.
    assert!(open(&tax, "2026-03-09T16:30:00Z")); // 09:30 PDT
    assert!(!open(&tax, "2026-03-02T16:30:00Z")); // 08:30 PST
                                                  // Through the navigator: the legal clinic at 18:30 local, either side of the change.
    let (nav, _) = Navigator::build(i.directory.clone(), NavigatorOptions::default()).unwrap();
    let at = |t: &str| {
        let q = Query::new([Need::text("legal clinic")])
            .near(GeoPoint::new(39.29, -76.61).unwrap(), 5_000.0)
            .at(ts(t))
            .limit(10);
        let res = nav.search(&q).unwrap();
        let m = res.matches().find(|m| m.service_id == "legal").unwrap();
        m.openness.is_open()
    };
    assert!(at("2026-03-09T18:30:00-04:00"));
    assert!(at("2026-03-02T18:30:00-05:00"));
    assert!(!at("2026-03-02T22:30:00Z"));
}

#[test]
fn a_fixed_offset_does_not_follow_daylight_saving() {
    let t = two_coasts("-5");
    let tables: Vec<(&str, &str)> = t.iter().map(|(n, b)| (*n, b.as_str())).collect();
    let i = import(&tables, &opts());
    assert!(i.report.is_clean(), "{}", i.report);
    let legal = hours_of(&i.directory, "x-legal");
    // 18:00–20:00 at UTC-5 all year: 23:30 UTC is open in March and in July alike
    assert!(legal.is_open_at(ts("2026-03-02T23:30:00Z")).is_open());
    assert!(legal.is_open_at(ts("2026-07-06T23:30:00Z")).is_open());
    assert!(!legal.is_open_at(ts("2026-07-06T22:30:00Z")).is_open());
}

#[test]
fn the_caller_sets_the_zone_of_a_feed_without_one() {
    let tables = [
        ORG,
        (
            "services",
            "id,organization_id,name\nlegal,o1,Evening legal clinic\n",
        ),
        (
            "schedules",
            "id,service_id,freq,byday,opens_at,closes_at\nsc1,legal,WEEKLY,MO,18:00,20:00\n",
        ),
    ];
    // no zone anywhere: read in UTC, and the summary line says so
    let bare = import(&tables, &opts());
    assert_eq!(bare.report.of_kind(ProblemKind::NoTimeZone).count(), 1);
    assert!(bare
        .report
        .to_string()
        .contains("; no time zone: schedules read in UTC\n"));
    // the caller's zone
    let zoned = import(
        &tables,
        &ImportOptions {
            time_zone: Some("America/New_York".into()),
            ..opts()
        },
    );
    assert_eq!(zoned.report.of_kind(ProblemKind::NoTimeZone).count(), 0);
    assert!(!zoned.report.to_string().contains("no time zone"));
    assert_eq!(
        zoned.directory.meta.timezone.as_deref(),
        Some("America/New_York")
    );
    let (nav, _) = Navigator::build(zoned.directory, NavigatorOptions::default()).unwrap();
    assert_eq!(nav.time_zone().iana_name(), Some("America/New_York"));
    // an unknown zone is an error naming the option, and the feed loads as without one
    let wrong = import(
        &tables,
        &ImportOptions {
            time_zone: Some("America/Atlantis".into()),
            ..opts()
        },
    );
    let e = wrong.report.errors().next().unwrap();
    assert_eq!(e.field.as_deref(), Some("time_zone"));
    assert!(e.message.contains("America/Atlantis"), "{}", e.message);
    assert_eq!(wrong.directory.services.len(), 1);
    assert_eq!(wrong.report.of_kind(ProblemKind::NoTimeZone).count(), 1);
}

#[test]
fn an_unknown_zone_name_in_a_row_is_an_error_naming_it() {
    let tables = [
        ORG,
        ("services", "id,organization_id,name\ns1,o1,Clinic\n"),
        ("schedules", "id,service_id,timezone,freq,byday,opens_at,closes_at\nsc1,s1,Eastern Time,WEEKLY,MO,09:00,17:00\n"),
    ];
    let i = import(&tables, &opts());
    let e = i.report.errors().next().unwrap();
    assert_eq!(
        (e.record_id.as_deref(), e.field.as_deref()),
        (Some("sc1"), Some("timezone"))
    );
    assert!(e
        .message
        .contains("neither a UTC offset in hours nor an IANA time zone name"));
    // the raw text is kept and written back
    let csv = export_csv_tables(&i.directory);
    let schedules = &csv.iter().find(|(n, _)| n == "schedules.csv").unwrap().1;
    assert!(String::from_utf8_lossy(schedules).contains("Eastern Time"));
}

#[test]
fn zone_names_round_trip_through_both_forms() {
    let t = two_coasts("America/New_York");
    let tables: Vec<(&str, &str)> = t.iter().map(|(n, b)| (*n, b.as_str())).collect();
    let d = import(&tables, &opts()).directory;
    let files = export_csv_tables(&d);
    let csv = import_tables(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    );
    assert_eq!(csv.directory, d);
    let json = import_json(&export_json(&d), &opts()).unwrap();
    assert_eq!(json.directory, d);
}

fn warnings_of(i: &Imported, kind: ProblemKind) -> Vec<(String, Option<String>)> {
    i.report
        .of_kind(kind)
        .map(|p| (p.record_id.clone().unwrap_or_default(), p.field.clone()))
        .collect()
}

const BRANCHES: &str = "id,name,location_type,latitude,longitude\n\
    a,North branch,physical,39.30,-76.60\n\
    b,South branch,physical,39.27,-76.62\n\
    c,East branch,physical,39.29,-76.55\n\
    d,West branch,physical,39.28,-76.68\n\
    e,Centre,physical,39.29,-76.61\n";

#[test]
fn placeholder_and_stray_coordinates_are_flagged() {
    let locations =
        format!("{BRANCHES}nowhere,Typo,physical,0,0\nfar,Swapped sign,physical,39.29,76.61\n");
    let i = import(&[ORG, ("locations", &locations)], &opts());
    assert!(i.report.is_clean());
    let found = warnings_of(&i, ProblemKind::SuspectCoordinates);
    assert_eq!(
        found,
        [
            ("nowhere".to_owned(), Some("latitude".to_owned())),
            ("far".to_owned(), Some("latitude".to_owned())),
        ]
    );
    let far = i
        .report
        .of_kind(ProblemKind::SuspectCoordinates)
        .nth(1)
        .unwrap();
    assert!(
        far.message.contains("km from the middle"),
        "{}",
        far.message
    );
    // a city-wide spread is not flagged
    let i = import(&[ORG, ("locations", BRANCHES)], &opts());
    assert_eq!(warnings_of(&i, ProblemKind::SuspectCoordinates), []);
}

#[test]
fn dates_in_the_future_or_in_the_wrong_order_are_flagged() {
    let tables = [
        ORG,
        (
            "services",
            "id,organization_id,name,assured_date,last_modified\n\
             s1,o1,Checked next year,2027-03-01,\n\
             s2,o1,Edited in the future,2026-06-01,2062-01-01T00:00:00Z\n\
             s3,o1,Fine,2026-06-01,2026-06-02\n",
        ),
        (
            "schedules",
            "id,service_id,valid_from,valid_to,freq,byday,opens_at,closes_at\n\
             sc1,s3,2026-09-01,2026-06-30,WEEKLY,MO,09:00,12:00\n\
             sc2,s3,2026-01-01,2026-06-30,WEEKLY,TU,09:00,12:00\n",
        ),
        (
            "cost_options",
            "id,service_id,valid_from,valid_to,amount\nco1,s3,2027-01-01,2026-01-01,5\n",
        ),
    ];
    let i = import(
        &tables,
        &ImportOptions {
            time_zone: Some("America/New_York".into()),
            ..opts()
        },
    );
    assert!(i.report.is_clean(), "{}", i.report);
    assert_eq!(
        warnings_of(&i, ProblemKind::FutureDate),
        [
            ("s1".to_owned(), Some("assured_date".to_owned())),
            ("s2".to_owned(), Some("last_modified".to_owned())),
        ]
    );
    let order: Vec<_> = warnings_of(&i, ProblemKind::Inconsistent);
    assert_eq!(
        order,
        [
            ("sc1".to_owned(), Some("valid_from".to_owned())),
            ("co1".to_owned(), Some("valid_from".to_owned())),
        ]
    );
    let sc1 = i.report.of_kind(ProblemKind::Inconsistent).next().unwrap();
    assert_eq!(
        sc1.message,
        "valid_from 2026-09-01 is after valid_to 2026-06-30: the schedule never applies"
    );
}

#[test]
fn staleness_is_judged_on_every_date() {
    let tables = [
        ORG,
        (
            "services",
            "id,organization_id,name,assured_date,last_modified\n\
             old,o1,Assured long ago,2014-05-01,\n\
             edited,o1,Assured long ago but edited,2014-05-01,2026-10-01T12:00:00Z\n\
             modified,o1,Only modified,,2015-02-01\n\
             noted,o1,Dated in metadata,,\n",
        ),
        (
            "metadata",
            "id,resource_id,resource_type,last_action_date,last_action_type\n\
             m1,noted,service,2014-07-01,update\n",
        ),
    ];
    let i = import(&tables, &opts());
    assert_eq!(
        warnings_of(&i, ProblemKind::Stale),
        [
            ("old".to_owned(), Some("assured_date".to_owned())),
            ("modified".to_owned(), Some("last_modified".to_owned())),
            ("noted".to_owned(), Some("last_action_date".to_owned())),
        ]
    );
}

#[test]
fn a_feed_dated_only_by_its_data_package_is_stale_too() {
    let package = r#"{"name": "county-2014", "title": "County directory",
        "description": "Snapshot of the county's directory taken 2014-05-25",
        "licenses": [{"name": "CC-BY-4.0"}], "resources": []}"#;
    let tables = [
        ORG,
        ("services", "id,organization_id,name\ns1,o1,Undated\n"),
        ("datapackage.json", package),
    ];
    let i = import(&tables, &opts());
    let stale: Vec<&Problem> = i.report.of_kind(ProblemKind::Stale).collect();
    assert_eq!(stale.len(), 1);
    assert_eq!(stale[0].table, "datapackage");
    assert_eq!(stale[0].field.as_deref(), Some("description"));
    assert!(stale[0].message.contains("2014-05-25"));
    // a `created` date counts first; a recent one is no warning
    let fresh = package.replace(
        "\"name\"",
        "\"created\": \"2026-09-30T08:00:00Z\", \"name\"",
    );
    let tables = [tables[0], tables[1], ("datapackage.json", fresh.as_str())];
    let i = import(&tables, &opts());
    assert_eq!(i.report.of_kind(ProblemKind::Stale).count(), 0);
    // and the package's properties survive export
    let files = export_csv_tables(&i.directory);
    let again = import_tables(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    );
    assert_eq!(again.directory.meta.package, i.directory.meta.package);
    assert_eq!(
        again.directory.meta.package["licenses"][0]["name"],
        "CC-BY-4.0"
    );
    let json = import_json(&export_json(&i.directory), &opts()).unwrap();
    assert_eq!(json.directory.meta.package, i.directory.meta.package);
    assert_eq!(json.directory, i.directory);
}
