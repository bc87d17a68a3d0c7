//! What an import found: every rejected record or value, and data-quality warnings.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// Data-quality note: everything was loaded, but a maintainer should look.
    Warning,
    /// A record or value was rejected, altered or is inconsistent. Rejected values are
    /// kept verbatim in the record's `extra` map (and written back on export) unless the
    /// message says otherwise.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// Where in the input a problem was found.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Position {
    /// The whole table or file.
    Table,
    /// A CSV data row, 1-based, not counting the header row.
    Row(u64),
    /// A JSON value: `line` is the 1-based line of newline-delimited JSON (None for a single
    /// document), `pointer` a JSON pointer (RFC 6901) to the object.
    Json {
        /// Line number in newline-delimited JSON.
        line: Option<u64>,
        /// JSON pointer to the object holding the problem.
        pointer: String,
    },
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Table => f.write_str("whole table"),
            Self::Row(n) => write!(f, "row {n}"),
            Self::Json {
                line: Some(l),
                pointer,
            } => write!(f, "line {l} {pointer:?}"),
            Self::Json {
                line: None,
                pointer,
            } => write!(f, "{pointer:?}"),
        }
    }
}

/// The kind of a [`Problem`], for programs that act on reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A value has the wrong type or format (a number, date, time, enum or list).
    InvalidValue,
    /// A number is outside its allowed range (e.g. latitude 100).
    OutOfRange,
    /// Not an ISO 639 language code (in `code` or a `field@lang` column).
    InvalidLanguageCode,
    /// Values that contradict each other (e.g. `minimum_age` > `maximum_age`).
    Inconsistent,
    /// A value was accepted but normalised (e.g. `09:00Z` read as local 09:00); the raw
    /// value is kept for export.
    Normalized,
    /// A service-area extent is not a valid GeoJSON Polygon/MultiPolygon.
    InvalidGeometry,
    /// A required field is empty or missing.
    MissingField,
    /// A record has no id; it was skipped. At [`Position::Table`]: the header has no id
    /// column, so none of the table's rows was loaded (one problem for the table).
    MissingId,
    /// Another record of the same table already has this id; this one was skipped.
    DuplicateId,
    /// The same id appears twice in nested JSON with different values; the first values kept.
    ConflictingDuplicate,
    /// A reference to a record that does not exist.
    DanglingReference,
    /// Bytes that are not UTF-8; the row was decoded lossily (U+FFFD replacement).
    InvalidUtf8,
    /// A CSV field longer than `max_field_bytes`; its value was dropped.
    FieldTooLarge,
    /// A file or table larger than `max_file_bytes`; it was not read.
    FileTooLarge,
    /// More than `max_rows` rows; the rest of the table was not read.
    TooManyRows,
    /// A malformed CSV row (wrong column count, stray quote); the row was skipped.
    MalformedRow,
    /// A CSV header problem (duplicate or empty column name); that column was ignored.
    MalformedHeader,
    /// A JSON document or line that does not parse; it was skipped.
    InvalidJson,
    /// JSON nested deeper than the parser allows; it was skipped.
    TooDeep,
    /// A table or JSON object passerelle does not know; kept verbatim where possible.
    Unknown,
    /// A file could not be read.
    Io,
    /// A physical location without coordinates (cannot be ranked by distance).
    MissingCoordinates,
    /// Data older than the staleness threshold: a service's freshest date (`assured_date`,
    /// `last_modified`, a `metadata` row's `last_action_date`), or the data package's date
    /// when no service is dated since.
    Stale,
    /// (0, 0) coordinates, or a point hundreds of km from the rest of the directory.
    SuspectCoordinates,
    /// A date after today (`assured_date`, `last_modified`).
    FutureDate,
    /// A service with no service_at_location and no service_area.
    Unreachable,
    /// A service with no language.
    NoLanguage,
    /// A schedule with neither `opens_at` nor `closes_at`.
    NoTimes,
    /// The import holds more than `max_import_bytes` across its tables; the rest was not read.
    MemoryBudget,
    /// A folder entry that is not a regular file (FIFO, device, socket) or a symbolic link the
    /// options refuse; it was not opened.
    NotAFile,
    /// **Fatal**: the import loaded fewer services than `min_services` (an empty or wrong
    /// folder, an empty JSON document).
    NoServices,
    /// **Fatal**: more than `max_lost_share` of a table's rows were not loaded.
    MostRowsLost,
    /// Schedules with opening times and no time zone (none on the rows, none for the
    /// directory): their hours are read in UTC. Also named in the report's summary line.
    NoTimeZone,
    /// A service-area extent that would take the feed's extents past
    /// `max_total_extent_vertices`; the extent was dropped, its service area kept.
    VertexBudget,
}

impl ProblemKind {
    /// True for problems that make the whole import unusable: a directory that should not
    /// be served ([`ImportReport::fatal`]).
    pub fn is_fatal(self) -> bool {
        matches!(self, Self::NoServices | Self::MostRowsLost)
    }
}

impl ProblemKind {
    /// Every kind, in declaration order.
    pub const ALL: [Self; 34] = [
        Self::InvalidValue,
        Self::OutOfRange,
        Self::InvalidLanguageCode,
        Self::Inconsistent,
        Self::Normalized,
        Self::InvalidGeometry,
        Self::MissingField,
        Self::MissingId,
        Self::DuplicateId,
        Self::ConflictingDuplicate,
        Self::DanglingReference,
        Self::InvalidUtf8,
        Self::FieldTooLarge,
        Self::FileTooLarge,
        Self::TooManyRows,
        Self::MalformedRow,
        Self::MalformedHeader,
        Self::InvalidJson,
        Self::TooDeep,
        Self::Unknown,
        Self::Io,
        Self::MissingCoordinates,
        Self::Stale,
        Self::SuspectCoordinates,
        Self::FutureDate,
        Self::Unreachable,
        Self::NoLanguage,
        Self::NoTimes,
        Self::MemoryBudget,
        Self::NotAFile,
        Self::NoServices,
        Self::MostRowsLost,
        Self::NoTimeZone,
        Self::VertexBudget,
    ];

    /// The kind's stable snake_case name (`invalid_value`, `dangling_reference`, …), as the
    /// bindings, the command-line tool's JSON and reports spell it.
    ///
    /// # Examples
    /// ```
    /// use passerelle::hsds::ProblemKind;
    /// assert_eq!(ProblemKind::DanglingReference.as_str(), "dangling_reference");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidValue => "invalid_value",
            Self::OutOfRange => "out_of_range",
            Self::InvalidLanguageCode => "invalid_language_code",
            Self::Inconsistent => "inconsistent",
            Self::Normalized => "normalized",
            Self::InvalidGeometry => "invalid_geometry",
            Self::MissingField => "missing_field",
            Self::MissingId => "missing_id",
            Self::DuplicateId => "duplicate_id",
            Self::ConflictingDuplicate => "conflicting_duplicate",
            Self::DanglingReference => "dangling_reference",
            Self::InvalidUtf8 => "invalid_utf8",
            Self::FieldTooLarge => "field_too_large",
            Self::FileTooLarge => "file_too_large",
            Self::TooManyRows => "too_many_rows",
            Self::MalformedRow => "malformed_row",
            Self::MalformedHeader => "malformed_header",
            Self::InvalidJson => "invalid_json",
            Self::TooDeep => "too_deep",
            Self::Unknown => "unknown",
            Self::Io => "io",
            Self::MissingCoordinates => "missing_coordinates",
            Self::Stale => "stale",
            Self::SuspectCoordinates => "suspect_coordinates",
            Self::FutureDate => "future_date",
            Self::Unreachable => "unreachable",
            Self::NoLanguage => "no_language",
            Self::NoTimes => "no_times",
            Self::MemoryBudget => "memory_budget",
            Self::NotAFile => "not_a_file",
            Self::NoServices => "no_services",
            Self::MostRowsLost => "most_rows_lost",
            Self::NoTimeZone => "no_time_zone",
            Self::VertexBudget => "vertex_budget",
        }
    }
}

/// One thing found while importing.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// File the input came from (`locations.csv`, `services.json`, or a name given in memory).
    pub source: String,
    /// HSDS table of the record (`locations`, `service_at_location`, …).
    pub table: String,
    /// Row or JSON pointer.
    pub position: Position,
    /// Id of the record, when known.
    pub record_id: Option<String>,
    /// Column or property, when the problem is about one field.
    pub field: Option<String>,
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Readable explanation (quotes directory data, never resident data).
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}) {}",
            self.severity.as_str(),
            self.table,
            self.source,
            self.position
        )?;
        if let Some(id) = &self.record_id {
            write!(f, " id {id}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything an import found, plus how many records each table loaded.
///
/// `Display` prints a summary line per table and every problem.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    problems: Vec<Problem>,
    loaded: BTreeMap<String, usize>,
    seen: BTreeMap<String, usize>,
}

impl ImportReport {
    /// Every problem, in the order found.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Problems of severity [`Severity::Error`].
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// Problems of severity [`Severity::Warning`].
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// Problems of one kind.
    pub fn of_kind(&self, kind: ProblemKind) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(move |p| p.kind == kind)
    }

    /// True when no problem has severity error.
    pub fn is_clean(&self) -> bool {
        self.errors().next().is_none()
    }

    /// Records loaded per table (tables with zero records are absent).
    pub fn loaded(&self) -> &BTreeMap<String, usize> {
        &self.loaded
    }

    /// Records loaded into `table` (0 when none).
    pub fn loaded_count(&self, table: &str) -> usize {
        self.loaded.get(table).copied().unwrap_or(0)
    }

    /// Records met in the input of `table` (CSV data rows, JSON records), loaded or not.
    pub fn seen_count(&self, table: &str) -> usize {
        self.seen.get(table).copied().unwrap_or(0)
    }

    /// Records of `table` met in the input but not loaded (each one is also a problem of the
    /// report, or part of a whole-table problem that counts them).
    ///
    /// # Examples
    /// ```
    /// use passerelle::hsds::import_tables;
    /// use passerelle::ImportOptions;
    /// let csv = b"id,organization_id,name\ns1,o1,Pantry\ns1,o1,Twice\n,o1,No id\n";
    /// let imported = import_tables([("services", &csv[..])], &ImportOptions::default());
    /// assert_eq!(imported.report.dropped_count("services"), 2);
    /// ```
    pub fn dropped_count(&self, table: &str) -> usize {
        self.seen_count(table)
            .saturating_sub(self.loaded_count(table))
    }

    /// Records met but not loaded, per table (tables that lost none are absent).
    pub fn dropped(&self) -> BTreeMap<String, usize> {
        self.seen
            .keys()
            .map(|t| (t.clone(), self.dropped_count(t)))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// The first fatal problem ([`ProblemKind::is_fatal`]): the import gave no services or
    /// lost most of a table, so its directory should not be served or swapped in.
    ///
    /// # Examples
    /// ```
    /// use passerelle::hsds::ProblemKind;
    /// use passerelle::{import_json, ImportOptions};
    /// let opts = ImportOptions { min_services: 1, ..ImportOptions::default() };
    /// let imported = import_json(b"[]", &opts).unwrap();
    /// assert_eq!(imported.report.fatal().unwrap().kind, ProblemKind::NoServices);
    /// ```
    pub fn fatal(&self) -> Option<&Problem> {
        self.problems.iter().find(|p| p.kind.is_fatal())
    }

    pub(crate) fn set_seen(&mut self, table: &str, count: usize) {
        if count > 0 {
            self.seen.insert(table.to_owned(), count);
        }
    }

    pub(crate) fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    pub(crate) fn set_loaded(&mut self, table: &str, count: usize) {
        if count > 0 {
            self.loaded.insert(table.to_owned(), count);
        } else {
            self.loaded.remove(table);
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.errors().count();
        let warnings = self.warnings().count();
        writeln!(f, "loaded:")?;
        for (table, n) in &self.loaded {
            match self.dropped_count(table) {
                0 => writeln!(f, "  {table}: {n}")?,
                lost => writeln!(f, "  {table}: {n} ({lost} not loaded)")?,
            }
        }
        for (table, lost) in self.dropped() {
            if !self.loaded.contains_key(&table) {
                writeln!(f, "  {table}: 0 ({lost} not loaded)")?;
            }
        }
        write!(f, "{errors} error(s), {warnings} warning(s)")?;
        if self.of_kind(ProblemKind::NoTimeZone).next().is_some() {
            write!(f, "; no time zone: schedules read in UTC")?;
        }
        writeln!(f)?;
        for p in &self.problems {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Builds problems with a shared source/table/position/record id.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// Shared by every record of a file (cloning it is a reference count).
    pub source: Arc<str>,
    /// A static table name for HSDS tables, owned only for other tables.
    pub table: Cow<'static, str>,
    pub position: Position,
    pub record_id: Option<String>,
}

impl Origin {
    pub(crate) fn problem(
        &self,
        severity: Severity,
        kind: ProblemKind,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            severity,
            source: self.source.to_string(),
            table: self.table.to_string(),
            position: self.position.clone(),
            record_id: self.record_id.clone(),
            field: field.map(str::to_owned),
            kind,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_summarises() {
        let mut r = ImportReport::default();
        r.set_loaded("services", 2);
        let o = Origin {
            source: "locations.csv".into(),
            table: "locations".into(),
            position: Position::Row(1),
            record_id: Some("l1".into()),
        };
        r.push(o.problem(
            Severity::Error,
            ProblemKind::OutOfRange,
            Some("latitude"),
            "latitude 100 is outside -90..=90",
        ));
        let s = r.to_string();
        assert!(s.contains("services: 2"));
        assert!(s.contains("1 error(s), 0 warning(s)"));
        assert!(s.contains("locations (locations.csv) row 1 id l1 field latitude"));
        assert!(!r.is_clean());
        assert_eq!(r.of_kind(ProblemKind::OutOfRange).count(), 1);
    }
}
