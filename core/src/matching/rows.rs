//! A search result flattened to one row per match (and one per need without a match): the
//! table form for data teams, columnar batch output and spreadsheets.

use crate::model::Openness;
use crate::text::CrisisKind;

use super::contact::{PhoneContact, PostalAddress};
use super::result::SearchResults;

/// One row of a flattened search result: a match, or a need without any (then `rank` and
/// the service fields are `None` and `no_match` says why).
///
/// Text fields are the directory's own values (service name in its default language);
/// enum fields are the stable snake_case names of their `as_str` functions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultRow {
    /// Position of the need in the query.
    pub need_index: usize,
    /// 1-based rank of the match; `None` for a need without a match.
    pub rank: Option<usize>,
    /// The service.
    pub service_id: Option<String>,
    /// The service at location, when in person.
    pub service_at_location_id: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// The service's name (default language).
    pub service_name: Option<String>,
    /// The first number to call, with its extension, on one line.
    pub phone: Option<String>,
    /// The location's address on one line.
    pub address: Option<String>,
    /// Distance from the resident, in metres.
    pub distance_m: Option<f64>,
    /// How the service reaches the resident (`in_person`, `phone` …).
    pub via: Option<&'static str>,
    /// `eligible`, `unknown` or `ineligible`.
    pub eligibility: Option<&'static str>,
    /// Facts that would settle eligibility, comma-separated.
    pub missing_facts: Option<String>,
    /// Open at the search instant; `None` when unknown.
    pub open_now: Option<bool>,
    /// The match's score.
    pub score: Option<f64>,
    /// Matches found for the need before paging.
    pub total: usize,
    /// The crisis the need expresses (`immediate_danger`, `suicide_or_self_harm`,
    /// `violence_or_abuse`).
    pub crisis: Option<&'static str>,
    /// Why a need has no match.
    pub no_match: Option<&'static str>,
}

/// The stable snake_case name of a crisis kind.
fn crisis_name(kind: CrisisKind) -> &'static str {
    match kind {
        CrisisKind::ImmediateDanger => "immediate_danger",
        CrisisKind::SuicideOrSelfHarm => "suicide_or_self_harm",
        CrisisKind::ViolenceOrAbuse => "violence_or_abuse",
    }
}

impl SearchResults {
    /// The result as rows: each need's matches in rank order, one row for a need without a
    /// match, needs in query order.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
    /// let results = nav.search(&Query::new([Need::text("food bank"), Need::text("zzqx")]))?;
    /// let rows = results.rows();
    /// assert_eq!(rows[0].rank, Some(1));
    /// assert!(rows.iter().any(|r| r.need_index == 1 && r.no_match.is_some()));
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn rows(&self) -> Vec<ResultRow> {
        let mut out = Vec::new();
        for n in &self.needs {
            let crisis = n.crisis.map(crisis_name);
            if n.matches.is_empty() {
                out.push(ResultRow {
                    need_index: n.need_index,
                    total: n.total,
                    crisis,
                    no_match: n.no_match.map(|r| r.as_str()),
                    ..ResultRow::default()
                });
            }
            for m in &n.matches {
                out.push(ResultRow {
                    need_index: n.need_index,
                    rank: Some(m.rank),
                    service_id: Some(m.service_id.clone()),
                    service_at_location_id: m.service_at_location_id.clone(),
                    location_id: m.location_id.clone(),
                    service_name: Some(m.service_name.value.clone()),
                    phone: m.contact.phones.first().map(PhoneContact::one_line),
                    address: m.contact.address.as_ref().map(PostalAddress::one_line),
                    distance_m: m.distance_m,
                    via: Some(m.via.as_str()),
                    eligibility: Some(m.eligibility.status.as_str()),
                    missing_facts: Some(m.eligibility.missing_facts.join(",")),
                    open_now: match m.openness {
                        Openness::Open { .. } => Some(true),
                        Openness::Closed { .. } => Some(false),
                        _ => None,
                    },
                    score: Some(m.score),
                    total: n.total,
                    crisis,
                    no_match: None,
                });
            }
        }
        out
    }
}
