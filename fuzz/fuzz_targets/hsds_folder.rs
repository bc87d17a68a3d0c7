//! A whole HSDS feed folder, several tables together, imported as a directory to serve.
//!
//! Input: chunks separated by NUL bytes; each chunk's first byte picks a file name
//! (`FILES[b % len]`, including an unknown table), the rest is that file. The files are
//! written to a fresh folder and imported with `import_dir`, `min_services` 1 and a small
//! memory budget, so the budget, the fatal checks and the header diagnosis all run.
//!
//! Properties (beyond "never panics"):
//! - every row is counted: for a CSV table without quotes or CR and without a whole-table
//!   problem, `TooManyRows` or `MemoryBudget`, `seen` is its number of non-blank lines after
//!   the header and `loaded + dropped == seen`;
//! - the report's counts are the directory's;
//! - no services loaded ⇔ a fatal `NoServices` problem; `usable()` fails ⇔ a fatal problem;
//! - the service-area extents kept hold at most `max_total_extent_vertices` vertices in all.
#![no_main]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use libfuzzer_sys::fuzz_target;
use passerelle::{
    hsds::{Position, ProblemKind, Severity},
    import_dir, ImportOptions,
};

const FILES: &[&str] = &[
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "phones.csv",
    "schedules.csv",
    "languages.csv",
    "service_areas.csv",
    "taxonomy_terms.csv",
    "programs.csv",
    "zz_unknown.csv",
    "datapackage.json",
];

/// Small, so that a few extents in one input reach it.
const MAX_TOTAL_VERTICES: usize = 1_000;

fn folder() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "passerelle-fuzz-folder-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed) % 4
    ))
}

fuzz_target!(|data: &[u8]| {
    let dir = folder();
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    let mut written: Vec<(&str, &[u8])> = Vec::new();
    for chunk in data.split(|b| *b == 0) {
        let Some((&sel, bytes)) = chunk.split_first() else {
            continue;
        };
        let name = FILES[usize::from(sel) % FILES.len()];
        if written.iter().all(|(n, _)| *n != name) {
            std::fs::write(dir.join(name), bytes).expect("write");
            written.push((name, bytes));
        }
    }
    let opts = ImportOptions {
        today: Some(jiff::civil::date(2025, 6, 1)),
        max_rows: 200,
        max_field_bytes: 4096,
        max_extent_vertices: 500,
        max_total_extent_vertices: MAX_TOTAL_VERTICES,
        max_import_bytes: 64 << 10,
        min_services: 1,
        ..ImportOptions::default()
    };
    let imported = import_dir(&dir, &opts).expect("the folder lists");
    let _ = std::fs::remove_dir_all(&dir);
    let report = &imported.report;
    let d = &imported.directory;
    for (name, bytes) in &written {
        let Some(t) = name.strip_suffix(".csv") else {
            continue;
        };
        let whole_table = report.problems().iter().any(|p| {
            p.table == t
                && (p.position == Position::Table && p.severity == Severity::Error
                    || matches!(p.kind, ProblemKind::TooManyRows | ProblemKind::MemoryBudget))
        });
        if whole_table || bytes.contains(&b'"') || bytes.contains(&b'\r') {
            continue;
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let lines = body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        let rows = lines.saturating_sub(1);
        assert_eq!(
            report.seen_count(t),
            rows,
            "{t}: rows not counted\n{report}"
        );
        assert_eq!(
            report.loaded_count(t) + report.dropped_count(t),
            rows,
            "{t}: rows neither loaded nor counted as dropped\n{report}"
        );
    }
    assert_eq!(report.loaded_count("services"), d.services.len());
    assert_eq!(report.loaded_count("organizations"), d.organizations.len());
    let no_services = report.of_kind(ProblemKind::NoServices).next().is_some();
    assert_eq!(d.services.is_empty(), no_services, "{report}");
    assert_eq!(report.fatal().is_some(), imported.clone().usable().is_err());
    let vertices: usize = d
        .service_areas
        .iter()
        .filter_map(|a| a.extent.as_ref())
        .map(|e| geo::CoordsIter::coords_count(e))
        .sum();
    assert!(vertices <= MAX_TOTAL_VERTICES, "{vertices} vertices kept");
    let _ = report.to_string();
});
