//! Stage: ranking. The one-stop factor (a location serving the resident's other needs),
//! the total result order, paging, and the locations serving several needs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use foldhash::HashMap;

use super::candidates::{Candidate, NeedCandidates};
use super::index::NONE;
use super::navigator::Navigator;
use super::result::MultiNeedLocation;
use super::score::{combine, Factor};

/// Location (index into `Directory::locations`) → bit set of the needs served there.
pub(super) type Served = HashMap<u32, u32>;

impl Navigator {
    /// With two needs or more: which needs each location serves, and each candidate's
    /// one-stop value (the share of the other needs served at its location), rescored.
    pub(super) fn one_stop(&self, per_need: &mut [NeedCandidates]) -> Served {
        let n_needs = per_need.len();
        let mut served = Served::default();
        if n_needs <= 1 {
            return served;
        }
        for (ni, (_, cands, _)) in per_need.iter().enumerate() {
            for c in cands {
                let loc = self.idx.sal.location_of(c.sal);
                if loc != NONE {
                    *served.entry(loc).or_default() |= 1 << ni;
                }
            }
        }
        for (ni, (_, cands, _)) in per_need.iter_mut().enumerate() {
            for c in cands.iter_mut() {
                let loc = self.idx.sal.location_of(c.sal);
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
        served
    }

    /// Puts each need's candidates in [`Navigator::order`]. With one need only the first
    /// `keep` (the requested page and those before it) are read in order (one-stop and
    /// multi-need lists need two needs; next questions sort services themselves): they are
    /// selected, then only they are sorted. `order` is total, so the page is the same.
    pub(super) fn sort_pages(&self, per_need: &mut [NeedCandidates], keep: usize) {
        let n_needs = per_need.len();
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
    }

    /// Result order: crisis services first, then score (desc), distance (asc, unknown
    /// last), service id, service-at-location id.
    pub(super) fn order(&self, a: &Candidate, b: &Candidate) -> Ordering {
        b.pinned
            .cmp(&a.pinned)
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| cmp_distance(a.distance_m, b.distance_m))
            .then_with(|| self.service_id(a.sal).cmp(self.service_id(b.sal)))
            .then_with(|| self.sal_id(a.sal).cmp(self.sal_id(b.sal)))
    }

    /// Locations serving two needs or more: needs served (desc), mean best score over all
    /// needs (desc), distance, location id.
    pub(super) fn multi_need(
        &self,
        per_need: &[NeedCandidates],
        served: &HashMap<u32, u32>,
        limit: usize,
    ) -> Vec<MultiNeedLocation> {
        let n_needs = per_need.len();
        let mut best: BTreeMap<u32, Vec<Option<&Candidate>>> = BTreeMap::new();
        for (ni, (_, cands, _)) in per_need.iter().enumerate() {
            for c in cands {
                let loc = self.idx.sal.location_of(c.sal);
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

/// Known distances first, ascending; unknown (NaN) last.
fn cmp_distance(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (false, false) => a.total_cmp(&b),
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        (true, true) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::candidates::QueryContext;
    use crate::matching::{NavigatorOptions, Need, Query};
    use crate::model::Directory;

    /// Monday 2026-03-09, 10:30 in Ottawa.
    fn monday() -> jiff::Timestamp {
        "2026-03-09T15:30:00Z".parse().unwrap()
    }

    fn per_need(nav: &Navigator, q: &Query) -> Vec<NeedCandidates> {
        let ctx = QueryContext::new(nav, q, q.at.unwrap_or_else(monday));
        q.needs
            .iter()
            .map(|need| nav.need_candidates(&ctx, need).unwrap())
            .collect()
    }

    #[test]
    fn unknown_distances_sort_last() {
        assert_eq!(cmp_distance(1.0, 2.0), Ordering::Less);
        assert_eq!(cmp_distance(1.0, f64::NAN), Ordering::Less);
        assert_eq!(cmp_distance(f64::NAN, 0.0), Ordering::Greater);
        assert_eq!(cmp_distance(f64::NAN, f64::NAN), Ordering::Equal);
    }

    #[test]
    fn a_selected_page_is_the_head_of_the_full_order() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let at = monday();
        let q = Query::new([Need::text("food")]).at(at);
        let mut full = per_need(&nav, &q);
        let mut page = per_need(&nav, &q);
        assert!(full[0].1.len() > 3);
        nav.sort_pages(&mut full, usize::MAX);
        nav.sort_pages(&mut page, 3);
        let ids = |v: &[Candidate]| v.iter().take(3).map(|c| c.sal).collect::<Vec<_>>();
        assert_eq!(ids(&full[0].1), ids(&page[0].1));
        for w in full[0].1.windows(2) {
            assert_ne!(nav.order(&w[0], &w[1]), Ordering::Greater);
        }
    }

    #[test]
    fn one_stop_values_the_other_needs_served_at_a_location() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let at = monday();
        let q = Query::new([Need::text("food"), Need::text("rent")]).at(at);
        let mut needs = per_need(&nav, &q);
        let served = nav.one_stop(&mut needs);
        for (ni, (_, cands, _)) in needs.iter().enumerate() {
            for c in cands {
                let v = c.values[Factor::OneStop.index()].unwrap();
                let loc = nav.idx.sal.location_of(c.sal);
                let both = served.get(&loc).is_some_and(|m| m.count_ones() == 2);
                assert_eq!(v, if both { 1.0 } else { 0.0 }, "need {ni}");
                assert_eq!(c.score, combine(&c.values, &nav.weight_array));
            }
        }
        nav.sort_pages(&mut needs, usize::MAX);
        for m in nav.multi_need(&needs, &served, 10) {
            assert_eq!(m.needs, [0, 1]);
        }
    }
}
