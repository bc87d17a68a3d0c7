//! Errors of the matching stage.

/// A query the navigator cannot run. Never contains need text or profile values: needs are
/// named by their position in [`Query::needs`](super::Query::needs).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// `limit` is zero or negative.
    #[error("limit must be at least 1 (got {limit})")]
    InvalidLimit {
        /// The rejected limit (a page size, not resident data).
        limit: i64,
    },
    /// The query has no needs.
    #[error("a query needs at least one need")]
    NoNeeds,
    /// The query has more needs than allowed.
    #[error("{count} needs in one query; at most {max} are accepted")]
    TooManyNeeds {
        /// Needs given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A need has neither text nor term codes.
    #[error("need #{index} has neither text nor term codes")]
    EmptyNeed {
        /// Position of the need in the query.
        index: usize,
    },
    /// A need's text is too long.
    #[error("need #{index} is {len} bytes long; at most {max} bytes are accepted")]
    NeedTooLong {
        /// Position of the need in the query.
        index: usize,
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// `max_distance_m` is negative, NaN or infinite.
    #[error("max_distance_m must be a finite number of metres, 0 or more")]
    InvalidDistance,
    /// More queries in one batch than accepted.
    #[error("{count} queries in one batch; at most {max} are accepted")]
    TooManyQueries {
        /// Queries given.
        count: usize,
        /// Most accepted.
        max: usize,
    },
    /// A service id matches no service of the directory (the id is not repeated: it may
    /// come from a resident's record).
    #[error("unknown service id")]
    UnknownService,
    /// A population, accessibility or term code of the query names nothing the directory or
    /// the project's catalogue knows. The code itself is not repeated (it may describe the
    /// resident); `suggestion` is the closest known code, when one is close.
    #[error("{field}[{index}] is not a code the directory or the catalogue knows{}", did_you_mean(.suggestion))]
    UnknownCode {
        /// Which list of the query holds the code.
        field: CodeField,
        /// Position of the code in that list.
        index: usize,
        /// The closest code the directory or the catalogue knows.
        suggestion: Option<String>,
    },
}

/// A list of codes in a [`Query`](super::Query), as named in [`MatchError::UnknownCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeField {
    /// [`Query::populations`](method@super::Query::populations).
    Population,
    /// [`Query::accessibility`](method@super::Query::accessibility).
    Accessibility,
    /// The term codes of need `need` ([`Need::terms`](super::Need::terms)).
    Term {
        /// Position of the need in the query.
        need: usize,
    },
}

impl std::fmt::Display for CodeField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Population => f.write_str("populations"),
            Self::Accessibility => f.write_str("accessibility"),
            Self::Term { need } => write!(f, "needs[{need}].terms"),
        }
    }
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!("; did you mean {s:?}?"))
        .unwrap_or_default()
}
