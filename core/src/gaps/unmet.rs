//! From a search that found nothing suitable to a ready-made [`UnmetNeed`] record.

use jiff::civil::Date;

use crate::matching::{DeliveryPreference, NeedResults, NoMatchReason, Query, SearchResults};
use crate::referrals::{AreaKey, UnmetNeed, UnmetReason};

impl UnmetReason {
    /// The unmet-need reason recorded for a search's "why nothing fits" reason.
    ///
    /// | [`NoMatchReason`] | [`UnmetReason`] |
    /// |---|---|
    /// | `NeedNotUnderstood` | none: a wording problem, not a service gap (no record) |
    /// | `NoServiceForNeed` | `NoServiceForNeed` |
    /// | `AllInactive` | `NoServiceForNeed` (no service is operating) |
    /// | `OutsideServiceArea` | `NoneWithinReach` |
    /// | `AllTooFar` | `NoneWithinReach` |
    /// | `DeliveryMismatch` | `OnlyVirtual` (the resident needed in-person help; see [`UnmetNeed::from_search`] for other delivery preferences) |
    /// | `AllIneligible` | `AllIneligible` |
    /// | `AllClosed` | `ClosedAtNeededTimes` |
    /// | `Language` | `Language` |
    /// | `Cost` | `Cost` |
    ///
    /// # Examples
    /// ```
    /// use passerelle::matching::NoMatchReason;
    /// use passerelle::referrals::UnmetReason;
    /// assert_eq!(UnmetReason::from_no_match(NoMatchReason::AllClosed), Some(UnmetReason::ClosedAtNeededTimes));
    /// assert_eq!(UnmetReason::from_no_match(NoMatchReason::NeedNotUnderstood), None);
    /// ```
    pub fn from_no_match(reason: NoMatchReason) -> Option<Self> {
        Some(match reason {
            NoMatchReason::NeedNotUnderstood => return None,
            NoMatchReason::NoServiceForNeed | NoMatchReason::AllInactive => Self::NoServiceForNeed,
            NoMatchReason::OutsideServiceArea | NoMatchReason::AllTooFar => Self::NoneWithinReach,
            NoMatchReason::DeliveryMismatch => Self::OnlyVirtual,
            NoMatchReason::AllIneligible => Self::AllIneligible,
            NoMatchReason::AllClosed => Self::ClosedAtNeededTimes,
            NoMatchReason::Language => Self::Language,
            NoMatchReason::Cost => Self::Cost,
        })
    }
}

impl UnmetNeed {
    /// The unmet-need record for one need of a search that found nothing suitable.
    ///
    /// `None` when the need got results, when the search did not understand it
    /// ([`NoMatchReason::NeedNotUnderstood`]) or when it was understood as no taxonomy term.
    /// The need recorded is the first term of [`NeedResults::understood_as`]; the reason
    /// follows [`UnmetReason::from_no_match`]. `area` must already be coarse (see
    /// [`area_key_for_point`](crate::gaps::area_key_for_point)); the resident's location is never
    /// copied.
    ///
    /// # Examples
    /// ```
    /// use jiff::civil::date;
    /// use passerelle::{gaps::area_key_for_point, Directory, model::GeoPoint, spatial::NamedAreas, Navigator,
    ///     NavigatorOptions, Need, Query, model::TermCode, referrals::UnmetNeed, referrals::UnmetReason};
    /// let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::sample()).unwrap();
    /// let home = GeoPoint::new(45.47, -76.30).unwrap(); // rural west
    /// let q = Query::new([Need::term(TermCode::new("food.bank").unwrap())])
    ///     .near(home, 2_000.0)
    ///     .delivery(passerelle::matching::DeliveryPreference::InPersonOnly);
    /// let res = nav.search(&q).unwrap();
    /// let area = area_key_for_point(home, &NamedAreas::ottawa_sample(), 1_000).unwrap();
    /// let unmet = UnmetNeed::from_no_match(&res.needs[0], area, date(2026, 11, 20), None).unwrap();
    /// assert_eq!(unmet.need.as_str(), "food.bank");
    /// assert_eq!(unmet.reason, UnmetReason::NoneWithinReach);
    /// ```
    pub fn from_no_match(
        need_results: &NeedResults,
        area: AreaKey,
        date: Date,
        population: Option<String>,
    ) -> Option<Self> {
        if need_results.total > 0 {
            return None;
        }
        let reason = UnmetReason::from_no_match(need_results.no_match?)?;
        Some(Self {
            need: need_results.understood_as.first()?.clone(),
            population,
            area,
            date,
            reason,
        })
    }

    /// The unmet-need records of every need of `results` that found nothing suitable (see
    /// [`UnmetNeed::from_no_match`]), knowing the query: a
    /// [`NoMatchReason::DeliveryMismatch`] is `OnlyVirtual` when the resident accepted or
    /// needed in-person help, and `NoneWithinReach` when they could not travel
    /// ([`DeliveryPreference::HomeVisit`]) or wanted the phone only.
    ///
    /// The population recorded is `population` (one self-identified group, or none): the
    /// query's own population list is not copied, so nothing more than the caller chooses
    /// is kept.
    pub fn from_search(
        results: &SearchResults,
        query: &Query,
        area: &AreaKey,
        date: Date,
        population: Option<&str>,
    ) -> Vec<Self> {
        results
            .needs
            .iter()
            .filter_map(|n| {
                let mut rec =
                    Self::from_no_match(n, area.clone(), date, population.map(str::to_owned))?;
                if n.no_match == Some(NoMatchReason::DeliveryMismatch)
                    && matches!(
                        query.delivery,
                        DeliveryPreference::HomeVisit | DeliveryPreference::PhoneOnly
                    )
                {
                    rec.reason = UnmetReason::NoneWithinReach;
                }
                Some(rec)
            })
            .collect()
    }
}
