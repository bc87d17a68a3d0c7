//! Which schedule rows apply to a service at a location: the one HSDS precedence, used by
//! [`schedules_for`](super::schedules_for) and by the navigator.
//!
//! A schedule row belongs to the owner its ids name: a service-at-location
//! (`service_at_location_id`), a (service, location) pairing (both `service_id` and
//! `location_id`, the older form of the same link), a service alone or a location alone.
//! For one service at one location, the most specific owner with rows wins:
//! 1. the pairing: the rows of its `service_at_location_id` **and** the rows naming both its
//!    service and its location (two spellings of the same link, so their rows are merged);
//! 2. else the service's rows;
//! 3. else the location's rows.
//!
//! A row with none of the three ids applies to nothing. Rows keep their directory order.

use foldhash::{HashMap, HashMapExt};

use super::records::{Schedule, ServiceAtLocation};

/// The schedule rows chosen for one service at a location (positions in the rows given to
/// [`ScheduleOwners::new`], ascending), with a key naming the owner groups they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScheduleChoice {
    /// The owner groups the rows came from (equal keys, equal rows).
    pub(crate) key: (usize, usize),
    /// Row positions, ascending.
    pub(crate) rows: Vec<usize>,
}

/// Schedule rows grouped by owner, so each service at a location finds its rows in O(1).
#[derive(Debug, Default)]
pub(crate) struct ScheduleOwners<'a> {
    /// Row positions of each owner group.
    groups: Vec<Vec<usize>>,
    by_sal: HashMap<&'a str, usize>,
    by_pair: HashMap<(&'a str, &'a str), usize>,
    by_service: HashMap<&'a str, usize>,
    by_location: HashMap<&'a str, usize>,
}

/// No group (second half of a [`ScheduleChoice::key`] from one group).
const NO_GROUP: usize = usize::MAX;

impl<'a> ScheduleOwners<'a> {
    /// Groups `rows` by owner.
    pub(crate) fn new(rows: &'a [Schedule]) -> Self {
        let mut g = Self {
            groups: Vec::new(),
            by_sal: HashMap::new(),
            by_pair: HashMap::new(),
            by_service: HashMap::new(),
            by_location: HashMap::new(),
        };
        for (pos, row) in rows.iter().enumerate() {
            let next = g.groups.len();
            let group = match (
                row.service_at_location_id.as_deref(),
                row.service_id.as_deref(),
                row.location_id.as_deref(),
            ) {
                (Some(sal_id), _, _) => *g.by_sal.entry(sal_id).or_insert(next),
                (None, Some(s), Some(l)) => *g.by_pair.entry((s, l)).or_insert(next),
                (None, Some(s), None) => *g.by_service.entry(s).or_insert(next),
                (None, None, Some(l)) => *g.by_location.entry(l).or_insert(next),
                (None, None, None) => continue,
            };
            if group == next {
                g.groups.push(Vec::new());
            }
            if let Some(list) = g.groups.get_mut(group) {
                list.push(pos);
            }
        }
        g
    }

    /// The rows that apply to `sal` (see the module documentation); `None` when no row does.
    pub(crate) fn for_sal(&self, sal: &ServiceAtLocation) -> Option<ScheduleChoice> {
        let own = self.by_sal.get(sal.id.as_str()).copied();
        let pair = self
            .by_pair
            .get(&(sal.service_id.as_str(), sal.location_id.as_str()))
            .copied();
        match (own, pair) {
            (Some(a), Some(b)) => {
                let (ra, rb) = (self.groups.get(a)?, self.groups.get(b)?);
                let mut rows = Vec::with_capacity(ra.len() + rb.len());
                rows.extend_from_slice(ra);
                rows.extend_from_slice(rb);
                rows.sort_unstable();
                Some(ScheduleChoice { key: (a, b), rows })
            }
            (Some(g), None) | (None, Some(g)) => self.one(g),
            (None, None) => self
                .by_service
                .get(sal.service_id.as_str())
                .or_else(|| self.by_location.get(sal.location_id.as_str()))
                .and_then(|&g| self.one(g)),
        }
    }

    /// The rows of a service with no location: its own.
    pub(crate) fn for_service(&self, service_id: &str) -> Option<ScheduleChoice> {
        self.by_service.get(service_id).and_then(|&g| self.one(g))
    }

    fn one(&self, g: usize) -> Option<ScheduleChoice> {
        Some(ScheduleChoice {
            key: (g, NO_GROUP),
            rows: self.groups.get(g)?.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, sal: Option<&str>, svc: Option<&str>, loc: Option<&str>) -> Schedule {
        Schedule {
            id: id.into(),
            service_at_location_id: sal.map(Into::into),
            service_id: svc.map(Into::into),
            location_id: loc.map(Into::into),
            ..Default::default()
        }
    }

    fn sal() -> ServiceAtLocation {
        ServiceAtLocation {
            id: "sal".into(),
            service_id: "svc".into(),
            location_id: "loc".into(),
            ..Default::default()
        }
    }

    fn ids(rows: &[Schedule], choice: Option<ScheduleChoice>) -> Vec<&str> {
        choice
            .map(|c| c.rows)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| rows.get(i).map(|r| r.id.as_str()))
            .collect()
    }

    #[test]
    fn the_pairing_merges_both_spellings_in_directory_order() {
        let rows = [
            row("pair-mon", None, Some("svc"), Some("loc")),
            row("svc", None, Some("svc"), None),
            row("sal-tue", Some("sal"), None, None),
            row("loc", None, None, Some("loc")),
            row("other-sal", Some("sal-2"), None, None),
        ];
        let owners = ScheduleOwners::new(&rows);
        assert_eq!(ids(&rows, owners.for_sal(&sal())), ["pair-mon", "sal-tue"]);
    }

    #[test]
    fn service_rows_win_over_location_rows() {
        let rows = [
            row("loc", None, None, Some("loc")),
            row("svc", None, Some("svc"), None),
            row("nobody", None, None, None),
        ];
        let owners = ScheduleOwners::new(&rows);
        assert_eq!(ids(&rows, owners.for_sal(&sal())), ["svc"]);
        assert_eq!(ids(&rows, owners.for_service("svc")), ["svc"]);
        let only_loc = [row("loc", None, None, Some("loc"))];
        let owners = ScheduleOwners::new(&only_loc);
        assert_eq!(ids(&only_loc, owners.for_sal(&sal())), ["loc"]);
        assert!(owners.for_service("svc").is_none());
    }
}
