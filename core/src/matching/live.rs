//! A navigator that can be replaced while queries run (directory feed updates).

use std::sync::{Arc, RwLock};

use super::engine::Navigator;

/// A shared, swappable [`Navigator`]: queries take an immutable snapshot, an update swaps in a
/// whole new navigator atomically. A query that started on the old snapshot finishes on it;
/// no query ever sees half of an update.
///
/// The lock is held only to clone or replace an `Arc` (nanoseconds), never during a search,
/// and a poisoned lock is recovered (the protected value is a plain `Arc`, always valid).
///
/// # Examples
/// ```
/// use passerelle::{Directory, LiveNavigator, Navigator, NavigatorOptions, Need, Query};
/// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
/// let live = LiveNavigator::new(nav);
/// let before = live.snapshot();
/// let (fresh, _) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
/// live.replace(fresh);
/// assert_eq!(before.directory().services.len(), 102); // old snapshot still whole
/// assert_eq!(live.snapshot().directory().services.len(), 0);
/// ```
#[derive(Debug)]
pub struct LiveNavigator {
    current: RwLock<Arc<Navigator>>,
}

impl LiveNavigator {
    /// Wraps a built navigator.
    pub fn new(navigator: Navigator) -> Self {
        Self {
            current: RwLock::new(Arc::new(navigator)),
        }
    }

    /// The current snapshot; keep it for the duration of one query or a consistent batch.
    pub fn snapshot(&self) -> Arc<Navigator> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Swaps in a new navigator and returns the previous snapshot.
    pub fn replace(&self, navigator: Navigator) -> Arc<Navigator> {
        let fresh = Arc::new(navigator);
        match self.current.write() {
            Ok(mut guard) => std::mem::replace(&mut *guard, fresh),
            Err(poisoned) => std::mem::replace(&mut *poisoned.into_inner(), fresh),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::NavigatorOptions;
    use crate::model::{Directory, Service};
    use std::sync::atomic::{AtomicBool, Ordering};

    fn nav_with(n: usize) -> Navigator {
        let mut d = Directory::default();
        for i in 0..n {
            d.services.push(Service {
                id: format!("s{i}"),
                ..Default::default()
            });
        }
        Navigator::build(d, NavigatorOptions::default()).unwrap().0
    }

    #[test]
    fn readers_always_see_a_whole_snapshot_while_a_writer_swaps() {
        let live = Arc::new(LiveNavigator::new(nav_with(1)));
        let stop = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let (live, stop) = (Arc::clone(&live), Arc::clone(&stop));
                std::thread::spawn(move || {
                    let mut seen = 0u32;
                    while !stop.load(Ordering::Relaxed) {
                        let snap = live.snapshot();
                        let n = snap.directory().services.len();
                        // every snapshot is one of the two directories, whole
                        assert!(n == 1 || n == 3, "torn snapshot with {n} services");
                        seen += 1;
                    }
                    seen
                })
            })
            .collect();
        // navigators are built up front so the swaps happen back to back while readers run
        let fresh: Vec<_> = (0..12)
            .map(|i| nav_with(if i % 2 == 0 { 3 } else { 1 }))
            .collect();
        for nav in fresh {
            live.replace(nav);
            std::thread::yield_now();
        }
        stop.store(true, Ordering::Relaxed);
        for r in readers {
            assert!(r.join().unwrap() > 0);
        }
    }
}
