//! The JSON result format: `serde::Serialize` for [`SearchResults`] (documented on the
//! impl, which rustdoc shows on `SearchResults`).

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::model::Text;

use super::contact::{ContactDetails, PhoneContact, PostalAddress};
use super::result::{
    CrisisNotice, EligibilityInfo, Match, MultiNeedLocation, NeedResults, NextQuestion, Reason,
    SearchResults,
};
use super::rows::crisis_name;

#[derive(Serialize)]
struct TextJson<'a> {
    value: &'a str,
    translations: BTreeMap<&'a str, &'a str>,
}

fn text(t: &Text) -> TextJson<'_> {
    TextJson {
        value: &t.value,
        translations: t
            .translations
            .iter()
            .map(|(lang, v)| (lang.as_str(), v.as_str()))
            .collect(),
    }
}

#[derive(Serialize)]
struct Sentence<'a> {
    en: &'a str,
    fr: &'a str,
}

fn sentence(r: &Reason) -> Sentence<'_> {
    Sentence {
        en: &r.en,
        fr: &r.fr,
    }
}

#[derive(Serialize)]
struct PhoneJson<'a> {
    number: &'a str,
    extension: Option<&'a str>,
    phone_type: Option<&'a str>,
    languages: &'a [String],
    description: TextJson<'a>,
}

#[derive(Serialize)]
struct AddressJson<'a> {
    lines: &'a [String],
    city: &'a str,
    region: Option<&'a str>,
    state_province: &'a str,
    postal_code: &'a str,
    country: &'a str,
    address_type: &'a str,
    one_line: String,
}

#[derive(Serialize)]
struct ContactJson<'a> {
    phones: Vec<PhoneJson<'a>>,
    address: Option<AddressJson<'a>>,
    website: Option<&'a str>,
    email: Option<&'a str>,
    application_process: TextJson<'a>,
    fees: TextJson<'a>,
    required_documents: Vec<TextJson<'a>>,
}

fn phone(p: &PhoneContact) -> PhoneJson<'_> {
    PhoneJson {
        number: &p.number,
        extension: p.extension.as_deref(),
        phone_type: p.phone_type.as_deref(),
        languages: &p.languages,
        description: text(&p.description),
    }
}

fn address(a: &PostalAddress) -> AddressJson<'_> {
    AddressJson {
        lines: &a.lines,
        city: &a.city,
        region: a.region.as_deref(),
        state_province: &a.state_province,
        postal_code: &a.postal_code,
        country: &a.country,
        address_type: &a.address_type,
        one_line: a.one_line(),
    }
}

fn contact(c: &ContactDetails) -> ContactJson<'_> {
    ContactJson {
        phones: c.phones.iter().map(phone).collect(),
        address: c.address.as_ref().map(address),
        website: c.website.as_deref(),
        email: c.email.as_deref(),
        application_process: text(&c.application_process),
        fees: text(&c.fees),
        required_documents: c.required_documents.iter().map(text).collect(),
    }
}

#[derive(Serialize)]
struct EligibilityJson<'a> {
    status: &'static str,
    missing_facts: &'a [String],
    failed: Vec<Sentence<'a>>,
    inferred: Vec<Sentence<'a>>,
}

fn eligibility(e: &EligibilityInfo) -> EligibilityJson<'_> {
    EligibilityJson {
        status: e.status.as_str(),
        missing_facts: &e.missing_facts,
        failed: e.failed.iter().map(sentence).collect(),
        inferred: e.inferred.iter().map(sentence).collect(),
    }
}

#[derive(Serialize)]
struct ReasonJson<'a> {
    factor: &'static str,
    en: &'a str,
    fr: &'a str,
}

#[derive(Serialize)]
struct FactorJson {
    factor: &'static str,
    value: Option<f64>,
    weight: f64,
    contribution: f64,
}

#[derive(Serialize)]
struct MatchJson<'a> {
    rank: usize,
    service_id: &'a str,
    service_at_location_id: Option<&'a str>,
    location_id: Option<&'a str>,
    organization_id: &'a str,
    service_name: TextJson<'a>,
    organization_name: TextJson<'a>,
    distance_m: Option<f64>,
    delivery_modes: Vec<&'static str>,
    via: &'static str,
    eligibility: EligibilityJson<'a>,
    open_now: Option<bool>,
    next_opening_epoch_seconds: Option<i64>,
    hours: Option<Sentence<'a>>,
    crisis_line: bool,
    score: f64,
    reasons: Vec<ReasonJson<'a>>,
    breakdown: Vec<FactorJson>,
    contact: ContactJson<'a>,
}

fn one_match(m: &Match, explain: bool) -> MatchJson<'_> {
    let (open_now, next) = m.openness.open_now_and_next();
    let next_opening_epoch_seconds = next.map(|t| t.as_second());
    let breakdown = if explain {
        m.breakdown
            .factors
            .iter()
            .map(|f| FactorJson {
                factor: f.factor.as_str(),
                value: f.value,
                weight: f.weight,
                contribution: f.contribution,
            })
            .collect()
    } else {
        Vec::new()
    };
    MatchJson {
        rank: m.rank,
        service_id: &m.service_id,
        service_at_location_id: m.service_at_location_id.as_deref(),
        location_id: m.location_id.as_deref(),
        organization_id: &m.organization_id,
        service_name: text(&m.service_name),
        organization_name: text(&m.organization_name),
        distance_m: m.distance_m,
        delivery_modes: m.delivery_modes.iter().map(|d| d.as_str()).collect(),
        via: m.via.as_str(),
        eligibility: eligibility(&m.eligibility),
        open_now,
        next_opening_epoch_seconds,
        hours: m.hours.as_ref().map(sentence),
        crisis_line: m.crisis_line,
        score: m.score,
        reasons: m
            .reasons
            .iter()
            .map(|r| ReasonJson {
                factor: r.factor.as_str(),
                en: &r.en,
                fr: &r.fr,
            })
            .collect(),
        breakdown,
        contact: contact(&m.contact),
    }
}

#[derive(Serialize)]
struct NeedJson<'a> {
    need_index: usize,
    understood_as: Vec<&'a str>,
    crisis: Option<&'static str>,
    total: usize,
    matches: Vec<MatchJson<'a>>,
    no_match: Option<&'static str>,
    no_match_text: Option<Sentence<'a>>,
    /// Only on a need that was not understood.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suggestions: Vec<SuggestionJson<'a>>,
}

#[derive(Serialize)]
struct SuggestionJson<'a> {
    text: &'a str,
    term: Option<&'a str>,
}

fn need(n: &NeedResults, explain: bool) -> NeedJson<'_> {
    NeedJson {
        need_index: n.need_index,
        understood_as: n.understood_as.iter().map(|c| c.as_str()).collect(),
        crisis: n.crisis.map(crisis_name),
        total: n.total,
        matches: n.matches.iter().map(|m| one_match(m, explain)).collect(),
        no_match: n.no_match.map(|r| r.as_str()),
        no_match_text: n.no_match_text.as_ref().map(sentence),
        suggestions: n
            .suggestions
            .iter()
            .map(|s| SuggestionJson {
                text: &s.text,
                term: s.term.as_ref().map(|t| t.as_str()),
            })
            .collect(),
    }
}

#[derive(Serialize)]
struct HubJson<'a> {
    location_id: &'a str,
    location_name: TextJson<'a>,
    distance_m: Option<f64>,
    needs: &'a [usize],
    service_ids: &'a [String],
    score: f64,
}

fn hub(h: &MultiNeedLocation) -> HubJson<'_> {
    HubJson {
        location_id: &h.location_id,
        location_name: text(&h.location_name),
        distance_m: h.distance_m,
        needs: &h.needs,
        service_ids: &h.service_ids,
        score: h.score,
    }
}

#[derive(Serialize)]
pub(super) struct CrisisJson<'a> {
    kind: &'static str,
    needs: &'a [usize],
    message: Sentence<'a>,
}

pub(super) fn crisis(c: &CrisisNotice) -> CrisisJson<'_> {
    CrisisJson {
        kind: crisis_name(c.kind),
        needs: &c.needs,
        message: sentence(&c.message),
    }
}

#[derive(Serialize)]
struct QuestionJson<'a> {
    fact: &'a str,
    en: &'a str,
    fr: &'a str,
    affects: usize,
}

fn question(q: &NextQuestion) -> QuestionJson<'_> {
    QuestionJson {
        fact: &q.fact,
        en: &q.en,
        fr: &q.fr,
        affects: q.affects,
    }
}

#[derive(Serialize)]
struct ResultsJson<'a> {
    needs: Vec<NeedJson<'a>>,
    multi_need: Vec<HubJson<'a>>,
    crisis: Option<CrisisJson<'a>>,
    next_questions: Vec<QuestionJson<'a>>,
    at_epoch_seconds: i64,
}

/// The JSON form of search results: `serde::Serialize` for [`SearchResults`], one format for
/// every caller (the bindings' `search_json`, the command-line tool's `--json`, web back
/// ends). Field names are snake_case, enums their `as_str` names, texts in the directory's
/// languages as `{"value", "translations"}`, sentences as `{"en", "fr"}`.
///
/// ```json
/// {"needs": [{"need_index": 0, "understood_as": ["food.bank"], "crisis": null, "total": 12,
///    "matches": [{"rank": 1, "service_id": "svc-1", "service_at_location_id": "sal-1",
///      "location_id": "loc-1", "organization_id": "org-1",
///      "service_name": {"value": "Food bank", "translations": {"fr": "Banque alimentaire"}},
///      "organization_name": {"value": "…", "translations": {}}, "distance_m": 812.5,
///      "delivery_modes": ["in_person"], "via": "in_person",
///      "eligibility": {"status": "unknown", "missing_facts": ["age"], "failed": [], "inferred": []},
///      "open_now": true, "next_opening_epoch_seconds": null,
///      "hours": {"en": "open until 17:00", "fr": "ouvert jusqu'à 17 h"}, "crisis_line": false,
///      "score": 0.82, "reasons": [{"factor": "need", "en": "…", "fr": "…"}],
///      "breakdown": [], "contact": {"phones": […], "address": {…}, "website": null, …}}],
///    "no_match": null, "no_match_text": null}],
///  "multi_need": [], "crisis": null,
///  "next_questions": [{"fact": "age", "en": "How old are you?", "fr": "…", "affects": 3}],
///  "at_epoch_seconds": 1780000000}
/// ```
///
/// `breakdown` (per-factor `factor`, `value`, `weight`, `contribution`) is filled when the
/// query set [`explain`](super::Query::explain), empty otherwise. A need that was not
/// understood also has `suggestions`: `[{"text": "Transportation", "term": "105-02"}, …]`
/// (`term` is `null` for a word), the directory's own categories and words to try.
///
/// Write it with `serde_json::to_string(&results)`.
///
/// # Examples
/// ```
/// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample())?;
/// let results = nav.search(&Query::new([Need::text("banque alimentaire")]))?;
/// let json: serde_json::Value = serde_json::to_value(&results)?;
/// assert_eq!(json["needs"][0]["matches"][0]["rank"], 1);
/// assert!(json["needs"][0]["matches"][0]["via"].is_string());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for SearchResults {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ResultsJson {
            needs: self.needs.iter().map(|n| need(n, self.explain)).collect(),
            multi_need: self.multi_need.iter().map(hub).collect(),
            crisis: self.crisis.as_ref().map(crisis),
            next_questions: self.next_questions.iter().map(question).collect(),
            at_epoch_seconds: self.at.as_second(),
        }
        .serialize(s)
    }
}
