//! Many questions at once, and eligibility questions about services: what every binding and
//! data-team tool needs beside a single search.

use std::collections::HashSet;

use crate::rules::{next_questions, Outcome, Profile, Question};

use super::error::MatchError;
use super::navigator::Navigator;
use super::query::Query;
use super::result::SearchResults;

/// Most queries in one [`Navigator::search_batch`] call.
pub const MAX_BATCH_QUERIES: usize = 100_000;

/// Below this many queries a batch runs on the calling thread (threads cost more than they
/// save).
const PARALLEL_FROM: usize = 64;

/// Runs `f` over `items` on up to `available_parallelism` threads (at most 8), keeping order.
fn par_map<I: Sync, O: Send>(items: &[I], f: impl Fn(&I) -> O + Sync) -> Vec<O> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads <= 1 || items.len() < PARALLEL_FROM {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(f).collect::<Vec<O>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // A worker panicked: re-raise it on the caller's thread, unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

impl Navigator {
    /// Runs every query on this navigator, in parallel threads (up to the machine's
    /// parallelism, at most 8) for batches of 64 queries or more; results in query order,
    /// one `Result` per query so a bad query does not hide the others.
    ///
    /// # Errors
    /// [`MatchError::TooManyQueries`] for more than [`MAX_BATCH_QUERIES`] queries.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let queries = [Query::new([Need::text("food bank")]), Query::new(Vec::<Need>::new())];
    /// let results = nav.search_batch(&queries)?;
    /// assert!(results[0].is_ok());
    /// assert!(results[1].is_err()); // no need: that query alone fails
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn search_batch(
        &self,
        queries: &[Query],
    ) -> Result<Vec<Result<SearchResults, crate::Error>>, MatchError> {
        if queries.len() > MAX_BATCH_QUERIES {
            return Err(MatchError::TooManyQueries {
                count: queries.len(),
                max: MAX_BATCH_QUERIES,
            });
        }
        Ok(par_map(queries, |q| self.search(q)))
    }

    /// The explained eligibility of `profile` for one service, as searches evaluate it. A
    /// service without any rule is [`Outcome::Eligible`].
    ///
    /// # Errors
    /// [`MatchError::UnknownService`] when no service has this id.
    ///
    /// # Examples
    /// ```
    /// use passerelle::rules::Verdict;
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let mut senior = nav.catalog().profile();
    /// senior.set("age", 80.into())?;
    /// let outcome = nav.eligibility("svc-vanier-popote", &senior)?;
    /// assert_ne!(outcome.verdict(), Verdict::Ineligible);
    /// assert!(nav.eligibility("no-such-service", &senior).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn eligibility(
        &self,
        service_id: &str,
        profile: &Profile,
    ) -> Result<Outcome<'_>, MatchError> {
        let (_, rule) = self
            .rules_by_service()
            .find(|(id, _)| *id == service_id)
            .ok_or(MatchError::UnknownService)?;
        Ok(rule.map_or(Outcome::Eligible, |r| r.explain(profile)))
    }

    /// The facts worth asking next: those that would settle eligibility for the most of the
    /// given services (`None`: every service of the directory), less sensitive questions
    /// first on ties. One pass over the directory whatever the number of ids.
    ///
    /// # Errors
    /// [`MatchError::UnknownService`] when an id matches no service.
    ///
    /// # Examples
    /// ```
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let questions = nav.next_questions_for(&nav.catalog().profile(), None)?;
    /// assert!(!questions.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_questions_for(
        &self,
        profile: &Profile,
        service_ids: Option<&[String]>,
    ) -> Result<Vec<Question>, MatchError> {
        let wanted: Option<HashSet<&str>> =
            service_ids.map(|ids| ids.iter().map(String::as_str).collect());
        let mut found = 0usize;
        let outcomes: Vec<Outcome<'_>> = self
            .rules_by_service()
            .filter(|(id, _)| wanted.as_ref().is_none_or(|w| w.contains(id)))
            .inspect(|_| found += 1)
            .filter_map(|(_, rule)| rule.map(|r| r.explain(profile)))
            .collect();
        if wanted.as_ref().is_some_and(|w| w.len() != found) {
            return Err(MatchError::UnknownService);
        }
        Ok(next_questions(&outcomes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Directory, NavigatorOptions, Need};

    fn nav() -> Navigator {
        Navigator::build(Directory::sample(), NavigatorOptions::default())
            .unwrap()
            .0
    }

    #[test]
    fn batch_equals_one_by_one_in_order_in_parallel() {
        let nav = nav();
        let at: jiff::Timestamp = "2026-11-18T15:00:00-05:00".parse().unwrap();
        let needs = [
            "food bank",
            "counselling",
            "rent help",
            "legal aid",
            "emploi",
        ];
        let queries: Vec<Query> = (0..130)
            .map(|i| Query::new([Need::text(needs[i % needs.len()])]).at(at))
            .collect();
        let batch = nav.search_batch(&queries).unwrap();
        assert_eq!(batch.len(), queries.len());
        for (q, r) in queries.iter().zip(batch) {
            assert_eq!(r.unwrap(), nav.search(q).unwrap());
        }
    }

    #[test]
    fn next_questions_checks_ids_once() {
        let nav = nav();
        let p = nav.catalog().profile();
        let all = nav.next_questions_for(&p, None).unwrap();
        let ids: Vec<String> = nav
            .directory()
            .services
            .iter()
            .map(|s| s.id.clone())
            .collect();
        assert_eq!(nav.next_questions_for(&p, Some(&ids)).unwrap(), all);
        let bad = vec!["svc-vanier-popote".to_owned(), "nope".to_owned()];
        assert!(matches!(
            nav.next_questions_for(&p, Some(&bad)),
            Err(MatchError::UnknownService)
        ));
    }
}
