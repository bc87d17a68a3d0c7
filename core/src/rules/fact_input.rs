//! Fact values from outside the program: JSON values (query files, the bindings' JSON form)
//! and command-line text, typed by the fact's [`FactKind`]. One set of rules for every caller:
//! `null` means "not given", a value of the wrong shape is an error that names the expected
//! kind, never the value.

use std::fmt;

use serde_json::Value;

use super::catalog::{FactKind, FactValue};

/// A fact value of the wrong shape for its fact. Names the expected kind only: the value
/// (what a resident said) is never repeated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactInputError {
    /// The kind the fact's definition asks for.
    pub expected: FactKind,
}

impl fmt::Display for FactInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.expected.name())
    }
}

impl std::error::Error for FactInputError {}

impl FactValue {
    /// Reads a JSON value for a fact of kind `kind`: `true`, `70`, `"ON"`, `["ow", "odsp"]`.
    /// A single string is accepted for a list fact (a one-item list). `null` is `Ok(None)`:
    /// the fact is not given.
    ///
    /// The value is only shaped here; [`Profile::set`](crate::rules::Profile::set) checks it against
    /// the fact's definition (allowed values, dates, finite numbers).
    ///
    /// # Errors
    /// [`FactInputError`] when the JSON shape cannot be a value of `kind`.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactKind, FactValue};
    /// let v = FactValue::from_json(FactKind::List, &serde_json::json!("ow")).unwrap();
    /// assert_eq!(v, Some(FactValue::List(vec!["ow".into()])));
    /// assert_eq!(FactValue::from_json(FactKind::Number, &serde_json::Value::Null), Ok(None));
    /// assert!(FactValue::from_json(FactKind::Number, &serde_json::json!("old")).is_err());
    /// ```
    pub fn from_json(kind: FactKind, raw: &Value) -> Result<Option<Self>, FactInputError> {
        let wrong = FactInputError { expected: kind };
        let value = match (kind, raw) {
            (_, Value::Null) => return Ok(None),
            (FactKind::Bool, Value::Bool(b)) => Self::Bool(*b),
            (FactKind::Number, Value::Number(n)) => Self::Number(n.as_f64().ok_or(wrong)?),
            (FactKind::List, Value::String(s)) => Self::List(vec![s.clone()]),
            (FactKind::List, Value::Array(items)) => Self::List(
                items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
                    .ok_or(wrong)?,
            ),
            (FactKind::Text | FactKind::Enum | FactKind::Date, Value::String(s)) => {
                Self::Text(s.clone())
            }
            _ => return Err(wrong),
        };
        Ok(Some(value))
    }

    /// Reads command-line or form text for a fact of kind `kind`: `yes`/`no` (also `true`,
    /// `false`, `oui`, `non`) for bool facts, a number, a comma-separated list, or text.
    /// Surrounding spaces are ignored; empty text is `Ok(None)` (not given).
    ///
    /// # Errors
    /// [`FactInputError`] when the text cannot be a value of `kind`.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::{FactKind, FactValue};
    /// assert_eq!(FactValue::parse(FactKind::Bool, "oui"), Ok(Some(FactValue::Bool(true))));
    /// assert_eq!(
    ///     FactValue::parse(FactKind::List, "oas, gis"),
    ///     Ok(Some(FactValue::List(vec!["oas".into(), "gis".into()])))
    /// );
    /// assert!(FactValue::parse(FactKind::Number, "old").is_err());
    /// ```
    pub fn parse(kind: FactKind, raw: &str) -> Result<Option<Self>, FactInputError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let wrong = FactInputError { expected: kind };
        let value = match kind {
            FactKind::Bool => match raw.to_lowercase().as_str() {
                "true" | "yes" | "oui" => Self::Bool(true),
                "false" | "no" | "non" => Self::Bool(false),
                _ => return Err(wrong),
            },
            FactKind::Number => Self::Number(
                raw.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
                    .ok_or(wrong)?,
            ),
            FactKind::List => Self::List(
                raw.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            FactKind::Text | FactKind::Enum | FactKind::Date => Self::Text(raw.to_owned()),
        };
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_shapes_by_kind() {
        assert_eq!(
            FactValue::from_json(FactKind::Bool, &json!(true)),
            Ok(Some(FactValue::Bool(true)))
        );
        assert_eq!(
            FactValue::from_json(FactKind::Enum, &json!("ON")),
            Ok(Some(FactValue::Text("ON".into())))
        );
        assert_eq!(
            FactValue::from_json(FactKind::List, &json!(["a", "b"])),
            Ok(Some(FactValue::List(vec!["a".into(), "b".into()])))
        );
        for (kind, bad) in [
            (FactKind::Bool, json!(1)),
            (FactKind::Number, json!(true)),
            (FactKind::List, json!([1])),
            (FactKind::Text, json!({"a": 1})),
        ] {
            let err = FactValue::from_json(kind, &bad).unwrap_err();
            assert_eq!(err.expected, kind);
        }
    }

    #[test]
    fn errors_never_echo_the_value() {
        let err = FactValue::parse(FactKind::Number, "98765-secret").unwrap_err();
        assert!(!err.to_string().contains("98765"), "{err}");
        assert_eq!(err.to_string(), "expected a number");
    }

    #[test]
    fn text_forms() {
        assert_eq!(
            FactValue::parse(FactKind::Number, " 70 "),
            Ok(Some(70.into()))
        );
        assert_eq!(FactValue::parse(FactKind::Number, "inf").ok(), None);
        assert_eq!(
            FactValue::parse(FactKind::Bool, "NO"),
            Ok(Some(false.into()))
        );
        assert_eq!(FactValue::parse(FactKind::Text, "  "), Ok(None));
    }
}
