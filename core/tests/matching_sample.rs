//! Golden tests of matching on the embedded Ottawa sample: the demo's situations
//! (snapshots + explicit top results), the facts the sample's author recorded, and
//! property-style checks (French/English, distance limit, order, eligibility, languages).
//!
//! Openness is judged at a fixed instant, Wednesday 2026-11-18 15:00 in Ottawa.

use std::sync::OnceLock;

use passerelle::{matching::*, model::*, rules::*, text::*};

const AT: &str = "2026-11-18T15:00:00-05:00";

const VANIER: (f64, f64) = (45.4396, -75.6641);
const HUB: (f64, f64) = (45.4301, -75.6907);
const DOWNTOWN: (f64, f64) = (45.4215, -75.6972);
const KANATA: (f64, f64) = (45.3088, -75.8987);
const SANDY_HILL: (f64, f64) = (45.4250, -75.6800);
const CONSTANCE_BAY: (f64, f64) = (45.4931, -76.0849);
const SOUTH_KEYS: (f64, f64) = (45.3540, -75.6550);

fn nav() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .unwrap()
            .0
    })
}

fn at() -> jiff::Timestamp {
    AT.parse().unwrap()
}

fn point(p: (f64, f64)) -> GeoPoint {
    GeoPoint::new(p.0, p.1).unwrap()
}

fn profile(facts: &[(&str, FactValue)]) -> Profile {
    let mut p = nav().catalog().profile();
    for (name, value) in facts {
        p.set(name, value.clone()).unwrap();
    }
    p
}

fn q(need: &str) -> Query {
    Query::new([Need::text(need)]).at(at())
}

fn search(query: &Query) -> SearchResults {
    nav().search(query).unwrap()
}

fn ids(res: &SearchResults) -> Vec<&str> {
    res.needs[0]
        .matches
        .iter()
        .map(|m| m.service_id.as_str())
        .collect()
}

fn find<'a>(res: &'a SearchResults, service: &str) -> Option<&'a Match> {
    res.matches().find(|m| m.service_id == service)
}

fn status(res: &SearchResults, service: &str) -> Option<EligibilityStatus> {
    find(res, service).map(|m| m.eligibility.status)
}

// ---------------------------------------------------------------------------------------------
// The demo's situations

fn situation(id: &str) -> (SampleSituation, SearchResults) {
    let s = sample_situations(nav())
        .into_iter()
        .find(|s| s.id == id)
        .unwrap();
    let res = search(&s.query.clone().at(at()));
    (s, res)
}

#[test]
fn every_situation_matches_its_snapshot() {
    let all = sample_situations(nav());
    assert_eq!(all.len(), 6);
    for s in all {
        let res = search(&s.query.clone().at(at()));
        assert!(!res.is_empty(), "{}", s.id);
        insta::assert_json_snapshot!(
            format!("situation_{}", s.id),
            crate::matching_support::summary(&res)
        );
    }
}

#[test]
fn senior_who_cannot_travel_gets_home_delivery_in_vanier() {
    let (_, res) = situation("senior-food-delivery");
    let top = ids(&res);
    for svc in [
        "svc-vanier-popote",
        "svc-rideau-meal-delivery",
        "svc-doorstep-grocery",
    ] {
        assert!(top.contains(&svc), "{svc} in {top:?}");
        let m = find(&res, svc).unwrap();
        assert_eq!(m.via, DeliveryMode::HomeVisit, "{svc}");
        assert_eq!(m.eligibility.status, EligibilityStatus::Eligible, "{svc}");
    }
    assert!(res
        .matches()
        .all(|m| m.via != DeliveryMode::InPerson && m.via != DeliveryMode::MobileOutreach));
}

#[test]
fn student_in_distress_gets_in_person_counselling_downtown() {
    let (s, res) = situation("student-counselling");
    let need = &res.needs[0];
    assert!(need.total >= 3);
    for m in &need.matches {
        assert_eq!(m.via, DeliveryMode::InPerson, "{}", m.service_id);
        assert!(m.distance_m.unwrap() <= s.query.max_distance_m);
        assert!(m.eligibility.status != EligibilityStatus::Ineligible);
    }
    assert!(
        ids(&res).contains(&"svc-hub-counselling"),
        "{:?}",
        ids(&res)
    );
}

#[test]
fn job_seeker_in_orleans_gets_the_orleans_job_centre() {
    let (_, res) = situation("ei-ending-orleans");
    let top = &res.needs[0].matches[0];
    assert_eq!(top.service_id, "svc-jobcompass-job-search");
    assert_eq!(top.location_id.as_deref(), Some("loc-jobcompass-orleans"));
}

#[test]
fn caregiver_with_two_needs_gets_a_one_stop_hub() {
    let (_, res) = situation("caregiver-rent-hydro");
    assert_eq!(res.needs.len(), 2);
    assert!(res.needs.iter().all(|n| n.total > 0));
    assert_eq!(
        res.needs[0].understood_as,
        vec![TermCode::new("housing.rent").unwrap()]
    );
    assert_eq!(
        res.needs[1].understood_as,
        vec![TermCode::new("housing.utilities").unwrap()]
    );
    let hub = res.multi_need.first().expect("a one-stop location");
    assert_eq!(hub.location_id, "loc-hub-byward");
    assert_eq!(hub.needs, vec![0, 1]);
    // Facts the rules need and the profile lacks become questions.
    assert!(!res.next_questions.is_empty());
}

#[test]
fn french_crisis_puts_the_24_7_line_first() {
    let (_, res) = situation("crisis-fr");
    let crisis = res.crisis.as_ref().expect("crisis notice");
    assert_eq!(crisis.kind, CrisisKind::SuicideOrSelfHarm);
    assert!(crisis.message.fr.contains("9-8-8"));
    let first = &res.needs[0].matches[0];
    assert_eq!(first.service_id, "svc-distress-line");
    assert!(first.crisis_line && first.always_open);
    assert!(first.openness.is_open());
}

#[test]
fn french_typo_finds_employment_in_kanata() {
    let (_, res) = situation("job-typo-kanata");
    assert_eq!(
        res.needs[0].understood_as,
        vec![TermCode::new("employment.jobsearch").unwrap()]
    );
    assert_eq!(
        res.needs[0].matches[0].service_id,
        "svc-kanataworks-employment"
    );
}

// ---------------------------------------------------------------------------------------------
// Facts recorded by the sample's author

const DELIVERY_SERVICES: [&str; 3] = [
    "svc-vanier-popote",
    "svc-rideau-meal-delivery",
    "svc-doorstep-grocery",
];
const FAR_DELIVERY_SERVICES: [&str; 3] = [
    "svc-westcarleton-meals",
    "svc-kanata-seniors-meals",
    "svc-aines-popote-orleans",
];

#[test]
fn food_delivery_in_vanier_follows_service_areas_and_eligibility() {
    for delivery in [
        DeliveryPreference::RemoteAcceptable,
        DeliveryPreference::HomeVisit,
    ] {
        let senior = q("food delivery")
            .near(point(VANIER), 10_000.0)
            .delivery(delivery)
            .profile(profile(&[("age", 70.into()), ("disability", true.into())]))
            .limit(20);
        let res = search(&senior);
        let got = ids(&res);
        for svc in DELIVERY_SERVICES {
            assert!(got.contains(&svc), "{delivery:?}: {svc} in {got:?}");
        }
        for svc in FAR_DELIVERY_SERVICES {
            assert!(!got.contains(&svc), "{delivery:?}: {svc} in {got:?}");
        }
        // Even when ineligible results are asked for, the far ones are outside their areas.
        let res = search(&senior.clone().include_ineligible());
        for svc in FAR_DELIVERY_SERVICES {
            assert!(find(&res, svc).is_none(), "{svc}");
        }

        let younger = senior.profile(profile(&[("age", 40.into()), ("disability", false.into())]));
        let res = search(&younger);
        for svc in DELIVERY_SERVICES {
            assert!(
                find(&res, svc).is_none(),
                "{delivery:?}: {svc} for a 40-year-old"
            );
        }
        let res = search(&younger.include_ineligible());
        for svc in DELIVERY_SERVICES {
            let m = find(&res, svc).unwrap_or_else(|| panic!("{svc} listed as ineligible"));
            assert_eq!(m.eligibility.status, EligibilityStatus::Ineligible, "{svc}");
            assert!(!m.eligibility.failed.is_empty(), "{svc}");
        }
    }
}

#[test]
fn the_hub_has_eight_services_and_is_outside_the_vanier_polygon() {
    let d = nav().directory();
    let at_hub: Vec<&str> = d
        .service_at_locations
        .iter()
        .filter(|s| s.location_id == "loc-hub-byward")
        .map(|s| s.service_id.as_str())
        .collect();
    assert_eq!(at_hub.len(), 8, "{at_hub:?}");
    for delivery in [
        DeliveryPreference::RemoteAcceptable,
        DeliveryPreference::HomeVisit,
        DeliveryPreference::InPersonOnly,
    ] {
        for need in ["food delivery", "meals on wheels", "popote roulante"] {
            let res = search(
                &q(need)
                    .near(point(HUB), 10_000.0)
                    .delivery(delivery)
                    .profile(profile(&[("age", 70.into()), ("disability", true.into())]))
                    .include_ineligible()
                    .limit(50),
            );
            if let Some(m) = find(&res, "svc-vanier-popote") {
                assert_ne!(m.via, DeliveryMode::InPerson, "{need} {delivery:?}");
                assert_ne!(m.via, DeliveryMode::HomeVisit, "{need} {delivery:?}");
                assert_ne!(
                    m.breakdown.get(Factor::Coverage).value,
                    Some(1.0),
                    "{need} {delivery:?}"
                );
            }
        }
    }
}

#[test]
fn rent_help_income_limits_follow_household_size() {
    let rent = |size: i32, income: i32| {
        search(
            &q("rent help")
                .near(point(HUB), 10_000.0)
                .profile(profile(&[
                    ("age", 35.into()),
                    ("province", "ON".into()),
                    ("household_size", size.into()),
                    ("household_income", income.into()),
                ]))
                .include_ineligible()
                .limit(50),
        )
    };
    for svc in ["svc-hub-rent-help", "svc-rent-assist-arrears"] {
        assert_eq!(
            status(&rent(1, 25_000), svc),
            Some(EligibilityStatus::Eligible),
            "{svc}"
        );
        assert_eq!(
            status(&rent(1, 30_000), svc),
            Some(EligibilityStatus::Ineligible),
            "{svc}"
        );
        assert_eq!(
            status(&rent(4, 50_000), svc),
            Some(EligibilityStatus::Eligible),
            "{svc}"
        );
        assert_eq!(
            status(&rent(4, 55_000), svc),
            Some(EligibilityStatus::Ineligible),
            "{svc}"
        );
    }
    // Not asked for ineligible results: left out.
    let res = search(
        &q("rent help").near(point(HUB), 10_000.0).profile(profile(&[
            ("household_size", 1.into()),
            ("household_income", 30_000.into()),
        ])),
    );
    assert!(find(&res, "svc-hub-rent-help").is_none());
    assert!(res.needs[0].counts.ineligible >= 2);
}

#[test]
fn wheelchair_users_are_not_sent_up_the_stairs() {
    /// (need, where, stairs-only location, its services)
    type Case = (
        &'static str,
        (f64, f64),
        &'static str,
        &'static [&'static str],
    );
    let cases: [Case; 4] = [
        (
            "food bank",
            KANATA,
            "loc-capharvest-kanata",
            &["svc-capharvest-kanata-pantry"],
        ),
        (
            "counselling",
            DOWNTOWN,
            "loc-opendoor-centretown",
            &["svc-opendoor-walkin"],
        ),
        (
            "hot meals",
            SANDY_HILL,
            "loc-sandyhill-table",
            &["svc-sandyhill-supper", "svc-sandyhill-breakfast"],
        ),
        (
            "food bank",
            CONSTANCE_BAY,
            "loc-constance-bay-hall",
            &["svc-westcarleton-food-cupboard"],
        ),
    ];
    for (need, at_point, stairs, services) in cases {
        let base = q(need)
            .near(point(at_point), 25_000.0)
            .delivery(DeliveryPreference::InPersonOnly)
            .limit(50);
        let there = |res: &SearchResults, svc: &str| {
            res.matches().any(|m| {
                m.service_id == svc
                    && m.location_id.as_deref() == Some(stairs)
                    && m.via == DeliveryMode::InPerson
            })
        };
        let without = search(&base);
        let wheelchair = base.clone().accessibility(["wheelchair"]);
        let with = search(&wheelchair.clone().require_accessibility());
        for svc in services {
            assert!(there(&without, svc), "{need}: {svc} at {stairs}");
            assert!(
                !there(&with, svc),
                "{need}: {svc} at {stairs} with a wheelchair"
            );
        }
        assert!(with.needs[0].total > 0, "{need}: something accessible");
        assert!(with.matches().all(|m| m.via != DeliveryMode::InPerson
            || m.breakdown.get(Factor::Accessibility).value == Some(1.0)));
        // Without the strict filter the stairs-only place stays, with a lower accessibility
        // factor and a reason naming what is listed.
        let ranked = search(&wheelchair);
        let access = |m: &Match| m.breakdown.get(Factor::Accessibility).value;
        let in_person: Vec<&Match> = ranked
            .matches()
            .filter(|m| m.via == DeliveryMode::InPerson)
            .collect();
        for svc in services {
            let m = in_person
                .iter()
                .find(|m| m.service_id == *svc && m.location_id.as_deref() == Some(stairs))
                .unwrap_or_else(|| panic!("{need}: {svc} at {stairs} kept, ranked lower"));
            assert!(access(m) < Some(1.0), "{need}: {svc}");
            let reason = m
                .reasons
                .iter()
                .find(|r| r.factor == Factor::Accessibility)
                .unwrap();
            assert!(
                reason
                    .en
                    .starts_with("Wheelchair access not listed (the place lists")
                    || reason.en.starts_with("No accessibility information"),
                "{need}: {}",
                reason.en
            );
        }
    }
    // The other delivery modes of a service stay.
    let res = search(
        &q("counselling")
            .near(point(DOWNTOWN), 10_000.0)
            .accessibility(["wheelchair"])
            .require_accessibility()
            .limit(50),
    );
    assert!(res
        .matches()
        .all(|m| m.location_id.as_deref() != Some("loc-opendoor-centretown")));
    assert!(res.needs[0].total > 0);
}

#[test]
fn youth_drop_in_is_for_youth_without_a_health_card() {
    let status_for = |facts: &[(&str, FactValue)]| {
        let res = search(
            &q("health care")
                .near(point(SOUTH_KEYS), 10_000.0)
                .profile(profile(facts))
                .include_ineligible()
                .limit(50),
        );
        status(&res, "svc-southgate-youth-dropin")
    };
    let no_card: FactValue = Vec::<String>::new().into();
    assert_eq!(
        status_for(&[("age", 20.into()), ("documents", no_card.clone())]),
        Some(EligibilityStatus::Eligible)
    );
    assert_eq!(
        status_for(&[
            ("age", 20.into()),
            ("documents", ["provincial_health_card"].into())
        ]),
        Some(EligibilityStatus::Ineligible)
    );
    assert_eq!(
        status_for(&[("age", 30.into()), ("documents", no_card)]),
        Some(EligibilityStatus::Ineligible)
    );
    assert_eq!(
        status_for(&[("age", 20.into())]),
        Some(EligibilityStatus::Unknown)
    );
}

#[test]
fn claimant_reception_is_only_for_refugee_claimants() {
    let run = |status: &str| {
        let res = search(
            &q("newcomer services")
                .near(point(DOWNTOWN), 10_000.0)
                .profile(profile(&[("residency_status", status.into())]))
                .limit(50),
        );
        find(&res, "svc-crossroads-claimant-reception").is_some()
    };
    assert!(run("refugee_claimant"));
    for other in [
        "citizen",
        "permanent_resident",
        "protected_person",
        "temporary_resident",
        "no_status",
    ] {
        assert!(!run(other), "{other}");
    }
}

#[test]
fn asl_speakers_find_the_accessible_legal_clinic() {
    let mut query = q("legal aid")
        .near(point(DOWNTOWN), 10_000.0)
        .languages([LangCode::new("ase").unwrap()])
        .limit(50);
    query.require_language = true;
    let res = search(&query);
    let m = find(&res, "svc-clearvoice-legal").expect("ASL legal help");
    assert_eq!(m.breakdown.get(Factor::Language).value, Some(1.0));
    let said = m
        .reasons
        .iter()
        .find(|r| r.factor == Factor::Language)
        .map(|r| r.en.clone())
        .unwrap_or_default();
    assert!(said.contains("ASL"), "{said}");
}

// ---------------------------------------------------------------------------------------------
// Properties on the sample

#[test]
fn french_and_english_phrasings_give_the_same_top_result() {
    for (en, fr) in [
        ("food bank", "banque alimentaire"),
        ("rent help", "aide au loyer"),
        ("job search", "recherche d'emploi"),
        ("counselling", "counseling"),
        ("meals on wheels", "popote roulante"),
    ] {
        for place in [HUB, VANIER, KANATA] {
            let run = |t: &str| search(&q(t).near(point(place), 10_000.0));
            let (a, b) = (run(en), run(fr));
            assert!(a.needs[0].total > 0, "{en} at {place:?}");
            assert_eq!(
                a.needs[0].understood_as, b.needs[0].understood_as,
                "{en} / {fr}"
            );
            assert_eq!(ids(&a).first(), ids(&b).first(), "{en} / {fr} at {place:?}");
        }
    }
}

/// A spread of queries over the sample for the properties below.
fn property_queries() -> Vec<Query> {
    let mut out: Vec<Query> = sample_situations(nav())
        .into_iter()
        .map(|s| s.query.at(at()))
        .collect();
    let needs = [
        "food bank",
        "hot meals",
        "rent help",
        "counselling",
        "legal aid",
        "job search",
        "seniors",
        "pensées suicidaires",
        "health care",
        "transport",
    ];
    for (i, need) in needs.iter().enumerate() {
        for (j, place) in [HUB, VANIER, KANATA, SOUTH_KEYS].iter().enumerate() {
            let delivery = [
                DeliveryPreference::RemoteAcceptable,
                DeliveryPreference::InPersonOnly,
                DeliveryPreference::HomeVisit,
                DeliveryPreference::PhoneOnly,
            ][(i + j) % 4];
            out.push(
                q(need)
                    .near(point(*place), [2_000.0, 5_000.0, 10_000.0][(i + j) % 3])
                    .delivery(delivery)
                    .profile(profile(&[(
                        "age",
                        (18 + 7 * i32::try_from(i + j).unwrap()).into(),
                    )]))
                    .limit(100),
            );
        }
    }
    out
}

#[test]
fn results_respect_the_distance_limit_order_and_eligibility() {
    for query in property_queries() {
        let res = search(&query);
        for need in &res.needs {
            let mut crisis_done = false;
            let mut last = f64::INFINITY;
            for (i, m) in need.matches.iter().enumerate() {
                assert_eq!(m.rank, i + 1);
                if m.via == DeliveryMode::InPerson {
                    let d = m.distance_m.unwrap_or_else(|| {
                        panic!(
                            "{} {:?} in person without distance",
                            m.service_id, m.location_id
                        )
                    });
                    assert!(
                        d <= query.max_distance_m + 1e-6,
                        "{} at {d} m",
                        m.service_id
                    );
                }
                assert_ne!(m.eligibility.status, EligibilityStatus::Ineligible);
                if m.crisis_line {
                    assert!(!crisis_done, "crisis lines lead: {}", m.service_id);
                    continue;
                }
                if !crisis_done {
                    crisis_done = true;
                    last = f64::INFINITY;
                }
                assert!(m.score <= last + 1e-12, "{} out of order", m.service_id);
                last = m.score;
                assert!((0.0..=1.0).contains(&m.score));
            }
            if need.crisis.is_some() && need.total > 0 {
                assert!(need.matches[0].crisis_line);
            }
        }
    }
}

#[test]
fn adding_a_language_the_service_offers_never_lowers_its_score() {
    let d = nav().directory();
    for query in property_queries().into_iter().take(24) {
        let base = search(&query.clone().include_ineligible());
        for m in base.matches().take(4) {
            let offered: Vec<&LangCode> = d
                .languages
                .iter()
                .filter(|l| l.service_id.as_deref() == Some(m.service_id.as_str()))
                .filter_map(|l| l.code.as_ref())
                .collect();
            for lang in offered {
                let mut langs = query.languages.clone();
                if langs.contains(lang) {
                    continue;
                }
                langs.push(lang.clone());
                let again = search(
                    &query
                        .clone()
                        .languages(langs)
                        .include_ineligible()
                        .limit(100),
                );
                let m2 = again
                    .matches()
                    .find(|x| {
                        x.service_id == m.service_id
                            && x.service_at_location_id == m.service_at_location_id
                    })
                    .unwrap_or_else(|| panic!("{} lost with {lang}", m.service_id));
                assert!(
                    m2.score >= m.score - 1e-9,
                    "{} {lang}: {} < {}",
                    m.service_id,
                    m2.score,
                    m.score
                );
            }
        }
    }
}
