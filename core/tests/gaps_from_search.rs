//! From a search's "why nothing fits" to an unmet-need record.

use crate::gaps_support::*;
use jiff::civil::date;
use passerelle::{gaps::*, matching::*, referrals::*, spatial::*};

const ALL_NO_MATCH: [NoMatchReason; 10] = [
    NoMatchReason::NeedNotUnderstood,
    NoMatchReason::NoServiceForNeed,
    NoMatchReason::AllInactive,
    NoMatchReason::OutsideServiceArea,
    NoMatchReason::AllTooFar,
    NoMatchReason::DeliveryMismatch,
    NoMatchReason::AllIneligible,
    NoMatchReason::AllClosed,
    NoMatchReason::Language,
    NoMatchReason::Cost,
];

#[test]
fn every_no_match_reason_has_a_documented_mapping() {
    use UnmetReason as U;
    let expected = [
        None,
        Some(U::NoServiceForNeed),
        Some(U::NoServiceForNeed),
        Some(U::NoneWithinReach),
        Some(U::NoneWithinReach),
        Some(U::OnlyVirtual),
        Some(U::AllIneligible),
        Some(U::ClosedAtNeededTimes),
        Some(U::Language),
        Some(U::Cost),
    ];
    for (r, e) in ALL_NO_MATCH.iter().zip(expected) {
        assert_eq!(UnmetReason::from_no_match(*r), e, "{r:?}");
    }
}

fn need_results(reason: Option<NoMatchReason>, terms: &[&str], total: usize) -> NeedResults {
    // Built from a real search, then adjusted: NeedResults has no public constructor.
    let mut n = nav()
        .search(&Query::new([Need::term(code("food.bank"))]))
        .unwrap()
        .needs
        .remove(0);
    n.no_match = reason;
    n.understood_as = terms.iter().map(|t| code(t)).collect();
    n.total = total;
    n
}

#[test]
fn from_no_match_builds_a_record_for_every_reason() {
    let area = named("Vanier");
    let d = date(2026, 11, 20);
    for r in ALL_NO_MATCH {
        let n = need_results(Some(r), &["housing.rent", "housing"], 0);
        let rec = UnmetNeed::from_no_match(&n, area.clone(), d, Some("newcomer".into()));
        match UnmetReason::from_no_match(r) {
            None => assert!(rec.is_none()),
            Some(reason) => {
                let rec = rec.unwrap();
                assert_eq!(rec.reason, reason);
                assert_eq!(rec.need.as_str(), "housing.rent", "first understood term");
                assert_eq!(rec.area, area);
                assert_eq!(rec.population.as_deref(), Some("newcomer"));
                assert_eq!(rec.date, d);
            }
        }
    }
    // Results found, or nothing understood: no record.
    assert!(UnmetNeed::from_no_match(
        &need_results(None, &["food.bank"], 3),
        area.clone(),
        d,
        None
    )
    .is_none());
    assert!(UnmetNeed::from_no_match(
        &need_results(Some(NoMatchReason::NoServiceForNeed), &[], 0),
        area,
        d,
        None
    )
    .is_none());
}

#[test]
fn real_searches_in_the_rural_west() {
    let home = pt(45.47, -76.30);
    let area = area_key_for_point(home, &NamedAreas::ottawa_sample(), 1_000).unwrap();
    let d = date(2026, 11, 20);
    let q = Query::new([
        Need::term(code("food.bank")),
        Need::term(code("legal.aid")),
        Need::term(code("health.mental.crisis")),
    ])
    .near(home, 2_000.0)
    .delivery(DeliveryPreference::InPersonOnly);
    let res = nav().search(&q).unwrap();
    let recs = UnmetNeed::from_search(&res, &q, &area, d, Some("senior"));
    let by_need: Vec<(&str, UnmetReason)> =
        recs.iter().map(|r| (r.need.as_str(), r.reason)).collect();
    assert!(
        by_need.contains(&("food.bank", UnmetReason::NoneWithinReach)),
        "{by_need:?}"
    );
    // Legal aid near there is phone/online only: in-person help was needed.
    assert!(
        by_need.contains(&("legal.aid", UnmetReason::OnlyVirtual)),
        "{by_need:?}"
    );
    assert!(recs
        .iter()
        .all(|r| r.area == area && r.population.as_deref() == Some("senior")));
    // The record's area is coarse: not the point.
    let json = serde_json::to_string(&recs).unwrap();
    assert!(!json.contains("45.47") && !json.contains("76.3"));

    // Someone who cannot travel: a delivery mismatch is "none within reach", not "only virtual".
    let q = Query::new([Need::term(code("legal.aid"))])
        .near(home, 2_000.0)
        .delivery(DeliveryPreference::HomeVisit);
    let res = nav().search(&q).unwrap();
    if res.needs[0].no_match == Some(NoMatchReason::DeliveryMismatch) {
        let recs = UnmetNeed::from_search(&res, &q, &area, d, None);
        assert_eq!(recs[0].reason, UnmetReason::NoneWithinReach);
    }
}

#[test]
fn unmet_reason_names_round_trip_including_cost() {
    for r in UnmetReason::ALL {
        assert_eq!(UnmetReason::parse(r.as_str()), Some(r));
    }
    let rec = unmet(&named("Vanier"), "legal.aid", None, UnmetReason::Cost);
    let csv = unmet_needs_to_csv(std::slice::from_ref(&rec)).unwrap();
    assert_eq!(unmet_needs_from_csv(csv.as_bytes()).unwrap(), vec![rec]);
}
