//! What a search returns: per-need ranked lists, one-stop locations, crisis notice, reasons
//! for empty lists and the questions worth asking next.

use crate::model::{DeliveryMode, LangCode, Openness, TermCode, Text};
use crate::text::CrisisKind;

use super::score::{Factor, ScoreBreakdown};
use super::suggest::Suggestion;

/// A plain-language sentence in English and French that a call-taker can read out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// The factor it explains.
    pub factor: Factor,
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
}

impl Reason {
    /// The sentence in `lang` (French for `fr*`, English otherwise).
    pub fn text(&self, lang: &LangCode) -> &str {
        if lang.primary() == "fr" {
            &self.fr
        } else {
            &self.en
        }
    }
}

/// How a service's categories matched the need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NeedMatchKind {
    /// Only through words of the service's own name or description.
    Text,
    /// The service is filed under a broader term than the need.
    Broader,
    /// Through a typo-corrected word.
    Fuzzy,
    /// Through a synonym from the lexicon.
    Synonym,
    /// The service is filed under a narrower term than the need.
    Descendant,
    /// The service is filed under exactly the need's term.
    Exact,
}

impl NeedMatchKind {
    /// The [`Factor::Need`] value of this kind of match.
    pub fn value(self) -> f32 {
        match self {
            Self::Exact => 1.0,
            Self::Descendant => 0.9,
            Self::Synonym => 0.85,
            Self::Fuzzy => 0.7,
            Self::Broader => 0.5,
            Self::Text => 0.4,
        }
    }

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Descendant => "descendant",
            Self::Synonym => "synonym",
            Self::Fuzzy => "fuzzy",
            Self::Broader => "broader",
            Self::Text => "text",
        }
    }
}

/// Three-valued eligibility of the resident for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EligibilityStatus {
    /// The profile satisfies the service's rule (or it has none).
    Eligible,
    /// The profile lacks facts the rule needs.
    Unknown,
    /// The profile fails the rule.
    Ineligible,
}

impl EligibilityStatus {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eligible => "eligible",
            Self::Unknown => "unknown",
            Self::Ineligible => "ineligible",
        }
    }
}

/// Eligibility of the resident for a matched service, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityInfo {
    /// The outcome.
    pub status: EligibilityStatus,
    /// Facts the rule needs and the profile lacks (when `Unknown`).
    pub missing_facts: Vec<String>,
    /// Conditions the profile fails (when `Ineligible`), in plain language.
    pub failed: Vec<Reason>,
    /// Conditions read from the listing's eligibility text (with
    /// `NavigatorOptions::infer_eligibility`), whatever the status: "to confirm: the
    /// listing says 'Men ages 19-64'". Listing text only, never the resident's values.
    pub inferred: Vec<Reason>,
}

impl EligibilityInfo {
    pub(crate) fn eligible() -> Self {
        Self {
            status: EligibilityStatus::Eligible,
            missing_facts: Vec::new(),
            failed: Vec::new(),
            inferred: Vec::new(),
        }
    }
}

/// One service at one location (or a location-less service) offered for a need.
#[derive(Debug, Clone, PartialEq)]
pub struct Match {
    /// 1-based rank in the need's full list (not the page).
    pub rank: usize,
    /// Service id.
    pub service_id: String,
    /// Service-at-location id; `None` for a service with no location (phone line, website).
    pub service_at_location_id: Option<String>,
    /// Location id.
    pub location_id: Option<String>,
    /// Organisation id.
    pub organization_id: String,
    /// Service name.
    pub service_name: Text,
    /// Organisation name.
    pub organization_name: Text,
    /// Location name (empty without location).
    pub location_name: Text,
    /// Distance from the resident in metres, when both points are known.
    pub distance_m: Option<f64>,
    /// How the service is delivered there.
    pub delivery_modes: Vec<DeliveryMode>,
    /// How this resident would receive it (in person, phone, online, home visit), given the
    /// query's delivery preference and distance limit.
    pub via: DeliveryMode,
    /// Eligibility of the resident.
    pub eligibility: EligibilityInfo,
    /// Openness at the query instant (with closing or next opening time).
    pub openness: Openness,
    /// Open around the clock, every day.
    pub always_open: bool,
    /// The hours in a short phrase ("open until 17:00", "ouvre lundi à 9 h"), when known.
    pub hours: Option<Reason>,
    /// How the service matched the need.
    pub need_match: NeedMatchKind,
    /// Pinned first because the need expresses a crisis and this is a 24/7 crisis service.
    pub crisis_line: bool,
    /// Other needs of the query (indices) served at the same location.
    pub also_serves: Vec<usize>,
    /// Score in `[0, 1]`.
    pub score: f64,
    /// Per-factor breakdown of `score`.
    pub breakdown: ScoreBreakdown,
    /// Plain-language reasons, most important first (every factor when `Query::explain`).
    pub reasons: Vec<Reason>,
    /// What to act on: phones, address, website, e-mail, how to apply, fees, documents.
    pub contact: super::contact::ContactDetails,
}

/// How many candidates (services at locations matching the need) each filter removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FilterCounts {
    /// Candidates matching the need before any filter.
    pub matched_need: usize,
    /// Inactive, defunct or temporarily closed services.
    pub inactive: usize,
    /// The resident is outside the service's declared area.
    pub outside_area: usize,
    /// In person only and farther than the limit (or no resident location).
    pub too_far: usize,
    /// Not deliverable the way the resident needs.
    pub delivery: usize,
    /// The resident is ineligible.
    pub ineligible: usize,
    /// Closed at the instant (with `OpenRequirement::OpenOnly`).
    pub closed: usize,
    /// Offered in none of the resident's languages (with `require_language`).
    pub language: usize,
    /// Not free (with `free_only`).
    pub cost: usize,
    /// Candidates left.
    pub kept: usize,
}

/// Why a need got no result: the last filter (in the order of [`FilterCounts`]) that removed
/// candidates, i.e. what stopped the candidates that got furthest. [`FilterCounts`] has the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoMatchReason {
    /// The need text was not understood (no term, synonym or word of the directory).
    NeedNotUnderstood,
    /// No service in the directory is filed under the need.
    NoServiceForNeed,
    /// Every matching service is inactive or temporarily closed.
    AllInactive,
    /// The resident is outside the area of every matching service.
    OutsideServiceArea,
    /// Every matching service is too far (or needs a visit and no location was given).
    AllTooFar,
    /// No matching service delivers the way the resident needs (home visit, phone …).
    DeliveryMismatch,
    /// The resident is ineligible for every matching service.
    AllIneligible,
    /// Every matching service is closed at the instant.
    AllClosed,
    /// No matching service is offered in the resident's languages.
    Language,
    /// No matching service is free.
    Cost,
}

impl NoMatchReason {
    /// Every reason, in declaration order (the order of [`FilterCounts`]' filters).
    pub const ALL: [Self; 10] = [
        Self::NeedNotUnderstood,
        Self::NoServiceForNeed,
        Self::AllInactive,
        Self::OutsideServiceArea,
        Self::AllTooFar,
        Self::DeliveryMismatch,
        Self::AllIneligible,
        Self::AllClosed,
        Self::Language,
        Self::Cost,
    ];

    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedNotUnderstood => "need_not_understood",
            Self::NoServiceForNeed => "no_service_for_need",
            Self::AllInactive => "all_inactive",
            Self::OutsideServiceArea => "outside_service_area",
            Self::AllTooFar => "all_too_far",
            Self::DeliveryMismatch => "delivery_mismatch",
            Self::AllIneligible => "all_ineligible",
            Self::AllClosed => "all_closed",
            Self::Language => "language",
            Self::Cost => "cost",
        }
    }
}

/// The ranked results of one need.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedResults {
    /// Position of the need in the query.
    pub need_index: usize,
    /// Taxonomy terms the need was understood as (directory codes).
    pub understood_as: Vec<TermCode>,
    /// The crisis the need expresses (suicide or self-harm, violence, immediate danger).
    pub crisis: Option<CrisisKind>,
    /// Results in the full list (before pagination).
    pub total: usize,
    /// The requested page.
    pub matches: Vec<Match>,
    /// Filter counts (for unmet-needs reporting).
    pub counts: FilterCounts,
    /// Why the list is empty; `None` when `total > 0`.
    pub no_match: Option<NoMatchReason>,
    /// Why the list is empty, in plain language.
    pub no_match_text: Option<Reason>,
    /// With [`NoMatchReason::NeedNotUnderstood`] only: the directory's categories and words
    /// nearest to the need's, or its broadest categories when none is near; empty otherwise.
    pub suggestions: Vec<Suggestion>,
}

/// A location that serves several of the resident's needs at once (a one-stop hub).
#[derive(Debug, Clone, PartialEq)]
pub struct MultiNeedLocation {
    /// Location id.
    pub location_id: String,
    /// Location name.
    pub location_name: Text,
    /// Distance from the resident in metres.
    pub distance_m: Option<f64>,
    /// Needs served (query indices), ascending.
    pub needs: Vec<usize>,
    /// For each need in `needs`, the best service there.
    pub service_ids: Vec<String>,
    /// Mean of the best per-need scores there, over all the query's needs.
    pub score: f64,
}

/// A question worth asking the resident: a fact several results depend on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextQuestion {
    /// The fact (`age`, `household_income` …).
    pub fact: String,
    /// The question in English.
    pub en: String,
    /// The question in French.
    pub fr: String,
    /// Results whose eligibility it would settle.
    pub affects: usize,
}

/// The crisis notice of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisNotice {
    /// The needs that express a crisis (query indices).
    pub needs: Vec<usize>,
    /// The most urgent kind detected.
    pub kind: CrisisKind,
    /// What to tell the resident.
    pub message: Reason,
}

/// Everything a search returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// One ranked list per need, in query order.
    pub needs: Vec<NeedResults>,
    /// Locations serving two needs or more, best first (empty for one need).
    pub multi_need: Vec<MultiNeedLocation>,
    /// Set when a need expresses a crisis; crisis services then lead that need's list.
    pub crisis: Option<CrisisNotice>,
    /// Facts to ask next, most useful first.
    pub next_questions: Vec<NextQuestion>,
    /// The page size applied (the query's limit, capped).
    pub limit: usize,
    /// The page offset applied.
    pub offset: usize,
    /// The instant openness was judged at.
    pub at: jiff::Timestamp,
    /// The query asked for explanations ([`Query::explain`](super::Query::explain)): every
    /// factor's reason; the JSON form then carries each match's score breakdown.
    pub explain: bool,
}

impl SearchResults {
    /// True when no need got any result.
    pub fn is_empty(&self) -> bool {
        self.needs.iter().all(|n| n.total == 0)
    }

    /// Every match of the page, need by need.
    pub fn matches(&self) -> impl Iterator<Item = &Match> {
        self.needs.iter().flat_map(|n| n.matches.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::NoMatchReason;

    /// `ALL` lists every reason once (a new variant must be added to it: the match below does
    /// not compile without it), and the names are distinct snake_case words.
    #[test]
    fn every_no_match_reason_is_listed_once_with_a_distinct_name() {
        for r in NoMatchReason::ALL {
            let listed = match r {
                NoMatchReason::NeedNotUnderstood
                | NoMatchReason::NoServiceForNeed
                | NoMatchReason::AllInactive
                | NoMatchReason::OutsideServiceArea
                | NoMatchReason::AllTooFar
                | NoMatchReason::DeliveryMismatch
                | NoMatchReason::AllIneligible
                | NoMatchReason::AllClosed
                | NoMatchReason::Language
                | NoMatchReason::Cost => NoMatchReason::ALL.iter().filter(|x| **x == r).count(),
            };
            assert_eq!(listed, 1, "{r:?}");
            assert!(r
                .as_str()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        let mut names: Vec<_> = NoMatchReason::ALL.iter().map(|r| r.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NoMatchReason::ALL.len());
    }
}
