//! What coverage scans need from the directory: service areas, in-person sites per need,
//! and services that come to residents or serve them remotely. The HSDS facts (need codes,
//! delivery modes, service areas by owner) are read by `model::facts`, as for the navigator.

use std::collections::HashMap;

use crate::model::facts::{is_need_code, OwnerFacts};
use crate::model::{DeliveryMode, Directory, DirectoryIndex, GeoPoint, ServiceStatus, TermCode};
use crate::spatial::{AreaGroup, NamedAreas, PointIndex};

/// No area group.
pub(crate) const NO_GROUP: u32 = u32::MAX;

/// An in-person site: a service at a physical location with a point.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Site {
    pub group: u32,
}

/// A service that comes to residents (home visits, delivery, mobile outreach) or serves them
/// remotely (phone, online), at one service-at-location (or location-less).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outreach {
    pub service: u32,
    pub group: u32,
    pub point: Option<GeoPoint>,
}

/// Everything known about one need.
#[derive(Debug, Default)]
pub(crate) struct NeedSupply {
    /// In-person sites (ids index [`ServiceTable::sites`]).
    pub sites: PointIndex,
    /// Home-visit, delivery and mobile services, sorted by service.
    pub comes: Vec<Outreach>,
    /// Phone and online services, sorted by service.
    pub remote: Vec<Outreach>,
}

/// The directory, reorganised by need for coverage scans.
#[derive(Debug, Default)]
pub(crate) struct ServiceTable {
    pub needs: Vec<TermCode>,
    pub supply: Vec<NeedSupply>,
    pub sites: Vec<Site>,
    pub groups: Vec<AreaGroup>,
}

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl ServiceTable {
    /// Builds the table for `needs` (empty: every need code of the directory's taxonomy that
    /// some active service is filed at or under).
    pub fn build(dir: &Directory, needs: &[TermCode]) -> Self {
        let index = DirectoryIndex::new(dir);
        let facts = OwnerFacts::new(dir);
        let mut groups: Vec<AreaGroup> = Vec::new();
        let mut make_group = |list: Option<&[usize]>| -> u32 {
            let Some(list) = list else { return NO_GROUP };
            groups.push(AreaGroup::from_areas(
                list.iter().filter_map(|&i| dir.service_areas.get(i)),
            ));
            len_u32(groups.len() - 1)
        };
        let mut sals_by_service: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in dir.service_at_locations.iter().enumerate() {
            sals_by_service
                .entry(s.service_id.as_str())
                .or_default()
                .push(i);
        }

        // Active services, their need codes and delivery rows.
        struct Row {
            modes: u8,
            point: Option<GeoPoint>,
            group: u32,
        }
        const IN_PERSON: u8 = 1;
        const COMES: u8 = 2;
        const REMOTE: u8 = 4;
        let mode_bits = |m: DeliveryMode| match m {
            DeliveryMode::InPerson => IN_PERSON,
            DeliveryMode::HomeVisit | DeliveryMode::MobileOutreach => COMES,
            DeliveryMode::Phone | DeliveryMode::Virtual => REMOTE,
            #[allow(unreachable_patterns)]
            _ => 0,
        };
        let mut services: Vec<(Vec<&TermCode>, Vec<Row>)> = Vec::new();
        let mut seen: HashMap<&str, ()> = HashMap::new();
        for s in &dir.services {
            if seen.insert(s.id.as_str(), ()).is_some() || s.status != ServiceStatus::Active {
                continue;
            }
            let codes: Vec<&TermCode> = index.need_codes_of(&s.id).collect();
            if codes.is_empty() {
                continue;
            }
            let svc_group = make_group(facts.service_areas(&s.id));
            let mut rows = Vec::new();
            match sals_by_service.get(s.id.as_str()) {
                Some(list) => {
                    for r in list.iter().filter_map(|&i| dir.service_at_locations.get(i)) {
                        let Some(loc) = index.location(&r.location_id) else {
                            continue;
                        };
                        let modes = index
                            .delivery_modes(r)
                            .into_iter()
                            .fold(0u8, |b, m| b | mode_bits(m));
                        let group = match make_group(facts.sal_areas(&r.id)) {
                            NO_GROUP => svc_group,
                            g => g,
                        };
                        rows.push(Row {
                            modes,
                            point: loc.point,
                            group,
                        });
                    }
                }
                None => {
                    let mut modes = 0u8;
                    index.for_each_location_less_mode(s, |m| modes |= mode_bits(m));
                    rows.push(Row {
                        modes: modes & !IN_PERSON,
                        point: None,
                        group: svc_group,
                    });
                }
            }
            services.push((codes, rows));
        }

        let mut needs: Vec<TermCode> = if needs.is_empty() {
            dir.taxonomy_terms
                .iter()
                .filter_map(|t| t.code.as_ref())
                .filter(|c| is_need_code(c))
                .filter(|n| {
                    services
                        .iter()
                        .any(|(cs, _)| cs.iter().any(|c| c.is_within(n)))
                })
                .cloned()
                .collect()
        } else {
            needs.to_vec()
        };
        needs.sort();
        needs.dedup();

        let mut sites: Vec<Site> = Vec::new();
        let mut supply = Vec::with_capacity(needs.len());
        for need in &needs {
            let mut points: Vec<(u32, GeoPoint)> = Vec::new();
            let mut comes = Vec::new();
            let mut remote = Vec::new();
            for (si, (codes, rows)) in services.iter().enumerate() {
                if !codes.iter().any(|c| c.is_within(need)) {
                    continue;
                }
                for row in rows {
                    if row.modes & IN_PERSON != 0 {
                        if let Some(p) = row.point {
                            points.push((len_u32(sites.len()), p));
                            sites.push(Site { group: row.group });
                        }
                    }
                    let o = Outreach {
                        service: len_u32(si),
                        group: row.group,
                        point: row.point,
                    };
                    if row.modes & COMES != 0 {
                        comes.push(o);
                    }
                    if row.modes & REMOTE != 0 {
                        remote.push(o);
                    }
                }
            }
            supply.push(NeedSupply {
                sites: PointIndex::new(points),
                comes,
                remote,
            });
        }
        Self {
            needs,
            supply,
            sites,
            groups,
        }
    }
}

/// Per-point memo of which area groups cover the point.
#[derive(Debug)]
pub(crate) struct Coverage<'a> {
    groups: &'a [AreaGroup],
    named: &'a NamedAreas,
    /// 0 unknown yet, 1 covered (or nothing known), 2 not covered.
    memo: Vec<u8>,
    point: Option<GeoPoint>,
}

impl<'a> Coverage<'a> {
    pub fn new(groups: &'a [AreaGroup], named: &'a NamedAreas) -> Self {
        Self {
            groups,
            named,
            memo: vec![0; groups.len()],
            point: None,
        }
    }

    /// Starts a new point.
    pub fn at(&mut self, p: GeoPoint) {
        self.memo.fill(0);
        self.point = Some(p);
    }

    /// Whether group `g` (or no group) may serve the current point: only areas known *not*
    /// to cover it exclude it, as in the navigator.
    pub fn covers(&mut self, g: u32) -> bool {
        let (Some(p), Some(slot)) = (self.point, self.memo.get_mut(g as usize)) else {
            return true;
        };
        if *slot == 0 {
            let inside = self
                .groups
                .get(g as usize)
                .and_then(|grp| grp.contains(p, self.named));
            *slot = if inside == Some(false) { 2 } else { 1 };
        }
        *slot == 1
    }

    /// Whether group `g` is declared and known to cover the current point.
    pub fn declared(&mut self, g: u32) -> bool {
        g != NO_GROUP && self.covers(g)
    }
}
