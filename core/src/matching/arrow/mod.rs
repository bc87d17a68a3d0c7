//! Columnar batch search for data teams (feature `arrow`): queries in as an Arrow IPC
//! stream, one row per match out as an Arrow IPC stream.
//!
//! One call carries any number of queries, and pyarrow, pandas, Polars or DuckDB read the
//! result without converting record by record. [`Navigator::search_arrow`] does the whole
//! trip; [`QueryBatch`] and [`BatchResults`] give the steps (decode, search, encode) to
//! callers that want the queries or the results in between.
//!
//! **Input columns** (one row per query; only a need column is required): `id` (any type,
//! copied to the output), `need_text` (text, or a list of texts for several needs),
//! `need_terms` (term codes separated by commas or spaces), `lat`, `lon` (degrees),
//! `radius_km`, `languages` (codes separated by commas), `facts_json` (a JSON object of
//! facts, as in the JSON query format), and any fact of the navigator's catalogue as its own
//! column (`age`, `household_size`, `disability`, `population` …; numbers, booleans, text or
//! lists of text). Nulls are unknown. Any other column is an error naming it. Everything a
//! row does not set comes from the batch defaults (a [`QueryInput`]).
//!
//! **Output columns** ([`OUTPUT_COLUMNS`]): `query_index` (input row, from 0), `need_id` (the
//! input's `id`, same type, when given), then the fields of [`ResultRow`] (`need_index`,
//! `rank`, `service_id`, `service_at_location_id`, `location_id`, `service_name`, `phone`,
//! `address`, `distance_m`, `via`, `eligibility`, `missing_facts` as a list of text, `open_now`,
//! `score`, `total`, `crisis`, `reason`; [`ResultRow::COLUMNS`]) and `error`. These are the
//! names every batch path of the bindings uses. A need without results gives one row with
//! `rank` null and `reason` set; a row that is not a
//! valid query gives one row with `error` set, and the batch goes on. All queries run on one
//! navigator at one instant.
//!
//! Malformed IPC (truncated, altered, compressed, column types the path does not read) is
//! [`ArrowBatchError::NotIpc`], checked before arrow-ipc decodes anything: never a panic.
//!
//! # Examples
//! ```
//! use std::sync::Arc;
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
//! use passerelle::matching::arrow::QueryBatch;
//! use passerelle::matching::QueryInput;
//! use passerelle::{Directory, Navigator, NavigatorOptions};
//!
//! let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
//! let queries = RecordBatch::try_from_iter([
//!     ("need_text", Arc::new(StringArray::from(vec!["food bank", "emploi"])) as ArrayRef),
//!     ("lat", Arc::new(Float64Array::from(vec![45.43, 45.42])) as ArrayRef),
//!     ("lon", Arc::new(Float64Array::from(vec![-75.69, -75.70])) as ArrayRef),
//! ])?;
//! let mut ipc = Vec::new();
//! let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut ipc, &queries.schema())?;
//! w.write(&queries)?;
//! w.finish()?;
//! drop(w);
//!
//! let defaults = QueryInput { limit: 3, ..QueryInput::default() };
//! // the whole trip
//! let out = nav.search_arrow(&ipc, &defaults)?;
//! // or step by step
//! let batch = QueryBatch::from_ipc(&ipc, nav.catalog(), &defaults)?;
//! assert_eq!(batch.len(), 2);
//! let results = batch.search(&nav);
//! assert!(results.results().iter().all(Result::is_ok));
//! let rows = results.to_ipc()?;
//! let read = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(rows), None)?;
//! assert_eq!(read.schema().field(0).name(), "query_index");
//! # let _ = out;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;
mod error;
mod read;
mod write;

use std::fmt;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::DataType;

use crate::rules::FactCatalog;

use super::{Navigator, Query, QueryInput, ResultRow, SearchResults, MAX_BATCH_QUERIES};

pub use error::ArrowBatchError;

use read::Role;
use write::{u32_of, OutRow};

/// Most input rows (queries) in one batch.
pub const MAX_ARROW_ROWS: usize = 2_000_000;

/// The input columns that are query fields (any other column must be a fact).
pub const QUERY_COLUMNS: [&str; 8] = [
    "id",
    "need_text",
    "need_terms",
    "lat",
    "lon",
    "radius_km",
    "languages",
    "facts_json",
];

/// The output columns, in order (`need_id` only when the input has an `id` column).
pub const OUTPUT_COLUMNS: [&str; 20] = [
    "query_index",
    "need_id",
    "need_index",
    "rank",
    "service_id",
    "service_at_location_id",
    "location_id",
    "service_name",
    "phone",
    "address",
    "distance_m",
    "via",
    "eligibility",
    "missing_facts",
    "open_now",
    "score",
    "total",
    "crisis",
    "reason",
    "error",
];

/// Why one row of a batch is not a valid query, or why its search failed: the error of
/// that row alone (the `error` cell of its output row).
#[derive(Debug)]
pub struct RowError {
    /// The column whose value is wrong, when one is to blame (`facts_json`).
    pub column: Option<&'static str>,
    /// What is wrong (never a cell's value).
    pub error: Box<crate::Error>,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{column}: {}", self.error),
            None => write!(f, "{}", self.error),
        }
    }
}

impl std::error::Error for RowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.error.as_ref())
    }
}

impl From<crate::Error> for RowError {
    fn from(error: crate::Error) -> Self {
        Self {
            column: None,
            error: Box::new(error),
        }
    }
}

/// A decoded batch of queries: one validated [`Query`] (or the row's error) per input row,
/// in input order, and the input's `id` column.
///
/// `Debug` shows counts only (the rows describe residents).
pub struct QueryBatch {
    queries: Vec<Result<Query, RowError>>,
    ids: Option<(DataType, Vec<ArrayRef>)>,
}

impl fmt::Debug for QueryBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryBatch")
            .field("rows", &self.queries.len())
            .field(
                "invalid",
                &self.queries.iter().filter(|q| q.is_err()).count(),
            )
            .field("ids", &self.ids.is_some())
            .finish()
    }
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("rows", &self.results.len())
            .field(
                "failed",
                &self.results.iter().filter(|r| r.is_err()).count(),
            )
            .field("ids", &self.ids.is_some())
            .finish()
    }
}

impl QueryBatch {
    /// Decodes an Arrow IPC stream of queries (see the [module](self) for its columns).
    /// Each row is `defaults` with the row's values, validated against `catalog` as any
    /// [`QueryInput`]; `defaults.needs` is not used. Without `defaults.at_epoch_seconds`,
    /// every query is judged at the same instant: now.
    ///
    /// # Errors
    /// [`ArrowBatchError`] (through [`crate::Error::Arrow`]) for a stream that is not valid
    /// IPC, an unknown column, a column of the wrong type, no need column, more than
    /// [`MAX_ARROW_ROWS`] rows; the errors of [`QueryInput::to_query`] for bad `defaults`
    /// (`limit` 0, a distance that is not one …). A bad row is not an error here: its entry
    /// in [`queries`](Self::queries) is.
    pub fn from_ipc(
        bytes: &[u8],
        catalog: &FactCatalog,
        defaults: &QueryInput,
    ) -> Result<Self, crate::Error> {
        let mut defaults = defaults.clone();
        if defaults.at_epoch_seconds.is_none() {
            defaults.at_epoch_seconds = Some(jiff::Timestamp::now().as_second());
        }
        // The defaults alone (no row yet): a bad option fails the call, not every row.
        QueryInput {
            needs: Vec::new(),
            ..defaults.clone()
        }
        .to_query(catalog)?;
        let (schema, batches) = read::read_input(bytes)?;
        let roles: Vec<Role> = schema
            .fields()
            .iter()
            .map(|f| {
                let role = read::role_of(f.name(), catalog)?;
                read::check_type(f.name(), &role, f.data_type())?;
                Ok(role)
            })
            .collect::<Result<_, ArrowBatchError>>()?;
        if !roles
            .iter()
            .any(|r| matches!(r, Role::NeedText | Role::NeedTerms))
        {
            return Err(ArrowBatchError::NoNeedColumn.into());
        }
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        if rows > MAX_ARROW_ROWS {
            return Err(ArrowBatchError::TooManyRows {
                rows,
                max: MAX_ARROW_ROWS,
            }
            .into());
        }
        let id_pos = roles.iter().position(|r| matches!(r, Role::Id));
        let mut queries = Vec::with_capacity(rows);
        let mut ids = Vec::new();
        for batch in &batches {
            let cols: Vec<(Role, ArrayRef)> = roles
                .iter()
                .cloned()
                .zip(batch.columns().iter().cloned())
                .collect();
            if let Some(p) = id_pos {
                ids.extend(batch.columns().get(p).cloned());
            }
            for i in 0..batch.num_rows() {
                queries.push(
                    read::row_input(&defaults, &cols, i)
                        .and_then(|q| q.to_query(catalog).map_err(RowError::from)),
                );
            }
        }
        let ids = id_pos.map(|p| {
            let data_type = schema
                .fields()
                .get(p)
                .map_or(DataType::Null, |f| f.data_type().clone());
            (data_type, ids)
        });
        Ok(Self { queries, ids })
    }

    /// Number of rows (queries, valid or not).
    pub fn len(&self) -> usize {
        self.queries.len()
    }

    /// True for a stream without rows.
    pub fn is_empty(&self) -> bool {
        self.queries.is_empty()
    }

    /// Each row's query, or why it is not one, in input order.
    pub fn queries(&self) -> &[Result<Query, RowError>] {
        &self.queries
    }

    /// Runs every valid query on `nav` ([`Navigator::search_batch`], in parallel): one
    /// result per row, in input order; a row that is not a valid query keeps its error.
    pub fn search(self, nav: &Navigator) -> BatchResults {
        let valid: Vec<Query> = self
            .queries
            .iter()
            .filter_map(|q| q.as_ref().ok().cloned())
            .collect();
        let mut found = Vec::with_capacity(valid.len());
        for chunk in valid.chunks(MAX_BATCH_QUERIES) {
            match nav.search_batch(chunk) {
                Ok(results) => found.extend(results),
                // A chunk is never larger than the batch limit; were it, each of its
                // queries would carry the error.
                Err(e) => found.extend(chunk.iter().map(|_| Err(e.clone().into()))),
            }
        }
        let mut found = found.into_iter();
        let results = self
            .queries
            .into_iter()
            .map(|q| match q {
                Ok(_) => found
                    .next()
                    .unwrap_or_else(|| Err(super::MatchError::NoNeeds.into()))
                    .map_err(RowError::from),
                Err(e) => Err(e),
            })
            .collect();
        BatchResults {
            results,
            ids: self.ids,
        }
    }
}

/// The results of a [`QueryBatch`]: one entry per input row, in input order.
///
/// `Debug` shows counts only (the ids are the caller's).
pub struct BatchResults {
    results: Vec<Result<SearchResults, RowError>>,
    ids: Option<(DataType, Vec<ArrayRef>)>,
}

impl BatchResults {
    /// Each row's results, or why the row has none.
    pub fn results(&self) -> &[Result<SearchResults, RowError>] {
        &self.results
    }

    /// The result stream (see the [module](self) for its columns): each row's
    /// [`SearchResults::rows`], or one row with its error.
    ///
    /// # Errors
    /// [`ArrowBatchError::Write`] when Arrow cannot write the stream (a bug).
    pub fn to_ipc(&self) -> Result<Vec<u8>, ArrowBatchError> {
        let mut out = Vec::new();
        for (i, res) in self.results.iter().enumerate() {
            let query = u32_of(i);
            match res {
                Ok(r) => out.extend(r.rows().into_iter().map(|row| OutRow {
                    query,
                    row,
                    error: None,
                })),
                Err(e) => out.push(OutRow {
                    query,
                    row: ResultRow::default(),
                    error: Some(e.to_string()),
                }),
            }
        }
        write::write_rows(
            &out,
            self.ids.as_ref().map(|(t, parts)| (t, parts.as_slice())),
        )
    }
}

impl Navigator {
    /// Runs a batch of queries given as an Arrow IPC stream and returns one row per match as
    /// an Arrow IPC stream: [`QueryBatch::from_ipc`], [`QueryBatch::search`] and
    /// [`BatchResults::to_ipc`]. See the [`arrow`](crate::matching::arrow) module for
    /// the columns.
    ///
    /// # Errors
    /// As [`QueryBatch::from_ipc`], and [`ArrowBatchError::Write`].
    pub fn search_arrow(&self, ipc: &[u8], defaults: &QueryInput) -> Result<Vec<u8>, crate::Error> {
        let batch = QueryBatch::from_ipc(ipc, self.catalog(), defaults)?;
        Ok(batch.search(self).to_ipc()?)
    }
}

#[cfg(test)]
mod tests;
