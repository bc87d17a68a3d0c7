//! FFI mirrors of the import report (problems found in HSDS data) and directory metadata.

use std::collections::HashMap;

use passerelle::{
    hsds::{
        ImportReport as CoreImportReport, Position, Problem as CoreProblem,
        Severity as CoreSeverity,
    },
    BuildReport as CoreBuildReport, Directory,
};

/// How serious an import problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Severity {
    /// The record (or value) was dropped or is unusable.
    Error,
    /// The data loaded but may be wrong or stale.
    Warning,
}

/// One problem found in the input data.
///
/// Where it is: `source` (file) and `table`, then `row` (CSV, 1-based data row) or
/// `json_pointer`/`json_line` (JSON input), then `record_id` and `field` when known.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportProblem {
    /// Error or warning.
    pub severity: Severity,
    /// File or input name (`locations.csv`, `json`).
    pub source: String,
    /// HSDS table (`locations`, `service_at_location` …).
    pub table: String,
    /// 1-based data row of a CSV file; `None` for whole-table problems and JSON input.
    pub row: Option<u64>,
    /// JSON pointer of the value (`/services/3/name`) for JSON input.
    pub json_pointer: Option<String>,
    /// 1-based line of the value in JSON input, when known.
    pub json_line: Option<u64>,
    /// The record's id, when it has one.
    pub record_id: Option<String>,
    /// The field (column) concerned.
    pub field: Option<String>,
    /// Stable snake_case kind: `out_of_range`, `dangling_reference`, `duplicate_id`,
    /// `missing_field`, `invalid_value`, `stale` … (new kinds may be added).
    pub kind: String,
    /// What is wrong, in English.
    pub message: String,
    /// The whole problem on one line (`error: locations (locations.csv) row 3 id l1 field
    /// latitude: …`), for logs.
    pub summary: String,
}

/// A record the navigator could not use (unknown reference, invalid eligibility rule …); the
/// rest of the directory still works.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BuildProblem {
    /// The record concerned.
    pub record_id: String,
    /// What is wrong.
    pub message: String,
}

/// What loading a directory found: rows loaded per table, then every problem.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// Number of problems with severity `Error`.
    pub errors: u32,
    /// Number of problems with severity `Warning`.
    pub warnings: u32,
    /// Records loaded, by HSDS table name (`services`, `locations` …).
    pub loaded: HashMap<String, u64>,
    /// Problems in the input, in input order.
    pub problems: Vec<ImportProblem>,
    /// Problems found while indexing the loaded records for search.
    pub build_problems: Vec<BuildProblem>,
}

impl From<&CoreProblem> for ImportProblem {
    fn from(p: &CoreProblem) -> Self {
        let (row, json_pointer, json_line) = match &p.position {
            Position::Row(n) => (Some(*n), None, None),
            Position::Json { line, pointer } => (None, Some(pointer.clone()), *line),
            _ => (None, None, None),
        };
        Self {
            severity: match p.severity {
                CoreSeverity::Warning => Severity::Warning,
                _ => Severity::Error,
            },
            source: p.source.clone(),
            table: p.table.clone(),
            row,
            json_pointer,
            json_line,
            record_id: p.record_id.clone(),
            field: p.field.clone(),
            kind: p.kind.as_str().to_owned(),
            message: p.message.clone(),
            summary: p.to_string(),
        }
    }
}

impl ImportReport {
    pub(crate) fn new(import: &CoreImportReport, build: &CoreBuildReport) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            errors: count(import.errors().count()),
            warnings: count(import.warnings().count()),
            loaded: import
                .loaded()
                .iter()
                .map(|(k, v)| (k.clone(), *v as u64))
                .collect(),
            problems: import.problems().iter().map(ImportProblem::from).collect(),
            build_problems: build
                .problems
                .iter()
                .map(|p| BuildProblem {
                    record_id: p.record_id.clone(),
                    message: p.message.clone(),
                })
                .collect(),
        }
    }
}

/// What a navigator's directory is: its metadata and record counts.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DirectoryInfo {
    /// Directory name.
    pub name: String,
    /// Notice to show with the data (licence, "fictional data" …).
    pub notice: Option<String>,
    /// True for fictional data (the embedded sample): never show it to residents as real.
    pub fictional: bool,
    /// Language of the plain text fields (`en`, `fr`).
    pub default_language: String,
    /// Languages of resident-facing text, in fallback order.
    pub languages: Vec<String>,
    /// IANA time zone of the schedules (`America/Toronto`), when declared.
    pub timezone: Option<String>,
    /// Organisations.
    pub organizations: u64,
    /// Services.
    pub services: u64,
    /// Locations.
    pub locations: u64,
    /// Service-at-location links.
    pub service_at_locations: u64,
    /// Taxonomy terms.
    pub taxonomy_terms: u64,
}

impl From<&Directory> for DirectoryInfo {
    fn from(d: &Directory) -> Self {
        Self {
            name: d.meta.name.clone(),
            notice: d.meta.notice.clone(),
            fictional: d.meta.fictional,
            default_language: d.meta.default_language.as_str().to_owned(),
            languages: d
                .meta
                .languages
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect(),
            timezone: d.meta.timezone.clone(),
            organizations: d.organizations.len() as u64,
            services: d.services.len() as u64,
            locations: d.locations.len() as u64,
            service_at_locations: d.service_at_locations.len() as u64,
            taxonomy_terms: d.taxonomy_terms.len() as u64,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn kinds_are_distinct_snake_case_names() {
        let names: std::collections::BTreeSet<&str> = passerelle::hsds::ProblemKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(names.len(), passerelle::hsds::ProblemKind::ALL.len());
        assert!(names.iter().all(|n| n
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')));
        assert!(names.contains("dangling_reference") && names.contains("io"));
    }
}
