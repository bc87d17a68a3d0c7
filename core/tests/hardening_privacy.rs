//! Privacy of resident data: a sentinel planted in every fact of a profile, in the need text
//! and in the location never shows up in an error (`Display` or `Debug`), in the `Debug` of a
//! `Query`, `Need`, `Profile`, `FactValue` or an explanation's `Condition`, in a panic (there
//! is none), or in the navigator after `search` returns (it keeps nothing about a query).
//! Search results, addressed to the resident, never echo text they typed.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, OnceLock};

use passerelle::{gaps::*, matching::*, model::*, referrals::*, rules::*, text::*, *};

const SENTINEL: &str = "SENTINEL-7f3a";
const SENTINEL_NUM: f64 = 987_654.321;
/// A position that is only the resident's: 45.4321987 N, 75.6789123 W.
const SENTINEL_LAT: f64 = 45.432_198_7;
const SENTINEL_LON: f64 = -75.678_912_3;

/// Every way the sentinel value could be rendered.
fn leaks(s: &str) -> Option<&'static str> {
    [
        SENTINEL,
        "sentinel-7f3a",
        "7f3a",
        "987654",
        "987,654",
        "987 654",
        "987\u{a0}654",
        "987\u{202f}654",
        "9.87654",
        "45.43219",
        "75.67891",
    ]
    .into_iter()
    .find(|needle| s.contains(needle))
}

fn assert_clean(what: &str, s: &str) {
    if let Some(needle) = leaks(s) {
        panic!("{what} leaks {needle:?}: {s}");
    }
}

fn assert_error_clean(what: &str, e: &dyn std::error::Error) {
    assert_clean(what, &e.to_string());
    assert_clean(what, &format!("{e:?}"));
    let mut source = e.source();
    while let Some(s) = source {
        assert_clean(what, &s.to_string());
        source = s.source();
    }
}

fn navigator() -> &'static Navigator {
    static NAV: OnceLock<Navigator> = OnceLock::new();
    NAV.get_or_init(|| {
        Navigator::build(Directory::sample(), NavigatorOptions::sample())
            .unwrap()
            .0
    })
}

/// Messages of panics raised on any thread while this test binary runs.
fn panics() -> &'static Mutex<Vec<(std::thread::ThreadId, String)>> {
    static PANICS: OnceLock<Mutex<Vec<(std::thread::ThreadId, String)>>> = OnceLock::new();
    PANICS.get_or_init(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(p) = PANICS.get() {
                p.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((std::thread::current().id(), info.to_string()));
            }
            default(info);
        }));
        Mutex::new(Vec::new())
    })
}

/// Runs `f`, asserting it neither panics nor leaves a panic message holding the sentinel.
fn no_panic<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let _ = panics();
    let r = catch_unwind(AssertUnwindSafe(f));
    let me = std::thread::current().id();
    let msgs: Vec<String> = panics()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter(|(t, _)| *t == me)
        .map(|(_, m)| m.clone())
        .collect();
    for m in &msgs {
        assert_clean("panic message", m);
    }
    match r {
        Ok(v) => v,
        Err(_) => panic!("{what} panicked: {msgs:?}"),
    }
}

/// Sets every fact of the standard catalogue to a sentinel value of each shape, collecting
/// the errors (wrong type, not allowed, not finite) and the profile that accepted the rest.
fn sentinel_profile(errors: &mut Vec<RuleError>) -> Profile {
    let catalog = navigator().catalog().clone();
    let mut p = catalog.profile();
    let names: Vec<String> = catalog.facts().map(|d| d.name().to_owned()).collect();
    for name in &names {
        for value in [
            FactValue::Text(SENTINEL.into()),
            FactValue::Text(format!("{SENTINEL} {SENTINEL_NUM}")),
            FactValue::List(vec![SENTINEL.into(), SENTINEL_NUM.to_string()]),
            FactValue::Number(SENTINEL_NUM),
            FactValue::Number(f64::NAN),
            FactValue::Bool(true),
        ] {
            if let Err(e) = p.set(name, value) {
                errors.push(e);
            }
        }
    }
    // a text fact really holding the sentinel, a number fact really holding the number
    p.set("municipality", SENTINEL.into()).unwrap();
    p.set("household_income", SENTINEL_NUM.into()).unwrap();
    p.set("age", SENTINEL_NUM.into()).unwrap();
    // the sentinel used as a fact name: a caller passing resident text as a name by mistake
    for name in [SENTINEL, "household_incom", "municipalit"] {
        if let Err(e) = p.set(name, SENTINEL.into()) {
            errors.push(e);
        }
    }
    p
}

#[test]
fn profile_errors_and_debug_never_contain_resident_values() {
    let mut errors = Vec::new();
    let p = no_panic("profile", || sentinel_profile(&mut errors));
    assert!(errors.len() > 20, "expected many rejected values");
    for e in &errors {
        // a fact *name* the caller passed is echoed on purpose (it names a field, not a value)
        if matches!(e, RuleError::UnknownFact { name, .. } if name == SENTINEL) {
            continue;
        }
        assert_error_clean("RuleError", e);
        assert_error_clean("Error::Rule", &Error::from(e.clone()));
    }
    assert_clean("Profile Debug", &format!("{p:?}"));
    assert_clean("Profile Debug (pretty)", &format!("{p:#?}"));
    for v in [
        FactValue::Text(SENTINEL.into()),
        FactValue::Number(SENTINEL_NUM),
        FactValue::List(vec![SENTINEL.into()]),
    ] {
        assert_clean("FactValue Debug", &format!("{v:?}"));
    }
}

fn sentinel_needs() -> Vec<Need> {
    vec![
        Need::text(format!("food bank {SENTINEL} {SENTINEL_NUM}")),
        Need::text(format!("{SENTINEL} suicide je veux mourir")),
        Need::text(SENTINEL.repeat(200)), // over MAX_NEED_TEXT_BYTES
        Need::text(format!("{SENTINEL} ").repeat(70)),
        Need::default(),
    ]
}

fn base_query(profile: &Profile) -> Query {
    Query::new([Need::text(format!("rent help {SENTINEL}"))])
        .near(GeoPoint::new(SENTINEL_LAT, SENTINEL_LON).unwrap(), 5_000.0)
        .profile(profile.clone())
        .populations([SENTINEL])
        .accessibility([SENTINEL])
        .at(jiff::Timestamp::from_second(1_767_000_000).unwrap())
}

#[test]
fn every_query_error_path_is_clean() {
    let mut ignored = Vec::new();
    let profile = sentinel_profile(&mut ignored);
    let nav = navigator();
    let mut queries: Vec<(&str, Query)> = Vec::new();
    queries.push(("limit 0", base_query(&profile).limit(0)));
    queries.push(("limit -7", base_query(&profile).limit(-7)));
    queries.push(("no needs", {
        let mut q = base_query(&profile);
        q.needs.clear();
        q
    }));
    queries.push(("too many needs", {
        let mut q = base_query(&profile);
        q.needs = (0..=MAX_NEEDS)
            .map(|_| Need::text(SENTINEL))
            .collect::<Vec<_>>();
        q
    }));
    for (i, need) in sentinel_needs().into_iter().enumerate() {
        let mut q = base_query(&profile);
        q.needs = vec![need];
        queries.push((["need 0", "need 1", "need 2", "need 3", "need 4"][i], q));
    }
    for d in [-1.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut q = base_query(&profile);
        q.max_distance_m = d;
        queries.push(("distance", q));
    }
    queries.push((
        "ok",
        base_query(&profile).include_ineligible().explain(true),
    ));
    queries.push(("ok multi", {
        let mut q = base_query(&profile).include_ineligible();
        q.needs = sentinel_needs().into_iter().take(2).collect();
        q
    }));

    let mut failures = 0;
    for (what, q) in &queries {
        assert_clean("Query Debug", &format!("{q:?}"));
        assert_clean("Query Debug (pretty)", &format!("{q:#?}"));
        for n in &q.needs {
            assert_clean("Need Debug", &format!("{n:?}"));
        }
        match no_panic(what, || nav.search(q)) {
            Err(e) => {
                failures += 1;
                assert_error_clean(what, &e);
            }
            Ok(res) => {
                // Results go back to the resident. Nothing they typed is echoed (need text,
                // municipality, populations, accessibility codes); an eligibility explanation
                // may restate a lookup key on purpose ("for a household of 4"), so numbers
                // are not checked here.
                let dbg = format!("{res:?}");
                assert!(
                    !dbg.contains(SENTINEL),
                    "SearchResults echo typed text: {dbg}"
                );
            }
        }
    }
    assert!(
        failures >= 10,
        "expected the invalid queries to fail ({failures})"
    );

    // The text analyser on its own.
    let analyzer = Analyzer::standard();
    let long = format!("{SENTINEL} ").repeat(200);
    let e = no_panic("analyze", || analyzer.analyze(&long)).unwrap_err();
    assert_error_clean("TextError", &e);
    assert_error_clean("Error::Text", &Error::from(e));
}

#[test]
fn rule_errors_and_explanations_with_that_profile_are_clean() {
    let mut ignored = Vec::new();
    let profile = sentinel_profile(&mut ignored);
    let catalog = navigator().catalog().clone();
    let tables = Tables::new();
    // rules that fail to compile: errors name the rule text and the facts, never the profile
    for bad in [
        "age >= ",
        "aeg >= 18",
        "province == \"Ontario\"",
        "household_income <= threshold(\"nope\", household_size)",
        "age in 30..10",
        "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((age >= 1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
    ] {
        let e = no_panic("compile", || catalog.compile(bad, &tables)).unwrap_err();
        assert_error_clean("RuleError (compile)", &e);
    }
    // rules that evaluate against the profile: explanations quote the rule, not the resident
    let tables = Tables::from_csv("table,key,value\nlim_on,1,30000\nlim_on,2,42000\n").unwrap();
    for rule in [
        "age >= 18 and age <= 64",
        "household_income <= 42000",
        "household_income <= threshold(\"lim_on\", household_size)",
        "municipality == \"Ottawa\"",
        "known(age) and not disability",
        "age in 16..29",
    ] {
        let compiled = catalog.compile(rule, &tables).unwrap();
        let outcome = no_panic("explain", || compiled.explain(&profile));
        assert_clean("Outcome Debug", &format!("{outcome:?}"));
        let partial = compiled.partial(&profile);
        assert_clean("partial rule", &partial.to_string());
        let _ = compiled.evaluate(&profile);
    }
}

#[test]
fn the_navigator_keeps_nothing_after_search_returns() {
    let nav = Navigator::build(Directory::sample(), NavigatorOptions::sample())
        .unwrap()
        .0;
    assert_clean("fresh navigator", &format!("{nav:?}"));
    let probe = Query::new([Need::text("food bank")])
        .near(GeoPoint::new(45.4215, -75.6972).unwrap(), 10_000.0)
        .at(jiff::Timestamp::from_second(1_767_000_000).unwrap());
    let first = nav.search(&probe).unwrap();
    // The first presentation builds the contact index (from the directory alone); the state
    // is taken after it.
    let before = format!("{nav:?}");
    assert_clean("navigator after a first search", &before);

    let mut ignored = Vec::new();
    let profile = sentinel_profile(&mut ignored);
    for _ in 0..3 {
        let _ = nav.search(&base_query(&profile).include_ineligible());
        for need in sentinel_needs() {
            let mut q = base_query(&profile);
            q.needs = vec![need];
            let _ = nav.search(&q);
        }
    }
    // Search takes `&self` and the navigator's only interior mutability is the contact
    // index, built once from the directory: its whole state is unchanged, so nothing about a
    // query can remain in it.
    let after = format!("{nav:?}");
    assert_eq!(before, after, "search changed the navigator's state");
    assert_clean("navigator after search", &after);
    // and later queries answer exactly as before (no caches keyed by earlier queries)
    assert_eq!(nav.search(&probe).unwrap(), first);
}

/// Gap analysis: the total of an area and need (a report without the population breakdown)
/// minus the shown population cells must never reveal a suppressed count (1 to k − 1).
#[test]
fn gap_suppression_protects_complements() {
    use jiff::civil::date;
    let (nav, _) = Navigator::build(Directory::sample(), NavigatorOptions::default()).unwrap();
    let rec = |area: &str, pop: Option<&str>| UnmetNeed {
        need: TermCode::new("food.bank").unwrap(),
        population: pop.map(str::to_owned),
        area: AreaKey::named(area).unwrap(),
        date: date(2026, 11, 20),
        reason: UnmetReason::NoneWithinReach,
    };
    let mut records = Vec::new();
    // Kinburn: seniors 20, newcomers 3 (suppressed), no population 10
    records.extend(std::iter::repeat_n(rec("Kinburn", Some("senior")), 20));
    records.extend(std::iter::repeat_n(rec("Kinburn", Some("newcomer")), 3));
    records.extend(std::iter::repeat_n(rec("Kinburn", None), 10));
    // Vanier: two suppressed groups of 3 (6 hidden together), one shown group
    records.extend(std::iter::repeat_n(rec("Vanier", Some("senior")), 3));
    records.extend(std::iter::repeat_n(rec("Vanier", Some("newcomer")), 3));
    records.extend(std::iter::repeat_n(rec("Vanier", None), 9));
    let run = |by_population| {
        let opts = GapOptions {
            by_population,
            ..GapOptions::default()
        };
        analyze_gaps(
            &nav,
            &records,
            &[],
            &[],
            &AreaCentroids::ottawa_sample(),
            &opts,
        )
        .unwrap()
    };
    let (detail, totals) = (run(true), run(false));
    let k = u64::from(GapOptions::default().min_records);
    for total in &totals.cells {
        let shown: u64 = detail
            .cells
            .iter()
            .filter(|c| c.area == total.area && c.need == total.need)
            .filter_map(|c| c.demand)
            .sum();
        let rest = total.demand.unwrap() - shown;
        assert!(
            rest == 0 || rest >= k,
            "{:?}: total {} minus shown cells {shown} reveals {rest}",
            total.area,
            total.demand.unwrap()
        );
    }
    // Kinburn's smallest shown cell (10, no population) is hidden with the 3; Vanier needed
    // nothing more
    let shown = |area: &str| -> Vec<(Option<String>, u64)> {
        detail
            .cells
            .iter()
            .filter(|c| c.area == AreaKey::named(area).unwrap())
            .filter_map(|c| c.demand.map(|d| (c.population.clone(), d)))
            .collect()
    };
    assert_eq!(shown("Kinburn"), [(Some("senior".to_owned()), 20)]);
    assert_eq!(shown("Vanier"), [(None, 9)]);
}
