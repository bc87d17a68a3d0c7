//! Table-driven opening-hours cases: `tests/data/hours/schedules.csv` holds the schedule rows
//! of each case, `tests/data/hours/cases.csv` the instants to query and the expected answers.

use std::collections::BTreeMap;

use crate::hours_support::{instant, load_schedules};
use passerelle::model::{parse_time_zone, OpenState, OpeningHours, Openness};

#[test]
fn cases_csv() {
    let schedules = load_schedules();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(crate::hours_support::data_path("cases.csv"))
        .unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for record in reader.deserialize::<BTreeMap<String, String>>() {
        let r = record.unwrap();
        n += 1;
        let case = r["case"].as_str();
        let tz = parse_time_zone(&r["zone"]).unwrap();
        let rows = schedules
            .get(case)
            .unwrap_or_else(|| panic!("no schedules for {case}"));
        let hours = OpeningHours::compile(rows, &tz).unwrap();
        let at = instant(&r["at"], &tz);
        let boundary = match r["boundary"].trim() {
            "" => None,
            "none" => Some(None),
            s => Some(Some(instant(s, &tz))),
        };
        let got = hours.is_open_at(at);
        let ok = match (r["expect"].as_str(), got) {
            ("open", Openness::Open { closes_at }) => boundary.is_none_or(|b| b == closes_at),
            ("closed", Openness::Closed { next_opens }) => boundary.is_none_or(|b| b == next_opens),
            ("unknown", Openness::Unknown) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{case} at {}: expected {} {:?}, got {got:?}",
                r["at"], r["expect"], boundary
            ));
        }

        // The local fast path agrees except where the case says otherwise (DST gap/fold).
        let expected_local = match r.get("local").map(|s| s.trim()).unwrap_or("") {
            "" => r["expect"].as_str(),
            other => other,
        };
        let local = hours.is_open_local(tz.to_datetime(at));
        let local_ok = matches!(
            (expected_local, local),
            ("open", OpenState::Open)
                | ("closed", OpenState::Closed)
                | ("unknown", OpenState::Unknown)
        );
        if !local_ok {
            failures.push(format!(
                "{case} at {}: is_open_local expected {expected_local}, got {local:?}",
                r["at"]
            ));
        }

        // next_opening: when closed it is next_opens; when open it comes after closing.
        let next = hours.next_opening(at);
        match got {
            Openness::Closed { next_opens } if next != next_opens => {
                failures.push(format!("{case} at {}: next_opening {next:?}", r["at"]));
            }
            Openness::Open { closes_at: Some(c) } if next.is_some_and(|n| n <= c) => {
                failures.push(format!(
                    "{case} at {}: next_opening {next:?} before closing",
                    r["at"]
                ));
            }
            _ => {}
        }
    }
    assert!(n > 40, "only {n} cases read");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn always_open_flags() {
    let schedules = load_schedules();
    let tz = parse_time_zone("America/Toronto").unwrap();
    let flag = |case: &str| {
        OpeningHours::compile(&schedules[case], &tz)
            .unwrap()
            .is_always_open()
    };
    assert!(flag("always_2359"));
    assert!(flag("always_0000"));
    for case in [
        "weekdays_only_all_day",
        "overnight",
        "daily_9_17",
        "until",
        "no_freq",
    ] {
        assert!(!flag(case), "{case}");
    }
}

#[test]
fn unknown_when_nothing_usable() {
    let tz = parse_time_zone("America/Toronto").unwrap();
    let hours = OpeningHours::compile([], &tz).unwrap();
    assert!(hours.is_unknown());
    let now = jiff::Timestamp::UNIX_EPOCH;
    assert_eq!(hours.is_open_at(now), Openness::Unknown);
    assert_eq!(hours.next_opening(now), None);
    assert!(!hours.opens_within(now, 60));
    assert_eq!(
        hours.describe(now, &passerelle::model::LangCode::en()),
        None
    );
}
