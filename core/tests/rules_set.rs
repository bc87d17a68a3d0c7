//! `RuleSet` (shared conditions, flat program) agrees with `CompiledRule::evaluate` and
//! `CompiledRule::explain` rule by rule, through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use passerelle::rules::{
    next_questions, Explanations, FactCatalog, FactDef, FactValue, Profile, RuleSet, Tables,
};
use proptest::prelude::*;

fn tables() -> Tables {
    Tables::from_csv(
        "table,key,value\nlim_on,1,30000\nlim_on,2,42000\nlim_on,3,51000\nlim_on,4,60000\n\
         lico,1,25000\nlico,3,38000\n",
    )
    .unwrap()
}

/// Atoms of every kind, with few distinct values so that rules share conditions.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![18, 65]).prop_map(|n| format!("age >= {n}")),
        (0..100i32).prop_map(|n| format!("age < {n}")),
        prop::sample::select(vec![(16, 29), (55, 64)])
            .prop_map(|(a, b)| format!("age in {a}..{b}")),
        Just("age in [1, 2, 70]".to_owned()),
        Just("disability".to_owned()),
        Just("caregiver".to_owned()),
        Just("pregnant == false".to_owned()),
        Just("known(age)".to_owned()),
        Just("known(household_income)".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        prop::sample::select(vec!["ON", "QC", "BC"]).prop_map(|p| format!("province == \"{p}\"")),
        Just(r#"province != "QC""#.to_owned()),
        Just(r#"province in ["ON", "QC"]"#.to_owned()),
        Just(r#"municipality in ["Ottawa", "Gatineau"]"#.to_owned()),
        Just(r#"municipality != "Ottawa""#.to_owned()),
        Just(r#"benefits has_any ["oas", "gis"]"#.to_owned()),
        Just(r#"benefits has_all ["oas", "gis"]"#.to_owned()),
        Just(r#"has("sin")"#.to_owned()),
        Just(r#"household_income <= threshold("lim_on", household_size)"#.to_owned()),
        Just(r#"household_income < threshold("lico", household_size)"#.to_owned()),
        Just(r#"household_income <= threshold("lim_on", 2)"#.to_owned()),
        Just("household_income >= 20000".to_owned()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("not ({e})")),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|v| format!("({})", v.join(") and ("))),
            prop::collection::vec(inner, 2..4).prop_map(|v| format!("({})", v.join(") or ("))),
        ]
    })
}

fn facts() -> impl Strategy<Value = Vec<(&'static str, FactValue)>> {
    (
        prop::option::of(0..100i32),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(vec!["ON", "QC", "BC"])),
        prop::option::of(prop::sample::subsequence(vec!["oas", "gis", "cpp"], 0..3)),
        prop::option::of(20_000..70_000i32),
        prop::option::of(1..6i32),
        prop::option::of(prop::sample::select(vec!["Ottawa", "Gatineau", "Kingston"])),
        prop::option::of(prop::sample::subsequence(vec!["sin", "photo_id"], 0..2)),
    )
        .prop_map(|(age, dis, care, preg, prov, ben, inc, size, town, docs)| {
            let mut v: Vec<(&'static str, FactValue)> = Vec::new();
            let list = |xs: Vec<&str>| FactValue::List(xs.into_iter().map(str::to_owned).collect());
            if let Some(a) = age {
                v.push(("age", a.into()));
            }
            if let Some(b) = dis {
                v.push(("disability", b.into()));
            }
            if let Some(b) = care {
                v.push(("caregiver", b.into()));
            }
            if let Some(b) = preg {
                v.push(("pregnant", b.into()));
            }
            if let Some(p) = prov {
                v.push(("province", p.into()));
            }
            if let Some(b) = ben {
                v.push(("benefits", list(b)));
            }
            if let Some(i) = inc {
                v.push(("household_income", i.into()));
            }
            if let Some(s) = size {
                v.push(("household_size", s.into()));
            }
            if let Some(t) = town {
                v.push(("municipality", t.into()));
            }
            if let Some(d) = docs {
                v.push(("documents", list(d)));
            }
            v
        })
}

fn build(catalog: &FactCatalog, facts: &[(&'static str, FactValue)]) -> Profile {
    let mut p = catalog.profile();
    for (k, v) in facts {
        p.set(k, v.clone()).unwrap();
    }
    p
}

/// Rule by rule, the set's verdicts and explanations equal the single-rule ones.
fn check<'s>(set: &'s RuleSet, p: &Profile, ex: &mut Explanations<'s>) {
    let verdicts = set.evaluate(p);
    assert_eq!(verdicts.len(), set.len());
    let single: Vec<_> = set.rules().iter().map(|r| r.explain(p)).collect();
    for (i, rule) in set.rules().iter().enumerate() {
        assert_eq!(verdicts[i], rule.evaluate(p), "rule {i}: {}", rule.source());
    }
    // `ex` is reused from profile to profile: stale entries must not leak.
    let ex2 = ex;
    set.explain_into(p, ex2);
    assert_eq!(ex2.verdicts(), verdicts.as_slice());
    for (i, o) in single.iter().enumerate() {
        assert_eq!(
            ex2.outcome(i).as_ref(),
            Some(o),
            "rule {i}: {}",
            set.rules()[i].source()
        );
        for c in ex2.conditions(i) {
            assert!(!c.en().is_empty() && !c.fr().is_empty());
        }
    }
    assert_eq!(ex2.next_questions(), next_questions(&single));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn set_agrees_with_each_rule(
        rules in prop::collection::vec(expr(), 1..12),
        profiles in prop::collection::vec(facts(), 1..4),
    ) {
        let catalog = FactCatalog::standard();
        let t = tables();
        let set = RuleSet::new(rules.iter().map(|r| catalog.compile(r, &t).unwrap()));
        let mut ex = Explanations::new();
        for f in &profiles {
            check(&set, &build(&catalog, f), &mut ex);
        }
    }
}

#[test]
fn shared_conditions_are_interned() {
    let c = FactCatalog::standard();
    let t = tables();
    let texts = [
        r#"age >= 65 and household_income <= threshold("lim_on", household_size)"#,
        r#"household_income <= threshold("lim_on", household_size) and province == "ON""#,
        r#"age >= 65 or province in ["ON"]"#,
        r#"household_income <= threshold("lico", household_size)"#,
    ];
    let set = RuleSet::new(texts.iter().map(|r| c.compile(r, &t).unwrap()));
    // age >= 65, lim_on threshold, province == ON (== and in [..] are the same atom), lico,
    // and the `or` root (a root `and` is not a condition: its conjuncts are).
    assert_eq!(set.conditions(), 5);
    assert_eq!(set.len(), 4);
    assert!(!set.is_empty());
    assert!(RuleSet::new(Vec::new()).is_empty());
}

/// Rules compiled against different catalogues: each profile fits some of them only;
/// the set still answers exactly as each rule does.
#[test]
fn mixed_catalogues() {
    let std = FactCatalog::standard();
    let ext = std
        .clone()
        .with(FactDef::bool("has_pet").labels("have a pet", "avoir un animal"))
        .unwrap();
    let other = FactCatalog::new()
        .with(FactDef::number("age", "years"))
        .unwrap();
    let t = tables();
    let rules = vec![
        std.compile("age >= 65", &t).unwrap(),
        ext.compile("has_pet and age >= 65", &t).unwrap(),
        other.compile("age >= 65", &t).unwrap(),
        other.compile("known(age) or age < 3", &t).unwrap(),
        std.compile("not known(age)", &t).unwrap(),
    ];
    let set = RuleSet::new(rules);
    let mut ex = Explanations::new();
    for cat in [&std, &ext, &other] {
        let mut p = cat.profile();
        check(&set, &p, &mut ex);
        p.set("age", 70.into()).unwrap();
        check(&set, &p, &mut ex);
        if cat == &ext {
            p.set("has_pet", true.into()).unwrap();
            check(&set, &p, &mut ex);
        }
    }
}

/// Nesting deeper than the flat program's stack falls back to the rule's own tree.
#[test]
fn deep_rules() {
    let c = FactCatalog::standard();
    let mut text = "age >= 18".to_owned();
    for i in 0..60 {
        text = if i % 2 == 0 {
            format!("disability or ({text})")
        } else {
            format!("caregiver and ({text})")
        };
    }
    let set = RuleSet::new([c.compile(&text, &Tables::new()).unwrap()]);
    let mut p = c.profile();
    let mut ex = Explanations::new();
    check(&set, &p, &mut ex);
    p.set("caregiver", true.into()).unwrap();
    p.set("disability", false.into()).unwrap();
    check(&set, &p, &mut ex);
    p.set("age", 20.into()).unwrap();
    check(&set, &p, &mut ex);
}
