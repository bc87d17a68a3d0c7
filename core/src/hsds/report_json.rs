//! The JSON form of an import report: `serde::Serialize` for [`ImportReport`] (what
//! `passerelle validate --json` prints).
//!
//! ```json
//! {"loaded": {"services": 23, "locations": 19},
//!  "errors": 1, "warnings": 4,
//!  "problems": [{"severity": "error", "kind": "invalid_value", "source": "services.csv",
//!                "table": "services", "position": "row 2", "record_id": "s2",
//!                "field": "status", "message": "…"}]}
//! ```

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use super::report::{ImportReport, Problem};

#[derive(Serialize)]
struct ProblemJson<'a> {
    severity: &'static str,
    kind: &'static str,
    source: &'a str,
    table: &'a str,
    position: String,
    record_id: Option<&'a str>,
    field: Option<&'a str>,
    message: &'a str,
}

fn problem(p: &Problem) -> ProblemJson<'_> {
    ProblemJson {
        severity: p.severity.as_str(),
        kind: p.kind.as_str(),
        source: &p.source,
        table: &p.table,
        position: p.position.to_string(),
        record_id: p.record_id.as_deref(),
        field: p.field.as_deref(),
        message: &p.message,
    }
}

#[derive(Serialize)]
struct ReportJson<'a> {
    loaded: &'a BTreeMap<String, usize>,
    errors: usize,
    warnings: usize,
    problems: Vec<ProblemJson<'a>>,
}

/// Records loaded per table, error and warning counts, then every problem with its
/// severity, kind (the stable `as_str` names), file, table, position, record id, field and
/// message.
///
/// # Examples
/// ```
/// use passerelle::hsds::import_tables;
/// use passerelle::ImportOptions;
/// let services = "id,organization_id,name,status\ns1,o1,Food bank,not-a-status\n";
/// let imported = import_tables([("services", services.as_bytes())], &ImportOptions::default());
/// let json = serde_json::to_value(&imported.report)?;
/// assert_eq!(json["loaded"]["services"], 1);
/// assert!(json["problems"].as_array().unwrap().iter().any(|p| p["field"] == "status"));
/// # Ok::<(), serde_json::Error>(())
/// ```
impl Serialize for ImportReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ReportJson {
            loaded: self.loaded(),
            errors: self.errors().count(),
            warnings: self.warnings().count(),
            problems: self.problems().iter().map(problem).collect(),
        }
        .serialize(s)
    }
}
