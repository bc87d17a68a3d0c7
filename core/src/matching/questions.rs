//! Stage: next questions. The facts worth asking the resident: those that would settle the
//! eligibility of the most services found with an unknown verdict.

use crate::rules::{rank_questions, Outcome, Profile};

use super::candidates::NeedCandidates;
use super::navigator::Navigator;
use super::result::{EligibilityStatus, NextQuestion};

impl Navigator {
    /// The facts worth asking, over the distinct services whose eligibility is unknown in
    /// the full result lists (at most 256 services are considered).
    pub(super) fn next_questions(
        &self,
        profile: &Profile,
        per_need: &[NeedCandidates],
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
            .filter_map(|&s| self.idx.svc.rule.get(s).copied())
            .filter(|&r| (r as usize) < self.idx.rules.len())
            .collect();
        let per_service = rules.clone();
        rules.sort_unstable();
        rules.dedup();
        let outcomes: Vec<Outcome<'_>> = rules
            .iter()
            .filter_map(|&r| self.idx.rules.get(r as usize))
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
}

#[cfg(test)]
mod tests {
    use crate::matching::{sample_situations, NavigatorOptions};
    use crate::model::Directory;

    use super::*;

    #[test]
    fn questions_come_from_services_whose_eligibility_is_unknown() {
        let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
        let mut asked = 0;
        for s in sample_situations(&nav) {
            let res = nav.search(&s.query).unwrap();
            let unknown = res
                .needs
                .iter()
                .flat_map(|n| &n.matches)
                .any(|m| m.eligibility.status == EligibilityStatus::Unknown);
            if res.needs.iter().all(|n| n.total == n.matches.len()) && !unknown {
                assert!(res.next_questions.is_empty(), "{}", s.id);
            }
            for q in &res.next_questions {
                assert!(nav.catalog.get(&q.fact).is_some(), "{}", q.fact);
                assert!(q.affects > 0);
            }
            asked += res.next_questions.len();
        }
        assert!(asked > 0);
    }
}
