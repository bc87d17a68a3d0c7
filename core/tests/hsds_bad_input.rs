//! Corrupted and unusual inputs, built in code: each problem is reported on the right row,
//! field and record; valid records in the same input still load; nothing aborts.

use jiff::civil::date;
use passerelle::{
    hsds::{
        export_csv_tables, export_json, import_tables, Position, Problem, ProblemKind, Severity,
    },
    import_dir, import_json,
    model::LangCode,
    Directory, ImportError, ImportOptions, Imported,
};

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(date(2025, 6, 1)),
        quality_warnings: false,
        ..ImportOptions::default()
    }
}

fn tables(t: &[(&str, &str)]) -> Imported {
    import_tables(t.iter().map(|(n, b)| (*n, b.as_bytes())), &opts())
}

const ORG: (&str, &str) = ("organizations", "id,name\no1,Org\n");

fn only(i: &Imported, kind: ProblemKind) -> Problem {
    let found: Vec<&Problem> = i.report.of_kind(kind).collect();
    assert_eq!(found.len(), 1, "{kind:?} in {}", i.report);
    found[0].clone()
}

fn assert_problem(
    p: &Problem,
    sev: Severity,
    table: &str,
    row: u64,
    id: Option<&str>,
    field: Option<&str>,
) {
    assert_eq!(p.severity, sev, "{p}");
    assert_eq!(p.table, table, "{p}");
    assert_eq!(p.position, Position::Row(row), "{p}");
    assert_eq!(p.record_id.as_deref(), id, "{p}");
    assert_eq!(p.field.as_deref(), field, "{p}");
}

fn csv_round_trip(d: &Directory) -> Imported {
    let files = export_csv_tables(d);
    import_tables(
        files.iter().map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    )
}

#[test]
fn latitude_out_of_range_is_kept_raw_and_reported_again_after_export() {
    let i = tables(&[(
        "locations",
        "id,name,latitude,longitude\nl1,A,45.4,-75.7\nl2,B,100,101\n",
    )]);
    let p = only(&i, ProblemKind::OutOfRange);
    assert_problem(
        &p,
        Severity::Error,
        "locations",
        2,
        Some("l2"),
        Some("latitude"),
    );
    assert_eq!(i.directory.locations.len(), 2);
    assert!(i.directory.locations[0].point.is_some());
    assert_eq!(i.directory.locations[1].point, None);
    let again = csv_round_trip(&i.directory);
    assert_eq!(again.directory, i.directory);
    assert_eq!(again.report.of_kind(ProblemKind::OutOfRange).count(), 1);
}

#[test]
fn unparsable_schedule_times() {
    let i = tables(&[(
        "schedules",
        "id,freq,byday,opens_at,closes_at\nsc1,WEEKLY,MO,noon,17:00\nsc2,WEEKLY,XX,09:00,17:00\nsc3,YEARLY,MO,09:00,17:00\n",
    )]);
    let s = &i.directory.schedules;
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].opens_at, None);
    assert_eq!(s[0].closes_at, Some(jiff::civil::time(17, 0, 0, 0)));
    assert_eq!(s[0].extra["opens_at"], "noon");
    assert!(s[1].byday.is_empty());
    assert_eq!(s[2].freq, None);
    // no time zone anywhere: one warning for the table, named in the summary line
    assert_eq!(i.report.of_kind(ProblemKind::NoTimeZone).count(), 1);
    assert!(i
        .report
        .to_string()
        .contains("warning(s); no time zone: schedules read in UTC"));
    let problems: Vec<_> = i
        .report
        .problems()
        .iter()
        .filter(|p| p.kind != ProblemKind::NoTimeZone)
        .map(|p| {
            (
                p.record_id.clone().unwrap(),
                p.field.clone().unwrap(),
                p.kind,
            )
        })
        .collect();
    assert_eq!(
        problems,
        vec![
            ("sc1".into(), "opens_at".into(), ProblemKind::InvalidValue),
            ("sc2".into(), "byday".into(), ProblemKind::InvalidValue),
            ("sc3".into(), "freq".into(), ProblemKind::InvalidValue),
        ]
    );
    assert_eq!(csv_round_trip(&i.directory).directory, i.directory);
}

#[test]
fn minimum_age_above_maximum_age_and_wrong_types() {
    let i = tables(&[
        ORG,
        (
            "services",
            "id,organization_id,name,minimum_age,maximum_age\ns1,o1,A,65,18\ns2,o1,B,twelve,\ns3,o1,C,12,17\n",
        ),
    ]);
    let d = &i.directory;
    assert_eq!(d.services.len(), 3);
    assert_eq!(
        (d.services[0].minimum_age, d.services[0].maximum_age),
        (None, None)
    );
    assert_eq!(d.services[0].extra["minimum_age"], "65");
    assert_eq!(d.services[1].minimum_age, None);
    assert_eq!(d.services[1].extra["minimum_age"], "twelve");
    assert_eq!(
        (d.services[2].minimum_age, d.services[2].maximum_age),
        (Some(12.0), Some(17.0))
    );
    let p = only(&i, ProblemKind::Inconsistent);
    assert_problem(
        &p,
        Severity::Error,
        "services",
        1,
        Some("s1"),
        Some("minimum_age"),
    );
    let p = only(&i, ProblemKind::InvalidValue);
    assert_problem(
        &p,
        Severity::Error,
        "services",
        2,
        Some("s2"),
        Some("minimum_age"),
    );
    let again = csv_round_trip(&i.directory);
    assert_eq!(again.directory, i.directory);
    assert_eq!(again.report.problems().len(), 2);
}

#[test]
fn dangling_references() {
    let i = tables(&[
        ORG,
        (
            "services",
            "id,organization_id,name\ns1,o1,A\ns2,o-missing,B\n",
        ),
        ("locations", "id,name\nl1,L\n"),
        (
            "service_at_location",
            "id,service_id,location_id\nx1,s1,l1\nx2,s-missing,l-missing\n",
        ),
        ("phones", "id,service_id,number\np1,s1,555\np2,s-gone,556\n"),
        ("taxonomy_terms", "id,code,name\nt1,food,Food\n"),
        (
            "attributes",
            "id,link_id,taxonomy_term_id,link_entity\na1,s1,t1,service\na2,s1,t-missing,service\n",
        ),
    ]);
    assert_eq!(i.directory.services.len(), 2);
    assert_eq!(i.directory.service_at_locations.len(), 2);
    let found: Vec<(String, u64, String)> = i
        .report
        .of_kind(ProblemKind::DanglingReference)
        .map(|p| {
            let Position::Row(r) = p.position else {
                panic!()
            };
            (p.table.clone(), r, p.field.clone().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("services".into(), 2, "organization_id".into()),
            ("service_at_location".into(), 2, "service_id".into()),
            ("service_at_location".into(), 2, "location_id".into()),
            ("phones".into(), 2, "service_id".into()),
            ("attributes".into(), 2, "taxonomy_term_id".into()),
        ]
    );
    assert_eq!(i.report.problems().len(), 5);
}

#[test]
fn duplicate_and_missing_ids_keep_the_first() {
    let i = tables(&[(
        "organizations",
        "id,name\no1,First\no1,Second\n,No id\no2,Other\n",
    )]);
    let names: Vec<&str> = i
        .directory
        .organizations
        .iter()
        .map(|o| o.name.value.as_str())
        .collect();
    assert_eq!(names, ["First", "Other"]);
    let p = only(&i, ProblemKind::DuplicateId);
    assert_problem(
        &p,
        Severity::Error,
        "organizations",
        2,
        Some("o1"),
        Some("id"),
    );
    assert!(p.message.contains("row 1"), "{p}");
    let p = only(&i, ProblemKind::MissingId);
    assert_problem(&p, Severity::Error, "organizations", 3, None, Some("id"));
    assert_eq!(i.report.loaded_count("organizations"), 2);
}

#[test]
fn non_utf8_row_is_decoded_lossily_and_reported() {
    let bytes: &[u8] = b"id,name\no1,Caf\xE9 Centre\no2,Fine\n";
    let i = import_tables([("organizations.csv", bytes)], &opts());
    assert_eq!(i.directory.organizations.len(), 2);
    assert_eq!(
        i.directory.organizations[0].name.value,
        "Caf\u{FFFD} Centre"
    );
    let p = only(&i, ProblemKind::InvalidUtf8);
    assert_problem(
        &p,
        Severity::Error,
        "organizations",
        1,
        Some("o1"),
        Some("name"),
    );
}

#[test]
fn fifty_megabyte_field_is_reported_not_loaded() {
    let mut bytes = b"id,name,description\no1,Org,\"".to_vec();
    bytes.resize(bytes.len() + 50 * 1024 * 1024, b'x');
    bytes.extend_from_slice(b"\"\no2,Next,short\n");
    let i = import_tables([("organizations.csv", bytes.as_slice())], &opts());
    assert_eq!(i.directory.organizations.len(), 2);
    assert!(i.directory.organizations[0].description.is_empty());
    assert_eq!(i.directory.organizations[1].description.value, "short");
    let p = only(&i, ProblemKind::FieldTooLarge);
    assert_problem(
        &p,
        Severity::Error,
        "organizations",
        1,
        Some("o1"),
        Some("description"),
    );
}

#[test]
fn file_and_row_limits() {
    let small = ImportOptions {
        max_file_bytes: 10,
        ..opts()
    };
    let i = import_tables(
        [(
            "organizations.csv",
            &b"id,name\no1,A long enough file\n"[..],
        )],
        &small,
    );
    assert!(i.directory.organizations.is_empty());
    assert_eq!(only(&i, ProblemKind::FileTooLarge).table, "organizations");
    assert!(matches!(
        import_json(b"{\"services\": []}", &small),
        Err(ImportError::TooLarge {
            size: 16,
            limit: 10,
            ..
        })
    ));
    let few = ImportOptions {
        max_rows: 2,
        ..opts()
    };
    let i = import_tables(
        [(
            "organizations.csv",
            &b"id,name\no1,A\no2,B\no3,C\no4,D\n"[..],
        )],
        &few,
    );
    assert_eq!(i.directory.organizations.len(), 2);
    assert_eq!(
        only(&i, ProblemKind::TooManyRows).position,
        Position::Row(3)
    );
}

#[test]
fn malformed_csv_rows() {
    let i = tables(&[(
        "organizations",
        "id,name,email\no1,A,a@x\no2,B\no3,C,c@x,extra\no4,\"unterminated\n",
    )]);
    assert_eq!(i.directory.organizations.len(), 1);
    let rows: Vec<Position> = i
        .report
        .of_kind(ProblemKind::MalformedRow)
        .map(|p| p.position.clone())
        .collect();
    assert_eq!(rows, [Position::Row(2), Position::Row(3), Position::Row(4)]);
    let i = tables(&[("organizations", "id,name,name\no1,A,B\n")]);
    assert_eq!(i.directory.organizations[0].name.value, "A");
    assert_eq!(
        only(&i, ProblemKind::MalformedHeader).field.as_deref(),
        Some("name")
    );
}

/// A repeated `id` column and a header without any `id` column are told apart by kind: the
/// first is a header problem and the rows load (by the first `id`), the second loses the
/// whole table in one `MissingId` problem at table position.
#[test]
fn repeated_id_column_is_not_a_missing_id_column() {
    let i = tables(&[("organizations", "id,name,id\no1,A,x\no2,B,y\n")]);
    assert_eq!(i.directory.organizations.len(), 2, "{}", i.report);
    let p = only(&i, ProblemKind::MalformedHeader);
    assert_eq!(
        (p.position, p.field.as_deref()),
        (Position::Table, Some("id"))
    );
    assert_eq!(i.report.of_kind(ProblemKind::MissingId).count(), 0);

    let i = tables(&[("organizations", "ident,name\no1,A\no2,B\n")]);
    assert!(i.directory.organizations.is_empty());
    let p = only(&i, ProblemKind::MissingId);
    assert_eq!(
        (p.position, p.field.as_deref()),
        (Position::Table, Some("id"))
    );
    assert!(
        p.message.contains("none of the table's 2 rows"),
        "{}",
        p.message
    );
    assert_eq!(i.report.dropped_count("organizations"), 2);
}

#[test]
fn geojson_extents() {
    let square = r#"{""type"":""Polygon"",""coordinates"":[[[-75.8,45.3],[-75.6,45.3],[-75.6,45.5],[-75.8,45.5],[-75.8,45.3]]]}"#;
    let open = r#"{""type"":""Polygon"",""coordinates"":[[[0,0],[1,0],[1,1],[0,1]]]}"#;
    let nan = r#"{""type"":""Polygon"",""coordinates"":[[[NaN,0],[1,0],[1,1],[0,0]]]}"#;
    let bowtie = r#"{""type"":""Polygon"",""coordinates"":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"#;
    let csv = format!(
        "id,name,extent,extent_type\na1,Ok,\"{square}\",geojson\na2,Open,\"{open}\",geojson\na3,NaN,\"{nan}\",geojson\na4,Bowtie,\"{bowtie}\",geojson\na5,Text,Ottawa,text\n"
    );
    let i = tables(&[("service_areas", &csv)]);
    let a = &i.directory.service_areas;
    assert_eq!(a.len(), 5);
    assert!(a[0].extent.is_some());
    assert!(a[1].extent.is_none() && a[2].extent.is_none());
    assert!(
        a[3].extent.is_some(),
        "self-intersecting extents are kept with a warning"
    );
    assert_eq!(a[4].extra["extent"], "Ottawa");
    let found: Vec<(Severity, String)> = i
        .report
        .of_kind(ProblemKind::InvalidGeometry)
        .map(|p| (p.severity, p.record_id.clone().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (Severity::Error, "a2".into()),
            (Severity::Error, "a3".into()),
            (Severity::Warning, "a4".into())
        ]
    );
    assert_eq!(csv_round_trip(&i.directory).directory, i.directory);
    // the vertex limit bounds huge polygons
    let few = ImportOptions {
        max_extent_vertices: 4,
        ..opts()
    };
    let csv = format!("id,name,extent,extent_type\na1,Ok,\"{square}\",geojson\n");
    let i = import_tables([("service_areas", csv.as_bytes())], &few);
    assert!(i.directory.service_areas[0].extent.is_none());
    assert!(only(&i, ProblemKind::InvalidGeometry)
        .message
        .contains("max_extent_vertices"));
}

#[test]
fn invalid_language_codes() {
    let i = tables(&[
        ORG,
        (
            "services",
            "id,organization_id,name,name@fr,name@french\ns1,o1,Food,Nourriture,Bouffe\n",
        ),
        (
            "languages",
            "id,service_id,name,code\nla1,s1,French,fr\nla2,s1,English,English\n",
        ),
    ]);
    let d = &i.directory;
    assert_eq!(d.services[0].name.get(&LangCode::fr()), "Nourriture");
    assert_eq!(d.services[0].extra["name@french"], "Bouffe");
    assert_eq!(d.languages[0].code, Some(LangCode::fr()));
    assert_eq!(d.languages[1].code, None);
    assert_eq!(d.languages[1].extra["code"], "English");
    let found: Vec<(String, String)> = i
        .report
        .of_kind(ProblemKind::InvalidLanguageCode)
        .map(|p| (p.table.clone(), p.field.clone().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            ("services".into(), "name@french".into()),
            ("languages".into(), "code".into())
        ]
    );
    let again = csv_round_trip(d);
    assert_eq!(&again.directory, d);
    let json = import_json(&export_json(d), &opts()).unwrap();
    assert_eq!(&json.directory, d);
}

#[test]
fn deep_json_nesting_is_a_typed_error() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(
        import_json(deep.as_bytes(), &opts()),
        Err(ImportError::TooDeep { .. })
    ));
    // in newline-delimited JSON only the deep line is skipped
    let ndjson = format!(
        "{{\"id\":\"o1\",\"name\":\"A\",\"website\":\"x\"}}\n{{\"id\":\"o2\",\"x\":{}{}}}\n{{\"id\":\"o3\",\"name\":\"C\",\"website\":\"y\"}}\n",
        "[".repeat(500),
        "]".repeat(500)
    );
    let i = import_json(ndjson.as_bytes(), &opts()).unwrap();
    assert_eq!(i.directory.organizations.len(), 2);
    let p = only(&i, ProblemKind::TooDeep);
    assert_eq!(
        p.position,
        Position::Json {
            line: Some(2),
            pointer: String::new()
        }
    );
}

#[test]
fn whole_input_failures_are_typed_errors() {
    let e = import_json(b"this is not json", &opts()).unwrap_err();
    assert!(
        matches!(&e, ImportError::Json { file, .. } if file == "json"),
        "{e}"
    );
    let e = import_dir("/nonexistent/passerelle-folder", &opts()).unwrap_err();
    assert!(matches!(e, ImportError::Io { .. }));
    let e = passerelle::import_path("/nonexistent/services.json", &opts()).unwrap_err();
    assert!(matches!(e, ImportError::Io { .. }));
}

#[test]
fn ndjson_bad_line_is_reported_and_others_load() {
    let input = b"{\"id\":\"s1\",\"name\":\"A\",\"organization\":{\"id\":\"o1\",\"name\":\"Org\"}}\n{\"id\":\"s2\",\n{\"id\":\"s3\",\"name\":\"C\",\"organization_id\":\"o1\"}\n";
    let i = import_json(input, &opts()).unwrap();
    let ids: Vec<&str> = i.directory.services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["s1", "s3"]);
    assert_eq!(i.directory.services[0].organization_id, "o1");
    let p = only(&i, ProblemKind::InvalidJson);
    assert_eq!(
        p.position,
        Position::Json {
            line: Some(2),
            pointer: String::new()
        }
    );
}

#[test]
fn json_duplicates_merge_when_identical_and_report_conflicts() {
    let input = br#"{"services": [
        {"id": "s1", "name": "A", "organization": {"id": "o1", "name": "Org"}},
        {"id": "s2", "name": "B", "organization": {"id": "o1", "name": "Org"}},
        {"id": "s3", "name": "C", "organization": {"id": "o1", "name": "Other name"}}
    ]}"#;
    let i = import_json(input, &opts()).unwrap();
    assert_eq!(i.directory.organizations.len(), 1);
    assert_eq!(i.directory.organizations[0].name.value, "Org");
    assert_eq!(i.directory.services.len(), 3);
    assert!(i
        .directory
        .services
        .iter()
        .all(|s| s.organization_id == "o1"));
    let p = only(&i, ProblemKind::ConflictingDuplicate);
    assert_eq!(p.table, "organizations");
    assert_eq!(p.field.as_deref(), Some("name"));
    assert_eq!(
        p.position,
        Position::Json {
            line: None,
            pointer: "/services/2/organization".into()
        }
    );
}

#[test]
fn quality_warnings() {
    let o = ImportOptions {
        quality_warnings: true,
        stale_after_months: 12,
        ..opts()
    };
    let t = [
        ORG,
        (
            "services",
            "id,organization_id,name,assured_date\ns1,o1,Fresh,2025-01-01\ns2,o1,Old,2023-01-01\ns3,o1,Nowhere,\n",
        ),
        ("locations", "id,name,location_type,latitude,longitude\nl1,Here,physical,45.4,-75.7\nl2,NoCoords,physical,,\nl3,Web,virtual,,\n"),
        ("service_at_location", "id,service_id,location_id\nx1,s1,l1\nx2,s2,l2\n"),
        ("languages", "id,service_id,location_id,code\nla1,s1,,en\nla2,,l2,fr\n"),
        ("schedules", "id,service_id,freq,byday,description\nsc1,s1,WEEKLY,MO,By appointment\n"),
    ];
    let i = import_tables(t.iter().map(|(n, b)| (*n, b.as_bytes())), &o);
    let found: Vec<(ProblemKind, String)> = i
        .report
        .warnings()
        .map(|p| (p.kind, p.record_id.clone().unwrap()))
        .collect();
    assert_eq!(
        found,
        [
            (ProblemKind::MissingCoordinates, "l2".into()),
            (ProblemKind::Stale, "s2".into()),
            (ProblemKind::Unreachable, "s3".into()),
            (ProblemKind::NoLanguage, "s3".into()),
            (ProblemKind::NoTimes, "sc1".into()),
        ]
    );
    assert!(i.report.is_clean());
}

#[test]
fn metadata_translations_and_eligibility_tables_round_trip() {
    let t = [
        ("datapackage.json", r#"{"name": "x", "passerelle": {"name": "Ottawa sample", "default_language": "en", "languages": ["en", "fr"], "timezone": "America/Toronto", "fictional": true, "notice": "FICTIONAL", "curator": "passerelle"}}"#),
        ORG,
        ("services", "id,organization_id,name,name@fr,eligibility_rule\ns1,o1,Food bank,Banque alimentaire,age >= 18\n"),
        ("eligibility_tables", "table,key,value\nlico,1,30000\nlico,2,37000\nlico,three,1\n"),
    ];
    let i = import_tables(t.iter().map(|(n, b)| (*n, b.as_bytes())), &opts());
    let d = &i.directory;
    assert_eq!(d.meta.name, "Ottawa sample");
    assert_eq!(d.meta.languages, [LangCode::en(), LangCode::fr()]);
    assert_eq!(d.meta.timezone.as_deref(), Some("America/Toronto"));
    assert!(d.meta.fictional);
    assert_eq!(d.meta.extra["curator"], "passerelle");
    assert_eq!(d.services[0].eligibility_rule.as_deref(), Some("age >= 18"));
    assert_eq!(
        d.eligibility_tables["lico"],
        [(1.0, 30000.0), (2.0, 37000.0)]
    );
    let p = only(&i, ProblemKind::InvalidValue);
    assert_problem(
        &p,
        Severity::Error,
        "eligibility_tables",
        3,
        None,
        Some("key"),
    );
    assert_eq!(&csv_round_trip(d).directory, d);
    assert_eq!(&import_json(&export_json(d), &opts()).unwrap().directory, d);
}

#[test]
fn unknown_columns_survive_both_forms() {
    let i = tables(&[
        ORG,
        (
            "services",
            "id,organization_id,name,partner_code,notes\ns1,o1,A,X-17,keep me\n",
        ),
    ]);
    let d = &i.directory;
    assert_eq!(d.services[0].extra["partner_code"], "X-17");
    let files = export_csv_tables(d);
    let services = String::from_utf8(
        files
            .iter()
            .find(|(n, _)| n == "services.csv")
            .unwrap()
            .1
            .clone(),
    )
    .unwrap();
    assert!(
        services
            .lines()
            .next()
            .unwrap()
            .ends_with(",eligibility_rule,notes,partner_code"),
        "{services}"
    );
    let json = import_json(&export_json(d), &opts()).unwrap();
    assert_eq!(&json.directory, d);
    assert_eq!(&csv_round_trip(&json.directory).directory, d);
}
