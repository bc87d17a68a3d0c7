//! `Debug` of the records that carry a resident's situation, redacted like core's `Query`:
//! counts and whether a value is set, never the values. `Display` is the same text. Both are
//! exported through uniffi (`#[uniffi::export(Debug, Display)]` on each record), so the
//! generated Kotlin `toString()` and Swift `description`/`debugDescription` print this
//! redacted form instead of listing the fields (Python replaces `str`/`repr` in `_redact.py`).

use std::fmt;

#[cfg(feature = "arrow")]
use crate::arrow::BatchOptions;
use crate::matching::{NeedInput, SearchQuery};

struct Count(usize);

impl fmt::Debug for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {}>", self.0)
    }
}

fn set<T>(v: &Option<T>) -> Option<&'static str> {
    v.as_ref().map(|_| "<set>")
}

impl fmt::Debug for NeedInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NeedInput")
            .field("text", &self.text.as_ref().map(|t| Count(t.len())))
            .field("terms", &Count(self.terms.len()))
            .finish()
    }
}

impl fmt::Debug for SearchQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchQuery")
            .field("needs", &self.needs)
            .field("location", &set(&self.lat.or(self.lon)))
            .field("max_distance_km", &set(&self.max_distance_km))
            .field("delivery", &set(&self.delivery))
            .field("travel", &set(&self.travel))
            .field("facts", &Count(self.facts.len()))
            .field("languages", &Count(self.languages.len()))
            .field("require_language", &self.require_language)
            .field("accessibility", &Count(self.accessibility.len()))
            .field("free_only", &self.free_only)
            .field("open_now", &self.open_now)
            .field("at_epoch_seconds", &self.at_epoch_seconds)
            .field("populations", &Count(self.populations.len()))
            .field("include_ineligible", &self.include_ineligible)
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("explain", &self.explain)
            .finish()
    }
}

#[cfg(feature = "arrow")]
impl fmt::Debug for BatchOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchOptions")
            .field("limit", &self.limit)
            .field("max_distance_km", &set(&self.max_distance_km))
            .field("delivery", &set(&self.delivery))
            .field("travel", &set(&self.travel))
            .field("languages", &Count(self.languages.len()))
            .field("include_ineligible", &self.include_ineligible)
            .field("open_now", &self.open_now)
            .field("free_only", &self.free_only)
            .field("at_epoch_seconds", &self.at_epoch_seconds)
            .finish()
    }
}

/// `Display` = the redacted `Debug` text: what Kotlin's `toString()` and Swift's `description`
/// show.
macro_rules! display_as_debug {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self, f)
            }
        }
    )*};
}

display_as_debug!(NeedInput, SearchQuery, crate::rules::FactValue);
#[cfg(feature = "arrow")]
display_as_debug!(BatchOptions);

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::rules::FactValue;

    #[test]
    fn debug_never_prints_resident_values() {
        let sentinel = "zq-sentinel-4417";
        let q = SearchQuery {
            needs: vec![NeedInput {
                text: Some(format!("{sentinel} pensées suicidaires")),
                terms: vec![sentinel.into()],
            }],
            lat: Some(45.123_456),
            lon: Some(-75.654_321),
            facts: HashMap::from([(
                "household_income".into(),
                FactValue::Number {
                    value: 98_765.432_1,
                },
            )]),
            languages: vec![sentinel.into()],
            accessibility: vec![sentinel.into()],
            populations: vec![sentinel.into()],
            ..crate::matching::tests::query("x")
        };
        let text = format!("{q:?} {q:#?} {q}");
        for leak in [sentinel, "45.12", "75.65", "98765", "pensées"] {
            assert!(!text.contains(leak), "{leak} in {text}");
        }
        assert!(text.contains("<redacted 1>"), "{text}");
    }

    #[cfg(feature = "arrow")]
    #[test]
    fn batch_options_debug_never_prints_languages() {
        let sentinel = "zq-sentinel-4417";
        let opts = crate::arrow::BatchOptions {
            languages: vec![sentinel.into()],
            ..crate::arrow::BatchOptions::default()
        };
        assert!(!format!("{opts:?}").contains(sentinel));
    }
}
