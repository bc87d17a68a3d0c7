//! No panic: every seed of every fuzz corpus (`fuzz/corpus/*/seed-*`) goes through every
//! public entry point that reads untrusted bytes or text, under `catch_unwind`.
//!
//! This runs on stable in `cargo test` (the fuzz targets need nightly sanitizers), so a
//! regression in any parser on a known-tricky input fails the ordinary test suite.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use passerelle::{hsds::*, matching::*, model::*, referrals::*, rules::*, spatial::*, text::*};

const TABLES: &[&str] = &[
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "schedules",
    "service_areas",
    "languages",
    "eligibility_tables",
    "taxonomy_terms",
    "unknown_table",
    "datapackage.json",
];

fn seeds() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(Result::ok)
        .collect();
    dirs.sort_by_key(|d| d.file_name());
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|f| f.file_name().to_string_lossy().starts_with("seed-"))
            .collect();
        files.sort_by_key(|f| f.file_name());
        for f in files {
            let name = format!(
                "{}/{}",
                dir.file_name().to_string_lossy(),
                f.file_name().to_string_lossy()
            );
            out.push((name, std::fs::read(f.path()).unwrap()));
        }
    }
    out
}

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(jiff::civil::date(2025, 6, 1)),
        max_rows: 10_000,
        ..ImportOptions::default()
    }
}

fn navigator() -> Navigator {
    Navigator::build(Directory::sample(), NavigatorOptions::sample())
        .unwrap()
        .0
}

/// Every entry point, on one input.
fn drive(nav: &Navigator, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let text = text.as_ref();
    let catalog = FactCatalog::standard();

    // rules
    if let Ok(rule) = Rule::parse(text) {
        let _ = Rule::parse(&rule.to_string());
        let _ = Rule::from_json(&rule.to_json());
    }
    if let Ok(rule) = Rule::from_json(text) {
        let _ = rule.to_string();
        let _ = catalog.compile_rule(&rule, &Tables::new());
    }
    if let Ok(c) = catalog.compile(text, &Tables::new()) {
        let _ = c.explain(&catalog.profile());
    }
    let _ = Tables::from_csv(text);
    let mut p = catalog.profile();
    for def in catalog
        .facts()
        .map(|d| d.name().to_owned())
        .collect::<Vec<_>>()
    {
        let _ = p.set(&def, text.into());
    }
    let _ = p.set(text, true.into());

    // HSDS
    let imported = import_json(bytes, &opts());
    if let Ok(i) = &imported {
        let _ = import_json(&export_json(&i.directory), &opts());
        let _ = Navigator::build(i.directory.clone(), NavigatorOptions::default());
    }
    for table in TABLES {
        let i = import_tables([(*table, bytes)], &opts());
        let _ = export_csv_tables(&i.directory);
    }
    // the hsds_csv target's format: NUL-separated chunks, first byte picks the table
    let chunks: Vec<(&str, &[u8])> = bytes
        .split(|b| *b == 0)
        .filter_map(|c| c.split_first())
        .map(|(sel, rest)| (TABLES[usize::from(*sel) % TABLES.len()], rest))
        .collect();
    let i = import_tables(chunks, &opts());
    if let Ok((nav2, _)) = Navigator::build(i.directory, NavigatorOptions::default()) {
        let _ = nav2.search(&Query::new([Need::text("food bank")]));
    }
    // the geojson_area target's format: the bytes as one service area's extent
    let csv = format!(
        "id,service_id,extent\na1,,\"{}\"\n",
        text.replace('"', "\"\"")
    );
    let _ = import_tables([("service_areas", csv.as_bytes())], &opts());

    // hours, text, matching, referrals
    let _ = parse_time_zone(text);
    let _ = normalize(text);
    let _ = normalize_area_name(text);
    let analyzer = Analyzer::standard();
    if let Ok(a) = analyzer.analyze(text) {
        let _ = detect_crisis(&a);
    }
    let _ = Lexicon::from_csv_str(text);
    for chunk in text.as_bytes().chunks(MAX_NEED_TEXT_BYTES) {
        let need = String::from_utf8_lossy(chunk).into_owned();
        let q = Query::new([Need::text(need)])
            .profile(p.clone())
            .include_ineligible();
        let _ = nav.search(&q);
    }
    let _ = TermCode::new(text);
    let _ = LangCode::new(text);
    let _ = referrals_from_csv(bytes);
    let _ = unmet_needs_from_csv(bytes);
}

#[test]
fn every_seed_through_every_entry_point_without_panic() {
    let nav = navigator();
    let seeds = seeds();
    assert!(seeds.len() >= 50, "found only {} seeds", seeds.len());
    let mut panicked = Vec::new();
    for (name, bytes) in &seeds {
        if catch_unwind(AssertUnwindSafe(|| drive(&nav, bytes))).is_err() {
            panicked.push(name.clone());
        }
    }
    assert!(panicked.is_empty(), "panicked on {panicked:?}");
}

#[test]
fn regression_inputs_through_every_entry_point_without_panic() {
    // crash inputs found by fuzzing, kept verbatim (see regression_*.rs)
    let nav = navigator();
    for bytes in [
        &b"age in 16..293333333333333333333333333333333333333333"[..],
        b"",
        b"\0",
        b"\xff\xfe",
        b"{",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ] {
        catch_unwind(AssertUnwindSafe(|| drive(&nav, bytes))).unwrap();
    }
}
