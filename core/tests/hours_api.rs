//! Opening hours through the public API: errors, schedule precedence, phrases, "opens within".

use crate::hours_support::{instant, load_schedules, parse_byday};
use jiff::civil::{date, time};
use jiff::tz::TimeZone;
use passerelle::model::{
    directory_time_zone, parse_time_zone, schedules_for, DirectoryMeta, Freq, HoursError, LangCode,
    OpeningHours, Schedule, ServiceAtLocation,
};

fn toronto() -> TimeZone {
    parse_time_zone("America/Toronto").unwrap()
}

fn weekly(byday: &str, opens: (i8, i8), closes: (i8, i8)) -> Schedule {
    Schedule {
        freq: Some(Freq::Weekly),
        byday: parse_byday(byday),
        opens_at: Some(time(opens.0, opens.1, 0, 0)),
        closes_at: Some(time(closes.0, closes.1, 0, 0)),
        ..Default::default()
    }
}

#[test]
fn invalid_time_zone_is_a_typed_error() {
    assert_eq!(
        parse_time_zone("America/Ottawa_Nowhere"),
        Err(HoursError::TimeZone {
            name: "America/Ottawa_Nowhere".into()
        })
    );
    let meta = DirectoryMeta {
        timezone: Some("not a zone".into()),
        ..Default::default()
    };
    assert!(matches!(
        directory_time_zone(&meta),
        Err(HoursError::TimeZone { .. })
    ));
    assert_eq!(
        directory_time_zone(&DirectoryMeta::default()),
        Ok(TimeZone::UTC)
    );
}

#[test]
fn invalid_row_offset_is_a_typed_error() {
    for hours in [f64::NAN, 19.0, -40.0, f64::INFINITY] {
        let row = Schedule {
            id: "bad".into(),
            timezone: Some(hours),
            ..weekly("MO", (9, 0), (17, 0))
        };
        assert_eq!(
            OpeningHours::compile([&row], &toronto()),
            Err(HoursError::Offset {
                schedule_id: "bad".into()
            }),
            "{hours}"
        );
    }
    let half_hour = Schedule {
        timezone: Some(5.5),
        ..weekly("MO", (9, 0), (17, 0))
    };
    assert!(OpeningHours::compile([&half_hour], &toronto()).is_ok());
}

#[test]
fn schedules_for_precedence() {
    let sal = ServiceAtLocation {
        id: "sal".into(),
        service_id: "svc".into(),
        location_id: "loc".into(),
        ..Default::default()
    };
    let row = |id: &str, sal: Option<&str>, svc: Option<&str>, loc: Option<&str>| Schedule {
        id: id.into(),
        service_at_location_id: sal.map(Into::into),
        service_id: svc.map(Into::into),
        location_id: loc.map(Into::into),
        ..Default::default()
    };
    let ids = |rows: &[Schedule]| -> Vec<String> {
        schedules_for(&sal, rows)
            .iter()
            .map(|s| s.id.clone())
            .collect()
    };
    let all = [
        row("pair", Some("sal"), None, None),
        row("pair-by-ids", None, Some("svc"), Some("loc")),
        row("other-pair", Some("sal-2"), Some("svc"), None),
        row("svc-elsewhere", None, Some("svc"), Some("loc-2")),
        row("svc", None, Some("svc"), None),
        row("loc", None, None, Some("loc")),
    ];
    assert_eq!(ids(&all), ["pair", "pair-by-ids"]);
    assert_eq!(ids(&all[2..]), ["svc"]);
    assert_eq!(ids(&all[5..]), ["loc"]);
    assert!(ids(&all[2..4]).is_empty());
}

#[test]
fn phrases_in_english_and_french() {
    let tz = toronto();
    let hours = OpeningHours::compile(&load_schedules()["field_guidance"], &tz).unwrap();
    let (en, fr) = (LangCode::en(), LangCode::fr());
    let say = |at: &str, lang: &LangCode| hours.describe(instant(at, &tz), lang).unwrap();

    // Thursday after closing → Monday.
    assert_eq!(say("2020-04-09T17:00", &en), "opens Monday at 9:00");
    assert_eq!(say("2020-04-09T17:00", &fr), "ouvre lundi à 9 h");
    // Same day, later.
    assert_eq!(say("2020-04-06T12:30", &en), "opens today at 15:00");
    assert_eq!(say("2020-04-06T12:30", &fr), "ouvre aujourd'hui à 15 h");
    // Tomorrow.
    assert_eq!(say("2020-04-06T18:00", &en), "opens tomorrow at 9:00");
    assert_eq!(say("2020-04-06T18:00", &fr), "ouvre demain à 9 h");
    // Open now.
    assert_eq!(say("2020-04-06T10:00", &en), "open until 12:00");
    assert_eq!(say("2020-04-06T10:00", &fr), "ouvert jusqu'à 12 h");
    // More than a week away: a date.
    assert_eq!(say("2020-03-20T10:00", &en), "opens on April 1 at 9:00");
    assert_eq!(say("2020-03-20T10:00", &fr), "ouvre le 1er avril à 9 h");
    // Nothing left.
    assert_eq!(say("2020-12-18T10:00", &en), "closed, no upcoming hours");
    assert_eq!(
        say("2020-12-18T10:00", &fr),
        "fermé, aucune ouverture prévue"
    );

    let always = OpeningHours::compile(&load_schedules()["always_2359"], &tz).unwrap();
    let now = instant("2026-06-01T12:00", &tz);
    assert_eq!(always.describe(now, &en).unwrap(), "open 24/7");
    assert_eq!(
        always.describe(now, &fr).unwrap(),
        "ouvert 24 h sur 24, 7 jours sur 7"
    );

    let half = OpeningHours::compile([&weekly("MO", (9, 30), (17, 0))], &tz).unwrap();
    let sunday = instant("2026-06-07T12:00", &tz);
    assert_eq!(
        half.describe(sunday, &en).unwrap(),
        "opens tomorrow at 9:30"
    );
    assert_eq!(half.describe(sunday, &fr).unwrap(), "ouvre demain à 9 h 30");

    let night = OpeningHours::compile([&weekly("FR", (20, 0), (2, 0))], &tz).unwrap();
    let friday = instant("2026-06-05T21:00", &tz);
    assert_eq!(
        night.describe(friday, &en).unwrap(),
        "open until tomorrow at 2:00"
    );
    assert_eq!(
        night.describe(friday, &fr).unwrap(),
        "ouvert jusqu'à demain à 2 h"
    );
}

#[test]
fn opens_within_minutes() {
    let tz = toronto();
    let hours = OpeningHours::compile([&weekly("MO", (9, 0), (17, 0))], &tz).unwrap();
    let sunday_night = instant("2026-06-07T23:30", &tz);
    assert!(hours.opens_within(sunday_night, 570));
    assert!(!hours.opens_within(sunday_night, 569));
    assert!(
        !hours.opens_within(instant("2026-06-08T10:00", &tz), 60),
        "already open"
    );
    let local = tz.to_datetime(sunday_night);
    assert!(hours.opens_within_local(local, 570));
    assert!(!hours.opens_within_local(local, 569));
    // Across a spring-forward night the exact answer is one hour shorter than wall time.
    let sat = instant("2026-03-07T23:30", &tz);
    let sunday_hours = OpeningHours::compile([&weekly("SU", (9, 0), (17, 0))], &tz).unwrap();
    assert!(sunday_hours.opens_within(sat, 8 * 60 + 30));
    assert!(!sunday_hours.opens_within(sat, 8 * 60 + 29));
}

#[test]
fn fixed_offset_rows_use_their_own_zone() {
    let tz = toronto();
    let row = Schedule {
        timezone: Some(-5.0),
        ..weekly("MO", (9, 0), (17, 0))
    };
    let hours = OpeningHours::compile([&row], &tz).unwrap();
    // In July Toronto is at -04:00, so 09:00 at -05:00 is 10:00 local.
    let open = instant("2026-07-06T10:00", &tz);
    assert!(hours.is_open_at(open).is_open());
    assert!(!hours.is_open_at(instant("2026-07-06T09:30", &tz)).is_open());
    assert_eq!(
        hours
            .describe(instant("2026-07-05T12:00", &tz), &LangCode::en())
            .unwrap(),
        "opens tomorrow at 10:00"
    );
    // In January the offsets agree.
    assert!(hours.is_open_at(instant("2026-01-05T09:00", &tz)).is_open());
}

#[test]
fn valid_from_and_valid_to_bound_occurrence_days() {
    let tz = toronto();
    let row = Schedule {
        valid_from: Some(date(2026, 6, 3)),
        valid_to: Some(date(2026, 6, 5)),
        ..weekly("MO,TU,WE,TH,FR,SA,SU", (20, 0), (2, 0))
    };
    let hours = OpeningHours::compile([&row], &tz).unwrap();
    assert!(!hours.is_open_at(instant("2026-06-03T01:00", &tz)).is_open());
    assert!(hours.is_open_at(instant("2026-06-03T21:00", &tz)).is_open());
    // The last occurrence (June 5) spills into June 6.
    assert!(hours.is_open_at(instant("2026-06-06T01:00", &tz)).is_open());
    assert!(!hours.is_open_at(instant("2026-06-06T21:00", &tz)).is_open());
}

/// A pairing whose hours are given in both HSDS spellings (rows naming the
/// service-at-location, rows naming its service and location): the navigator merges them as
/// `schedules_for` does, so both report the same hours.
#[test]
fn navigator_hours_follow_schedules_for_when_a_pairing_has_both_spellings() {
    use passerelle::{
        model::{
            Attribute, GeoPoint, Location, Openness, Service, ServiceStatus, TaxonomyTerm, TermCode,
        },
        Directory, Navigator, NavigatorOptions, Need, Query,
    };
    let mut dir = Directory::default();
    dir.meta.timezone = Some("America/Toronto".into());
    dir.taxonomy_terms.push(TaxonomyTerm {
        id: "t-food".into(),
        code: Some(TermCode::new("food.bank").unwrap()),
        ..Default::default()
    });
    dir.services.push(Service {
        id: "svc".into(),
        status: ServiceStatus::Active,
        ..Default::default()
    });
    dir.attributes.push(Attribute {
        id: "a".into(),
        link_id: "svc".into(),
        taxonomy_term_id: "t-food".into(),
        link_type: Some("service_category".into()),
        link_entity: "service".into(),
        ..Default::default()
    });
    dir.locations.push(Location {
        id: "loc".into(),
        point: Some(GeoPoint::new(45.43, -75.69).unwrap()),
        ..Default::default()
    });
    let sal = ServiceAtLocation {
        id: "sal".into(),
        service_id: "svc".into(),
        location_id: "loc".into(),
        ..Default::default()
    };
    dir.service_at_locations.push(sal.clone());
    dir.schedules.push(Schedule {
        id: "mon".into(),
        service_at_location_id: Some("sal".into()),
        ..weekly("MO", (9, 0), (17, 0))
    });
    dir.schedules.push(Schedule {
        id: "tue".into(),
        service_id: Some("svc".into()),
        location_id: Some("loc".into()),
        ..weekly("TU", (9, 0), (17, 0))
    });
    let tz = toronto();
    let hours = OpeningHours::compile(schedules_for(&sal, &dir.schedules), &tz).unwrap();
    let (nav, report) = Navigator::build(dir, NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    // Monday 2026-03-09 and Tuesday 2026-03-10, noon in Toronto.
    for day in ["2026-03-09T12:00:00", "2026-03-10T12:00:00"] {
        let at = instant(day, &tz);
        assert!(
            matches!(hours.is_open_at(at), Openness::Open { .. }),
            "{day}"
        );
        let q = Query::new([Need::term(TermCode::new("food.bank").unwrap())])
            .near(GeoPoint::new(45.44, -75.69).unwrap(), 5_000.0)
            .at(at);
        let res = nav.search(&q).unwrap();
        let m = res.needs[0].matches.first().expect("the pantry is found");
        assert_eq!(m.openness, hours.is_open_at(at), "{day}");
    }
}
