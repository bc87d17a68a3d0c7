//! The rest of the engine through the bindings: referrals and their lifecycle, unmet-need
//! records (from a search that found nothing), coarse area keys, HSDS export of the
//! directory and of a query's whole result. Conversions and error mapping only: the
//! lifecycle, the unmet-need rules and the exports are core's.

use std::collections::HashMap;

use jiff::civil::Date;
use passerelle::{
    model::TermCode,
    referrals::{
        AreaKey, OutcomeReason as CoreOutcome, Referral as CoreReferral,
        ReferralStatus as CoreStatus, StatusChange as CoreChange, UnmetNeed as CoreUnmet,
        UnmetReason as CoreUnmetReason,
    },
};

use crate::error::guard;
use crate::matching::{Navigator, SearchQuery};
use crate::PasserelleError;

fn date(field: &str, text: &str) -> Result<Date, PasserelleError> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| PasserelleError::invalid(format!("{field} must be a date written YYYY-MM-DD")))
}

fn area(text: String) -> Result<AreaKey, PasserelleError> {
    AreaKey::try_from(text).map_err(|e| PasserelleError::invalid(e.to_string()))
}

fn referral_error(e: passerelle::referrals::ReferralError) -> PasserelleError {
    PasserelleError::invalid(e.to_string())
}

fn utf8(bytes: Vec<u8>) -> Result<String, PasserelleError> {
    String::from_utf8(bytes).map_err(|_| PasserelleError::Internal {
        reason: "export produced text that is not UTF-8; please report it".into(),
    })
}

/// Where a referral stands: `Referred` → `Contacted` → `Connected` → `Closed`, or
/// `NotConnected` (with a reason) → `Closed`; `Referred` may also close directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ReferralStatus {
    /// The resident was referred to the service.
    Referred,
    /// The resident or the service made contact.
    Contacted,
    /// The resident received the service.
    Connected,
    /// The resident did not receive the service (the reason is recorded).
    NotConnected,
    /// Follow-up is finished.
    Closed,
}

impl From<CoreStatus> for ReferralStatus {
    fn from(s: CoreStatus) -> Self {
        match s {
            CoreStatus::Referred => Self::Referred,
            CoreStatus::Contacted => Self::Contacted,
            CoreStatus::Connected => Self::Connected,
            CoreStatus::NotConnected => Self::NotConnected,
            _ => Self::Closed,
        }
    }
}

impl From<ReferralStatus> for CoreStatus {
    fn from(s: ReferralStatus) -> Self {
        match s {
            ReferralStatus::Referred => Self::Referred,
            ReferralStatus::Contacted => Self::Contacted,
            ReferralStatus::Connected => Self::Connected,
            ReferralStatus::NotConnected => Self::NotConnected,
            ReferralStatus::Closed => Self::Closed,
        }
    }
}

/// Why a referral did not connect the resident with the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum OutcomeReason {
    /// Nobody answered.
    NoAnswer,
    /// Found not eligible after all.
    NotEligible,
    /// Waitlist or at capacity.
    WaitlistFull,
    /// Too far to travel.
    TooFar,
    /// Not offered in the resident's language.
    Language,
    /// Cost was a barrier.
    Cost,
    /// Only virtual, but in-person help was needed.
    VirtualOnly,
    /// Closed at the times the resident could attend.
    ClosedAtNeededTimes,
    /// The resident declined or withdrew.
    Declined,
    /// Another reason.
    Other,
}

impl From<CoreOutcome> for OutcomeReason {
    fn from(r: CoreOutcome) -> Self {
        match r {
            CoreOutcome::NoAnswer => Self::NoAnswer,
            CoreOutcome::NotEligible => Self::NotEligible,
            CoreOutcome::WaitlistFull => Self::WaitlistFull,
            CoreOutcome::TooFar => Self::TooFar,
            CoreOutcome::Language => Self::Language,
            CoreOutcome::Cost => Self::Cost,
            CoreOutcome::VirtualOnly => Self::VirtualOnly,
            CoreOutcome::ClosedAtNeededTimes => Self::ClosedAtNeededTimes,
            CoreOutcome::Declined => Self::Declined,
            _ => Self::Other,
        }
    }
}

impl From<OutcomeReason> for CoreOutcome {
    fn from(r: OutcomeReason) -> Self {
        match r {
            OutcomeReason::NoAnswer => Self::NoAnswer,
            OutcomeReason::NotEligible => Self::NotEligible,
            OutcomeReason::WaitlistFull => Self::WaitlistFull,
            OutcomeReason::TooFar => Self::TooFar,
            OutcomeReason::Language => Self::Language,
            OutcomeReason::Cost => Self::Cost,
            OutcomeReason::VirtualOnly => Self::VirtualOnly,
            OutcomeReason::ClosedAtNeededTimes => Self::ClosedAtNeededTimes,
            OutcomeReason::Declined => Self::Declined,
            OutcomeReason::Other => Self::Other,
        }
    }
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StatusChange {
    /// The status entered.
    pub status: ReferralStatus,
    /// The day it was entered (`YYYY-MM-DD`).
    pub on: String,
}

/// A referral of a resident to a service, with its follow-up. Holds no personal data: the
/// need, the service, dates, status, an optional self-identified population group and an
/// optional coarse area key. The application stores it; passerelle persists nothing.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Referral {
    /// Id chosen by the application.
    pub id: String,
    /// The need (taxonomy term code).
    pub need: String,
    /// The service referred to.
    pub service_id: String,
    /// The service at location referred to (empty for a service without location).
    pub service_at_location_id: String,
    /// The day of the referral (`YYYY-MM-DD`).
    pub referred_on: String,
    /// Current status.
    pub status: ReferralStatus,
    /// When to follow up (`YYYY-MM-DD`).
    pub follow_up_due: Option<String>,
    /// Why it did not connect (set with `NotConnected`).
    pub outcome: Option<OutcomeReason>,
    /// Optional self-identified population group.
    pub population: Option<String>,
    /// Optional coarse area key (`fsa:K1L`, `area:vanier`, `grid:…`), never a point.
    pub area: Option<String>,
    /// Every status entered, oldest first.
    pub history: Vec<StatusChange>,
}

impl From<CoreReferral> for Referral {
    fn from(r: CoreReferral) -> Self {
        Self {
            id: r.id,
            need: r.need.as_str().to_owned(),
            service_id: r.service_id,
            service_at_location_id: r.service_at_location_id,
            referred_on: r.referred_on.to_string(),
            status: r.status.into(),
            follow_up_due: r.follow_up_due.map(|d| d.to_string()),
            outcome: r.outcome.map(Into::into),
            population: r.population,
            area: r.area.map(String::from),
            history: r
                .history
                .into_iter()
                .map(|c| StatusChange {
                    status: c.status.into(),
                    on: c.on.to_string(),
                })
                .collect(),
        }
    }
}

impl TryFrom<Referral> for CoreReferral {
    type Error = PasserelleError;

    /// Parses and checks a referral record (as stored by the application).
    fn try_from(r: Referral) -> Result<Self, Self::Error> {
        let mut out = CoreReferral::new(
            r.id,
            TermCode::new(&r.need)?,
            r.service_id,
            r.service_at_location_id,
            date("referred_on", &r.referred_on)?,
        );
        out.status = r.status.into();
        out.follow_up_due = r
            .follow_up_due
            .map(|d| date("follow_up_due", &d))
            .transpose()?;
        out.outcome = r.outcome.map(Into::into);
        out.population = r.population;
        out.area = r.area.map(area).transpose()?;
        out.history = r
            .history
            .into_iter()
            .map(|c| {
                Ok(CoreChange {
                    status: c.status.into(),
                    on: date("history.on", &c.on)?,
                })
            })
            .collect::<Result<_, PasserelleError>>()?;
        out.validate().map_err(referral_error)?;
        Ok(out)
    }
}

/// Why a need went unmet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UnmetReason {
    /// No service in the directory meets this need.
    NoServiceForNeed,
    /// Services exist, but none within reach of the resident.
    NoneWithinReach,
    /// The resident is eligible for none.
    AllIneligible,
    /// Eligible services are full or wait-listed.
    AllFull,
    /// Eligible services are closed when the resident needs them.
    ClosedAtNeededTimes,
    /// No service in the resident's language.
    Language,
    /// Only virtual services, but in-person help was needed.
    OnlyVirtual,
    /// No suitable service is free.
    Cost,
}

impl From<CoreUnmetReason> for UnmetReason {
    fn from(r: CoreUnmetReason) -> Self {
        match r {
            CoreUnmetReason::NoServiceForNeed => Self::NoServiceForNeed,
            CoreUnmetReason::NoneWithinReach => Self::NoneWithinReach,
            CoreUnmetReason::AllIneligible => Self::AllIneligible,
            CoreUnmetReason::AllFull => Self::AllFull,
            CoreUnmetReason::ClosedAtNeededTimes => Self::ClosedAtNeededTimes,
            CoreUnmetReason::Language => Self::Language,
            CoreUnmetReason::OnlyVirtual => Self::OnlyVirtual,
            _ => Self::Cost,
        }
    }
}

impl From<UnmetReason> for CoreUnmetReason {
    fn from(r: UnmetReason) -> Self {
        match r {
            UnmetReason::NoServiceForNeed => Self::NoServiceForNeed,
            UnmetReason::NoneWithinReach => Self::NoneWithinReach,
            UnmetReason::AllIneligible => Self::AllIneligible,
            UnmetReason::AllFull => Self::AllFull,
            UnmetReason::ClosedAtNeededTimes => Self::ClosedAtNeededTimes,
            UnmetReason::Language => Self::Language,
            UnmetReason::OnlyVirtual => Self::OnlyVirtual,
            UnmetReason::Cost => Self::Cost,
        }
    }
}

/// A need no service could meet: the need, an optional population group, a coarse area,
/// the day and the reason. Non-identifying by construction.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct UnmetNeed {
    /// The need (taxonomy term code).
    pub need: String,
    /// Optional self-identified population group.
    pub population: Option<String>,
    /// Coarse area key (`fsa:K1L`, `area:…`, `grid:…`).
    pub area: String,
    /// Day recorded (`YYYY-MM-DD`).
    pub date: String,
    /// Why it went unmet.
    pub reason: UnmetReason,
}

impl From<CoreUnmet> for UnmetNeed {
    fn from(u: CoreUnmet) -> Self {
        Self {
            need: u.need.as_str().to_owned(),
            population: u.population,
            area: u.area.into(),
            date: u.date.to_string(),
            reason: u.reason.into(),
        }
    }
}

impl TryFrom<UnmetNeed> for CoreUnmet {
    type Error = PasserelleError;

    fn try_from(u: UnmetNeed) -> Result<Self, Self::Error> {
        Ok(Self {
            need: TermCode::new(&u.need)?,
            population: u.population,
            area: area(u.area)?,
            date: date("date", &u.date)?,
            reason: u.reason.into(),
        })
    }
}

/// A new referral in status `Referred` (dates `YYYY-MM-DD`). Errors with `InvalidInput` for
/// a bad term code or date.
#[uniffi::export]
pub fn new_referral(
    id: String,
    need: String,
    service_id: String,
    service_at_location_id: String,
    referred_on: String,
) -> Result<Referral, PasserelleError> {
    guard("new_referral", || {
        Ok(CoreReferral::new(
            id,
            TermCode::new(&need)?,
            service_id,
            service_at_location_id,
            date("referred_on", &referred_on)?,
        )
        .into())
    })
}

/// The referral moved to `next` on day `on`, as the lifecycle allows. Errors with
/// `InvalidInput` for a transition the lifecycle forbids (`NotConnected` needs
/// `referral_not_connected`), a bad date or an inconsistent record.
#[uniffi::export]
pub fn referral_advance(
    referral: Referral,
    next: ReferralStatus,
    on: String,
) -> Result<Referral, PasserelleError> {
    guard("referral_advance", || {
        let mut r = CoreReferral::try_from(referral)?;
        r.advance(next.into(), date("on", &on)?)
            .map_err(referral_error)?;
        Ok(r.into())
    })
}

/// The referral marked not connected on day `on`, with the reason. Errors as
/// `referral_advance`.
#[uniffi::export]
pub fn referral_not_connected(
    referral: Referral,
    reason: OutcomeReason,
    on: String,
) -> Result<Referral, PasserelleError> {
    guard("referral_not_connected", || {
        let mut r = CoreReferral::try_from(referral)?;
        r.not_connected(reason.into(), date("on", &on)?)
            .map_err(referral_error)?;
        Ok(r.into())
    })
}

/// True when the referral's follow-up is due on `today` and it is not closed.
#[uniffi::export]
pub fn referral_follow_up_overdue(
    referral: Referral,
    today: String,
) -> Result<bool, PasserelleError> {
    guard("referral_follow_up_overdue", || {
        Ok(CoreReferral::try_from(referral)?.follow_up_overdue(date("today", &today)?))
    })
}

/// Referrals as CSV (header `id,need,service_id,service_at_location_id,referred_on,status,
/// follow_up_due,outcome,population,area,history`), the form `analyze_gaps` reads.
#[uniffi::export]
pub fn referrals_to_csv(referrals: Vec<Referral>) -> Result<String, PasserelleError> {
    guard("referrals_to_csv", || {
        let core = referrals
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                CoreReferral::try_from(r).map_err(|e| e.context(&format!("referral #{i}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        passerelle::referrals::referrals_to_csv(&core).map_err(referral_error)
    })
}

/// Referrals read from CSV (as written by `referrals_to_csv`). Errors with `InvalidInput`
/// naming the row and field of the first bad row.
#[uniffi::export]
pub fn referrals_from_csv(csv: String) -> Result<Vec<Referral>, PasserelleError> {
    guard("referrals_from_csv", || {
        Ok(passerelle::referrals::referrals_from_csv(csv.as_bytes())
            .map_err(referral_error)?
            .into_iter()
            .map(Into::into)
            .collect())
    })
}

/// Unmet-need records as CSV (header `need,population,area,date,reason`).
#[uniffi::export]
pub fn unmet_needs_to_csv(needs: Vec<UnmetNeed>) -> Result<String, PasserelleError> {
    guard("unmet_needs_to_csv", || {
        let core = needs
            .into_iter()
            .enumerate()
            .map(|(i, u)| {
                CoreUnmet::try_from(u).map_err(|e| e.context(&format!("unmet need #{i}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        passerelle::referrals::unmet_needs_to_csv(&core).map_err(referral_error)
    })
}

/// Unmet-need records read from CSV. Errors with `InvalidInput` naming the row and field.
#[uniffi::export]
pub fn unmet_needs_from_csv(csv: String) -> Result<Vec<UnmetNeed>, PasserelleError> {
    guard("unmet_needs_from_csv", || {
        Ok(passerelle::referrals::unmet_needs_from_csv(csv.as_bytes())
            .map_err(referral_error)?
            .into_iter()
            .map(Into::into)
            .collect())
    })
}

fn csv_map(tables: Vec<(String, Vec<u8>)>) -> Result<HashMap<String, String>, PasserelleError> {
    tables
        .into_iter()
        .map(|(name, bytes)| Ok((name, utf8(bytes)?)))
        .collect()
}

#[uniffi::export]
impl Navigator {
    /// The unmet-need records of `query`: one per need that found nothing suitable (a need
    /// not understood gives none), with `area` (a coarse key, e.g. from `area_key_for_point`),
    /// `date` (`YYYY-MM-DD`) and an optional population group. The query's location is
    /// never copied. Errors as `search`, and `InvalidInput` for a bad area key or date.
    #[uniffi::method(default(population = None))]
    pub fn unmet_needs(
        &self,
        query: SearchQuery,
        area: String,
        date: String,
        population: Option<String>,
    ) -> Result<Vec<UnmetNeed>, PasserelleError> {
        guard("Navigator.unmet_needs", || {
            let nav = self.snapshot();
            let area = self::area(area)?;
            let on = self::date("date", &date)?;
            let q = query.into_core(&nav)?;
            let res = nav.search(&q)?;
            Ok(
                CoreUnmet::from_search(&res, &q, &area, on, population.as_deref())
                    .into_iter()
                    .map(Into::into)
                    .collect(),
            )
        })
    }

    /// The coarse area key of a point, to store instead of the point: the smallest named
    /// area of this navigator's gazetteer covering it (`area:…`), else its `cell_m`-metre
    /// grid cell (`grid:…`, `cell_m` ≥ 1000). Errors with `InvalidInput`.
    pub fn area_key_for_point(
        &self,
        lat: f64,
        lon: f64,
        cell_m: u32,
    ) -> Result<String, PasserelleError> {
        guard("Navigator.area_key_for_point", || {
            let p = passerelle::model::GeoPoint::new(lat, lon)?;
            let nav = self.snapshot();
            passerelle::gaps::area_key_for_point(p, nav.named_areas(), cell_m)
                .map(String::from)
                .map_err(PasserelleError::from)
        })
    }

    /// The current directory as HSDS 3.1 JSON text (re-importable with `from_json`).
    pub fn export_json(&self) -> Result<String, PasserelleError> {
        guard("Navigator.export_json", || {
            utf8(passerelle::hsds::export_json(self.snapshot().directory()))
        })
    }

    /// The current directory as HSDS 3.1 CSV tables: file name (`services.csv`,
    /// `datapackage.json` …) → content.
    pub fn export_csv(&self) -> Result<HashMap<String, String>, PasserelleError> {
        guard("Navigator.export_csv", || {
            csv_map(passerelle::hsds::export_csv_tables(
                self.snapshot().directory(),
            ))
        })
    }

    /// Every match of `query` (all needs, all pages: `limit` and `offset` are ignored) as a
    /// self-contained HSDS sub-directory, in JSON. Errors as `search`.
    pub fn export_query_json(&self, query: SearchQuery) -> Result<String, PasserelleError> {
        guard("Navigator.export_query_json", || {
            let nav = self.snapshot();
            let q = query.into_core(&nav)?;
            utf8(passerelle::hsds::export_json(
                &nav.export_query_directory(&q)?,
            ))
        })
    }

    /// `export_query_json` as CSV tables: file name → content.
    pub fn export_query_csv(
        &self,
        query: SearchQuery,
    ) -> Result<HashMap<String, String>, PasserelleError> {
        guard("Navigator.export_query_csv", || {
            let nav = self.snapshot();
            let q = query.into_core(&nav)?;
            csv_map(passerelle::hsds::export_csv_tables(
                &nav.export_query_directory(&q)?,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::NeedInput;

    fn query(text: &str, lat: f64, lon: f64) -> SearchQuery {
        SearchQuery {
            lat: Some(lat),
            lon: Some(lon),
            max_distance_km: Some(2.0),
            delivery: Some(crate::matching::Delivery::InPersonOnly),
            ..crate::matching::tests::query(text)
        }
    }

    #[test]
    fn referral_lifecycle_round_trips() {
        let r = new_referral(
            "r1".into(),
            "food.bank".into(),
            "svc".into(),
            "sal".into(),
            "2026-11-02".into(),
        )
        .unwrap();
        let r = referral_advance(r, ReferralStatus::Contacted, "2026-11-03".into()).unwrap();
        assert!(
            referral_advance(r.clone(), ReferralStatus::NotConnected, "2026-11-04".into()).is_err()
        );
        let r =
            referral_not_connected(r, OutcomeReason::WaitlistFull, "2026-11-04".into()).unwrap();
        assert_eq!(r.history.len(), 3);
        let csv = referrals_to_csv(vec![r.clone()]).unwrap();
        assert_eq!(referrals_from_csv(csv).unwrap(), vec![r.clone()]);
        let mut bad = r;
        bad.history.clear();
        assert!(matches!(
            referrals_to_csv(vec![bad]),
            Err(PasserelleError::InvalidInput { reason }) if reason.starts_with("referral #0")
        ));
        assert!(new_referral(
            "x".into(),
            "food.bank".into(),
            "s".into(),
            "".into(),
            "2/11".into()
        )
        .is_err());
    }

    #[test]
    fn unmet_need_from_a_search_with_no_result() {
        let nav = Navigator::sample().unwrap();
        // Rural west, in person only within 2 km: no food bank.
        let mut q = query("food bank", 45.47, -76.30);
        q.needs.push(NeedInput {
            text: Some("xyzzy plugh".into()),
            terms: vec![],
        });
        let key = nav.area_key_for_point(45.47, -76.30, 1_000).unwrap();
        let unmet = nav
            .unmet_needs(q, key.clone(), "2026-11-20".into(), None)
            .unwrap();
        assert_eq!(unmet.len(), 1, "the need not understood gives no record");
        assert_eq!(unmet[0].reason, UnmetReason::NoneWithinReach);
        assert_eq!(unmet[0].area, key);
        let csv = unmet_needs_to_csv(unmet.clone()).unwrap();
        assert_eq!(unmet_needs_from_csv(csv).unwrap(), unmet);
        assert!(nav
            .unmet_needs(
                query("food bank", 45.47, -76.30),
                "45.4,-75.6".into(),
                "2026-11-20".into(),
                None
            )
            .is_err());
    }

    #[test]
    fn exports_read_back() {
        let nav = Navigator::sample().unwrap();
        let json = nav.export_json().unwrap();
        let again = Navigator::from_json(json, None, None, None, None, None).unwrap();
        assert_eq!(
            again.directory_info().services,
            nav.directory_info().services
        );
        let csv = nav.export_csv().unwrap();
        assert!(csv.contains_key("services.csv"));
        let mut q = query("food", 45.4292, -75.6920);
        q.max_distance_km = Some(50.0);
        q.delivery = None;
        q.limit = 1;
        let page = nav.search(q.clone()).unwrap();
        let sub = Navigator::from_json(
            nav.export_query_json(q.clone()).unwrap(),
            None,
            None,
            None,
            None,
            None,
        )
        .unwrap();
        assert!(sub.directory_info().services > 1);
        assert!(u64::from(page.needs[0].total) >= sub.directory_info().services);
        assert!(nav
            .export_query_csv(q)
            .unwrap()
            .contains_key("services.csv"));
    }
}
