//! The built index in snapshot form ([`StoredRef`] written, [`Stored`] read): the service and
//! SAL columns and the postings as they are, and, for the compiled parts, what they were made
//! from ([`Sources`]): the distinct eligibility rules, the distinct opening hours (schedule
//! rows) and the service-area groups (service-area rows). Opening compiles those again (they
//! are few and distinct: a rule or a schedule once, not once per service) and derives the
//! columns computed from the others (`cos_lat`; `site_only`, the area flags and the spatial
//! lists in [`Index::finish`], which depend on the gazetteer).
//!
//! [`Index::from_stored`] checks every index a search reads (service and SAL ranges, record,
//! location, rule, hours and area references, postings) against the directory and the
//! tables it points into, so a payload altered and checksummed again is refused before any
//! use, with an error naming the column.

use serde::{Deserialize, Serialize};

use crate::model::{Directory, OpeningHours, TermCode};
use crate::rules::{FactCatalog, KnownPlaces, Tables};
use crate::spatial::AreaGroup;

use super::rules::RuleSource;
use super::{Index, NearSites, Sals, Services, NONE};

/// What the compiled parts of an index were made from (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Sources {
    /// Per entry of `Index::rules`.
    pub(crate) rules: Vec<RuleSource>,
    /// Per entry of `Index::hours`: positions in `Directory::schedules`.
    pub(crate) hours: Vec<Vec<u32>>,
    /// Per entry of `Index::areas`: positions in `Directory::service_areas`.
    pub(crate) areas: Vec<Vec<u32>>,
}

/// The index as written to a snapshot (field order is the format: keep it equal to
/// [`Stored`]'s).
#[derive(Debug, Serialize)]
pub(crate) struct StoredRef<'a> {
    postings: &'a [Vec<u32>],
    svc: &'a Services,
    sal: &'a Sals,
    languages: &'a [String],
    access_codes: &'a [String],
    populations: &'a [String],
    rules: &'a [RuleSource],
    hours: &'a [Vec<u32>],
    areas: &'a [Vec<u32>],
}

/// The index as read from a snapshot, not yet checked.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Stored {
    pub(crate) postings: Vec<Vec<u32>>,
    pub(crate) svc: Services,
    pub(crate) sal: Sals,
    pub(crate) languages: Vec<String>,
    pub(crate) access_codes: Vec<String>,
    pub(crate) populations: Vec<String>,
    pub(crate) rules: Vec<RuleSource>,
    pub(crate) hours: Vec<Vec<u32>>,
    pub(crate) areas: Vec<Vec<u32>>,
}

/// What the index of one directory compiles its parts with at open.
pub(crate) struct Compile<'a> {
    pub(crate) dir: &'a Directory,
    /// The directory's need-term codes (`Terms::codes`).
    pub(crate) codes: Vec<TermCode>,
    pub(crate) catalog: &'a FactCatalog,
    /// The deployer's tables merged with the directory's.
    pub(crate) tables: &'a Tables,
    pub(crate) tz: &'a jiff::tz::TimeZone,
}

/// The directory rows at `ids`; an id out of range is the error `what`.
fn rows_at<'d, T>(rows: &'d [T], ids: &[u32], what: &str) -> Result<Vec<&'d T>, String> {
    ids.iter()
        .map(|&i| rows.get(i as usize))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| err(what))
}

fn err(what: &str) -> String {
    format!("index: {what}")
}

/// Every value of `col` is below `n` or `NONE`.
fn refs(col: &[u32], n: usize, what: &str) -> Result<(), String> {
    if col.iter().all(|&v| v == NONE || (v as usize) < n) {
        Ok(())
    } else {
        Err(err(&format!("{what} out of range")))
    }
}

fn len(col_len: usize, n: usize, what: &str) -> Result<(), String> {
    if col_len == n {
        Ok(())
    } else {
        Err(err(&format!("{what} column has {col_len} rows, not {n}")))
    }
}

impl Index {
    /// The index in snapshot form.
    pub(crate) fn to_stored(&self) -> StoredRef<'_> {
        StoredRef {
            postings: &self.postings,
            svc: &self.svc,
            sal: &self.sal,
            languages: &self.languages,
            access_codes: &self.access_codes,
            populations: &self.populations,
            rules: &self.sources.rules,
            hours: &self.sources.hours,
            areas: &self.sources.areas,
        }
    }

    /// The index of a snapshot, checked (see the module documentation) and with its rules,
    /// hours and area groups compiled again; [`Index::finish`] completes it. The error names
    /// the column at fault.
    pub(crate) fn from_stored(s: Stored, c: Compile<'_>) -> Result<Index, String> {
        let dir = c.dir;
        check_services(&s.svc, &s.sal, dir, s.rules.len(), s.areas.len())?;
        check_sals(&s.sal, dir, s.hours.len(), s.areas.len())?;
        let n_svc = s.svc.active.len();
        len(s.postings.len(), c.codes.len(), "postings")?;
        for list in &s.postings {
            if list.windows(2).any(|w| w.first() >= w.get(1))
                || list.last().is_some_and(|&x| x as usize >= n_svc)
            {
                return Err(err("posting list unsorted or out of range"));
            }
        }
        let places = std::sync::Arc::new(KnownPlaces::of_directory(dir));
        let rules = s
            .rules
            .iter()
            .map(|r| r.compile(c.catalog, c.tables, &places))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| err("an eligibility rule does not compile"))?;
        let mut hours = Vec::with_capacity(s.hours.len());
        for rows in &s.hours {
            let rows = rows_at(&dir.schedules, rows, "schedule row out of range")?;
            match OpeningHours::compile(rows, c.tz) {
                Ok(h) if !h.is_unknown() => hours.push(h),
                _ => return Err(err("opening hours do not compile")),
            }
        }
        let mut areas = Vec::with_capacity(s.areas.len());
        for list in &s.areas {
            let rows = rows_at(&dir.service_areas, list, "service area row out of range")?;
            areas.push(AreaGroup::from_areas(rows));
        }
        let mut sal = s.sal;
        sal.cos_lat = sal
            .point
            .iter()
            .map(|p| p.map_or(0.0, |p| p.lat().to_radians().cos()))
            .collect();
        Ok(Index {
            codes: c.codes,
            postings: s.postings,
            svc: s.svc,
            sal,
            areas,
            area_unknown: Vec::new(),
            languages: s.languages,
            access_codes: s.access_codes,
            populations: s.populations,
            rules,
            hours,
            near: NearSites::default(),
            sources: Sources {
                rules: s.rules,
                hours: s.hours,
                areas: s.areas,
            },
        })
    }
}

/// Service columns: equal lengths, contiguous SAL ranges covering every SAL in order, and
/// references in range.
fn check_services(
    svc: &Services,
    sal: &Sals,
    dir: &Directory,
    n_rules: usize,
    n_areas: usize,
) -> Result<(), String> {
    let n = svc.active.len();
    if n > dir.services.len() {
        return Err(err("more indexed services than directory services"));
    }
    len(svc.org.len(), n, "service organisation")?;
    len(svc.sal_start.len(), n, "service SAL start")?;
    len(svc.sal_end.len(), n, "service SAL end")?;
    len(svc.cost.len(), n, "service cost")?;
    len(svc.assured_day.len(), n, "service assured date")?;
    len(svc.capacity.len(), n, "service capacity")?;
    len(svc.populations.len(), n, "service populations")?;
    len(svc.crisis.len(), n, "service crisis")?;
    len(svc.rule.len(), n, "service rule")?;
    len(svc.area.len(), n, "service area")?;
    refs(&svc.org, dir.organizations.len(), "service organisation")?;
    refs(&svc.rule, n_rules, "service rule")?;
    refs(&svc.area, n_areas, "service area")?;
    if svc
        .capacity
        .iter()
        .any(|c| !(c.is_nan() || (0.0..=1.0).contains(c)))
    {
        return Err(err("service capacity out of range"));
    }
    // Days of a civil date jiff can hold (years -9999 to 9999), so "today − assured" never
    // overflows.
    if svc
        .assured_day
        .iter()
        .any(|&d| d != i32::MIN && !(-4_400_000..=3_000_000).contains(&d))
    {
        return Err(err("service assured date out of range"));
    }
    let mut next = 0u32;
    for (s, (&a, &b)) in svc.sal_start.iter().zip(&svc.sal_end).enumerate() {
        if a != next || b < a {
            return Err(err("service SAL ranges not contiguous"));
        }
        let owners = sal
            .service
            .get(a as usize..b as usize)
            .ok_or_else(|| err("service SAL range out of range"))?;
        if owners.iter().any(|&o| o as usize != s) {
            return Err(err("SAL service does not match its service's range"));
        }
        next = b;
    }
    if next as usize != sal.service.len() {
        return Err(err("service SAL ranges do not cover the SALs"));
    }
    Ok(())
}

/// SAL columns: equal lengths and references in range.
fn check_sals(sal: &Sals, dir: &Directory, n_hours: usize, n_areas: usize) -> Result<(), String> {
    let n = sal.service.len();
    len(sal.record.len(), n, "SAL record")?;
    len(sal.location.len(), n, "SAL location")?;
    len(sal.point.len(), n, "SAL point")?;
    len(sal.modes.len(), n, "SAL modes")?;
    len(sal.hours.len(), n, "SAL hours")?;
    len(sal.always_open.len(), n, "SAL always open")?;
    len(sal.langs.len(), n, "SAL languages")?;
    len(sal.access.len(), n, "SAL accessibility")?;
    len(sal.area.len(), n, "SAL area")?;
    refs(&sal.record, dir.service_at_locations.len(), "SAL record")?;
    refs(&sal.location, dir.locations.len(), "SAL location")?;
    refs(&sal.hours, n_hours, "SAL hours")?;
    refs(&sal.area, n_areas, "SAL area")?;
    Ok(())
}
