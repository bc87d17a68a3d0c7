//! The time zones of a directory's schedules: the caller's zone, IANA names given where HSDS
//! wants a UTC offset, and the warning for schedules read in UTC for want of a zone.

use std::collections::BTreeMap;

use super::build::Origins;
use super::report::{ImportReport, Origin, Position, ProblemKind, Severity};
use super::ImportOptions;
use crate::model::Directory;

/// Applies `opts.time_zone`, reports IANA names in schedule rows (once per name) and takes a
/// zone every timed row names as the directory zone when none is set; warns when timed rows
/// would be read in UTC.
pub(crate) fn settle(
    dir: &mut Directory,
    origins: &Origins,
    opts: &ImportOptions,
    report: &mut ImportReport,
) {
    if let Some(name) = &opts.time_zone {
        let name = name.trim();
        if jiff::tz::TimeZone::get(name).is_ok() {
            dir.meta.timezone = Some(name.to_owned());
        } else {
            report.push(
                Origin {
                    source: "ImportOptions".into(),
                    table: "datapackage".into(),
                    position: Position::Table,
                    record_id: None,
                }
                .problem(
                    Severity::Error,
                    ProblemKind::InvalidValue,
                    Some("time_zone"),
                    format!(
                        "{:?} is not an IANA time zone name (e.g. America/Toronto); ignored",
                        crate::model::truncate(name, 40)
                    ),
                ),
            );
        }
    }
    let timed = |s: &&crate::model::Schedule| s.opens_at.is_some() || s.closes_at.is_some();
    // name → (rows, first row id)
    let mut named: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for s in &dir.schedules {
        if let Some(name) = s.timezone_name.as_deref() {
            named.entry(name).or_insert((0, s.id.as_str())).0 += 1;
        }
    }
    let single = match (named.len(), dir.meta.timezone.is_none()) {
        (1, true) => named.keys().next().copied().filter(|name| {
            dir.schedules
                .iter()
                .filter(timed)
                .all(|s| s.timezone_name.as_deref() == Some(*name))
        }),
        _ => None,
    };
    let table_origin = |id: &str| {
        let source = origins
            .get(&("schedules", Box::from(id)))
            .map_or_else(|| "schedules.csv".into(), |o| o.source().clone());
        Origin {
            source,
            table: "schedules".into(),
            position: Position::Table,
            record_id: None,
        }
    };
    for (name, (rows, first)) in &named {
        let also = if single == Some(*name) {
            "; as every timed row names it, it is also the directory time zone"
        } else {
            ""
        };
        report.push(table_origin(first).problem(
            Severity::Warning,
            ProblemKind::Normalized,
            Some("timezone"),
            format!(
                "{rows} row(s) give the IANA time zone {name:?} where HSDS 3.1 expects a UTC \
                 offset in hours; their times are read in that zone, daylight-saving changes \
                 included{also}"
            ),
        ));
    }
    if let Some(name) = single {
        dir.meta.timezone = Some(name.to_owned());
    }
    if dir.meta.timezone.is_none() {
        let mut zoneless = dir
            .schedules
            .iter()
            .filter(timed)
            .filter(|s| s.timezone_name.is_none() && s.timezone.is_none());
        if let Some(first) = zoneless.next() {
            let rows = 1 + zoneless.count();
            report.push(table_origin(&first.id).problem(
                Severity::Warning,
                ProblemKind::NoTimeZone,
                Some("timezone"),
                format!(
                    "{rows} schedule row(s) with opening times give no time zone and the \
                     directory has none: their hours are read in UTC. Set the directory's zone \
                     when loading (ImportOptions::time_zone, or time_zone in the bindings) or \
                     in datapackage.json (passerelle.timezone)"
                ),
            ));
        }
    }
}
