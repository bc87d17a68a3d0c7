//! The navigator: built once from a directory, then searched many times.
//!
//! A search runs the pipeline stages in order, each in its own file:
//! 1. need resolution (`needs.rs`, `retrieval.rs`): need text and codes → services, graded;
//! 2. candidates (`candidates.rs`, `delivery.rs`): every SAL of those services filtered
//!    (area, distance and delivery, eligibility, hours, language, cost) and scored
//!    (`score.rs`), with no allocation per candidate;
//! 3. ranking (`rank.rs`): one-stop bonus, order, paging, locations serving several needs;
//! 4. next questions (`questions.rs`): the facts worth asking;
//! 5. presentation (`present.rs`, `contact.rs`): only the requested page becomes
//!    [`Match`](super::Match)es with names, hours and reasons.
//!
//! The index the stages read is built once by [`Navigator::build`] (`index/`).

use std::sync::Arc;

use crate::model::{directory_time_zone, Directory, DirectoryIndex};
use crate::rules::{CompiledRule, FactCatalog, Profile, Tables};
use crate::spatial::NamedAreas;
use crate::text::Lexicon;

use super::candidates::{NeedCandidates, QueryContext};
use super::contact::ContactIndex;
use super::index::{len_u32, Index, Terms, NONE};
use super::needs::NeedResolver;
use super::query::{Need, Query};
use super::result::SearchResults;
use super::retrieval;
use super::score::{Factor, Weights};
use super::snapshot::BuildRecord;
use crate::text::TextIndex;

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
    /// [`infer_conditions`](crate::rules::infer_conditions)) and add them to its rule, marked
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
    pub(super) dir: Arc<Directory>,
    pub(super) weights: Weights,
    pub(super) weight_array: [f64; Factor::COUNT],
    pub(super) resolver: NeedResolver,
    /// The built index the search stages read.
    pub(super) idx: Index,
    pub(super) tz: jiff::tz::TimeZone,
    pub(super) catalog: FactCatalog,
    pub(super) empty_profile: Profile,
    pub(super) named_areas: NamedAreas,
    /// Built on first use (presentation and details only), not at build or open.
    pub(super) contacts: std::sync::OnceLock<ContactIndex>,
    /// What a snapshot keeps of the build (`snapshot.rs`).
    pub(super) record: BuildRecord,
}

// The navigator is shared across threads behind an `Arc`.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Navigator>();
};

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
        let tz = Self::time_zone_of(&dir, &mut report);
        let terms = Terms::new(&dir);
        let idx = Index::build(&dir, &index, &terms, &options, &tz, &mut report);
        let text = retrieval::build_index(&dir, &index);
        drop(index);
        report.services = idx.svc.active.len();
        report.service_at_locations = idx.sal.service.len();
        report.terms = idx.codes.len();
        Ok(Self::assemble(dir, options, idx, text, tz, report))
    }

    /// The directory's time zone (UTC, reported, when it names none the library knows).
    pub(super) fn time_zone_of(dir: &Directory, report: &mut BuildReport) -> jiff::tz::TimeZone {
        directory_time_zone(&dir.meta).unwrap_or_else(|e| {
            report.problems.push(BuildProblem {
                record_id: "passerelle.timezone".into(),
                message: e.to_string(),
            });
            jiff::tz::TimeZone::UTC
        })
    }

    /// The navigator over a built index (from [`Navigator::build`] or a snapshot): the need
    /// resolver over the text index, the gazetteer and the parts of the index it decides,
    /// the contact index.
    pub(super) fn assemble(
        dir: Arc<Directory>,
        options: NavigatorOptions,
        mut idx: Index,
        text: TextIndex,
        tz: jiff::tz::TimeZone,
        report: BuildReport,
    ) -> (Self, BuildReport) {
        let terms = Terms::new(&dir);
        let resolver = NeedResolver::new(
            options.lexicon.clone(),
            &dir.meta.default_language,
            terms.codes.iter().zip(terms.names.iter().copied()),
            dir.services
                .iter()
                .enumerate()
                .map(|(i, s)| (len_u32(i), [&s.name, &s.description])),
            text,
        );
        drop(terms);
        let record = BuildRecord::new(&options, report.clone());
        let mut named_areas = options.named_areas;
        named_areas.add_directory_extents(&dir);
        idx.finish(&named_areas);
        let nav = Self {
            weight_array: options.weights.as_array(),
            weights: options.weights,
            resolver,
            idx,
            tz,
            empty_profile: options.catalog.profile(),
            catalog: options.catalog,
            named_areas,
            contacts: std::sync::OnceLock::new(),
            record,
            dir,
        };
        (nav, report)
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
        self.contacts.get_or_init(|| ContactIndex::new(&self.dir))
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
    /// use passerelle::rules::Verdict;
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
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
        self.idx.rule_of(si)
    }

    /// Each service (first of a repeated id) with its effective rule, in directory order.
    pub(super) fn rules_by_service(&self) -> impl Iterator<Item = (&str, Option<&CompiledRule>)> {
        let mut seen = std::collections::HashSet::new();
        self.dir
            .services
            .iter()
            .filter(move |s| seen.insert(s.id.as_str()))
            .enumerate()
            .map(|(si, s)| (s.id.as_str(), self.idx.rule_of(si)))
    }

    /// The directory time zone (opening hours and "today" for freshness).
    pub fn time_zone(&self) -> &jiff::tz::TimeZone {
        &self.tz
    }

    /// Need resolution then the candidate stage, for one need of a query.
    pub(super) fn need_candidates(
        &self,
        ctx: &QueryContext<'_>,
        need: &Need,
    ) -> Result<NeedCandidates, crate::text::TextError> {
        let resolved = self.resolver.resolve(
            need.text.as_deref(),
            &need.terms,
            &self.idx.codes,
            &self.idx.postings,
            &self.idx.svc.crisis,
        )?;
        let (cands, counts) = self.candidates(ctx, &resolved);
        Ok((resolved, cands, counts))
    }

    /// Searches the directory. Deterministic for a given query (set `Query::at` to fix "now").
    pub fn search(&self, query: &Query) -> Result<SearchResults, crate::Error> {
        let limit = query.validate()?;
        super::check::query_codes(
            query,
            &super::check::Known {
                codes: &self.idx.codes,
                populations: &self.idx.populations,
                access_codes: &self.idx.access_codes,
                resolver: &self.resolver,
            },
        )?;
        let at = query.at.unwrap_or_else(jiff::Timestamp::now);
        let ctx = QueryContext::new(self, query, at);
        let mut per_need: Vec<NeedCandidates> = Vec::with_capacity(query.needs.len());
        for need in &query.needs {
            per_need.push(self.need_candidates(&ctx, need)?);
        }
        let served = self.one_stop(&mut per_need);
        self.sort_pages(&mut per_need, query.offset.saturating_add(limit));
        let multi_need = self.multi_need(&per_need, &served, limit);
        let next_questions = self.next_questions(ctx.profile, &per_need);
        let (needs, crisis) = self.present(&ctx, per_need, &served, limit);
        Ok(SearchResults {
            needs,
            multi_need,
            crisis,
            next_questions,
            limit,
            offset: query.offset,
            at,
            explain: query.explain,
        })
    }

    /// The service index (into the service columns) of SAL `sal`.
    pub(super) fn service_index(&self, sal: u32) -> usize {
        self.idx
            .sal
            .service
            .get(sal as usize)
            .copied()
            .unwrap_or(NONE) as usize
    }

    /// The service id of SAL `sal` (empty when unknown).
    pub(super) fn service_id(&self, sal: u32) -> &str {
        self.dir
            .services
            .get(self.service_index(sal))
            .map_or("", |s| s.id.as_str())
    }

    /// The service-at-location record of SAL `sal` (`None` for a location-less service).
    pub(super) fn sal_record(&self, sal: u32) -> Option<&crate::model::ServiceAtLocation> {
        let r = self
            .idx
            .sal
            .record
            .get(sal as usize)
            .copied()
            .unwrap_or(NONE);
        self.dir.service_at_locations.get(r as usize)
    }

    /// The service-at-location id of SAL `sal` (empty when none).
    pub(super) fn sal_id(&self, sal: u32) -> &str {
        self.sal_record(sal).map_or("", |r| r.id.as_str())
    }

    /// The location of SAL `sal`.
    pub(super) fn sal_location(&self, sal: u32) -> Option<&crate::model::Location> {
        let l = self.idx.sal.location_of(sal);
        self.dir.locations.get(l as usize)
    }
}
