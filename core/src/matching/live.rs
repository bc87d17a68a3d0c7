//! A navigator that can be replaced while queries run (directory feed updates).

use std::sync::{Arc, PoisonError, RwLock};

use crate::hsds::ImportReport;

use super::navigator::{BuildReport, Navigator};

/// What loading and indexing a directory found: the import report of the feed and the
/// navigator's build report. [`LiveNavigator`] keeps it with the navigator built from that
/// directory and replaces both together.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DirectoryReport {
    /// Problems of the feed, records loaded per table (empty for a navigator opened from a
    /// snapshot or built from a directory in memory).
    pub import: ImportReport,
    /// Records indexed and the problems found while indexing.
    pub build: BuildReport,
}

/// A navigator and the report of its directory, always replaced together.
#[derive(Debug, Clone)]
struct Current {
    navigator: Arc<Navigator>,
    report: Arc<DirectoryReport>,
}

/// A shared, swappable [`Navigator`]: queries take an immutable snapshot, an update swaps in a
/// whole new navigator atomically, together with the [`DirectoryReport`] of its directory.
/// A query that started on the old snapshot finishes on it; no query ever sees half of an
/// update, nor a navigator with another directory's report ([`current`](Self::current)).
///
/// The lock is held only to clone or replace two `Arc`s (nanoseconds), never during a search
/// or a build, and a poisoned lock is recovered (the protected value is a pair of `Arc`s,
/// always valid).
///
/// # Examples
/// ```
/// use passerelle::matching::LiveNavigator;
/// use passerelle::{Directory, Navigator, NavigatorOptions, Need, Query};
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
    current: RwLock<Current>,
}

impl LiveNavigator {
    /// Wraps a built navigator (with an empty report).
    pub fn new(navigator: Navigator) -> Self {
        Self::with_report(navigator, DirectoryReport::default())
    }

    /// Wraps a built navigator and the report of its directory.
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::{DirectoryReport, LiveNavigator};
    /// use passerelle::{hsds::sample_directory, Navigator, NavigatorOptions};
    /// let imported = sample_directory();
    /// let (nav, build) = Navigator::build(imported.directory, NavigatorOptions::sample())?;
    /// let live = LiveNavigator::with_report(nav, DirectoryReport { import: imported.report, build });
    /// let (nav, report) = live.current();
    /// assert_eq!(report.build.services, nav.directory().services.len());
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn with_report(navigator: Navigator, report: DirectoryReport) -> Self {
        Self {
            current: RwLock::new(Current {
                navigator: Arc::new(navigator),
                report: Arc::new(report),
            }),
        }
    }

    fn read(&self) -> Current {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The current snapshot; keep it for the duration of one query or a consistent batch.
    pub fn snapshot(&self) -> Arc<Navigator> {
        self.read().navigator
    }

    /// The report of the current directory.
    pub fn report(&self) -> Arc<DirectoryReport> {
        self.read().report
    }

    /// The current navigator and the report of its directory, read together: the report
    /// is always the one swapped in with that navigator.
    pub fn current(&self) -> (Arc<Navigator>, Arc<DirectoryReport>) {
        let c = self.read();
        (c.navigator, c.report)
    }

    /// Swaps in a new navigator (with an empty report) and returns the previous snapshot.
    pub fn replace(&self, navigator: Navigator) -> Arc<Navigator> {
        // Without a guard the swap is never refused.
        self.swap(navigator, DirectoryReport::default(), None)
            .unwrap_or_else(|_| self.snapshot())
    }

    /// Swaps in a new navigator unless its directory has lost more than `max_loss` (a share,
    /// 0.0–1.0) of the live directory's services; returns the previous snapshot.
    ///
    /// A nightly refresh that fetched an empty or truncated feed is refused instead of taking
    /// services offline; the live directory stays. The comparison and the swap happen under
    /// one lock, so concurrent replacements cannot slip past it. [`replace`](Self::replace)
    /// forces a swap; [`swap`](Self::swap) also replaces the report.
    ///
    /// # Errors
    /// [`SwapRefused`] with both service counts; the live directory is unchanged.
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::LiveNavigator;
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default()).unwrap();
    /// let live = LiveNavigator::new(nav);
    /// let (empty, _) = Navigator::build(Directory::default(), NavigatorOptions::default()).unwrap();
    /// let refused = live.replace_guarded(empty, 0.5).unwrap_err();
    /// assert_eq!((refused.live, refused.new), (102, 0));
    /// assert_eq!(live.snapshot().directory().services.len(), 102);
    /// ```
    pub fn replace_guarded(
        &self,
        navigator: Navigator,
        max_loss: f64,
    ) -> Result<Arc<Navigator>, SwapRefused> {
        self.swap(navigator, DirectoryReport::default(), Some(max_loss))
    }

    /// Swaps in a new navigator and the report of its directory, both at once; with
    /// `max_loss`, only if its directory has not lost more than that share of the live
    /// directory's services (as [`replace_guarded`](Self::replace_guarded)); `None` forces
    /// the swap. Returns the previous snapshot.
    ///
    /// # Errors
    /// [`SwapRefused`] when the guard refuses; nothing is replaced.
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::{DirectoryReport, LiveNavigator};
    /// use passerelle::{Directory, Navigator, NavigatorOptions};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let live = LiveNavigator::new(nav);
    /// let (fresh, build) = Navigator::build(Directory::sample(), NavigatorOptions::default())?;
    /// let report = DirectoryReport { build, ..DirectoryReport::default() };
    /// live.swap(fresh, report, Some(0.5)).unwrap();
    /// assert_eq!(live.report().build.services, 102);
    /// # Ok::<(), passerelle::Error>(())
    /// ```
    pub fn swap(
        &self,
        navigator: Navigator,
        report: DirectoryReport,
        max_loss: Option<f64>,
    ) -> Result<Arc<Navigator>, SwapRefused> {
        let new = navigator.directory().services.len();
        let fresh = Current {
            navigator: Arc::new(navigator),
            report: Arc::new(report),
        };
        let mut guard = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(max_loss) = max_loss {
            let live = guard.navigator.directory().services.len();
            let max_loss = if max_loss.is_nan() {
                0.0
            } else {
                max_loss.clamp(0.0, 1.0)
            };
            let lost = live.saturating_sub(new);
            if lost > 0 && lost as f64 > max_loss * live as f64 {
                return Err(SwapRefused {
                    live,
                    new,
                    max_loss,
                });
            }
        }
        Ok(std::mem::replace(&mut *guard, fresh).navigator)
    }
}

/// A replacement refused by [`LiveNavigator::replace_guarded`]: the new directory has lost
/// too many of the live directory's services.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "replacement refused: the new directory has {new} services, the live one {live} ({:.0} % fewer, more than the {:.0} % allowed); the live directory stays (force the replacement to accept it)",
    lost_percent(*live, *new),
    max_loss * 100.0
)]
#[non_exhaustive]
pub struct SwapRefused {
    /// Services of the live directory.
    pub live: usize,
    /// Services of the refused directory.
    pub new: usize,
    /// The share of services that could be lost (0.0–1.0).
    pub max_loss: f64,
}

fn lost_percent(live: usize, new: usize) -> f64 {
    if live == 0 {
        0.0
    } else {
        live.saturating_sub(new) as f64 * 100.0 / live as f64
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
    fn guarded_replace_refuses_a_directory_that_lost_most_services() {
        let live = LiveNavigator::new(nav_with(10));
        let refused = live.replace_guarded(nav_with(4), 0.5).unwrap_err();
        assert_eq!((refused.live, refused.new), (10, 4));
        assert!(refused.to_string().contains("60 % fewer"), "{refused}");
        assert_eq!(live.snapshot().directory().services.len(), 10);
        // at the limit, growing, or forced: replaced
        live.replace_guarded(nav_with(5), 0.5).unwrap();
        live.replace_guarded(nav_with(7), 0.0).unwrap();
        assert!(live.replace_guarded(nav_with(0), 0.99).is_err());
        live.replace_guarded(nav_with(0), 1.0).unwrap();
        assert_eq!(live.snapshot().directory().services.len(), 0);
    }

    /// A navigator of `n` services with its build report (which counts them).
    fn built(n: usize) -> (Navigator, DirectoryReport) {
        let mut d = Directory::default();
        for i in 0..n {
            d.services.push(Service {
                id: format!("s{i}"),
                ..Default::default()
            });
        }
        let (nav, build) = Navigator::build(d, NavigatorOptions::default()).unwrap();
        let report = DirectoryReport {
            build,
            ..DirectoryReport::default()
        };
        (nav, report)
    }

    #[test]
    fn readers_never_see_a_navigator_with_another_navigators_report() {
        let (nav, report) = built(1);
        let live = Arc::new(LiveNavigator::with_report(nav, report));
        let stop = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let (live, stop) = (Arc::clone(&live), Arc::clone(&stop));
                std::thread::spawn(move || {
                    let mut seen = [0u32; 2];
                    while !stop.load(Ordering::Relaxed) {
                        let (nav, report) = live.current();
                        let n = nav.directory().services.len();
                        assert_eq!(report.build.services, n, "a report of another navigator");
                        seen[usize::from(n == 3)] += 1;
                    }
                    seen
                })
            })
            .collect();
        let fresh: Vec<_> = (0..12)
            .map(|i| built(if i % 2 == 0 { 3 } else { 1 }))
            .collect();
        for (i, (nav, report)) in fresh.into_iter().enumerate() {
            // guarded and forced swaps alike carry their report
            let guard = (i % 3 == 0).then_some(1.0);
            live.swap(nav, report, guard).unwrap();
            std::thread::yield_now();
        }
        stop.store(true, Ordering::Relaxed);
        for r in readers {
            let seen = r.join().unwrap();
            assert!(seen.iter().sum::<u32>() > 0);
        }
        // A refused swap leaves both in place.
        let (empty, report) = built(0);
        assert!(live.swap(empty, report, Some(0.5)).is_err());
        let (nav, report) = live.current();
        assert_eq!(nav.directory().services.len(), 1);
        assert_eq!(report.build.services, 1);
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
