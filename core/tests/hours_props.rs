//! Property tests for opening hours: arbitrary schedule field combinations never panic, and
//! the boundaries reported are consistent (a reported opening is open, a reported closing
//! is closed).

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use passerelle::model::{
    ByDay, Freq, HoursError, LangCode, OpenState, OpeningHours, Openness, Schedule,
};
use proptest::prelude::*;

const ZONES: [&str; 6] = [
    "America/Toronto",
    "UTC",
    "Europe/Paris",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];

fn weekday() -> impl Strategy<Value = Weekday> {
    (0i8..7).prop_map(|i| Weekday::from_monday_zero_offset(i).unwrap())
}

fn day() -> impl Strategy<Value = Date> {
    (0i64..1100).prop_map(|d| {
        jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(d))
            .unwrap()
    })
}

fn time_of_day() -> impl Strategy<Value = Time> {
    prop_oneof![
        // Round hours, midnight and the 24/7 spellings are common in real data.
        (0i8..24).prop_map(|h| Time::new(h, 0, 0, 0).unwrap()),
        Just(Time::new(23, 59, 59, 0).unwrap()),
        (0i8..24, 0i8..60, 0i8..60).prop_map(|(h, m, s)| Time::new(h, m, s, 0).unwrap()),
    ]
}

fn offset_hours() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-12i32..=14).prop_map(f64::from),
        Just(5.5),
        Just(-3.5),
        Just(f64::NAN),
        Just(40.0),
    ]
}

fn schedule() -> impl Strategy<Value = Schedule> {
    let days = (
        proptest::option::of(day()),
        proptest::option::of(day()),
        proptest::option::of(day()),
        proptest::option::of(day()),
    );
    let rule = (
        proptest::option::weighted(0.9, prop_oneof![Just(Freq::Weekly), Just(Freq::Monthly)]),
        proptest::option::of(0u32..5),
        proptest::option::of(0u32..12),
        proptest::collection::vec((proptest::option::of(-6i8..7), weekday()), 0..4),
        proptest::collection::vec(-40i8..41, 0..3),
        proptest::option::weighted(0.9, time_of_day()),
        proptest::option::weighted(0.9, time_of_day()),
        proptest::option::weighted(0.15, offset_hours()),
    );
    (days, rule).prop_map(
        |(
            (valid_from, valid_to, dtstart, until),
            (freq, interval, count, byday, bymonthday, opens_at, closes_at, timezone),
        )| Schedule {
            id: "row".into(),
            valid_from,
            valid_to,
            dtstart,
            until,
            timezone,
            count,
            freq,
            interval,
            byday: byday
                .into_iter()
                .map(|(ordinal, weekday)| ByDay { ordinal, weekday })
                .collect(),
            bymonthday,
            opens_at,
            closes_at,
            ..Default::default()
        },
    )
}

fn instant() -> impl Strategy<Value = Timestamp> {
    // 2025-01-01 .. 2028-01-01, at minute or second resolution.
    prop_oneof![
        (0i64..(3 * 366 * 1440)).prop_map(|m| m * 60),
        0i64..(3 * 366 * 86_400),
    ]
    .prop_map(|s| Timestamp::from_second(1_735_689_600 + s).unwrap())
}

proptest! {
    // 384 cases by default; `PROPTEST_CASES` overrides.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(384),
        ..ProptestConfig::default()
    })]

    #[test]
    fn boundaries_are_consistent(
        rows in proptest::collection::vec(schedule(), 0..4),
        zone in 0usize..ZONES.len(),
        t in instant(),
    ) {
        let tz = TimeZone::get(ZONES[zone]).unwrap();
        let hours = match OpeningHours::compile(&rows, &tz) {
            Ok(hours) => hours,
            Err(HoursError::Offset { .. }) => return Ok(()),
            Err(e) => panic!("unexpected error {e}"),
        };
        let state = hours.is_open_at(t);
        match state {
            Openness::Closed { next_opens: Some(n) } => {
                prop_assert!(n > t);
                prop_assert!(hours.is_open_at(n).is_open(), "opens at {n} but is {:?}", hours.is_open_at(n));
                // Just before opening it is still closed.
                let before = n.checked_sub(SignedDuration::from_secs(1)).unwrap();
                if before > t {
                    prop_assert!(!hours.is_open_at(before).is_open());
                }
            }
            Openness::Open { closes_at: Some(c) } => {
                prop_assert!(c > t);
                prop_assert!(!hours.is_open_at(c).is_open(), "closes at {c} but is open");
            }
            Openness::Unknown => prop_assert!(hours.is_unknown()),
            _ => {}
        }
        if let Some(n) = hours.next_opening(t) {
            prop_assert!(n > t);
            prop_assert!(hours.is_open_at(n).is_open());
        }
        if hours.is_always_open() {
            let closes = matches!(state, Openness::Open { closes_at: Some(_) });
            prop_assert!(!closes, "24/7 but closes: {:?}", state);
        }
        // The wall-clock fast path agrees on Unknown, and never panics.
        let local = hours.is_open_local(tz.to_datetime(t));
        prop_assert_eq!(local == OpenState::Unknown, state == Openness::Unknown);
        let _ = hours.opens_within(t, 90);
        let _ = hours.opens_within_local(tz.to_datetime(t), 90);
        let _ = hours.describe(t, &LangCode::fr());
        let _ = hours.describe(t, &LangCode::en());
    }

    #[test]
    fn opens_within_agrees_with_is_open_at(
        rows in proptest::collection::vec(schedule(), 1..3),
        t in instant(),
        minutes in 0u32..3000,
    ) {
        let tz = TimeZone::get("America/Toronto").unwrap();
        let Ok(hours) = OpeningHours::compile(&rows, &tz) else { return Ok(()) };
        let limit = t.checked_add(SignedDuration::from_mins(i64::from(minutes))).unwrap();
        let expected = matches!(
            hours.is_open_at(t),
            Openness::Closed { next_opens: Some(n) } if n <= limit
        );
        prop_assert_eq!(hours.opens_within(t, minutes), expected);
    }
}
