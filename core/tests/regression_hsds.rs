//! Regressions in the HSDS importer found while hardening (fuzz targets `hsds_csv`,
//! `hsds_json`, and the worst-case measurements of docs/bad-input.md).

use std::time::{Duration, Instant};

use passerelle::{
    hsds::{import_tables, ProblemKind},
    ImportOptions,
};

// Found by the worst-case measurements (hardening_bad_input.rs `worst_case_timings`): the CSV
// header's duplicate-column check scanned every earlier column for each column, so a 1 MB
// header of 100 000 distinct names took ~5·10⁹ string comparisons before a single row was
// read — a feed could hang the host inside max_field_bytes and max_file_bytes. Fix: a hash
// set of the names seen.
#[test]
fn wide_header_is_linear() {
    let names: Vec<String> = (0..100_000).map(|c| format!("c{c}")).collect();
    let csv = format!("id,{},c7\no1,{}\n", names.join(","), ",x".repeat(100_000));
    let start = Instant::now();
    let i = import_tables(
        [("organizations", csv.as_bytes())],
        &ImportOptions::default(),
    );
    let took = start.elapsed();
    // A hang guard, not a speed claim: the quadratic version took minutes; a loaded CI
    // machine running the debug build takes seconds.
    assert!(took < Duration::from_secs(60), "{took:?}");
    // the duplicate is still found
    let dup: Vec<_> = i.report.of_kind(ProblemKind::MalformedHeader).collect();
    assert_eq!(dup.len(), 1, "{}", i.report);
    assert_eq!(dup[0].field.as_deref(), Some("c7"));
    assert_eq!(
        i.directory.organizations.len(),
        1,
        "{:?}",
        i.report.problems().iter().take(3).collect::<Vec<_>>()
    );
}

// Found by the worst-case measurements: a service-area extent was checked with geo's
// `Validation`, which compares every pair of edges — one 100 000-vertex extent (limits raised)
// took 125 s to import, one at the default max_extent_vertices (20 000) about 5 s, so a feed of
// a few such areas hung the host. Fix: the importer uses passerelle's own O(n log n) check
// (`AreaLimits::validate`); topology faults are still warnings with the extent kept.
#[test]
fn extent_at_the_default_vertex_limit_imports_quickly() {
    let n = 19_999;
    let mut coords: Vec<String> = (0..n)
        .map(|i| {
            let a = std::f64::consts::TAU * f64::from(i) / f64::from(n);
            format!("[{:.6},{:.6}]", -75.7 + 0.2 * a.cos(), 45.4 + 0.2 * a.sin())
        })
        .collect();
    coords.push(coords[0].clone());
    let extent = format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
        coords.join(",")
    );
    let csv = format!(
        "id,service_id,extent\na1,,\"{}\"\n",
        extent.replace('"', "\"\"")
    );
    let start = Instant::now();
    let i = import_tables(
        [("service_areas", csv.as_bytes())],
        &ImportOptions::default(),
    );
    let took = start.elapsed();
    assert!(
        i.directory.service_areas[0].extent.is_some(),
        "{}",
        i.report
    );
    assert!(i.report.is_clean(), "{}", i.report);
    // A hang guard, not a speed claim: the quadratic version took minutes; a loaded CI
    // machine running the debug build takes seconds.
    assert!(took < Duration::from_secs(60), "{took:?}");
}

// Found by the worst-input runs of the `hsds_json` fuzz target (docs/bad-input.md, "Worst
// inputs found by the fuzzer"): its slowest unit, scaled to 256 records per table, broke the
// target's property "CSV export lost records". `max_rows` bounded CSV tables and NDJSON lines
// but not the records of a JSON document, so a JSON directory could hold more records per
// table than the same options accept from CSV (and its CSV export re-imported short). Fix:
// JSON documents get the same per-table limit, reported once as `TooManyRows`.
#[test]
fn json_document_tables_obey_max_rows() {
    let opts = ImportOptions {
        max_rows: 3,
        quality_warnings: false,
        ..ImportOptions::default()
    };
    let orgs: Vec<String> = (1..=5)
        .map(|i| format!(r#"{{"id":"o{i}","name":"Org {i}"}}"#))
        .collect();
    // o1 again (identical) merges into the first record: not a new row
    let doc = format!(
        r#"{{"organizations":[{},{{"id":"o1","name":"Org 1"}}],"taxonomies":[{{"id":"t1","name":"T"}}]}}"#,
        orgs.join(",")
    );
    let i = passerelle::import_json(doc.as_bytes(), &opts).unwrap();
    let ids: Vec<&str> = i
        .directory
        .organizations
        .iter()
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(ids, ["o1", "o2", "o3"]);
    let over: Vec<_> = i.report.of_kind(ProblemKind::TooManyRows).collect();
    assert_eq!(over.len(), 1, "{}", i.report);
    assert_eq!(over[0].record_id.as_deref(), Some("o4"));
    assert_eq!(i.directory.taxonomies.len(), 1, "other tables load");
    // the CSV export of what loaded re-imports whole under the same options
    let files = passerelle::hsds::export_csv_tables(&i.directory);
    let again = import_tables(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &opts);
    assert_eq!(again.report.loaded(), i.report.loaded());
}
