//! Stage: presentation. Only the requested page becomes [`Match`]es: names, hours in
//! words, eligibility explained, reasons and contact details (`contact.rs`); each need gets
//! its results and, when empty, why; a crisis need gets its notice.

use crate::model::DeliveryMode;
use crate::rules::{Outcome, Profile};

use super::access;
use super::candidates::{Candidate, NeedCandidates, QueryContext};
use super::explain;
use super::index::{modes_of, NONE};
use super::navigator::Navigator;
use super::needs::ResolvedNeed;
use super::rank::Served;
use super::result::{
    CrisisNotice, EligibilityInfo, EligibilityStatus, FilterCounts, Match, NeedMatchKind,
    NeedResults, NoMatchReason, Reason,
};
use super::retrieval::crisis_bits;
use super::score::{Factor, ScoreBreakdown};

impl Navigator {
    /// Each need's results (the page of matches, counts, why none) and the crisis notice.
    pub(super) fn present(
        &self,
        ctx: &QueryContext<'_>,
        per_need: Vec<NeedCandidates>,
        served: &Served,
        limit: usize,
    ) -> (Vec<NeedResults>, Option<CrisisNotice>) {
        let mut needs = Vec::with_capacity(per_need.len());
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
                .skip(ctx.query.offset)
                .take(limit)
                .map(|(rank, c)| self.to_match(ctx, c, rank + 1, ni, served, &mut described))
                .collect();
            let no_match = (total == 0).then(|| no_match_reason(&resolved, &counts));
            needs.push(NeedResults {
                need_index: ni,
                understood_as: resolved
                    .terms
                    .iter()
                    // Typo-corrected terms are understood too; broader ones are not.
                    .filter(|(_, k)| *k >= NeedMatchKind::Fuzzy)
                    .filter_map(|(t, _)| self.idx.codes.get(*t as usize).cloned())
                    .collect(),
                crisis: resolved.crisis,
                total,
                matches,
                counts,
                no_match_text: no_match.map(explain::no_match),
                // Only an empty answer for want of understanding suggests other words.
                suggestions: if no_match == Some(NoMatchReason::NeedNotUnderstood) {
                    resolved.suggestions
                } else {
                    Vec::new()
                },
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
                message: if self
                    .idx
                    .svc
                    .crisis
                    .iter()
                    .any(|b| b & crisis_bits::ANY != 0)
                {
                    explain::crisis_notice(kind)
                } else {
                    explain::no_crisis_line(explain::crisis_notice(kind))
                },
            });
        (needs, crisis)
    }

    /// One candidate as a match: names, hours, eligibility explained, reasons, contact.
    fn to_match(
        &self,
        ctx: &QueryContext<'_>,
        c: &Candidate,
        rank: usize,
        need_index: usize,
        served: &Served,
        described: &mut Vec<(u32, Option<Reason>)>,
    ) -> Match {
        let si = self.service_index(c.sal);
        let hours_index = self
            .idx
            .sal
            .hours
            .get(c.sal as usize)
            .copied()
            .unwrap_or(NONE);
        let hours = match described.iter().find(|(h, _)| *h == hours_index) {
            Some((_, known)) => known.clone(),
            None => {
                let reason = self.idx.hours.get(hours_index as usize).and_then(|h| {
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
            .idx
            .svc
            .org
            .get(si)
            .and_then(|&o| self.dir.organizations.get(o as usize));
        let loc = self.sal_location(c.sal);
        let loc_idx = self.idx.sal.location_of(c.sal);
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
            delivery_modes: modes_of(self.idx.sal.modes.get(c.sal as usize).copied().unwrap_or(0)),
            via: c.via,
            eligibility: self.eligibility_info(c, ctx.profile),
            openness: c.openness,
            always_open: self
                .idx
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
            let site = self
                .idx
                .sal
                .access
                .get(c.sal as usize)
                .copied()
                .unwrap_or(0);
            access::name_what_is_known(&mut m.reasons, ctx.query, site, &self.idx.access_codes);
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
        let Some(rule) = self.idx.rule_of(s) else {
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
}

/// Why a need got no result (see [`NoMatchReason`]).
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

#[cfg(test)]
mod tests {
    use super::*;

    fn need(understood: bool) -> ResolvedNeed {
        ResolvedNeed {
            terms: Vec::new(),
            services: Vec::new(),
            crisis: None,
            crisis_mask: 0,
            understood,
            suggestions: Vec::new(),
        }
    }

    #[test]
    fn the_last_filter_that_removed_candidates_names_the_reason() {
        let none = FilterCounts::default();
        assert_eq!(
            no_match_reason(&need(false), &none),
            NoMatchReason::NeedNotUnderstood
        );
        assert_eq!(
            no_match_reason(&need(true), &none),
            NoMatchReason::NoServiceForNeed
        );
        let counts = FilterCounts {
            matched_need: 5,
            inactive: 2,
            too_far: 1,
            ineligible: 2,
            ..FilterCounts::default()
        };
        assert_eq!(
            no_match_reason(&need(true), &counts),
            NoMatchReason::AllIneligible
        );
        let counts = FilterCounts {
            matched_need: 3,
            inactive: 3,
            ..FilterCounts::default()
        };
        assert_eq!(
            no_match_reason(&need(true), &counts),
            NoMatchReason::AllInactive
        );
    }
}
