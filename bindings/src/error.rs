//! The one error type of the FFI surface and its single mapping from `passerelle::Error`.

use passerelle::ValueError;

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
impl From<passerelle::Error> for PasserelleError {
    fn from(err: passerelle::Error) -> Self {
        match err {
            passerelle::Error::Value(e) => e.into(),
            // `passerelle::Error` is non_exhaustive: new core variants land here until mapped.
            other => Self::Internal {
                reason: other.to_string(),
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_errors_become_invalid_input() {
        let core = passerelle::GeoPoint::new(100.0, 0.0).map_err(passerelle::Error::from);
        let err = PasserelleError::from(core.unwrap_err());
        assert!(
            matches!(&err, PasserelleError::InvalidInput { reason } if reason.contains("latitude")),
            "{err:?}"
        );
        assert!(err.to_string().starts_with("invalid input: "));
    }
}
