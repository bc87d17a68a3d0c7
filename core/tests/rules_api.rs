//! Rules engine through the public API: golden explanations in both languages, compile
//! errors with positions, hostile input, next-question ranking, privacy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use passerelle::{
    rules::{
        evaluate_batch, next_questions, FactCatalog, FactDef, FactValue, Outcome, Rule, RuleError,
        RuleErrorKind, Tables, Verdict,
    },
    Error,
};

fn tables() -> Tables {
    Tables::from_csv(
        "table,key,value\nlim_on,1,30000\nlim_on,2,42000\nlim_on,3,51000\nlim_on,4,60000\n",
    )
    .unwrap()
}

fn failed(rule: &str, facts: &[(&str, FactValue)]) -> Vec<(String, String, String)> {
    let c = FactCatalog::standard();
    let t = tables();
    let r = c.compile(rule, &t).unwrap();
    let mut p = c.profile();
    for (k, v) in facts {
        p.set(k, v.clone()).unwrap();
    }
    match r.explain(&p) {
        Outcome::Ineligible { failed } => failed
            .iter()
            .map(|c| (c.text().to_owned(), c.en(), c.fr()))
            .collect(),
        other => panic!("{rule}: {other:?}"),
    }
}

fn s(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.to_owned(), b.to_owned(), c.to_owned())
}

#[test]
fn golden_explanations() {
    assert_eq!(
        failed(
            "age >= 65 or (disability and age >= 18)",
            &[("age", 40.into()), ("disability", false.into())]
        ),
        [
            s(
                "age >= 65",
                "minimum age is 65",
                "l'âge minimum est de 65 ans"
            ),
            s(
                "disability",
                "you must have a disability",
                "vous devez avoir un handicap"
            ),
        ]
    );
    assert_eq!(
        failed(
            r#"household_income <= threshold("lim_on", household_size)"#,
            &[
                ("household_income", 45_000.into()),
                ("household_size", 2.into())
            ]
        ),
        [s(
            r#"household_income <= threshold("lim_on", household_size)"#,
            "household income must be at most $42,000 for a household of 2",
            "le revenu du ménage doit être d'au plus 42 000 $ pour un ménage de 2 personnes"
        )]
    );
    assert_eq!(
        failed(r#"province in ["ON", "QC"]"#, &[("province", "BC".into())]),
        [s(
            r#"province in ["ON", "QC"]"#,
            "province or territory must be one of: ON, QC",
            "la province ou le territoire doit être l'une des valeurs suivantes : ON, QC"
        )]
    );
    assert_eq!(
        failed(
            r#"age in 16..29 and not has("provincial_health_card")"#,
            &[
                ("age", 30.into()),
                ("documents", ["provincial_health_card"].into())
            ]
        ),
        [
            s(
                "age in 16..29",
                "age must be between 16 and 29",
                "l'âge doit être entre 16 et 29 ans"
            ),
            s(
                r#"has("provincial_health_card")"#,
                "you must not have this document: provincial_health_card",
                "vous ne devez pas avoir ce document : provincial_health_card"
            ),
        ]
    );
    assert_eq!(
        failed(
            r#"population has_any ["indigenous", "black"]"#,
            &[("population", ["youth"].into())]
        ),
        [s(
            r#"population has_any ["indigenous", "black"]"#,
            "community must include at least one of: indigenous, black",
            "la communauté doit comprendre au moins l'un des éléments suivants : indigenous, black"
        )]
    );
    // A negated comparison reads as its opposite.
    assert_eq!(
        failed("not (age < 18)", &[("age", 12.into())]),
        [s(
            "age < 18",
            "minimum age is 18",
            "l'âge minimum est de 18 ans"
        )]
    );
    assert_eq!(
        failed("age <= 17.5", &[("age", 20.into())]),
        [s(
            "age <= 17.5",
            "maximum age is 17.5",
            "l'âge maximum est de 17,5 ans"
        )]
    );
}

#[test]
fn unknown_names_missing_facts_and_open_conditions() {
    let c = FactCatalog::standard();
    let r = c
        .compile(
            r#"age >= 18 and household_income <= threshold("lim_on", household_size)"#,
            &tables(),
        )
        .unwrap();
    let mut p = c.profile();
    p.set("age", 30.into()).unwrap();
    let Outcome::Unknown { missing, open } = r.explain(&p) else {
        panic!()
    };
    let names: Vec<_> = missing.iter().map(|m| m.fact()).collect();
    assert_eq!(names, ["household_size", "household_income"]);
    assert_eq!(open.len(), 1);
    assert_eq!(
        open[0].en(),
        "household income must be at most the limit for your household size"
    );
    assert_eq!(open[0].span().start, 14);
    assert_eq!(
        r.partial(&p).to_string(),
        r#"household_income <= threshold("lim_on", household_size)"#
    );
    p.set("household_size", 3.into()).unwrap();
    assert_eq!(r.partial(&p).to_string(), "household_income <= 51000");
}

#[test]
fn next_question_ranking() {
    let c = FactCatalog::standard();
    let t = tables();
    let rules: Vec<_> = [
        "age >= 65",                                     // age settles
        "age >= 18 and residency_status == \"citizen\"", // both settle (either can fail)
        "residency_status == \"citizen\"",               // residency settles
        "disability or caregiver",                       // each settles (either can succeed)
        // With province QC this is `age >= 18 and disability`: each can settle it.
        "(age >= 18 and disability) or (province == \"ON\" and caregiver)",
        "province == \"ON\"", // already known: not asked
        "(disability and caregiver) or (pregnant and income_drop)", // no single fact settles it
    ]
    .iter()
    .map(|r| c.compile(r, &t).unwrap())
    .collect();
    let mut p = c.profile();
    p.set("province", "QC".into()).unwrap();
    let outcomes: Vec<_> = rules.iter().map(|r| r.explain(&p)).collect();
    let q: Vec<_> = next_questions(&outcomes)
        .into_iter()
        .map(|q| (q.fact, q.settles, q.affects))
        .collect();
    assert_eq!(
        q,
        [
            ("age".to_owned(), 3, 3),
            // A tie: disability (rank 14) is asked before immigration status (rank 16).
            ("disability".to_owned(), 2, 3),
            ("residency_status".to_owned(), 2, 2),
            ("caregiver".to_owned(), 1, 2),
            ("income_drop".to_owned(), 0, 1),
            ("pregnant".to_owned(), 0, 1),
        ]
    );
    let first = &next_questions(&outcomes)[0];
    assert_eq!(first.question_fr, "Quel âge avez-vous ?");
}

#[test]
fn compile_errors_have_line_column_and_caret() {
    let c = FactCatalog::standard();
    let e = c
        .compile("age >= 65 or\n   (aeg < 3 and disability)", &tables())
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown fact \"aeg\" — did you mean \"age\"? at line 2, column 5\n     (aeg < 3 and disability)\n      ^^^"
    );
    let loc = e.location().unwrap();
    assert_eq!((loc.line, loc.column), (2, 5));
    let e = c
        .compile(r#"province in ["ON", "XX"]"#, &tables())
        .unwrap_err();
    assert!(
        matches!(&e, RuleError::Invalid { kind: RuleErrorKind::NotAllowed { fact, .. }, .. } if fact == "province")
    );
    assert!(
        e.to_string()
            .ends_with("\n  province in [\"ON\", \"XX\"]\n              ^^^^^^^^^^^^"),
        "{e}"
    );
    let e = c.compile("disability >= 3", &tables()).unwrap_err();
    assert!(
        e.to_string().starts_with("fact \"disability\" is a bool"),
        "{e}"
    );
    let e = c
        .compile(
            r#"household_income <= threshold("lim_qc", household_size)"#,
            &tables(),
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("unknown lookup table \"lim_qc\" — did you mean \"lim_on\"?"),
        "{e}"
    );
    // Rules compiled from the AST point into the printed text.
    let ast = Rule::from_json(
        r#"{"op":"and","rules":[{"op":"fact","fact":"disability"},{"op":"fact","fact":"age"}]}"#,
    )
    .unwrap();
    let e = c.compile_rule(&ast, &tables()).unwrap_err();
    assert_eq!(e.location().unwrap().column, 16);
    // Folds into the crate error.
    let e: Error = e.into();
    assert!(matches!(e, Error::Rule(_)));
}

#[test]
fn hostile_input_is_a_typed_error() {
    let c = FactCatalog::standard();
    for n in [65, 1_000, 30_000, 100_000] {
        let text = format!("{}age > 1{}", "(".repeat(n), ")".repeat(n));
        let e = c.compile(&text, &Tables::new()).unwrap_err();
        assert!(
            matches!(
                e,
                RuleError::TooLong { .. }
                    | RuleError::Invalid {
                        kind: RuleErrorKind::TooDeep { max: 64 },
                        ..
                    }
            ),
            "{n}: {e}"
        );
        let json = format!(
            "{}{}{}",
            r#"{"op":"not","rule":"#.repeat(n),
            r#"{"op":"fact","fact":"disability"}"#,
            "}".repeat(n)
        );
        assert!(matches!(
            Rule::from_json(&json),
            Err(RuleError::Json { .. } | RuleError::TooLong { .. })
        ));
        let arr = format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(Rule::from_json(&arr).is_err());
    }
    let long = format!("age > 1{}", " or age > 1".repeat(7_000));
    assert!(matches!(
        c.compile(&long, &Tables::new()),
        Err(RuleError::TooLong { .. })
    ));
    // A deep rule built in code is refused before recursion.
    let mut deep = Rule::Fact {
        fact: "disability".into(),
    };
    for _ in 0..100 {
        deep = Rule::not(deep);
    }
    assert!(matches!(
        c.compile_rule(&deep, &Tables::new()),
        Err(RuleError::Json { .. })
    ));
    for bad in [
        "",
        "(",
        ")",
        "age >=",
        "age in 1..",
        "\"x",
        "age in [1,",
        "not",
        "and",
        "age >= 1 age",
        "has(1)",
        "é",
    ] {
        assert!(c.compile(bad, &Tables::new()).is_err(), "{bad:?}");
    }
}

#[test]
fn profile_is_redacted_and_errors_never_echo_values() {
    const SENTINEL: &str = "SENTINEL-7f3a";
    let c = FactCatalog::standard();
    let mut p = c.profile();
    p.set("municipality", SENTINEL.into()).unwrap();
    p.set("age", 12_345.678.into()).unwrap();
    let dbg = format!("{p:?}");
    assert!(!dbg.contains(SENTINEL) && !dbg.contains("12345"), "{dbg}");
    assert_eq!(dbg, "Profile { municipality: <redacted>, age: <redacted> }");
    for (fact, v) in [
        ("province", FactValue::from(SENTINEL)),
        ("age", FactValue::from(SENTINEL)),
        ("benefits", FactValue::List(vec![SENTINEL.to_owned()])),
        ("disability", FactValue::from(SENTINEL)),
        ("student", FactValue::from(SENTINEL)),
    ] {
        let e = p.set(fact, v.clone()).unwrap_err();
        assert!(!e.to_string().contains(SENTINEL) && !format!("{e:?}").contains(SENTINEL));
        assert!(!format!("{v:?}").contains(SENTINEL));
    }
    // Explanations describe the rule, not the resident's values.
    let r = c
        .compile("municipality == \"Ottawa\" and age < 100", &Tables::new())
        .unwrap();
    let Outcome::Ineligible { failed } = r.explain(&p) else {
        panic!()
    };
    for f in failed {
        assert!(
            !f.en().contains(SENTINEL) && !f.fr().contains(SENTINEL) && !f.en().contains("12345")
        );
    }
}

#[test]
fn extended_catalogue_and_batch() {
    let std = FactCatalog::standard();
    let ext = std
        .clone()
        .with(
            FactDef::list("languages", &[])
                .labels("languages", "les langues")
                .question("Which languages?", "Quelles langues ?"),
        )
        .unwrap();
    let t = Tables::new();
    let old = std.compile("age >= 65", &t).unwrap();
    let new = ext
        .compile(r#"languages has_any ["Tagalog"] and age >= 65"#, &t)
        .unwrap();
    assert!(std.compile(r#"languages has_any ["x"]"#, &t).is_err());
    let mut p = ext.profile();
    p.set("age", 70.into())
        .unwrap()
        .set("languages", ["Tagalog", "English"].into())
        .unwrap();
    // A rule compiled against the standard catalogue reads an extended profile.
    assert_eq!(
        evaluate_batch(&[old.clone(), new.clone()], &[p]),
        vec![vec![Verdict::Eligible; 2]]
    );
    // …but not the reverse: the standard profile lacks the new fact.
    let mut q = std.profile();
    q.set("age", 70.into()).unwrap();
    assert_eq!(new.evaluate(&q), Verdict::Unknown);
    assert_eq!(old.evaluate(&q), Verdict::Eligible);
}

#[test]
fn service_helpers() {
    let rule = Rule::all(vec![
        Rule::age_between(Some(18.0), Some(64.5)),
        Rule::population_any(&["newcomer", "francophone"]),
        Rule::parse(r#"province == "ON""#).unwrap(),
    ]);
    assert_eq!(
        rule.to_string(),
        r#"age in 18..64.5 and population has_any ["newcomer", "francophone"] and province == "ON""#
    );
    let c = FactCatalog::standard();
    let r = c.compile_rule(&rule, &Tables::new()).unwrap();
    let mut p = c.profile();
    p.set("age", 64.5.into())
        .unwrap()
        .set("population", ["francophone"].into())
        .unwrap()
        .set("province", "ON".into())
        .unwrap();
    assert_eq!(r.evaluate(&p), Verdict::Eligible);
    assert_eq!(
        Rule::all(vec![
            Rule::age_between(None, None),
            Rule::population_any(&[])
        ]),
        Rule::Const { value: true }
    );
}
