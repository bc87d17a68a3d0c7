//! Regressions found by the `schedule` fuzz target (`fuzz/fuzz_targets/schedule.rs`).

use jiff::civil::{date, time, Weekday};
use jiff::tz::TimeZone;
use passerelle::model::{ByDay, Freq, OpeningHours, Openness, Schedule};

// Found by fuzz target schedule: a MONTHLY row with a BYDAY ordinal of -128 (`i8::MIN`)
// panicked with "attempt to negate with overflow" in debug builds (hours/rule.rs, `-n` on an
// i8) as soon as the service's openness was asked. The importer only accepts ordinals in
// -53..=53, but `Schedule` is a public struct an app can fill itself. Fix: compare in i16.
#[test]
fn monthly_byday_ordinal_i8_min_does_not_overflow() {
    for ordinal in [i8::MIN, i8::MAX, -1, 1, -5, 5] {
        let row = Schedule {
            id: "sc".into(),
            freq: Some(Freq::Monthly),
            byday: vec![ByDay {
                ordinal: Some(ordinal),
                weekday: Weekday::Friday,
            }],
            opens_at: Some(time(9, 0, 0, 0)),
            closes_at: Some(time(17, 0, 0, 0)),
            ..Default::default()
        };
        let hours = OpeningHours::compile([&row], &TimeZone::UTC).unwrap();
        let t = date(2026, 1, 30)
            .at(10, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp();
        let state = hours.is_open_at(t);
        // 2026-01-30 is the last Friday of January (and the fifth)
        let expect_open = matches!(ordinal, -1 | 5);
        assert_eq!(state.is_open(), expect_open, "ordinal {ordinal}: {state:?}");
        if ordinal.unsigned_abs() > 5 {
            assert!(matches!(state, Openness::Closed { next_opens: None }));
        }
    }
}
