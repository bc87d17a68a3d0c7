//! The navigator: built once from a directory, then searched many times.
//!
//! # Layout
//! Build turns the directory into compact, struct-of-arrays tables:
//! * services: term range, status, cost, freshness, capacity, target populations;
//! * service-at-location rows (SALs) sorted by service, so each service owns a contiguous
//!   range: point, delivery modes, languages, accessibility, service-area group;
//! * postings: term → services filed under it.
//!
//! A search resolves each need to terms, takes the services from the postings (need first),
//! then walks their SALs, filtering and scoring with no allocation per candidate; only the
//! requested page is turned into [`Match`]es with names and reasons.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

use crate::model::{
    directory_time_zone, DeliveryMode, Directory, DirectoryIndex, GeoPoint, OpeningHours, Openness,
    Schedule, ServiceStatus, TermCode, Text,
};
use crate::rules::{
    rank_questions, CompiledRule, FactCatalog, Outcome, Profile, Rule, Tables, Verdict,
};
use crate::spatial::{AreaGroup, HaversineFrom, NamedAreas};
use crate::text::Lexicon;

use super::contact::ContactIndex;
use super::explain;
use super::needs::{NeedResolver, ResolvedNeed, CRISIS_TERMS};
use super::query::{DeliveryPreference, OpenRequirement, Query};
use super::result::{
    CrisisNotice, EligibilityInfo, EligibilityStatus, FilterCounts, Match, MultiNeedLocation,
    NeedMatchKind, NeedResults, NextQuestion, NoMatchReason, Reason, SearchResults,
};
use super::retrieval::{self, crisis_bits};
use super::score::{combine, proximity, Factor, FactorValues, ScoreBreakdown, Weights};

const NONE: u32 = u32::MAX;

/// Up to this many distinct schedules, a search remembers each one's openness.
const OPEN_MEMO_MAX: usize = 4096;

/// What `OpeningHours::compile` reads of one schedule row (everything but ids, owners and
/// descriptions): rows with equal keys compile to equal hours.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ScheduleKey<'a> {
    valid_from: Option<jiff::civil::Date>,
    valid_to: Option<jiff::civil::Date>,
    dtstart: Option<jiff::civil::Date>,
    /// `f64::to_bits` of the offset.
    timezone: Option<u64>,
    timezone_name: Option<&'a str>,
    until: Option<jiff::civil::Date>,
    count: Option<u32>,
    freq: Option<crate::model::Freq>,
    interval: Option<u32>,
    byday: &'a [crate::model::ByDay],
    bymonthday: &'a [i8],
    opens_at: Option<jiff::civil::Time>,
    closes_at: Option<jiff::civil::Time>,
    extra: &'a crate::model::Extra,
}

/// The key of a group of schedule rows, row by row.
fn hours_key<'a>(rows: &[&'a Schedule]) -> Vec<ScheduleKey<'a>> {
    rows.iter()
        .map(|r| ScheduleKey {
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            dtstart: r.dtstart,
            timezone: r.timezone.map(f64::to_bits),
            timezone_name: r.timezone_name.as_deref(),
            until: r.until,
            count: r.count,
            freq: r.freq,
            interval: r.interval,
            byday: &r.byday,
            bymonthday: &r.bymonthday,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            extra: &r.extra,
        })
        .collect()
}

/// Delivery-mode bits of a SAL.
mod modes {
    pub const IN_PERSON: u8 = 1;
    pub const PHONE: u8 = 2;
    pub const VIRTUAL: u8 = 4;
    pub const HOME: u8 = 8;
    pub const MOBILE: u8 = 16;
    pub const REMOTE: u8 = PHONE | VIRTUAL;
    pub const VISIT: u8 = IN_PERSON | MOBILE;
}

fn mode_bit(m: DeliveryMode) -> u8 {
    match m {
        DeliveryMode::InPerson => modes::IN_PERSON,
        DeliveryMode::Phone => modes::PHONE,
        DeliveryMode::Virtual => modes::VIRTUAL,
        DeliveryMode::HomeVisit => modes::HOME,
        DeliveryMode::MobileOutreach => modes::MOBILE,
        #[allow(unreachable_patterns)]
        _ => 0,
    }
}

fn modes_of(bits: u8) -> Vec<DeliveryMode> {
    [
        (modes::IN_PERSON, DeliveryMode::InPerson),
        (modes::PHONE, DeliveryMode::Phone),
        (modes::VIRTUAL, DeliveryMode::Virtual),
        (modes::HOME, DeliveryMode::HomeVisit),
        (modes::MOBILE, DeliveryMode::MobileOutreach),
    ]
    .into_iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, m)| m)
    .collect()
}

/// Cost class of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cost {
    Free,
    Unknown,
    Paid,
}

/// Options of a [`Navigator`].
#[derive(Debug, Clone)]
pub struct NavigatorOptions {
    /// Scoring weights (see [`Weights`]).
    pub weights: Weights,
    /// Facts eligibility rules may use (default: the standard catalogue, conventions §4).
    pub catalog: FactCatalog,
    /// Extra lookup tables for `threshold(..)`, merged with the directory's
    /// `eligibility_tables`.
    pub tables: Tables,
    /// Need phrases → taxonomy codes (default: the standard bilingual lexicon). The
    /// directory's own term names are added.
    pub lexicon: Lexicon,
    /// Place names for service areas given by name only: a gazetteer the deployer supplies
    /// (see [`NamedAreas::from_path`]); default empty. The directory's own named service-area
    /// extents are added at build for names it does not know.
    pub named_areas: NamedAreas,
    /// Read conditions from each service's `eligibility_description` (age, gender, residency,
    /// income, insurance, veteran, pregnancy, homelessness; see
    /// [`infer_conditions`](crate::infer_conditions)) and add them to its rule, marked
    /// "to confirm" in explanations. A service's `eligibility_rule` wins (nothing is inferred
    /// for it), and its `minimum_age`/`maximum_age` win over an inferred age. Default: off.
    pub infer_eligibility: bool,
    /// Service ids the deployer marks as crisis services (they lead when a need expresses a
    /// crisis), beside those recognised from the directory (see the README, "Crisis safety").
    pub crisis_services: Vec<String>,
    /// Taxonomy term codes (or term ids) whose services the deployer marks as crisis
    /// services; a code also covers the codes below it (`a` covers `a.b`).
    pub crisis_terms: Vec<String>,
}

impl Default for NavigatorOptions {
    fn default() -> Self {
        Self {
            weights: Weights::default(),
            catalog: FactCatalog::standard(),
            tables: Tables::new(),
            lexicon: Lexicon::standard(),
            named_areas: NamedAreas::new(),
            infer_eligibility: false,
            crisis_services: Vec::new(),
            crisis_terms: Vec::new(),
        }
    }
}

impl NavigatorOptions {
    /// The defaults with the fictional Ottawa sample gazetteer ([`NamedAreas::ottawa_sample`]),
    /// for the fictional sample directory ([`Directory::sample`]) only.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// assert!(nav.named_areas().get("Vanier").is_some());
    /// ```
    pub fn sample() -> Self {
        Self {
            named_areas: NamedAreas::ottawa_sample(),
            ..Self::default()
        }
    }
}

/// Something in the directory the navigator could not use; the rest still works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildProblem {
    /// The record concerned (service, service-at-location … id).
    pub record_id: String,
    /// What is wrong.
    pub message: String,
}

/// What building a [`Navigator`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Services indexed.
    pub services: usize,
    /// Service-at-location rows indexed (including one per location-less service).
    pub service_at_locations: usize,
    /// Taxonomy term codes known.
    pub terms: usize,
    /// Problems (unknown references, rule errors …).
    pub problems: Vec<BuildProblem>,
}

/// Per-service columns.
#[derive(Debug, Default)]
struct Services {
    /// Organisation (index into `Directory::organizations`), `NONE` when unknown.
    org: Vec<u32>,
    /// SAL range `[start, end)`.
    sal_start: Vec<u32>,
    sal_end: Vec<u32>,
    active: Vec<bool>,
    cost: Vec<Cost>,
    /// Days since 1970-01-01 of `assured_date`; `i32::MIN` when unknown.
    assured_day: Vec<i32>,
    /// available / maximum in `[0, 1]`; NaN when unknown.
    capacity: Vec<f32>,
    /// Target-population bits (over `Navigator::populations`).
    populations: Vec<u64>,
    /// Crisis bits (`retrieval::crisis_bits`): from the directory's words, codes and hours,
    /// and the deployer's lists.
    crisis: Vec<u8>,
    /// Effective eligibility rule (index into `Navigator::rules`), `NONE` when none.
    rule: Vec<u32>,
    /// Service-area group (index into `Navigator::areas`), `NONE` when none.
    area: Vec<u32>,
}

/// Per-SAL columns (sorted by service).
#[derive(Debug, Default)]
struct Sals {
    service: Vec<u32>,
    /// Index in `Directory::service_at_locations`, `NONE` for a location-less service.
    record: Vec<u32>,
    location: Vec<u32>,
    point: Vec<Option<GeoPoint>>,
    /// `cos` of the point's latitude in radians (for [`HaversineFrom`]); 0 without a point.
    cos_lat: Vec<f64>,
    modes: Vec<u8>,
    /// Opening hours (index into `Navigator::hours`), `NONE` when unknown.
    hours: Vec<u32>,
    /// Open 24/7.
    always_open: Vec<bool>,
    /// Language bits (over `Navigator::languages`); bit 63 = some other language.
    langs: Vec<u64>,
    /// Accessibility bits (over `Navigator::access_codes`).
    access: Vec<u32>,
    /// SAL-level service area overriding the service's, `NONE` when none.
    area: Vec<u32>,
    /// A site only (a point, no remote delivery, no service area a search can test): beyond
    /// the radius it is dropped as too far (or not deliverable) whatever else is true of it.
    site_only: Vec<bool>,
}

/// The matching engine over one directory: immutable, `Send + Sync`; a directory update
/// builds a new one (share it behind an `Arc`).
///
/// # Examples
/// ```
/// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
/// let (nav, report) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
/// assert_eq!(report.services, 0);
/// let res = nav.search(&Query::new([Need::text("food bank")])).unwrap();
/// assert!(res.is_empty());
/// ```
#[derive(Debug)]
pub struct Navigator {
    dir: Arc<Directory>,
    weights: Weights,
    weight_array: [f64; Factor::COUNT],
    /// Directory term codes (unique), by term index.
    codes: Vec<TermCode>,
    /// term index → services filed under it (ascending).
    postings: Vec<Vec<u32>>,
    resolver: NeedResolver,
    svc: Services,
    sal: Sals,
    areas: Vec<AreaGroup>,
    /// Per area group: coverage is unknown whatever the point (`AreaGroup::is_unknown_with`
    /// the navigator's gazetteer), so a search does not test it.
    area_unknown: Vec<bool>,
    languages: Vec<String>,
    access_codes: Vec<String>,
    populations: Vec<String>,
    tz: jiff::tz::TimeZone,
    rules: Vec<CompiledRule>,
    hours: Vec<OpeningHours>,
    catalog: FactCatalog,
    empty_profile: Profile,
    named_areas: NamedAreas,
    contacts: ContactIndex,
}

// The navigator is shared across threads behind an `Arc`.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Navigator>();
};

/// One scored candidate (hot path: plain data, no heap).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    sal: u32,
    need_kind: NeedMatchKind,
    distance_m: f64,
    values: FactorValues,
    score: f64,
    pinned: bool,
    eligibility: EligibilityStatus,
    via: DeliveryMode,
    openness: Openness,
}

impl Navigator {
    /// Builds the navigator. Problems with single records (unknown references …) go into
    /// the report; only invalid options fail.
    pub fn build(
        directory: impl Into<Arc<Directory>>,
        options: NavigatorOptions,
    ) -> Result<(Self, BuildReport), crate::Error> {
        options.weights.validate()?;
        let dir: Arc<Directory> = directory.into();
        let mut report = BuildReport::default();
        let index = DirectoryIndex::new(&dir);
        let tz = directory_time_zone(&dir.meta).unwrap_or_else(|e| {
            report.problems.push(BuildProblem {
                record_id: "passerelle.timezone".into(),
                message: e.to_string(),
            });
            jiff::tz::TimeZone::UTC
        });
        let mut tables = options.tables.clone();
        for (name, rows) in &dir.eligibility_tables {
            for &(key, value) in rows {
                if let Err(e) = tables.insert(name, key, value) {
                    report.problems.push(BuildProblem {
                        record_id: format!("eligibility_tables/{name}"),
                        message: e.to_string(),
                    });
                }
            }
        }
        let mut rules: Vec<CompiledRule> = Vec::new();
        let mut hours: Vec<OpeningHours> = Vec::new();
        // Schedules by owner, for the precedence of `schedules_for` in O(1) per SAL: each
        // owner's rows form one group (index into `groups`).
        let mut groups: Vec<Vec<&Schedule>> = Vec::new();
        let mut sched_by_sal: HashMap<&str, usize> = HashMap::new();
        let mut sched_by_pair: HashMap<(&str, &str), usize> = HashMap::new();
        let mut sched_by_service: HashMap<&str, usize> = HashMap::new();
        let mut sched_by_location: HashMap<&str, usize> = HashMap::new();
        for row in &dir.schedules {
            let group = match (
                row.service_at_location_id.as_deref(),
                row.service_id.as_deref(),
                row.location_id.as_deref(),
            ) {
                (Some(sal_id), _, _) => sched_by_sal.entry(sal_id),
                (None, Some(s), Some(l)) => {
                    let g = *sched_by_pair.entry((s, l)).or_insert(groups.len());
                    if g == groups.len() {
                        groups.push(Vec::new());
                    }
                    if let Some(rows) = groups.get_mut(g) {
                        rows.push(row);
                    }
                    continue;
                }
                (None, Some(s), None) => sched_by_service.entry(s),
                (None, None, Some(l)) => sched_by_location.entry(l),
                (None, None, None) => continue,
            };
            let g = *group.or_insert(groups.len());
            if g == groups.len() {
                groups.push(Vec::new());
            }
            if let Some(rows) = groups.get_mut(g) {
                rows.push(row);
            }
        }
        // Identical schedules (most directories repeat "Mon–Fri 9–5") compile once and share
        // one entry, so a search can check each distinct schedule once (`candidates`). A
        // group's hours are remembered too (SALs of one service share its group), except
        // failures, reported once per SAL as before.
        let mut hours_seen: HashMap<Vec<ScheduleKey<'_>>, (u32, bool)> = HashMap::new();
        let mut group_hours: Vec<Option<(u32, bool)>> = vec![None; groups.len()];
        let mut compile_hours = |group: Option<usize>, owner: &str, report: &mut BuildReport| {
            let Some((g, rows)) = group.and_then(|g| Some((g, groups.get(g)?))) else {
                return (NONE, false);
            };
            if rows.is_empty() {
                return (NONE, false);
            }
            if let Some(Some(known)) = group_hours.get(g) {
                return *known;
            }
            let key = hours_key(rows);
            let entry = if let Some(&known) = hours_seen.get(&key) {
                known
            } else {
                match OpeningHours::compile(rows.iter().copied(), &tz) {
                    Ok(h) if h.is_unknown() => {
                        hours_seen.insert(key, (NONE, false));
                        (NONE, false)
                    }
                    Ok(h) => {
                        let always = h.is_always_open();
                        hours.push(h);
                        let entry = (len_u32(hours.len() - 1), always);
                        hours_seen.insert(key, entry);
                        entry
                    }
                    Err(e) => {
                        report.problems.push(BuildProblem {
                            record_id: owner.to_owned(),
                            message: e.to_string(),
                        });
                        return (NONE, false);
                    }
                }
            };
            if let Some(slot) = group_hours.get_mut(g) {
                *slot = Some(entry);
            }
            entry
        };

        // Terms.
        let mut codes: Vec<TermCode> = Vec::new();
        let mut code_pos: HashMap<&str, u32> = HashMap::new();
        let mut term_names: Vec<&Text> = Vec::new();
        for t in &dir.taxonomy_terms {
            if let Some(code) = &t.code {
                if is_need_code(code) && !code_pos.contains_key(code.as_str()) {
                    code_pos.insert(code.as_str(), len_u32(codes.len()));
                    codes.push(code.clone());
                    term_names.push(&t.name);
                }
            }
        }
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); codes.len()];

        // Populations, languages, accessibility codes: small dictionaries.
        let mut populations: Vec<String> = Vec::new();
        let mut languages: Vec<String> = Vec::new();
        let mut access_codes: Vec<String> = Vec::new();

        let mut svc = Services::default();
        let mut sal = Sals::default();
        let mut areas: Vec<AreaGroup> = Vec::new();

        // Areas by owner.
        let mut areas_by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut areas_by_sal: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, a) in dir.service_areas.iter().enumerate() {
            if let Some(s) = &a.service_at_location_id {
                areas_by_sal.entry(s.as_str()).or_default().push(i);
            } else if let Some(s) = &a.service_id {
                areas_by_service.entry(s.as_str()).or_default().push(i);
            }
        }
        let mut make_area = |list: &[usize]| -> u32 {
            areas.push(AreaGroup::from_areas(
                list.iter().filter_map(|&i| dir.service_areas.get(i)),
            ));
            len_u32(areas.len() - 1)
        };

        // Languages and accessibility by owner.
        let mut langs_by_owner: HashMap<&str, u64> = HashMap::new();
        for l in &dir.languages {
            let Some(code) = &l.code else { continue };
            let bit = dict_bit(&mut languages, code.primary(), 63);
            for owner in [&l.service_id, &l.location_id].into_iter().flatten() {
                *langs_by_owner.entry(owner.as_str()).or_default() |= bit;
            }
        }
        let mut access_by_location: HashMap<&str, u32> = HashMap::new();
        for a in &dir.accessibility {
            let Some(loc) = &a.location_id else { continue };
            let mut bits = super::access::ACCESS_KNOWN;
            for code in super::access::record_codes(a) {
                bits |= dict_bit(&mut access_codes, &code, 31) as u32;
            }
            *access_by_location.entry(loc.as_str()).or_default() |= bits;
        }

        // Capacity (HSDS 3.1 `service_capacity`, kept in other_tables).
        let mut capacity: HashMap<String, f32> = HashMap::new();
        if let Some(rows) = dir.other_tables.get("service_capacity") {
            for row in rows {
                let sid = row.get("service_id").and_then(json_str);
                let avail = row.get("available").and_then(json_num);
                let max = row.get("maximum").and_then(json_num);
                if let (Some(sid), Some(avail)) = (sid, avail) {
                    let v = match max {
                        Some(m) if m > 0.0 => (avail / m).clamp(0.0, 1.0),
                        _ if avail <= 0.0 => 0.0,
                        _ => 1.0,
                    };
                    capacity.insert(sid, v as f32);
                }
            }
        }

        // Costs.
        let mut cost_by_service: HashMap<&str, Cost> = HashMap::new();
        for c in &dir.cost_options {
            let this = match c.amount {
                Some(a) if a <= 0.0 => Cost::Free,
                Some(_) => Cost::Paid,
                None => Cost::Unknown,
            };
            let e = cost_by_service
                .entry(c.service_id.as_str())
                .or_insert(Cost::Unknown);
            *e = match (*e, this) {
                (Cost::Free, _) | (_, Cost::Free) => Cost::Free,
                (Cost::Paid, _) | (_, Cost::Paid) => Cost::Paid,
                _ => Cost::Unknown,
            };
        }

        // SALs grouped by service.
        let mut sals_by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in dir.service_at_locations.iter().enumerate() {
            if index.service(&s.service_id).is_none() {
                report.problems.push(BuildProblem {
                    record_id: s.id.clone(),
                    message: "service_at_location refers to an unknown service".into(),
                });
                continue;
            }
            if index.location(&s.location_id).is_none() {
                report.problems.push(BuildProblem {
                    record_id: s.id.clone(),
                    message: "service_at_location refers to an unknown location".into(),
                });
                continue;
            }
            sals_by_service
                .entry(s.service_id.as_str())
                .or_default()
                .push(i);
        }
        let location_pos: HashMap<&str, usize> = dir
            .locations
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.as_str(), i))
            .rev()
            .collect();

        let crisis_flags = retrieval::crisis_flags(
            &dir,
            &index,
            &options.crisis_services,
            &options.crisis_terms,
        );
        let crisis_codes: Vec<TermCode> = CRISIS_TERMS
            .iter()
            .filter_map(|c| TermCode::new(c).ok())
            .collect();
        let mut seen_services: HashMap<&str, ()> = HashMap::new();
        let mut rule_seen: HashMap<RuleKey<'_>, (u32, Option<String>)> = HashMap::new();
        for s in &dir.services {
            if seen_services.insert(s.id.as_str(), ()).is_some() {
                report.problems.push(BuildProblem {
                    record_id: s.id.clone(),
                    message: "duplicate service id; the first record is used".into(),
                });
                continue;
            }
            let si = len_u32(svc.active.len());
            // Terms.
            let mut is_crisis = false;
            for code in service_terms(&index, &s.id) {
                if let Some(&t) = code_pos.get(code.as_str()) {
                    if let Some(p) = postings.get_mut(t as usize) {
                        if p.last() != Some(&si) {
                            p.push(si);
                        }
                    }
                }
                is_crisis |= crisis_codes.iter().any(|c| code.is_within(c));
            }
            let mut pop_bits = 0u64;
            for code in index.term_codes_of(&s.id, "target_population") {
                let name = code
                    .as_str()
                    .strip_prefix("population.")
                    .unwrap_or(code.as_str());
                pop_bits |= dict_bit(&mut populations, name, 64);
            }
            // Read back as `dir.services[si]` like every other per-match field (`to_match`).
            svc.org.push(
                dir.services
                    .get(si as usize)
                    .and_then(|r| index.organization_position(&r.organization_id))
                    .map_or(NONE, len_u32),
            );
            svc.active.push(s.status == ServiceStatus::Active);
            svc.cost.push(
                cost_by_service
                    .get(s.id.as_str())
                    .copied()
                    .unwrap_or_else(|| cost_from_text(&s.fees_description)),
            );
            svc.assured_day.push(
                s.assured_date
                    .and_then(|d| d.since(jiff::civil::date(1970, 1, 1)).ok())
                    .map_or(i32::MIN, |span| span.get_days()),
            );
            svc.capacity
                .push(capacity.get(&s.id).copied().unwrap_or(f32::NAN));
            svc.populations.push(pop_bits);
            // Crisis terms of the project (`is_crisis`) are among the codes `crisis_flags` reads.
            let flags = crisis_flags.get(si as usize).copied().unwrap_or(0)
                | if is_crisis && crisis_flags.get(si as usize).is_none() {
                    crisis_bits::ANY
                } else {
                    0
                };
            svc.crisis.push(flags);
            // Hotlines, helplines and crisis services with a phone number are delivered by
            // phone, even when the record also has a street address.
            let phone_line = flags & crisis_bits::PHONE_LINE != 0
                || flags & crisis_bits::ANY != 0 && index.phones_of(&s.id).next().is_some();
            // Many services share a rule (same ages, populations and rule text): each
            // distinct rule compiles once and the services share its entry.
            let key = RuleKey::of(&index, s, options.infer_eligibility);
            let (rule, problem) = match rule_seen.get(&key) {
                Some(known) => known.clone(),
                None => {
                    let (compiled, problem) = key.compile(&options.catalog, &tables);
                    let rule = match compiled {
                        Some(rule) => {
                            rules.push(rule);
                            len_u32(rules.len() - 1)
                        }
                        None => NONE,
                    };
                    rule_seen.insert(key, (rule, problem.clone()));
                    (rule, problem)
                }
            };
            if let Some(message) = problem {
                report.problems.push(BuildProblem {
                    record_id: s.id.clone(),
                    message,
                });
            }
            svc.rule.push(rule);
            svc.area.push(match areas_by_service.get(s.id.as_str()) {
                Some(list) => make_area(list),
                None => NONE,
            });
            let svc_langs = langs_by_owner.get(s.id.as_str()).copied().unwrap_or(0);
            svc.sal_start.push(len_u32(sal.service.len()));
            let records = sals_by_service.get(s.id.as_str());
            match records {
                Some(list) => {
                    for &ri in list {
                        let Some(r) = dir.service_at_locations.get(ri) else {
                            continue;
                        };
                        let li = location_pos.get(r.location_id.as_str()).copied();
                        let loc = li.and_then(|i| dir.locations.get(i));
                        let point = loc.and_then(|l| l.point);
                        // Groups are never empty: the first owner with rows wins.
                        let group = [
                            sched_by_sal.get(r.id.as_str()),
                            sched_by_pair.get(&(r.service_id.as_str(), r.location_id.as_str())),
                            sched_by_service.get(r.service_id.as_str()),
                            sched_by_location.get(r.location_id.as_str()),
                        ]
                        .into_iter()
                        .flatten()
                        .next()
                        .copied();
                        let (h, always) = compile_hours(group, &r.id, &mut report);
                        let mut bits = 0u8;
                        index.for_each_delivery_mode(r, |m| bits |= mode_bit(m));
                        if phone_line {
                            bits |= modes::PHONE;
                        }
                        let loc_langs = langs_by_owner
                            .get(r.location_id.as_str())
                            .copied()
                            .unwrap_or(0);
                        sal.service.push(si);
                        sal.record.push(len_u32(ri));
                        sal.location.push(li.map_or(NONE, len_u32));
                        sal.point.push(point);
                        sal.cos_lat
                            .push(point.map_or(0.0, |p| p.lat().to_radians().cos()));
                        sal.modes.push(bits);
                        sal.hours.push(h);
                        sal.always_open.push(always);
                        sal.langs.push(svc_langs | loc_langs);
                        sal.access.push(
                            access_by_location
                                .get(r.location_id.as_str())
                                .copied()
                                .unwrap_or(0),
                        );
                        sal.area.push(match areas_by_sal.get(r.id.as_str()) {
                            Some(list) => make_area(list),
                            None => NONE,
                        });
                    }
                }
                None => {
                    // A service with no location: reachable by phone / online only.
                    let mut bits = 0u8;
                    if index.phones_of(&s.id).any(|p| {
                        matches!(
                            p.phone_type.as_deref(),
                            None | Some("voice" | "cell" | "textphone")
                        )
                    }) {
                        bits |= modes::PHONE;
                    }
                    if s.url.is_some() {
                        bits |= modes::VIRTUAL;
                    }
                    if phone_line {
                        bits |= modes::PHONE;
                    }
                    for code in index.term_codes_of(&s.id, "delivery_method") {
                        if let Some(m) = DeliveryMode::from_term_code(code.as_str()) {
                            bits |= mode_bit(m);
                        }
                    }
                    sal.service.push(si);
                    sal.record.push(NONE);
                    sal.location.push(NONE);
                    let group = sched_by_service.get(s.id.as_str()).copied();
                    let (h, always) = compile_hours(group, &s.id, &mut report);
                    sal.point.push(None);
                    sal.cos_lat.push(0.0);
                    sal.modes.push(bits);
                    sal.hours.push(h);
                    sal.always_open.push(always);
                    sal.langs.push(svc_langs);
                    sal.access.push(0);
                    sal.area.push(NONE);
                }
            }
            svc.sal_end.push(len_u32(sal.service.len()));
        }

        // A line open around the clock is a crisis line.
        for (si, flags) in svc.crisis.iter_mut().enumerate() {
            let (Some(&a), Some(&b)) = (svc.sal_start.get(si), svc.sal_end.get(si)) else {
                continue;
            };
            let always = sal
                .always_open
                .get(a as usize..b as usize)
                .is_some_and(|v| v.iter().any(|&x| x));
            if always && *flags & crisis_bits::PHONE_LINE != 0 {
                *flags |= crisis_bits::GENERAL;
            }
        }
        let text_index = retrieval::build_index(&dir, &index);
        let resolver = NeedResolver::new(
            options.lexicon.clone(),
            &dir.meta.default_language,
            codes.iter().zip(term_names),
            dir.services
                .iter()
                .enumerate()
                .map(|(i, s)| (len_u32(i), [&s.name, &s.description])),
            text_index,
        );
        report.services = svc.active.len();
        report.service_at_locations = sal.service.len();
        report.terms = codes.len();
        let mut named_areas = options.named_areas;
        named_areas.add_directory_extents(&dir);
        let area_unknown: Vec<bool> = areas
            .iter()
            .map(|g| g.is_unknown_with(&named_areas))
            .collect();
        sal.site_only = (0..sal.service.len())
            .map(|i| {
                let svc_area = sal
                    .service
                    .get(i)
                    .and_then(|&s| svc.area.get(s as usize))
                    .copied()
                    .unwrap_or(NONE);
                let area = match sal.area.get(i).copied().unwrap_or(NONE) {
                    NONE => svc_area,
                    a => a,
                };
                sal.point.get(i).is_some_and(Option::is_some)
                    && sal.modes.get(i).copied().unwrap_or(0) & modes::REMOTE == 0
                    && area_unknown.get(area as usize).copied().unwrap_or(true)
            })
            .collect();
        let nav = Self {
            weight_array: options.weights.as_array(),
            weights: options.weights,
            codes,
            postings,
            resolver,
            svc,
            sal,
            areas,
            area_unknown,
            languages,
            access_codes,
            populations,
            tz,
            rules,
            hours,
            empty_profile: options.catalog.profile(),
            catalog: options.catalog,
            named_areas,
            contacts: ContactIndex::new(&dir),
            dir,
        };
        Ok((nav, report))
    }

    /// The directory searched.
    pub fn directory(&self) -> &Directory {
        &self.dir
    }

    /// The gazetteer service areas given by name are resolved with: the one supplied in
    /// [`NavigatorOptions::named_areas`] plus the directory's own named extents.
    pub fn named_areas(&self) -> &NamedAreas {
        &self.named_areas
    }

    /// Owner id → phone, address, document … rows (see `contact.rs`).
    pub(super) fn contacts(&self) -> &ContactIndex {
        &self.contacts
    }

    /// The weights in use.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The fact catalogue; build query profiles with `catalog().profile()`.
    pub fn catalog(&self) -> &FactCatalog {
        &self.catalog
    }

    /// The effective eligibility rule of a service (its age limits, eligibility terms and
    /// `eligibility_rule` combined, as searches evaluate it): `None` when the service id is
    /// unknown or the service has no rule (everyone is eligible). Linear in the services.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Verdict};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// let rule = nav.service_rule("svc-vanier-popote").unwrap();
    /// assert_eq!(rule.evaluate(&nav.catalog().profile()), Verdict::Unknown);
    /// assert!(nav.service_rule("no-such-service").is_none());
    /// ```
    pub fn service_rule(&self, service_id: &str) -> Option<&CompiledRule> {
        let mut seen = std::collections::HashSet::new();
        let si = self
            .dir
            .services
            .iter()
            .filter(|s| seen.insert(s.id.as_str()))
            .position(|s| s.id == service_id)?;
        match self.svc.rule.get(si).copied()? {
            NONE => None,
            r => self.rules.get(r as usize),
        }
    }

    /// Each service (first of a repeated id) with its effective rule, in directory order.
    pub(super) fn rules_by_service(&self) -> impl Iterator<Item = (&str, Option<&CompiledRule>)> {
        let mut seen = std::collections::HashSet::new();
        self.dir
            .services
            .iter()
            .filter(move |s| seen.insert(s.id.as_str()))
            .zip(&self.svc.rule)
            .map(|(s, &r)| {
                let rule = match r {
                    NONE => None,
                    r => self.rules.get(r as usize),
                };
                (s.id.as_str(), rule)
            })
    }

    /// The directory time zone (opening hours and "today" for freshness).
    pub fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }

    /// Searches the directory. Deterministic for a given query (set `Query::at` to fix "now").
    pub fn search(&self, query: &Query) -> Result<SearchResults, crate::Error> {
        let limit = query.validate()?;
        super::check::query_codes(
            query,
            &super::check::Known {
                codes: &self.codes,
                populations: &self.populations,
                access_codes: &self.access_codes,
                resolver: &self.resolver,
            },
        )?;
        let at = query.at.unwrap_or_else(jiff::Timestamp::now);
        let today = days_since_epoch(at, &self.tz);
        let ctx = QueryContext::new(self, query, at, today);

        let mut per_need: Vec<(ResolvedNeed, Vec<Candidate>, FilterCounts)> = Vec::new();
        for need in &query.needs {
            let resolved = self.resolver.resolve(
                need.text.as_deref(),
                &need.terms,
                &self.codes,
                &self.postings,
                &self.svc.crisis,
            )?;
            let (cands, counts) = self.candidates(&ctx, &resolved);
            per_need.push((resolved, cands, counts));
        }

        // One-stop: which needs each location serves.
        let n_needs = query.needs.len();
        let mut served: HashMap<u32, u32> = HashMap::new();
        if n_needs > 1 {
            for (ni, (_, cands, _)) in per_need.iter().enumerate() {
                for c in cands {
                    let loc = self
                        .sal
                        .location
                        .get(c.sal as usize)
                        .copied()
                        .unwrap_or(NONE);
                    if loc != NONE {
                        *served.entry(loc).or_default() |= 1 << ni;
                    }
                }
            }
            for (ni, (_, cands, _)) in per_need.iter_mut().enumerate() {
                for c in cands.iter_mut() {
                    let loc = self
                        .sal
                        .location
                        .get(c.sal as usize)
                        .copied()
                        .unwrap_or(NONE);
                    let others = served
                        .get(&loc)
                        .map_or(0, |m| (m & !(1 << ni)).count_ones());
                    let v = others as f32 / (n_needs - 1) as f32;
                    if let Some(slot) = c.values.get_mut(Factor::OneStop.index()) {
                        *slot = Some(v);
                    }
                    c.score = combine(&c.values, &self.weight_array);
                }
            }
        }

        // With one need only the requested page is read in order (one-stop and multi-need
        // lists need two needs; next questions sort services themselves): select the first
        // `offset + limit` and sort only those. `order` is total, so the page is the same.
        let keep = query.offset.saturating_add(limit);
        for (_, cands, _) in per_need.iter_mut() {
            if n_needs == 1 && keep < cands.len() {
                cands.select_nth_unstable_by(keep.saturating_sub(1), |a, b| self.order(a, b));
                if let Some(head) = cands.get_mut(..keep) {
                    head.sort_by(|a, b| self.order(a, b));
                }
            } else {
                cands.sort_by(|a, b| self.order(a, b));
            }
        }
        let multi_need = self.multi_need(&per_need, &served, limit);
        let next_questions = self.next_questions(ctx.profile, &per_need);

        let mut needs = Vec::with_capacity(n_needs);
        let mut crisis_needs = Vec::new();
        // Hours sentences by schedule: a page's matches share few distinct schedules.
        let mut described: Vec<(u32, Option<Reason>)> = Vec::new();
        for (ni, (resolved, cands, counts)) in per_need.into_iter().enumerate() {
            if let Some(kind) = resolved.crisis {
                crisis_needs.push((ni, kind));
            }
            let total = cands.len();
            let matches: Vec<Match> = cands
                .iter()
                .enumerate()
                .skip(query.offset)
                .take(limit)
                .map(|(rank, c)| self.to_match(&ctx, c, rank + 1, ni, &served, &mut described))
                .collect();
            let no_match = (total == 0).then(|| no_match_reason(&resolved, &counts));
            needs.push(NeedResults {
                need_index: ni,
                understood_as: resolved
                    .terms
                    .iter()
                    // Typo-corrected terms are understood too; broader ones are not.
                    .filter(|(_, k)| *k >= NeedMatchKind::Fuzzy)
                    .filter_map(|(t, _)| self.codes.get(*t as usize).cloned())
                    .collect(),
                crisis: resolved.crisis,
                total,
                matches,
                counts,
                no_match_text: no_match.map(explain::no_match),
                no_match,
            });
        }

        let crisis = crisis_needs
            .iter()
            .map(|(_, k)| *k)
            .min()
            .map(|kind| CrisisNotice {
                needs: crisis_needs.iter().map(|(n, _)| *n).collect(),
                kind,
                message: if self.svc.crisis.iter().any(|b| b & crisis_bits::ANY != 0) {
                    explain::crisis_notice(kind)
                } else {
                    explain::no_crisis_line(explain::crisis_notice(kind))
                },
            });
        Ok(SearchResults {
            needs,
            multi_need,
            crisis,
            next_questions,
            limit,
            offset: query.offset,
            at,
        })
    }

    /// Filters and scores every SAL of the services matching a resolved need.
    fn candidates(
        &self,
        ctx: &QueryContext<'_>,
        need: &ResolvedNeed,
    ) -> (Vec<Candidate>, FilterCounts) {
        let q = ctx.query;
        let mut counts = FilterCounts::default();
        // Services found for the need, with their graded relevance (ascending service).
        let kinds = &need.services;

        // Openness per distinct schedule, computed on first use (schedules are shared).
        let mut open_memo: Vec<Option<Openness>> = if self.hours.len() <= OPEN_MEMO_MAX {
            vec![None; self.hours.len()]
        } else {
            Vec::new()
        };
        // Verdict per distinct rule (services share rules), computed on first use.
        let mut verdict_memo: Vec<Option<Verdict>> = if self.rules.len() <= OPEN_MEMO_MAX {
            vec![None; self.rules.len()]
        } else {
            Vec::new()
        };
        let from = q.location.map(HaversineFrom::new);
        let beyond = HaversineFrom::beyond_threshold(q.max_distance_m);
        // Far sites are dropped up front when nothing else can keep them (see below).
        let fast = q.accessibility.is_empty()
            && need.crisis.is_none()
            && matches!(
                q.delivery,
                DeliveryPreference::RemoteAcceptable | DeliveryPreference::InPersonOnly
            );
        let mut out = Vec::with_capacity(
            kinds
                .iter()
                .filter_map(|&(si, _, _)| {
                    let s = si as usize;
                    Some(self.svc.sal_end.get(s)? - self.svc.sal_start.get(s)?)
                })
                .sum::<u32>() as usize,
        );
        for &(si, need_kind, relevance) in kinds {
            let s = si as usize;
            let (Some(&start), Some(&end)) = (self.svc.sal_start.get(s), self.svc.sal_end.get(s))
            else {
                continue;
            };
            let n_sals = (end - start) as usize;
            counts.matched_need += n_sals;
            if !self.svc.active.get(s).copied().unwrap_or(false) {
                counts.inactive += n_sals;
                continue;
            }
            // Sites certainly beyond the radius are counted and dropped before any other
            // work (bit k of `far`: SAL `start + k`); a service with nothing else left costs
            // no more. Exact: such a site has no area to test, no remote delivery and, with
            // no accessibility needs and no crisis, fails `delivery_fit` past the radius.
            let mut far = 0u64;
            if let (true, Some(from), Some(threshold)) = (fast, &from, beyond) {
                for (k, i) in (start..end).take(64).enumerate() {
                    let i = i as usize;
                    if !self.sal.site_only.get(i).copied().unwrap_or(false) {
                        continue;
                    }
                    let (Some(Some(site)), Some(&cos_lat)) =
                        (self.sal.point.get(i), self.sal.cos_lat.get(i))
                    else {
                        continue;
                    };
                    if from.surely_beyond(site.lon(), site.lat(), cos_lat, threshold) {
                        far |= 1 << k;
                        if self.sal.modes.get(i).copied().unwrap_or(0) & modes::VISIT != 0 {
                            counts.too_far += 1;
                        } else {
                            counts.delivery += 1;
                        }
                    }
                }
                if far.count_ones() as usize == n_sals {
                    continue;
                }
            }
            let crisis_service = need.crisis.is_some()
                && retrieval::leads(
                    self.svc.crisis.get(s).copied().unwrap_or(0),
                    need.crisis_mask,
                );
            // Service-level factors.
            let cost = self.svc.cost.get(s).copied().unwrap_or(Cost::Unknown);
            let cost_v = match cost {
                Cost::Free => 1.0,
                Cost::Unknown => 0.6,
                Cost::Paid => 0.2,
            };
            let fresh = freshness(
                self.svc.assured_day.get(s).copied().unwrap_or(i32::MIN),
                ctx.today,
            );
            let cap = self.svc.capacity.get(s).copied().unwrap_or(f32::NAN);
            let cap_v = if cap.is_nan() { 0.5 } else { cap };
            let pop_v = (ctx.pop_bits != 0).then(|| {
                if self.svc.populations.get(s).copied().unwrap_or(0) & ctx.pop_bits != 0 {
                    1.0
                } else {
                    0.0
                }
            });
            let eligibility = match self.svc.rule.get(s).copied().unwrap_or(NONE) {
                NONE => EligibilityStatus::Eligible,
                r => match self.rules.get(r as usize).map(|rule| {
                    match verdict_memo.get_mut(r as usize) {
                        Some(Some(known)) => *known,
                        Some(slot) => *slot.insert(rule.evaluate(ctx.profile)),
                        None => rule.evaluate(ctx.profile),
                    }
                }) {
                    Some(Verdict::Ineligible) => EligibilityStatus::Ineligible,
                    Some(Verdict::Unknown) => EligibilityStatus::Unknown,
                    _ => EligibilityStatus::Eligible,
                },
            };
            let elig_v = match eligibility {
                EligibilityStatus::Eligible => 1.0,
                EligibilityStatus::Unknown => 0.5,
                EligibilityStatus::Ineligible => 0.0,
            };
            let svc_area = self.svc.area.get(s).copied().unwrap_or(NONE);

            for (k, i) in (start..end).enumerate() {
                if far & 1u64.checked_shl(k as u32).unwrap_or(0) != 0 {
                    continue; // counted above
                }
                let i = i as usize;
                // Service area.
                let area = match self.sal.area.get(i).copied().unwrap_or(NONE) {
                    NONE => svc_area,
                    a => a,
                };
                let known = !self
                    .area_unknown
                    .get(area as usize)
                    .copied()
                    .unwrap_or(true);
                let covered = match (q.location, self.areas.get(area as usize)) {
                    (Some(p), Some(group)) if known => group.contains(p, &self.named_areas),
                    _ => None,
                };
                if covered == Some(false) {
                    counts.outside_area += 1;
                    continue;
                }
                let has_area = area != NONE;
                let mut bits = self.sal.modes.get(i).copied().unwrap_or(0);
                // With `require_accessibility`, a site not known to have every accessibility
                // feature the resident needs is not offered in person; its other delivery
                // modes stay. Otherwise accessibility only ranks.
                if q.require_accessibility
                    && !q.accessibility.is_empty()
                    && bits & modes::IN_PERSON != 0
                {
                    let have = self.sal.access.get(i).copied().unwrap_or(0) & ctx.access_bits;
                    if have.count_ones() as usize != ctx.access_needed {
                        bits &= !modes::IN_PERSON;
                    }
                }
                // A 24/7 crisis service leads whatever the distance (unknown hours count
                // when it answers the phone).
                let hours = self.sal.hours.get(i).copied().unwrap_or(NONE);
                let always_open = self.sal.always_open.get(i).copied().unwrap_or(false);
                let pinned_service =
                    crisis_service && (always_open || (hours == NONE && bits & modes::PHONE != 0));
                // Bit-identical to `Haversine.distance_m(origin, site)`. A site certainly
                // beyond the radius that only a reachable site would keep is dropped without
                // the trigonometry: it fails `delivery_fit` at any distance past the radius.
                let distance_m = match (&from, self.sal.point.get(i).copied().flatten()) {
                    (Some(from), Some(site)) => {
                        let cos_lat = self.sal.cos_lat.get(i).copied().unwrap_or(0.0);
                        if beyond
                            .is_some_and(|t| from.surely_beyond(site.lon(), site.lat(), cos_lat, t))
                            && self
                                .delivery_fit(ctx, bits, f64::INFINITY, has_area, pinned_service)
                                .is_none()
                        {
                            f64::INFINITY
                        } else {
                            from.distance_m_cos(site.lon(), site.lat(), cos_lat)
                        }
                    }
                    _ => f64::NAN,
                };
                // Delivery fit and proximity.
                let Some((fit, prox, via)) =
                    self.delivery_fit(ctx, bits, distance_m, has_area, pinned_service)
                else {
                    if bits & modes::VISIT != 0
                        && matches!(
                            q.delivery,
                            DeliveryPreference::RemoteAcceptable | DeliveryPreference::InPersonOnly
                        )
                    {
                        counts.too_far += 1;
                    } else {
                        counts.delivery += 1;
                    }
                    continue;
                };
                if eligibility == EligibilityStatus::Ineligible && !q.include_ineligible {
                    counts.ineligible += 1;
                    continue;
                }
                let open = match self.hours.get(hours as usize) {
                    Some(h) => match open_memo.get_mut(hours as usize) {
                        Some(Some(known)) => *known,
                        Some(slot) => *slot.insert(h.is_open_at(ctx.at)),
                        None => h.is_open_at(ctx.at),
                    },
                    None => Openness::Unknown,
                };
                if q.open == OpenRequirement::OpenOnly
                    && matches!(open, Openness::Closed { .. })
                    && !pinned_service
                {
                    counts.closed += 1;
                    continue;
                }
                let open_v = open_value(&open, ctx.at);
                let lang_bits = self.sal.langs.get(i).copied().unwrap_or(0);
                let lang_v = (!q.languages.is_empty()).then_some(if lang_bits == 0 {
                    0.5
                } else if lang_bits & ctx.lang_bits != 0 {
                    1.0
                } else {
                    0.0
                });
                if q.require_language && lang_v == Some(0.0) && !pinned_service {
                    counts.language += 1;
                    continue;
                }
                if q.free_only && cost == Cost::Paid {
                    counts.cost += 1;
                    continue;
                }
                let access_v = (!q.accessibility.is_empty()).then(|| {
                    if via != DeliveryMode::InPerson {
                        1.0
                    } else {
                        let site = self.sal.access.get(i).copied().unwrap_or(0);
                        super::access::value(site, ctx.access_bits, ctx.access_needed)
                    }
                });
                let mut values: FactorValues = [None; Factor::COUNT];
                let mut set = |f: Factor, v: Option<f32>| {
                    if let Some(slot) = values.get_mut(f.index()) {
                        *slot = v;
                    }
                };
                set(Factor::Need, Some(relevance));
                set(Factor::Distance, q.location.is_some().then_some(prox));
                set(
                    Factor::Coverage,
                    q.location.is_some().then_some(match covered {
                        Some(true) => 1.0,
                        _ => 0.5,
                    }),
                );
                set(Factor::Eligibility, Some(elig_v));
                set(Factor::Open, Some(open_v));
                set(Factor::Language, lang_v);
                set(Factor::Accessibility, access_v);
                set(Factor::Delivery, Some(fit));
                set(Factor::Cost, Some(cost_v));
                set(Factor::Freshness, Some(fresh));
                set(Factor::Capacity, Some(cap_v));
                set(Factor::Population, pop_v);
                set(Factor::OneStop, None);
                let score = combine(&values, &self.weight_array);
                counts.kept += 1;
                out.push(Candidate {
                    sal: len_u32(i),
                    need_kind,
                    distance_m,
                    values,
                    score,
                    pinned: pinned_service,
                    eligibility,
                    via,
                    openness: open,
                });
            }
        }
        (out, counts)
    }

    /// `(fit, proximity, how the resident receives it)` or `None` when the SAL cannot serve the
    /// resident the way they need.
    fn delivery_fit(
        &self,
        ctx: &QueryContext<'_>,
        bits: u8,
        distance_m: f64,
        has_area: bool,
        pinned: bool,
    ) -> Option<(f32, f32, DeliveryMode)> {
        let q = ctx.query;
        let remote_prox = self.weights.remote_proximity as f32;
        let reachable = if distance_m.is_nan() {
            // No resident location or no SAL point: area-wide services stay.
            has_area && bits & modes::VISIT != 0
        } else {
            distance_m <= q.max_distance_m
        };
        // Only a visited site is scored by its distance: the exponential waits until then.
        let prox = || {
            if distance_m.is_nan() {
                remote_prox.min(0.5)
            } else {
                proximity(distance_m, &self.weights, q.travel) as f32
            }
        };
        let visit = bits & modes::VISIT != 0;
        let remote = bits & modes::REMOTE != 0;
        let home = bits & modes::HOME != 0;
        let home_reach = home && (distance_m.is_nan() || distance_m <= q.max_distance_m);
        // Mobile outreach comes to the resident; only a site is visited in person.
        let visit_mode = if bits & modes::IN_PERSON != 0 {
            DeliveryMode::InPerson
        } else {
            DeliveryMode::MobileOutreach
        };
        let remote_mode = if bits & modes::PHONE != 0 {
            DeliveryMode::Phone
        } else {
            DeliveryMode::Virtual
        };
        match q.delivery {
            DeliveryPreference::RemoteAcceptable => {
                if visit && reachable {
                    Some((1.0, prox(), visit_mode))
                } else if remote || pinned && bits != 0 {
                    Some((0.8, remote_prox, remote_mode))
                } else if home_reach {
                    Some((0.9, remote_prox, DeliveryMode::HomeVisit))
                } else {
                    None
                }
            }
            DeliveryPreference::InPersonOnly => {
                // A crisis line beyond the radius is offered by phone, not as a far visit.
                if visit && (reachable || pinned && !remote) {
                    Some((1.0, prox(), visit_mode))
                } else if pinned && remote {
                    Some((0.5, remote_prox, remote_mode))
                } else {
                    None
                }
            }
            DeliveryPreference::HomeVisit => {
                if home_reach {
                    Some((1.0, 1.0, DeliveryMode::HomeVisit))
                } else if remote {
                    Some((0.6, remote_prox, remote_mode))
                } else {
                    None
                }
            }
            DeliveryPreference::PhoneOnly => {
                if bits & modes::PHONE != 0 {
                    Some((1.0, remote_prox, DeliveryMode::Phone))
                } else {
                    None
                }
            }
        }
    }

    /// Result order: crisis services first, then score (desc), distance (asc, unknown
    /// last), service id, service-at-location id.
    fn order(&self, a: &Candidate, b: &Candidate) -> Ordering {
        b.pinned
            .cmp(&a.pinned)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| cmp_distance(a.distance_m, b.distance_m))
            .then_with(|| self.service_id(a.sal).cmp(self.service_id(b.sal)))
            .then_with(|| self.sal_id(a.sal).cmp(self.sal_id(b.sal)))
    }

    fn service_index(&self, sal: u32) -> usize {
        self.sal.service.get(sal as usize).copied().unwrap_or(NONE) as usize
    }

    fn service_id(&self, sal: u32) -> &str {
        self.dir
            .services
            .get(self.service_index(sal))
            .map_or("", |s| s.id.as_str())
    }

    fn sal_record(&self, sal: u32) -> Option<&crate::model::ServiceAtLocation> {
        let r = self.sal.record.get(sal as usize).copied().unwrap_or(NONE);
        self.dir.service_at_locations.get(r as usize)
    }

    fn sal_id(&self, sal: u32) -> &str {
        self.sal_record(sal).map_or("", |r| r.id.as_str())
    }

    fn sal_location(&self, sal: u32) -> Option<&crate::model::Location> {
        let l = self.sal.location.get(sal as usize).copied().unwrap_or(NONE);
        self.dir.locations.get(l as usize)
    }

    fn to_match(
        &self,
        ctx: &QueryContext<'_>,
        c: &Candidate,
        rank: usize,
        need_index: usize,
        served: &HashMap<u32, u32>,
        described: &mut Vec<(u32, Option<Reason>)>,
    ) -> Match {
        let si = self.service_index(c.sal);
        let hours_index = self.sal.hours.get(c.sal as usize).copied().unwrap_or(NONE);
        let hours = match described.iter().find(|(h, _)| *h == hours_index) {
            Some((_, known)) => known.clone(),
            None => {
                let reason = self.hours.get(hours_index as usize).and_then(|h| {
                    Some(Reason {
                        factor: Factor::Open,
                        en: h.describe(ctx.at, &crate::model::LangCode::en())?,
                        fr: h.describe(ctx.at, &crate::model::LangCode::fr())?,
                    })
                });
                described.push((hours_index, reason.clone()));
                reason
            }
        };
        let service = self.dir.services.get(si);
        let org = self
            .svc
            .org
            .get(si)
            .and_then(|&o| self.dir.organizations.get(o as usize));
        let loc = self.sal_location(c.sal);
        let loc_idx = self
            .sal
            .location
            .get(c.sal as usize)
            .copied()
            .unwrap_or(NONE);
        let also_serves = served
            .get(&loc_idx)
            .map(|m| {
                (0..ctx.query.needs.len())
                    .filter(|&n| n != need_index && m & (1 << n) != 0)
                    .collect()
            })
            .unwrap_or_default();
        let breakdown = ScoreBreakdown::new(&c.values, &self.weight_array);
        let mut m = Match {
            rank,
            service_id: service.map(|s| s.id.clone()).unwrap_or_default(),
            service_at_location_id: self.sal_record(c.sal).map(|r| r.id.clone()),
            location_id: loc.map(|l| l.id.clone()),
            organization_id: service
                .map(|s| s.organization_id.clone())
                .unwrap_or_default(),
            service_name: service.map(|s| s.name.clone()).unwrap_or_default(),
            organization_name: org.map(|o| o.name.clone()).unwrap_or_default(),
            location_name: loc.map(|l| l.name.clone()).unwrap_or_default(),
            distance_m: (!c.distance_m.is_nan()).then_some(c.distance_m),
            delivery_modes: modes_of(self.sal.modes.get(c.sal as usize).copied().unwrap_or(0)),
            via: c.via,
            eligibility: self.eligibility_info(c, ctx.profile),
            openness: c.openness,
            always_open: self
                .sal
                .always_open
                .get(c.sal as usize)
                .copied()
                .unwrap_or(false),
            hours,
            need_match: c.need_kind,
            crisis_line: c.pinned,
            also_serves,
            score: c.score,
            breakdown,
            reasons: Vec::new(),
            contact: self.contact_details(si, self.sal_record(c.sal).map(|r| r.id.as_str()), loc),
        };
        m.reasons = explain::reasons(&m, ctx.query, &self.catalog);
        if m.via == DeliveryMode::InPerson {
            let site = self.sal.access.get(c.sal as usize).copied().unwrap_or(0);
            super::access::name_what_is_known(&mut m.reasons, ctx.query, site, &self.access_codes);
        }
        m
    }

    /// Eligibility with its explanation (missing facts, failed conditions) for one match.
    fn eligibility_info(&self, c: &Candidate, profile: &Profile) -> EligibilityInfo {
        let mut info = EligibilityInfo {
            status: c.eligibility,
            ..EligibilityInfo::eligible()
        };
        let s = self.service_index(c.sal);
        let Some(rule) = self
            .svc
            .rule
            .get(s)
            .and_then(|&r| self.rules.get(r as usize))
        else {
            return info;
        };
        let mut quotes: Vec<&str> = Vec::new();
        for cond in rule.inferred() {
            if !quotes.contains(&cond.quote()) {
                quotes.push(cond.quote());
                info.inferred.push(Reason {
                    factor: Factor::Eligibility,
                    en: cond.to_confirm_en(),
                    fr: cond.to_confirm_fr(),
                });
            }
        }
        if c.eligibility == EligibilityStatus::Eligible {
            return info;
        }
        match rule.explain(profile) {
            Outcome::Unknown { missing, .. } => {
                info.missing_facts = missing.iter().map(|m| m.fact().to_owned()).collect();
            }
            Outcome::Ineligible { failed } => {
                info.failed = failed
                    .iter()
                    .map(|f| Reason {
                        factor: Factor::Eligibility,
                        en: f.en(),
                        fr: f.fr(),
                    })
                    .collect();
            }
            _ => {}
        }
        info
    }

    /// The facts worth asking, over the distinct services whose eligibility is unknown in
    /// the full result lists (at most 256 services are considered).
    fn next_questions(
        &self,
        profile: &Profile,
        per_need: &[(ResolvedNeed, Vec<Candidate>, FilterCounts)],
    ) -> Vec<NextQuestion> {
        let mut services: Vec<usize> = per_need
            .iter()
            .flat_map(|(_, cands, _)| cands.iter())
            .filter(|c| c.eligibility == EligibilityStatus::Unknown)
            .map(|c| self.service_index(c.sal))
            .collect();
        services.sort_unstable();
        services.dedup();
        services.truncate(256);
        // Services share rules: explain each distinct rule once, count it once per service.
        let mut rules: Vec<u32> = services
            .iter()
            .filter_map(|&s| self.svc.rule.get(s).copied())
            .filter(|&r| (r as usize) < self.rules.len())
            .collect();
        let per_service = rules.clone();
        rules.sort_unstable();
        rules.dedup();
        let outcomes: Vec<Outcome<'_>> = rules
            .iter()
            .filter_map(|&r| self.rules.get(r as usize))
            .map(|rule| rule.explain(profile))
            .collect();
        rank_questions(per_service.iter().filter_map(|r| {
            match outcomes.get(rules.binary_search(r).ok()?)? {
                Outcome::Unknown { missing, .. } => Some(missing.as_slice()),
                _ => None,
            }
        }))
        .into_iter()
        .map(|q| NextQuestion {
            fact: q.fact,
            en: q.question_en,
            fr: q.question_fr,
            affects: q.affects,
        })
        .collect()
    }

    /// Locations serving two needs or more: needs served (desc), mean best score over all
    /// needs (desc), distance, location id.
    fn multi_need(
        &self,
        per_need: &[(ResolvedNeed, Vec<Candidate>, FilterCounts)],
        served: &HashMap<u32, u32>,
        limit: usize,
    ) -> Vec<MultiNeedLocation> {
        let n_needs = per_need.len();
        let mut best: BTreeMap<u32, Vec<Option<&Candidate>>> = BTreeMap::new();
        for (ni, (_, cands, _)) in per_need.iter().enumerate() {
            for c in cands {
                let loc = self
                    .sal
                    .location
                    .get(c.sal as usize)
                    .copied()
                    .unwrap_or(NONE);
                if served.get(&loc).is_none_or(|m| m.count_ones() < 2) {
                    continue;
                }
                let slots = best.entry(loc).or_insert_with(|| vec![None; n_needs]);
                if let Some(slot @ None) = slots.get_mut(ni) {
                    *slot = Some(c); // candidates are sorted: the first is the best
                }
            }
        }
        let mut out: Vec<MultiNeedLocation> = best
            .into_iter()
            .filter_map(|(loc, slots)| {
                let location = self.dir.locations.get(loc as usize)?;
                let mut needs = Vec::new();
                let mut service_ids = Vec::new();
                let mut sum = 0.0;
                let mut distance_m = None;
                for (ni, c) in slots.iter().enumerate() {
                    if let Some(c) = c {
                        needs.push(ni);
                        service_ids.push(self.service_id(c.sal).to_owned());
                        sum += c.score;
                        if !c.distance_m.is_nan() {
                            distance_m = Some(c.distance_m);
                        }
                    }
                }
                Some(MultiNeedLocation {
                    location_id: location.id.clone(),
                    location_name: location.name.clone(),
                    distance_m,
                    needs,
                    service_ids,
                    score: sum / n_needs as f64,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.needs
                .len()
                .cmp(&a.needs.len())
                .then_with(|| b.score.total_cmp(&a.score))
                .then_with(|| {
                    cmp_distance(
                        a.distance_m.unwrap_or(f64::NAN),
                        b.distance_m.unwrap_or(f64::NAN),
                    )
                })
                .then_with(|| a.location_id.cmp(&b.location_id))
        });
        out.truncate(limit);
        out
    }
}

/// Per-query precomputed values.
struct QueryContext<'q> {
    query: &'q Query,
    profile: &'q Profile,
    at: jiff::Timestamp,
    today: i32,
    lang_bits: u64,
    access_bits: u32,
    /// Distinct accessibility codes the query needs.
    access_needed: usize,
    pop_bits: u64,
}

impl<'q> QueryContext<'q> {
    fn new(nav: &'q Navigator, query: &'q Query, at: jiff::Timestamp, today: i32) -> Self {
        let lang_bits = query
            .languages
            .iter()
            .filter_map(|l| nav.languages.iter().position(|x| x == l.primary()))
            .fold(0u64, |acc, i| acc | 1u64 << i.min(62));
        let needed = super::access::query_codes(&query.accessibility);
        let access_bits = needed
            .iter()
            .filter_map(|a| nav.access_codes.iter().position(|x| x == a))
            .fold(0u32, |acc, i| acc | 1u32 << i.min(30));
        let pop_bits = query
            .populations
            .iter()
            .filter_map(|p| nav.populations.iter().position(|x| x == p.trim()))
            .fold(0u64, |acc, i| acc | 1u64 << i.min(63));
        Self {
            query,
            profile: query.profile.as_ref().unwrap_or(&nav.empty_profile),
            at,
            today,
            lang_bits,
            access_bits,
            access_needed: needed.len(),
            pop_bits,
        }
    }
}

fn no_match_reason(need: &ResolvedNeed, counts: &FilterCounts) -> NoMatchReason {
    if !need.understood {
        return NoMatchReason::NeedNotUnderstood;
    }
    if counts.matched_need == 0 {
        return NoMatchReason::NoServiceForNeed;
    }
    // The last filter that removed anything: the candidates that got furthest (e.g. close
    // enough but all ineligible) say most about what is missing. Counts give the rest.
    let stages = [
        (counts.inactive, NoMatchReason::AllInactive),
        (counts.outside_area, NoMatchReason::OutsideServiceArea),
        (counts.too_far, NoMatchReason::AllTooFar),
        (counts.delivery, NoMatchReason::DeliveryMismatch),
        (counts.ineligible, NoMatchReason::AllIneligible),
        (counts.closed, NoMatchReason::AllClosed),
        (counts.language, NoMatchReason::Language),
        (counts.cost, NoMatchReason::Cost),
    ];
    stages
        .iter()
        .rev()
        .find(|(n, _)| *n > 0)
        .map_or(NoMatchReason::NoServiceForNeed, |(_, r)| *r)
}

fn cmp_distance(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => a.total_cmp(&b),
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (true, true) => Ordering::Equal,
    }
}

fn freshness(assured_day: i32, today: i32) -> f32 {
    if assured_day == i32::MIN {
        return 0.5;
    }
    let age = (today - assured_day).max(0) as f32;
    if age <= 365.0 {
        1.0
    } else if age >= 3.0 * 365.0 {
        0.2
    } else {
        1.0 - 0.8 * (age - 365.0) / 730.0
    }
}

fn open_value(open: &Openness, at: jiff::Timestamp) -> f32 {
    match open {
        Openness::Open { .. } => 1.0,
        Openness::Closed {
            next_opens: Some(next),
        } => {
            let hours = next.duration_since(at).as_secs_f64() / 3600.0;
            if hours <= 2.0 {
                0.8
            } else if hours <= 24.0 {
                0.6
            } else {
                0.3
            }
        }
        Openness::Closed { next_opens: None } => 0.3,
        _ => 0.5,
    }
}

fn days_since_epoch(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> i32 {
    let date = at.to_zoned(tz.clone()).date();
    date.since(jiff::civil::date(1970, 1, 1))
        .map_or(0, |span| span.get_days())
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// Adds `name` to a small dictionary and returns its bit (names past `max_bits - 1` share
/// the last bit).
fn dict_bit(dict: &mut Vec<String>, name: &str, max_bits: u32) -> u64 {
    let pos = match dict.iter().position(|x| x == name) {
        Some(p) => p,
        None => {
            dict.push(name.to_owned());
            dict.len() - 1
        }
    };
    1u64 << (pos as u32).min(max_bits - 1)
}

fn cost_from_text(fees: &Text) -> Cost {
    if fees.all().all(str::is_empty) {
        return Cost::Unknown; // what the folding below gives for no text, without allocating
    }
    let folded = super::needs::fold(&fees.all().collect::<Vec<_>>().join(" "));
    let words: Vec<&str> = folded.split(' ').collect();
    if words
        .iter()
        .any(|w| matches!(*w, "free" | "gratuit" | "gratuite" | "gratuits"))
    {
        Cost::Free
    } else if folded.contains('$') || words.contains(&"fee") || words.contains(&"frais") {
        Cost::Paid
    } else {
        Cost::Unknown
    }
}

fn json_str(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn json_num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Whether a term is a need category (not a population or delivery term).
fn is_need_code(code: &TermCode) -> bool {
    let s = code.as_str();
    !(s.starts_with("population.")
        || s.starts_with("delivery.")
        || s == "population"
        || s == "delivery")
}

/// Need-category codes of a service: `service_category` attributes, and attributes with no
/// link type whose term is not a population or delivery term.
fn service_terms<'a>(
    index: &'a DirectoryIndex<'a>,
    service_id: &'a str,
) -> impl Iterator<Item = &'a TermCode> + 'a {
    index
        .attributes_of(service_id)
        .filter(|a| matches!(a.link_type.as_deref(), None | Some("service_category")))
        .filter_map(|a| index.term(&a.taxonomy_term_id))
        .filter_map(|t| t.code.as_ref())
        .filter(|c| is_need_code(c))
}

/// What the effective rule of a service is made of: `minimum_age`/`maximum_age`,
/// `eligibility` population attributes (`population has_any [...]`) and the
/// `eligibility_rule` extension. Services with equal keys have equal rules, so the key
/// interns compiled rules.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RuleKey<'a> {
    /// `f64::to_bits` of the ages, so the key is `Eq + Hash` (equal bits ⇒ equal rule).
    min_age: Option<u64>,
    max_age: Option<u64>,
    populations: Vec<&'a str>,
    text: Option<&'a str>,
    /// The `eligibility_description` to read conditions from (inference on, no rule text).
    inferred: Option<&'a str>,
}

impl<'a> RuleKey<'a> {
    fn of(index: &DirectoryIndex<'a>, s: &'a crate::model::Service, infer: bool) -> Self {
        let text = s
            .eligibility_rule
            .as_deref()
            .filter(|t| !t.trim().is_empty());
        Self {
            min_age: s.minimum_age.map(f64::to_bits),
            max_age: s.maximum_age.map(f64::to_bits),
            populations: index
                .term_codes_of(&s.id, "eligibility")
                .map(|c| c.as_str().strip_prefix("population.").unwrap_or(c.as_str()))
                .collect(),
            text,
            inferred: Some(s.eligibility_description.value.as_str())
                .filter(|t| infer && text.is_none() && !t.trim().is_empty()),
        }
    }

    /// The rule these parts join with `and`; `None` when the service has no condition.
    ///
    /// An `eligibility_rule` text that does not parse or compile is left out and named in
    /// the second value (never resident data: rules are directory data); the service's other
    /// conditions still apply, so a broken rule text never drops a valid `minimum_age`.
    fn compile(
        &self,
        catalog: &FactCatalog,
        tables: &Tables,
    ) -> (Option<CompiledRule>, Option<String>) {
        let mut parts = Vec::new();
        if self.min_age.is_some() || self.max_age.is_some() {
            parts.push(Rule::age_between(
                self.min_age.map(f64::from_bits),
                self.max_age.map(f64::from_bits),
            ));
        }
        if !self.populations.is_empty() {
            parts.push(Rule::population_any(&self.populations));
        }
        let inferred = self.inferred.map_or_else(Vec::new, |text| {
            let has_ages = self.min_age.is_some() || self.max_age.is_some();
            crate::rules::usable_conditions(text, catalog, tables, has_ages)
        });
        parts.extend(inferred.iter().map(|c| c.rule().clone()));
        let compile = |parts: Vec<Rule>| -> Result<Option<CompiledRule>, String> {
            if parts.is_empty() {
                return Ok(None);
            }
            catalog
                .compile_rule(&Rule::all(parts), tables)
                .map(|rule| Some(rule.with_inferred(inferred.clone())))
                .map_err(|e| format!("eligibility rule: {e}"))
        };
        let Some(text) = self.text else {
            return match compile(parts) {
                Ok(rule) => (rule, None),
                Err(message) => (None, Some(message)),
            };
        };
        let with_text = match Rule::parse(text) {
            Ok(extra) => {
                let mut all = parts.clone();
                all.push(extra);
                compile(all)
            }
            Err(e) => Err(format!("eligibility_rule: {e}")),
        };
        match with_text {
            Ok(rule) => (rule, None),
            // The text is at fault: keep the conditions from the service's other fields.
            Err(message) => match compile(parts) {
                Ok(rule) => (rule, Some(message)),
                Err(_) => (None, Some(message)),
            },
        }
    }
}
