//! The `Navigator` object and the FFI mirrors of core's query and result types.

use std::collections::HashMap;
use std::sync::Arc;

use passerelle::{
    matching::{
        DeliveryPreference as CoreDelivery, DirectoryReport, LiveNavigator,
        NeedInput as CoreNeedInput, NeedResults, QueryInput, TravelMode as CoreTravel,
    },
    model::DeliveryMode as CoreDeliveryMode,
    spatial::NamedAreas,
    text::CrisisKind as CoreCrisisKind,
    Imported, Match as CoreMatch, Navigator as CoreNavigator, NavigatorOptions, Query,
    SearchResults,
};

use crate::contact::ContactDetails;
use crate::eligibility::{navigator_options, EligibilitySettings};
use crate::error::guard;
use crate::hsds::{DirectoryInfo, ImportReport};
use crate::model::LocalizedText;
use crate::places::Gazetteer;
use crate::rules::{profile_from, EligibilityOutcome, EligibilityStatus, FactValue, Question};
use crate::PasserelleError;

/// Most queries in one `search_batch` call (use `search_batch_arrow` for more).
pub use passerelle::matching::MAX_BATCH_QUERIES;

/// One need of the resident: words in French or English, taxonomy term codes, or both.
#[derive(Clone, PartialEq, Eq, Default, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct NeedInput {
    /// Free text ("banque alimentaire", "rent help"); at most 4 KiB.
    #[uniffi(default)]
    pub text: Option<String>,
    /// Taxonomy term codes (`food.bank`).
    #[uniffi(default)]
    pub terms: Vec<String>,
}

/// How the resident can receive a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Delivery {
    /// In person within the distance limit, or remote (phone, online). The default.
    RemoteAcceptable,
    /// Only services the resident can visit (or mobile outreach) within the distance limit.
    InPersonOnly,
    /// The resident cannot travel: home visits and delivery first, then phone and online.
    HomeVisit,
    /// Only by telephone.
    PhoneOnly,
}

impl From<Delivery> for CoreDelivery {
    fn from(d: Delivery) -> Self {
        match d {
            Delivery::RemoteAcceptable => CoreDelivery::RemoteAcceptable,
            Delivery::InPersonOnly => CoreDelivery::InPersonOnly,
            Delivery::HomeVisit => CoreDelivery::HomeVisit,
            Delivery::PhoneOnly => CoreDelivery::PhoneOnly,
        }
    }
}

/// How the resident travels (scales how much distance counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Travel {
    /// On foot or wheelchair: distance counts twice as much.
    Walk,
    /// Public transit. The default.
    Transit,
    /// Car or para-transit: distance counts a third as much.
    Drive,
}

impl From<Travel> for CoreTravel {
    fn from(t: Travel) -> Self {
        match t {
            Travel::Walk => CoreTravel::Walk,
            Travel::Transit => CoreTravel::Transit,
            Travel::Drive => CoreTravel::Drive,
        }
    }
}

/// A search: the resident's needs, where they are, how they can be served, who they are.
///
/// Only `needs` is required; every other field has a default.
#[derive(Clone, PartialEq, uniffi::Record)]
#[uniffi::export(Debug, Display)]
pub struct SearchQuery {
    /// One to 16 needs; each gets its own ranked list.
    pub needs: Vec<NeedInput>,
    /// Resident latitude (WGS84 degrees); give `lat` and `lon` together. Without a location,
    /// only remote and area-wide services are offered.
    #[uniffi(default)]
    pub lat: Option<f64>,
    /// Resident longitude (WGS84 degrees).
    #[uniffi(default)]
    pub lon: Option<f64>,
    /// Farthest in-person service offered, in kilometres (default 10).
    #[uniffi(default)]
    pub max_distance_km: Option<f64>,
    /// How the resident can receive services (default `RemoteAcceptable`).
    #[uniffi(default)]
    pub delivery: Option<Delivery>,
    /// How the resident travels (default `Transit`).
    #[uniffi(default)]
    pub travel: Option<Travel>,
    /// What is known about the resident, by fact name (`age`, `household_income`,
    /// `household_size`, `province`, `disability` …). Missing facts are unknown, not false.
    #[uniffi(default)]
    pub facts: HashMap<String, FactValue>,
    /// Languages the resident speaks, best first (`fr`, `en`, `ar` …).
    #[uniffi(default)]
    pub languages: Vec<String>,
    /// Leave out services offered in none of `languages`.
    #[uniffi(default)]
    pub require_language: bool,
    /// Accessibility features needed at in-person locations (`wheelchair`, `asl`,
    /// `accessible_washroom` … or words such as "fauteuil roulant"). Places known to have them
    /// rank first, places with no accessibility information below; none is left out unless
    /// `require_accessibility`.
    #[uniffi(default)]
    pub accessibility: Vec<String>,
    /// Strict accessibility: places not known to have every feature in `accessibility` are
    /// not offered in person (their phone or online delivery stays).
    #[uniffi(default)]
    pub require_accessibility: bool,
    /// Only services known to be free (or of unknown cost).
    #[uniffi(default)]
    pub free_only: bool,
    /// Leave out services known to be closed at the search instant.
    #[uniffi(default)]
    pub open_now: bool,
    /// The search instant as Unix seconds (openness is judged then); default now.
    #[uniffi(default)]
    pub at_epoch_seconds: Option<i64>,
    /// Populations the resident belongs to (`indigenous`, `francophone`, `senior` …).
    #[uniffi(default)]
    pub populations: Vec<String>,
    /// Also return services the resident is ineligible for, with the failed conditions.
    #[uniffi(default)]
    pub include_ineligible: bool,
    /// Results per need, 1 to 100 (larger values are capped at 100; 0 is an error).
    #[uniffi(default = 5)]
    pub limit: u32,
    /// Results skipped per need (pagination).
    #[uniffi(default)]
    pub offset: u32,
    /// Include every factor's reason and the per-factor score breakdown in each match.
    #[uniffi(default)]
    pub explain: bool,
}

impl SearchQuery {
    /// Core's plain-data query (field for field).
    pub(crate) fn into_input(self) -> QueryInput {
        QueryInput {
            needs: self
                .needs
                .into_iter()
                .map(|n| CoreNeedInput {
                    text: n.text,
                    terms: n.terms,
                })
                .collect(),
            lat: self.lat,
            lon: self.lon,
            max_distance_km: self.max_distance_km,
            delivery: self.delivery.map(Into::into),
            travel: self.travel.map(Into::into),
            facts: self
                .facts
                .into_iter()
                .map(|(name, v)| (name, v.into()))
                .collect(),
            languages: self.languages,
            require_language: self.require_language,
            accessibility: self.accessibility,
            require_accessibility: self.require_accessibility,
            free_only: self.free_only,
            open_now: self.open_now,
            at_epoch_seconds: self.at_epoch_seconds,
            populations: self.populations,
            include_ineligible: self.include_ineligible,
            limit: self.limit,
            offset: self.offset,
            explain: self.explain,
        }
    }

    /// Converts to a core query (core validates codes, the location, distance and facts).
    pub(crate) fn into_core(self, nav: &CoreNavigator) -> Result<Query, PasserelleError> {
        Ok(self.into_input().to_query(nav.catalog())?)
    }
}

/// The kind of crisis a need expresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CrisisKind {
    /// Someone is in danger now: call 911.
    ImmediateDanger,
    /// Suicidal thoughts or self-harm: crisis and distress lines (9-8-8).
    SuicideOrSelfHarm,
    /// Violence or abuse: violence support and shelters.
    ViolenceOrAbuse,
}

impl CrisisKind {
    fn from_core(k: CoreCrisisKind) -> Self {
        match k {
            CoreCrisisKind::ImmediateDanger => Self::ImmediateDanger,
            CoreCrisisKind::ViolenceOrAbuse => Self::ViolenceOrAbuse,
            // SuicideOrSelfHarm, and any future kind: route to crisis lines.
            _ => Self::SuicideOrSelfHarm,
        }
    }
}

/// The crisis notice of a search: say `message` first, crisis services lead the list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CrisisNotice {
    /// The most urgent kind detected.
    pub kind: CrisisKind,
    /// The needs expressing a crisis (indices into the query's needs).
    pub needs: Vec<u32>,
    /// What to tell the resident (mentions 911 or 9-8-8), in English and French.
    pub message: LocalizedText,
}

/// How a service is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DeliveryMode {
    /// At a physical location.
    InPerson,
    /// By telephone.
    Phone,
    /// Online (video, chat, web).
    Virtual,
    /// At the resident's home.
    HomeVisit,
    /// Mobile outreach (van, street team).
    MobileOutreach,
}

impl DeliveryMode {
    fn from_core(m: CoreDeliveryMode) -> Self {
        match m {
            CoreDeliveryMode::Phone => Self::Phone,
            CoreDeliveryMode::Virtual => Self::Virtual,
            CoreDeliveryMode::HomeVisit => Self::HomeVisit,
            CoreDeliveryMode::MobileOutreach => Self::MobileOutreach,
            _ => Self::InPerson,
        }
    }
}

/// Eligibility of the resident for a matched service.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatchEligibility {
    /// Eligible, unknown (facts missing) or ineligible.
    pub status: EligibilityStatus,
    /// When `Unknown`: the facts the service's rule needs.
    pub missing_facts: Vec<String>,
    /// When `Ineligible`: the failed conditions, in English and French.
    pub failed: Vec<LocalizedText>,
    /// Conditions read from the listing's eligibility text (navigator built with
    /// `EligibilitySettings.infer_from_text`): "to confirm: the listing says '…'".
    pub inferred: Vec<LocalizedText>,
}

/// A plain-language reason for a match's rank.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatchReason {
    /// The factor it explains (`need`, `distance`, `eligibility`, `open`, `language` …).
    pub factor: String,
    /// English.
    pub en: String,
    /// French.
    pub fr: String,
}

/// One factor's part of a match's score (only with `SearchQuery.explain`).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FactorScore {
    /// The factor (`need`, `distance`, `coverage`, `eligibility`, `open` …).
    pub factor: String,
    /// Its value in [0, 1]; `None` when it does not apply to this query.
    pub value: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// Its share of the score; the shares add up to `score`.
    pub contribution: f64,
}

/// One service at one location (or a location-less service) offered for a need.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ServiceMatch {
    /// 1-based rank in the need's full list.
    pub rank: u32,
    /// Service id.
    pub service_id: String,
    /// Service-at-location id; `None` for a service without location (phone line, website).
    pub service_at_location_id: Option<String>,
    /// Location id.
    pub location_id: Option<String>,
    /// Organisation id.
    pub organization_id: String,
    /// Service name (with translations; see `localized`).
    pub service_name: LocalizedText,
    /// Organisation name.
    pub organization_name: LocalizedText,
    /// Distance from the resident in metres, when both points are known.
    pub distance_m: Option<f64>,
    /// How the service is delivered there.
    pub delivery_modes: Vec<DeliveryMode>,
    /// How this resident would receive it, given the query's delivery preference.
    pub via: DeliveryMode,
    /// Eligibility of the resident.
    pub eligibility: MatchEligibility,
    /// Open at the search instant; `None` when its hours are unknown.
    pub open_now: Option<bool>,
    /// When it next opens (Unix seconds), if closed and an opening is scheduled.
    pub next_opening_epoch_seconds: Option<i64>,
    /// The hours in a short phrase ("open until 17:00" / "ouvert jusqu'à 17 h"), when known.
    pub hours: Option<LocalizedText>,
    /// Pinned first: a 24/7 crisis service for a need expressing a crisis.
    pub crisis_line: bool,
    /// Score in [0, 1].
    pub score: f64,
    /// Plain-language reasons, most important first (every factor with `explain`).
    pub reasons: Vec<MatchReason>,
    /// Per-factor breakdown of `score`; empty unless the query set `explain`.
    pub breakdown: Vec<FactorScore>,
    /// What to act on: phones, address, website, e-mail, how to apply, fees, documents.
    pub contact: ContactDetails,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn bilingual(r: &passerelle::matching::Reason) -> LocalizedText {
    LocalizedText::en_fr(r.en.clone(), r.fr.clone())
}

impl ServiceMatch {
    fn from_core(m: CoreMatch, explain: bool) -> Self {
        let (open_now, next) = m.openness.open_now_and_next();
        let next_opening = next.map(|t| t.as_second());
        let breakdown = if explain {
            m.breakdown
                .factors
                .iter()
                .map(|f| FactorScore {
                    factor: f.factor.as_str().to_owned(),
                    value: f.value,
                    weight: f.weight,
                    contribution: f.contribution,
                })
                .collect()
        } else {
            Vec::new()
        };
        Self {
            rank: count(m.rank),
            service_id: m.service_id,
            service_at_location_id: m.service_at_location_id,
            location_id: m.location_id,
            organization_id: m.organization_id,
            service_name: m.service_name.into(),
            organization_name: m.organization_name.into(),
            distance_m: m.distance_m,
            delivery_modes: m
                .delivery_modes
                .into_iter()
                .map(DeliveryMode::from_core)
                .collect(),
            via: DeliveryMode::from_core(m.via),
            eligibility: MatchEligibility {
                status: m.eligibility.status.into(),
                missing_facts: m.eligibility.missing_facts,
                failed: m.eligibility.failed.iter().map(bilingual).collect(),
                inferred: m.eligibility.inferred.iter().map(bilingual).collect(),
            },
            open_now,
            next_opening_epoch_seconds: next_opening,
            hours: m.hours.as_ref().map(bilingual),
            crisis_line: m.crisis_line,
            score: m.score,
            reasons: m
                .reasons
                .into_iter()
                .map(|r| MatchReason {
                    factor: r.factor.as_str().to_owned(),
                    en: r.en,
                    fr: r.fr,
                })
                .collect(),
            breakdown,
            contact: m.contact.into(),
        }
    }
}

/// The ranked results of one need.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NeedMatches {
    /// Position of the need in the query.
    pub need_index: u32,
    /// Taxonomy term codes the need was understood as.
    pub understood_as: Vec<String>,
    /// The crisis this need expresses, if any.
    pub crisis: Option<CrisisKind>,
    /// Results in the full list (before pagination).
    pub total: u32,
    /// The requested page, best first.
    pub matches: Vec<ServiceMatch>,
    /// Why the list is empty (stable snake_case: `need_not_understood`, `all_too_far`,
    /// `all_ineligible` …); `None` when there are results.
    pub no_match: Option<String>,
    /// Why the list is empty, in English and French.
    pub no_match_text: Option<LocalizedText>,
    /// With `no_match` `need_not_understood` only: categories and words of the directory to
    /// rephrase the need with (nearest first; the broadest categories when none is near).
    pub suggestions: Vec<NeedSuggestion>,
}

/// A way to rephrase a need that was not understood: a category of the directory or a word
/// its services use.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NeedSuggestion {
    /// The category's name or the word, as the directory writes it.
    pub text: String,
    /// The category's term code (search it as a need term); `None` for a word.
    pub term: Option<String>,
}

impl NeedMatches {
    fn from_core(n: NeedResults, explain: bool) -> Self {
        Self {
            need_index: count(n.need_index),
            understood_as: n
                .understood_as
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
            crisis: n.crisis.map(CrisisKind::from_core),
            total: count(n.total),
            matches: n
                .matches
                .into_iter()
                .map(|m| ServiceMatch::from_core(m, explain))
                .collect(),
            no_match: n.no_match.map(|r| r.as_str().to_owned()),
            no_match_text: n.no_match_text.as_ref().map(bilingual),
            suggestions: n
                .suggestions
                .into_iter()
                .map(|s| NeedSuggestion {
                    text: s.text,
                    term: s.term.map(|t| t.as_str().to_owned()),
                })
                .collect(),
        }
    }
}

/// A location serving several of the resident's needs at once (a one-stop hub).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct MultiNeedLocation {
    /// Location id.
    pub location_id: String,
    /// Location name.
    pub location_name: LocalizedText,
    /// Distance from the resident in metres.
    pub distance_m: Option<f64>,
    /// Needs served there (query indices), ascending.
    pub needs: Vec<u32>,
    /// For each need in `needs`, the best service there.
    pub service_ids: Vec<String>,
    /// Mean of the best per-need scores there.
    pub score: f64,
}

/// Everything a search returns.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct SearchResult {
    /// One ranked list per need, in query order.
    pub needs: Vec<NeedMatches>,
    /// Locations serving two needs or more, best first (empty for one need).
    pub multi_need: Vec<MultiNeedLocation>,
    /// Set when a need expresses a crisis: show `message` first.
    pub crisis: Option<CrisisNotice>,
    /// Facts to ask next (most results settled first).
    pub next_questions: Vec<Question>,
    /// The instant openness was judged at (Unix seconds).
    pub at_epoch_seconds: i64,
}

impl SearchResult {
    pub(crate) fn from_core(r: SearchResults, explain: bool) -> Self {
        Self {
            needs: r
                .needs
                .into_iter()
                .map(|n| NeedMatches::from_core(n, explain))
                .collect(),
            multi_need: r
                .multi_need
                .into_iter()
                .map(|m| MultiNeedLocation {
                    location_id: m.location_id,
                    location_name: m.location_name.into(),
                    distance_m: m.distance_m,
                    needs: m.needs.into_iter().map(count).collect(),
                    service_ids: m.service_ids,
                    score: m.score,
                })
                .collect(),
            crisis: r.crisis.map(|c| CrisisNotice {
                kind: CrisisKind::from_core(c.kind),
                needs: c.needs.into_iter().map(count).collect(),
                message: bilingual(&c.message),
            }),
            next_questions: r.next_questions.into_iter().map(Question::from).collect(),
            at_epoch_seconds: r.at.as_second(),
        }
    }
}

/// The engine over one HSDS directory: search needs, explain eligibility, ask next questions.
///
/// Thread-safe: share one instance between threads. The directory can be replaced while
/// searches run (`replace_directory_from_path` / `_json`): each call works on the directory
/// that was current when it started, never on half of an update.
#[derive(Debug, uniffi::Object)]
pub struct Navigator {
    /// The current core navigator and its directory's report, swapped together.
    live: LiveNavigator,
    /// The options every directory of this navigator is built with.
    options: NavigatorOptions,
}

/// What a deployer sets on a navigator beyond the directory (core's `NavigatorOptions`).
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct NavigatorSettings {
    /// Service ids to treat as crisis services (they lead when a need expresses a crisis),
    /// beside those recognised from the directory.
    #[uniffi(default = [])]
    pub crisis_services: Vec<String>,
    /// Taxonomy term codes (or term ids) whose services are crisis services; a code also
    /// covers the codes below it.
    #[uniffi(default = [])]
    pub crisis_terms: Vec<String>,
}

impl NavigatorSettings {
    /// Sets these on core options.
    fn apply(self, options: &mut NavigatorOptions) {
        options.crisis_services = self.crisis_services;
        options.crisis_terms = self.crisis_terms;
    }
}

fn build(
    imported: Imported,
    options: &NavigatorOptions,
) -> Result<(CoreNavigator, DirectoryReport), PasserelleError> {
    let (nav, build) = CoreNavigator::build(imported.directory, options.clone())?;
    let report = DirectoryReport {
        import: imported.report,
        build,
    };
    Ok((nav, report))
}

/// Limits for importing a directory (core's `ImportOptions`). Every field has a default;
/// raise them for a province-wide feed (`max_rows`, `max_file_bytes`) or detailed
/// service-area boundaries (`max_extent_vertices` *and* `max_field_bytes`: a GeoJSON vertex
/// takes ~40 bytes).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportLimits {
    /// Longest CSV field, in bytes (default 1 MiB); longer fields are reported
    /// (`field_too_large`) and dropped without being copied.
    #[uniffi(default = 1048576)]
    pub max_field_bytes: u64,
    /// Largest file or JSON text, in bytes (default 512 MiB): a CSV table over it is reported
    /// (`file_too_large`), a JSON input over it is `LimitExceeded`.
    #[uniffi(default = 536870912)]
    pub max_file_bytes: u64,
    /// Most records read per table, and lines per NDJSON file (default 1 000 000); the first
    /// one over is reported (`too_many_rows`).
    #[uniffi(default = 1000000)]
    pub max_rows: u64,
    /// Most vertices in one service-area extent (default 20 000); a larger extent is
    /// reported (`invalid_geometry`) and dropped, its row kept.
    #[uniffi(default = 20000)]
    pub max_extent_vertices: u64,
    /// Most vertices in all the service-area extents of the feed together (default
    /// 2 000 000); an extent that would pass it is reported (`vertex_budget`) and dropped, its
    /// row kept.
    #[uniffi(default = 2000000)]
    pub max_total_extent_vertices: u64,
    /// Memory budget of the whole import (default 1 GiB): estimated bytes of the rows held
    /// across all tables, unknown ones included; past it the rest is not read
    /// (`memory_budget`).
    #[uniffi(default = 1073741824)]
    pub max_import_bytes: u64,
    /// Fewer services than this is fatal (default 1): `from_path` / `from_json` fail with
    /// `DataLoad`, a replacement is refused. 0 accepts an empty directory.
    #[uniffi(default = 1)]
    pub min_services: u64,
    /// A table that lost more than this percentage of its records (at least 10) is fatal
    /// (default 50; 100 disables).
    #[uniffi(default = 50)]
    pub max_lost_percent: u32,
    /// `replace_directory_*` refuses a directory with more than this percentage fewer
    /// services than the live one unless forced (default 50; 100 disables).
    #[uniffi(default = 50)]
    pub max_service_drop_percent: u32,
    /// Read symbolic links of a feed folder that stay inside it (default true); false
    /// refuses every link. Links out of the folder, FIFOs and devices are never read.
    #[uniffi(default = true)]
    pub symlinks_within_folder: bool,
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_field_bytes: 1 << 20,
            max_file_bytes: 512 << 20,
            max_rows: 1_000_000,
            max_extent_vertices: 20_000,
            max_total_extent_vertices: 2_000_000,
            max_import_bytes: 1 << 30,
            min_services: 1,
            max_lost_percent: 50,
            max_service_drop_percent: 50,
            symlinks_within_folder: true,
        }
    }
}

fn share(percent: u32) -> f64 {
    f64::from(percent.min(100)) / 100.0
}

fn import_options(
    limits: &ImportLimits,
    time_zone: Option<String>,
) -> Result<passerelle::ImportOptions, PasserelleError> {
    if let Some(name) = &time_zone {
        passerelle::model::parse_time_zone(name)
            .map_err(|e| PasserelleError::invalid(format!("time_zone: {e}")))?;
    }
    let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    Ok(passerelle::ImportOptions {
        max_field_bytes: size(limits.max_field_bytes),
        max_file_bytes: limits.max_file_bytes,
        max_rows: size(limits.max_rows),
        max_extent_vertices: size(limits.max_extent_vertices),
        max_total_extent_vertices: size(limits.max_total_extent_vertices),
        max_import_bytes: limits.max_import_bytes,
        min_services: size(limits.min_services),
        max_lost_share: share(limits.max_lost_percent),
        symlinks: if limits.symlinks_within_folder {
            passerelle::hsds::Symlinks::WithinFolder
        } else {
            passerelle::hsds::Symlinks::Refuse
        },
        time_zone,
        ..passerelle::ImportOptions::default()
    })
}

fn import_path(
    path: &str,
    limits: &ImportLimits,
    time_zone: Option<String>,
) -> Result<Imported, PasserelleError> {
    Ok(passerelle::import_path(
        path,
        &import_options(limits, time_zone)?,
    )?)
}

fn import_json(
    text: &str,
    limits: &ImportLimits,
    time_zone: Option<String>,
) -> Result<Imported, PasserelleError> {
    Ok(passerelle::import_json(
        text.as_bytes(),
        &import_options(limits, time_zone)?,
    )?)
}

impl Navigator {
    fn new(imported: Imported, options: NavigatorOptions) -> Result<Self, PasserelleError> {
        let (nav, report) = build(imported, &options)?;
        Ok(Self {
            live: LiveNavigator::with_report(nav, report),
            options,
        })
    }

    /// A navigator over an already built core navigator (a snapshot): an empty import report
    /// with the build's problems.
    fn from_built(
        nav: CoreNavigator,
        build: passerelle::BuildReport,
        options: NavigatorOptions,
    ) -> Self {
        let report = DirectoryReport {
            build,
            ..DirectoryReport::default()
        };
        Self {
            live: LiveNavigator::with_report(nav, report),
            options,
        }
    }

    fn replace(
        &self,
        imported: Imported,
        limits: &ImportLimits,
        force: bool,
    ) -> Result<ImportReport, PasserelleError> {
        // Import and build outside the lock: searches and other calls go on meanwhile.
        let imported = if force { imported } else { imported.usable()? };
        let (nav, report) = build(imported, &self.options)?;
        let converted = ImportReport::new(&report.import, &report.build);
        let guard = (!force).then(|| share(limits.max_service_drop_percent));
        self.live.swap(nav, report, guard)?;
        Ok(converted)
    }

    /// The current core navigator (a snapshot kept for the whole call).
    pub(crate) fn snapshot(&self) -> Arc<CoreNavigator> {
        self.live.snapshot()
    }
}

#[cfg(feature = "sample")]
#[uniffi::export]
impl Navigator {
    /// A navigator over the embedded, fictional, bilingual Ottawa sample directory
    /// (~100 services): for demos and tests, never for residents. Not in mobile builds
    /// (feature `sample`).
    #[uniffi::constructor]
    pub fn sample() -> Result<Arc<Self>, PasserelleError> {
        guard("Navigator.sample", || {
            Self::new(
                passerelle::hsds::sample_directory(),
                NavigatorOptions::sample(),
            )
            .map(Arc::new)
        })
    }
}

#[uniffi::export]
impl Navigator {
    /// A navigator over an HSDS 3.1 directory: a folder of CSV files (with or without
    /// `datapackage.json`) or a JSON file.
    ///
    /// Bad rows are left out and reported in `import_report()`. `limits` defaults to
    /// `ImportLimits`' defaults. `time_zone` is the IANA zone of the directory's schedules
    /// (`America/Los_Angeles`), overriding the feed's; without it the feed's zone is used, or
    /// the one its schedule rows name, else UTC with a `no_time_zone` warning in the report.
    /// Errors with `DataLoad` when the path cannot be read or the JSON does not parse,
    /// `LimitExceeded` for a JSON file over `max_file_bytes` (512 MiB) or JSON nested too
    /// deeply, `InvalidInput` for an unknown `time_zone`. `gazetteer` resolves service areas
    /// given by name only (see `Gazetteer`); without it, only the directory's own named
    /// extents do, and other named areas count as unknown coverage.
    ///
    /// `eligibility` declares the fact catalogue and whether conditions are read from the
    /// services' eligibility text (default: the standard catalogue, no inference); a bad
    /// catalogue is `InvalidInput` naming its line and field. `settings` (default none)
    /// marks crisis services.
    #[uniffi::constructor(default(limits = None, time_zone = None, gazetteer = None, eligibility = None, settings = None))]
    pub fn from_path(
        path: String,
        limits: Option<ImportLimits>,
        time_zone: Option<String>,
        gazetteer: Option<Arc<Gazetteer>>,
        eligibility: Option<EligibilitySettings>,
        settings: Option<NavigatorSettings>,
    ) -> Result<Arc<Self>, PasserelleError> {
        guard("Navigator.from_path", || {
            let limits = limits.unwrap_or_default();
            let options = options_of(gazetteer, eligibility, settings)?;
            Self::new(import_path(&path, &limits, time_zone)?.usable()?, options).map(Arc::new)
        })
    }

    /// A navigator over an HSDS 3.1 directory given as JSON text (an object with `services`,
    /// `organizations`, `locations` … arrays, or an array of services with nested records).
    ///
    /// `limits`, `time_zone`, `gazetteer`, `eligibility`, `settings` and errors as
    /// `from_path`.
    #[uniffi::constructor(default(limits = None, time_zone = None, gazetteer = None, eligibility = None, settings = None))]
    pub fn from_json(
        text: String,
        limits: Option<ImportLimits>,
        time_zone: Option<String>,
        gazetteer: Option<Arc<Gazetteer>>,
        eligibility: Option<EligibilitySettings>,
        settings: Option<NavigatorSettings>,
    ) -> Result<Arc<Self>, PasserelleError> {
        guard("Navigator.from_json", || {
            let limits = limits.unwrap_or_default();
            let options = options_of(gazetteer, eligibility, settings)?;
            Self::new(import_json(&text, &limits, time_zone)?.usable()?, options).map(Arc::new)
        })
    }

    /// What loading the current directory found: rows per table and every problem (table,
    /// row or JSON pointer, record id, field, kind, message).
    pub fn import_report(&self) -> ImportReport {
        let report = self.live.report();
        ImportReport::new(&report.import, &report.build)
    }

    /// Name, notice, fictional flag, languages and record counts of the current directory.
    pub fn directory_info(&self) -> DirectoryInfo {
        DirectoryInfo::from(self.snapshot().directory())
    }

    /// Searches the current directory: one ranked list per need, crisis services first when
    /// a need expresses a crisis, and the questions worth asking next.
    ///
    /// Errors with `InvalidInput` (no needs, an empty need, bad coordinates, language or term
    /// code, unknown fact or wrong kind of value) and `LimitExceeded` (`limit` 0, more than
    /// 16 needs, need text over 4 KiB). Deterministic for a fixed `at_epoch_seconds`.
    pub fn search(&self, query: SearchQuery) -> Result<SearchResult, PasserelleError> {
        guard("Navigator.search", || {
            let nav = self.snapshot();
            search_one(&nav, query)
        })
    }

    /// Runs several searches on the same directory snapshot (in parallel threads), results
    /// in query order. Fails on the first invalid query, naming it (`query #3: …`).
    ///
    /// At most 100 000 queries; for large batches from Python, `search_batch_arrow` avoids
    /// converting each record.
    pub fn search_batch(
        &self,
        queries: Vec<SearchQuery>,
    ) -> Result<Vec<SearchResult>, PasserelleError> {
        guard("Navigator.search_batch", || {
            let nav = self.snapshot();
            if queries.len() > MAX_BATCH_QUERIES {
                return Err(passerelle::MatchError::TooManyQueries {
                    count: queries.len(),
                    max: MAX_BATCH_QUERIES,
                }
                .into());
            }
            let explain: Vec<bool> = queries.iter().map(|q| q.explain).collect();
            let core = queries
                .into_iter()
                .enumerate()
                .map(|(i, q)| {
                    q.into_core(&nav)
                        .map_err(|e| e.context(&format!("query #{i}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            nav.search_batch(&core)?
                .into_iter()
                .zip(explain)
                .enumerate()
                .map(|(i, (res, explain))| {
                    res.map(|r| SearchResult::from_core(r, explain))
                        .map_err(|e| PasserelleError::from(e).context(&format!("query #{i}")))
                })
                .collect()
        })
    }

    /// A navigator over a snapshot file written by `save_snapshot`: opens without parsing
    /// or validating the feed again, with the same answers when opened with the same
    /// `gazetteer`, `eligibility` and `settings` as the navigator that wrote it (they are the
    /// caller's, as for `from_path`; the snapshot holds the directory). Its `import_report` is
    /// empty (the feed's problems were reported when it was imported).
    ///
    /// A file that is not a snapshot, comes from another format version or byte order, is
    /// truncated or was altered is `DataLoad`, checked before anything is used.
    #[uniffi::constructor(default(gazetteer = None, eligibility = None, settings = None))]
    pub fn open_snapshot(
        path: String,
        gazetteer: Option<Arc<Gazetteer>>,
        eligibility: Option<EligibilitySettings>,
        settings: Option<NavigatorSettings>,
    ) -> Result<Arc<Self>, PasserelleError> {
        guard("Navigator.open_snapshot", || {
            let options = options_of(gazetteer, eligibility, settings)?;
            let (nav, build) = CoreNavigator::open_snapshot(&path, options.clone())?;
            Ok(Arc::new(Self::from_built(nav, build, options)))
        })
    }

    /// A navigator over snapshot bytes made by `snapshot_bytes` (e.g. shipped inside an
    /// app); see `open_snapshot`.
    #[uniffi::constructor(default(gazetteer = None, eligibility = None, settings = None))]
    pub fn from_snapshot_bytes(
        bytes: Vec<u8>,
        gazetteer: Option<Arc<Gazetteer>>,
        eligibility: Option<EligibilitySettings>,
        settings: Option<NavigatorSettings>,
    ) -> Result<Arc<Self>, PasserelleError> {
        guard("Navigator.from_snapshot_bytes", || {
            let options = options_of(gazetteer, eligibility, settings)?;
            let (nav, build) = CoreNavigator::from_snapshot(&bytes, options.clone())?;
            Ok(Arc::new(Self::from_built(nav, build, options)))
        })
    }

    /// Writes the current directory as a snapshot file (versioned, checksummed), replaced
    /// atomically; open it with `open_snapshot`.
    pub fn save_snapshot(&self, path: String) -> Result<(), PasserelleError> {
        guard("Navigator.save_snapshot", || {
            Ok(self.snapshot().save_snapshot(&path)?)
        })
    }

    /// The current directory as snapshot bytes; open them with `from_snapshot_bytes`.
    pub fn snapshot_bytes(&self) -> Result<Vec<u8>, PasserelleError> {
        guard("Navigator.snapshot_bytes", || {
            Ok(self.snapshot().to_snapshot()?)
        })
    }

    /// The explained eligibility of a resident (`facts`) for one service: status, failed
    /// conditions and open conditions in English and French, missing facts.
    ///
    /// A service without eligibility rule is `Eligible`. Errors with `InvalidInput` for an
    /// unknown service id, an unknown fact name or a value of the wrong kind.
    pub fn evaluate_eligibility(
        &self,
        service_id: String,
        facts: HashMap<String, FactValue>,
    ) -> Result<EligibilityOutcome, PasserelleError> {
        guard("Navigator.evaluate_eligibility", || {
            let nav = self.snapshot();
            let profile = profile_from(nav.catalog(), facts)?;
            Ok(nav.eligibility(&service_id, &profile)?.into())
        })
    }

    /// The facts worth asking the resident next: those that would settle eligibility for the
    /// most services, less sensitive questions first on ties.
    ///
    /// `service_ids` limits it to these services (e.g. the results shown); `None` considers
    /// every service of the directory. Errors with `InvalidInput` for an unknown service id or
    /// fact.
    #[uniffi::method(default(service_ids = None))]
    pub fn next_questions(
        &self,
        facts: HashMap<String, FactValue>,
        service_ids: Option<Vec<String>>,
    ) -> Result<Vec<Question>, PasserelleError> {
        guard("Navigator.next_questions", || {
            let nav = self.snapshot();
            let profile = profile_from(nav.catalog(), facts)?;
            Ok(nav
                .next_questions_for(&profile, service_ids.as_deref())?
                .into_iter()
                .map(Question::from)
                .collect())
        })
    }

    /// Replaces the directory with the one at `path` (as `from_path`) while the navigator is
    /// in use: searches already running finish on the old directory, later ones see the new
    /// one. Returns the new directory's import report.
    ///
    /// On error (`DataLoad`, `LimitExceeded`) the current directory stays in place. Unless
    /// `force` is true, a directory whose import is fatal (no services, most of a table lost)
    /// or that has more than `max_service_drop_percent` fewer services than the current one
    /// is refused with `DataLoad`.
    #[uniffi::method(default(limits = None, time_zone = None, force = false))]
    pub fn replace_directory_from_path(
        &self,
        path: String,
        limits: Option<ImportLimits>,
        time_zone: Option<String>,
        force: bool,
    ) -> Result<ImportReport, PasserelleError> {
        guard("Navigator.replace_directory_from_path", || {
            let limits = limits.unwrap_or_default();
            self.replace(import_path(&path, &limits, time_zone)?, &limits, force)
        })
    }

    /// Replaces the directory with one given as JSON text (as `from_json`); see
    /// `replace_directory_from_path`.
    #[uniffi::method(default(limits = None, time_zone = None, force = false))]
    pub fn replace_directory_from_json(
        &self,
        text: String,
        limits: Option<ImportLimits>,
        time_zone: Option<String>,
        force: bool,
    ) -> Result<ImportReport, PasserelleError> {
        guard("Navigator.replace_directory_from_json", || {
            let limits = limits.unwrap_or_default();
            self.replace(import_json(&text, &limits, time_zone)?, &limits, force)
        })
    }
}

/// The core options of a navigator built with these constructor arguments.
fn options_of(
    gazetteer: Option<Arc<Gazetteer>>,
    eligibility: Option<EligibilitySettings>,
    settings: Option<NavigatorSettings>,
) -> Result<NavigatorOptions, PasserelleError> {
    let mut options = navigator_options(eligibility.as_ref())?;
    options.named_areas = areas_of(gazetteer);
    settings.unwrap_or_default().apply(&mut options);
    Ok(options)
}

fn areas_of(gazetteer: Option<Arc<Gazetteer>>) -> NamedAreas {
    gazetteer.map(|g| g.areas.clone()).unwrap_or_default()
}

pub(crate) fn search_one(
    nav: &CoreNavigator,
    query: SearchQuery,
) -> Result<SearchResult, PasserelleError> {
    let explain = query.explain;
    let q = query.into_core(nav)?;
    Ok(SearchResult::from_core(nav.search(&q)?, explain))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn query(text: &str) -> SearchQuery {
        SearchQuery {
            needs: vec![NeedInput {
                text: Some(text.into()),
                terms: vec![],
            }],
            lat: Some(45.4292),
            lon: Some(-75.6920),
            max_distance_km: None,
            delivery: None,
            travel: None,
            facts: HashMap::new(),
            languages: vec![],
            require_language: false,
            accessibility: vec![],
            require_accessibility: false,
            free_only: false,
            open_now: false,
            at_epoch_seconds: Some(1_760_968_800), // Monday 2025-10-20 10:00 Ottawa
            populations: vec![],
            include_ineligible: false,
            limit: 5,
            offset: 0,
            explain: false,
        }
    }

    #[test]
    fn sample_search_fr_and_crisis() {
        let nav = Navigator::sample().unwrap();
        let res = nav.search(query("banque alimentaire")).unwrap();
        assert!(!res.needs[0].matches.is_empty());
        assert!(res.needs[0].matches[0].breakdown.is_empty());
        let res = nav.search(query("pensées suicidaires")).unwrap();
        assert_eq!(res.crisis.unwrap().kind, CrisisKind::SuicideOrSelfHarm);
        assert_eq!(res.needs[0].matches[0].service_id, "svc-distress-line");
    }

    #[test]
    fn errors_are_typed() {
        let nav = Navigator::sample().unwrap();
        let mut q = query("food");
        q.limit = 0;
        assert!(matches!(
            nav.search(q),
            Err(PasserelleError::LimitExceeded { .. })
        ));
        let mut q = query("food");
        q.lon = None;
        assert!(matches!(
            nav.search(q),
            Err(PasserelleError::InvalidInput { .. })
        ));
        assert!(matches!(
            Navigator::from_path("/nonexistent/dir.json".into(), None, None, None, None, None),
            Err(PasserelleError::DataLoad { .. })
        ));
    }

    #[test]
    fn eligibility_and_questions() {
        let nav = Navigator::sample().unwrap();
        let out = nav
            .evaluate_eligibility("svc-rideau-meal-delivery".into(), HashMap::new())
            .unwrap();
        assert_eq!(out.status, EligibilityStatus::Unknown);
        assert!(out.missing_facts.contains(&"age".to_owned()));
        let qs = nav
            .next_questions(
                HashMap::new(),
                Some(vec!["svc-rideau-meal-delivery".into()]),
            )
            .unwrap();
        assert_eq!(qs[0].fact, "age");
        assert!(nav
            .evaluate_eligibility("nope".into(), HashMap::new())
            .is_err());
    }

    #[test]
    fn batch_keeps_order_and_names_bad_query() {
        let nav = Navigator::sample().unwrap();
        let qs: Vec<_> = (0..100)
            .map(|i| query(if i % 2 == 0 { "food bank" } else { "rent help" }))
            .collect();
        let out = nav.search_batch(qs.clone()).unwrap();
        for (q, r) in qs.into_iter().zip(&out) {
            assert_eq!(&nav.search(q).unwrap(), r);
        }
        let mut bad = vec![query("food"); 5];
        bad[3].limit = 0;
        let err = nav.search_batch(bad).unwrap_err();
        assert!(err.to_string().contains("query #3"), "{err}");
    }
}
