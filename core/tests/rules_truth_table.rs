//! Truth table (tests/data/rules/truth_table.csv) and property tests of the rules engine,
//! through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use passerelle::rules::{FactCatalog, FactValue, Profile, Rule, Tables, Verdict};
use proptest::prelude::*;

fn tables() -> Tables {
    Tables::from_csv(
        "table,key,value\nlim_on,1,30000\nlim_on,2,42000\nlim_on,3,51000\nlim_on,4,60000\n",
    )
    .unwrap()
}

/// `age=70,disability=true,population=[black|youth]`
fn profile(catalog: &FactCatalog, facts: &str) -> Profile {
    let mut p = catalog.profile();
    for pair in facts.split(',').filter(|s| !s.trim().is_empty()) {
        let (name, value) = pair.split_once('=').unwrap();
        let value = value.trim();
        let v = if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            FactValue::List(
                list.split('|')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            )
        } else if value == "true" || value == "false" {
            FactValue::Bool(value == "true")
        } else if let Ok(n) = value.parse::<f64>() {
            FactValue::Number(n)
        } else {
            FactValue::Text(value.to_owned())
        };
        p.set(name.trim(), v).unwrap();
    }
    p
}

#[test]
fn truth_table() {
    let catalog = FactCatalog::standard();
    let tables = tables();
    let data = include_str!("data/rules/truth_table.csv");
    let mut rows = 0;
    for (i, line) in data.lines().enumerate().skip(1) {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split(';');
        let (expr, facts, expected) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap(),
        );
        let rule = catalog
            .compile(expr, &tables)
            .unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        let p = profile(&catalog, facts);
        let expected = match expected {
            "eligible" => Verdict::Eligible,
            "ineligible" => Verdict::Ineligible,
            "unknown" => Verdict::Unknown,
            other => panic!("line {}: bad expectation {other}", i + 1),
        };
        assert_eq!(
            rule.evaluate(&p),
            expected,
            "line {}: {expr} with {facts}",
            i + 1
        );
        // The explained evaluation and the JSON form agree with the fast path.
        assert_eq!(
            rule.explain(&p).verdict(),
            expected,
            "line {}: explain",
            i + 1
        );
        let via_json = catalog
            .compile_rule(&Rule::from_json(&rule.rule().to_json()).unwrap(), &tables)
            .unwrap();
        assert_eq!(via_json.evaluate(&p), expected, "line {}: JSON form", i + 1);
        // The residual rule gives the same verdict.
        let residual = catalog.compile_rule(&rule.partial(&p), &tables).unwrap();
        assert_eq!(
            residual.evaluate(&p),
            expected,
            "line {}: residual {}",
            i + 1,
            rule.partial(&p)
        );
        rows += 1;
    }
    assert!(rows >= 60, "{rows} rows");
}

// ---- property tests ----

/// Atoms over a few facts of each type, all valid against the standard catalogue.
/// `known(..)` is left out on purpose: it asks about our knowledge, not the resident, so
/// learning a fact does flip it (covered by the truth table).
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..100i32).prop_map(|n| format!("age >= {n}")),
        (0..100i32).prop_map(|n| format!("age < {n}")),
        (0..50i32, 0..50i32).prop_map(|(a, b)| format!("age in {}..{}", a.min(b), a.max(b))),
        Just("disability".to_owned()),
        Just("caregiver".to_owned()),
        Just("pregnant == false".to_owned()),
        prop::sample::select(vec!["ON", "QC", "BC"]).prop_map(|p| format!("province == \"{p}\"")),
        Just(r#"province in ["ON", "QC"]"#.to_owned()),
        Just(r#"benefits has_any ["oas", "gis"]"#.to_owned()),
        Just(r#"benefits has_all ["oas", "gis"]"#.to_owned()),
        Just(r#"household_income <= threshold("lim_on", household_size)"#.to_owned()),
    ]
}

fn expr() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("not ({e})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) and ({b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a}) or ({b})")),
        ]
    })
}

#[derive(Debug, Clone)]
struct Facts(Vec<(&'static str, FactValue)>);

fn facts() -> impl Strategy<Value = Facts> {
    (
        prop::option::of(0..100i32),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(vec!["ON", "QC", "BC"])),
        prop::option::of(prop::sample::subsequence(vec!["oas", "gis", "cpp"], 0..3)),
        prop::option::of(20_000..70_000i32),
        prop::option::of(1..6i32),
    )
        .prop_map(|(age, dis, care, preg, prov, ben, inc, size)| {
            let mut v: Vec<(&'static str, FactValue)> = Vec::new();
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
                v.push((
                    "benefits",
                    FactValue::List(b.into_iter().map(str::to_owned).collect()),
                ));
            }
            if let Some(i) = inc {
                v.push(("household_income", i.into()));
            }
            if let Some(s) = size {
                v.push(("household_size", s.into()));
            }
            Facts(v)
        })
}

fn build(catalog: &FactCatalog, facts: &[(&'static str, FactValue)]) -> Profile {
    let mut p = catalog.profile();
    for (k, v) in facts {
        p.set(k, v.clone()).unwrap();
    }
    p
}

fn verdict(e: &str, p: &Profile) -> Verdict {
    FactCatalog::standard()
        .compile(e, &tables())
        .unwrap()
        .evaluate(p)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Learning a fact never turns a definite verdict unknown, nor flips it.
    #[test]
    fn more_facts_never_undo_a_verdict(e in expr(), f in facts(), keep in prop::collection::vec(any::<bool>(), 8)) {
        let catalog = FactCatalog::standard();
        let rule = catalog.compile(&e, &tables()).unwrap();
        let full = build(&catalog, &f.0);
        let subset: Vec<_> = f.0.iter().zip(keep.iter().cycle()).filter(|(_, k)| **k).map(|(x, _)| x.clone()).collect();
        let part = build(&catalog, &subset);
        let before = rule.evaluate(&part);
        let after = rule.evaluate(&full);
        if before != Verdict::Unknown {
            prop_assert_eq!(before, after);
        }
        // Partial evaluation is sound: the residual decides the full profile the same way.
        let residual = catalog.compile_rule(&rule.partial(&part), &tables()).unwrap();
        prop_assert_eq!(residual.evaluate(&full), after);
    }

    /// and/or commute; De Morgan holds under three-valued logic; double negation.
    #[test]
    fn kleene_laws(a in expr(), b in expr(), f in facts()) {
        let p = build(&FactCatalog::standard(), &f.0);
        prop_assert_eq!(verdict(&format!("({a}) and ({b})"), &p), verdict(&format!("({b}) and ({a})"), &p));
        prop_assert_eq!(verdict(&format!("({a}) or ({b})"), &p), verdict(&format!("({b}) or ({a})"), &p));
        prop_assert_eq!(
            verdict(&format!("not (({a}) and ({b}))"), &p),
            verdict(&format!("(not ({a})) or (not ({b}))"), &p)
        );
        prop_assert_eq!(
            verdict(&format!("not (({a}) or ({b}))"), &p),
            verdict(&format!("(not ({a})) and (not ({b}))"), &p)
        );
        prop_assert_eq!(verdict(&format!("not not ({a})"), &p), verdict(&a, &p));
    }

    /// Text → AST → text → AST and AST → JSON → AST are identities.
    #[test]
    fn round_trips(e in expr()) {
        let r = Rule::parse(&e).unwrap();
        prop_assert_eq!(Rule::parse(&r.to_string()).unwrap(), r.clone());
        prop_assert_eq!(Rule::from_json(&r.to_json()).unwrap(), r);
    }

    /// Explained and plain evaluation agree; Unknown always names a missing fact.
    #[test]
    fn explain_agrees(e in expr(), f in facts()) {
        let catalog = FactCatalog::standard();
        let rule = catalog.compile(&e, &tables()).unwrap();
        let p = build(&catalog, &f.0);
        let o = rule.explain(&p);
        prop_assert_eq!(o.verdict(), rule.evaluate(&p));
        match o {
            passerelle::rules::Outcome::Unknown { missing, .. } => {
                prop_assert!(!missing.is_empty());
                for m in missing {
                    prop_assert!(!p.is_known(m.fact()));
                }
            }
            passerelle::rules::Outcome::Ineligible { failed } => prop_assert!(!failed.is_empty()),
            _ => {}
        }
    }
}
