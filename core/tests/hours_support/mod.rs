//! Helpers shared by the opening-hours integration tests: parse the HSDS-like rows of
//! `tests/data/hours/schedules.csv` and the instants of `cases.csv`.
#![allow(dead_code)]

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use passerelle::model::{ByDay, Freq, Schedule};

/// Path of a file under `tests/data/hours`.
pub fn data_path(name: &str) -> String {
    format!("{}/tests/data/hours/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Schedule rows by case name.
pub fn load_schedules() -> BTreeMap<String, Vec<Schedule>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(data_path("schedules.csv"))
        .unwrap();
    let mut out: BTreeMap<String, Vec<Schedule>> = BTreeMap::new();
    for record in reader.deserialize::<BTreeMap<String, String>>() {
        let r = record.unwrap();
        let get = |k: &str| r.get(k).map(|s| s.trim()).filter(|s| !s.is_empty());
        let date = |k: &str| get(k).map(|s| s.parse::<Date>().unwrap());
        let row = Schedule {
            id: get("id").unwrap_or_default().to_owned(),
            valid_from: date("valid_from"),
            valid_to: date("valid_to"),
            dtstart: date("dtstart"),
            until: date("until"),
            timezone: get("timezone").map(|s| s.parse().unwrap()),
            count: get("count").map(|s| s.parse().unwrap()),
            interval: get("interval").map(|s| s.parse().unwrap()),
            freq: get("freq").map(|s| match s {
                "WEEKLY" => Freq::Weekly,
                "MONTHLY" => Freq::Monthly,
                other => panic!("freq {other}"),
            }),
            byday: get("byday").map(parse_byday).unwrap_or_default(),
            bymonthday: get("bymonthday")
                .map(|s| s.split(',').map(|d| d.trim().parse().unwrap()).collect())
                .unwrap_or_default(),
            opens_at: get("opens_at").map(parse_time),
            closes_at: get("closes_at").map(parse_time),
            ..Default::default()
        };
        out.entry(get("case").unwrap().to_owned())
            .or_default()
            .push(row);
    }
    out
}

/// `MO,TU`, `1SA`, `-1FR`.
pub fn parse_byday(s: &str) -> Vec<ByDay> {
    s.split(',')
        .map(|part| {
            let part = part.trim();
            let (ordinal, code) = part.split_at(part.len() - 2);
            ByDay {
                ordinal: (!ordinal.is_empty()).then(|| ordinal.parse().unwrap()),
                weekday: weekday(code),
            }
        })
        .collect()
}

/// RRULE weekday code.
pub fn weekday(code: &str) -> Weekday {
    match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        other => panic!("weekday {other}"),
    }
}

/// `HH:MM[:SS][Z]`; a trailing `Z` is read as local wall time (docs/conventions.md §6).
pub fn parse_time(s: &str) -> Time {
    s.trim_end_matches('Z').parse().unwrap()
}

/// An RFC 3339 instant with an offset, or a local wall time in `tz` (compatible).
pub fn instant(s: &str, tz: &TimeZone) -> Timestamp {
    if let Ok(ts) = s.parse::<Timestamp>() {
        return ts;
    }
    let dt: DateTime = s.parse().unwrap();
    tz.to_timestamp(dt).unwrap()
}
