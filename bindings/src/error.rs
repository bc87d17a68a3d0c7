//! The one error type of the FFI surface and its single mapping from `passerelle::Error`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use passerelle::{model::ValueError, rules::RuleError, text::TextError, ImportError, MatchError};

/// Any error the passerelle bindings return.
///
/// Kotlin sees it as `PasserelleException` (variants nested, e.g.
/// `PasserelleException.InvalidInput`), Swift as `PasserelleError`, Python as the exception
/// class `PasserelleError` with subclasses per variant. `reason` never contains a resident's
/// personal data: it names the field, rule position or limit involved instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
#[non_exhaustive]
pub enum PasserelleError {
    /// A value passed in is not valid (coordinates, language code, taxonomy code, …).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What was wrong, naming the field.
        reason: String,
    },
    /// Eligibility-rule text does not parse or does not validate.
    #[error("invalid rule at {line}:{column}: {reason}")]
    InvalidRule {
        /// What was wrong.
        reason: String,
        /// 1-based line in the rule text.
        line: u32,
        /// 1-based column (in characters) in the rule text.
        column: u32,
    },
    /// A directory (HSDS files, JSON) could not be loaded.
    #[error("could not load data: {reason}")]
    DataLoad {
        /// Which file or record failed and why.
        reason: String,
    },
    /// A configured limit (input size, result count, rule depth, …) was exceeded.
    #[error("limit exceeded: {reason}")]
    LimitExceeded {
        /// Which limit, and its value.
        reason: String,
    },
    /// A bug in passerelle: please report it.
    #[error("internal error: {reason}")]
    Internal {
        /// What went wrong.
        reason: String,
    },
}

/// The single mapping point from core errors to the FFI error.
///
/// | core error | FFI variant |
/// |---|---|
/// | `Value` (coordinates, codes), `Area`, `Weights`, `Referral`, query shape (`NoNeeds`, `EmptyNeed`, `InvalidDistance`), `Query` (query fields and JSON, except its size), profile facts (`UnknownFact`, `FactValue`), lookup tables, `Arrow` batches (not an IPC stream, unknown column, wrong column type, no need column) | `InvalidInput` |
/// | `Rule::Invalid` (with line/column), `Rule::Json` | `InvalidRule` |
/// | `Import::Io`/`Json`/`NotAFile`/`Unusable` (a fatal import), `SwapRefused`, `Hours`, lexicon rows | `DataLoad` |
/// | `limit` < 1, query JSON too large, too many needs, need text too long, rule text too long, file too large or too deep, Arrow batch over 2 000 000 rows | `LimitExceeded` |
/// | anything else (new core variants until mapped, `Export`, catalogue definitions, writing an Arrow result) | `Internal` |
///
/// Core errors never contain profile values or need text; neither do these reasons.
impl From<passerelle::Error> for PasserelleError {
    fn from(err: passerelle::Error) -> Self {
        use passerelle::Error as E;
        match err {
            E::Value(e) => e.into(),
            E::Rule(e) => e.into(),
            E::Match(e) => e.into(),
            E::Import(e) => e.into(),
            E::Text(e) => e.into(),
            E::Hours(e) => Self::DataLoad {
                reason: e.to_string(),
            },
            e @ (E::Area(_) | E::Weights(_) | E::Referral(_)) => Self::InvalidInput {
                reason: e.to_string(),
            },
            E::Snapshot(e) => e.into(),
            E::Query(e) => e.into(),
            #[cfg(feature = "arrow")]
            E::Arrow(e) => e.into(),
            // `passerelle::Error` is non_exhaustive: new core variants land here until mapped.
            other => Self::Internal {
                reason: other.to_string(),
            },
        }
    }
}

/// A snapshot that cannot be read or written is a data-load failure (the file is the data).
impl From<passerelle::matching::SnapshotError> for PasserelleError {
    fn from(err: passerelle::matching::SnapshotError) -> Self {
        Self::DataLoad {
            reason: err.to_string(),
        }
    }
}

impl From<ValueError> for PasserelleError {
    fn from(err: ValueError) -> Self {
        Self::InvalidInput {
            reason: err.to_string(),
        }
    }
}

impl From<RuleError> for PasserelleError {
    fn from(err: RuleError) -> Self {
        match err {
            RuleError::Invalid { kind, location } => Self::InvalidRule {
                reason: format!("{kind}\n{}", location.excerpt),
                line: u32::try_from(location.line).unwrap_or(u32::MAX),
                column: u32::try_from(location.column).unwrap_or(u32::MAX),
            },
            e @ RuleError::Json { .. } => Self::InvalidRule {
                reason: e.to_string(),
                line: 0,
                column: 0,
            },
            e @ RuleError::TooLong { .. } => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e @ (RuleError::UnknownFact { .. }
            | RuleError::FactValue { .. }
            | RuleError::Table { .. }
            | RuleError::Catalog { .. }) => Self::InvalidInput {
                reason: e.to_string(),
            },
            other => Self::Internal {
                reason: other.to_string(),
            },
        }
    }
}

impl From<MatchError> for PasserelleError {
    fn from(err: MatchError) -> Self {
        match err {
            e @ (MatchError::InvalidLimit { .. }
            | MatchError::TooManyNeeds { .. }
            | MatchError::NeedTooLong { .. }
            | MatchError::TooManyQueries { .. }) => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e => Self::InvalidInput {
                reason: e.to_string(),
            },
        }
    }
}

impl From<passerelle::matching::QueryError> for PasserelleError {
    fn from(err: passerelle::matching::QueryError) -> Self {
        match err {
            e @ passerelle::matching::QueryError::JsonTooLarge { .. } => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e => Self::InvalidInput {
                reason: e.to_string(),
            },
        }
    }
}

/// A batch that is not a readable query stream is bad input; too many rows a limit; a result
/// that cannot be written a bug.
#[cfg(feature = "arrow")]
impl From<passerelle::matching::arrow::ArrowBatchError> for PasserelleError {
    fn from(err: passerelle::matching::arrow::ArrowBatchError) -> Self {
        use passerelle::matching::arrow::ArrowBatchError as A;
        match err {
            e @ A::TooManyRows { .. } => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e @ A::Write { .. } => Self::Internal {
                reason: e.to_string(),
            },
            e => Self::InvalidInput {
                reason: e.to_string(),
            },
        }
    }
}

impl From<passerelle::matching::SwapRefused> for PasserelleError {
    fn from(err: passerelle::matching::SwapRefused) -> Self {
        Self::DataLoad {
            reason: err.to_string(),
        }
    }
}

impl From<ImportError> for PasserelleError {
    fn from(err: ImportError) -> Self {
        match err {
            e @ (ImportError::TooLarge { .. } | ImportError::TooDeep { .. }) => {
                Self::LimitExceeded {
                    reason: e.to_string(),
                }
            }
            e => Self::DataLoad {
                reason: e.to_string(),
            },
        }
    }
}

impl From<TextError> for PasserelleError {
    fn from(err: TextError) -> Self {
        match err {
            e @ TextError::NeedTooLong { .. } => Self::LimitExceeded {
                reason: e.to_string(),
            },
            e => Self::DataLoad {
                reason: e.to_string(),
            },
        }
    }
}

impl PasserelleError {
    /// The same error with `context` prefixed to its reason (`"query #3: …"`).
    pub(crate) fn context(self, context: &str) -> Self {
        let prefix = |reason: String| format!("{context}: {reason}");
        match self {
            Self::InvalidInput { reason } => Self::InvalidInput {
                reason: prefix(reason),
            },
            Self::InvalidRule {
                reason,
                line,
                column,
            } => Self::InvalidRule {
                reason: prefix(reason),
                line,
                column,
            },
            Self::DataLoad { reason } => Self::DataLoad {
                reason: prefix(reason),
            },
            Self::LimitExceeded { reason } => Self::LimitExceeded {
                reason: prefix(reason),
            },
            Self::Internal { reason } => Self::Internal {
                reason: prefix(reason),
            },
        }
    }

    pub(crate) fn invalid(reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            reason: reason.into(),
        }
    }
}

/// Runs the body of an exported function and turns a panic into [`PasserelleError::Internal`].
///
/// The last line of defence, in this crate only: core is written not to panic (clippy denies
/// `unwrap`, `expect`, `panic`, indexing), but if it ever did, callers get a typed error they
/// can catch (`PasserelleError.Internal`) instead of uniffi's generic panic exception. The
/// panic payload is not included: it could quote input. Navigators stay usable afterwards
/// (they are immutable; the swap lock recovers from poisoning).
///
/// Nothing is written to the host's stderr either: while any guarded call runs, the panic
/// hook stays silent (no message, no backtrace, which could quote input); outside guarded
/// calls the host's own hook runs as before.
pub(crate) fn guard<T>(
    operation: &str,
    body: impl FnOnce() -> Result<T, PasserelleError>,
) -> Result<T, PasserelleError> {
    quiet_panics();
    GUARDED.fetch_add(1, Ordering::SeqCst);
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    GUARDED.fetch_sub(1, Ordering::SeqCst);
    out.unwrap_or_else(|_| {
        Err(PasserelleError::Internal {
            reason: format!("unexpected failure in {operation}; please report it"),
        })
    })
}

/// Guarded calls running now, on any thread (their worker threads panic on other threads).
static GUARDED: AtomicUsize = AtomicUsize::new(0);

/// Wraps the process's panic hook once: silent while a guarded call runs.
fn quiet_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_errors_become_invalid_input() {
        let core = passerelle::model::GeoPoint::new(100.0, 0.0).map_err(passerelle::Error::from);
        let err = PasserelleError::from(core.unwrap_err());
        assert!(
            matches!(&err, PasserelleError::InvalidInput { reason } if reason.contains("latitude")),
            "{err:?}"
        );
        assert!(err.to_string().starts_with("invalid input: "));
    }

    #[test]
    fn rule_errors_carry_line_and_column() {
        let catalog = passerelle::rules::FactCatalog::standard();
        let core = catalog
            .compile("age >= 65\nor aeg < 3", &passerelle::rules::Tables::new())
            .unwrap_err();
        match PasserelleError::from(core) {
            PasserelleError::InvalidRule {
                reason,
                line,
                column,
            } => {
                assert_eq!((line, column), (2, 4));
                assert!(reason.contains("did you mean \"age\""), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn limits_and_context() {
        let e = PasserelleError::from(MatchError::InvalidLimit { limit: 0 });
        assert!(matches!(e, PasserelleError::LimitExceeded { .. }));
        let e = e.context("query #3");
        assert!(
            e.to_string().contains("query #3: limit must be at least 1"),
            "{e}"
        );
    }

    #[test]
    fn guard_turns_panics_into_internal() {
        let r: Result<(), _> = guard("test", || panic!("secret value 42"));
        match r {
            Err(PasserelleError::Internal { reason }) => {
                assert!(!reason.contains("secret"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
