//! What can go wrong with a batch as a whole (a bad row only gets its own `error` cell).

/// A query batch that cannot be read, or results that cannot be written.
///
/// Messages name the column or the part of the stream involved, never a cell's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArrowBatchError {
    /// The bytes are not an Arrow IPC stream the batch path can read (framing, metadata,
    /// buffers out of range, compressed batches, column types it does not read).
    #[error("queries are not a valid Arrow IPC stream: {reason}")]
    NotIpc {
        /// What is wrong with the stream.
        reason: String,
    },
    /// A column that is neither a query field nor a fact of the navigator's catalogue.
    #[error("unknown input column {column:?}; accepted: {accepted}, or a fact: {facts}")]
    UnknownColumn {
        /// The column's name.
        column: String,
        /// The query columns ([`QUERY_COLUMNS`](super::QUERY_COLUMNS)), comma-separated.
        accepted: String,
        /// The catalogue's facts, comma-separated.
        facts: String,
    },
    /// A column whose Arrow type its role cannot have (`lat` as text).
    #[error("input column {column:?} has Arrow type {data_type}, which it cannot be")]
    ColumnType {
        /// The column's name.
        column: String,
        /// Its Arrow type.
        data_type: String,
    },
    /// Neither `need_text` nor `need_terms` is a column.
    #[error("the queries need a need_text or need_terms column")]
    NoNeedColumn,
    /// More rows than [`MAX_ARROW_ROWS`](super::MAX_ARROW_ROWS).
    #[error("{rows} queries in one batch; at most {max} are accepted")]
    TooManyRows {
        /// Rows in the batch.
        rows: usize,
        /// The limit.
        max: usize,
    },
    /// The result stream could not be written (a bug: please report it).
    #[error("writing the Arrow result: {reason}")]
    Write {
        /// Arrow's message.
        reason: String,
    },
}
