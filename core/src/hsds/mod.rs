//! HSDS 3.1 import and export with validation.
//!
//! Two forms are read and written:
//! - **tabular**: a folder of CSV tables named as in HSDS 3.1 (`organizations.csv`,
//!   `services.csv`, `service_at_location.csv`, …), an optional `datapackage.json` whose
//!   `"passerelle"` object holds the [`DirectoryMeta`](crate::model::DirectoryMeta), and the
//!   `eligibility_tables.csv` extension (see `docs/conventions.md`);
//! - **JSON**: compiled `service` objects (organization, service_at_locations → location, phones,
//!   schedules, … nested), `organization` and `service_at_location` objects, taxonomy and term
//!   objects, list pages (`{"contents": [...]}`), newline-delimited JSON, and passerelle's own
//!   wrapper `{"passerelle": {...}, "services": [...], ...}`. Nested records are flattened into
//!   the tabular model; a record seen twice (an organization under several services) is merged
//!   when identical and reported when conflicting.
//!
//! Bad input never aborts an import and is never dropped silently: every rejected value or
//! record is an entry of the [`ImportReport`], and every valid record is loaded. Rejected values
//! are kept verbatim in the record's `extra` map, so export writes them back unchanged. Only
//! whole-input failures (an unreadable folder, a document that is not JSON) are an
//! [`ImportError`].
//!
//! Round trip: `import(export(d)) == d` for both forms.
//!
//! # Examples
//! ```
//! use passerelle::hsds::{export_csv_tables, import_tables};
//! use passerelle::ImportOptions;
//! let tables = [
//!     ("organizations.csv", &b"id,name\no1,Food Bank\n"[..]),
//!     ("services.csv", b"id,organization_id,name,minimum_age\ns1,o1,Pantry,twelve\n"),
//! ];
//! let imported = import_tables(tables, &ImportOptions::default());
//! assert_eq!(imported.directory.services.len(), 1);
//! let problem = imported.report.errors().next().unwrap();
//! assert_eq!(problem.field.as_deref(), Some("minimum_age"));
//!
//! // the rejected value is written back on export
//! let csv = export_csv_tables(&imported.directory);
//! let services = &csv.iter().find(|(name, _)| name == "services.csv").unwrap().1;
//! assert!(String::from_utf8_lossy(services).contains("twelve"));
//! ```

mod budget;
mod build;
mod checks;
mod csv_import;
mod export;
mod extent;
mod fields;
mod folder;
mod headers;
mod json_import;
mod lint;
mod report;
mod report_json;
#[cfg(feature = "sample")]
mod sample;
mod tables;
mod validate;
mod zones;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

pub use export::{export_csv_dir, export_csv_tables, export_json, ExportError};
pub use report::{ImportReport, Position, Problem, ProblemKind, Severity};
#[cfg(feature = "sample")]
pub use sample::sample_directory;

/// A GeoJSON Polygon or MultiPolygon (or a Feature holding one) as an area extent, with the
/// same checks as service-area extents: `Ok` with a warning when kept despite topology faults,
/// `Err` with why it is refused.
pub(crate) fn geojson_extent(
    v: &serde_json::Value,
    max_vertices: usize,
) -> Result<(geo::MultiPolygon<f64>, Option<String>), String> {
    match extent::parse_extent(v, max_vertices) {
        fields::Parsed::Ok(mp) | fields::Parsed::Normalized(mp, _) => Ok((mp, None)),
        fields::Parsed::Warned(mp, _, warning) => Ok((mp, Some(warning))),
        fields::Parsed::Err(_, why) => Err(why),
    }
}

use crate::model::Directory;

/// Limits and settings of an import. `Default` gives limits suited to a city-sized directory.
///
/// # Examples
/// ```
/// use passerelle::ImportOptions;
/// let opts = ImportOptions {
///     stale_after_months: 12,
///     time_zone: Some("America/Los_Angeles".into()),
///     ..ImportOptions::default()
/// };
/// assert_eq!(opts.max_field_bytes, 1 << 20);
/// ```
///
/// Build it with struct-update syntax so new options keep their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// Longest CSV field, in bytes (default 1 MiB). Longer fields are reported and dropped
    /// without being copied.
    pub max_field_bytes: usize,
    /// Largest file or in-memory table, in bytes (default 512 MiB). Larger inputs are
    /// reported and not read.
    pub max_file_bytes: u64,
    /// Most data rows read per table or JSON lines per file (default 1,000,000).
    pub max_rows: usize,
    /// Most vertices in one service-area extent (default 20,000).
    pub max_extent_vertices: usize,
    /// Most vertices in all the service-area extents of the import together (default
    /// 2,000,000: a hundred extents at `max_extent_vertices`). Extents are kept in the order
    /// read; one that would pass the total is reported (`VertexBudget`) and dropped, its
    /// service area kept (the raw extent stays in `extra`), and later extents that still fit
    /// are kept.
    pub max_total_extent_vertices: usize,
    /// "Today" for staleness warnings; `None` uses the system clock's local date.
    pub today: Option<Date>,
    /// A service whose `assured_date` is older than this many months is reported stale
    /// (default 18). `0` disables the check.
    pub stale_after_months: u32,
    /// Report data-quality warnings (missing coordinates, stale, unreachable, no language,
    /// schedule without times). Default true.
    pub quality_warnings: bool,
    /// Memory budget of the whole import, in bytes (default 1 GiB): the estimated bytes of
    /// every row held, across all tables, unknown tables included, charged as rows are read.
    /// The row that passes it is reported (`MemoryBudget`) and nothing more is read. When it
    /// binds, peak resident memory measured 1.35–1.45 times this figure (`benches/RESULTS.md`).
    pub max_import_bytes: u64,
    /// Symbolic links in a feed folder (default [`Symlinks::WithinFolder`]).
    pub symlinks: Symlinks,
    /// A table of which more than this share of the records met (at least 10) were not loaded
    /// gets the fatal problem `MostRowsLost` (default 0.5). `1.0` disables it.
    pub max_lost_share: f64,
    /// An import with fewer services gets the fatal problem `NoServices` (default 0: off,
    /// since tables are often imported a few at a time). Set it to 1 when the import is a
    /// whole directory to serve; the bindings' `ImportLimits` do by default.
    pub min_services: usize,
    /// IANA time zone of the directory's schedules (`America/Los_Angeles`), overriding the
    /// feed's `passerelle.timezone`; rows that name their own zone keep it. `None` keeps the
    /// feed's zone, or the one every timed schedule row names; failing both, timed rows are
    /// read in UTC and the report says so ([`ProblemKind::NoTimeZone`]). An unknown name is
    /// reported as an error and ignored.
    pub time_zone: Option<String>,
}

/// What an import does with a symbolic link in a feed folder.
///
/// FIFOs, devices and sockets are never opened, whatever this says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Symlinks {
    /// Not read: reported as `NotAFile`.
    Refuse,
    /// Read when it resolves to a regular file inside the folder; otherwise reported.
    #[default]
    WithinFolder,
    /// Read wherever it points (only for folders the caller wrote itself).
    Follow,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            max_field_bytes: 1 << 20,
            max_file_bytes: 512 << 20,
            max_rows: 1_000_000,
            max_extent_vertices: 20_000,
            max_total_extent_vertices: 2_000_000,
            today: None,
            stale_after_months: 18,
            quality_warnings: true,
            max_import_bytes: 1 << 30,
            symlinks: Symlinks::WithinFolder,
            max_lost_share: 0.5,
            min_services: 0,
            time_zone: None,
        }
    }
}

/// A whole-input failure: nothing could be imported from this input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// A folder or file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not JSON (nor newline-delimited JSON).
    #[error("{file} is not JSON: {reason}")]
    Json {
        /// The file (or `"json"` for in-memory input).
        file: String,
        /// Parser message with line and column.
        reason: String,
    },
    /// JSON nested deeper than the parser's recursion limit (128).
    #[error("{file} is nested too deeply (more than 128 levels)")]
    TooDeep {
        /// The file.
        file: String,
    },
    /// The input is larger than `max_file_bytes`.
    #[error("{file} has {size} bytes, more than max_file_bytes ({limit})")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size in bytes.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The import's report holds a fatal problem (no services, most of a table lost): see
    /// [`Imported::usable`].
    #[error("the import is not fit to serve: {problem}")]
    Unusable {
        /// The first fatal problem, on one line.
        problem: String,
    },
    /// The path is not a regular file (a FIFO, a device) or a symbolic link the options
    /// refuse; it was not opened.
    #[error("{path} is refused: {reason}")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is.
        reason: String,
    },
}

/// A loaded directory and what the import found.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Every valid record.
    pub directory: Directory,
    /// Rejected values and records, and data-quality warnings.
    pub report: ImportReport,
}

impl Imported {
    /// The import, or an error when its report holds a fatal problem
    /// ([`ImportReport::fatal`]): no services (with `min_services` set), or most of a table
    /// lost. Use it before serving or swapping in an imported directory.
    ///
    /// # Errors
    /// [`ImportError::Unusable`] naming the first fatal problem.
    ///
    /// # Examples
    /// ```
    /// use passerelle::hsds::import_tables;
    /// use passerelle::{ImportError, ImportOptions};
    /// let opts = ImportOptions { min_services: 1, ..ImportOptions::default() };
    /// let empty = import_tables([("services", &b""[..])], &opts);
    /// assert!(matches!(empty.usable(), Err(ImportError::Unusable { .. })));
    /// ```
    pub fn usable(self) -> Result<Self, ImportError> {
        match self.report.fatal() {
            Some(p) => Err(ImportError::Unusable {
                problem: p.to_string(),
            }),
            None => Ok(self),
        }
    }
}

/// Imports a folder of HSDS CSV tables (with optional `datapackage.json` and
/// `eligibility_tables.csv`). Files other than `*.csv` and `datapackage.json` are ignored.
///
/// Only regular files are read (a FIFO, device or socket is reported as
/// [`ProblemKind::NotAFile`], never opened), symbolic links as [`ImportOptions::symlinks`]
/// says; files are read and parsed one at a time.
///
/// # Errors
/// [`ImportError::Io`] when the folder cannot be listed. A file that cannot be read is a
/// problem in the report, not an error.
pub fn import_dir(path: impl AsRef<Path>, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let path = path.as_ref();
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                || p.file_name().is_some_and(|n| n == "datapackage.json")
        })
        .collect();
    // Under a memory budget the tables read first are the ones kept: the core of a
    // directory first, unknown tables last.
    files.sort_by_key(|p| {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let rank = match stem.as_str() {
            "datapackage" => 0,
            "services" => 1,
            "organizations" => 2,
            "locations" => 3,
            "service_at_location" => 4,
            s if headers::typed_columns(s).is_some() => 5,
            "eligibility_tables" => 5,
            _ => 6,
        };
        (rank, p.clone())
    });
    let mut tables = build::Tables::new(opts);
    // Each file is its own table: a typed table is typed as soon as it is read, so only one
    // table's raw rows are held at a time.
    let mut typed = build::Typed::new(opts);
    for file in files {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let read = folder::check_entry(&file, Some(path), opts)
            .and_then(|real| folder::read_file(&real, opts.max_file_bytes));
        match read {
            Ok(bytes) => {
                tables.add(&name, &bytes, opts);
                drop(bytes);
                if let Some(table) = name.strip_suffix(".csv") {
                    typed.table(&mut tables, table, opts);
                }
            }
            Err(problem) => tables.problems.push(build::file_problem(&name, problem)),
        }
    }
    Ok(build::finish_typed(tables, typed, opts))
}

/// Imports a folder of CSV tables or, for a file, HSDS JSON / newline-delimited JSON.
///
/// # Errors
/// See [`import_dir`] and [`import_json`]; [`ImportError::NotAFile`] for a FIFO, device or
/// refused symbolic link.
pub fn import_path(path: impl AsRef<Path>, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let path = path.as_ref();
    if path.is_dir() {
        return import_dir(path, opts);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = folder::check_entry(path, None, opts)
        .and_then(|real| folder::read_file(&real, opts.max_file_bytes));
    let bytes = match read {
        Ok(b) => b,
        Err(FileProblem::Io(source)) => {
            return Err(ImportError::Io {
                path: path.to_owned(),
                source,
            })
        }
        Err(FileProblem::TooLarge(size)) => {
            return Err(ImportError::TooLarge {
                file: name,
                size,
                limit: opts.max_file_bytes,
            })
        }
        Err(FileProblem::Refused(reason)) => {
            return Err(ImportError::NotAFile {
                path: path.to_owned(),
                reason,
            })
        }
    };
    json_import::import(&name, &bytes, opts)
}

/// Imports HSDS CSV tables given as `(name, bytes)` pairs, e.g. from `include_bytes!`.
///
/// Names are table names with or without `.csv` (`"services"`, `"services.csv"`), or
/// `datapackage.json`. Unknown table names are kept verbatim in `Directory::other_tables`
/// with a warning. Never fails: every problem is in the report.
pub fn import_tables<'a>(
    tables: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    opts: &ImportOptions,
) -> Imported {
    build::import_tables(tables, opts)
}

/// Imports HSDS JSON: a compiled service, organization or service_at_location object, a list
/// page, an array, passerelle's wrapper object, or newline-delimited JSON.
///
/// # Errors
/// [`ImportError::Json`] when the input is not JSON at all, [`ImportError::TooDeep`] past the
/// parser's nesting limit, [`ImportError::TooLarge`] past `max_file_bytes`. A bad line of
/// newline-delimited JSON is a problem in the report instead.
pub fn import_json(bytes: &[u8], opts: &ImportOptions) -> Result<Imported, ImportError> {
    json_import::import("json", bytes, opts)
}

pub(crate) enum FileProblem {
    Io(std::io::Error),
    TooLarge(u64),
    /// Not a regular file, or a refused symbolic link: what it is.
    Refused(String),
}
