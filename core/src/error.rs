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
    /// A service-area extent failed validation.
    #[error(transparent)]
    Area(#[from] crate::spatial::AreaProblem),
}
