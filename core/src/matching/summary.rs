//! A compact, stable JSON summary of search results: what the command-line tool prints with
//! `--json` and what the golden tests snapshot.

use serde_json::{json, Value};

use crate::model::{Openness, TermCode};

use super::result::SearchResults;

/// Distance in km, rounded to 100 m.
fn km(m: f64) -> f64 {
    (m / 100.0).round() / 10.0
}

impl SearchResults {
    /// A compact JSON summary of the results: per need, the matches' ranks, service and
    /// location ids, distance (km, rounded to 0.1), delivery mode, openness
    /// (`open`/`closed`/`unknown`), eligibility status with missing facts and failed
    /// conditions, score (3 decimals) and bilingual reasons; then the crisis notice, one-stop
    /// locations and next questions. A need that was not understood also has `suggestions`
    /// (`text`, and `term` for a category; see [`Suggestion`](super::Suggestion)). Field
    /// names are stable; it carries no resident data (only what the directory and the engine
    /// say).
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let res = nav.search(&Query::new([Need::text("food bank")]))?;
    /// let summary = res.summary_json();
    /// assert!(summary["needs"][0]["total"].as_u64().unwrap() > 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn summary_json(&self) -> Value {
        let needs: Vec<Value> = self
            .needs
            .iter()
            .map(|n| {
                let matches: Vec<Value> = n
                    .matches
                    .iter()
                    .map(|m| {
                        json!({
                            "rank": m.rank,
                            "service": m.service_id,
                            "location": m.location_id,
                            "distance_km": m.distance_m.map(km),
                            "via": m.via.as_str(),
                            "open": match m.openness {
                                Openness::Open { .. } => "open",
                                Openness::Closed { .. } => "closed",
                                _ => "unknown",
                            },
                            "crisis_line": m.crisis_line,
                            "need_match": m.need_match.as_str(),
                            "eligibility": m.eligibility.status.as_str(),
                            "missing_facts": m.eligibility.missing_facts,
                            "failed": m.eligibility.failed.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                            "score": (m.score * 1000.0).round() / 1000.0,
                            "reasons": m.reasons.iter().map(|r| json!({"en": r.en, "fr": r.fr})).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                let mut need = json!({
                    "need": n.need_index,
                    "understood_as": n.understood_as.iter().map(TermCode::as_str).collect::<Vec<_>>(),
                    "crisis": n.crisis.map(|c| format!("{c:?}")),
                    "total": n.total,
                    "no_match": n.no_match.map(|r| r.as_str()),
                    "matches": matches,
                });
                // Only a need that was not understood carries suggestions.
                if !n.suggestions.is_empty() {
                    if let Some(obj) = need.as_object_mut() {
                        obj.insert(
                            "suggestions".into(),
                            n.suggestions
                                .iter()
                                .map(|s| json!({"text": s.text, "term": s.term.as_ref().map(TermCode::as_str)}))
                                .collect(),
                        );
                    }
                }
                need
            })
            .collect();
        json!({
            "crisis": self.crisis.as_ref().map(|c| json!({"needs": c.needs, "en": c.message.en, "fr": c.message.fr})),
            "needs": needs,
            "one_stop": self.multi_need.iter().map(|h| json!({
                "location": h.location_id,
                "needs": h.needs,
                "services": h.service_ids,
                "distance_km": h.distance_m.map(km),
            })).collect::<Vec<_>>(),
            "next_questions": self.next_questions.iter().map(|q| json!({"fact": q.fact, "affects": q.affects})).collect::<Vec<_>>(),
        })
    }
}
