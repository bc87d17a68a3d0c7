//! Errors of gap analysis and coverage scans.

/// Invalid gap-analysis or coverage options, or output that could not be written.
///
/// Never carries resident data: only option names, limits and counts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GapError {
    /// An option is out of range (e.g. `min_records` of 0, a negative or NaN distance).
    #[error("invalid option {option}: {why}")]
    InvalidOption {
        /// The option's field name.
        option: &'static str,
        /// What the valid range is.
        why: &'static str,
    },
    /// A coverage scan would produce more cell × need rows than allowed.
    #[error("coverage scan of {rows} cell × need rows exceeds the limit of {max}")]
    TooLarge {
        /// Rows the scan would produce.
        rows: u64,
        /// [`MAX_COVERAGE_ROWS`](crate::gaps::MAX_COVERAGE_ROWS).
        max: u64,
    },
    /// CSV output could not be written.
    #[error("CSV output: {why}")]
    Csv {
        /// What went wrong.
        why: String,
    },
}
