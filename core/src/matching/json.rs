//! The JSON query format: [`QueryInput`] read by serde, with errors that name the field or
//! the line and column, never a value (serde's own messages quote what they were given,
//! which here is what a resident said).
//!
//! ```json
//! {"needs": [{"text": "food bank"}, {"terms": ["housing"]}],
//!  "lat": 37.56, "lon": -122.32, "max_distance_km": 8, "delivery": "in_person_only",
//!  "facts": {"age": 70, "province": "ON", "benefits": ["ow"]}, "languages": ["fr"],
//!  "at_epoch_seconds": 1780000000, "limit": 7, "explain": true}
//! ```
//!
//! Field names are [`QueryInput::FIELDS`]; enum values are snake_case (`remote_acceptable`,
//! `in_person_only`, `home_visit`, `phone_only`; `walk`, `transit`, `drive`).

use std::collections::BTreeMap;

use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::rules::{FactCatalog, FactValue};

use super::input::{NeedInput, QueryError, QueryInput};
use super::query::{DeliveryPreference, Query, TravelMode};

/// Largest query JSON accepted, in bytes (16 needs of 4 KiB text and a full profile fit).
pub const MAX_QUERY_JSON_BYTES: usize = 256 * 1024;

impl<'de> Deserialize<'de> for DeliveryPreference {
    /// One of the [`as_str`](DeliveryPreference::as_str) names.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| de::Error::custom("unknown delivery preference"))
    }
}

impl<'de> Deserialize<'de> for TravelMode {
    /// `walk`, `transit` or `drive`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match String::deserialize(d)?.as_str() {
            "walk" => Ok(Self::Walk),
            "transit" => Ok(Self::Transit),
            "drive" => Ok(Self::Drive),
            _ => Err(de::Error::custom("unknown travel mode")),
        }
    }
}

/// A fact as a plain JSON value: `true`, `70`, `"ON"`, `["ow", "odsp"]`; `null` is `None`.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Plain {
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

fn plain(value: Option<Plain>) -> Option<FactValue> {
    value.map(|p| match p {
        Plain::Bool(b) => FactValue::Bool(b),
        Plain::Number(n) => FactValue::Number(n),
        Plain::Text(s) => FactValue::Text(s),
        Plain::List(l) => FactValue::List(l),
    })
}

/// The `facts` object: plain values by name, `null` (not given) left out.
pub(super) fn facts<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, FactValue>, D::Error> {
    let raw = BTreeMap::<String, Option<Plain>>::deserialize(d)?;
    Ok(raw
        .into_iter()
        .filter_map(|(name, v)| plain(v).map(|v| (name, v)))
        .collect())
}

/// Reads a `facts` object on its own (a column of facts in a batch, a form): the same
/// values as in a query, `null` meaning not given.
///
/// # Errors
/// [`QueryError::JsonSyntax`], [`QueryError::NotAnObject`] (field `facts`),
/// [`QueryError::FactShape`] naming the fact.
///
/// # Examples
/// ```
/// use passerelle::matching::facts_from_json;
/// use passerelle::rules::FactValue;
/// let facts = facts_from_json(r#"{"age": 70, "province": null}"#)?;
/// assert_eq!(facts.get("age"), Some(&FactValue::Number(70.0)));
/// assert!(!facts.contains_key("province"));
/// # Ok::<(), passerelle::matching::QueryError>(())
/// ```
pub fn facts_from_json(json: &str) -> Result<BTreeMap<String, FactValue>, QueryError> {
    let value = parse_value(json)?;
    facts_of(&value)
}

fn facts_of(value: &Value) -> Result<BTreeMap<String, FactValue>, QueryError> {
    let Value::Object(map) = value else {
        return Err(QueryError::NotAnObject {
            field: "facts".into(),
        });
    };
    let mut out = BTreeMap::new();
    for (name, v) in map {
        let p = Option::<Plain>::deserialize(v)
            .map_err(|_| QueryError::FactShape { fact: name.clone() })?;
        if let Some(v) = plain(p) {
            out.insert(name.clone(), v);
        }
    }
    Ok(out)
}

fn parse_value(json: &str) -> Result<Value, QueryError> {
    if json.len() > MAX_QUERY_JSON_BYTES {
        return Err(QueryError::JsonTooLarge {
            max: MAX_QUERY_JSON_BYTES,
        });
    }
    serde_json::from_str(json).map_err(|e| QueryError::JsonSyntax {
        line: e.line(),
        column: e.column(),
    })
}

fn unknown_fields(
    map: &serde_json::Map<String, Value>,
    known: &[&str],
    within: &str,
) -> Result<(), QueryError> {
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(field) => Err(QueryError::UnknownField {
            field: field.clone(),
            within: within.to_owned(),
            expected: known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
        }),
        None => Ok(()),
    }
}

/// The first field of `map` whose value does not fit its type, read alone beside an empty
/// `needs` (so its error is its own).
fn wrong_field(map: &serde_json::Map<String, Value>) -> QueryError {
    for (field, v) in map {
        if field == "facts" {
            if let Err(e) = facts_of(v) {
                return e;
            }
            continue;
        }
        let mut probe = serde_json::Map::new();
        probe.insert("needs".into(), Value::Array(Vec::new()));
        probe.insert(field.clone(), v.clone());
        if QueryInput::deserialize(&Value::Object(probe)).is_err() {
            return QueryError::WrongType {
                field: field.clone(),
            };
        }
    }
    QueryError::WrongType {
        field: "query".into(),
    }
}

impl QueryInput {
    /// Reads the JSON query format (see [`QueryInput`]): only `needs` is required,
    /// unknown fields are refused, a fact `null` is not given.
    ///
    /// # Errors
    /// [`QueryError`]: too large (over [`MAX_QUERY_JSON_BYTES`]), not JSON (line and
    /// column), not an object, an unknown or missing field, a fact or a field of the wrong
    /// shape (naming it). Values are checked later, by [`QueryInput::to_query`].
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::{QueryError, QueryInput};
    /// let q = QueryInput::from_json(r#"{"needs": [{"text": "food bank"}], "limit": 3}"#)?;
    /// assert_eq!(q.limit, 3);
    /// let err = QueryInput::from_json(r#"{"needs": [], "agee": 70}"#).unwrap_err();
    /// assert!(matches!(err, QueryError::UnknownField { ref field, .. } if field == "agee"));
    /// # Ok::<(), QueryError>(())
    /// ```
    pub fn from_json(json: &str) -> Result<Self, QueryError> {
        let value = parse_value(json)?;
        let Value::Object(map) = &value else {
            return Err(QueryError::NotAnObject {
                field: "query".into(),
            });
        };
        unknown_fields(map, &Self::FIELDS, "query")?;
        let Some(needs) = map.get("needs") else {
            return Err(QueryError::MissingField { field: "needs" });
        };
        if let Value::Array(needs) = needs {
            for (i, need) in needs.iter().enumerate() {
                match need {
                    Value::Object(n) => {
                        unknown_fields(n, &NeedInput::FIELDS, &format!("needs[{i}]"))?
                    }
                    _ => {
                        return Err(QueryError::NotAnObject {
                            field: format!("needs[{i}]"),
                        })
                    }
                }
            }
        }
        Self::deserialize(&value).map_err(|_| wrong_field(map))
    }
}

impl Query {
    /// A validated query from the JSON query format: [`QueryInput::from_json`] then
    /// [`QueryInput::to_query`] with `catalog` (the navigator's,
    /// [`Navigator::catalog`](super::Navigator::catalog)).
    ///
    /// # Errors
    /// As those two functions.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
    /// let json = r#"{"needs": [{"text": "banque alimentaire"}], "facts": {"age": 70}}"#;
    /// let query = Query::from_json(json, nav.catalog())?;
    /// assert!(!nav.search(&query)?.needs[0].matches.is_empty());
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn from_json(json: &str, catalog: &FactCatalog) -> Result<Self, crate::Error> {
        QueryInput::from_json(json)?.to_query(catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_never_the_value() {
        let err = |json: &str| QueryInput::from_json(json).unwrap_err();
        assert!(matches!(err("{"), QueryError::JsonSyntax { line: 1, .. }));
        assert!(matches!(err("[1]"), QueryError::NotAnObject { .. }));
        assert_eq!(
            err(r#"{"lat": 1}"#),
            QueryError::MissingField { field: "needs" }
        );
        assert!(matches!(
            err(r#"{"needs": [{"txt": "secret"}]}"#),
            QueryError::UnknownField { ref field, ref within, .. } if field == "txt" && within == "needs[0]"
        ));
        for (json, field) in [
            (r#"{"needs": [], "lat": "12 Elm Street"}"#, "lat"),
            (
                r#"{"needs": [], "delivery": "teleport to Elm Street"}"#,
                "delivery",
            ),
            (r#"{"needs": [], "limit": -1}"#, "limit"),
            (r#"{"needs": "Elm Street"}"#, "needs"),
        ] {
            let e = err(json);
            assert_eq!(
                e,
                QueryError::WrongType {
                    field: field.into()
                },
                "{json}"
            );
            assert!(!e.to_string().contains("Elm"), "{e}");
        }
        let e = err(r#"{"needs": [], "facts": {"household_income": {"secret": 31337}}}"#);
        assert_eq!(
            e,
            QueryError::FactShape {
                fact: "household_income".into()
            }
        );
        assert!(!e.to_string().contains("31337"), "{e}");
        assert!(matches!(
            err(&format!(
                r#"{{"needs": [{{"text": "{}"}}]}}"#,
                "a".repeat(MAX_QUERY_JSON_BYTES)
            )),
            QueryError::JsonTooLarge { .. }
        ));
    }

    #[test]
    fn defaults_enums_and_null_facts() {
        let q = QueryInput::from_json(
            r#"{"needs": [{"terms": ["food"]}], "delivery": "home_visit", "travel": "walk",
                "facts": {"age": null, "disability": true, "benefits": ["ow"]}}"#,
        )
        .unwrap();
        assert_eq!(q.limit, 5);
        assert_eq!(q.delivery, Some(DeliveryPreference::HomeVisit));
        assert_eq!(q.travel, Some(TravelMode::Walk));
        assert_eq!(q.facts.len(), 2);
        assert_eq!(q.facts.get("disability"), Some(&FactValue::Bool(true)));
        assert_eq!(
            q.facts.get("benefits"),
            Some(&FactValue::List(vec!["ow".into()]))
        );
        assert!(!q.facts.contains_key("age"));
    }
}
