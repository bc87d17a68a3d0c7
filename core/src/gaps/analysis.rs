//! Gap analysis: demand against supply, per area × need (× population), with small-cell
//! suppression.

use std::collections::{HashMap, HashSet};

use crate::matching::{
    DeliveryPreference, Navigator, Need, Query, DEFAULT_MAX_DISTANCE_M, MAX_LIMIT,
};
use crate::model::{DeliveryMode, GeoPoint, TermCode};
use crate::referrals::{AreaKey, OutcomeReason, Referral, ReferralStatus, UnmetNeed, UnmetReason};
use crate::rules::FactValue;

use super::centroids::AreaCentroids;
use super::error::GapError;

/// Default `k` of k-anonymity suppression: cells with fewer records are not shown.
pub const DEFAULT_MIN_RECORDS: u32 = 5;

/// Demand counted from another source (e.g. 211 call volumes by need and area): adds to a
/// cell's demand only (neither met nor unmet).
///
/// # Examples
/// ```
/// use passerelle::gaps::NeedCount;
/// use passerelle::model::TermCode;
/// use passerelle::referrals::AreaKey;
/// let calls = NeedCount {
///     area: AreaKey::named("Vanier").unwrap(),
///     need: TermCode::new("housing.rent").unwrap(),
///     population: None,
///     count: 42,
/// };
/// assert_eq!(calls.count, 42);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedCount {
    /// Area.
    pub area: AreaKey,
    /// Need.
    pub need: TermCode,
    /// Optional population group.
    pub population: Option<String>,
    /// Number of requests.
    pub count: u64,
}

/// Options of [`analyze_gaps`].
#[derive(Debug, Clone)]
pub struct GapOptions {
    /// `k`: cells with fewer than `k` records (demand) are suppressed. At least 1; default
    /// [`DEFAULT_MIN_RECORDS`] (5).
    pub min_records: u32,
    /// Also list suppressed cells, with every record-derived number `None` and
    /// `suppressed: true`. Off by default: even the existence of a cell with 1 to `k − 1`
    /// records can say something about the few residents in it.
    pub show_suppressed: bool,
    /// Break cells down by the records' population group (default `true`). Records without
    /// one form the `population: None` cell of their area and need; there is no "all
    /// populations" total row, and the total of a report run with `false` cannot recover a
    /// suppressed group by subtraction (secondary suppression, see [`analyze_gaps`]).
    pub by_population: bool,
    /// Distance within which an in-person service counts as reachable, in metres (default
    /// [`DEFAULT_MAX_DISTANCE_M`](crate::matching::DEFAULT_MAX_DISTANCE_M), 10 km).
    pub reach_m: f64,
    /// How far to look for the nearest eligible service, in metres (default 100 km; at least
    /// `reach_m`).
    pub nearest_within_m: f64,
    /// How residents are assumed to receive services (default
    /// [`DeliveryPreference::InPersonOnly`], so remote services do not hide an in-person
    /// desert). With `RemoteAcceptable`, remote services count as reachable wherever they
    /// serve.
    pub delivery: DeliveryPreference,
    /// Most reasons listed per cell (default 3).
    pub top_reasons: usize,
}

impl Default for GapOptions {
    fn default() -> Self {
        Self {
            min_records: DEFAULT_MIN_RECORDS,
            show_suppressed: false,
            by_population: true,
            reach_m: DEFAULT_MAX_DISTANCE_M,
            nearest_within_m: 100_000.0,
            delivery: DeliveryPreference::InPersonOnly,
            top_reasons: 3,
        }
    }
}

impl GapOptions {
    fn validate(&self) -> Result<(), GapError> {
        if self.min_records == 0 {
            return Err(GapError::InvalidOption {
                option: "min_records",
                why: "k must be at least 1",
            });
        }
        if !(self.reach_m.is_finite() && self.reach_m >= 0.0) {
            return Err(GapError::InvalidOption {
                option: "reach_m",
                why: "a finite distance of 0 m or more",
            });
        }
        if !(self.nearest_within_m.is_finite() && self.nearest_within_m >= self.reach_m) {
            return Err(GapError::InvalidOption {
                option: "nearest_within_m",
                why: "a finite distance of at least reach_m",
            });
        }
        Ok(())
    }
}

/// One area × need (× population) of a gap analysis.
///
/// Record-derived numbers (`demand`, `met`, `unmet`, `share_unmet`, `top_reasons`) are `None`
/// / empty when the cell is `suppressed`; directory-derived ones (`reachable_services`,
/// `nearest_m`) describe public data and are always given when the area has a centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct GapCell {
    /// The area, as written in the records.
    pub area: AreaKey,
    /// The area's centroid (see [`AreaCentroids`]); `None` when unknown.
    pub centroid: Option<GeoPoint>,
    /// The need.
    pub need: TermCode,
    /// The population group; `None` for records without one (or with `by_population` off).
    pub population: Option<String>,
    /// Records: unmet needs + referrals + [`NeedCount`] counts.
    pub demand: Option<u64>,
    /// Referrals that connected the resident.
    pub met: Option<u64>,
    /// Unmet-need records + referrals that did not connect.
    pub unmet: Option<u64>,
    /// `unmet / (met + unmet)`: the share of resolved requests left unmet; `None` when
    /// nothing is resolved (open referrals and counts are neither).
    pub share_unmet: Option<f64>,
    /// Distinct services a resident of this population in this area could use for the need:
    /// filed under it, active, area covering the centroid, in person within `reach_m` (or
    /// remote with `RemoteAcceptable`), and eligible **or of unknown eligibility** for a
    /// profile holding only the population (the records carry no other fact, so a service
    /// with an income test counts as potentially eligible).
    pub reachable_services: Option<u32>,
    /// Distance in whole metres from the centroid to the nearest such service (any distance
    /// up to `nearest_within_m`), `None` if none.
    pub nearest_m: Option<f64>,
    /// Reasons given for unmet records, most frequent first (ties by name), only those given
    /// by at least `k` records of the cell: [`UnmetReason`] names, and [`OutcomeReason`]
    /// names for referrals (the two share `language` and `closed_at_needed_times`).
    pub top_reasons: Vec<String>,
    /// The cell has fewer than `k` records.
    pub suppressed: bool,
}

/// What [`analyze_gaps`] returns.
#[derive(Debug, Clone, PartialEq)]
pub struct GapReport {
    /// Cells in area, need, population order (`None` population first).
    pub cells: Vec<GapCell>,
    /// The `k` applied.
    pub min_records: u32,
    /// Records in suppressed cells, all together; `None` when fewer than `k` (or none).
    pub suppressed_records: Option<u64>,
    /// Referrals left out because they carry no area.
    pub referrals_without_area: u64,
}

/// Reason slots: unmet reasons, then outcome reasons not already named.
const REASONS: [&str; 15] = [
    "no_service_for_need",
    "none_within_reach",
    "all_ineligible",
    "all_full",
    "closed_at_needed_times",
    "language",
    "only_virtual",
    "cost",
    "no_answer",
    "not_eligible",
    "waitlist_full",
    "too_far",
    "virtual_only",
    "declined",
    "other",
];

fn unmet_slot(r: UnmetReason) -> usize {
    match r {
        UnmetReason::NoServiceForNeed => 0,
        UnmetReason::NoneWithinReach => 1,
        UnmetReason::AllIneligible => 2,
        UnmetReason::AllFull => 3,
        UnmetReason::ClosedAtNeededTimes => 4,
        UnmetReason::Language => 5,
        UnmetReason::OnlyVirtual => 6,
        UnmetReason::Cost => 7,
    }
}

fn outcome_slot(r: OutcomeReason) -> usize {
    match r {
        OutcomeReason::NoAnswer => 8,
        OutcomeReason::NotEligible => 9,
        OutcomeReason::WaitlistFull => 10,
        OutcomeReason::TooFar => 11,
        OutcomeReason::Language => 5,
        OutcomeReason::Cost => 7,
        OutcomeReason::VirtualOnly => 12,
        OutcomeReason::ClosedAtNeededTimes => 4,
        OutcomeReason::Declined => 13,
        OutcomeReason::Other => 14,
    }
}

#[derive(Debug, Default)]
struct Tally {
    demand: u64,
    met: u64,
    unmet: u64,
    reasons: [u64; REASONS.len()],
}

type Key<'a> = (&'a AreaKey, &'a TermCode, Option<&'a str>);

/// Where a referral stands for gap analysis: met, unmet (with its reason) or still open.
enum Resolution {
    Met,
    Unmet(Option<OutcomeReason>),
    Open,
}

fn resolve(r: &Referral) -> Resolution {
    let reached = |s: ReferralStatus| r.status == s || r.history.iter().any(|c| c.status == s);
    if reached(ReferralStatus::NotConnected) {
        Resolution::Unmet(r.outcome)
    } else if reached(ReferralStatus::Connected) {
        Resolution::Met
    } else {
        Resolution::Open
    }
}

/// Gap analysis: demand from unmet-need records, referrals and need counts, set against what
/// the directory offers, per area × need (× population).
///
/// - An [`UnmetNeed`] is demand and unmet, with its reason.
/// - A [`Referral`] (with an `area`) is demand; it is *met* once connected, *unmet* once
///   not connected (with its [`OutcomeReason`]; a referral that reached `not_connected` is
///   unmet even if later closed), and open otherwise (referred, contacted, closed without
///   either). Referrals without an area are counted in
///   [`GapReport::referrals_without_area`] only.
/// - A [`NeedCount`] adds its count to demand.
///
/// Supply comes from `nav`: one search per shown cell from the area's centroid, for the
/// cell's need, with a profile holding only the population (`population` fact; a value the
/// catalogue rejects leaves it unknown) and [`GapOptions::delivery`]. See
/// [`GapCell::reachable_services`].
///
/// # Privacy
/// Cells with fewer than `k = min_records` records are suppressed: left out (or, with
/// `show_suppressed`, listed with no record counts). Complements are protected too: when the
/// suppressed population cells of an area and need hold 1 to `k − 1` records, the smallest
/// shown cells of that area and need are suppressed as well, so that the area's total (from a
/// report without the population breakdown) minus the shown cells never reveals a count
/// under `k`. Their records are reported only as one
/// total, [`GapReport::suppressed_records`], and only when that total is itself at least `k`.
/// Outputs carry area keys and area centroids, never a record's location (records have
/// none: see [`area_key_for_point`](crate::gaps::area_key_for_point)).
///
/// # Cost
/// One pass over the records (no allocation per record: cells are keyed by borrowed
/// fields), then one navigator search (paged) per shown cell.
///
/// # Errors
/// [`GapError::InvalidOption`] (inside [`crate::Error::Gap`]) for invalid options; search
/// errors are not expected (the queries are built valid) but are passed on.
///
/// # Examples
/// ```
/// use jiff::civil::date;
/// use passerelle::{gaps::analyze_gaps, gaps::AreaCentroids, referrals::AreaKey, Directory, gaps::GapOptions, Navigator,
///     NavigatorOptions, model::TermCode, referrals::UnmetNeed, referrals::UnmetReason};
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
/// let rec = UnmetNeed {
///     need: TermCode::new("food.bank").unwrap(),
///     population: None,
///     area: AreaKey::named("Kinburn").unwrap(),
///     date: date(2026, 11, 20),
///     reason: UnmetReason::NoneWithinReach,
/// };
/// let records = vec![rec; 6];
/// let report = analyze_gaps(&nav, &records, &[], &[], &AreaCentroids::ottawa_sample(),
///     &GapOptions::default()).unwrap();
/// let cell = &report.cells[0];
/// assert_eq!((cell.demand, cell.unmet, cell.share_unmet), (Some(6), Some(6), Some(1.0)));
/// assert_eq!(cell.top_reasons, ["none_within_reach"]);
/// ```
pub fn analyze_gaps(
    nav: &Navigator,
    unmet: &[UnmetNeed],
    referrals: &[Referral],
    counts: &[NeedCount],
    centroids: &AreaCentroids,
    options: &GapOptions,
) -> Result<GapReport, crate::Error> {
    options.validate()?;
    let by_pop = options.by_population;
    let mut cells: HashMap<Key<'_>, Tally> = HashMap::new();
    for u in unmet {
        let t = cells
            .entry((&u.area, &u.need, pop(&u.population, by_pop)))
            .or_default();
        t.demand += 1;
        t.unmet += 1;
        if let Some(slot) = t.reasons.get_mut(unmet_slot(u.reason)) {
            *slot += 1;
        }
    }
    let mut without_area = 0u64;
    for r in referrals {
        let Some(area) = &r.area else {
            without_area += 1;
            continue;
        };
        let t = cells
            .entry((area, &r.need, pop(&r.population, by_pop)))
            .or_default();
        t.demand += 1;
        match resolve(r) {
            Resolution::Met => t.met += 1,
            Resolution::Unmet(reason) => {
                t.unmet += 1;
                if let Some(slot) = reason.and_then(|r| t.reasons.get_mut(outcome_slot(r))) {
                    *slot += 1;
                }
            }
            Resolution::Open => {}
        }
    }
    for c in counts {
        let t = cells
            .entry((&c.area, &c.need, pop(&c.population, by_pop)))
            .or_default();
        t.demand = t.demand.saturating_add(c.count);
    }

    let k = u64::from(options.min_records);
    let mut keys: Vec<(Key<'_>, Tally)> = cells.into_iter().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let secondary = complement_protection(&keys, k);
    let mut suppressed_total = 0u64;
    let mut supply = Supply::new(nav, options);
    let mut out = Vec::new();
    for (i, ((area, need, population), t)) in keys.into_iter().enumerate() {
        let suppressed = t.demand < k || secondary.contains(&i);
        if suppressed {
            suppressed_total = suppressed_total.saturating_add(t.demand);
            if !options.show_suppressed {
                continue;
            }
        }
        let centroid = centroids.get(area);
        let (reachable, nearest) = match centroid {
            Some(c) => {
                let (r, n) = supply.at(c, need, population)?;
                (Some(r), n)
            }
            None => (None, None),
        };
        let shown = |v: u64| (!suppressed).then_some(v);
        let resolved = t.met + t.unmet;
        out.push(GapCell {
            area: area.clone(),
            centroid,
            need: need.clone(),
            population: population.map(str::to_owned),
            demand: shown(t.demand),
            met: shown(t.met),
            unmet: shown(t.unmet),
            share_unmet: (!suppressed && resolved > 0).then(|| t.unmet as f64 / resolved as f64),
            reachable_services: reachable,
            nearest_m: nearest,
            top_reasons: if suppressed {
                Vec::new()
            } else {
                top_reasons(&t.reasons, k, options.top_reasons)
            },
            suppressed,
        });
    }
    Ok(GapReport {
        cells: out,
        min_records: options.min_records,
        suppressed_records: (suppressed_total >= k).then_some(suppressed_total),
        referrals_without_area: without_area,
    })
}

/// Secondary suppression: indices of cells (sorted by area, need, population) to hide as
/// well, so that no suppressed population cell can be recovered from its area and need's
/// total (a report without the population breakdown shows it) by subtracting the shown
/// cells. In each area × need group whose suppressed cells hold 1 to `k − 1` records, the
/// smallest shown cells are suppressed too until the hidden records number at least `k`.
fn complement_protection(keys: &[(Key<'_>, Tally)], k: u64) -> HashSet<usize> {
    let mut extra = HashSet::new();
    let mut start = 0;
    while start < keys.len() {
        let Some(((area, need, _), _)) = keys.get(start) else {
            break;
        };
        let end = keys
            .iter()
            .skip(start)
            .position(|((a, n, _), _)| a != area || n != need)
            .map_or(keys.len(), |len| start + len);
        let group = start..end;
        let mut hidden: u64 = keys
            .get(group.clone())
            .unwrap_or_default()
            .iter()
            .map(|(_, t)| t.demand)
            .filter(|d| *d < k)
            .sum();
        if hidden > 0 && hidden < k {
            let mut shown: Vec<(u64, usize)> = group
                .filter_map(|i| keys.get(i).map(|(_, t)| (t.demand, i)))
                .filter(|(d, _)| *d >= k)
                .collect();
            shown.sort_unstable();
            for (d, i) in shown {
                if hidden >= k {
                    break;
                }
                extra.insert(i);
                hidden = hidden.saturating_add(d);
            }
        }
        start = end;
    }
    extra
}

fn pop(p: &Option<String>, by_population: bool) -> Option<&str> {
    if by_population {
        p.as_deref()
    } else {
        None
    }
}

fn top_reasons(counts: &[u64; REASONS.len()], k: u64, max: usize) -> Vec<String> {
    let mut list: Vec<(u64, &str)> = counts
        .iter()
        .zip(REASONS)
        .filter(|(n, _)| **n >= k && **n > 0)
        .map(|(n, name)| (*n, name))
        .collect();
    list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    list.into_iter()
        .take(max)
        .map(|(_, name)| name.to_owned())
        .collect()
}

/// Centroid bits, need, population.
type SupplyKey = (u64, u64, String, Option<String>);

/// Supply lookups, memoised per (centroid, need, population).
struct Supply<'n> {
    nav: &'n Navigator,
    options: &'n GapOptions,
    memo: HashMap<SupplyKey, (u32, Option<f64>)>,
}

impl<'n> Supply<'n> {
    fn new(nav: &'n Navigator, options: &'n GapOptions) -> Self {
        Self {
            nav,
            options,
            memo: HashMap::new(),
        }
    }

    fn at(
        &mut self,
        centroid: GeoPoint,
        need: &TermCode,
        population: Option<&str>,
    ) -> Result<(u32, Option<f64>), crate::Error> {
        let key = (
            centroid.lat().to_bits(),
            centroid.lon().to_bits(),
            need.as_str().to_owned(),
            population.map(str::to_owned),
        );
        if let Some(v) = self.memo.get(&key) {
            return Ok(*v);
        }
        let v = self.search(centroid, need, population)?;
        self.memo.insert(key, v);
        Ok(v)
    }

    fn search(
        &self,
        centroid: GeoPoint,
        need: &TermCode,
        population: Option<&str>,
    ) -> Result<(u32, Option<f64>), crate::Error> {
        let mut profile = self.nav.catalog().profile();
        if let Some(p) = population {
            // A value outside the catalogue leaves the fact unknown.
            let _ = profile.set("population", FactValue::List(vec![p.to_owned()]));
        }
        let mut query = Query::new([Need::term(need.clone())])
            .near(centroid, self.options.nearest_within_m)
            .delivery(self.options.delivery)
            .profile(profile)
            .limit(MAX_LIMIT as i64);
        if let Some(p) = population {
            query = query.populations([p]);
        }
        let mut reachable: HashSet<String> = HashSet::new();
        let mut nearest = f64::INFINITY;
        let mut offset = 0usize;
        loop {
            let res = self.nav.search(&query.clone().offset(offset))?;
            let Some(n) = res.needs.first() else { break };
            for m in &n.matches {
                let visit = matches!(m.via, DeliveryMode::InPerson | DeliveryMode::MobileOutreach);
                if visit {
                    if let Some(d) = m.distance_m {
                        nearest = nearest.min(d);
                    }
                }
                let within = !visit || m.distance_m.is_none_or(|d| d <= self.options.reach_m);
                if within && !reachable.contains(&m.service_id) {
                    reachable.insert(m.service_id.clone());
                }
            }
            offset += n.matches.len();
            if n.matches.is_empty() || offset >= n.total {
                break;
            }
        }
        Ok((
            u32::try_from(reachable.len()).unwrap_or(u32::MAX),
            nearest.is_finite().then(|| nearest.round()),
        ))
    }
}
