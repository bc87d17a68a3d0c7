//! Data-quality warnings beyond single values: placeholder and stray coordinates, dates in the
//! future or in the wrong order, and how old the data is by every date it carries.

use std::collections::HashMap;

use jiff::civil::Date;
use serde_json::Value;

use super::fields::as_text;
use super::report::{ImportReport, Origin, Position, ProblemKind, Severity};
use super::validate::Checker;
use crate::model::{Directory, GeoPoint};

/// A point farther than this from the directory's median point is reported (unless most
/// points are spread wider, see [`stray_points`]).
const STRAY_MIN_M: f64 = 300_000.0;

/// Fewest located places for the stray-point check to mean anything.
const STRAY_MIN_POINTS: usize = 5;

/// Reports (0, 0) coordinates and points far from the rest of the directory.
pub(super) fn coordinates(dir: &Directory, c: &mut Checker<'_>) {
    let mut points: Vec<(&str, GeoPoint)> = Vec::new();
    for l in &dir.locations {
        let Some(p) = l.point else { continue };
        if p.lat() == 0.0 && p.lon() == 0.0 {
            c.warn(
                "locations",
                &l.id,
                Some("latitude"),
                ProblemKind::SuspectCoordinates,
                "latitude 0, longitude 0 is a placeholder, not a place (it lies in the Gulf of \
                 Guinea); the location cannot be ranked by distance until it is fixed"
                    .into(),
            );
        } else {
            points.push((&l.id, p));
        }
    }
    for (id, p, km, median) in stray_points(&points) {
        c.warn(
            "locations",
            id,
            Some("latitude"),
            ProblemKind::SuspectCoordinates,
            format!(
                "({:.4}, {:.4}) is {km:.0} km from the middle of the directory's other places \
                 ({:.3}, {:.3}); check the coordinates (swapped, wrong sign, or another city)",
                p.lat(),
                p.lon(),
                median.lat(),
                median.lon()
            ),
        );
    }
}

/// Points farther from the median point than 300 km or three times the distance within
/// which three quarters of the places lie, whichever is more (a province-wide directory is not
/// flagged for being wide). With the distance in km and the median point.
fn stray_points<'a>(points: &[(&'a str, GeoPoint)]) -> Vec<(&'a str, GeoPoint, f64, GeoPoint)> {
    if points.len() < STRAY_MIN_POINTS {
        return Vec::new();
    }
    let median = |f: fn(&GeoPoint) -> f64| {
        let mut v: Vec<f64> = points.iter().map(|(_, p)| f(p)).collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or_default()
    };
    let Ok(centre) = GeoPoint::new(median(GeoPoint::lat), median(GeoPoint::lon)) else {
        return Vec::new();
    };
    let dist: Vec<f64> = points
        .iter()
        .map(|(_, p)| haversine_m(centre, *p))
        .collect();
    let mut sorted = dist.clone();
    sorted.sort_by(f64::total_cmp);
    let p75 = sorted
        .get(sorted.len() * 3 / 4)
        .copied()
        .unwrap_or_default();
    let limit = STRAY_MIN_M.max(3.0 * p75);
    points
        .iter()
        .zip(dist)
        .filter(|(_, d)| *d > limit)
        .map(|((id, p), d)| (*id, *p, d / 1000.0, centre))
        .collect()
}

fn haversine_m(a: GeoPoint, b: GeoPoint) -> f64 {
    const R: f64 = 6_371_008.8;
    let (la1, la2) = (a.lat().to_radians(), b.lat().to_radians());
    let dla = la2 - la1;
    let dlo = (b.lon() - a.lon()).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Reports `valid_from` after `valid_to` (schedules, cost options) and `assured_date` or
/// `last_modified` after today.
pub(super) fn dates(dir: &Directory, today: Date, c: &mut Checker<'_>) {
    let order = |from: Option<Date>, to: Option<Date>| match (from, to) {
        (Some(f), Some(t)) if f > t => Some((f, t)),
        _ => None,
    };
    for s in &dir.schedules {
        if let Some((f, t)) = order(s.valid_from, s.valid_to) {
            c.warn(
                "schedules",
                &s.id,
                Some("valid_from"),
                ProblemKind::Inconsistent,
                format!("valid_from {f} is after valid_to {t}: the schedule never applies"),
            );
        }
    }
    for x in &dir.cost_options {
        if let Some((f, t)) = order(x.valid_from, x.valid_to) {
            c.warn(
                "cost_options",
                &x.id,
                Some("valid_from"),
                ProblemKind::Inconsistent,
                format!("valid_from {f} is after valid_to {t}: the cost never applies"),
            );
        }
    }
    for s in &dir.services {
        let dated = [
            ("assured_date", s.assured_date),
            (
                "last_modified",
                s.extra.get("last_modified").and_then(date_of),
            ),
        ];
        for (field, date) in dated {
            if let Some(d) = date.filter(|d| *d > today) {
                c.warn(
                    "services",
                    &s.id,
                    Some(field),
                    ProblemKind::FutureDate,
                    format!("{field} {d} is after today ({today}); a typo in the year?"),
                );
            }
        }
    }
}

/// The freshest date that says a service was checked or changed: `assured_date`,
/// `last_modified`, or a `metadata` row's `last_action_date` for it; with its field.
pub(super) fn service_dates(dir: &Directory) -> HashMap<&str, (Date, &'static str)> {
    fn put<'d>(
        out: &mut HashMap<&'d str, (Date, &'static str)>,
        id: &'d str,
        date: Option<Date>,
        field: &'static str,
    ) {
        let Some(d) = date else { return };
        let slot = out.entry(id).or_insert((d, field));
        if d > slot.0 {
            *slot = (d, field);
        }
    }
    let mut out: HashMap<&str, (Date, &'static str)> = HashMap::new();
    for s in &dir.services {
        put(&mut out, &s.id, s.assured_date, "assured_date");
        put(
            &mut out,
            &s.id,
            s.extra.get("last_modified").and_then(date_of),
            "last_modified",
        );
    }
    if let Some(rows) = dir.other_tables.get("metadata") {
        for row in rows {
            if let Some(id) = row.get("resource_id").and_then(Value::as_str) {
                put(
                    &mut out,
                    id,
                    row.get("last_action_date").and_then(date_of),
                    "last_action_date",
                );
            }
        }
    }
    out
}

/// When the data package says the data dates from: `created` / `last_modified` /
/// `last_updated` / `modified`, else the newest `YYYY-MM-DD` in its `description` or its
/// `sources` (a snapshot's date, as converters write it); with where it was found.
pub(super) fn package_date(package: &crate::model::Extra) -> Option<(Date, String)> {
    for key in ["last_modified", "last_updated", "modified", "created"] {
        if let Some(d) = package.get(key).and_then(date_of) {
            return Some((d, key.to_owned()));
        }
    }
    let mut best: Option<(Date, String)> = None;
    let mut consider = |text: &str, place: &str| {
        if let Some(d) = newest_date_in(text) {
            if best.as_ref().is_none_or(|(b, _)| d > *b) {
                best = Some((d, place.to_owned()));
            }
        }
    };
    if let Some(text) = package.get("description").and_then(Value::as_str) {
        consider(text, "description");
    }
    if let Some(Value::Array(sources)) = package.get("sources") {
        for s in sources.iter().filter_map(Value::as_object) {
            for v in s.values().filter_map(Value::as_str) {
                consider(v, "sources");
            }
        }
    }
    best
}

/// Reports a directory none of whose services is dated after `stale_before` while its data
/// package dates it before then (2014 data with no `assured_date` is stale too).
pub(super) fn stale_package(
    dir: &Directory,
    fresh_services: usize,
    stale_before: Date,
    months: u32,
    report: &mut ImportReport,
) {
    if fresh_services > 0 {
        return;
    }
    let Some((date, place)) = package_date(&dir.meta.package) else {
        return;
    };
    if date >= stale_before {
        return;
    }
    report.push(
        Origin {
            source: "datapackage.json".into(),
            table: "datapackage".into(),
            position: Position::Table,
            record_id: None,
        }
        .problem(
            Severity::Warning,
            ProblemKind::Stale,
            Some(&place),
            format!(
                "the data package dates the data {date} ({place}), more than {months} months \
                 ago, and no service is dated since (assured_date, last_modified, metadata): \
                 check that the directory is current before residents rely on it"
            ),
        ),
    );
}

/// A date at the start of a value (`2014-05-25`, `2014-05-25T10:00:00Z`).
fn date_of(v: &Value) -> Option<Date> {
    let s = as_text(v)?;
    s.trim().get(..10)?.parse().ok()
}

/// The newest well-formed `YYYY-MM-DD` in free text.
fn newest_date_in(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(9))
        .filter(|&i| {
            let digit_before = i > 0 && b.get(i - 1).is_some_and(u8::is_ascii_digit);
            !digit_before && b.get(i + 4) == Some(&b'-') && b.get(i + 7) == Some(&b'-')
        })
        .filter_map(|i| text.get(i..i + 10)?.parse::<Date>().ok())
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_in_text() {
        assert_eq!(
            newest_date_in("commit abc (2014-05-25), converted 2013-01-02"),
            Some(jiff::civil::date(2014, 5, 25))
        );
        assert_eq!(newest_date_in("v12014-05-25x"), None);
        assert_eq!(newest_date_in("2014-13-01"), None);
        assert_eq!(
            newest_date_in("é2020-02-29"),
            Some(jiff::civil::date(2020, 2, 29))
        );
        let mut p = crate::model::Extra::new();
        p.insert("description".into(), json!("snapshot of 2014-05-25"));
        assert_eq!(
            package_date(&p),
            Some((jiff::civil::date(2014, 5, 25), "description".into()))
        );
        p.insert("created".into(), json!("2024-01-02T03:04:05Z"));
        assert_eq!(package_date(&p).unwrap().1, "created");
    }

    #[test]
    fn a_stray_point_among_neighbours() {
        let p = |lat, lon| GeoPoint::new(lat, lon).unwrap();
        let pts = [
            ("a", p(39.29, -76.61)),
            ("b", p(39.30, -76.60)),
            ("c", p(39.28, -76.62)),
            ("d", p(39.31, -76.59)),
            ("e", p(39.27, -76.63)),
            ("tennessee", p(35.96, -83.92)),
        ];
        let stray = stray_points(&pts);
        assert_eq!(stray.len(), 1);
        assert_eq!(stray[0].0, "tennessee");
        assert!((700.0..800.0).contains(&stray[0].2), "{}", stray[0].2);
        assert!(stray_points(&pts[..4]).is_empty());
    }
}
