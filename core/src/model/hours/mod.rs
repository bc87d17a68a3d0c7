//! Opening hours: whether a service is open at an instant, when it next opens, and whether it
//! is open 24/7, from HSDS 3.1 schedules (the RRULE subset) in an IANA time zone.
//!
//! Schedules are compiled once per service-at-location into [`OpeningHours`]; queries then
//! cost a few comparisons per schedule row and do not allocate.
//!
//! # Examples
//! ```
//! use jiff::civil::{date, time, Weekday};
//! use passerelle::model::{parse_time_zone, ByDay, Freq, OpeningHours, Openness, Schedule};
//!
//! let weekdays = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday]
//!     .map(|weekday| ByDay { ordinal: None, weekday });
//! let row = Schedule {
//!     id: "morning".into(),
//!     freq: Some(Freq::Weekly),
//!     byday: weekdays.to_vec(),
//!     opens_at: Some(time(9, 0, 0, 0)),
//!     closes_at: Some(time(12, 0, 0, 0)),
//!     ..Default::default()
//! };
//! let toronto = parse_time_zone("America/Toronto")?;
//! let hours = OpeningHours::compile([&row], &toronto)?;
//!
//! // Monday 2026-03-09 at 10:30 in Toronto: open until noon.
//! let now = date(2026, 3, 9).at(10, 30, 0, 0).to_zoned(toronto.clone())?.timestamp();
//! let noon = date(2026, 3, 9).at(12, 0, 0, 0).to_zoned(toronto.clone())?.timestamp();
//! assert_eq!(hours.is_open_at(now), Openness::Open { closes_at: Some(noon) });
//!
//! // Thursday after closing: next opening is Monday morning.
//! let thu = date(2026, 3, 12).at(13, 0, 0, 0).to_zoned(toronto.clone())?.timestamp();
//! let phrase = hours.describe(thu, &passerelle::model::LangCode::fr());
//! assert_eq!(phrase.as_deref(), Some("ouvre lundi à 9 h"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
mod render;
mod rule;

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use crate::model::{DirectoryMeta, LangCode, Schedule, ServiceAtLocation};
use rule::{Pattern, Rule};

/// How many days ahead [`OpeningHours::next_opening`] and [`OpeningHours::is_open_at`] look
/// for an opening or a closing (from the local date of the instant searched from).
pub const HOURS_HORIZON_DAYS: u32 = 400;

/// At most this many back-to-back occurrences are merged when looking for a closing time.
const MAX_CHAIN: usize = 4096;

/// Seconds in a week.
const WEEK_S: i32 = 7 * 86_400;

/// An error compiling opening hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HoursError {
    /// The directory time zone is not a known IANA name.
    #[error("unknown IANA time zone `{name}`")]
    TimeZone {
        /// The name as given.
        name: String,
    },
    /// A schedule row's `timezone` is not a UTC offset in hours within ±18.
    #[error("schedule `{schedule_id}`: `timezone` must be a UTC offset in hours within ±18")]
    Offset {
        /// The schedule row's id.
        schedule_id: String,
    },
}

/// Whether a service is open at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Openness {
    /// Open now.
    Open {
        /// When it closes; `None` when it stays open past the search horizon
        /// ([`HOURS_HORIZON_DAYS`]), as a 24/7 service does.
        closes_at: Option<Timestamp>,
    },
    /// Closed now.
    Closed {
        /// When it next opens; `None` when no opening is scheduled within the horizon.
        next_opens: Option<Timestamp>,
    },
    /// The service has no usable schedule.
    Unknown,
}

impl Openness {
    /// True for [`Openness::Open`].
    ///
    /// # Examples
    /// ```
    /// assert!(passerelle::model::Openness::Open { closes_at: None }.is_open());
    /// assert!(!passerelle::model::Openness::Unknown.is_open());
    /// ```
    pub fn is_open(&self) -> bool {
        matches!(self, Self::Open { .. })
    }

    /// The flat form result rows and the bindings carry: open now (`None` when unknown), and
    /// when a closed service next opens.
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::Openness;
    /// assert_eq!(Openness::Open { closes_at: None }.open_now_and_next(), (Some(true), None));
    /// assert_eq!(Openness::Unknown.open_now_and_next(), (None, None));
    /// ```
    pub fn open_now_and_next(&self) -> (Option<bool>, Option<Timestamp>) {
        match *self {
            Self::Open { .. } => (Some(true), None),
            Self::Closed { next_opens } => (Some(false), next_opens),
            Self::Unknown => (None, None),
        }
    }
}

/// Whether a service is open at a local date-time: [`Openness`] without the boundaries, for
/// ranking many candidates cheaply (see [`OpeningHours::is_open_local`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OpenState {
    /// Open.
    Open,
    /// Closed.
    Closed,
    /// No usable schedule.
    Unknown,
}

/// The weekly coverage found when a service is open around the clock.
#[derive(Debug, Clone, PartialEq)]
struct AlwaysOpen {
    /// From when the coverage is complete (`None`: always).
    from: Option<Timestamp>,
    /// `from` as a date-time in the main zone.
    from_local: Option<DateTime>,
}

/// The opening hours of one service at one location, compiled from its schedule rows.
///
/// Semantics of a row (HSDS 3.1 `schedule`, the RRULE subset):
/// - A row without `freq`, `opens_at` or `closes_at`, or with `count = 0`, contributes
///   nothing; a service whose rows all contribute nothing is [`Openness::Unknown`].
/// - `WEEKLY` occurs on the `byday` weekdays (ordinals ignored; without `byday`, the weekday
///   of `dtstart`), every `interval` weeks counted from the week of `dtstart` (else
///   `valid_from`; with neither, `interval` is ignored). Weeks start on the row's `wkst`
///   extra column, Monday by default.
/// - `MONTHLY` occurs on `bymonthday` days (negative counts from the end; days a month does
///   not have, such as 40 or 31 in April, never occur) and/or ordinal `byday` (`1SA` first
///   Saturday, `-1FR` last Friday, `SA` every Saturday); with both, a day must match both
///   (RRULE). Without either, the day of month of `dtstart`.
/// - `opens_at`/`closes_at` are local wall-clock times. A closing at or before the opening
///   spills into the next day (20:00–02:00); equal times mean 24 hours from the opening, so
///   `00:00`–`00:00` is all day. A closing at 23:59 or later is read as midnight, so
///   `00:00`–`23:59:59` is all day as well.
/// - An occurrence starts on a day within `valid_from..=valid_to`, on or after `dtstart` and
///   on or before `until`; `count` ends the rule at its `count`-th occurrence from `dtstart`
///   (or `valid_from`; ignored without either).
/// - Rows are local to the directory time zone, to the IANA zone a row names
///   (`timezone_name`, daylight-saving changes included), or to a fixed UTC offset when the
///   row's `timezone` is set. When every row names the same IANA zone, the hours are shown
///   in that zone ([`OpeningHours::time_zone`]). Wall times that do not exist (02:30 on the spring-forward day) or
///   occur twice are resolved with jiff's *compatible* disambiguation: a time in a gap moves
///   forward by the gap's length (02:30 → 03:30), an ambiguous time takes the earlier instant.
/// - Several rows are a union; back-to-back occurrences merge into one open period.
///
/// # Examples
/// ```
/// use jiff::civil::{date, time, Weekday};
/// use passerelle::model::{parse_time_zone, ByDay, Freq, OpeningHours, Openness, Schedule};
///
/// // A shelter open every night from 20:00 to 08:00.
/// let every_day = [
///     Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
///     Weekday::Friday, Weekday::Saturday, Weekday::Sunday,
/// ];
/// let row = Schedule {
///     id: "nights".into(),
///     freq: Some(Freq::Weekly),
///     byday: every_day.iter().map(|&weekday| ByDay { ordinal: None, weekday }).collect(),
///     opens_at: Some(time(20, 0, 0, 0)),
///     closes_at: Some(time(8, 0, 0, 0)),
///     ..Default::default()
/// };
/// let tz = parse_time_zone("America/Toronto")?;
/// let hours = OpeningHours::compile([&row], &tz)?;
/// let at = |h| date(2026, 6, 2).at(h, 0, 0, 0).to_zoned(tz.clone()).map(|z| z.timestamp());
///
/// assert!(hours.is_open_at(at(3)?).is_open());
/// assert_eq!(hours.is_open_at(at(12)?), Openness::Closed { next_opens: Some(at(20)?) });
/// assert!(!hours.is_always_open());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningHours {
    /// The directory (main) zone.
    zone: TimeZone,
    /// `zones[0]` is `zone`; then one fixed-offset zone per distinct row offset.
    zones: Vec<TimeZone>,
    /// Compiled rows, sorted by zone.
    rules: Vec<Rule>,
    /// Set when the rows cover every minute of the week.
    always_open: Option<AlwaysOpen>,
}

impl OpeningHours {
    /// Compiles the schedule rows of one service at one location (see [`schedules_for`])
    /// in the directory time zone `zone` (see [`directory_time_zone`]).
    ///
    /// # Errors
    /// [`HoursError::Offset`] when a row's `timezone` is not a finite UTC offset within ±18
    /// hours; [`HoursError::TimeZone`] when a row's `timezone_name` is not a known IANA name.
    ///
    /// # Examples
    /// ```
    /// use passerelle::model::{OpeningHours, Openness, Schedule};
    /// let hours = OpeningHours::compile(&[Schedule::default()], &jiff::tz::TimeZone::UTC)?;
    /// assert_eq!(hours.is_open_at(jiff::Timestamp::UNIX_EPOCH), Openness::Unknown);
    /// # Ok::<(), passerelle::model::HoursError>(())
    /// ```
    pub fn compile<'a, I>(schedules: I, zone: &TimeZone) -> Result<Self, HoursError>
    where
        I: IntoIterator<Item = &'a Schedule>,
    {
        let rows: Vec<&Schedule> = schedules.into_iter().collect();
        // Rows that all name the same IANA zone are that place's zone: shown in it.
        let own = rows
            .first()
            .and_then(|r| r.timezone_name.as_deref())
            .filter(|name| {
                rows.iter()
                    .all(|r| r.timezone_name.as_deref() == Some(*name))
            });
        let main = match own {
            Some(name) => parse_time_zone(name)?,
            None => zone.clone(),
        };
        let mut zones = vec![main.clone()];
        let mut keys: Vec<ZoneKey<'a>> = Vec::new();
        let mut rules = Vec::new();
        for row in rows {
            let key = match (row.timezone_name.as_deref(), row.timezone) {
                (Some(_), _) if own.is_some() => None,
                (Some(name), _) => Some(ZoneKey::Name(name)),
                (None, Some(hours)) => {
                    Some(ZoneKey::Offset(fixed_offset(hours).ok_or_else(|| {
                        HoursError::Offset {
                            schedule_id: row.id.clone(),
                        }
                    })?))
                }
                (None, None) => None,
            };
            let zone_index = match key {
                None => 0,
                Some(key) => match keys.iter().position(|k| *k == key) {
                    Some(i) => i + 1,
                    None => {
                        zones.push(match key {
                            ZoneKey::Name(name) => parse_time_zone(name)?,
                            ZoneKey::Offset(offset) => TimeZone::fixed(offset),
                        });
                        keys.push(key);
                        keys.len()
                    }
                },
            };
            rules.extend(Rule::compile(row, zone_index));
        }
        rules.sort_by_key(|r| r.zone);
        let mut hours = Self {
            zone: main,
            zones,
            rules,
            always_open: None,
        };
        hours.always_open = hours.find_always_open();
        Ok(hours)
    }

    /// The zone the hours are shown in: the IANA zone every row names, else the directory
    /// time zone they were compiled with.
    ///
    /// # Examples
    /// ```
    /// let hours = passerelle::model::OpeningHours::compile([], &jiff::tz::TimeZone::UTC)?;
    /// assert_eq!(hours.time_zone(), &jiff::tz::TimeZone::UTC);
    /// # Ok::<(), passerelle::model::HoursError>(())
    /// ```
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone
    }

    /// True when no schedule row contributes any hours (every query answers `Unknown`).
    ///
    /// # Examples
    /// ```
    /// let hours = passerelle::model::OpeningHours::compile([], &jiff::tz::TimeZone::UTC)?;
    /// assert!(hours.is_unknown());
    /// # Ok::<(), passerelle::model::HoursError>(())
    /// ```
    pub fn is_unknown(&self) -> bool {
        self.rules.is_empty()
    }

    /// True when the rows cover every minute of the week with no end date (a 24/7 service).
    ///
    /// Only `WEEKLY` rows with `interval` 1 and no `valid_to`, `until` or `count` are
    /// considered; a start date (`valid_from`, `dtstart`) is allowed. Rows in different
    /// zones are not combined.
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::{time, Weekday};
    /// use passerelle::model::{ByDay, Freq, OpeningHours, Schedule};
    /// let row = Schedule {
    ///     freq: Some(Freq::Weekly),
    ///     byday: [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday,
    ///             Weekday::Friday, Weekday::Saturday, Weekday::Sunday]
    ///         .map(|weekday| ByDay { ordinal: None, weekday }).to_vec(),
    ///     opens_at: Some(time(0, 0, 0, 0)),
    ///     closes_at: Some(time(23, 59, 59, 0)),
    ///     ..Default::default()
    /// };
    /// assert!(OpeningHours::compile([&row], &jiff::tz::TimeZone::UTC)?.is_always_open());
    /// # Ok::<(), passerelle::model::HoursError>(())
    /// ```
    pub fn is_always_open(&self) -> bool {
        self.always_open.is_some()
    }

    /// Whether the service is open at `instant`, with when it closes or next opens.
    ///
    /// Boundaries are searched up to [`HOURS_HORIZON_DAYS`] ahead. Occurrences that touch
    /// or overlap merge, so `closes_at` is when the service actually closes.
    ///
    /// # Examples
    /// See [`OpeningHours`].
    pub fn is_open_at(&self, instant: Timestamp) -> Openness {
        if self.rules.is_empty() {
            return Openness::Unknown;
        }
        if self.always_open_at(instant) {
            return Openness::Open { closes_at: None };
        }
        match self.covering_end(instant) {
            Some(end) => Openness::Open {
                closes_at: self.merged_end(instant, end),
            },
            None => Openness::Closed {
                next_opens: self.next_start_after(instant, HOURS_HORIZON_DAYS),
            },
        }
    }

    /// The next instant strictly after `after` at which the service opens: if it is open at
    /// `after`, the first opening after it closes. `None` when unknown, open throughout the
    /// horizon, or nothing opens within [`HOURS_HORIZON_DAYS`].
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::{date, time, Weekday};
    /// use passerelle::model::{ByDay, Freq, OpeningHours, Schedule};
    /// let row = Schedule {
    ///     freq: Some(Freq::Weekly),
    ///     byday: vec![ByDay { ordinal: None, weekday: Weekday::Monday }],
    ///     opens_at: Some(time(9, 0, 0, 0)),
    ///     closes_at: Some(time(17, 0, 0, 0)),
    ///     ..Default::default()
    /// };
    /// let utc = jiff::tz::TimeZone::UTC;
    /// let hours = OpeningHours::compile([&row], &utc)?;
    /// // Monday 2026-06-01 10:00: open now, so the next opening is the following Monday.
    /// let now = date(2026, 6, 1).at(10, 0, 0, 0).to_zoned(utc.clone())?.timestamp();
    /// let next = date(2026, 6, 8).at(9, 0, 0, 0).to_zoned(utc)?.timestamp();
    /// assert_eq!(hours.next_opening(now), Some(next));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_opening(&self, after: Timestamp) -> Option<Timestamp> {
        match self.is_open_at(after) {
            Openness::Open {
                closes_at: Some(close),
            } => self.next_start_after(close, HOURS_HORIZON_DAYS),
            Openness::Closed { next_opens } => next_opens,
            _ => None,
        }
    }

    /// True when the service is closed at `instant` and opens within `minutes` after it
    /// (inclusive). An open service answers `false`; check [`OpeningHours::is_open_at`] first.
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::{date, time, Weekday};
    /// use passerelle::model::{ByDay, Freq, OpeningHours, Schedule};
    /// let row = Schedule {
    ///     freq: Some(Freq::Weekly),
    ///     byday: vec![ByDay { ordinal: None, weekday: Weekday::Monday }],
    ///     opens_at: Some(time(9, 0, 0, 0)),
    ///     closes_at: Some(time(17, 0, 0, 0)),
    ///     ..Default::default()
    /// };
    /// let utc = jiff::tz::TimeZone::UTC;
    /// let hours = OpeningHours::compile([&row], &utc)?;
    /// let now = date(2026, 6, 1).at(8, 15, 0, 0).to_zoned(utc)?.timestamp();
    /// assert!(hours.opens_within(now, 45));
    /// assert!(!hours.opens_within(now, 44));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn opens_within(&self, instant: Timestamp, minutes: u32) -> bool {
        if self.rules.is_empty()
            || self.always_open_at(instant)
            || self.covering_end(instant).is_some()
        {
            return false;
        }
        let minutes = minutes.min(HOURS_HORIZON_DAYS * 1440);
        let Ok(limit) = instant.checked_add(SignedDuration::from_mins(i64::from(minutes))) else {
            return false;
        };
        self.next_start_after(instant, minutes / 1440 + 2)
            .is_some_and(|start| start <= limit)
    }

    /// Whether the service is open at `local`, a date-time in [`OpeningHours::time_zone`]:
    /// the fast path for ranking many candidates, converting the query instant once.
    ///
    /// Compares wall-clock times, so it agrees with [`OpeningHours::is_open_at`] except
    /// when an opening or closing falls in a daylight-saving gap or fold (in Toronto, between
    /// 01:00 and 03:00 on two nights a year) or `local` is in the repeated hour.
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::{date, time, Weekday};
    /// use passerelle::model::{ByDay, Freq, OpenState, OpeningHours, Schedule};
    /// let row = Schedule {
    ///     freq: Some(Freq::Weekly),
    ///     byday: vec![ByDay { ordinal: None, weekday: Weekday::Monday }],
    ///     opens_at: Some(time(9, 0, 0, 0)),
    ///     closes_at: Some(time(17, 0, 0, 0)),
    ///     ..Default::default()
    /// };
    /// let tz = passerelle::model::parse_time_zone("America/Toronto")?;
    /// let hours = OpeningHours::compile([&row], &tz)?;
    /// let local = tz.to_datetime(jiff::Timestamp::now()); // once per query
    /// let _state = hours.is_open_local(local);
    /// assert_eq!(hours.is_open_local(date(2026, 6, 1).at(9, 0, 0, 0)), OpenState::Open);
    /// assert_eq!(hours.is_open_local(date(2026, 6, 1).at(17, 0, 0, 0)), OpenState::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_open_local(&self, local: DateTime) -> OpenState {
        if self.rules.is_empty() {
            return OpenState::Unknown;
        }
        if let Some(always) = &self.always_open {
            if always.from_local.is_none_or(|from| local >= from) {
                return OpenState::Open;
            }
        }
        let mut cache = None;
        for rule in &self.rules {
            let Some(dt) = self.local_in(rule.zone, local, &mut cache) else {
                continue;
            };
            let day = dt.date();
            for d in [day.yesterday().ok(), Some(day)].into_iter().flatten() {
                if rule.occurs_on(d) {
                    if let Some((start, end)) = rule.wall(d) {
                        if start <= dt && dt < end {
                            return OpenState::Open;
                        }
                    }
                }
            }
        }
        OpenState::Closed
    }

    /// [`OpeningHours::opens_within`] for a date-time in [`OpeningHours::time_zone`],
    /// comparing wall-clock times (see [`OpeningHours::is_open_local`]).
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::{date, time, Weekday};
    /// use passerelle::model::{ByDay, Freq, OpeningHours, Schedule};
    /// let row = Schedule {
    ///     freq: Some(Freq::Weekly),
    ///     byday: vec![ByDay { ordinal: None, weekday: Weekday::Monday }],
    ///     opens_at: Some(time(9, 0, 0, 0)),
    ///     closes_at: Some(time(17, 0, 0, 0)),
    ///     ..Default::default()
    /// };
    /// let hours = OpeningHours::compile([&row], &jiff::tz::TimeZone::UTC)?;
    /// // Sunday 23:30 → Monday 09:00 is 570 minutes away.
    /// assert!(hours.opens_within_local(date(2026, 5, 31).at(23, 30, 0, 0), 570));
    /// assert!(!hours.opens_within_local(date(2026, 5, 31).at(23, 30, 0, 0), 569));
    /// # Ok::<(), passerelle::model::HoursError>(())
    /// ```
    pub fn opens_within_local(&self, local: DateTime, minutes: u32) -> bool {
        if self.is_open_local(local) != OpenState::Closed {
            return false;
        }
        let minutes = minutes.min(HOURS_HORIZON_DAYS * 1440);
        let Ok(limit) = local.checked_add(SignedDuration::from_mins(i64::from(minutes))) else {
            return false;
        };
        let (mut cache, mut limit_cache) = (None, None);
        for rule in &self.rules {
            let (Some(from), Some(to)) = (
                self.local_in(rule.zone, local, &mut cache),
                self.local_in(rule.zone, limit, &mut limit_cache),
            ) else {
                continue;
            };
            let mut day = from.date().yesterday().unwrap_or(from.date());
            while day <= to.date() {
                if rule.occurs_on(day) {
                    if let Some((start, _)) = rule.wall(day) {
                        if from < start && start <= to {
                            return true;
                        }
                    }
                }
                match day.tomorrow() {
                    Ok(next) => day = next,
                    Err(_) => break,
                }
            }
        }
        false
    }

    /// A short phrase for a resident: "open 24/7", "open until 17:00", "opens Monday at 9:00",
    /// in French ("ouvre lundi à 9 h") when `lang` is French and English otherwise. Times
    /// are shown in [`OpeningHours::time_zone`]. `None` when the hours are unknown.
    ///
    /// # Examples
    /// See [`OpeningHours`] (module example).
    pub fn describe(&self, now: Timestamp, lang: &LangCode) -> Option<String> {
        render::describe(self, now, lang)
    }

    /// The main zone date-time of `local` converted into zone `zone`, cached per zone
    /// (rules are sorted by zone).
    fn local_in(
        &self,
        zone: usize,
        local: DateTime,
        cache: &mut Option<(usize, DateTime)>,
    ) -> Option<DateTime> {
        if zone == 0 {
            return Some(local);
        }
        if let Some((z, dt)) = *cache {
            if z == zone {
                return Some(dt);
            }
        }
        let instant = self.zone.to_timestamp(local).ok()?;
        let dt = self.zone_at(zone).to_datetime(instant);
        *cache = Some((zone, dt));
        Some(dt)
    }

    fn zone_at(&self, zone: usize) -> &TimeZone {
        self.zones.get(zone).unwrap_or(&self.zone)
    }

    fn always_open_at(&self, instant: Timestamp) -> bool {
        self.always_open
            .as_ref()
            .is_some_and(|a| a.from.is_none_or(|from| instant >= from))
    }

    /// The latest end among occurrences that contain `instant`.
    fn covering_end(&self, instant: Timestamp) -> Option<Timestamp> {
        let mut best: Option<Timestamp> = None;
        let mut cache: Option<(usize, Date)> = None;
        for rule in &self.rules {
            let tz = self.zone_at(rule.zone);
            let day = match cache {
                Some((z, d)) if z == rule.zone => d,
                _ => {
                    let d = tz.to_datetime(instant).date();
                    cache = Some((rule.zone, d));
                    d
                }
            };
            for d in [day.yesterday().ok(), Some(day)].into_iter().flatten() {
                if rule.occurs_on(d) {
                    if let Some((start, end)) = rule.instants(d, tz) {
                        if start <= instant && instant < end && best.is_none_or(|b| end > b) {
                            best = Some(end);
                        }
                    }
                }
            }
        }
        best
    }

    /// Extends `end` through back-to-back occurrences; `None` past the horizon.
    fn merged_end(&self, from: Timestamp, mut end: Timestamp) -> Option<Timestamp> {
        let horizon = from
            .checked_add(SignedDuration::from_hours(
                24 * i64::from(HOURS_HORIZON_DAYS),
            ))
            .ok()?;
        for _ in 0..MAX_CHAIN {
            match self.covering_end(end) {
                Some(next) if next > end => {
                    end = next;
                    if end > horizon {
                        return None;
                    }
                }
                _ => return Some(end),
            }
        }
        None
    }

    /// The earliest occurrence start strictly after `after`, looking `days` local days ahead.
    fn next_start_after(&self, after: Timestamp, days: u32) -> Option<Timestamp> {
        let mut best: Option<Timestamp> = None;
        let mut cache: Option<(usize, Date)> = None;
        for rule in &self.rules {
            let tz = self.zone_at(rule.zone);
            let today = match cache {
                Some((z, d)) if z == rule.zone => d,
                _ => {
                    let d = tz.to_datetime(after).date();
                    cache = Some((rule.zone, d));
                    d
                }
            };
            let mut day = today.yesterday().unwrap_or(today);
            if let Some(first) = rule.first {
                day = day.max(first);
            }
            let mut remaining = days.saturating_add(2);
            while remaining > 0 && rule.last.is_none_or(|last| day <= last) {
                remaining -= 1;
                if rule.occurs_on(day) {
                    if let Some((start, _)) = rule.instants(day, tz) {
                        if start > after {
                            if best.is_none_or(|b| start < b) {
                                best = Some(start);
                            }
                            break;
                        }
                    }
                }
                match day.tomorrow() {
                    Ok(next) => day = next,
                    Err(_) => break,
                }
            }
        }
        best
    }

    /// Checks whether the rows of one zone cover the whole week with no end date.
    fn find_always_open(&self) -> Option<AlwaysOpen> {
        for zone in 0..self.zones.len() {
            let mut spans: Vec<(i32, i32)> = Vec::new();
            let mut from: Option<Timestamp> = None;
            for rule in self.rules.iter().filter(|r| r.zone == zone) {
                let Pattern::Weekly(mask) = rule.pattern else {
                    continue;
                };
                if rule.last.is_some() || !rule.is_every_week() {
                    continue;
                }
                for weekday in 0..7i32 {
                    if mask & (1 << weekday) == 0 {
                        continue;
                    }
                    let start = weekday * 86_400 + rule.open_s;
                    let end = start + rule.len_s;
                    spans.push((start, end.min(WEEK_S)));
                    if end > WEEK_S {
                        spans.push((0, end - WEEK_S));
                    }
                }
                if let Some(first) = rule.first {
                    // Coverage is complete from the day after the first occurrence day, when
                    // the previous day's spill-over exists too.
                    let day_after = first.tomorrow().ok()?;
                    let start = self.zone_at(zone).to_timestamp(day_after.into()).ok()?;
                    from = Some(from.map_or(start, |f| f.max(start)));
                }
            }
            spans.sort_unstable();
            let mut covered = 0;
            for (start, end) in spans {
                if start > covered {
                    break;
                }
                covered = covered.max(end);
            }
            if covered >= WEEK_S {
                return Some(AlwaysOpen {
                    from,
                    from_local: from.map(|f| self.zone.to_datetime(f)),
                });
            }
        }
        None
    }
}

/// The time zone named `name` (IANA, e.g. `America/Toronto`), from jiff's bundled database.
///
/// # Errors
/// [`HoursError::TimeZone`] when the name is unknown.
///
/// # Examples
/// ```
/// assert!(passerelle::model::parse_time_zone("America/Toronto").is_ok());
/// assert!(matches!(
///     passerelle::model::parse_time_zone("Mars/Olympus_Mons"),
///     Err(passerelle::model::HoursError::TimeZone { .. })
/// ));
/// ```
pub fn parse_time_zone(name: &str) -> Result<TimeZone, HoursError> {
    TimeZone::get(name.trim()).map_err(|_| HoursError::TimeZone {
        name: name.to_owned(),
    })
}

/// The time zone of a directory's schedules: `meta.timezone`, or UTC when it is not set.
///
/// # Errors
/// [`HoursError::TimeZone`] when `meta.timezone` is not a known IANA name.
///
/// # Examples
/// ```
/// let meta = passerelle::model::DirectoryMeta {
///     timezone: Some("America/Toronto".into()),
///     ..Default::default()
/// };
/// let tz = passerelle::model::directory_time_zone(&meta)?;
/// assert_eq!(tz.iana_name(), Some("America/Toronto"));
/// # Ok::<(), passerelle::model::HoursError>(())
/// ```
pub fn directory_time_zone(meta: &DirectoryMeta) -> Result<TimeZone, HoursError> {
    match &meta.timezone {
        Some(name) => parse_time_zone(name),
        None => Ok(TimeZone::UTC),
    }
}

/// The schedule rows that apply to a service at a location, by the HSDS precedence: rows for
/// the pairing (its `service_at_location_id` and those naming both its `service_id` and its
/// `location_id`, merged), else rows for the service alone, else rows for the location alone.
/// Rows keep their order. The navigator applies the same precedence.
///
/// # Examples
/// ```
/// use passerelle::model::{schedules_for, Schedule, ServiceAtLocation};
/// let sal = ServiceAtLocation {
///     id: "sal-1".into(),
///     service_id: "svc".into(),
///     location_id: "loc".into(),
///     ..Default::default()
/// };
/// let rows = [
///     Schedule { id: "loc-hours".into(), location_id: Some("loc".into()), ..Default::default() },
///     Schedule { id: "svc-hours".into(), service_id: Some("svc".into()), ..Default::default() },
/// ];
/// let ids: Vec<_> = schedules_for(&sal, &rows).iter().map(|s| s.id.as_str()).collect();
/// assert_eq!(ids, ["svc-hours"]);
/// ```
pub fn schedules_for<'a>(sal: &ServiceAtLocation, schedules: &'a [Schedule]) -> Vec<&'a Schedule> {
    super::schedule_owners::ScheduleOwners::new(schedules)
        .for_sal(sal)
        .map(|choice| {
            choice
                .rows
                .into_iter()
                .filter_map(|i| schedules.get(i))
                .collect()
        })
        .unwrap_or_default()
}

/// A row's own zone: an IANA name or a fixed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZoneKey<'a> {
    Name(&'a str),
    Offset(Offset),
}

/// A fixed offset from HSDS `timezone` (hours, possibly fractional), rounded to the second.
fn fixed_offset(hours: f64) -> Option<Offset> {
    if !hours.is_finite() || hours.abs() > 18.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // |hours * 3600| <= 64_800.
    let seconds = (hours * 3600.0).round() as i32;
    Offset::from_seconds(seconds).ok()
}
