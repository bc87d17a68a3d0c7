//! The JSON query format on the full San Mateo County feed (`tests/data/hsds/smc-ohana-full`,
//! BSD-3-Clause, see its ATTRIBUTION.md): a query read from JSON searches exactly like the same
//! query built with the builder, and bad JSON is a typed error naming the field.

use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::rules::FactValue;
use passerelle::{hsds::*, matching::*, model::*, Error};

const SAN_MATEO: (f64, f64) = (37.5630, -122.3255);
/// Wednesday 2026-11-18 12:00 in San Mateo County.
const NOON: i64 = 1_795_032_000;

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full");
        let mut d = import_path(path, &ImportOptions::default())
            .unwrap()
            .directory;
        d.meta.timezone = Some("America/Los_Angeles".into());
        Navigator::build(d, NavigatorOptions::default()).unwrap().0
    })
}

fn ids(results: &SearchResults) -> Vec<Vec<(String, Option<String>, f64)>> {
    results
        .needs
        .iter()
        .map(|n| {
            n.matches
                .iter()
                .map(|m| {
                    (
                        m.service_id.clone(),
                        m.service_at_location_id.clone(),
                        m.score,
                    )
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_json_query_searches_like_the_built_query() {
    assert_eq!(
        jiff::Timestamp::from_second(NOON).unwrap(),
        "2026-11-18T12:00:00-08:00".parse().unwrap()
    );
    let json = format!(
        r#"{{"needs": [{{"text": "food pantry"}}, {{"text": "senior center"}}],
            "lat": {}, "lon": {}, "max_distance_km": 12.5, "delivery": "in_person_only",
            "travel": "drive", "facts": {{"age": 70, "household_size": null}},
            "at_epoch_seconds": {NOON}, "limit": 8, "include_ineligible": true}}"#,
        SAN_MATEO.0, SAN_MATEO.1
    );
    let from_json = Query::from_json(&json, nav().catalog()).unwrap();
    let mut profile = nav().catalog().profile();
    profile.set("age", FactValue::Number(70.0)).unwrap();
    let built = Query::new([Need::text("food pantry"), Need::text("senior center")])
        .near(GeoPoint::new(SAN_MATEO.0, SAN_MATEO.1).unwrap(), 12_500.0)
        .delivery(DeliveryPreference::InPersonOnly)
        .travel(TravelMode::Drive)
        .profile(profile)
        .at(jiff::Timestamp::from_second(NOON).unwrap())
        .limit(8)
        .include_ineligible();
    let a = nav().search(&from_json).unwrap();
    let b = nav().search(&built).unwrap();
    assert!(
        a.needs.iter().all(|n| !n.matches.is_empty()),
        "{:?}",
        ids(&a)
    );
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.next_questions.len(), b.next_questions.len());
}

#[test]
fn bad_json_and_bad_values_are_typed_errors_naming_the_field() {
    let catalog = nav().catalog();
    let err = |json: &str| Query::from_json(json, catalog).unwrap_err();
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "agee": 70}"#),
        Error::Query(QueryError::UnknownField { field, .. }) if field == "agee"
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "lat": "1 Main Street"}"#),
        Error::Query(QueryError::WrongType { field }) if field == "lat"
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "lat": 37.5}"#),
        Error::Query(QueryError::LatLonTogether)
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "max_distance_km": -3}"#),
        Error::Query(QueryError::InvalidDistance)
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "lat": 95, "lon": 0}"#),
        Error::Value(_)
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "facts": {"age": "seventy"}}"#),
        Error::Rule(_)
    ));
    assert!(matches!(
        err(r#"{"needs": [{"text": "food"}], "limit": 0}"#),
        Error::Match(MatchError::InvalidLimit { limit: 0 })
    ));
    // Checked at search time, as for any query: a need with neither text nor terms.
    let q = Query::from_json(r#"{"needs": [{"terms": []}]}"#, catalog).unwrap();
    assert!(matches!(
        nav().search(&q),
        Err(Error::Match(MatchError::EmptyNeed { index: 0 }))
    ));
}

#[test]
fn rows_flatten_a_json_query_result() {
    let json = format!(
        r#"{{"needs": [{{"text": "food pantry"}}, {{"text": "zzqx wug"}}],
            "lat": {}, "lon": {}, "at_epoch_seconds": {NOON}, "limit": 4}}"#,
        SAN_MATEO.0, SAN_MATEO.1
    );
    let results = nav()
        .search(&Query::from_json(&json, nav().catalog()).unwrap())
        .unwrap();
    let rows = results.rows();
    let found = &results.needs[0];
    assert!(!found.matches.is_empty());
    assert_eq!(rows.len(), found.matches.len() + 1);
    for (row, m) in rows.iter().zip(&found.matches) {
        assert_eq!(row.need_index, 0);
        assert_eq!(row.rank, Some(m.rank));
        assert_eq!(row.service_id.as_deref(), Some(m.service_id.as_str()));
        assert_eq!(row.score, Some(m.score));
        assert_eq!(row.via, Some(m.via.as_str()));
        assert_eq!(row.total, found.total);
        assert!(row.reason.is_none());
    }
    let last = rows.last().unwrap();
    assert_eq!((last.need_index, last.rank), (1, None));
    assert_eq!(
        last.reason,
        results.needs[1].no_match.map(NoMatchReason::as_str)
    );
    assert!(last.reason.is_some());
}
