//! Import, validation and round trips on real HSDS data: the HSDS 3.1 specification examples
//! (CSV and JSON) and the Ohana API San Mateo County directory converted to HSDS 3.1.

use std::path::PathBuf;

use jiff::civil::date;
use passerelle::{
    hsds::{export_csv_tables, export_json, import_tables, Position, ProblemKind, Severity},
    import_dir, import_json, import_path, Directory, ImportOptions, Imported,
};

fn data(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/hsds")
        .join(rel)
}

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(date(2025, 6, 1)),
        ..ImportOptions::default()
    }
}

fn via_csv(dir: &Directory) -> Imported {
    let files = export_csv_tables(dir);
    import_tables(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    )
}

fn via_json(dir: &Directory) -> Imported {
    import_json(&export_json(dir), &opts()).unwrap()
}

/// (severity, kind, table, field, record id) of a problem, for exact comparisons.
type Summary = (
    Severity,
    ProblemKind,
    String,
    Option<String>,
    Option<String>,
);

fn problems(i: &Imported) -> Vec<Summary> {
    i.report
        .problems()
        .iter()
        .map(|p| {
            (
                p.severity,
                p.kind,
                p.table.clone(),
                p.field.clone(),
                p.record_id.clone(),
            )
        })
        .collect()
}

const SPEC_LOCATION: &str = "3a19ff88-4620-4d17-9830-ac1d859eb5d5";
const SPEC_SERVICE: &str = "ac148810-d857-441c-9679-408f346de14b";

#[test]
fn spec_csv_counts_and_problems() {
    let i = import_dir(data("hsds3-spec-examples/csv"), &opts()).unwrap();
    let d = &i.directory;
    assert_eq!(d.organizations.len(), 1);
    assert_eq!(d.services.len(), 1);
    assert_eq!(d.locations.len(), 1);
    assert_eq!(d.service_at_locations.len(), 1);
    assert_eq!(d.phones.len(), 1);
    assert_eq!(d.schedules.len(), 1);
    assert_eq!(d.taxonomy_terms.len(), 1);
    for t in [
        "contacts",
        "funding",
        "programs",
        "metadata",
        "organization_identifiers",
        "meta_table_descriptions",
        "service_capacity",
        "units",
        "url",
    ] {
        assert_eq!(d.other_tables[t].len(), 1, "{t}");
    }
    // latitude 100 is reported on the exact row, field and record, and kept for export
    let lat = i
        .report
        .of_kind(ProblemKind::OutOfRange)
        .collect::<Vec<_>>();
    assert_eq!(lat.len(), 1);
    assert_eq!(lat[0].table, "locations");
    assert_eq!(lat[0].source, "locations.csv");
    assert_eq!(lat[0].position, Position::Row(1));
    assert_eq!(lat[0].field.as_deref(), Some("latitude"));
    assert_eq!(lat[0].record_id.as_deref(), Some(SPEC_LOCATION));
    assert_eq!(lat[0].severity, Severity::Error);
    assert_eq!(d.locations[0].point, None);
    assert_eq!(d.locations[0].extra["latitude"], "100");
    assert_eq!(d.locations[0].extra["external_identifier"], "10092008082");

    let s = &d.services[0];
    assert_eq!(s.minimum_age, Some(12.0));
    assert_eq!(s.maximum_age, Some(100.0));
    let sched = &d.schedules[0];
    assert_eq!(sched.timezone, Some(3.0));
    assert_eq!(sched.bymonthday, vec![2, 3, 4]);
    assert_eq!(sched.byday.len(), 2);
    assert_eq!(sched.extra["wkst"], "TU");

    use ProblemKind as K;
    use Severity::{Error as E, Warning as W};
    let sid = |s: &str| Some(s.to_owned());
    let f = |s: &str| Some(s.to_owned());
    assert_eq!(
        problems(&i),
        vec![
            (W, K::InvalidJson, "datapackage".into(), None, None),
            (
                E,
                K::OutOfRange,
                "locations".into(),
                f("latitude"),
                sid(SPEC_LOCATION)
            ),
            (
                E,
                K::InvalidGeometry,
                "service_areas".into(),
                f("extent"),
                sid("381c64f1-a724-4884-9c21-ac96c21cca3e")
            ),
            (W, K::Unknown, "field-guidance-schedules".into(), None, None),
            (
                E,
                K::DanglingReference,
                "organizations".into(),
                f("parent_organization_id"),
                sid("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
            ),
            (
                E,
                K::DanglingReference,
                "locations".into(),
                f("organization_id"),
                sid(SPEC_LOCATION)
            ),
            (
                E,
                K::DanglingReference,
                "service_areas".into(),
                f("service_at_location_id"),
                sid("381c64f1-a724-4884-9c21-ac96c21cca3e")
            ),
            (
                E,
                K::DanglingReference,
                "attributes".into(),
                f("link_id"),
                sid("ae58cc39-8b70-4ab1-8aea-786882e5ac8e")
            ),
            (
                E,
                K::DanglingReference,
                "taxonomy_terms".into(),
                f("parent_id"),
                sid("3f7b145d-84af-42d7-8fae-eaca714b02b2")
            ),
            (
                E,
                K::DanglingReference,
                "taxonomy_terms".into(),
                f("taxonomy_id"),
                sid("3f7b145d-84af-42d7-8fae-eaca714b02b2")
            ),
            // staleness is judged on the freshest date: last_modified, newer than
            // assured_date, is still older than 18 months
            (
                W,
                K::Stale,
                "services".into(),
                f("last_modified"),
                sid(SPEC_SERVICE)
            ),
        ]
    );
}

#[test]
fn spec_csv_round_trips_and_keeps_invalid_values() {
    let first = import_dir(data("hsds3-spec-examples/csv"), &opts()).unwrap();
    let files = export_csv_tables(&first.directory);
    let locations = &files.iter().find(|(n, _)| n == "locations.csv").unwrap().1;
    let text = String::from_utf8(locations.clone()).unwrap();
    assert!(text.starts_with("id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,longitude,external_identifier,external_identifier_type\n"));
    assert!(text.contains(",100,101,10092008082,UPRN"), "{text}");
    let again = via_csv(&first.directory);
    assert_eq!(again.directory, first.directory);
    // the latitude is reported again
    assert_eq!(again.report.of_kind(ProblemKind::OutOfRange).count(), 1);
    // CSV -> JSON -> CSV
    let json = via_json(&first.directory);
    assert_eq!(json.directory, first.directory);
    assert_eq!(via_csv(&json.directory).directory, first.directory);
}

#[test]
fn spec_field_guidance_schedules() {
    let bytes =
        std::fs::read(data("hsds3-spec-examples/csv/field-guidance-schedules.csv")).unwrap();
    let i = import_tables([("schedules.csv", bytes.as_slice())], &opts());
    let s = &i.directory.schedules;
    assert_eq!(s.len(), 3);
    assert_eq!(s[2].byday[0].ordinal, Some(1));
    assert_eq!(s[2].byday[0].weekday, jiff::civil::Weekday::Saturday);
    assert_eq!(s[2].dtstart, Some(date(2020, 7, 4)));
    assert_eq!(s[2].until, Some(date(2020, 11, 7)));
    assert_eq!(s[2].valid_from, None); // literal "null"
    assert_eq!(s[0].until, None);
    assert_eq!(s[0].opens_at, Some(jiff::civil::time(9, 0, 0, 0)));
    // 6 times with a trailing Z: read as local time, warned, raw kept for export
    assert_eq!(i.report.of_kind(ProblemKind::Normalized).count(), 6);
    assert_eq!(s[0].extra["opens_at"], "09:00:00Z");
    assert_eq!(via_csv(&i.directory).directory, i.directory);
}

#[test]
fn spec_json_files_import_and_round_trip() {
    for file in [
        "service_full.json",
        "service_list.json",
        "organization_full.json",
        "organization_list.json",
        "service_at_location_full.json",
        "service_at_location_list.json",
        "location.json",
        "taxonomy.json",
        "taxonomy_list.json",
        "taxonomy_term.json",
        "taxonomy_term_list.json",
        "field-guidance-schedules-services.json",
        "field-guidance-attributes-service.json",
        "tabular.json",
    ] {
        let i = import_path(data(&format!("hsds3-spec-examples/json/{file}")), &opts())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            i.report.of_kind(ProblemKind::ConflictingDuplicate).count() == 0,
            "{file}: {}",
            i.report
        );
        let again = via_json(&i.directory);
        assert_eq!(again.directory, i.directory, "{file}: JSON round trip");
        let csv = via_csv(&i.directory);
        assert_eq!(
            via_json(&csv.directory).directory,
            csv.directory,
            "{file}: CSV->JSON"
        );
    }
}

#[test]
fn spec_service_full_json_matches_csv() {
    let i = import_path(data("hsds3-spec-examples/json/service_full.json"), &opts()).unwrap();
    let d = &i.directory;
    assert_eq!(d.services.len(), 1);
    assert_eq!(d.organizations.len(), 1);
    assert_eq!(d.locations.len(), 1);
    assert_eq!(d.phones.len(), 1);
    assert_eq!(d.languages.len(), 1);
    // the phone is nested under the service, the location, the organization, the
    // service_at_location and the contact: merged into one row with every owner
    let p = &d.phones[0];
    assert_eq!(p.service_id.as_deref(), Some(SPEC_SERVICE));
    assert_eq!(p.location_id.as_deref(), Some(SPEC_LOCATION));
    assert_eq!(
        p.contact_id.as_deref(),
        Some("1e7efce3-639b-4880-940c-b95cd30cdb50")
    );
    assert_eq!(
        p.service_at_location_id.as_deref(),
        Some("e94c9f38-1e8f-4564-91d4-d53501ab1765")
    );
    assert_eq!(
        p.organization_id.as_deref(),
        Some("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    );
    assert_eq!(
        d.services[0].organization_id,
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    );
    assert_eq!(d.attributes[0].link_id, SPEC_SERVICE);
    assert_eq!(
        d.attributes[0].taxonomy_term_id,
        "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    );
    let lat = i.report.of_kind(ProblemKind::OutOfRange).next().unwrap();
    assert_eq!(lat.record_id.as_deref(), Some(SPEC_LOCATION));
    assert!(
        matches!(&lat.position, Position::Json { line: None, pointer } if pointer.ends_with("locations/0") || pointer.ends_with("/location"))
    );
}

#[test]
fn ohana_san_mateo_counts_and_problems() {
    let i = import_dir(data("ohana-smc-hsds3"), &opts()).unwrap();
    let d = &i.directory;
    assert_eq!(d.organizations.len(), 8);
    assert_eq!(d.services.len(), 23);
    assert_eq!(d.locations.len(), 22);
    assert_eq!(d.locations.iter().filter(|l| l.point.is_some()).count(), 21);
    assert_eq!(d.service_at_locations.len(), 23);
    assert_eq!(d.phones.len(), 54);
    assert_eq!(d.schedules.len(), 11);
    assert_eq!(d.languages.len(), 32);
    assert_eq!(d.service_areas.len(), 32);
    assert_eq!(d.taxonomy_terms.len(), 290);
    assert_eq!(d.addresses.len(), 42);
    assert_eq!(d.accessibility.len(), 41);
    assert_eq!(d.attributes.len(), 6);
    assert_eq!(i.report.loaded_count("services"), 23);
    assert!(i.report.is_clean(), "{}", i.report);
    // the location without coordinates is virtual: no missing-coordinates warning
    assert_eq!(i.report.of_kind(ProblemKind::MissingCoordinates).count(), 0);
    let no_coords = d.locations.iter().find(|l| l.point.is_none()).unwrap();
    assert_eq!(
        no_coords.location_type,
        passerelle::model::LocationType::Virtual
    );

    use ProblemKind as K;
    let w = Severity::Warning;
    let f = |s: &str| Some(s.to_owned());
    let sid = |s: &str| Some(s.to_owned());
    let mut expected = vec![
        (
            w,
            K::Normalized,
            "schedules".to_owned(),
            f("closes_at"),
            sid("8dacd2c5-8cac-5e44-97c8-4a1b8a9f9fbc"),
        ),
        (
            w,
            K::Normalized,
            "schedules".to_owned(),
            f("closes_at"),
            sid("71a79481-ef02-55ec-9d44-57430b1cd88c"),
        ),
        (
            w,
            K::Normalized,
            "schedules".to_owned(),
            f("opens_at"),
            sid("f942a65c-074c-54b9-8d5f-6195835b55a7"),
        ),
        (
            w,
            K::Inconsistent,
            "schedules".to_owned(),
            f("closes_at"),
            sid("f942a65c-074c-54b9-8d5f-6195835b55a7"),
        ),
    ];
    // Ohana's accessibility code `cd` (information on CD) names no feature passerelle knows.
    expected.push((
        w,
        K::Unknown,
        "accessibility".to_owned(),
        f("description"),
        sid("14647575-4439-56ce-8556-751b435da5a0"),
    ));
    // No time zone in the data package nor in the schedule rows: read in UTC, and said so.
    expected.push((
        w,
        K::NoTimeZone,
        "schedules".to_owned(),
        f("timezone"),
        None,
    ));
    for s in [
        "5a3a004d-3d11-5437-890f-7f588aedf28c",
        "88d58570-1be4-54ca-90d8-d347ccfdcce5",
        "28280fce-e2ed-5025-8c99-46fb912a94aa",
        "e598119b-d47a-56e5-985a-ed4098d871c6",
        "5807d40d-6585-5e78-95bd-608f168e1d5e",
        "b1675be6-a495-533a-97f3-909db0b81b89",
    ] {
        expected.push((w, K::NoLanguage, "services".to_owned(), None, sid(s)));
    }
    assert_eq!(problems(&i), expected);
    let pm = d
        .schedules
        .iter()
        .find(|s| s.id.starts_with("8dacd2c5"))
        .unwrap();
    assert_eq!(pm.closes_at, Some(jiff::civil::time(16, 0, 0, 0)));
}

#[test]
fn ohana_round_trips_through_both_forms() {
    let first = import_dir(data("ohana-smc-hsds3"), &opts()).unwrap();
    let csv = via_csv(&first.directory);
    assert_eq!(csv.directory, first.directory);
    for (a, b) in csv.report.problems().iter().zip(first.report.problems()) {
        assert_eq!(a, b);
    }
    assert_eq!(csv.report.problems().len(), first.report.problems().len());
    let json = via_json(&first.directory);
    assert_eq!(json.directory, first.directory);
    assert_eq!(via_csv(&json.directory).directory, first.directory);
    assert_eq!(json.report.problems().len(), first.report.problems().len());
}

#[test]
fn export_to_a_folder_and_back() {
    let first = import_dir(data("ohana-smc-hsds3"), &opts()).unwrap();
    let out = std::env::temp_dir().join(format!("passerelle-hsds-export-{}", std::process::id()));
    passerelle::hsds::export_csv_dir(&first.directory, &out).unwrap();
    let again = import_dir(&out, &opts()).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(again.directory, first.directory);
}
