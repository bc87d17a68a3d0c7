//! The crate-level error: one variant per stage, each wrapping that stage's own error type.

/// Any error passerelle returns.
///
/// Errors never contain values from a resident's profile or query text; they name the
/// record, field, rule position or limit involved instead.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value failed validation (coordinates, language code, term code …).
    #[error(transparent)]
    Value(#[from] crate::model::ValueError),
    /// A referral or unmet-need operation or record was invalid.
    #[error(transparent)]
    Referral(#[from] crate::referrals::ReferralError),
    /// Need text could not be analysed, or a lexicon could not be read.
    #[error(transparent)]
    Text(#[from] crate::text::TextError),
    /// An HSDS input could not be imported at all (see [`crate::ImportError`]).
    #[error(transparent)]
    Import(#[from] crate::hsds::ImportError),
    /// An HSDS export could not be written.
    #[error(transparent)]
    Export(#[from] crate::hsds::ExportError),
    /// A schedule's time zone or offset is invalid.
    #[error(transparent)]
    Hours(#[from] crate::model::HoursError),
    /// An eligibility rule, fact catalogue, profile value or lookup table is invalid.
    #[error(transparent)]
    Rule(#[from] crate::rules::RuleError),
    /// A search query is invalid (limit, needs, distance).
    #[error(transparent)]
    Match(#[from] crate::matching::MatchError),
    /// A query's plain-data or JSON form is invalid (see [`crate::matching::QueryInput`]).
    #[error(transparent)]
    Query(#[from] crate::matching::QueryError),
    /// Navigator weights are invalid.
    #[error(transparent)]
    Weights(#[from] crate::matching::WeightsError),
    /// A service-area extent failed validation.
    #[error(transparent)]
    Area(#[from] crate::spatial::AreaProblem),
    /// Gap-analysis or coverage options are invalid, or its output could not be written.
    #[error(transparent)]
    Gap(#[from] crate::gaps::GapError),
    /// A navigator snapshot could not be opened or written.
    #[error(transparent)]
    Snapshot(#[from] crate::matching::SnapshotError),
    /// An Arrow query batch could not be read, or its results written (feature `arrow`).
    #[cfg(feature = "arrow")]
    #[error(transparent)]
    Arrow(#[from] crate::matching::arrow::ArrowBatchError),
}
