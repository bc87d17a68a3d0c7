//! HSDS JSON (compiled services, list pages, NDJSON, passerelle's wrapper) from a feed.
//!
//! Properties (beyond "never panics"): a failure is a typed `ImportError`; an import that
//! succeeds exports to JSON that re-imports to an equal directory, and exports to CSV tables
//! that import without panicking. (JSON → CSV → import is not an identity: an unknown JSON
//! property holding a number or bool comes back from CSV as text.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::{
    hsds::{export_csv_tables, export_json, import_tables},
    import_json, ImportOptions,
};

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(jiff::civil::date(2025, 6, 1)),
        max_rows: 200,
        max_extent_vertices: 500,
        ..ImportOptions::default()
    }
}

fuzz_target!(|data: &[u8]| {
    let opts = opts();
    let Ok(imported) = import_json(data, &opts) else {
        return;
    };
    let dir = &imported.directory;
    let json = export_json(dir);
    match import_json(&json, &opts) {
        Ok(again) => assert_eq!(
            &again.directory, dir,
            "JSON export → import changed the directory"
        ),
        Err(e) => panic!("exported JSON does not import: {e}"),
    }
    let files = export_csv_tables(dir);
    let again = import_tables(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &opts);
    assert_eq!(
        again.report.loaded(),
        imported.report.loaded(),
        "CSV export lost records"
    );
});
