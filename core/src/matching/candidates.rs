//! Stage: candidates. Every SAL of the services a need resolved to is filtered (service
//! area, distance and delivery, eligibility, hours, language, cost) and scored, with no
//! allocation per candidate. What each filter removed is counted in [`FilterCounts`].

use crate::model::{DeliveryMode, Openness};
use crate::rules::{Profile, Verdict};
use crate::spatial::HaversineFrom;

use super::access;
use super::index::{len_u32, modes, Cost, NONE};
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

/// Where the resident is, for distances.
struct Origin {
    from: Option<HaversineFrom>,
    /// `HaversineFrom::beyond_threshold` of the radius.
    beyond: Option<f64>,
}

impl Navigator {
    /// Filters and scores every SAL of the services matching a resolved need.
    pub(super) fn candidates(
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
        // Far sites are dropped up front when nothing else can keep them (see `far_sites`).
        let fast = q.accessibility.is_empty()
            && need.crisis.is_none()
            && matches!(
                q.delivery,
                DeliveryPreference::RemoteAcceptable | DeliveryPreference::InPersonOnly
            );
        let svc = &self.idx.svc;
        let mut out = Vec::with_capacity(
            need.services
                .iter()
                .filter_map(|&(si, _, _)| svc.sal_range(si as usize).map(|(a, b)| b - a))
                .sum::<u32>() as usize,
        );
        for &(si, need_kind, relevance) in &need.services {
            let s = si as usize;
            let Some((start, end)) = svc.sal_range(s) else {
                continue;
            };
            let n_sals = (end - start) as usize;
            counts.matched_need += n_sals;
            if !svc.active.get(s).copied().unwrap_or(false) {
                counts.inactive += n_sals;
                continue;
            }
            let mut far = 0u64;
            if let (true, Some(from), Some(threshold)) = (fast, &origin.from, origin.beyond) {
                far = self.far_sites(start, end, from, threshold, &mut counts);
                if far.count_ones() as usize == n_sals {
                    continue;
                }
            }
            let sv = self.service_values(ctx, need, s, need_kind, relevance, &mut memo);
            for (k, i) in (start..end).enumerate() {
                if far & 1u64.checked_shl(k as u32).unwrap_or(0) != 0 {
                    continue; // counted in `far_sites`
                }
                match self.sal_candidate(ctx, &sv, i as usize, &origin, &mut memo) {
                    Ok(c) => {
                        counts.kept += 1;
                        out.push(c);
                    }
                    Err(why) => why.count(&mut counts),
                }
            }
        }
        (out, counts)
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
