//! The `passerelle` tool, run in process (`run`) and as a binary (exit codes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::Command;

use passerelle_cli::{run, CliError};
use serde_json::Value;

/// Wednesday 2026-11-18 15:00 in Ottawa.
const AT: &str = "2026-11-18T15:00:00-05:00";

fn tool(args: &[&str]) -> Result<String, CliError> {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let mut out = Vec::new();
    run(&args, &mut out)?;
    Ok(String::from_utf8(out).unwrap())
}

fn data(dir: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/data/hsds")
        .join(dir)
        .to_string_lossy()
        .into_owned()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("passerelle-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn demo_output_is_compact_and_matches_its_snapshot() {
    for (lang, name) in [("en", "demo_en"), ("fr", "demo_fr")] {
        let text = tool(&["demo", "--at", AT, "--lang", lang]).unwrap();
        let notice = if lang == "fr" {
            "DONNÉES FICTIVES"
        } else {
            "FICTIONAL DATA"
        };
        assert!(text.starts_with(notice), "{text}");
        assert!(text.contains("0 error(s)"));
        // One block per situation, each at most 25 lines.
        let blocks: Vec<&str> = text.split("\n\n").skip(1).collect();
        assert_eq!(blocks.len(), 6, "{text}");
        for b in &blocks {
            assert!(b.lines().count() <= 25, "{b}");
        }
        insta::assert_snapshot!(name, text);
    }
    // No command is the demo.
    assert_eq!(
        tool(&["--at", AT]).unwrap(),
        tool(&["demo", "--at", AT]).unwrap()
    );
}

#[test]
fn search_runs_a_command_line_query() {
    let text = tool(&[
        "search",
        "--at",
        AT,
        "--need",
        "banque alimentaire",
        "--lat",
        "45.4396",
        "--lon",
        "-75.6641",
        "--radius-km",
        "3",
        "--fact",
        "age=70",
        "--fact",
        "benefits=oas,gis",
        "--limit",
        "2",
        "--lang",
        "fr",
    ])
    .unwrap();
    assert!(text.contains("  1. "), "{text}");
    assert!(!text.contains("  3. "), "{text}");
    let json = tool(&["search", "--at", AT, "--need", "food bank", "--json"]).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    assert!(v[0]["results"]["needs"][0]["total"].as_u64().unwrap() > 0);
}

#[test]
fn search_on_a_real_directory() {
    let json = tool(&[
        "search",
        &data("ohana-smc-hsds3"),
        "--need",
        "food",
        "--lat",
        "37.4852",
        "--lon",
        "-122.2364",
        "--json",
    ])
    .unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    let matches = v[0]["results"]["needs"][0]["matches"].as_array().unwrap();
    assert!(!matches.is_empty(), "{json}");
}

#[test]
fn bad_input_is_a_usage_error() {
    for args in [
        &["demo", "--lang", "de"][..],
        &["search", "--limit", "0"],
        &["search", "--limit"],
        &["search", "--lat", "45"],
        &["search", "--lat", "95", "--lon", "0", "--need", "food"],
        &["search", "--fact", "age"],
        &["search", "--fact", "aeg=3", "--need", "food"],
        &["search", "--fact", "age=old", "--need", "food"],
        &["search", "--fact", "province=Ontario", "--need", "food"],
        &["search", "--delivery", "teleport"],
        &["search", "--term", "Not\na code", "--need", "food"],
        &["search", "--at", "yesterday"],
        &["search", "--frobnicate"],
        &["search", "--need", ""],
        &["search"],
        &["frobnicate"],
        &["validate"],
        &["export", "x"],
        &["gaps"],
    ] {
        match tool(args) {
            Err(CliError::Usage(m)) => assert!(!m.is_empty()),
            other => panic!("{args:?}: {other:?}"),
        }
    }
    match tool(&["search", "/nonexistent/passerelle", "--need", "food"]) {
        Err(CliError::Failed(m)) => assert!(m.contains("/nonexistent")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fact_errors_never_echo_the_value() {
    match tool(&["search", "--need", "food", "--fact", "age=98765-secret"]) {
        Err(CliError::Usage(m)) => assert!(!m.contains("98765"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn validate_reports_a_clean_directory_and_its_counts() {
    let json = tool(&["validate", &data("ohana-smc-hsds3"), "--json"]);
    let text = match json {
        Ok(t) => t,
        Err(e) => panic!("{e:?}"),
    };
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["errors"], 0, "{text}");
    assert!(v["loaded"]["services"].as_u64().unwrap() > 0);
}

#[test]
fn validate_flags_errors_with_record_and_field() {
    let dir = temp_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("services.csv"),
        "id,organization_id,name,status\ns1,o1,Food bank,active\ns2,o1,Meals,not-a-status\n",
    )
    .unwrap();
    std::fs::write(dir.join("organizations.csv"), "id,name\no1,Org\n").unwrap();
    let mut out = Vec::new();
    let args = vec![
        "validate".to_owned(),
        dir.to_string_lossy().into_owned(),
        "--json".to_owned(),
    ];
    assert!(matches!(run(&args, &mut out), Err(CliError::Invalid)));
    let v: Value = serde_json::from_slice(&out).unwrap();
    let problems = v["problems"].as_array().unwrap();
    let bad = problems
        .iter()
        .find(|p| p["severity"] == "error")
        .expect("an error");
    assert_eq!(bad["record_id"], "s2");
    assert_eq!(bad["field"], "status");
    // The row with a bad field still loads, without that field.
    assert_eq!(v["loaded"]["services"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn export_and_subset_round_trip() {
    let out_dir = temp_dir("export");
    let text = tool(&[
        "export",
        &data("ohana-smc-hsds3"),
        "--out",
        out_dir.to_str().unwrap(),
    ])
    .unwrap();
    assert!(text.contains("23 services"), "{text}");
    let again = tool(&["validate", out_dir.to_str().unwrap(), "--json"]).unwrap_or_else(|e| {
        panic!("{e:?}");
    });
    let v: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(v["loaded"]["services"], 23);

    let subset = temp_dir("subset.json");
    let text = tool(&[
        "subset",
        "--need",
        "food",
        "--lat",
        "45.4292",
        "--lon",
        "-75.6920",
        "--radius-km",
        "30",
        "--at",
        AT,
        "--format",
        "json",
        "--out",
        subset.to_str().unwrap(),
    ])
    .unwrap();
    assert!(text.starts_with("wrote "), "{text}");
    let doc: Value = serde_json::from_slice(&std::fs::read(&subset).unwrap()).unwrap();
    let n = doc["services"].as_array().map_or(0, Vec::len);
    // Every match, not one page of five: the distinct services of an unpaged search.
    let search = tool(&[
        "search",
        "--need",
        "food",
        "--lat",
        "45.4292",
        "--lon",
        "-75.6920",
        "--radius-km",
        "30",
        "--at",
        AT,
        "--limit",
        "100",
        "--json",
    ])
    .unwrap();
    let v: Value = serde_json::from_str(&search).unwrap();
    let services: std::collections::BTreeSet<&str> = v[0]["results"]["needs"][0]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["service_id"].as_str().unwrap())
        .collect();
    assert!(services.len() > 5, "{services:?}");
    assert_eq!(n, services.len());
    let _ = std::fs::remove_dir_all(&out_dir);
    let _ = std::fs::remove_file(&subset);
}

#[test]
fn snapshot_writes_a_file_the_library_opens() {
    let path = temp_dir("smc.psnap");
    let text = tool(&[
        "snapshot",
        &data("ohana-smc-hsds3"),
        "--out",
        path.to_str().unwrap(),
    ])
    .unwrap();
    assert!(text.contains("23 services"), "{text}");
    let (nav, _) =
        passerelle::Navigator::open_snapshot(&path, passerelle::NavigatorOptions::default())
            .unwrap();
    assert_eq!(nav.directory().services.len(), 23);
    // search opens it as it opens the folder, with the same answers.
    let ask = |dir: &str| {
        tool(&[
            "search",
            dir,
            "--need",
            "food",
            "--lat",
            "37.4852",
            "--lon",
            "-122.2364",
            "--at",
            AT,
            "--json",
        ])
        .unwrap()
    };
    assert_eq!(ask(path.to_str().unwrap()), ask(&data("ohana-smc-hsds3")));
    let _ = std::fs::remove_file(&path);
}

#[test]
fn the_binary_uses_exit_codes() {
    let bin = env!("CARGO_BIN_EXE_passerelle");
    let ok = Command::new(bin)
        .args(["validate", &data("ohana-smc-hsds3")])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let usage = Command::new(bin).arg("--frobnicate").output().unwrap();
    assert_eq!(usage.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&usage.stderr).contains("usage: passerelle"));
    let missing = Command::new(bin)
        .args(["validate", "/nonexistent/passerelle"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    // A directory that loads but whose report has errors: the report on stdout, exit 1.
    let dir = temp_dir("bin-invalid");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("services.csv"),
        "id,organization_id,name,status\ns1,o1,Food bank,active\ns2,o1,Meals,not-a-status\n",
    )
    .unwrap();
    std::fs::write(dir.join("organizations.csv"), "id,name\no1,Org\n").unwrap();
    let invalid = Command::new(bin)
        .args(["validate", &dir.to_string_lossy()])
        .output()
        .unwrap();
    assert_eq!(invalid.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&invalid.stdout).contains("status"));
    let version = Command::new(bin).arg("--version").output().unwrap();
    assert!(version.status.success());
}

#[test]
fn search_prints_core_rows_as_csv_and_core_json() {
    let args = [
        "search",
        &data("smc-ohana-full"),
        "--need",
        "food pantry",
        "--lat",
        "37.5630",
        "--lon",
        "-122.3255",
        "--at",
        "2026-11-18T12:00:00-08:00",
        "--limit",
        "4",
    ];
    let csv = tool(&[&args[..], &["--format", "csv"]].concat()).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "need_id,{}",
            passerelle::matching::ResultRow::COLUMNS.join(",")
        )
    );
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty() && rows.len() <= 4, "{csv}");
    assert!(
        csv.lines().next().unwrap().ends_with(",crisis,reason"),
        "{csv}"
    );
    // The same search as JSON: the rows are its matches, in rank order.
    let json = tool(&[&args[..], &["--json"]].concat()).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    let matches = v[0]["results"]["needs"][0]["matches"].as_array().unwrap();
    assert_eq!(matches.len(), rows.len());
    for (row, m) in rows.iter().zip(matches) {
        assert!(row.starts_with("query,0,"), "{row}");
        let rank = m["rank"].as_u64().unwrap().to_string();
        let id = m["service_id"].as_str().unwrap();
        assert!(
            row.starts_with(&format!("query,0,{rank},{id},")),
            "{row} vs {rank} {id}"
        );
    }
    match tool(&[&args[..], &["--format", "geojson"]].concat()) {
        Err(CliError::Usage(m)) => assert!(m.contains("csv"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn gaps_maps_unmet_needs_of_the_sample_and_suppresses_small_cells() {
    use passerelle::model::TermCode;
    use passerelle::referrals::{unmet_needs_to_csv, AreaKey, UnmetNeed, UnmetReason};
    let record = |area: &str| UnmetNeed {
        need: TermCode::new("food.bank").unwrap(),
        population: None,
        area: AreaKey::named(area).unwrap(),
        date: jiff::civil::date(2026, 11, 18),
        reason: UnmetReason::NoneWithinReach,
    };
    // Vanier: 12 records, shown; Kinburn: 2 records, under the 5-record floor.
    let records: Vec<UnmetNeed> = std::iter::repeat_n(record("Vanier"), 12)
        .chain(std::iter::repeat_n(record("Kinburn"), 2))
        .collect();
    let path = temp_dir("unmet.csv");
    std::fs::write(&path, unmet_needs_to_csv(&records).unwrap()).unwrap();
    let csv = tool(&["gaps", "--unmet", path.to_str().unwrap()]).unwrap();
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("area,need,population,demand"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with("area:Vanier,food.bank,,12,"), "{csv}");
    assert!(!csv.contains("Kinburn"), "{csv}");
    // --min-records lowers the floor.
    let all = tool(&[
        "gaps",
        "--unmet",
        path.to_str().unwrap(),
        "--min-records",
        "2",
    ])
    .unwrap();
    assert!(all.contains("area:Kinburn,food.bank,,2,"), "{all}");
    let geo = tool(&[
        "gaps",
        "--unmet",
        path.to_str().unwrap(),
        "--format",
        "geojson",
    ])
    .unwrap();
    let v: Value = serde_json::from_str(&geo).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn version_prints_the_library_version() {
    for args in [&["version"][..], &["--version"], &["-V"]] {
        let out = tool(args).unwrap();
        assert_eq!(out.trim(), format!("passerelle {}", passerelle::VERSION));
    }
}
