//! Navigator behaviour on a small in-code directory (see `matching_support`).

use crate::matching_support::*;
use passerelle::{matching::*, model::*, text::*, *};
use proptest::prelude::*;

fn food_near_hub() -> Query {
    Query::new([Need::text("food bank")])
        .near(point(HUB), 5_000.0)
        .at(monday_morning())
        .limit(10)
}

#[test]
fn nearest_food_bank_first_and_far_ones_left_out() {
    let nav = navigator();
    let res = nav.search(&food_near_hub()).unwrap();
    let need = &res.needs[0];
    assert_eq!(ids(need)[0], "food-hub");
    assert!(!ids(need).contains(&"food-kanata"), "Kanata is ~20 km away");
    assert!(!ids(need).contains(&"food-old"), "inactive");
    assert_eq!(need.counts.inactive, 1);
    assert!(need.counts.too_far >= 1);
    let top = &need.matches[0];
    assert_eq!(top.need_match, NeedMatchKind::Exact);
    assert!(top.openness.is_open());
    assert!(top.distance_m.unwrap() < 1.0);
    assert!((top.breakdown.total() - top.score).abs() < 1e-9);
}

#[test]
fn french_and_english_give_the_same_top_result() {
    let nav = navigator();
    for (en, fr) in [
        ("food bank", "banque alimentaire"),
        ("rent help", "aide au loyer"),
        ("job search", "recherche d'emploi"),
    ] {
        let q = |t: &str| {
            Query::new([Need::text(t)])
                .near(point(HUB), 500_000.0)
                .at(monday_morning())
        };
        let a = nav.search(&q(en)).unwrap();
        let b = nav.search(&q(fr)).unwrap();
        assert_eq!(
            a.needs[0].matches.first().map(|m| &m.service_id),
            b.needs[0].matches.first().map(|m| &m.service_id),
            "{en} / {fr}"
        );
        assert!(a.needs[0].total > 0, "{en}");
    }
}

#[test]
fn crisis_services_lead_whatever_the_distance() {
    let nav = navigator();
    let q = Query::new([Need::text("pensées suicidaires")])
        .near(point(KANATA), 1_000.0)
        .delivery(DeliveryPreference::InPersonOnly)
        .at(saturday());
    let res = nav.search(&q).unwrap();
    let crisis = res.crisis.as_ref().expect("crisis detected");
    assert_eq!(crisis.needs, vec![0]);
    assert_eq!(crisis.kind, CrisisKind::SuicideOrSelfHarm);
    assert!(crisis.message.fr.contains("9-8-8"));
    let first = &res.needs[0].matches[0];
    assert_eq!(first.service_id, "crisis-line");
    assert!(first.crisis_line && first.always_open);
    assert!(first.reasons[0].en.contains("24/7"));
    // English phrasing too.
    let res = nav
        .search(&Query::new([Need::text("I want to kill myself")]).at(saturday()))
        .unwrap();
    assert!(res.crisis.is_some());
    assert_eq!(res.needs[0].matches[0].service_id, "crisis-line");
}

#[test]
fn no_match_reasons() {
    let nav = navigator();
    let at = monday_morning();
    let reason = |q: Query| nav.search(&q.at(at)).unwrap().needs[0].no_match;
    assert_eq!(
        reason(
            Query::new([Need::text("job search")])
                .near(point(HUB), 5_000.0)
                .delivery(DeliveryPreference::InPersonOnly)
        ),
        Some(NoMatchReason::AllTooFar)
    );
    assert_eq!(
        reason(Query::new([Need::text("zzqx wug blarf")])),
        Some(NoMatchReason::NeedNotUnderstood)
    );
    assert_eq!(
        reason(Query::new([Need::text("legal aid")])),
        Some(NoMatchReason::NoServiceForNeed)
    );
    assert_eq!(
        reason(Query::new([Need::text("rent help")]).delivery(DeliveryPreference::PhoneOnly)),
        Some(NoMatchReason::DeliveryMismatch)
    );
    let mut rich = nav.catalog().profile();
    rich.set("household_income", 90_000.into()).unwrap();
    assert_eq!(
        reason(
            Query::new([Need::text("food bank")])
                .near(point(VANIER), 1_500.0)
                .profile(rich)
        ),
        Some(NoMatchReason::AllIneligible)
    );
    let res = nav
        .search(
            &Query::new([Need::text("food bank")])
                .near(point(HUB), 1_000.0)
                .open_only()
                .at(saturday()),
        )
        .unwrap();
    assert_eq!(
        res.needs[0].no_match,
        Some(NoMatchReason::AllClosed),
        "{:?}",
        ids(&res.needs[0])
    );
    let text = res.needs[0].no_match_text.as_ref().unwrap();
    assert!(!text.en.is_empty() && !text.fr.is_empty());
}

#[test]
fn eligibility_unknown_asks_and_ineligible_only_on_request() {
    let nav = navigator();
    let base = Query::new([Need::text("food bank")])
        .near(point(VANIER), 1_500.0)
        .at(monday_morning());
    let res = nav.search(&base).unwrap();
    let m = &res.needs[0].matches[0];
    assert_eq!(m.service_id, "food-vanier");
    assert_eq!(m.eligibility.status, EligibilityStatus::Unknown);
    assert_eq!(m.eligibility.missing_facts, vec!["household_income"]);
    assert_eq!(res.next_questions[0].fact, "household_income");
    assert!(m
        .reasons
        .iter()
        .any(|r| r.fr.contains("Admissibilité à confirmer")));

    let mut p = nav.catalog().profile();
    p.set("household_income", 90_000.into()).unwrap();
    let res = nav.search(&base.clone().profile(p.clone())).unwrap();
    assert_eq!(res.needs[0].counts.ineligible, 1);
    assert!(res
        .matches()
        .all(|m| m.eligibility.status != EligibilityStatus::Ineligible));
    let res = nav
        .search(&base.clone().profile(p).include_ineligible())
        .unwrap();
    let m = &res.needs[0].matches[0];
    assert_eq!(m.eligibility.status, EligibilityStatus::Ineligible);
    assert!(!m.eligibility.failed.is_empty());
    assert!(
        m.eligibility.failed[0].en.contains("40,000"),
        "{:?}",
        m.eligibility.failed
    );
}

#[test]
fn senior_who_cannot_travel_gets_home_delivery() {
    let nav = navigator();
    let mut p = nav.catalog().profile();
    p.set("age", 70.into()).unwrap();
    let res = nav
        .search(
            &Query::new([Need::text("food")])
                .near(point(VANIER), 5_000.0)
                .delivery(DeliveryPreference::HomeVisit)
                .profile(p)
                .at(monday_morning()),
        )
        .unwrap();
    let ids = ids(&res.needs[0]);
    assert_eq!(ids, vec!["meals-home"]);
    assert_eq!(res.needs[0].matches[0].via, DeliveryMode::HomeVisit);
}

#[test]
fn several_needs_bundle_and_one_stop_hub() {
    let nav = navigator();
    let res = nav
        .search(
            &Query::new([Need::text("behind on rent"), Need::text("utility bills")])
                .near(point(VANIER), 5_000.0)
                .at(monday_morning()),
        )
        .unwrap();
    assert_eq!(res.needs.len(), 2);
    assert_eq!(res.multi_need[0].location_id, "loc-hub");
    assert_eq!(res.multi_need[0].needs, vec![0, 1]);
    let m = &res.needs[0].matches[0];
    assert_eq!(m.also_serves, vec![1]);
    assert_eq!(m.breakdown.get(Factor::OneStop).value, Some(1.0));
    assert!(m.reasons.iter().any(|r| r.factor == Factor::OneStop));
}

#[test]
fn pagination_and_limits() {
    let nav = navigator();
    let q = Query::new([Need::text("food")])
        .near(point(HUB), 50_000.0)
        .at(monday_morning());
    let all = nav.search(&q.clone().limit(10)).unwrap();
    let total = all.needs[0].total;
    assert!(total >= 3);
    let mut paged = Vec::new();
    for offset in 0..total {
        let page = nav.search(&q.clone().limit(1).offset(offset)).unwrap();
        assert_eq!(page.needs[0].total, total);
        assert_eq!(page.needs[0].matches[0].rank, offset + 1);
        paged.push(page.needs[0].matches[0].service_at_location_id.clone());
    }
    let full: Vec<_> = all.needs[0]
        .matches
        .iter()
        .map(|m| m.service_at_location_id.clone())
        .collect();
    assert_eq!(paged, full);
    assert!(
        nav.search(&q.clone().limit(1).offset(total)).unwrap().needs[0]
            .matches
            .is_empty()
    );
    assert!(matches!(
        nav.search(&q.clone().limit(0)),
        Err(Error::Match(MatchError::InvalidLimit { limit: 0 }))
    ));
    assert!(nav.search(&q.clone().limit(-3)).is_err());
    assert_eq!(nav.search(&q.limit(5_000)).unwrap().limit, MAX_LIMIT);
}

#[test]
fn explanations_in_both_languages() {
    let nav = navigator();
    let res = nav
        .search(
            &food_near_hub()
                .languages([LangCode::fr()])
                .accessibility(["wheelchair"])
                .explain(true),
        )
        .unwrap();
    let m = &res.needs[0].matches[0];
    assert!(m.reasons.len() >= 6, "{:?}", m.reasons);
    for r in &m.reasons {
        assert!(!r.en.is_empty() && !r.fr.is_empty());
        assert_eq!(r.text(&LangCode::fr()), r.fr);
    }
    assert!(m.reasons.iter().any(|r| r.factor == Factor::Accessibility
        && r.en == "Lists wheelchair access."
        && r.fr == "Indique : accès en fauteuil roulant."));
    assert!(m.reasons.iter().any(|r| r.fr.contains("Ouvert maintenant")));
    let lean = nav.search(&food_near_hub()).unwrap();
    assert!(lean.needs[0].matches[0].reasons.len() < m.reasons.len());
}

#[test]
fn errors_and_debug_never_show_need_text() {
    let nav = navigator();
    let secret = "pensées suicidaires ".repeat(100);
    let q = Query::new([Need::text(secret.clone())]);
    let err = nav.search(&q).unwrap_err();
    assert!(!err.to_string().contains("suicid"));
    assert!(!format!("{q:?}").contains("suicid"));
    let mut p = nav.catalog().profile();
    p.set("household_income", 12_345.into()).unwrap();
    assert!(!format!("{:?}", Query::new([Need::text("x")]).profile(p)).contains("12345"));
}

#[test]
fn exports() {
    let nav = navigator();
    let res = nav.search(&food_near_hub()).unwrap();
    let sub = nav.export_directory(&res);
    let n = res.matches().count();
    assert_eq!(sub.service_at_locations.len(), n);
    assert!(sub.organizations.len() == 1 && sub.schedules.iter().any(|s| s.id == "sch-food-hub"));
    assert!(sub.taxonomy_terms.iter().any(|t| t.id == "t-food-bank"));
    let g = nav.export_geojson(&res);
    assert_eq!(g["features"].as_array().unwrap().len(), n);
    assert_eq!(g["features"][0]["geometry"]["coordinates"][0], HUB.1);
    assert_eq!(g["features"][0]["properties"]["service_id"], "food-hub");
}

fn shuffled(seed: u64) -> Directory {
    let mut d = directory();
    // Deterministic Fisher–Yates with a small LCG.
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = |n: usize| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) as usize % n
    };
    for i in (1..d.services.len()).rev() {
        let j = next(i + 1);
        d.services.swap(i, j);
    }
    for i in (1..d.service_at_locations.len()).rev() {
        let j = next(i + 1);
        d.service_at_locations.swap(i, j);
    }
    for i in (1..d.attributes.len()).rev() {
        let j = next(i + 1);
        d.attributes.swap(i, j);
    }
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn results_respect_distance_order_and_eligibility(
        lat in 45.25f64..45.50, lon in -75.95f64..-75.55, radius in 200.0f64..30_000.0,
        need in prop::sample::select(vec!["food", "food bank", "rent", "counselling", "emploi"]),
    ) {
        let nav = navigator();
        let q = Query::new([Need::text(need)])
            .near(GeoPoint::new(lat, lon).unwrap(), radius)
            .at(monday_morning())
            .limit(100);
        let res = nav.search(&q).unwrap();
        let ms = &res.needs[0].matches;
        for m in ms {
            if m.via == DeliveryMode::InPerson && !m.crisis_line {
                prop_assert!(m.distance_m.unwrap() <= radius + 1e-6);
            }
            prop_assert!(m.eligibility.status != EligibilityStatus::Ineligible);
            prop_assert!((0.0..=1.0).contains(&m.score));
        }
        for w in ms.windows(2) {
            if w[0].crisis_line == w[1].crisis_line {
                prop_assert!(w[0].score >= w[1].score);
            }
        }
    }

    #[test]
    fn adding_a_matching_language_never_lowers_a_score(
        lat in 45.3f64..45.5, lon in -75.9f64..-75.6,
    ) {
        let nav = navigator();
        let base = Query::new([Need::text("food bank")])
            .near(GeoPoint::new(lat, lon).unwrap(), 50_000.0)
            .at(monday_morning())
            .limit(100);
        let before = nav.search(&base.clone().languages([LangCode::new("es").unwrap()])).unwrap();
        let after = nav.search(&base.languages([LangCode::new("es").unwrap(), LangCode::fr()])).unwrap();
        for m in before.matches() {
            let a = after.matches().find(|x| x.service_at_location_id == m.service_at_location_id).unwrap();
            prop_assert!(a.score >= m.score - 1e-12);
        }
    }

    #[test]
    fn stable_under_directory_permutation(seed in any::<u64>()) {
        let (a, _) = Navigator::build(directory(), NavigatorOptions::default()).unwrap();
        let (b, _) = Navigator::build(shuffled(seed), NavigatorOptions::default()).unwrap();
        let q = Query::new([Need::text("food"), Need::text("rent")])
            .near(point(VANIER), 30_000.0)
            .at(monday_morning())
            .limit(100);
        let ra = a.search(&q).unwrap();
        let rb = b.search(&q).unwrap();
        let key = |r: &SearchResults| r.matches().map(|m| (m.service_at_location_id.clone(), m.score.to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(key(&ra), key(&rb));
    }
}

/// A taxonomy that names a broader term and its unqualified leaf alike ("Food banks" and
/// "Food banks" under it, next to "Food banks for seniors"): the text names the broader
/// term, so the qualified leaves' services are found too, the leaf named exactly ranks as
/// exact and its qualified sibling as narrower.
#[test]
fn a_name_shared_by_a_term_and_its_leaf_finds_the_siblings() {
    let mut d = directory();
    d.taxonomy_terms.push(term(
        "t-food-bank-general",
        "food.bank.general",
        "Food banks",
        "Banques alimentaires",
    ));
    d.taxonomy_terms.push(term(
        "t-food-bank-seniors",
        "food.bank.seniors",
        "Food banks for seniors",
        "Banques alimentaires pour les aînés",
    ));
    // Re-file two pantries under the leaves.
    for a in &mut d.attributes {
        match a.link_id.as_str() {
            "food-hub" if a.taxonomy_term_id == "t-food-bank" => {
                a.taxonomy_term_id = "t-food-bank-general".into();
            }
            "food-vanier" if a.taxonomy_term_id == "t-food-bank" => {
                a.taxonomy_term_id = "t-food-bank-seniors".into();
            }
            _ => {}
        }
    }
    let (nav, report) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    for text in ["banque alimentaire", "food banks"] {
        let q = Query::new([Need::text(text)])
            .near(point(HUB), 50_000.0)
            .at(monday_morning())
            .include_ineligible()
            .limit(10);
        let res = nav.search(&q).unwrap();
        let need = &res.needs[0];
        let understood: Vec<&str> = need.understood_as.iter().map(TermCode::as_str).collect();
        assert!(understood.contains(&"food.bank"), "{text}: {understood:?}");
        for id in ["food-hub", "food-vanier", "food-kanata"] {
            assert!(ids(need).contains(&id), "{text}: {id} in {:?}", ids(need));
        }
        let kind = |id: &str| {
            need.matches
                .iter()
                .find(|m| m.service_id == id)
                .map(|m| m.need_match)
        };
        assert_eq!(kind("food-hub"), Some(NeedMatchKind::Exact), "{text}");
        assert_eq!(kind("food-kanata"), Some(NeedMatchKind::Exact), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Every candidate is counted once: kept or removed by exactly one filter, whatever the
    /// origin, radius and delivery preference (far sites are dropped up front when nothing
    /// else can keep them; this checks that path neither skips nor double-counts a site).
    /// Without accessibility needs, a site-only location beyond the radius is `too_far`.
    #[test]
    fn filter_counts_partition_the_candidates(
        dlat in -0.6f64..0.6,
        dlon in -0.8f64..0.8,
        radius_km in 0.0f64..60.0,
        text in prop::sample::select(vec!["food bank", "rent help", "job search", "counselling", "meals"]),
        in_person in any::<bool>(),
        open_only in any::<bool>(),
    ) {
        let nav = navigator();
        let mut q = Query::new([Need::text(text)])
            .near(point((HUB.0 + dlat, HUB.1 + dlon)), radius_km * 1000.0)
            .at(monday_morning())
            .limit(100);
        if in_person {
            q = q.delivery(DeliveryPreference::InPersonOnly);
        }
        if open_only {
            q = q.open_only();
        }
        let res = nav.search(&q).unwrap();
        let need = &res.needs[0];
        let c = need.counts;
        prop_assert_eq!(
            c.matched_need,
            c.inactive + c.outside_area + c.too_far + c.delivery + c.ineligible + c.closed
                + c.language + c.cost + c.kept,
            "{:?}", c
        );
        prop_assert_eq!(c.kept, need.total);
    }
}

#[test]
fn a_site_beyond_the_radius_is_counted_too_far_exactly_once() {
    // Food banks: the hub (here, and a second site in Kanata), Vanier (~2.4 km), Kanata
    // (~17 km), and an inactive one.
    let mut d = directory();
    d.service_at_locations.push(ServiceAtLocation {
        id: "sal-food-hub-loc-kanata".into(),
        service_id: "food-hub".into(),
        location_id: "loc-kanata".into(),
        ..Default::default()
    });
    let (nav, _) = Navigator::build(d, NavigatorOptions::default()).unwrap();
    for (radius_m, too_far, kept) in [(5_000.0, 2, 2), (1_000.0, 3, 1), (50_000.0, 0, 4)] {
        let q = Query::new([Need::text("food bank")])
            .near(point(HUB), radius_m)
            .at(monday_morning())
            .include_ineligible()
            .delivery(DeliveryPreference::InPersonOnly);
        let need = &nav.search(&q).unwrap().needs[0];
        let c = need.counts;
        assert_eq!(
            (c.too_far, c.kept, c.inactive),
            (too_far, kept, 1),
            "{radius_m} m: {c:?}"
        );
        assert_eq!(c.matched_need, 5);
    }
}
