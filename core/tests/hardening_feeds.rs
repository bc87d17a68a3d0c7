//! Real feeds spoiled the ways Excel exports and directory software break them, and hostile
//! feed folders: nothing may be lost without a word. Each test mutates a copy of the San Mateo
//! County directory (`tests/data/hsds/smc-ohana-full`) in a temporary folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

use jiff::civil::date;
use passerelle::{hsds::*, matching::*};

fn smc() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/hsds/smc-ohana-full")
}

fn opts() -> ImportOptions {
    ImportOptions {
        today: Some(date(2025, 6, 1)),
        quality_warnings: false,
        ..ImportOptions::default()
    }
}

/// An empty temporary folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(what: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "passerelle-{what}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    /// A copy of the San Mateo feed.
    fn smc(what: &str) -> Self {
        let d = Self::new(what);
        for e in std::fs::read_dir(smc()).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), d.0.join(e.file_name())).unwrap();
        }
        d
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }

    fn write(&self, name: &str, text: impl AsRef<[u8]>) {
        std::fs::write(self.path(name), text).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The unspoiled feed, imported once.
fn baseline() -> &'static Imported {
    static B: OnceLock<Imported> = OnceLock::new();
    B.get_or_init(|| import_dir(smc(), &opts()).unwrap())
}

/// Replaces line `n` (0-based, the header is line 0) of a one-record-per-line CSV.
fn edit_line(text: &str, n: usize, f: impl Fn(&str) -> String) -> String {
    text.split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| if i == n { f(l) } else { l.to_owned() })
        .collect()
}

// ---- rows lost without a report ----------------------------------------------------------

#[test]
fn stray_quote_swallows_no_rows() {
    let all = baseline().report.loaded_count("phones");
    assert_eq!(all, 3_559);
    let feed = TempDir::smc("stray-quote");
    let phones = feed.read("phones.csv");
    // one opening quote in row 10 and no other quote later: main loaded 9 rows and reported
    // one problem
    let spoiled = edit_line(&phones, 10, |l| format!("\"{l}"));
    feed.write("phones.csv", &spoiled);
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.report.loaded_count("phones"), all - 1, "{}", i.report);
    assert_eq!(i.report.dropped_count("phones"), 1);
    let bad: Vec<_> = i
        .report
        .of_kind(ProblemKind::MalformedRow)
        .filter(|p| p.table == "phones")
        .collect();
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].position, Position::Row(10));
    assert!(bad[0].message.contains("reading resumed at the next line"));
    // and another quote 31 lines later: main lost those 31 rows silently
    let twice = edit_line(&spoiled, 41, |l| format!("\"{l}"));
    feed.write("phones.csv", twice);
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.report.loaded_count("phones"), all - 2, "{}", i.report);
    let rows: Vec<_> = i
        .report
        .of_kind(ProblemKind::MalformedRow)
        .filter(|p| p.table == "phones")
        .map(|p| p.position.clone())
        .collect();
    assert_eq!(rows, [Position::Row(10), Position::Row(41)]);
    assert!(i.report.to_string().contains("phones: 3557 (2 not loaded)"));
}

#[test]
fn a_required_name_is_a_problem() {
    let all = baseline().directory.services.len();
    let feed = TempDir::smc("name");
    let services = feed.read("services.csv");
    // a header that says `Name`: main loaded every service without a name, no problem
    let header_end = services.find('\n').unwrap();
    let header = services[..header_end].replace(",name,", ",Name,");
    feed.write(
        "services.csv",
        format!("{header}{}", &services[header_end..]),
    );
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.directory.services.len(), all);
    assert!(i.directory.services.iter().all(|s| !s.name.is_empty()));
    let renamed: Vec<_> = i.report.of_kind(ProblemKind::MalformedHeader).collect();
    assert_eq!(renamed.len(), 1, "{}", i.report);
    assert_eq!(renamed[0].field.as_deref(), Some("Name"));
    // a column that is not `name` at all: every service is reported
    let header = services[..header_end].replace(",name,", ",title,");
    feed.write(
        "services.csv",
        format!("{header}{}", &services[header_end..]),
    );
    let i = import_dir(&feed.0, &opts()).unwrap();
    let missing = i
        .report
        .of_kind(ProblemKind::MissingField)
        .filter(|p| p.table == "services" && p.field.as_deref() == Some("name"))
        .count();
    assert_eq!(missing, all);
    // JSON `"name": null`
    let json = br#"{"services": [{"id": "s1", "name": null, "organization_id": "o1"}],
                    "organizations": [{"id": "o1", "name": "Org"}]}"#;
    let i = import_json(json, &opts()).unwrap();
    let p = i.report.of_kind(ProblemKind::MissingField).next().unwrap();
    assert_eq!(
        (p.record_id.as_deref(), p.field.as_deref()),
        (Some("s1"), Some("name"))
    );
    assert_eq!(i.directory.services.len(), 1, "still loaded");
}

#[test]
fn spreadsheet_headers_are_diagnosed() {
    let all = baseline().directory.services.len();
    let feed = TempDir::smc("headers");
    let services = feed.read("services.csv");
    let header_end = services.find('\n').unwrap();
    let rest = &services[header_end..];
    // upper case (main: 0 services and one missing_id per row)
    let upper = services[..header_end].to_uppercase();
    feed.write("services.csv", format!("{upper}{rest}"));
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.directory.services.len(), all, "{}", i.report);
    assert_eq!(i.report.of_kind(ProblemKind::MissingId).count(), 0);
    // Title Case with spaces
    let title = services[..header_end]
        .split(',')
        .map(|c| {
            c.split('_')
                .map(|w| {
                    let mut ch = w.chars();
                    ch.next()
                        .map(|f| f.to_uppercase().chain(ch).collect::<String>())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" , ");
    feed.write("services.csv", format!("{title}{rest}"));
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.directory.services.len(), all, "{}", i.report);
    // a header without any id column: one problem for the table, not one per row
    let no_id = services[..header_end].replacen("id,", "identifier,", 1);
    feed.write("services.csv", format!("{no_id}{rest}"));
    let i = import_dir(&feed.0, &opts()).unwrap();
    let p: Vec<_> = i
        .report
        .problems()
        .iter()
        .filter(|p| p.table == "services" && p.field.as_deref() == Some("id"))
        .collect();
    assert_eq!(p.len(), 1, "{}", i.report);
    assert!(p[0]
        .message
        .contains(&format!("none of the table's {all} rows")));
    assert_eq!(i.report.dropped_count("services"), all);
    assert_eq!(i.report.fatal().unwrap().kind, ProblemKind::MostRowsLost);
}

/// Re-delimits an RFC 4180 text with `delim`, quoting fields that then need it.
fn redelimit(text: &str, delim: char) -> String {
    let mut out = String::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let flush = |out: &mut String, field: &mut String, quoted: bool| {
        if quoted || field.contains(delim) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
        field.clear();
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => in_quotes = false,
            (true, c) => field.push(c),
            (false, '"') => {
                in_quotes = true;
                quoted = true;
            }
            (false, ',') => {
                flush(&mut out, &mut field, quoted);
                quoted = false;
                out.push(delim);
            }
            (false, '\n') => {
                flush(&mut out, &mut field, quoted);
                quoted = false;
                out.push('\n');
            }
            (false, c) => field.push(c),
        }
    }
    flush(&mut out, &mut field, quoted);
    out
}

#[test]
fn semicolon_and_tab_exports_are_read() {
    let base = baseline();
    let all = base.directory.services.len();
    for (delim, word) in [(';', "semicolons"), ('\t', "tabs")] {
        let feed = TempDir::smc("delim");
        for table in ["services.csv", "phones.csv"] {
            let text = redelimit(&feed.read(table), delim);
            feed.write(table, text);
        }
        let i = import_dir(&feed.0, &opts()).unwrap();
        assert_eq!(i.directory.services.len(), all, "{}", i.report);
        assert_eq!(i.directory.services, base.directory.services);
        assert_eq!(i.report.loaded_count("phones"), 3_559);
        let mut hints: Vec<_> = i
            .report
            .of_kind(ProblemKind::MalformedHeader)
            .filter(|p| p.message.contains(word))
            .map(|p| p.table.as_str())
            .collect();
        hints.sort_unstable();
        assert_eq!(hints, ["phones", "services"]);
    }
}

#[test]
fn utf16_export_is_named() {
    let feed = TempDir::smc("utf16");
    let orgs = feed.read("organizations.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for u in orgs.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    feed.write("organizations.csv", bytes);
    let i = import_dir(&feed.0, &opts()).unwrap();
    let p = i
        .report
        .problems()
        .iter()
        .find(|p| p.table == "organizations" && p.message.contains("UTF-16"))
        .expect("UTF-16 reported");
    assert_eq!(p.kind, ProblemKind::InvalidUtf8);
    assert_eq!(
        i.directory.services.len(),
        baseline().directory.services.len()
    );
    // its rows are counted as lost, so losing the whole table is fatal
    let orgs_rows = baseline().directory.organizations.len();
    assert!(
        p.message.contains(&format!("none of its {orgs_rows} rows")),
        "{}",
        p.message
    );
    assert_eq!(i.report.dropped_count("organizations"), orgs_rows);
    assert_eq!(i.report.fatal().unwrap().kind, ProblemKind::MostRowsLost);
    // Excel's "CSV UTF-8" starts with a UTF-8 byte-order mark: read as plain UTF-8
    feed.write("organizations.csv", &orgs);
    let services = feed.read("services.csv");
    feed.write("services.csv", format!("\u{feff}{services}"));
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(i.directory.services, baseline().directory.services);
    assert_eq!(i.report.problems(), baseline().report.problems());
}

// ---- an empty or wrong folder is not a directory -------------------------------------------

fn whole() -> ImportOptions {
    ImportOptions {
        min_services: 1,
        ..opts()
    }
}

#[test]
fn an_empty_or_wrong_input_is_fatal() {
    let empty_csvs = TempDir::new("empty-csvs");
    for t in ["organizations.csv", "services.csv", "locations.csv"] {
        empty_csvs.write(t, "");
    }
    let no_csv = TempDir::new("no-csv");
    no_csv.write("README.txt", "nothing here");
    for dir in [&empty_csvs.0, &no_csv.0, Path::new("/")] {
        let i = import_path(dir, &whole()).unwrap();
        assert_eq!(i.report.fatal().unwrap().kind, ProblemKind::NoServices);
        assert!(matches!(i.usable(), Err(ImportError::Unusable { .. })));
    }
    for json in [&b"[]"[..], b"{}"] {
        let i = import_json(json, &whole()).unwrap();
        assert_eq!(i.report.fatal().unwrap().kind, ProblemKind::NoServices);
    }
    // the real feed is usable
    assert!(import_dir(smc(), &whole()).unwrap().usable().is_ok());
}

#[test]
fn losing_most_of_a_table_is_fatal() {
    let feed = TempDir::smc("lost");
    let locations = feed.read("locations.csv");
    // ids blanked in 60 % of the rows (a broken export)
    let spoiled: String = locations
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i > 0 && i % 5 < 3 {
                l.split_once(',')
                    .map_or(l.to_owned(), |(_, r)| format!(",{r}"))
            } else {
                l.to_owned()
            }
        })
        .collect();
    feed.write("locations.csv", spoiled);
    let i = import_dir(&feed.0, &opts()).unwrap();
    let fatal = i.report.fatal().unwrap();
    assert_eq!(
        (fatal.kind, fatal.table.as_str()),
        (ProblemKind::MostRowsLost, "locations")
    );
    assert!(i.report.dropped_count("locations") > i.report.loaded_count("locations"));
    // raising the share accepts it
    let lenient = ImportOptions {
        max_lost_share: 0.9,
        ..opts()
    };
    assert!(import_dir(&feed.0, &lenient).unwrap().usable().is_ok());
}

#[test]
fn a_live_directory_is_not_replaced_by_a_shrunken_one() {
    let build = |i: &Imported| {
        Navigator::build(i.directory.clone(), NavigatorOptions::default())
            .unwrap()
            .0
    };
    let live = LiveNavigator::new(build(baseline()));
    let all = baseline().directory.services.len();
    let empty = TempDir::new("empty-feed");
    empty.write("services.csv", "");
    let nothing = import_dir(&empty.0, &opts()).unwrap();
    let refused = live.replace_guarded(build(&nothing), 0.5).unwrap_err();
    assert_eq!((refused.live, refused.new), (all, 0));
    assert_eq!(live.snapshot().directory().services.len(), all);
    live.replace(build(&nothing));
    assert_eq!(live.snapshot().directory().services.len(), 0);
}

// ---- hostile folders -----------------------------------------------------------------------

/// Runs `f` on a thread; fails the test when it takes longer than 20 s (a hang).
fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("the import hung")
}

#[cfg(unix)]
#[test]
fn a_fifo_is_never_opened() {
    let feed = TempDir::smc("fifo");
    std::fs::remove_file(feed.path("services.csv")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(feed.path("services.csv"))
        .status()
        .unwrap();
    assert!(status.success());
    let dir = feed.0.clone();
    let i = within(move || import_dir(&dir, &opts()).unwrap());
    let p = i.report.of_kind(ProblemKind::NotAFile).next().unwrap();
    assert_eq!(p.source, "services.csv");
    assert!(p.message.contains("FIFO"), "{}", p.message);
    assert_eq!(
        i.report.loaded_count("organizations"),
        baseline().report.loaded_count("organizations")
    );
    // the FIFO given as the input itself
    let fifo = feed.path("services.csv");
    let err = within(move || import_path(&fifo, &opts()).unwrap_err());
    assert!(matches!(err, ImportError::NotAFile { .. }), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_are_confined_to_the_folder() {
    let feed = TempDir::smc("symlink");
    std::fs::remove_file(feed.path("organizations.csv")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", feed.path("organizations.csv")).unwrap();
    let i = import_dir(&feed.0, &opts()).unwrap();
    let p = i.report.of_kind(ProblemKind::NotAFile).next().unwrap();
    assert_eq!(p.table, "organizations");
    assert!(
        p.message.contains("outside the feed folder"),
        "{}",
        p.message
    );
    assert_eq!(
        i.report.seen_count("organizations"),
        0,
        "/etc/passwd was not read"
    );
    // a link inside the folder is read; with Symlinks::Refuse it is not
    std::fs::remove_file(feed.path("organizations.csv")).unwrap();
    std::fs::copy(smc().join("organizations.csv"), feed.path("orgs.data")).unwrap();
    std::os::unix::fs::symlink(feed.path("orgs.data"), feed.path("organizations.csv")).unwrap();
    let i = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(
        i.report.loaded_count("organizations"),
        baseline().report.loaded_count("organizations")
    );
    let refuse = ImportOptions {
        symlinks: Symlinks::Refuse,
        ..opts()
    };
    let i = import_dir(&feed.0, &refuse).unwrap();
    assert_eq!(i.report.of_kind(ProblemKind::NotAFile).count(), 1);
    assert_eq!(i.report.loaded_count("organizations"), 0);
}

// ---- one memory budget for the whole import ------------------------------------------------

#[test]
fn one_memory_budget_across_tables() {
    // four tables of tiny rows, one of them unknown: each alone fits, together they do not
    let rows = |prefix: &str| {
        let mut s = String::from("id,name\n");
        for i in 0..20_000 {
            s.push_str(&format!("{prefix}{i},x\n"));
        }
        s
    };
    let (a, b, c, d) = (rows("o"), rows("s"), rows("l"), rows("m"));
    let tables = [
        ("organizations", a.as_bytes()),
        ("zz_unknown", b.as_bytes()),
        ("locations", c.as_bytes()),
        ("programs", d.as_bytes()),
    ];
    let unlimited = import_tables(tables, &opts());
    assert!(unlimited.report.is_clean(), "{}", unlimited.report);
    // 20 000 rows are ~6 MB of estimated bytes untyped, ~15 MB typed; allow 24 MB in all
    let budget = ImportOptions {
        max_import_bytes: 24 << 20,
        ..opts()
    };
    let i = import_tables(tables, &budget);
    let over: Vec<_> = i.report.of_kind(ProblemKind::MemoryBudget).collect();
    assert!(!over.is_empty(), "{}", i.report);
    // the budget ran out inside a table (a row is named) and the tables after it were not read
    assert!(matches!(over[0].position, Position::Row(_)));
    assert!(over.iter().skip(1).all(|p| p.position == Position::Table));
    let loaded: usize = ["organizations", "zz_unknown", "locations", "programs"]
        .iter()
        .map(|t| i.report.loaded_count(t))
        .sum();
    assert!((20_000..80_000).contains(&loaded), "{loaded}");
    // every row not loaded is counted
    let dropped: usize = i.report.dropped().values().sum();
    assert!(dropped > 0);
}

// ---- feed-controlled search cost: many huge service areas ----------------------------------

/// A closed star of `n` vertices (spikes alternate between `r` and 0.97 `r` degrees) around
/// (lat, lon), as GeoJSON Polygon text.
fn star(lat: f64, lon: f64, r: f64, n: usize) -> String {
    let mut ring: Vec<String> = (0..n)
        .map(|i| {
            let t = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = if i % 2 == 0 { r } else { r * 0.97 };
            format!("[{:.6},{:.6}]", lon + r * t.cos(), lat + r * t.sin())
        })
        .collect();
    ring.push(ring[0].clone());
    format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
        ring.join(",")
    )
}

const DALY_CITY: (f64, f64) = (37.6879, -122.4702);

#[test]
fn many_huge_service_areas() {
    // One San Mateo pantry found near Daly City gets 30 star-shaped extents of 4 999 vertices
    // (+ the closing one): 10 around Sacramento first, then 20 around Daly City.
    let near = passerelle::model::GeoPoint::new(DALY_CITY.0, DALY_CITY.1).unwrap();
    let q = Query::new([Need::text("food pantry")])
        .near(near, 10_000.0)
        .at("2026-11-18T12:00:00-08:00".parse().unwrap())
        .limit(100);
    let build =
        |d: passerelle::Directory| Navigator::build(d, NavigatorOptions::default()).unwrap().0;
    let plain = build(baseline().directory.clone()).search(&q).unwrap();
    let target = plain.matches().next().unwrap().service_id.clone();
    let feed = TempDir::smc("areas");
    let mut areas = feed.read("service_areas.csv");
    let sacramento = star(38.58, -121.49, 0.3, 4_999);
    let daly = star(DALY_CITY.0, DALY_CITY.1, 0.3, 4_999);
    for i in 0..30 {
        let extent = if i < 10 { &sacramento } else { &daly };
        areas.push_str(&format!(
            "hostile-{i},{target},,Area {i},,\"{}\",geojson,\n",
            extent.replace('"', "\"\"")
        ));
    }
    feed.write("service_areas.csv", &areas);
    let rows = baseline().report.loaded_count("service_areas") + 30;

    // Default limits (2 000 000 vertices in all): every extent loads, the resident is inside.
    let all = import_dir(&feed.0, &opts()).unwrap();
    assert_eq!(all.report.of_kind(ProblemKind::VertexBudget).count(), 0);
    assert_eq!(all.report.loaded_count("service_areas"), rows);
    let covered = build(all.directory.clone()).search(&q).unwrap();
    let m = covered.matches().find(|m| m.service_id == target).unwrap();
    assert_eq!(m.breakdown.get(Factor::Coverage).value, Some(1.0));
    // the prepared test agrees with geo's on the extents as loaded
    let inside = all
        .directory
        .service_areas
        .iter()
        .filter_map(|a| a.extent.as_ref())
        .any(|e| geo::Contains::contains(e, &geo::Point::new(DALY_CITY.1, DALY_CITY.0)));
    assert!(inside);

    // 50 000 vertices in all: the 10 Sacramento stars fit (49 990), each later one is reported
    // naming its record and field, its extent dropped and its row kept.
    let bounded = ImportOptions {
        max_total_extent_vertices: 50_000,
        ..opts()
    };
    let some = import_dir(&feed.0, &bounded).unwrap();
    let over: Vec<_> = some.report.of_kind(ProblemKind::VertexBudget).collect();
    let ids: Vec<String> = (10..30).map(|i| format!("hostile-{i}")).collect();
    assert_eq!(
        over.iter()
            .map(|p| p.record_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ids
    );
    assert!(over.iter().all(|p| p.severity == Severity::Error
        && p.table == "service_areas"
        && p.field.as_deref() == Some("extent")
        && p.message.contains("max_total_extent_vertices (50000)")));
    assert_eq!(some.report.loaded_count("service_areas"), rows);
    let kept = |d: &passerelle::Directory| {
        d.service_areas
            .iter()
            .filter(|a| a.id.starts_with("hostile-") && a.extent.is_some())
            .count()
    };
    assert_eq!(kept(&some.directory), 10);
    assert_eq!(
        some.directory.services.len(),
        baseline().directory.services.len()
    );
    // the dropped extents' text stays in `extra`, so an export writes it back
    let back = import_tables(
        export_csv_tables(&some.directory)
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice())),
        &opts(),
    );
    assert_eq!(kept(&back.directory), 30);
    // only Sacramento is known for the pantry now: a Daly City resident is outside its areas
    let outside = build(some.directory).search(&q).unwrap();
    assert!(outside.matches().all(|m| m.service_id != target));
    assert!(outside.needs[0].counts.outside_area > plain.needs[0].counts.outside_area);
}

/// A folder import types each table as soon as it is read (one table's raw rows in memory at
/// a time); it must give exactly what the same files give through `import_tables`, which
/// types them all at the end: the same directory and the same report, problems in the same
/// order. San Mateo with quality warnings on, and with a spoiled copy (a stray quote, a
/// UTF-16 table, a header without an id column) so rows of several tables are reported.
#[test]
fn a_folder_import_equals_the_same_tables_typed_at_the_end() {
    let spoiled = TempDir::smc("stream");
    let phones = spoiled.read("phones.csv");
    spoiled.write("phones.csv", phones.replacen("\n", "\n\"", 3));
    let mut bytes = vec![0xFF, 0xFE];
    for u in spoiled.read("languages.csv").encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    spoiled.write("languages.csv", bytes);
    let sal = spoiled.read("service_at_location.csv");
    spoiled.write("service_at_location.csv", sal.replacen("id", "ident", 1));
    let warn = ImportOptions {
        quality_warnings: true,
        ..opts()
    };
    for folder in [smc(), spoiled.0.clone()] {
        let by_folder = import_dir(&folder, &warn).unwrap();
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "csv") || p.ends_with("datapackage.json")
            })
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read(&p).unwrap())
            })
            .collect();
        // the folder's own reading order: the core tables first
        let rank = |n: &str| match n {
            "datapackage.json" => 0,
            "services.csv" => 1,
            "organizations.csv" => 2,
            "locations.csv" => 3,
            "service_at_location.csv" => 4,
            _ => 5,
        };
        files.sort_by(|a, b| (rank(&a.0), &a.0).cmp(&(rank(&b.0), &b.0)));
        let at_end = import_tables(files.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &warn);
        assert_eq!(
            by_folder.directory,
            at_end.directory,
            "{}",
            folder.display()
        );
        assert_eq!(by_folder.report.problems(), at_end.report.problems());
        assert_eq!(by_folder.report.to_string(), at_end.report.to_string());
        assert!(!by_folder.report.problems().is_empty());
    }
}
