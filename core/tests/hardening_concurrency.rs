//! Concurrency: queries on a `LiveNavigator` while a feed update swaps snapshots.
//!
//! Two directories give distinguishable answers (the sample, and the sample with every other
//! service removed). Reader threads search continuously while a writer builds and swaps in
//! navigators alternately; every answer must be exactly the precomputed answer of the
//! snapshot the query ran on — never a mix — and no query may fail or be lost.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use passerelle::{matching::*, model::*, rules::*, *};

// Compile-time: the types shared between threads are Send + Sync.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Navigator>();
    send_sync::<LiveNavigator>();
    send_sync::<Arc<Navigator>>();
    send_sync::<Query>();
    send_sync::<SearchResults>();
    send_sync::<Directory>();
    send_sync::<CompiledRule>();
    send_sync::<OpeningHours>();
    send_sync::<Error>();
};

const READERS: usize = 4;
const SWAPS: usize = 24;

fn directories() -> (Arc<Directory>, Arc<Directory>) {
    let a = Directory::sample();
    let mut b = a.clone();
    let mut i = 0;
    b.services.retain(|_| {
        i += 1;
        i % 2 == 0
    });
    (Arc::new(a), Arc::new(b))
}

fn build(d: &Arc<Directory>) -> Navigator {
    Navigator::build(Arc::clone(d), NavigatorOptions::default())
        .unwrap()
        .0
}

fn queries() -> Vec<Query> {
    let at = jiff::Timestamp::from_second(1_767_000_000).unwrap();
    let near = GeoPoint::new(45.4215, -75.6972).unwrap();
    vec![
        Query::new([Need::text("food bank")])
            .near(near, 20_000.0)
            .at(at)
            .limit(20),
        Query::new([Need::text("aide au loyer"), Need::text("emploi")])
            .near(near, 50_000.0)
            .at(at)
            .limit(10),
        Query::new([Need::text("mental health"), Need::text("tax clinic")])
            .at(at)
            .limit(10),
    ]
}

#[test]
fn every_query_sees_one_whole_snapshot_while_a_writer_swaps() {
    let (dir_a, dir_b) = directories();
    let (n_a, n_b) = (dir_a.services.len(), dir_b.services.len());
    assert_ne!(n_a, n_b);
    let qs = Arc::new(queries());
    let nav_a = build(&dir_a);
    let nav_b = build(&dir_b);
    let expected: Arc<Vec<(SearchResults, SearchResults)>> = Arc::new(
        qs.iter()
            .map(|q| (nav_a.search(q).unwrap(), nav_b.search(q).unwrap()))
            .collect(),
    );
    for (i, (a, b)) in expected.iter().enumerate() {
        assert_ne!(a, b, "query {i} does not tell the two directories apart");
    }

    let live = Arc::new(LiveNavigator::new(nav_a));
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..READERS)
        .map(|r| {
            let (live, stop, done, qs, expected) = (
                Arc::clone(&live),
                Arc::clone(&stop),
                Arc::clone(&done),
                Arc::clone(&qs),
                Arc::clone(&expected),
            );
            std::thread::spawn(move || {
                let (mut seen_a, mut seen_b, mut k) = (0usize, 0usize, r);
                while !stop.load(Ordering::Acquire) {
                    let snap = live.snapshot();
                    let i = k % qs.len();
                    k += 1;
                    let res = snap.search(&qs[i]).unwrap();
                    let services = snap.directory().services.len();
                    let (a, b) = &expected[i];
                    if services == n_a {
                        assert_eq!(&res, a, "query {i} on snapshot A");
                        seen_a += 1;
                    } else {
                        assert_eq!(services, n_b, "torn snapshot");
                        assert_eq!(&res, b, "query {i} on snapshot B");
                        seen_b += 1;
                    }
                    done.fetch_add(1, Ordering::AcqRel);
                }
                (seen_a, seen_b)
            })
        })
        .collect();

    // The writer: a feed update builds a new navigator and swaps it in, alternately A and B.
    let mut returned = 0usize;
    for s in 0..SWAPS {
        let fresh = build(if s % 2 == 0 { &dir_b } else { &dir_a });
        let old = live.replace(fresh);
        // the previous snapshot is handed back whole
        let expect_old = if s % 2 == 0 { n_a } else { n_b };
        assert_eq!(old.directory().services.len(), expect_old);
        returned += 1;
    }
    // let readers run on the final snapshot too
    let before = done.load(Ordering::Acquire);
    while done.load(Ordering::Acquire) < before + READERS * 2 {
        std::thread::yield_now();
    }
    stop.store(true, Ordering::Release);

    let mut total = 0;
    let (mut total_a, mut total_b) = (0, 0);
    for r in readers {
        let (a, b) = r.join().expect("a reader panicked");
        total_a += a;
        total_b += b;
        total += a + b;
    }
    assert_eq!(returned, SWAPS);
    // nothing lost: every search a reader started was answered and counted
    assert_eq!(total, done.load(Ordering::Acquire));
    assert!(total_a > 0 && total_b > 0, "A {total_a}, B {total_b}");
    // SWAPS is even, so the last swap put A back
    assert_eq!(live.snapshot().directory().services.len(), n_a);
}

#[test]
fn one_navigator_shared_by_many_threads_answers_like_one_thread() {
    let (dir_a, _) = directories();
    let nav = Arc::new(build(&dir_a));
    let qs = queries();
    let expected: Vec<SearchResults> = qs.iter().map(|q| nav.search(q).unwrap()).collect();
    std::thread::scope(|s| {
        for t in 0..READERS {
            let (nav, qs, expected) = (&nav, &qs, &expected);
            s.spawn(move || {
                for k in 0..30 {
                    let i = (k + t) % qs.len();
                    assert_eq!(nav.search(&qs[i]).unwrap(), expected[i]);
                }
            });
        }
    });
}
