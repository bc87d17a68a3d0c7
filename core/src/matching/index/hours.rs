//! Build step: opening hours. Each SAL takes the schedule rows the HSDS precedence gives it
//! (`model::schedule_owners`, the precedence of `schedules_for`), and each distinct set of
//! rows compiles once.

use foldhash::{HashMap, HashMapExt};

use crate::model::schedule_owners::{ScheduleChoice, ScheduleOwners};
use crate::model::{Directory, OpeningHours, Schedule};

use super::{len_u32, NONE};
use crate::matching::navigator::{BuildProblem, BuildReport};

/// What `OpeningHours::compile` reads of one schedule row (everything but ids, owners and
/// descriptions): rows with equal keys compile to equal hours.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ScheduleKey<'a> {
    valid_from: Option<jiff::civil::Date>,
    valid_to: Option<jiff::civil::Date>,
    dtstart: Option<jiff::civil::Date>,
    /// `f64::to_bits` of the offset.
    timezone: Option<u64>,
    timezone_name: Option<&'a str>,
    until: Option<jiff::civil::Date>,
    count: Option<u32>,
    freq: Option<crate::model::Freq>,
    interval: Option<u32>,
    byday: &'a [crate::model::ByDay],
    bymonthday: &'a [i8],
    opens_at: Option<jiff::civil::Time>,
    closes_at: Option<jiff::civil::Time>,
    extra: &'a crate::model::Extra,
}

/// The key of a group of schedule rows, row by row.
fn hours_key<'a>(rows: &[&'a Schedule]) -> Vec<ScheduleKey<'a>> {
    rows.iter()
        .map(|r| ScheduleKey {
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            dtstart: r.dtstart,
            timezone: r.timezone.map(f64::to_bits),
            timezone_name: r.timezone_name.as_deref(),
            until: r.until,
            count: r.count,
            freq: r.freq,
            interval: r.interval,
            byday: &r.byday,
            bymonthday: &r.bymonthday,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            extra: &r.extra,
        })
        .collect()
}

/// The distinct compiled hours and, per group, the entry it compiled to.
///
/// Identical schedules (most directories repeat "Mon–Fri 9–5") compile once and share one
/// entry, so a search checks each distinct schedule once. The entry of each choice of owner
/// groups is remembered too (the SALs of one service share it), except failures, reported
/// once per SAL.
#[derive(Debug)]
pub(crate) struct HoursTable<'a> {
    rows: &'a [Schedule],
    owners: ScheduleOwners<'a>,
    seen: HashMap<Vec<ScheduleKey<'a>>, (u32, bool)>,
    chosen: HashMap<(usize, usize), (u32, bool)>,
    tz: jiff::tz::TimeZone,
    /// The distinct compiled hours (`Index::hours`).
    pub(crate) hours: Vec<OpeningHours>,
    /// Per entry of `hours`, the schedule rows (positions in `Directory::schedules`) it
    /// compiled from (`Sources::hours`).
    pub(crate) sources: Vec<Vec<u32>>,
}

impl<'a> HoursTable<'a> {
    /// An empty table over the directory's schedule rows, compiling in `tz`.
    pub(crate) fn new(dir: &'a Directory, tz: jiff::tz::TimeZone) -> Self {
        Self {
            rows: &dir.schedules,
            owners: ScheduleOwners::new(&dir.schedules),
            seen: HashMap::new(),
            chosen: HashMap::new(),
            tz,
            hours: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// The schedule owners.
    pub(crate) fn owners(&self) -> &ScheduleOwners<'a> {
        &self.owners
    }

    /// `(hours entry, open 24/7)` of a choice of rows; `(NONE, false)` for none, unknown
    /// hours or a schedule that does not compile (reported under `owner`).
    pub(crate) fn compile(
        &mut self,
        choice: Option<ScheduleChoice>,
        owner: &str,
        report: &mut BuildReport,
    ) -> (u32, bool) {
        let Some(choice) = choice.filter(|c| !c.rows.is_empty()) else {
            return (NONE, false);
        };
        if let Some(known) = self.chosen.get(&choice.key) {
            return *known;
        }
        let rows: Vec<&'a Schedule> = choice
            .rows
            .iter()
            .filter_map(|&i| self.rows.get(i))
            .collect();
        let key = hours_key(&rows);
        let entry = if let Some(&known) = self.seen.get(&key) {
            known
        } else {
            match OpeningHours::compile(rows.iter().copied(), &self.tz) {
                Ok(h) if h.is_unknown() => {
                    self.seen.insert(key, (NONE, false));
                    (NONE, false)
                }
                Ok(h) => {
                    let always = h.is_always_open();
                    self.hours.push(h);
                    self.sources
                        .push(choice.rows.iter().map(|&i| len_u32(i)).collect());
                    let entry = (len_u32(self.hours.len() - 1), always);
                    self.seen.insert(key, entry);
                    entry
                }
                Err(e) => {
                    report.problems.push(BuildProblem {
                        record_id: owner.to_owned(),
                        message: e.to_string(),
                    });
                    return (NONE, false);
                }
            }
        };
        self.chosen.insert(choice.key, entry);
        entry
    }
}
