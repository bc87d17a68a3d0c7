//! One search as a JSON string in and a JSON string out: core's JSON query format
//! (`passerelle::matching::QueryInput::from_json`) and JSON result format (`Serialize` for
//! `passerelle::SearchResults`).
//!
//! For callers where building typed records costs more than the search itself: uniffi's
//! Python records are lowered and lifted field by field in pure Python, ~0.3 ms for a query
//! and ten matches, while a JSON string crosses as one buffer and `json.loads` decodes it in
//! C. Web back ends that forward results to a browser get JSON directly. The JSON has the
//! same fields as the `SearchQuery` and `SearchResult` records (snake_case names, enum
//! values as snake_case strings, facts as plain JSON values).

use passerelle::matching::QueryInput;

use crate::error::guard;
use crate::matching::Navigator;
use crate::PasserelleError;

/// Largest query JSON accepted, in bytes (16 needs of 4 KiB text and a full profile fit).
pub use passerelle::matching::MAX_QUERY_JSON_BYTES;

#[uniffi::export]
impl Navigator {
    /// [`Navigator::search`] with the query and the result as JSON text: the same fields as
    /// the `SearchQuery` and `SearchResult` records, in snake_case, enum values as
    /// snake_case strings (`"remote_acceptable"`, `"in_person"`), facts as plain values
    /// (`{"age": 70, "province": "ON", "benefits": ["ow"]}`). Only `needs` is required.
    ///
    /// The cheapest call from Python for one query (`json.loads` decodes the result in C).
    ///
    /// Errors: as `search`, plus `InvalidInput` for JSON that is not a query (naming the
    /// field or the line and column, never a value) and `LimitExceeded` above 256 KiB.
    pub fn search_json(&self, query_json: String) -> Result<String, PasserelleError> {
        guard("Navigator.search_json", || {
            let nav = self.snapshot();
            let query = QueryInput::from_json(&query_json)
                .map_err(passerelle::Error::from)?
                .to_query(nav.catalog())?;
            serde_json::to_string(&nav.search(&query)?).map_err(|e| PasserelleError::Internal {
                reason: format!("writing the result JSON: {e}"),
            })
        })
    }

    /// [`Navigator::search_json`] with the lean result: one row per match (one per need
    /// without a match) with the ids, the service name, the first phone, the address on one
    /// line, distance, delivery, eligibility, openness and score, plus the crisis notice:
    /// `{"columns": [...], "rows": [[...], ...], "crisis": {...} | null,
    /// "at_epoch_seconds": n}`, each row an array in the order of `columns` (core's
    /// `SearchResults::rows_json`). The rows and columns are those of the Arrow batch
    /// output, in rank order.
    ///
    /// The cheapest single call from Python (`passerelle.search_rows`): a few hundred bytes
    /// per match to decode instead of several kilobytes. Details by id: `Navigator.service`,
    /// `Navigator.location`.
    ///
    /// The query is UTF-8 JSON bytes, borrowed for the call (no copy into a Rust buffer):
    /// `bytes` in Python, a direct `java.nio.ByteBuffer` in Kotlin
    /// (`ByteBuffer.allocateDirect`), `Data` in Swift.
    ///
    /// Errors: as `search_json`, and `InvalidInput` for bytes that are not UTF-8.
    pub fn search_rows_json(&self, query_json: &[u8]) -> Result<String, PasserelleError> {
        guard("Navigator.search_rows_json", || {
            let nav = self.snapshot();
            let text = std::str::from_utf8(query_json)
                .map_err(|e| PasserelleError::invalid(format!("query JSON is not UTF-8: {e}")))?;
            let query = QueryInput::from_json(text)
                .map_err(passerelle::Error::from)?
                .to_query(nav.catalog())?;
            serde_json::to_string(&nav.search(&query)?.rows_json()).map_err(|e| {
                PasserelleError::Internal {
                    reason: format!("writing the result JSON: {e}"),
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use super::*;
    use crate::matching::{Delivery, NeedInput, SearchQuery};
    use crate::rules::FactValue;

    fn nav() -> Arc<Navigator> {
        static NAV: std::sync::OnceLock<Arc<Navigator>> = std::sync::OnceLock::new();
        NAV.get_or_init(|| Navigator::sample().unwrap()).clone()
    }

    /// The typed query the JSON below spells out.
    fn typed() -> SearchQuery {
        SearchQuery {
            needs: vec![NeedInput {
                text: Some("banque alimentaire".into()),
                terms: vec![],
            }],
            lat: Some(45.4215),
            lon: Some(-75.6972),
            max_distance_km: Some(15.0),
            delivery: Some(Delivery::RemoteAcceptable),
            travel: None,
            facts: HashMap::from([
                ("age".into(), FactValue::Number { value: 70.0 }),
                ("province".into(), FactValue::Text { value: "ON".into() }),
            ]),
            languages: vec!["fr".into()],
            require_language: false,
            accessibility: vec![],
            require_accessibility: false,
            free_only: false,
            open_now: false,
            at_epoch_seconds: Some(1_780_000_000),
            populations: vec![],
            include_ineligible: false,
            limit: 5,
            offset: 0,
            explain: true,
        }
    }

    const QUERY: &str = r#"{
        "needs": [{"text": "banque alimentaire"}],
        "lat": 45.4215, "lon": -75.6972, "max_distance_km": 15,
        "delivery": "remote_acceptable",
        "facts": {"age": 70, "province": "ON"},
        "languages": ["fr"], "at_epoch_seconds": 1780000000, "explain": true
    }"#;

    #[test]
    fn json_search_equals_the_typed_search() {
        let nav = nav();
        assert_eq!(QueryInput::from_json(QUERY).unwrap(), typed().into_input());
        let typed = nav.search(typed()).unwrap();
        assert!(!typed.needs[0].matches.is_empty());
        let out: serde_json::Value =
            serde_json::from_str(&nav.search_json(QUERY.into()).unwrap()).unwrap();
        // The JSON holds the typed record's values, field for field.
        for (n, need) in typed.needs.iter().enumerate() {
            let j = &out["needs"][n];
            assert_eq!(j["total"], need.total);
            assert_eq!(j["understood_as"], serde_json::json!(need.understood_as));
            let matches = j["matches"].as_array().unwrap();
            assert_eq!(matches.len(), need.matches.len());
            for (jm, m) in matches.iter().zip(&need.matches) {
                assert_eq!(jm["rank"], m.rank);
                assert_eq!(jm["service_id"], m.service_id.as_str());
                assert_eq!(jm["score"], m.score);
                assert_eq!(jm["distance_m"], serde_json::json!(m.distance_m));
                assert_eq!(jm["open_now"], serde_json::json!(m.open_now));
                assert_eq!(jm["service_name"]["value"], m.service_name.value.as_str());
                assert_eq!(
                    jm["eligibility"]["missing_facts"],
                    serde_json::json!(m.eligibility.missing_facts)
                );
                assert_eq!(jm["breakdown"].as_array().unwrap().len(), m.breakdown.len());
                assert_eq!(jm["reasons"].as_array().unwrap().len(), m.reasons.len());
                assert_eq!(
                    jm["contact"]["phones"].as_array().unwrap().len(),
                    m.contact.phones.len()
                );
            }
        }
        let facts: Vec<&str> = typed
            .next_questions
            .iter()
            .map(|q| q.fact.as_str())
            .collect();
        assert_eq!(
            out["next_questions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| q["fact"].as_str().unwrap())
                .collect::<Vec<_>>(),
            facts
        );
        assert_eq!(out["at_epoch_seconds"], typed.at_epoch_seconds);
        let first = &out["needs"][0]["matches"][0];
        assert_eq!(
            first["service_id"],
            typed.needs[0].matches[0].service_id.as_str()
        );
        assert!(
            first["via"].is_string(),
            "enums are snake_case strings: {}",
            first["via"]
        );
        assert!(first["breakdown"].as_array().is_some_and(|b| !b.is_empty()));
    }

    #[test]
    fn rows_json_holds_the_typed_matches_in_rank_order() {
        let nav = nav();
        let typed = nav.search(typed()).unwrap();
        let out: serde_json::Value =
            serde_json::from_str(&nav.search_rows_json(QUERY.as_bytes()).unwrap()).unwrap();
        let rows = out["rows"].as_array().unwrap();
        let matches = &typed.needs[0].matches;
        assert!(!matches.is_empty());
        assert_eq!(rows.len(), matches.len());
        let column = |name: &str| {
            out["columns"]
                .as_array()
                .unwrap()
                .iter()
                .position(|c| c == name)
                .unwrap()
        };
        for (row, m) in rows.iter().zip(matches) {
            assert_eq!(row[column("rank")], m.rank);
            assert_eq!(row[column("service_id")], m.service_id.as_str());
            assert_eq!(row[column("service_name")], m.service_name.value.as_str());
            assert_eq!(row[column("score")], m.score);
            assert_eq!(row[column("distance_m")], serde_json::json!(m.distance_m));
            assert_eq!(row[column("open_now")], serde_json::json!(m.open_now));
            assert_eq!(
                row[column("missing_facts")],
                serde_json::json!(m.eligibility.missing_facts)
            );
        }
        assert_eq!(out["at_epoch_seconds"], typed.at_epoch_seconds);
        assert!(matches!(
            nav.search_rows_json(b"{"),
            Err(PasserelleError::InvalidInput { .. })
        ));
        assert!(matches!(
            nav.search_rows_json(b"{\"needs\": [{\"text\": \"\xff\"}]}"),
            Err(PasserelleError::InvalidInput { .. })
        ));
    }

    #[test]
    fn only_needs_is_required_and_limit_defaults_to_five() {
        let q = QueryInput::from_json(r#"{"needs": [{"terms": ["food"]}]}"#).unwrap();
        assert_eq!(q.limit, 5);
        assert_eq!(q.delivery, None);
        let q = QueryInput::from_json(r#"{"needs": [{"text": "x"}], "facts": {"disability": true, "benefits": ["ow", "odsp"]}}"#).unwrap();
        assert_eq!(
            q.facts["disability"],
            passerelle::rules::FactValue::Bool(true)
        );
        assert_eq!(
            q.facts["benefits"],
            passerelle::rules::FactValue::List(vec!["ow".into(), "odsp".into()])
        );
    }

    /// JSON values of any shape, a few levels deep, with the query's field names mixed in so
    /// that some inputs get past the shape check into core's validation.
    fn arb_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-z_ .é]{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            let key = prop_oneof![
                Just("needs".to_owned()),
                Just("text".to_owned()),
                Just("terms".to_owned()),
                Just("lat".to_owned()),
                Just("lon".to_owned()),
                Just("facts".to_owned()),
                Just("age".to_owned()),
                Just("limit".to_owned()),
                Just("delivery".to_owned()),
                Just("max_distance_km".to_owned()),
                "[a-z]{1,6}",
            ];
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map(key, inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any JSON (or any text) gives a result or a typed input error, never `Internal`
        /// (a panic caught by `guard`), and an error never repeats a string value it was given.
        #[test]
        fn any_json_is_a_result_or_a_typed_error(v in arb_json(), raw in "\\PC{0,40}") {
            let nav = nav();
            for text in [v.to_string(), raw] {
                match nav.search_json(text.clone()) {
                    Ok(out) => {
                        serde_json::from_str::<serde_json::Value>(&out).unwrap();
                    }
                    Err(PasserelleError::InvalidInput { reason } | PasserelleError::LimitExceeded { reason }) => {
                        proptest::prop_assert!(!reason.contains("é"), "{reason}");
                    }
                    Err(e) => proptest::prop_assert!(false, "{text}: {e:?}"),
                }
            }
        }
    }

    #[test]
    fn bad_json_names_the_field_or_position_never_the_value() {
        let reason = |json: &str| match nav().search_json(json.into()) {
            Err(PasserelleError::InvalidInput { reason }) => reason,
            other => panic!("{json}: {other:?}"),
        };
        assert!(reason("{").contains("not valid JSON"));
        assert!(reason(r#"{"needs": [], "agee": 4}"#).contains("unknown field `agee`"));
        assert!(reason(r#"{"lat": 1}"#).contains("missing field `needs`"));
        // A fact of the wrong shape: the secret value is not repeated.
        let r = reason(
            r#"{"needs": [{"text": "x"}], "facts": {"household_income": {"secret": 31337}}}"#,
        );
        assert!(r.contains("a fact must be"), "{r}");
        assert!(!r.contains("31337") && !r.contains("secret"), "{r}");
        let r = reason(r#"{"needs": [{"text": "x"}], "lat": "45.1 my address"}"#);
        assert!(!r.contains("my address"), "{r}");
        let r = reason(r#"{"needs": [{"text": "x"}], "delivery": "teleport-to-123-main-st"}"#);
        assert!(!r.contains("main"), "{r}");
        // Core validation still applies (and names the field).
        assert!(reason(r#"{"needs": [{"text": "x"}], "lat": 91, "lon": 0}"#).contains("latitude"));
        match nav().search_json(format!(
            r#"{{"needs": [{{"text": "{}"}}]}}"#,
            "a".repeat(MAX_QUERY_JSON_BYTES)
        )) {
            Err(PasserelleError::LimitExceeded { .. }) => {}
            other => panic!("{other:?}"),
        }
        match nav().search_json(r#"{"needs": [{"text": "x"}], "limit": 0}"#.into()) {
            Err(PasserelleError::LimitExceeded { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
}
