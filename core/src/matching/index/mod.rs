//! The built index: the directory turned into compact, struct-of-arrays tables a search
//! walks without allocating per candidate.
//!
//! * services ([`Services`]): SAL range, status, cost, freshness, capacity, target
//!   populations, crisis bits, interned eligibility rule, service-area group;
//! * service-at-location rows ([`Sals`]), sorted by service so each service owns a
//!   contiguous range: point, delivery modes, hours, languages, accessibility, area group;
//! * postings: need term → services filed under it;
//! * per need term, its site-only SALs in grid-cell order ([`NearSites`], `near.rs`), so a
//!   search with a location reads only the sites near the resident;
//! * small dictionaries (languages, accessibility codes, populations) the bit sets index,
//!   the distinct compiled opening hours and the distinct compiled rules.
//!
//! [`Index::build`] runs the steps in order: need terms (`terms.rs`), eligibility rules
//! (`rules.rs`), hours by the HSDS schedule precedence (`hours.rs`), language and
//! accessibility bits (`facts.rs`), then one pass over the services (`build.rs`). What the
//! HSDS records say (need codes, delivery modes, areas, cost, capacity, accessibility codes,
//! schedule precedence) is read by `model::facts` and `model::schedule_owners`, shared with
//! the gap analysis.

mod build;
mod facts;
mod hours;
mod near;
mod rules;
mod stored;
mod terms;

use crate::model::{DeliveryMode, GeoPoint, OpeningHours, TermCode};
use crate::rules::CompiledRule;
use crate::spatial::AreaGroup;

pub(crate) use crate::model::facts::Cost;
pub(crate) use near::{NearBound, NearSites};
pub(crate) use rules::merged_tables;
pub(crate) use stored::{Compile, Sources, Stored, StoredRef};
pub(crate) use terms::Terms;

/// "No entry" in the index columns.
pub(crate) const NONE: u32 = u32::MAX;

/// Delivery-mode bits of a SAL.
pub(crate) mod modes {
    pub(crate) const IN_PERSON: u8 = 1;
    pub(crate) const PHONE: u8 = 2;
    pub(crate) const VIRTUAL: u8 = 4;
    pub(crate) const HOME: u8 = 8;
    pub(crate) const MOBILE: u8 = 16;
    pub(crate) const REMOTE: u8 = PHONE | VIRTUAL;
    pub(crate) const VISIT: u8 = IN_PERSON | MOBILE;
}

/// The bit of one delivery mode.
pub(crate) fn mode_bit(m: DeliveryMode) -> u8 {
    match m {
        DeliveryMode::InPerson => modes::IN_PERSON,
        DeliveryMode::Phone => modes::PHONE,
        DeliveryMode::Virtual => modes::VIRTUAL,
        DeliveryMode::HomeVisit => modes::HOME,
        DeliveryMode::MobileOutreach => modes::MOBILE,
        #[allow(unreachable_patterns)]
        _ => 0,
    }
}

/// The delivery modes of a bit set, in declaration order.
pub(crate) fn modes_of(bits: u8) -> Vec<DeliveryMode> {
    [
        (modes::IN_PERSON, DeliveryMode::InPerson),
        (modes::PHONE, DeliveryMode::Phone),
        (modes::VIRTUAL, DeliveryMode::Virtual),
        (modes::HOME, DeliveryMode::HomeVisit),
        (modes::MOBILE, DeliveryMode::MobileOutreach),
    ]
    .into_iter()
    .filter(|(b, _)| bits & b != 0)
    .map(|(_, m)| m)
    .collect()
}

/// `n` as an index column value (`NONE` past `u32`).
pub(crate) fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// Adds `name` to a small dictionary and returns its bit (names past `max_bits - 1` share
/// the last bit).
pub(crate) fn dict_bit(dict: &mut Vec<String>, name: &str, max_bits: u32) -> u64 {
    let pos = match dict.iter().position(|x| x == name) {
        Some(p) => p,
        None => {
            dict.push(name.to_owned());
            dict.len() - 1
        }
    };
    1u64 << (pos as u32).min(max_bits - 1)
}

/// Per-service columns.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Services {
    /// Organisation (index into `Directory::organizations`), `NONE` when unknown.
    pub(crate) org: Vec<u32>,
    /// SAL range `[start, end)`.
    pub(crate) sal_start: Vec<u32>,
    pub(crate) sal_end: Vec<u32>,
    pub(crate) active: Vec<bool>,
    pub(crate) cost: Vec<Cost>,
    /// Days since 1970-01-01 of `assured_date`; `i32::MIN` when unknown.
    pub(crate) assured_day: Vec<i32>,
    /// available / maximum in `[0, 1]`; NaN when unknown.
    pub(crate) capacity: Vec<f32>,
    /// Target-population bits (over `Index::populations`).
    pub(crate) populations: Vec<u64>,
    /// Crisis bits (`retrieval::crisis_bits`): from the directory's words, codes and hours,
    /// and the deployer's lists.
    pub(crate) crisis: Vec<u8>,
    /// Effective eligibility rule (index into `Index::rules`), `NONE` when none.
    pub(crate) rule: Vec<u32>,
    /// Service-area group (index into `Index::areas`), `NONE` when none.
    pub(crate) area: Vec<u32>,
}

impl Services {
    /// The SAL range of service `s`, `None` past the services.
    pub(crate) fn sal_range(&self, s: usize) -> Option<(u32, u32)> {
        Some((*self.sal_start.get(s)?, *self.sal_end.get(s)?))
    }
}

/// Per-SAL columns (sorted by service). Snapshots leave out the columns derived from the
/// others (`cos_lat`, `site_only`).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Sals {
    pub(crate) service: Vec<u32>,
    /// Index in `Directory::service_at_locations`, `NONE` for a location-less service.
    pub(crate) record: Vec<u32>,
    pub(crate) location: Vec<u32>,
    pub(crate) point: Vec<Option<GeoPoint>>,
    /// `cos` of the point's latitude in radians (for `HaversineFrom`); 0 without a point.
    #[serde(skip)]
    pub(crate) cos_lat: Vec<f64>,
    pub(crate) modes: Vec<u8>,
    /// Opening hours (index into `Index::hours`), `NONE` when unknown.
    pub(crate) hours: Vec<u32>,
    /// Open 24/7.
    pub(crate) always_open: Vec<bool>,
    /// Language bits (over `Index::languages`); bit 63 = some other language.
    pub(crate) langs: Vec<u64>,
    /// Accessibility bits (over `Index::access_codes`).
    pub(crate) access: Vec<u32>,
    /// SAL-level service area overriding the service's, `NONE` when none.
    pub(crate) area: Vec<u32>,
    /// A site only (a point, no remote delivery, no service area a search can test): beyond
    /// the radius it is dropped as too far (or not deliverable) whatever else is true of it.
    #[serde(skip)]
    pub(crate) site_only: Vec<bool>,
}

impl Sals {
    /// The location (index into `Directory::locations`) of SAL `i`, `NONE` when none.
    pub(crate) fn location_of(&self, i: u32) -> u32 {
        self.location.get(i as usize).copied().unwrap_or(NONE)
    }
}

/// The built index of one directory (see the module documentation).
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Directory need-term codes (unique), by term index.
    pub(crate) codes: Vec<TermCode>,
    /// term index → services filed under it (ascending).
    pub(crate) postings: Vec<Vec<u32>>,
    pub(crate) svc: Services,
    pub(crate) sal: Sals,
    pub(crate) areas: Vec<AreaGroup>,
    /// Per area group: coverage is unknown whatever the point (`AreaGroup::is_unknown_with`
    /// the navigator's gazetteer), so a search does not test it.
    pub(crate) area_unknown: Vec<bool>,
    pub(crate) languages: Vec<String>,
    pub(crate) access_codes: Vec<String>,
    pub(crate) populations: Vec<String>,
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) hours: Vec<OpeningHours>,
    /// Per need term, its sites in spatial order (`near.rs`).
    pub(crate) near: NearSites,
    /// What the rules, hours and area groups were made from (snapshots make them again).
    pub(crate) sources: Sources,
}

impl Index {
    /// The effective area group of SAL `i`: its own, else its service's; `NONE` when none.
    pub(crate) fn area_of(&self, i: usize, svc_area: u32) -> u32 {
        match self.sal.area.get(i).copied().unwrap_or(NONE) {
            NONE => svc_area,
            a => a,
        }
    }

    /// The compiled rule of service `s`, `None` when it has none.
    pub(crate) fn rule_of(&self, s: usize) -> Option<&CompiledRule> {
        match self.svc.rule.get(s).copied()? {
            NONE => None,
            r => self.rules.get(r as usize),
        }
    }
}
