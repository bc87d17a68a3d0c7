//! HSDS CSV tables from a feed we do not control.
//!
//! Input: chunks separated by NUL bytes; each chunk's first byte picks the table name
//! (`TABLES[b % len]`), the rest is that table's bytes. Later chunks for a table already
//! given are dropped.
//!
//! Properties (beyond "never panics"):
//! - every data row is either loaded or reported: for a table without quotes or CR (so rows
//!   are exactly the non-blank lines after the header), `loaded + skipped == rows`, where
//!   skipped counts MalformedRow / MissingId / DuplicateId problems and, after a TooManyRows
//!   problem at row n, the rows from n on (a table-level problem for a header without an id
//!   column or a UTF-16 file counts all its rows); `dropped_count` agrees;
//! - `report.loaded_count(t)` equals the number of records in the directory;
//! - export → re-import gives an equal directory (CSV round trip).
#![no_main]

use libfuzzer_sys::fuzz_target;
use passerelle::{
    hsds::{export_csv_tables, import_tables, Position, ProblemKind},
    Directory, ImportOptions,
};

const TABLES: &[&str] = &[
    "organizations",
    "services",
    "locations",
    "service_at_location",
    "addresses",
    "phones",
    "schedules",
    "languages",
    "service_areas",
    "cost_options",
    "required_documents",
    "accessibility",
    "attributes",
    "taxonomies",
    "taxonomy_terms",
    "eligibility_tables",
    "programs",
    "datapackage.json",
];

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(jiff::civil::date(2025, 6, 1)),
        max_rows: 200,
        max_field_bytes: 4096,
        max_extent_vertices: 500,
        ..ImportOptions::default()
    }
}

fn records(d: &Directory, table: &str) -> Option<usize> {
    Some(match table {
        "organizations" => d.organizations.len(),
        "services" => d.services.len(),
        "locations" => d.locations.len(),
        "service_at_location" => d.service_at_locations.len(),
        "addresses" => d.addresses.len(),
        "phones" => d.phones.len(),
        "schedules" => d.schedules.len(),
        "languages" => d.languages.len(),
        "service_areas" => d.service_areas.len(),
        "cost_options" => d.cost_options.len(),
        "required_documents" => d.required_documents.len(),
        "accessibility" => d.accessibility.len(),
        "attributes" => d.attributes.len(),
        "taxonomies" => d.taxonomies.len(),
        "taxonomy_terms" => d.taxonomy_terms.len(),
        _ => return None,
    })
}

/// The text of a file with a UTF-16 byte-order mark, decoded as the importer documents it.
fn utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes.get(..2)? {
        b"\xFF\xFE" => true,
        b"\xFE\xFF" => false,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

fuzz_target!(|data: &[u8]| {
    let mut input: Vec<(&str, &[u8])> = Vec::new();
    for chunk in data.split(|b| *b == 0) {
        let Some((&sel, bytes)) = chunk.split_first() else {
            continue;
        };
        let name = TABLES[usize::from(sel) % TABLES.len()];
        if input.iter().all(|(n, _)| *n != name) {
            input.push((name, bytes));
        }
    }
    let opts = opts();
    let imported = import_tables(input.iter().copied(), &opts);
    let report = &imported.report;
    let dir = &imported.directory;

    for (name, bytes) in &input {
        if let Some(n) = records(dir, name) {
            assert_eq!(report.loaded_count(name), n, "loaded count of {name}");
        }
        // A UTF-16 file is not read but its rows are counted: count the decoded lines.
        let decoded = utf16(bytes);
        let bytes: &[u8] = decoded.as_deref().map_or(bytes, str::as_bytes);
        if name.ends_with(".json") || bytes.contains(&b'"') || bytes.contains(&b'\r') {
            continue;
        }
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let lines = body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        let rows = lines.saturating_sub(1);
        let mut skipped = 0usize;
        for p in report.problems().iter().filter(|p| p.table == *name) {
            let Position::Row(n) = p.position else {
                // a table without an id column, or a UTF-16 file: one problem for every row
                let whole = matches!(
                    (p.kind, p.field.as_deref()),
                    (ProblemKind::MissingId, Some("id")) | (ProblemKind::InvalidUtf8, None)
                );
                if whole && p.position == Position::Table {
                    skipped += rows;
                }
                continue;
            };
            match p.kind {
                ProblemKind::MalformedRow | ProblemKind::MissingId | ProblemKind::DuplicateId => {
                    skipped += 1
                }
                ProblemKind::TooManyRows => skipped += rows + 1 - n as usize,
                ProblemKind::InvalidValue if *name == "eligibility_tables" => skipped += 1,
                _ => {}
            }
        }
        assert_eq!(
            report.loaded_count(name) + skipped,
            rows,
            "rows of {name} neither loaded nor reported:\n{report}"
        );
        let table = name.strip_suffix(".csv").unwrap_or(name);
        if !report
            .problems()
            .iter()
            .any(|p| p.kind == ProblemKind::TooManyRows && p.table == table)
        {
            assert_eq!(
                report.dropped_count(table),
                skipped,
                "dropped count of {name}\n{report}"
            );
        }
    }

    let files = export_csv_tables(dir);
    let again = import_tables(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &opts);
    assert_eq!(
        &again.directory, dir,
        "CSV export → import changed the directory"
    );
});
