//! Rule text typed by an administrator: parse, print, compile, evaluate.
//!
//! Properties (beyond "never panics"):
//! - a rule the parser accepts prints to text that parses back to the same rule
//!   (`Rule::parse(&r.to_string()) == Ok(r)`), and its JSON form reads back equal;
//! - parsing, compiling against the standard catalogue and evaluating a few profiles never
//!   panic; every failure is a typed `RuleError`;
//! - compile accepts only what parse accepts (compile checks more, never less).
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::rules::{FactCatalog, Rule, Tables};

const MAX_TEXT: usize = 64 * 1024;

fn tables() -> Tables {
    let mut t = Tables::new();
    for (k, v) in [(1.0, 30_000.0), (2.0, 42_000.0), (3.0, 52_000.0)] {
        let _ = t.insert("lim_on", k, v);
    }
    t
}

fuzz_target!(|text: &str| {
    let parsed = Rule::parse(text);
    let catalog = FactCatalog::standard();
    let compiled = catalog.compile(text, &tables());
    if parsed.is_err() {
        assert!(
            compiled.is_err(),
            "compile accepted what parse rejected: {text:?}"
        );
    }
    if let Ok(rule) = &parsed {
        let printed = rule.to_string();
        if printed.len() <= MAX_TEXT {
            let again = Rule::parse(&printed);
            assert_eq!(
                again.as_ref(),
                Ok(rule),
                "print/parse: {text:?} printed {printed:?}"
            );
        }
        let json = rule.to_json();
        if json.len() <= MAX_TEXT {
            assert_eq!(Rule::from_json(&json).as_ref(), Ok(rule), "json: {json}");
        }
        let _ = rule.depth();
    }
    if let Ok(rule) = compiled {
        let mut p = catalog.profile();
        let _ = rule.evaluate(&p);
        let _ = rule.explain(&p);
        let _ = rule.partial(&p).to_string();
        let _ = p.set("age", 70.into());
        let _ = p.set("household_size", 2.into());
        let _ = p.set("household_income", 35_000.into());
        let _ = p.set("province", "ON".into());
        let _ = p.set("disability", true.into());
        let _ = p.set("documents", ["sin", "photo_id"].into());
        let _ = p.set("population", ["senior"].into());
        let verdict = rule.evaluate(&p);
        assert_eq!(
            rule.explain(&p).verdict(),
            verdict,
            "explain disagrees: {text:?}"
        );
        let partial = rule.partial(&p);
        let _ = partial.to_string();
        let _ = rule.facts();
    }
});
