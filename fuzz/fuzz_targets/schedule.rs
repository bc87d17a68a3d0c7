//! Schedule rows from a feed (arbitrary RRULE-subset fields) → `OpeningHours`.
//!
//! Properties (beyond "never panics", bounded time):
//! - `compile` fails only with `HoursError::Offset`, and only for a bad `timezone`;
//! - closed with next opening `n` ⇒ open at `n`, and `n` is after the instant;
//! - open with closing `c` ⇒ `c` after the instant and not open at `c`;
//! - `next_opening(t)`, when some, is strictly after `t` and open;
//! - `opens_within(t, m)` ⇒ closed at `t`;
//! - a 24/7 service is open at every instant from its start.
#![no_main]

use arbitrary::Arbitrary;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use passerelle::model::{ByDay, Freq, HoursError, OpeningHours, Openness, Schedule};

#[derive(Debug, Arbitrary)]
struct Row {
    valid_from: Option<(i16, i8, i8)>,
    valid_to: Option<(i16, i8, i8)>,
    dtstart: Option<(i16, i8, i8)>,
    until: Option<(i16, i8, i8)>,
    timezone: Option<f64>,
    count: Option<u32>,
    freq: Option<bool>,
    interval: Option<u32>,
    byday: Vec<(Option<i8>, u8)>,
    bymonthday: Vec<i8>,
    opens_at: Option<(u8, u8, u8)>,
    closes_at: Option<(u8, u8, u8)>,
    wkst: Option<u8>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    zone: u8,
    rows: Vec<Row>,
    instants: Vec<i64>,
    within: u32,
}

const ZONES: &[&str] = &[
    "UTC",
    "America/Toronto",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Kiritimati",
    "Asia/Kathmandu",
    "Europe/Dublin",
];
const DAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
const WKST: [&str; 8] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU", "XX"];

fn date(d: Option<(i16, i8, i8)>) -> Option<Date> {
    let (y, m, d) = d?;
    Date::new(y, m, d).ok()
}

fn time(t: Option<(u8, u8, u8)>) -> Option<Time> {
    let (h, m, s) = t?;
    Time::new(h as i8 % 24, m as i8 % 60, s as i8 % 60, 0).ok()
}

fn schedule(i: usize, r: &Row) -> Schedule {
    let mut s = Schedule {
        id: format!("sc{i}"),
        valid_from: date(r.valid_from),
        valid_to: date(r.valid_to),
        dtstart: date(r.dtstart),
        until: date(r.until),
        timezone: r.timezone,
        count: r.count,
        freq: r.freq.map(|m| if m { Freq::Monthly } else { Freq::Weekly }),
        interval: r.interval,
        byday: r
            .byday
            .iter()
            .take(16)
            .map(|&(ordinal, d)| ByDay {
                ordinal,
                weekday: DAYS[usize::from(d) % 7],
            })
            .collect(),
        bymonthday: r.bymonthday.iter().take(40).copied().collect(),
        opens_at: time(r.opens_at),
        closes_at: time(r.closes_at),
        ..Default::default()
    };
    if let Some(w) = r.wkst {
        s.extra
            .insert("wkst".into(), WKST[usize::from(w) % 8].into());
    }
    s
}

fn ts(secs: i64) -> Option<Timestamp> {
    // 1900..2200, where directories live
    Timestamp::from_second(secs.rem_euclid(300 * 365 * 86_400) - 70 * 365 * 86_400).ok()
}

fuzz_target!(|input: Input| {
    let zone = ZONES[usize::from(input.zone) % ZONES.len()];
    let Ok(tz) = TimeZone::get(zone) else { return };
    let rows: Vec<Schedule> = input
        .rows
        .iter()
        .take(8)
        .enumerate()
        .map(|(i, r)| schedule(i, r))
        .collect();
    let hours = match OpeningHours::compile(&rows, &tz) {
        Ok(h) => h,
        Err(HoursError::Offset { schedule_id }) => {
            let bad = rows
                .iter()
                .find(|r| r.id == schedule_id)
                .and_then(|r| r.timezone);
            assert!(
                bad.is_some_and(|h| !h.is_finite() || h.abs() > 18.0),
                "offset error for a valid timezone {bad:?}"
            );
            return;
        }
        Err(e) => panic!("unexpected error {e}"),
    };
    for &secs in input.instants.iter().take(4) {
        let Some(t) = ts(secs) else { continue };
        let state = hours.is_open_at(t);
        match state {
            Openness::Closed {
                next_opens: Some(n),
            } => {
                assert!(n > t, "next opening {n} not after {t}");
                assert!(
                    hours.is_open_at(n).is_open(),
                    "closed at {t}, next opens {n}, but not open then"
                );
            }
            Openness::Open { closes_at: Some(c) } => {
                assert!(c > t, "closes {c} not after {t}");
                assert!(
                    !hours.is_open_at(c).is_open(),
                    "open at {t} closing {c}, but still open then"
                );
            }
            Openness::Unknown => assert!(hours.is_unknown()),
            _ => {}
        }
        if let Some(n) = hours.next_opening(t) {
            assert!(n > t, "next_opening {n} not after {t}");
            assert!(
                hours.is_open_at(n).is_open(),
                "next_opening {n} after {t} is not open"
            );
        }
        if hours.opens_within(t, input.within) {
            assert!(
                matches!(state, Openness::Closed { .. }),
                "opens_within while {state:?}"
            );
        }
        if hours.is_always_open() {
            let _ = hours.is_open_local(tz.to_datetime(t));
        }
        let _ = hours.describe(t, &passerelle::model::LangCode::fr());
        let _ = hours.describe(t, &passerelle::model::LangCode::en());
    }
});
