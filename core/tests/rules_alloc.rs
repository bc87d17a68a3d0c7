//! Plain evaluation does not allocate: counted with an instrumented global allocator
//! (`stats_alloc`, whose `unsafe impl GlobalAlloc` lives in that crate, so this file
//! stays within the workspace's `unsafe_code = "forbid"`). The counter is global, so this
//! binary has no test harness (`harness = false`): libtest's main thread allocates while it
//! waits for a test thread (its channel registers a waker), and under load that allocation
//! could land inside the measured region. Here `main` is the only thread.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, missing_docs)]

use std::alloc::System;

use passerelle::rules::{Explanations, FactCatalog, RuleSet, Tables, Verdict};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() {
    evaluation_does_not_allocate();
    println!("rules_alloc: evaluation and explanation allocate nothing (2 checks passed)");
}

fn evaluation_does_not_allocate() {
    let c = FactCatalog::standard();
    let t = Tables::from_csv("table,key,value\nlim_on,1,30000\nlim_on,2,42000\n").unwrap();
    let texts = [
        r#"age in 16..29 and household_income <= threshold("lim_on", household_size)"#,
        r#"(age >= 65 or disability) and province in ["ON", "QC"]"#,
        r#"benefits has_any ["oas", "gis"] and not (residency_status == "no_status")"#,
        r#"municipality in ["Ottawa"] or has("sin") or known(age)"#,
        r#"household_income <= threshold("lim_on", household_size) and student != "none""#,
    ];
    let rules: Vec<_> = texts.iter().map(|r| c.compile(r, &t).unwrap()).collect();
    let set = RuleSet::new(rules.iter().cloned());
    let mut full = c.profile();
    full.set("age", 70.into())
        .unwrap()
        .set("household_size", 2.into())
        .unwrap()
        .set("household_income", 30_000.into())
        .unwrap()
        .set("province", "ON".into())
        .unwrap()
        .set("benefits", ["oas"].into())
        .unwrap()
        .set("municipality", "Ottawa".into())
        .unwrap()
        .set("student", "none".into())
        .unwrap();
    let mut part = c.profile();
    part.set("age", 20.into()).unwrap();
    let foreign = FactCatalog::new().profile();
    let profiles = [full, part, foreign];

    let mut verdicts = Vec::with_capacity(set.len());
    let mut ex = Explanations::new();
    // Warm up: the set's per-thread scratch, the explanation buffers.
    for p in &profiles {
        set.evaluate_into(p, &mut verdicts);
        set.explain_into(p, &mut ex);
        for r in &rules {
            let _ = r.evaluate(p);
        }
    }

    let region = Region::new(GLOBAL);
    let mut eligible = 0;
    for _ in 0..100 {
        for p in &profiles {
            for r in &rules {
                eligible += usize::from(r.evaluate(p) == Verdict::Eligible);
            }
            set.evaluate_into(p, &mut verdicts);
            eligible += verdicts.iter().filter(|v| **v == Verdict::Eligible).count();
        }
    }
    let stats = region.change();
    assert_eq!(
        (stats.allocations, stats.reallocations),
        (0, 0),
        "evaluation allocated"
    );
    assert!(eligible > 0);

    // Explaining into reused buffers: no allocation either, once they have grown.
    let region = Region::new(GLOBAL);
    for _ in 0..100 {
        for p in &profiles[..2] {
            set.explain_into(p, &mut ex);
        }
    }
    let stats = region.change();
    assert_eq!(
        (stats.allocations, stats.reallocations),
        (0, 0),
        "explain_into allocated"
    );
}
