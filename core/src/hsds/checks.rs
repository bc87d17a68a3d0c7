//! Checks of the loaded directory as a whole: required HSDS fields, and the fatal problems
//! that make an import unusable (no services, most of a table lost).

use super::build::Origins;
use super::report::{ImportReport, Origin, Position, ProblemKind, Severity};
use super::ImportOptions;
use crate::model::Directory;

/// A table must have met at least this many records before losing most of them is fatal, so
/// that one bad row of a two-row table is an ordinary error.
const MIN_ROWS_FOR_LOSS: usize = 10;

fn origin(origins: &Origins, table: &'static str, id: &str) -> Origin {
    super::build::origin_of(origins, table, id).unwrap_or_else(|| Origin {
        source: format!("{table}.csv").into(),
        table: table.into(),
        position: Position::Table,
        record_id: Some(id.to_owned()),
    })
}

fn table_origin(table: &str) -> Origin {
    Origin {
        source: format!("{table}.csv").into(),
        table: table.to_owned().into(),
        position: Position::Table,
        record_id: None,
    }
}

pub(crate) fn after_load(
    dir: &Directory,
    origins: &Origins,
    opts: &ImportOptions,
    report: &mut ImportReport,
) {
    for s in dir.services.iter().filter(|s| s.name.is_empty()) {
        if s.extra.contains_key("name") {
            continue; // the raw value was rejected and reported already
        }
        report.push(origin(origins, "services", &s.id).problem(
            Severity::Error,
            ProblemKind::MissingField,
            Some("name"),
            "required field name is empty (HSDS requires a service name); the service loads without one",
        ));
    }
    for o in dir.organizations.iter().filter(|o| o.name.is_empty()) {
        if o.extra.contains_key("name") {
            continue;
        }
        report.push(origin(origins, "organizations", &o.id).problem(
            Severity::Error,
            ProblemKind::MissingField,
            Some("name"),
            "required field name is empty (HSDS requires an organization name); the organization loads without one",
        ));
    }
    fatal(dir, opts, report);
}

fn fatal(dir: &Directory, opts: &ImportOptions, report: &mut ImportReport) {
    let share = if opts.max_lost_share.is_finite() {
        opts.max_lost_share.clamp(0.0, 1.0)
    } else {
        1.0
    };
    let lost: Vec<(String, usize, usize)> = report
        .dropped()
        .into_iter()
        .map(|(t, n)| {
            let seen = report.seen_count(&t);
            (t, n, seen)
        })
        .filter(|(_, n, seen)| *seen >= MIN_ROWS_FOR_LOSS && *n as f64 > share * *seen as f64)
        .collect();
    for (table, n, seen) in lost {
        report.push(table_origin(&table).problem(
            Severity::Error,
            ProblemKind::MostRowsLost,
            None,
            format!(
                "{n} of the {seen} records of {table} were not loaded (more than max_lost_share, {:.0} %); the import is not fit to serve (see the problems above)",
                share * 100.0
            ),
        ));
    }
    let n = dir.services.len();
    if n < opts.min_services {
        let seen = report.seen_count("services");
        let why = if seen == 0 {
            "the input has no services (no services table, an empty one, or a JSON document without services)".to_owned()
        } else {
            format!("none of the {seen} service records could be loaded (see the problems above)")
        };
        let why = if n == 0 { why } else { format!("{n} loaded") };
        report.push(table_origin("services").problem(
            Severity::Error,
            ProblemKind::NoServices,
            None,
            format!(
                "fewer services than min_services ({}): {why}; the import is not fit to serve",
                opts.min_services
            ),
        ));
    }
}
