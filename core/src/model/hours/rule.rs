//! One schedule row compiled into a cheap day predicate plus a wall-clock interval.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::model::{Freq, Schedule};

/// Seconds in a civil day.
const DAY_S: i32 = 86_400;

/// A `closes_at` at or after this many seconds (23:59:00) is read as the end of the day.
const END_OF_DAY_FROM_S: i32 = 23 * 3600 + 59 * 60;

/// How many days [`Rule::apply_count`] walks at most to find the `count`-th occurrence.
const COUNT_SCAN_DAYS: u32 = 366 * 20;

/// Which days of a month a monthly rule occurs on.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MonthDays {
    /// Bit `d` set: day `d` of the month (1..=31).
    positive: u32,
    /// Bit `d` set: day `-d` of the month (counted from the end, 1..=31).
    negative: u32,
    /// `(ordinal, weekday)` pairs; ordinal `None` means every such weekday.
    weekdays: Vec<(Option<i8>, Weekday)>,
}

/// Which days a rule occurs on, before bounds and `interval` apply.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Pattern {
    /// Bit `i` set: weekday with Monday-zero offset `i`.
    Weekly(u8),
    /// Days of the month.
    Monthly(MonthDays),
}

/// A compiled schedule row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Rule {
    /// Index into `OpeningHours::zones`.
    pub(super) zone: usize,
    /// Opening wall time.
    pub(super) open: Time,
    /// Opening, in seconds after local midnight.
    pub(super) open_s: i32,
    /// Length of an occurrence in wall-clock seconds, `1..=86_400`.
    pub(super) len_s: i32,
    /// Closing wall time (on the next day when `end_next_day`).
    pub(super) end: Time,
    /// True when an occurrence ends on the day after it starts.
    pub(super) end_next_day: bool,
    /// First day an occurrence may start (`valid_from`, `dtstart`).
    pub(super) first: Option<Date>,
    /// Last day an occurrence may start (`valid_to`, `until`, `count`).
    pub(super) last: Option<Date>,
    /// Day pattern.
    pub(super) pattern: Pattern,
    /// Every `interval` weeks or months (`>= 1`).
    interval: u32,
    /// Week (weekly: day number of the week start) or month index (monthly) of the anchor.
    anchor: i32,
}

impl Rule {
    /// Compiles a row, or `None` when it contributes no occurrence (no `freq`, missing times,
    /// `count = 0`, an empty pattern, bounds that exclude every day).
    pub(super) fn compile(row: &Schedule, zone: usize) -> Option<Self> {
        let freq = row.freq?;
        let (open, close) = (row.opens_at?, row.closes_at?);
        if row.count == Some(0) {
            return None;
        }
        let open_s = seconds(open);
        let mut close_s = seconds(close);
        if close_s >= END_OF_DAY_FROM_S {
            close_s = DAY_S;
        }
        let len_s = if close_s > open_s {
            close_s - open_s
        } else {
            close_s + DAY_S - open_s
        };
        let end_s = open_s + len_s;
        let end_next_day = end_s >= DAY_S;
        let end = time_of(if end_next_day { end_s - DAY_S } else { end_s })?;

        let first = max_opt(row.valid_from, row.dtstart);
        let last = min_opt(row.valid_to, row.until);
        let anchor_day = row.dtstart.or(row.valid_from);
        let mut interval = row.interval.unwrap_or(1).max(1);
        if anchor_day.is_none() {
            // Without an anchor there is no way to tell which weeks/months are "on".
            interval = 1;
        }

        let pattern = match freq {
            Freq::Weekly => {
                let mut mask = 0u8;
                for by in &row.byday {
                    mask |= 1 << weekday_index(by.weekday);
                }
                if row.byday.is_empty() {
                    mask = 1 << weekday_index(row.dtstart?.weekday());
                }
                Pattern::Weekly(mask)
            }
            Freq::Monthly => {
                let mut days = MonthDays {
                    positive: 0,
                    negative: 0,
                    weekdays: row
                        .byday
                        .iter()
                        .map(|b| (b.ordinal.filter(|&o| o != 0), b.weekday))
                        .collect(),
                };
                for &md in &row.bymonthday {
                    match md {
                        1..=31 => days.positive |= 1 << md,
                        -31..=-1 => days.negative |= 1 << -md,
                        // 0, 40, -40: never a day of a month.
                        _ => {}
                    }
                }
                if row.bymonthday.is_empty() && row.byday.is_empty() {
                    days.positive = 1 << row.dtstart?.day();
                } else if !row.bymonthday.is_empty() && days.positive == 0 && days.negative == 0 {
                    return None;
                }
                Pattern::Monthly(days)
            }
        };

        let anchor = match (&pattern, anchor_day) {
            (Pattern::Weekly(_), Some(a)) => {
                let wkst = week_start(row);
                let back = (weekday_index(a.weekday()) + 7 - weekday_index(wkst)) % 7;
                day_number(a) - i32::from(back)
            }
            (Pattern::Monthly(_), Some(a)) => month_index(a),
            (_, None) => 0,
        };

        let mut rule = Self {
            zone,
            open,
            open_s,
            len_s,
            end,
            end_next_day,
            first,
            last,
            pattern,
            interval,
            anchor,
        };
        if let (Some(count), Some(start)) = (row.count, anchor_day) {
            rule.apply_count(count, start);
        }
        if let (Some(f), Some(l)) = (rule.first, rule.last) {
            if f > l {
                return None;
            }
        }
        if matches!(rule.pattern, Pattern::Weekly(0)) {
            return None;
        }
        Some(rule)
    }

    /// Narrows `last` to the day of the `count`-th occurrence counted from `start` (RRULE
    /// counts from `dtstart` even when `valid_from` hides the first occurrences).
    ///
    /// If the `count`-th occurrence is more than [`COUNT_SCAN_DAYS`] away, the count does not
    /// bound the rule.
    fn apply_count(&mut self, count: u32, start: Date) {
        let mut day = start;
        let mut seen = 0u32;
        for _ in 0..COUNT_SCAN_DAYS {
            if self.last.is_some_and(|l| day > l) {
                return;
            }
            if self.matches_pattern(day) {
                seen += 1;
                if seen >= count {
                    self.last = Some(day);
                    return;
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => return,
            }
        }
    }

    /// True when an occurrence starts on local day `day`.
    #[inline]
    pub(super) fn occurs_on(&self, day: Date) -> bool {
        if self.first.is_some_and(|f| day < f) || self.last.is_some_and(|l| day > l) {
            return false;
        }
        self.matches_pattern(day)
    }

    /// True when `day` matches the day pattern and `interval`, ignoring bounds.
    #[inline]
    fn matches_pattern(&self, day: Date) -> bool {
        match &self.pattern {
            Pattern::Weekly(mask) => {
                if mask & (1 << weekday_index(day.weekday())) == 0 {
                    return false;
                }
                self.interval == 1
                    || (day_number(day) - self.anchor)
                        .div_euclid(7)
                        .rem_euclid(self.interval_i32())
                        == 0
            }
            Pattern::Monthly(days) => {
                if self.interval != 1
                    && (month_index(day) - self.anchor).rem_euclid(self.interval_i32()) != 0
                {
                    return false;
                }
                days.contains(day)
            }
        }
    }

    /// True when the rule is not restricted to every n-th week or month.
    pub(super) fn is_every_week(&self) -> bool {
        self.interval == 1
    }

    fn interval_i32(&self) -> i32 {
        i32::try_from(self.interval).unwrap_or(i32::MAX)
    }

    /// Wall-clock start and end of the occurrence starting on `day`.
    #[inline]
    pub(super) fn wall(&self, day: Date) -> Option<(DateTime, DateTime)> {
        let start = day.to_datetime(self.open);
        let end_day = if self.end_next_day {
            day.tomorrow().ok()?
        } else {
            day
        };
        Some((start, end_day.to_datetime(self.end)))
    }

    /// Start and end instants of the occurrence starting on `day`, resolving wall times that
    /// do not exist or occur twice with jiff's compatible disambiguation. `None` for an
    /// occurrence that is empty after resolution or out of range.
    #[inline]
    pub(super) fn instants(&self, day: Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
        let (start, end) = self.wall(day)?;
        let start = tz.to_timestamp(start).ok()?;
        let end = tz.to_timestamp(end).ok()?;
        (start < end).then_some((start, end))
    }
}

impl MonthDays {
    fn contains(&self, day: Date) -> bool {
        let d = day.day();
        let dim = day.days_in_month();
        let by_monthday = self.positive == 0 && self.negative == 0
            || self.positive & (1 << d) != 0
            || self.negative & (1 << (dim - d + 1)) != 0;
        if !by_monthday {
            return false;
        }
        if self.weekdays.is_empty() {
            return true;
        }
        let wd = day.weekday();
        self.weekdays.iter().any(|&(ordinal, w)| {
            w == wd
                && match ordinal {
                    None => true,
                    Some(n) if n > 0 => (d - 1) / 7 + 1 == n,
                    // i16: `-n` overflows i8 for a hostile ordinal of -128.
                    Some(n) => i16::from((dim - d) / 7 + 1) == -i16::from(n),
                }
        })
    }
}

/// Seconds after midnight (sub-seconds dropped).
pub(super) fn seconds(t: Time) -> i32 {
    i32::from(t.hour()) * 3600 + i32::from(t.minute()) * 60 + i32::from(t.second())
}

/// The wall time `s` seconds after midnight (`0 <= s < 86_400`).
fn time_of(s: i32) -> Option<Time> {
    let h = i8::try_from(s / 3600).ok()?;
    let m = i8::try_from(s / 60 % 60).ok()?;
    let sec = i8::try_from(s % 60).ok()?;
    Time::new(h, m, sec, 0).ok()
}

/// Monday = 0 … Sunday = 6.
pub(super) fn weekday_index(w: Weekday) -> u8 {
    w.to_monday_zero_offset().unsigned_abs()
}

/// The RRULE `WKST` from the row's extra columns (default Monday).
fn week_start(row: &Schedule) -> Weekday {
    let code = row
        .extra
        .get("wkst")
        .and_then(|v| v.as_str())
        .map(|s| s.trim().to_ascii_uppercase());
    match code.as_deref() {
        Some("TU") => Weekday::Tuesday,
        Some("WE") => Weekday::Wednesday,
        Some("TH") => Weekday::Thursday,
        Some("FR") => Weekday::Friday,
        Some("SA") => Weekday::Saturday,
        Some("SU") => Weekday::Sunday,
        _ => Weekday::Monday,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian).
pub(super) fn day_number(d: Date) -> i32 {
    let (m, dd) = (i32::from(d.month()), i32::from(d.day()));
    let y = i32::from(d.year()) - i32::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn month_index(d: Date) -> i32 {
    i32::from(d.year()) * 12 + i32::from(d.month()) - 1
}

fn max_opt(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn min_opt(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ByDay;
    use jiff::civil::{date, time};

    #[test]
    fn day_number_matches_epoch() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2000, 3, 1)), 11_017);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
    }

    #[test]
    fn last_friday() {
        let row = Schedule {
            freq: Some(Freq::Monthly),
            byday: vec![ByDay {
                ordinal: Some(-1),
                weekday: Weekday::Friday,
            }],
            opens_at: Some(time(9, 0, 0, 0)),
            closes_at: Some(time(17, 0, 0, 0)),
            ..Default::default()
        };
        let rule = Rule::compile(&row, 0).unwrap();
        assert!(rule.occurs_on(date(2026, 1, 30)));
        assert!(!rule.occurs_on(date(2026, 1, 23)));
        assert!(rule.occurs_on(date(2026, 2, 27)));
    }

    #[test]
    fn count_sets_last_day() {
        let row = Schedule {
            freq: Some(Freq::Weekly),
            dtstart: Some(date(2026, 1, 5)),
            count: Some(3),
            byday: vec![ByDay {
                ordinal: None,
                weekday: Weekday::Monday,
            }],
            opens_at: Some(time(9, 0, 0, 0)),
            closes_at: Some(time(17, 0, 0, 0)),
            ..Default::default()
        };
        let rule = Rule::compile(&row, 0).unwrap();
        assert_eq!(rule.last, Some(date(2026, 1, 19)));
    }

    #[test]
    fn count_starts_at_dtstart_even_when_valid_from_is_later() {
        let row = Schedule {
            freq: Some(Freq::Weekly),
            dtstart: Some(date(2026, 1, 5)),
            valid_from: Some(date(2026, 1, 13)),
            count: Some(3),
            byday: vec![ByDay {
                ordinal: None,
                weekday: Weekday::Monday,
            }],
            opens_at: Some(time(9, 0, 0, 0)),
            closes_at: Some(time(17, 0, 0, 0)),
            ..Default::default()
        };
        let rule = Rule::compile(&row, 0).unwrap();
        assert_eq!(rule.last, Some(date(2026, 1, 19)));
        assert!(!rule.occurs_on(date(2026, 1, 12)));
        assert!(rule.occurs_on(date(2026, 1, 19)));
    }
}
