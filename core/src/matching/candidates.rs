//! Stage: candidates. Every SAL of the services a need resolved to is filtered (service
//! area, distance and delivery, eligibility, hours, language, cost) and scored, with no
//! allocation per candidate. What each filter removed is counted in [`FilterCounts`].
//!
//! Two plans give the same candidates and counts. With a location and a radius, the spatial
//! plan reads, per need term, only the sites near the resident (`index/near.rs`) plus the
//! SALs a search cannot drop by distance alone (remote delivery, service areas), and counts
//! the far sites from per-service totals; otherwise every SAL is read (the full scan).

use crate::model::{DeliveryMode, Openness};
use crate::rules::{Profile, Verdict};
use crate::spatial::HaversineFrom;

use super::access;
use super::index::{len_u32, modes, Cost, NearBound, NONE};
use super::navigator::Navigator;
use super::needs::ResolvedNeed;
use super::query::{DeliveryPreference, OpenRequirement, Query};
use super::result::{EligibilityStatus, FilterCounts, NeedMatchKind};
use super::retrieval;
use super::score::{
    capacity_value, combine, cost_value, coverage_value, eligibility_value, freshness,
    language_value, open_value, population_value, Factor, FactorValues,
};

/// Up to this many distinct schedules (rules), a search remembers each one's openness
/// (verdict).
const MEMO_MAX: usize = 4096;

/// One scored candidate (hot path: plain data, no heap).
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) sal: u32,
    pub(super) need_kind: NeedMatchKind,
    pub(super) distance_m: f64,
    pub(super) values: FactorValues,
    pub(super) score: f64,
    pub(super) pinned: bool,
    pub(super) eligibility: EligibilityStatus,
    pub(super) via: DeliveryMode,
    pub(super) openness: Openness,
}

/// One need's resolution, its candidates and what the filters removed.
pub(super) type NeedCandidates = (ResolvedNeed, Vec<Candidate>, FilterCounts);

/// Per-query precomputed values.
pub(super) struct QueryContext<'q> {
    pub(super) query: &'q Query,
    pub(super) profile: &'q Profile,
    pub(super) at: jiff::Timestamp,
    pub(super) today: i32,
    pub(super) lang_bits: u64,
    pub(super) access_bits: u32,
    /// Distinct accessibility codes the query needs.
    pub(super) access_needed: usize,
    pub(super) pop_bits: u64,
}

impl<'q> QueryContext<'q> {
    pub(super) fn new(nav: &'q Navigator, query: &'q Query, at: jiff::Timestamp) -> Self {
        let idx = &nav.idx;
        let lang_bits = query
            .languages
            .iter()
            .filter_map(|l| idx.languages.iter().position(|x| x == l.primary()))
            .fold(0u64, |acc, i| acc | 1u64 << i.min(62));
        let needed = access::query_codes(&query.accessibility);
        let access_bits = needed
            .iter()
            .filter_map(|a| idx.access_codes.iter().position(|x| x == a))
            .fold(0u32, |acc, i| acc | 1u32 << i.min(30));
        let pop_bits = query
            .populations
            .iter()
            .filter_map(|p| idx.populations.iter().position(|x| x == p.trim()))
            .fold(0u64, |acc, i| acc | 1u64 << i.min(63));
        Self {
            query,
            profile: query.profile.as_ref().unwrap_or(&nav.empty_profile),
            at,
            today: days_since_epoch(at, &nav.tz),
            lang_bits,
            access_bits,
            access_needed: needed.len(),
            pop_bits,
        }
    }
}

/// Days since 1970-01-01 of the date of `at` in `tz`.
fn days_since_epoch(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> i32 {
    let date = at.to_zoned(tz.clone()).date();
    date.since(jiff::civil::date(1970, 1, 1))
        .map_or(0, |span| span.get_days())
}

/// Openness per distinct schedule and verdict per distinct rule, computed on first use
/// (services share schedules and rules).
struct Memo {
    open: Vec<Option<Openness>>,
    verdict: Vec<Option<Verdict>>,
}

impl Memo {
    fn new(nav: &Navigator) -> Self {
        Self {
            open: memo_slots(nav.idx.hours.len()),
            verdict: memo_slots(nav.idx.rules.len()),
        }
    }
}

/// `n` empty memo slots, none past [`MEMO_MAX`].
fn memo_slots<T: Clone>(n: usize) -> Vec<Option<T>> {
    if n <= MEMO_MAX {
        vec![None; n]
    } else {
        Vec::new()
    }
}

/// The values every SAL of one service shares.
struct ServiceValues {
    need_kind: NeedMatchKind,
    relevance: f32,
    /// The service leads for a crisis need.
    crisis_service: bool,
    cost: Cost,
    fresh: f32,
    cap_v: f32,
    pop_v: Option<f32>,
    eligibility: EligibilityStatus,
    /// The service's area group.
    area: u32,
}

/// Why a SAL was not kept (one [`FilterCounts`] field each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dropped {
    OutsideArea,
    TooFar,
    Delivery,
    Ineligible,
    Closed,
    Language,
    Cost,
}

impl Dropped {
    fn count(self, counts: &mut FilterCounts) {
        let field = match self {
            Self::OutsideArea => &mut counts.outside_area,
            Self::TooFar => &mut counts.too_far,
            Self::Delivery => &mut counts.delivery,
            Self::Ineligible => &mut counts.ineligible,
            Self::Closed => &mut counts.closed,
            Self::Language => &mut counts.language,
            Self::Cost => &mut counts.cost,
        };
        *field += 1;
    }
}

/// At most this many need terms are read through the spatial plan (the services of the
/// others are scanned in full).
const MAX_NEAR_TERMS: usize = 16;

/// One candidate stage's state: the query, the need, and what it has kept and counted.
struct Scan<'a, 'q> {
    ctx: &'a QueryContext<'q>,
    need: &'a ResolvedNeed,
    origin: &'a Origin,
    memo: &'a mut Memo,
    counts: &'a mut FilterCounts,
    out: &'a mut Vec<Candidate>,
}

impl Scan<'_, '_> {
    /// Filters and scores SAL `i` of the service of `sv`: kept, or counted by its filter.
    fn keep(&mut self, nav: &Navigator, sv: &ServiceValues, i: usize) {
        match nav.sal_candidate(self.ctx, sv, i, self.origin, self.memo) {
            Ok(c) => {
                self.counts.kept += 1;
                self.out.push(c);
            }
            Err(why) => why.count(self.counts),
        }
    }
}

/// Where the resident is, for distances.
struct Origin {
    from: Option<HaversineFrom>,
    /// `HaversineFrom::beyond_threshold` of the radius.
    beyond: Option<f64>,
}

impl Navigator {
    /// Filters and scores every SAL of the services matching a resolved need: the sites
    /// near the resident through the spatial plan when it applies
    /// ([`Navigator::candidates_near`]), else every SAL ([`Navigator::candidates_full`]).
    /// Both give the same candidates, in SAL order, and the same counts.
    pub(super) fn candidates(
        &self,
        ctx: &QueryContext<'_>,
        need: &ResolvedNeed,
    ) -> (Vec<Candidate>, FilterCounts) {
        #[cfg(test)]
        if plan_tests::FULL_SCAN.with(std::cell::Cell::get) {
            return self.candidates_full(ctx, need);
        }
        match self.candidates_near(ctx, need) {
            Some(found) => {
                #[cfg(test)]
                plan_tests::NEAR_PLANS.with(|n| n.set(n.get() + 1));
                found
            }
            None => self.candidates_full(ctx, need),
        }
    }

    /// Far sites can be dropped up front when nothing else can keep them (see `far_sites`):
    /// no accessibility need, no crisis, and a delivery preference under which a site
    /// beyond the radius is not deliverable.
    fn far_is_dropped(q: &Query, need: &ResolvedNeed) -> bool {
        q.accessibility.is_empty()
            && need.crisis.is_none()
            && matches!(
                q.delivery,
                DeliveryPreference::RemoteAcceptable | DeliveryPreference::InPersonOnly
            )
    }

    /// The full scan: every SAL of every service the need resolved to, province-wide.
    pub(super) fn candidates_full(
        &self,
        ctx: &QueryContext<'_>,
        need: &ResolvedNeed,
    ) -> (Vec<Candidate>, FilterCounts) {
        let q = ctx.query;
        let mut counts = FilterCounts::default();
        let mut memo = Memo::new(self);
        let origin = Origin {
            from: q.location.map(HaversineFrom::new),
            beyond: HaversineFrom::beyond_threshold(q.max_distance_m),
        };
        let fast = Self::far_is_dropped(q, need);
        let svc = &self.idx.svc;
        let mut out = Vec::with_capacity(
            need.services
                .iter()
                .filter_map(|&(si, _, _)| svc.sal_range(si as usize).map(|(a, b)| b - a))
                .sum::<u32>() as usize,
        );
        let mut scan = Scan {
            ctx,
            need,
            origin: &origin,
            memo: &mut memo,
            counts: &mut counts,
            out: &mut out,
        };
        for &entry in &need.services {
            self.scan_service(&mut scan, entry, fast);
        }
        (out, counts)
    }

    /// The spatial plan, when the query has a location and a radius, far sites are dropped
    /// up front (`far_is_dropped`) and some term of the need has sites: for the services
    /// filed under the need's terms, only the sites the grid cannot rule out
    /// (`NearSites::for_each_near`) are read; their other SALs (remote delivery, service
    /// areas, no point) are read as in the full scan, and their far sites are counted from
    /// the per-service totals (too far when visited in person or by mobile outreach, not
    /// deliverable otherwise, as the full scan counts them). Services the need matched
    /// outside those terms are scanned in full. `None` when the plan does not apply.
    pub(super) fn candidates_near(
        &self,
        ctx: &QueryContext<'_>,
        need: &ResolvedNeed,
    ) -> Option<(Vec<Candidate>, FilterCounts)> {
        let q = ctx.query;
        if !Self::far_is_dropped(q, need) {
            return None;
        }
        let location = q.location?;
        let threshold = HaversineFrom::beyond_threshold(q.max_distance_m)?;
        let bound = NearBound::new(location.lat(), location.lon(), threshold)?;
        let near = &self.idx.near;
        let mut terms: Vec<u32> = need
            .terms
            .iter()
            .map(|&(t, _)| t)
            .filter(|&t| near.has_sites(t))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms.truncate(MAX_NEAR_TERMS);
        if terms.is_empty() {
            return None;
        }
        let mut hits: Vec<u32> = Vec::new();
        for &t in &terms {
            near.for_each_near(t, &bound, |i| hits.push(i));
        }
        hits.sort_unstable();
        hits.dedup();
        let postings: Vec<&[u32]> = terms
            .iter()
            .map(|&t| {
                self.idx
                    .postings
                    .get(t as usize)
                    .map_or(&[][..], Vec::as_slice)
            })
            .collect();
        let mut at = vec![0usize; postings.len()];
        let from = HaversineFrom::new(location);
        let origin = Origin {
            from: Some(from),
            beyond: Some(threshold),
        };
        let mut counts = FilterCounts::default();
        let mut memo = Memo::new(self);
        let mut out = Vec::with_capacity(hits.len());
        let mut scan = Scan {
            ctx,
            need,
            origin: &origin,
            memo: &mut memo,
            counts: &mut counts,
            out: &mut out,
        };
        let sal = &self.idx.sal;
        let service_of = |i: u32| sal.service.get(i as usize).copied().unwrap_or(NONE);
        let mut h = 0usize;
        for &entry in &need.services {
            let (si, need_kind, relevance) = entry;
            let s = si as usize;
            // Filed under one of the terms read: its sites are in the hits.
            let mut filed = false;
            for (list, pos) in postings.iter().zip(at.iter_mut()) {
                while list.get(*pos).is_some_and(|&x| x < si) {
                    *pos += 1;
                }
                filed |= list.get(*pos) == Some(&si);
            }
            // Hits are in SAL order, hence in service order; those of services the need
            // did not match are passed over.
            while hits.get(h).is_some_and(|&i| service_of(i) < si) {
                h += 1;
            }
            let first = h;
            while hits.get(h).is_some_and(|&i| service_of(i) == si) {
                h += 1;
            }
            if !filed {
                self.scan_service(&mut scan, entry, true);
                continue;
            }
            let Some((start, end)) = self.active_sals(s, scan.counts) else {
                continue;
            };
            let n_sals = (end - start) as usize;
            let sites = near.sites.get(s).copied().unwrap_or(0) as usize;
            let visit = near.sites_visit.get(s).copied().unwrap_or(0) as usize;
            scan.counts.too_far += visit;
            scan.counts.delivery += sites.saturating_sub(visit);
            let mut sv: Option<ServiceValues> = None;
            if sites < n_sals {
                for i in start..end {
                    if sal.site_only.get(i as usize).copied().unwrap_or(true) {
                        continue;
                    }
                    let v = sv.get_or_insert_with(|| {
                        self.service_values(ctx, need, s, need_kind, relevance, scan.memo)
                    });
                    scan.keep(self, v, i as usize);
                }
            }
            for &i in hits.get(first..h).unwrap_or(&[]) {
                let i = i as usize;
                let (Some(Some(site)), Some(&cos_lat)) = (sal.point.get(i), sal.cos_lat.get(i))
                else {
                    continue;
                };
                if from.surely_beyond(site.lon(), site.lat(), cos_lat, threshold) {
                    continue; // counted above
                }
                // Counted above as far; its own filters count it now.
                if sal.modes.get(i).copied().unwrap_or(0) & modes::VISIT != 0 {
                    scan.counts.too_far = scan.counts.too_far.saturating_sub(1);
                } else {
                    scan.counts.delivery = scan.counts.delivery.saturating_sub(1);
                }
                let v = sv.get_or_insert_with(|| {
                    self.service_values(ctx, need, s, need_kind, relevance, scan.memo)
                });
                scan.keep(self, v, i);
            }
        }
        out.sort_unstable_by_key(|c| c.sal);
        Some((out, counts))
    }

    /// The SAL range of a service the need matched, counted as matched; `None` (its SALs
    /// counted as inactive) when the service is inactive, or when it has no SAL.
    fn active_sals(&self, s: usize, counts: &mut FilterCounts) -> Option<(u32, u32)> {
        let svc = &self.idx.svc;
        let (start, end) = svc.sal_range(s)?;
        let n_sals = (end - start) as usize;
        counts.matched_need += n_sals;
        if !svc.active.get(s).copied().unwrap_or(false) {
            counts.inactive += n_sals;
            return None;
        }
        Some((start, end))
    }

    /// Filters and scores every SAL of one service the need matched (far sites first when
    /// `fast`, see `far_sites`).
    fn scan_service(&self, scan: &mut Scan<'_, '_>, entry: (u32, NeedMatchKind, f32), fast: bool) {
        let (si, need_kind, relevance) = entry;
        let s = si as usize;
        let Some((start, end)) = self.active_sals(s, scan.counts) else {
            return;
        };
        let n_sals = (end - start) as usize;
        let mut far = 0u64;
        if let (true, Some(from), Some(threshold)) = (fast, &scan.origin.from, scan.origin.beyond) {
            far = self.far_sites(start, end, from, threshold, scan.counts);
            if far.count_ones() as usize == n_sals {
                return;
            }
        }
        let sv = self.service_values(scan.ctx, scan.need, s, need_kind, relevance, scan.memo);
        for (k, i) in (start..end).enumerate() {
            if far & 1u64.checked_shl(k as u32).unwrap_or(0) != 0 {
                continue; // counted in `far_sites`
            }
            scan.keep(self, &sv, i as usize);
        }
    }

    /// The sites among SALs `start..end` certainly beyond the radius (bit k: SAL
    /// `start + k`, the first 64), counted as too far or not deliverable. Exact: such a site
    /// has no area to test, no remote delivery and, with no accessibility needs and no
    /// crisis, fails `delivery_fit` past the radius, so it is dropped before any other work.
    fn far_sites(
        &self,
        start: u32,
        end: u32,
        from: &HaversineFrom,
        threshold: f64,
        counts: &mut FilterCounts,
    ) -> u64 {
        let sal = &self.idx.sal;
        let mut far = 0u64;
        for (k, i) in (start..end).take(64).enumerate() {
            let i = i as usize;
            if !sal.site_only.get(i).copied().unwrap_or(false) {
                continue;
            }
            let (Some(Some(site)), Some(&cos_lat)) = (sal.point.get(i), sal.cos_lat.get(i)) else {
                continue;
            };
            if from.surely_beyond(site.lon(), site.lat(), cos_lat, threshold) {
                far |= 1 << k;
                if sal.modes.get(i).copied().unwrap_or(0) & modes::VISIT != 0 {
                    counts.too_far += 1;
                } else {
                    counts.delivery += 1;
                }
            }
        }
        far
    }

    /// The values of service `s` its SALs share.
    fn service_values(
        &self,
        ctx: &QueryContext<'_>,
        need: &ResolvedNeed,
        s: usize,
        need_kind: NeedMatchKind,
        relevance: f32,
        memo: &mut Memo,
    ) -> ServiceValues {
        let svc = &self.idx.svc;
        let crisis_service = need.crisis.is_some()
            && retrieval::leads(svc.crisis.get(s).copied().unwrap_or(0), need.crisis_mask);
        let eligibility = match svc.rule.get(s).copied().unwrap_or(NONE) {
            NONE => EligibilityStatus::Eligible,
            r => match self.idx.rules.get(r as usize).map(|rule| {
                match memo.verdict.get_mut(r as usize) {
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
        ServiceValues {
            need_kind,
            relevance,
            crisis_service,
            cost: svc.cost.get(s).copied().unwrap_or(Cost::Unknown),
            fresh: freshness(
                svc.assured_day.get(s).copied().unwrap_or(i32::MIN),
                ctx.today,
            ),
            cap_v: capacity_value(svc.capacity.get(s).copied().unwrap_or(f32::NAN)),
            pop_v: (ctx.pop_bits != 0).then(|| {
                population_value(svc.populations.get(s).copied().unwrap_or(0), ctx.pop_bits)
            }),
            eligibility,
            area: svc.area.get(s).copied().unwrap_or(NONE),
        }
    }

    /// SAL `i` filtered and scored, or the filter that dropped it.
    fn sal_candidate(
        &self,
        ctx: &QueryContext<'_>,
        sv: &ServiceValues,
        i: usize,
        origin: &Origin,
        memo: &mut Memo,
    ) -> Result<Candidate, Dropped> {
        let q = ctx.query;
        let sal = &self.idx.sal;
        // Service area.
        let area = self.idx.area_of(i, sv.area);
        let known = !self
            .idx
            .area_unknown
            .get(area as usize)
            .copied()
            .unwrap_or(true);
        let covered = match (q.location, self.idx.areas.get(area as usize)) {
            (Some(p), Some(group)) if known => group.contains(p, &self.named_areas),
            _ => None,
        };
        if covered == Some(false) {
            return Err(Dropped::OutsideArea);
        }
        let has_area = area != NONE;
        let mut bits = sal.modes.get(i).copied().unwrap_or(0);
        // With `require_accessibility`, a site not known to have every accessibility
        // feature the resident needs is not offered in person; its other delivery
        // modes stay. Otherwise accessibility only ranks.
        if q.require_accessibility && !q.accessibility.is_empty() && bits & modes::IN_PERSON != 0 {
            let have = sal.access.get(i).copied().unwrap_or(0) & ctx.access_bits;
            if have.count_ones() as usize != ctx.access_needed {
                bits &= !modes::IN_PERSON;
            }
        }
        // A 24/7 crisis service leads whatever the distance (unknown hours count
        // when it answers the phone).
        let hours = sal.hours.get(i).copied().unwrap_or(NONE);
        let always_open = sal.always_open.get(i).copied().unwrap_or(false);
        let pinned =
            sv.crisis_service && (always_open || (hours == NONE && bits & modes::PHONE != 0));
        let distance_m = self.distance_m(ctx, origin, i, bits, has_area, pinned);
        // Delivery fit and proximity.
        let Some((fit, prox, via)) = self.delivery_fit(ctx, bits, distance_m, has_area, pinned)
        else {
            let visit_pref = matches!(
                q.delivery,
                DeliveryPreference::RemoteAcceptable | DeliveryPreference::InPersonOnly
            );
            return Err(if bits & modes::VISIT != 0 && visit_pref {
                Dropped::TooFar
            } else {
                Dropped::Delivery
            });
        };
        if sv.eligibility == EligibilityStatus::Ineligible && !q.include_ineligible {
            return Err(Dropped::Ineligible);
        }
        let open = match self.idx.hours.get(hours as usize) {
            Some(h) => match memo.open.get_mut(hours as usize) {
                Some(Some(known)) => *known,
                Some(slot) => *slot.insert(h.is_open_at(ctx.at)),
                None => h.is_open_at(ctx.at),
            },
            None => Openness::Unknown,
        };
        if q.open == OpenRequirement::OpenOnly && matches!(open, Openness::Closed { .. }) && !pinned
        {
            return Err(Dropped::Closed);
        }
        let lang_v = (!q.languages.is_empty())
            .then(|| language_value(sal.langs.get(i).copied().unwrap_or(0), ctx.lang_bits));
        if q.require_language && lang_v == Some(0.0) && !pinned {
            return Err(Dropped::Language);
        }
        if q.free_only && sv.cost == Cost::Paid {
            return Err(Dropped::Cost);
        }
        let access_v = (!q.accessibility.is_empty()).then(|| {
            if via != DeliveryMode::InPerson {
                1.0
            } else {
                let site = sal.access.get(i).copied().unwrap_or(0);
                access::value(site, ctx.access_bits, ctx.access_needed)
            }
        });
        let mut values: FactorValues = [None; Factor::COUNT];
        let mut set = |f: Factor, v: Option<f32>| {
            if let Some(slot) = values.get_mut(f.index()) {
                *slot = v;
            }
        };
        let located = q.location.is_some();
        set(Factor::Need, Some(sv.relevance));
        set(Factor::Distance, located.then_some(prox));
        set(Factor::Coverage, located.then_some(coverage_value(covered)));
        set(Factor::Eligibility, Some(eligibility_value(sv.eligibility)));
        set(Factor::Open, Some(open_value(&open, ctx.at)));
        set(Factor::Language, lang_v);
        set(Factor::Accessibility, access_v);
        set(Factor::Delivery, Some(fit));
        set(Factor::Cost, Some(cost_value(sv.cost)));
        set(Factor::Freshness, Some(sv.fresh));
        set(Factor::Capacity, Some(sv.cap_v));
        set(Factor::Population, sv.pop_v);
        set(Factor::OneStop, None);
        Ok(Candidate {
            sal: len_u32(i),
            need_kind: sv.need_kind,
            distance_m,
            score: combine(&values, &self.weight_array),
            values,
            pinned,
            eligibility: sv.eligibility,
            via,
            openness: open,
        })
    }

    /// Distance from the resident to SAL `i`'s site; NaN without either point. Bit-identical
    /// to `Haversine.distance_m(origin, site)`. A site certainly beyond the radius that only a
    /// reachable site would keep is infinitely far without the trigonometry: it fails
    /// `delivery_fit` at any distance past the radius.
    fn distance_m(
        &self,
        ctx: &QueryContext<'_>,
        origin: &Origin,
        i: usize,
        bits: u8,
        has_area: bool,
        pinned: bool,
    ) -> f64 {
        let sal = &self.idx.sal;
        let (Some(from), Some(site)) = (&origin.from, sal.point.get(i).copied().flatten()) else {
            return f64::NAN;
        };
        let cos_lat = sal.cos_lat.get(i).copied().unwrap_or(0.0);
        if origin
            .beyond
            .is_some_and(|t| from.surely_beyond(site.lon(), site.lat(), cos_lat, t))
            && self
                .delivery_fit(ctx, bits, f64::INFINITY, has_area, pinned)
                .is_none()
        {
            f64::INFINITY
        } else {
            from.distance_m_cos(site.lon(), site.lat(), cos_lat)
        }
    }
}

#[cfg(test)]
mod plan_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{sample_situations, NavigatorOptions, Need};
    use crate::model::Directory;

    /// Monday 2026-03-09, 10:30 in Ottawa.
    fn monday() -> jiff::Timestamp {
        "2026-03-09T15:30:00Z".parse().unwrap()
    }

    fn sample() -> Navigator {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .unwrap()
            .0
    }

    /// Runs need resolution and the candidate stage for each need of a query.
    fn run(nav: &Navigator, q: &Query) -> Vec<(Vec<Candidate>, FilterCounts)> {
        let ctx = QueryContext::new(nav, q, q.at.unwrap_or_else(monday));
        q.needs
            .iter()
            .map(|need| {
                let (_, cands, counts) = nav.need_candidates(&ctx, need).unwrap();
                (cands, counts)
            })
            .collect()
    }

    #[test]
    fn every_sal_of_a_matched_service_is_kept_or_counted_once() {
        let nav = sample();
        let mut seen = 0;
        for s in sample_situations(&nav) {
            for (cands, c) in run(&nav, &s.query) {
                let dropped = c.inactive
                    + c.outside_area
                    + c.too_far
                    + c.delivery
                    + c.ineligible
                    + c.closed
                    + c.language
                    + c.cost;
                assert_eq!(c.matched_need, dropped + c.kept, "{}", s.id);
                assert_eq!(c.kept, cands.len(), "{}", s.id);
                seen += c.matched_need;
            }
        }
        assert!(seen > 0);
    }

    #[test]
    fn filters_drop_what_the_query_excludes() {
        let nav = sample();
        let at = monday();
        let base = Query::new([Need::text("food")]).at(at);
        let (all, _) = run(&nav, &base).remove(0);
        assert!(!all.is_empty());
        let (free, counts) = run(&nav, &base.clone().free_only()).remove(0);
        for c in &free {
            let s = nav.service_index(c.sal);
            assert_ne!(nav.idx.svc.cost[s], Cost::Paid);
        }
        assert_eq!(free.len() + counts.cost, all.len());
        let (open, counts) = run(&nav, &base.clone().open_only()).remove(0);
        for c in &open {
            assert!(c.pinned || !matches!(c.openness, Openness::Closed { .. }));
        }
        assert_eq!(open.len() + counts.closed, all.len());
        for c in all.iter().chain(&free).chain(&open) {
            assert!((0.0..=1.0).contains(&c.score));
            assert_eq!(c.score, combine(&c.values, &nav.weight_array));
        }
    }
}
