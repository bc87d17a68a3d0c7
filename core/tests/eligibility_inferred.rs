//! Conditions read from real eligibility text (San Mateo County, BSD-3), evaluated against a
//! resident's facts through the public API: ineligible with the listing quoted, or unknown
//! naming the fact to ask; plus the label-based precision/recall floor on San Mateo.

use std::path::PathBuf;
use std::sync::OnceLock;

use passerelle::{hsds::*, matching::*, model::*, rules::*};

#[path = "support/eligibility_labels.rs"]
mod labels;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn directory() -> Directory {
    let path = root().join("tests/data/hsds/smc-ohana-full");
    // The import reports some rows (time zones); those are not what this test is about.
    let mut d = import_path(path, &ImportOptions::default())
        .unwrap()
        .directory;
    if d.meta.timezone.is_none() {
        d.meta.timezone = Some("America/Los_Angeles".into());
    }
    d
}

/// Options for a US feed: the standard catalogue with income in US dollars, so a stated
/// "$39,000 or less" is read as dollars of the catalogue's currency.
fn us_options(infer: bool) -> NavigatorOptions {
    NavigatorOptions {
        infer_eligibility: infer,
        catalog: FactCatalog::standard().with_currency("USD").unwrap(),
        ..NavigatorOptions::default()
    }
}

fn nav(infer: bool) -> &'static Navigator {
    static ON: OnceLock<Navigator> = OnceLock::new();
    static OFF: OnceLock<Navigator> = OnceLock::new();
    let cell = if infer { &ON } else { &OFF };
    cell.get_or_init(|| {
        let options = us_options(infer);
        Navigator::build(directory(), options).unwrap().0
    })
}

const WOMAN_INC: &str = "1149241e-d8d2-5b25-9f80-6b631932bbcf"; // "Woman who is a victim of domestic violence"
const SOLIDARITY: &str = "2148266f-0947-53c9-a918-5606d4df2b54"; // "Man age 18 or over", ages 18-65 given
const COASTSIDE: &str = "5352827b-b149-55ec-babb-f05a970689a7"; // "Uninsured person"
const SMMC_DALY: &str = "089e3eb1-18b9-5ae0-80fe-be65071c7ceb"; // "San Mateo County resident"
const MULTI: &str = "9400053f-6f2d-5402-922f-9a9a593a55cb"; // "Woman over 18 with or without children …"
const UNDER_19: &str = "ae6e8f24-8abd-51f2-91f9-5b324a04f359"; // "Age 18 or under", no ages given

fn profile(facts: &[(&str, FactValue)]) -> Profile {
    let mut p = nav(true).catalog().profile();
    for (k, v) in facts {
        p.set(k, v.clone()).unwrap();
    }
    p
}

#[test]
fn gender_restriction_read_from_text_excludes_with_the_quote() {
    let rule = nav(true).service_rule(WOMAN_INC).unwrap();
    assert_eq!(rule.inferred().len(), 1);
    let man = profile(&[("gender", "male".into())]);
    let Outcome::Ineligible { failed } = rule.explain(&man) else {
        panic!("a man is not eligible for a women's programme")
    };
    assert_eq!(
        failed[0].en(),
        "gender must not be male (to confirm: the listing says 'Woman who is a victim of domestic violence')"
    );
    assert!(failed[0]
        .fr()
        .contains("à confirmer : la fiche indique « Woman who is a victim"));
    // Unknown gender: unknown, naming the fact to ask. Non-binary: not excluded.
    let Outcome::Unknown { missing, .. } = rule.explain(&profile(&[])) else {
        panic!()
    };
    assert_eq!(missing[0].fact(), "gender");
    let nb = profile(&[("gender", "non_binary".into())]);
    assert_eq!(rule.evaluate(&nb), Verdict::Eligible);
}

#[test]
fn explicit_ages_win_and_inferred_gender_is_added() {
    let rule = nav(true).service_rule(SOLIDARITY).unwrap();
    assert_eq!(rule.source(), "age in 18..65 and gender != \"female\"");
    let woman = profile(&[("gender", "female".into()), ("age", 40.into())]);
    assert_eq!(rule.evaluate(&woman), Verdict::Ineligible);
    // Inference off: the text is display text only; the explicit ages remain.
    let off = nav(false).service_rule(SOLIDARITY).unwrap();
    assert_eq!(off.evaluate(&woman), Verdict::Eligible);
    assert!(off.inferred().is_empty());
}

#[test]
fn insurance_and_residency_from_text() {
    let insured = profile(&[("health_insurance", "private".into())]);
    let rule = nav(true).service_rule(COASTSIDE).unwrap();
    assert_eq!(rule.evaluate(&insured), Verdict::Ineligible);
    assert!(nav(false).service_rule(COASTSIDE).is_none());

    let rule = nav(true).service_rule(SMMC_DALY).unwrap();
    let elsewhere = profile(&[("county", "Santa Clara".into())]);
    let Outcome::Ineligible { failed } = rule.explain(&elsewhere) else {
        panic!()
    };
    assert!(
        failed[0]
            .en()
            .ends_with("(to confirm: the listing says 'San Mateo County resident')"),
        "{}",
        failed[0].en()
    );
    let here = profile(&[("county", "San Mateo".into())]);
    assert_eq!(rule.evaluate(&here), Verdict::Eligible);
    let Outcome::Unknown { missing, .. } = rule.explain(&profile(&[])) else {
        panic!()
    };
    assert_eq!(missing[0].fact(), "county");
}

#[test]
fn unclear_text_stays_display_text() {
    // "… with or without children …": nothing read, so no rule beyond the given ages.
    let rule = nav(true).service_rule(MULTI);
    assert!(rule.is_none_or(|r| r.inferred().is_empty()));
}

#[test]
fn search_results_show_inferred_conditions() {
    let at: jiff::Timestamp = "2026-11-18T12:00:00-08:00".parse().unwrap();
    let man = profile(&[("gender", "male".into()), ("age", 35.into())]);
    let q = Query::new([Need::text("domestic violence")])
        .near(GeoPoint::new(37.5630, -122.3255).unwrap(), 30_000.0)
        .at(at)
        .profile(man)
        .include_ineligible()
        .limit(200);
    let res = nav(true).search(&q).unwrap();
    let m = res
        .matches()
        .find(|m| m.service_id == WOMAN_INC)
        .expect("WOMAN, Inc. is a domestic violence service");
    assert_eq!(m.eligibility.status, EligibilityStatus::Ineligible);
    assert!(m.eligibility.failed[0]
        .en
        .contains("the listing says 'Woman who is"));
    assert_eq!(
        m.eligibility.inferred[0].en,
        "to confirm: the listing says 'Woman who is a victim of domestic violence'"
    );
    // Without the resident's gender: unknown, and the gender question is asked.
    let q = Query::new([Need::text("domestic violence")])
        .near(GeoPoint::new(37.5630, -122.3255).unwrap(), 30_000.0)
        .at(at)
        .limit(200);
    let res = nav(true).search(&q).unwrap();
    let m = res.matches().find(|m| m.service_id == WOMAN_INC).unwrap();
    assert_eq!(m.eligibility.status, EligibilityStatus::Unknown);
    assert_eq!(m.eligibility.missing_facts, ["gender"]);
}

#[test]
fn many_services_get_conditions_from_text() {
    let with = nav(true)
        .directory()
        .services
        .iter()
        .filter(|s| {
            nav(true)
                .service_rule(&s.id)
                .is_some_and(|r| !r.inferred().is_empty())
        })
        .count();
    assert!(
        with >= 150,
        "{with} services with conditions read from text"
    );
}

/// Fixed floor on the San Mateo labels (`benches/RESULTS.md` has the full table, both feeds).
#[test]
fn san_mateo_labels_precision_and_recall() {
    let text = std::fs::read_to_string(root().join("tests/data/eligibility/labels.csv")).unwrap();
    let all = labels::read_labels(&text).unwrap();
    let sm: Vec<_> = all.into_iter().filter(|l| l.feed == "sanmateo").collect();
    assert!(sm.len() >= 120, "{}", sm.len());
    let texts =
        labels::texts_of(&root().join("tests/data/hsds/smc-ohana-full/services.csv")).unwrap();
    let sm_places = labels::places_of(&root().join("tests/data/hsds/smc-ohana-full")).unwrap();
    assert!(sm_places.knows("Foster City") && !sm_places.knows("Lesley Terrace"));
    let places = [("sanmateo".to_owned(), sm_places)].into();
    let (per, n) = labels::score(&sm, &places, |_, id| texts.get(id).cloned(), |_, _, _| {});
    assert_eq!(n, sm.len());
    let all = per["all"];
    assert!(all.precision().unwrap() >= 0.95, "{all:?}");
    assert!(all.recall().unwrap() >= 0.80, "{all:?}");
    assert!(per["age"].precision().unwrap() >= 0.95, "{:?}", per["age"]);
}

#[test]
fn age_read_from_text_excludes_with_the_quote() {
    let rule = nav(true).service_rule(UNDER_19).unwrap();
    assert_eq!(rule.source(), "age <= 18");
    let adult = profile(&[("age", 30.into())]);
    let Outcome::Ineligible { failed } = rule.explain(&adult) else {
        panic!("a 30-year-old is not eligible for 'Age 18 or under'")
    };
    assert_eq!(
        failed[0].en(),
        "maximum age is 18 (to confirm: the listing says 'Age 18 or under')"
    );
    assert_eq!(
        rule.evaluate(&profile(&[("age", 12.into())])),
        Verdict::Eligible
    );
    let Outcome::Unknown { missing, .. } = rule.explain(&profile(&[])) else {
        panic!()
    };
    assert_eq!(missing[0].fact(), "age");
    assert!(nav(false).service_rule(UNDER_19).is_none());
}

/// Values that fail some condition on each fact the text restricts. A place fails a
/// residency condition only when the directory names it, so places are the directory's
/// own cities.
fn failing_values(nav: &Navigator, fact: &str) -> Vec<FactValue> {
    match fact {
        "age" => [0, 10, 16, 30, 70, 110].map(FactValue::from).to_vec(),
        "gender" => vec!["male".into(), "female".into()],
        "health_insurance" => vec!["private".into()],
        _ => {
            let mut cities: Vec<&str> = nav
                .directory()
                .addresses
                .iter()
                .map(|a| a.city.as_str())
                .collect();
            cities.sort_unstable();
            cities.dedup();
            cities.into_iter().map(FactValue::from).collect()
        }
    }
}

/// On a real feed with inference on: for gender, age, residency and insurance, the services
/// whose text restricts them are ineligible for a resident who fails the restriction (the
/// listing quoted), and unknown, naming the fact to ask, for a resident who has not said.
/// Returns how many services were checked per kind.
fn restrictions_are_evaluated(nav: &Navigator) -> Vec<(ConditionKind, usize)> {
    let kinds = [
        ConditionKind::Gender,
        ConditionKind::Age,
        ConditionKind::Residency,
        ConditionKind::Insurance,
    ];
    let mut checked = Vec::new();
    for kind in kinds {
        let mut n = 0;
        for s in &nav.directory().services {
            let Some(rule) = nav.service_rule(&s.id) else {
                continue;
            };
            let Some(cond) = rule.inferred().iter().find(|c| c.kind() == kind) else {
                continue;
            };
            let fact = cond.fact();
            let Outcome::Unknown { missing, .. } = rule.explain(&nav.catalog().profile()) else {
                panic!("{}: nothing known must be unknown", s.id)
            };
            assert!(missing.iter().any(|m| m.fact() == fact), "{}: {fact}", s.id);
            let excluded = failing_values(nav, fact).into_iter().any(|v| {
                let mut p = nav.catalog().profile();
                p.set(fact, v).unwrap();
                match rule.explain(&p) {
                    Outcome::Ineligible { failed } => failed.iter().any(|f| {
                        f.fact() == Some(fact)
                            && f.inferred().is_some()
                            && f.en().contains(&format!(
                                "(to confirm: the listing says '{}')",
                                cond.quote()
                            ))
                    }),
                    _ => false,
                }
            });
            assert!(excluded, "{}: no {fact} value excludes", s.id);
            n += 1;
        }
        checked.push((kind, n));
    }
    checked
}

#[test]
fn san_mateo_restrictions_are_evaluated_against_a_resident() {
    let checked = restrictions_are_evaluated(nav(true));
    for (kind, n) in checked {
        assert!(n >= 2, "{kind:?}: {n} services");
    }
}

/// The Baltimore navigator (inference on). Baltimore is evaluation-only data: read from
/// /work/shared (or `PASSERELLE_BALTIMORE_HSDS`) at run time; when absent, `None` and the
/// reason written straight to stderr, which the test harness does not capture.
fn baltimore(test: &str) -> Option<&'static Navigator> {
    static NAV: OnceLock<Option<Navigator>> = OnceLock::new();
    let dir = std::env::var_os("PASSERELLE_BALTIMORE_HSDS").map_or_else(
        || PathBuf::from("/work/shared/data/baltimore-charmcare/hsds"),
        PathBuf::from,
    );
    if !dir.join("services.csv").is_file() {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: no Baltimore feed at {} (set PASSERELLE_BALTIMORE_HSDS)",
            dir.display()
        );
        return None;
    }
    NAV.get_or_init(|| {
        let mut d = import_path(&dir, &ImportOptions::default())
            .unwrap()
            .directory;
        if d.meta.timezone.is_none() {
            d.meta.timezone = Some("America/New_York".into());
        }
        let options = us_options(true);
        Some(Navigator::build(d, options).unwrap().0)
    })
    .as_ref()
}

#[test]
fn baltimore_restrictions_are_evaluated_against_a_resident() {
    let Some(nav) = baltimore("baltimore_restrictions_are_evaluated_against_a_resident") else {
        return;
    };
    let checked = restrictions_are_evaluated(nav);
    for (kind, n) in checked {
        assert!(n >= 2, "{kind:?}: {n} services");
    }
}

/// The services whose listing text restricts residency to `place` on `fact`, with the
/// quoted text.
fn residency_restricted<'n>(nav: &'n Navigator, fact: &str, place: &str) -> Vec<&'n CompiledRule> {
    let want = format!("{fact} == {place:?}");
    nav.directory()
        .services
        .iter()
        .filter_map(|s| nav.service_rule(&s.id))
        .filter(|r| {
            r.inferred()
                .iter()
                .any(|c| c.kind() == ConditionKind::Residency && c.rule().to_string() == want)
        })
        .collect()
}

/// How `rule` treats a resident who says only `fact = place`: `Some(true)` when the
/// residency condition holds (it is gone from the residual rule), `Some(false)` when it
/// fails with the listing quoted, `None` when it stays open naming the fact.
fn residency_for(rule: &CompiledRule, fact: &str, place: &str) -> Option<bool> {
    let mut p = rule.catalog().profile();
    p.set(fact, place.into()).unwrap();
    match rule.explain(&p) {
        Outcome::Ineligible { failed } => {
            let f = failed
                .iter()
                .find(|f| f.fact() == Some(fact))
                .expect("the failed condition is the residency one");
            assert!(
                f.en().contains("(to confirm: the listing says '"),
                "{}",
                f.en()
            );
            Some(false)
        }
        Outcome::Unknown { open, .. } => {
            if open.iter().any(|c| c.fact() == Some(fact)) {
                assert!(rule.partial(&p).to_string().contains(fact));
                None
            } else {
                Some(true)
            }
        }
        _ => Some(true),
    }
}

/// "Baltimore City residents" on the real feed: a resident who says "Baltimore" or
/// "baltimore city" is a resident; one from Towson (a place the feed names) is not; one
/// who names a neighbourhood the feed does not know stays unknown, never excluded.
#[test]
fn baltimore_city_residency_compares_places_loosely() {
    let Some(nav) = baltimore("baltimore_city_residency_compares_places_loosely") else {
        return;
    };
    let rules = residency_restricted(nav, "municipality", "Baltimore City");
    assert!(rules.len() >= 3, "{} services", rules.len());
    for rule in rules {
        for here in [
            "Baltimore",
            "baltimore city",
            "BALTIMORE",
            "City of Baltimore",
        ] {
            assert_eq!(
                residency_for(rule, "municipality", here),
                Some(true),
                "{here}"
            );
        }
        for there in ["Towson", "Annapolis", "Glen Burnie"] {
            assert_eq!(
                residency_for(rule, "municipality", there),
                Some(false),
                "{there}"
            );
        }
        for unsure in ["Hampden", "Fells Point", "East Baltimore"] {
            assert_eq!(
                residency_for(rule, "municipality", unsure),
                None,
                "{unsure}"
            );
        }
    }
}

/// "San Mateo County resident" on the San Mateo feed, against the county a resident gives.
#[test]
fn san_mateo_county_residency_compares_places_loosely() {
    let rules = residency_restricted(nav(true), "county", "San Mateo");
    assert!(rules.len() >= 5, "{} services", rules.len());
    for rule in rules {
        for here in [
            "San Mateo",
            "San Mateo County",
            "san mateo county",
            "SAN MATEO",
        ] {
            assert_eq!(residency_for(rule, "county", here), Some(true), "{here}");
        }
        // Counties the feed's service areas name.
        for there in ["Santa Clara County", "santa clara", "Alameda"] {
            assert_eq!(residency_for(rule, "county", there), Some(false), "{there}");
        }
        assert_eq!(residency_for(rule, "county", "Atlantis"), None);
    }
}

/// A service with an explicit `eligibility_rule` keeps it and reads nothing from its text,
/// for gender and residency as for ages: the real San Mateo listings "Woman who is a
/// victim of domestic violence" and "San Mateo County resident", given explicit rules.
#[test]
fn explicit_rule_wins_over_text_for_gender_and_residency() {
    let mut d = directory();
    for s in &mut d.services {
        if s.id == WOMAN_INC {
            s.eligibility_rule = Some("gender in [\"male\", \"female\"] and age >= 18".into());
        } else if s.id == SMMC_DALY {
            s.eligibility_rule = Some("municipality == \"Daly City\"".into());
        }
    }
    let options = us_options(true);
    let (nav, _) = Navigator::build(d, options).unwrap();
    let person = |facts: &[(&str, FactValue)]| {
        let mut p = nav.catalog().profile();
        for (k, v) in facts {
            p.set(k, v.clone()).unwrap();
        }
        p
    };

    let women = nav.service_rule(WOMAN_INC).unwrap();
    assert!(women.inferred().is_empty());
    assert_eq!(
        women.source(),
        "gender in [\"male\", \"female\"] and age >= 18"
    );
    // The text says women; the explicit rule admits men, and that is what counts.
    let man = person(&[("gender", "male".into()), ("age", 30.into())]);
    assert_eq!(women.evaluate(&man), Verdict::Eligible);
    // Inferred on the same service without the explicit rule, the man is excluded.
    assert_eq!(
        self::nav(true)
            .service_rule(WOMAN_INC)
            .unwrap()
            .evaluate(&man),
        Verdict::Ineligible
    );

    let daly = nav.service_rule(SMMC_DALY).unwrap();
    assert!(daly.inferred().is_empty());
    assert_eq!(daly.source(), "municipality == \"Daly City\"");
    // The text's county restriction is not added: a Daly City resident who names another
    // county is still eligible, one from Redwood City (in San Mateo County) is not.
    let here = person(&[
        ("municipality", "daly city".into()),
        ("county", "Santa Clara".into()),
    ]);
    assert_eq!(daly.evaluate(&here), Verdict::Eligible);
    let there = person(&[
        ("municipality", "Redwood City".into()),
        ("county", "San Mateo".into()),
    ]);
    let Outcome::Ineligible { failed } = daly.explain(&there) else {
        panic!("the explicit rule names Daly City")
    };
    assert!(failed.iter().all(|f| f.inferred().is_none()));
}

/// Income ceilings stated in dollars on the real Baltimore listings ("… a yearly income of
/// $40,000 or less") become thresholds in a USD catalogue, and nothing in a EUR one: those
/// services stay unknown on income rather than compared with a threshold in the wrong
/// money. A monthly amount on the real San Mateo feed ("monthly income of less than
/// $2000") is not a yearly ceiling and reads nothing.
#[test]
fn stated_income_ceilings_follow_the_catalogue_currency() {
    let income_ceilings = |nav: &Navigator| -> Vec<String> {
        nav.directory()
            .services
            .iter()
            .filter(|s| {
                nav.service_rule(&s.id).is_some_and(|r| {
                    r.inferred()
                        .iter()
                        .any(|c| c.rule().to_string().starts_with("household_income <="))
                })
            })
            .map(|s| s.id.clone())
            .collect()
    };
    const MONTHLY: &str = "2737bd55-e84a-5a58-af3b-292b80c202ba";
    let monthly = nav(true)
        .directory()
        .services
        .iter()
        .find(|s| s.id == MONTHLY)
        .map(|s| s.eligibility_description.value.as_str())
        .unwrap();
    assert!(monthly.contains("monthly  income of less than $2000"));
    assert!(infer_conditions(monthly)
        .iter()
        .all(|c| c.fact() != "household_income"));
    assert!(!income_ceilings(nav(true)).contains(&MONTHLY.to_owned()));

    let Some(full) = baltimore("stated_income_ceilings_follow_the_catalogue_currency") else {
        return;
    };
    // The Baltimore services whose text states an amount of income.
    let mut d = full.directory().clone();
    d.services.retain(|s| {
        let t = &s.eligibility_description.value;
        t.contains("income") && t.contains('$')
    });
    assert!(d.services.len() >= 3, "{}", d.services.len());
    let build = |code: &str| {
        let options = NavigatorOptions {
            infer_eligibility: true,
            catalog: FactCatalog::standard().with_currency(code).unwrap(),
            ..NavigatorOptions::default()
        };
        Navigator::build(d.clone(), options).unwrap().0
    };
    const YEARLY_40K: &str = "a9075de5-69ed-5b29-88dd-1a8221644c5e";
    let usd = build("USD");
    let in_dollars = income_ceilings(&usd);
    assert!(
        in_dollars.contains(&YEARLY_40K.to_owned()),
        "{in_dollars:?}"
    );
    let rule = usd.service_rule(YEARLY_40K).unwrap();
    let with_income = |n: i32| {
        let mut p = usd.catalog().profile();
        p.set("household_income", n.into()).unwrap();
        p
    };
    let Outcome::Ineligible { failed } = rule.explain(&with_income(50_000)) else {
        panic!("an income above the stated ceiling is ineligible")
    };
    assert!(failed[0].en().contains("40,000"), "{}", failed[0].en());
    assert!(failed[0].inferred().is_some());
    assert_eq!(rule.evaluate(&with_income(30_000)), Verdict::Eligible);

    let eur = build("EUR");
    assert!(income_ceilings(&eur).is_empty());
    let rule = eur.service_rule(YEARLY_40K);
    assert!(rule.is_none_or(|r| !r.source().contains("household_income")));
    let mut rich = eur.catalog().profile();
    rich.set("household_income", 10_000_000.into()).unwrap();
    assert!(rule.is_none_or(|r| r.evaluate(&rich) != Verdict::Ineligible));
}
