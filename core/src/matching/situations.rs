//! The embedded sample's demo situations (`core/data/situations.json`): realistic residents'
//! questions on the fictional Ottawa directory, used by the `passerelle demo` command and by
//! the golden tests.

use serde_json::Value;

use crate::model::{GeoPoint, LangCode, Text};

use super::navigator::Navigator;
use super::query::{DeliveryPreference, Need, Query};

const SITUATIONS: &str = include_str!("../../data/situations.json");

/// One demo situation of the embedded sample.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SampleSituation {
    /// Stable id (`senior-food-delivery`, …).
    pub id: String,
    /// Title in English and French.
    pub title: Text,
    /// The question asked (without an instant: the caller sets [`Query::at`]).
    pub query: Query,
}

/// The embedded sample's demo situations, with their queries built against `nav`'s fact
/// catalogue. A situation using a fact that catalogue lacks is left out, so a navigator
/// built with a deployer's catalogue gets the situations it can answer.
///
/// # Examples
/// ```
/// use passerelle::matching::sample_situations;
/// use passerelle::{Directory, Navigator, NavigatorOptions};
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
/// let situations = sample_situations(&nav);
/// assert_eq!(situations.len(), 6);
/// let res = nav.search(&situations[0].query)?;
/// assert!(!res.needs[0].matches.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sample_situations(nav: &Navigator) -> Vec<SampleSituation> {
    let doc: Value = serde_json::from_str(SITUATIONS).unwrap_or(Value::Null);
    doc.get("situations")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|s| situation(nav, s)).collect())
        .unwrap_or_default()
}

fn situation(nav: &Navigator, s: &Value) -> Option<SampleSituation> {
    let text = |k: &str| s.get(k).and_then(Value::as_str);
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    let title = |lang: &str| s.get("title")?.get(lang)?.as_str();
    let needs: Vec<Need> = s
        .get("needs")?
        .as_array()?
        .iter()
        .map(|n| n.as_str().map(Need::text))
        .collect::<Option<_>>()?;
    let mut query = Query::new(needs);
    if let (Some(lat), Some(lon)) = (num("lat"), num("lon")) {
        let radius_km = num("radius_km").unwrap_or(10.0);
        query = query.near(GeoPoint::new(lat, lon).ok()?, radius_km * 1_000.0);
    }
    if let Some(d) = text("delivery") {
        query = query.delivery(d.parse::<DeliveryPreference>().ok()?);
    }
    if let Some(limit) = s.get("limit").and_then(Value::as_i64) {
        query = query.limit(limit);
    }
    if let Some(langs) = s.get("languages").and_then(Value::as_array) {
        let langs = langs
            .iter()
            .map(|l| LangCode::new(l.as_str()?).ok())
            .collect::<Option<Vec<_>>>()?;
        query = query.languages(langs);
    }
    if let Some(facts) = s.get("facts").and_then(Value::as_object) {
        let mut profile = nav.catalog().profile();
        for (name, raw) in facts {
            let kind = nav.catalog().get(name)?.kind();
            if let Some(value) = crate::rules::FactValue::from_json(kind, raw).ok()? {
                profile.set(name, value).ok()?;
            }
        }
        query = query.profile(profile);
    }
    Some(SampleSituation {
        id: text("id")?.to_owned(),
        title: Text::new(title("en")?).with(LangCode::fr(), title("fr")?),
        query,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Directory, NavigatorOptions};

    #[test]
    fn every_embedded_situation_is_read() {
        let doc: Value = serde_json::from_str(SITUATIONS).unwrap();
        let listed = doc["situations"].as_array().unwrap().len();
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default()).unwrap();
        let read = sample_situations(&nav);
        assert_eq!(read.len(), listed);
        assert!(read
            .iter()
            .all(|s| !s.title.get(&LangCode::fr()).is_empty()));
    }
}
