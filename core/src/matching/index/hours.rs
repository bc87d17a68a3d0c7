//! Build step: opening hours. Schedule rows are grouped by owner, each SAL takes the group
//! the HSDS precedence gives it, and each distinct group compiles once.

use foldhash::{HashMap, HashMapExt};

use crate::model::{Directory, OpeningHours, Schedule, ServiceAtLocation};

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

/// Schedule rows grouped by owner: each owner's rows form one group, so a SAL finds its
/// group in O(1).
#[derive(Debug, Default)]
pub(crate) struct ScheduleGroups<'a> {
    groups: Vec<Vec<&'a Schedule>>,
    by_sal: HashMap<&'a str, usize>,
    by_pair: HashMap<(&'a str, &'a str), usize>,
    by_service: HashMap<&'a str, usize>,
    by_location: HashMap<&'a str, usize>,
}

impl<'a> ScheduleGroups<'a> {
    /// Groups the directory's schedule rows by owner (rows with no owner are left out).
    pub(crate) fn new(dir: &'a Directory) -> Self {
        let mut g = Self {
            groups: Vec::new(),
            by_sal: HashMap::new(),
            by_pair: HashMap::new(),
            by_service: HashMap::new(),
            by_location: HashMap::new(),
        };
        for row in &dir.schedules {
            let slot = match (
                row.service_at_location_id.as_deref(),
                row.service_id.as_deref(),
                row.location_id.as_deref(),
            ) {
                (Some(sal_id), _, _) => g.by_sal.entry(sal_id),
                (None, Some(s), Some(l)) => {
                    let i = *g.by_pair.entry((s, l)).or_insert(g.groups.len());
                    push_row(&mut g.groups, i, row);
                    continue;
                }
                (None, Some(s), None) => g.by_service.entry(s),
                (None, None, Some(l)) => g.by_location.entry(l),
                (None, None, None) => continue,
            };
            let i = *slot.or_insert(g.groups.len());
            push_row(&mut g.groups, i, row);
        }
        g
    }

    /// The group of a SAL: the first owner with rows among the SAL itself, its (service,
    /// location) pair, its service, its location.
    pub(crate) fn for_sal(&self, r: &ServiceAtLocation) -> Option<usize> {
        [
            self.by_sal.get(r.id.as_str()),
            self.by_pair
                .get(&(r.service_id.as_str(), r.location_id.as_str())),
            self.by_service.get(r.service_id.as_str()),
            self.by_location.get(r.location_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .next()
        .copied()
    }

    /// The group of a location-less service: its own rows.
    pub(crate) fn for_service(&self, service_id: &str) -> Option<usize> {
        self.by_service.get(service_id).copied()
    }
}

fn push_row<'a>(groups: &mut Vec<Vec<&'a Schedule>>, i: usize, row: &'a Schedule) {
    if i == groups.len() {
        groups.push(Vec::new());
    }
    if let Some(rows) = groups.get_mut(i) {
        rows.push(row);
    }
}

/// The distinct compiled hours and, per group, the entry it compiled to.
///
/// Identical schedules (most directories repeat "Mon–Fri 9–5") compile once and share one
/// entry, so a search checks each distinct schedule once. A group's entry is remembered too
/// (the SALs of one service share its group), except failures, reported once per SAL.
#[derive(Debug)]
pub(crate) struct HoursTable<'a> {
    groups: ScheduleGroups<'a>,
    seen: HashMap<Vec<ScheduleKey<'a>>, (u32, bool)>,
    group_hours: Vec<Option<(u32, bool)>>,
    tz: jiff::tz::TimeZone,
    /// The distinct compiled hours (`Index::hours`).
    pub(crate) hours: Vec<OpeningHours>,
}

impl<'a> HoursTable<'a> {
    /// An empty table over the directory's schedule groups, compiling in `tz`.
    pub(crate) fn new(groups: ScheduleGroups<'a>, tz: jiff::tz::TimeZone) -> Self {
        Self {
            group_hours: vec![None; groups.groups.len()],
            groups,
            seen: HashMap::new(),
            tz,
            hours: Vec::new(),
        }
    }

    /// The schedule groups.
    pub(crate) fn groups(&self) -> &ScheduleGroups<'a> {
        &self.groups
    }

    /// `(hours entry, open 24/7)` of a group; `(NONE, false)` for no group, unknown hours or
    /// a schedule that does not compile (reported under `owner`).
    pub(crate) fn compile(
        &mut self,
        group: Option<usize>,
        owner: &str,
        report: &mut BuildReport,
    ) -> (u32, bool) {
        let Some((g, rows)) = group.and_then(|g| Some((g, self.groups.groups.get(g)?))) else {
            return (NONE, false);
        };
        if rows.is_empty() {
            return (NONE, false);
        }
        if let Some(Some(known)) = self.group_hours.get(g) {
            return *known;
        }
        let key = hours_key(rows);
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
        if let Some(slot) = self.group_hours.get_mut(g) {
            *slot = Some(entry);
        }
        entry
    }
}
