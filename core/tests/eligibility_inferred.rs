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

fn nav(infer: bool) -> &'static Navigator {
    static ON: OnceLock<Navigator> = OnceLock::new();
    static OFF: OnceLock<Navigator> = OnceLock::new();
    let cell = if infer { &ON } else { &OFF };
    cell.get_or_init(|| {
        let options = NavigatorOptions {
            infer_eligibility: infer,
            ..NavigatorOptions::default()
        };
        Navigator::build(directory(), options).unwrap().0
    })
}

const WOMAN_INC: &str = "1149241e-d8d2-5b25-9f80-6b631932bbcf"; // "Woman who is a victim of domestic violence"
const SOLIDARITY: &str = "2148266f-0947-53c9-a918-5606d4df2b54"; // "Man age 18 or over", ages 18-65 given
const COASTSIDE: &str = "5352827b-b149-55ec-babb-f05a970689a7"; // "Uninsured person"
const SMMC_DALY: &str = "089e3eb1-18b9-5ae0-80fe-be65071c7ceb"; // "San Mateo County resident"
const MULTI: &str = "9400053f-6f2d-5402-922f-9a9a593a55cb"; // "Woman over 18 with or without children …"

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
    let (per, n) = labels::score(&sm, |_, id| texts.get(id).cloned(), |_, _, _| {});
    assert_eq!(n, sm.len());
    let all = per["all"];
    assert!(all.precision().unwrap() >= 0.95, "{all:?}");
    assert!(all.recall().unwrap() >= 0.70, "{all:?}");
    assert!(per["age"].precision().unwrap() >= 0.95, "{:?}", per["age"]);
}
