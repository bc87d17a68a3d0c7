//! Rule JSON AST (from an admin tool or a feed's `eligibility_rule` property).
//!
//! Properties: `from_json` never panics; an accepted rule writes back to JSON that reads back
//! equal (`from_json(to_json(r)) == r`); compiling it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::rules::{FactCatalog, Rule, Tables};

fuzz_target!(|json: &str| {
    let Ok(rule) = Rule::from_json(json) else {
        return;
    };
    let out = rule.to_json();
    assert_eq!(
        Rule::from_json(&out).as_ref(),
        Ok(&rule),
        "json round trip: {out}"
    );
    let _ = rule.to_string();
    let _ = rule.depth();
    if let Ok(compiled) = FactCatalog::standard().compile_rule(&rule, &Tables::new()) {
        let p = compiled.catalog().profile();
        let _ = compiled.evaluate(&p);
        let _ = compiled.explain(&p);
    }
});
