//! A query as plain data (numbers, strings, fact values), and its one conversion into a
//! validated [`Query`]. The JSON query format ([`QueryInput::from_json`]), the bindings'
//! query records and the rows of a columnar batch all become a [`QueryInput`] first, so a
//! location, a distance, a code or a fact is checked in one place, with one error.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{GeoPoint, LangCode, TermCode};
use crate::rules::{FactCatalog, FactValue};

use super::error::MatchError;
use super::query::{DeliveryPreference, Need, Query, TravelMode, DEFAULT_LIMIT};

/// One need as plain data: words, taxonomy term codes, or both.
#[derive(Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedInput {
    /// Free text ("banque alimentaire", "rent help").
    #[serde(default)]
    pub text: Option<String>,
    /// Taxonomy term codes (`food.bank`), checked by [`TermCode::new`].
    #[serde(default)]
    pub terms: Vec<String>,
}

impl NeedInput {
    /// The JSON names of its fields.
    pub const FIELDS: [&'static str; 2] = ["text", "terms"];
}

impl fmt::Debug for NeedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NeedInput")
            .field(
                "text",
                &self.text.as_ref().map(|t| format!("<{} bytes>", t.len())),
            )
            .field("terms", &self.terms.len())
            .finish()
    }
}

/// A search as plain data, before validation: what a JSON query, a binding's record or a
/// row of a batch holds. Only `needs` is required; [`QueryInput::to_query`] checks the rest
/// and builds the [`Query`].
///
/// It is also the JSON query format, read by [`QueryInput::from_json`] and
/// [`Query::from_json`]: the field names below, enum values in snake_case (`delivery`:
/// `remote_acceptable`, `in_person_only`, `home_visit`, `phone_only`; `travel`: `walk`,
/// `transit`, `drive`), facts as plain values, unknown fields refused:
///
/// ```json
/// {"needs": [{"text": "food bank"}, {"terms": ["housing"]}],
///  "lat": 37.56, "lon": -122.32, "max_distance_km": 8, "delivery": "in_person_only",
///  "facts": {"age": 70, "province": "ON", "benefits": ["ow"]}, "languages": ["fr"],
///  "at_epoch_seconds": 1780000000, "limit": 7, "explain": true}
/// ```
///
/// `Debug` shows only counts and which fields are set (the values describe a resident).
///
/// # Examples
/// ```
/// use passerelle::matching::{NeedInput, QueryInput};
/// use passerelle::rules::FactCatalog;
/// let input = QueryInput {
///     needs: vec![NeedInput { text: Some("food bank".into()), terms: vec![] }],
///     lat: Some(37.56),
///     lon: Some(-122.32),
///     max_distance_km: Some(5.0),
///     ..QueryInput::default()
/// };
/// let query = input.to_query(&FactCatalog::standard())?;
/// assert_eq!(query.max_distance_m, 5_000.0);
/// # Ok::<(), passerelle::Error>(())
/// ```
#[derive(Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryInput {
    /// One to [`MAX_NEEDS`](super::MAX_NEEDS) needs; each gets its own ranked list.
    pub needs: Vec<NeedInput>,
    /// Latitude (WGS84 degrees); given together with `lon`.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude (WGS84 degrees).
    #[serde(default)]
    pub lon: Option<f64>,
    /// Farthest in-person service, in kilometres (default 10; finite, 0 or more).
    #[serde(default)]
    pub max_distance_km: Option<f64>,
    /// How the resident can receive services (default remote acceptable).
    #[serde(default)]
    pub delivery: Option<DeliveryPreference>,
    /// How the resident travels (default transit).
    #[serde(default)]
    pub travel: Option<TravelMode>,
    /// Facts about the resident by name, checked against the navigator's catalogue. In
    /// JSON a fact is `true`, `70`, `"ON"` or `["ow", "odsp"]`; `null` means not given.
    #[serde(default, deserialize_with = "super::json::facts")]
    pub facts: BTreeMap<String, FactValue>,
    /// Languages the resident speaks, best first (`fr`, `en` …).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Leave out services offered in none of `languages`.
    #[serde(default)]
    pub require_language: bool,
    /// Accessibility features needed at in-person locations (codes or words).
    #[serde(default)]
    pub accessibility: Vec<String>,
    /// Leave out in-person delivery at sites not known to have every feature.
    #[serde(default)]
    pub require_accessibility: bool,
    /// Only services known to be free (or of unknown cost).
    #[serde(default)]
    pub free_only: bool,
    /// Leave out services known to be closed at the search instant.
    #[serde(default)]
    pub open_now: bool,
    /// The search instant as Unix seconds; default now.
    #[serde(default)]
    pub at_epoch_seconds: Option<i64>,
    /// Populations the resident belongs to (`indigenous`, `senior` …).
    #[serde(default)]
    pub populations: Vec<String>,
    /// Also return services the resident is ineligible for.
    #[serde(default)]
    pub include_ineligible: bool,
    /// Results per need, 1 or more (capped at [`MAX_LIMIT`](super::MAX_LIMIT)); default 5.
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// Results skipped per need (pagination).
    #[serde(default)]
    pub offset: u32,
    /// Every factor's reason and the score breakdown in each match.
    #[serde(default)]
    pub explain: bool,
}

fn default_limit() -> u32 {
    DEFAULT_LIMIT as u32
}

impl Default for QueryInput {
    fn default() -> Self {
        Self {
            needs: Vec::new(),
            lat: None,
            lon: None,
            max_distance_km: None,
            delivery: None,
            travel: None,
            facts: BTreeMap::new(),
            languages: Vec::new(),
            require_language: false,
            accessibility: Vec::new(),
            require_accessibility: false,
            free_only: false,
            open_now: false,
            at_epoch_seconds: None,
            populations: Vec::new(),
            include_ineligible: false,
            limit: default_limit(),
            offset: 0,
            explain: false,
        }
    }
}

impl fmt::Debug for QueryInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |b: bool| if b { "<set>" } else { "<unset>" };
        f.debug_struct("QueryInput")
            .field("needs", &self.needs)
            .field("location", &set(self.lat.is_some() || self.lon.is_some()))
            .field("max_distance_km", &self.max_distance_km)
            .field("delivery", &self.delivery)
            .field("travel", &self.travel)
            .field("facts", &self.facts.len())
            .field("languages", &self.languages.len())
            .field("accessibility", &self.accessibility.len())
            .field("populations", &self.populations.len())
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

/// A query that cannot be built from its input. Names the field, never its value; the
/// JSON variants give a line and column or a field name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// `lat` without `lon` or the reverse.
    #[error("give lat and lon together")]
    LatLonTogether,
    /// `max_distance_km` is negative, NaN or infinite.
    #[error("max_distance_km must be a finite number of kilometres, 0 or more")]
    InvalidDistance,
    /// `at_epoch_seconds` is outside the supported time range.
    #[error("at_epoch_seconds is out of range")]
    InvalidTime,
    /// The query JSON is larger than accepted.
    #[error("query JSON is larger than {max} bytes")]
    JsonTooLarge {
        /// The limit, in bytes.
        max: usize,
    },
    /// The text is not JSON.
    #[error("query JSON is not valid JSON (line {line} column {column})")]
    JsonSyntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The JSON is not an object (the query, or a need).
    #[error("JSON {field} must be an object")]
    NotAnObject {
        /// `query` or `needs[i]`.
        field: String,
    },
    /// A field the format does not have (`agee`).
    #[error("query JSON: unknown field `{field}` in {within}, expected one of {expected}")]
    UnknownField {
        /// The unknown name.
        field: String,
        /// `query` or `needs[i]`.
        within: String,
        /// The accepted names.
        expected: String,
    },
    /// A required field is absent.
    #[error("query JSON: missing field `{field}`")]
    MissingField {
        /// The field.
        field: &'static str,
    },
    /// A fact's value is not a plain value.
    #[error("a fact must be true/false, a number, a string or a list of strings (fact `{fact}`)")]
    FactShape {
        /// The fact name.
        fact: String,
    },
    /// A field's value has the wrong type or is out of range (`"lat": "north"`).
    #[error("query JSON: field `{field}` has the wrong type or is out of range")]
    WrongType {
        /// The field.
        field: String,
    },
}

impl QueryInput {
    /// The JSON names of its fields.
    pub const FIELDS: [&'static str; 19] = [
        "needs",
        "lat",
        "lon",
        "max_distance_km",
        "delivery",
        "travel",
        "facts",
        "languages",
        "require_language",
        "accessibility",
        "require_accessibility",
        "free_only",
        "open_now",
        "at_epoch_seconds",
        "populations",
        "include_ineligible",
        "limit",
        "offset",
        "explain",
    ];

    /// The validated query: codes, coordinates, distance, instant, limit, and each fact
    /// against `catalog` (in name order, so the first bad fact reported is stable). The
    /// instant stays `None` (now) unless `at_epoch_seconds` is given.
    ///
    /// # Errors
    /// [`QueryError`] (location half given, distance, instant),
    /// [`ValueError`](crate::model::ValueError) (coordinates, language or term code),
    /// [`RuleError`](crate::rules::RuleError) (unknown fact, wrong kind of value),
    /// [`MatchError::InvalidLimit`] for `limit` 0. The other query checks (number of needs,
    /// empty needs, text length) run at search time, as for any [`Query`].
    pub fn to_query(self, catalog: &FactCatalog) -> Result<Query, crate::Error> {
        if self.limit == 0 {
            return Err(MatchError::InvalidLimit { limit: 0 }.into());
        }
        let mut needs = Vec::with_capacity(self.needs.len());
        for n in self.needs {
            let terms = n
                .terms
                .iter()
                .map(|t| TermCode::new(t))
                .collect::<Result<Vec<_>, _>>()?;
            needs.push(Need {
                text: n.text,
                terms,
            });
        }
        let mut q = Query::new(needs);
        q.location = match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => Some(GeoPoint::new(lat, lon)?),
            (None, None) => None,
            _ => return Err(QueryError::LatLonTogether.into()),
        };
        if let Some(km) = self.max_distance_km {
            q.max_distance_m = distance_m(km)?;
        }
        if let Some(d) = self.delivery {
            q.delivery = d;
        }
        if let Some(t) = self.travel {
            q.travel = t;
        }
        if !self.facts.is_empty() {
            let mut profile = catalog.profile();
            for (name, value) in self.facts {
                profile.set(&name, value)?;
            }
            q.profile = Some(profile);
        }
        q.languages = self
            .languages
            .iter()
            .map(|l| LangCode::new(l))
            .collect::<Result<_, _>>()?;
        q.require_language = self.require_language;
        q.accessibility = self.accessibility;
        q.require_accessibility = self.require_accessibility;
        q.free_only = self.free_only;
        if self.open_now {
            q = q.open_only();
        }
        if let Some(s) = self.at_epoch_seconds {
            q.at = Some(jiff::Timestamp::from_second(s).map_err(|_| QueryError::InvalidTime)?);
        }
        q.populations = self.populations;
        q.include_ineligible = self.include_ineligible;
        q.limit = i64::from(self.limit);
        q.offset = self.offset as usize;
        q.explain = self.explain;
        Ok(q)
    }
}

/// Kilometres to metres, refusing what is not a distance. Finite distances too large to
/// hold in metres are capped (any of them covers the Earth).
fn distance_m(km: f64) -> Result<f64, QueryError> {
    if km.is_finite() && km >= 0.0 {
        Ok((km * 1000.0).min(f64::MAX))
    } else {
        Err(QueryError::InvalidDistance)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> QueryInput {
        QueryInput {
            needs: vec![NeedInput {
                text: Some("food".into()),
                terms: vec![],
            }],
            ..QueryInput::default()
        }
    }

    #[test]
    fn one_distance_check_in_kilometres() {
        let catalog = FactCatalog::standard();
        for km in [-1.0, f64::NAN, f64::INFINITY] {
            let q = QueryInput {
                max_distance_km: Some(km),
                ..input()
            };
            assert!(matches!(
                q.to_query(&catalog),
                Err(crate::Error::Query(QueryError::InvalidDistance))
            ));
        }
        let q = QueryInput {
            max_distance_km: Some(1e306),
            ..input()
        };
        assert_eq!(q.to_query(&catalog).unwrap().max_distance_m, f64::MAX);
    }

    #[test]
    fn location_limit_and_facts_are_checked() {
        let catalog = FactCatalog::standard();
        let half = QueryInput {
            lat: Some(1.0),
            ..input()
        };
        assert!(matches!(
            half.to_query(&catalog),
            Err(crate::Error::Query(QueryError::LatLonTogether))
        ));
        let zero = QueryInput {
            limit: 0,
            ..input()
        };
        assert!(matches!(
            zero.to_query(&catalog),
            Err(crate::Error::Match(MatchError::InvalidLimit { limit: 0 }))
        ));
        let mut bad = input();
        bad.facts
            .insert("age".into(), FactValue::Text("old".into()));
        assert!(matches!(bad.to_query(&catalog), Err(crate::Error::Rule(_))));
        let dbg = format!("{:?}", input());
        assert!(!dbg.contains("food"), "{dbg}");
    }
}
