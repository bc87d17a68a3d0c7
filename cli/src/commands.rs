//! The commands.

use std::collections::BTreeMap;
use std::io::Write;

use passerelle::{
    gaps::{gap_cells_to_csv, gap_cells_to_geojson, AreaCentroids, GapOptions},
    hsds::{export_csv_dir, export_json, sample_directory},
    import_path,
    matching::{sample_situations, ResultRow, MAX_LIMIT},
    referrals::{referrals_from_csv, unmet_needs_from_csv},
    Directory, ImportOptions, Imported, Navigator, NavigatorOptions, Query,
};
use serde_json::{json, Value};

use crate::args::{apply_common, query_from_args, Args, Format};
use crate::display::{write_results, Lang};
use crate::CliError;

fn failed(msg: impl Into<String>) -> CliError {
    CliError::Failed(msg.into())
}

fn load(args: &Args) -> Result<Imported, CliError> {
    match &args.dir {
        None => Ok(sample_directory()),
        Some(path) => import_path(path, &ImportOptions::default())
            .map_err(|e| failed(format!("cannot load {path}: {e}"))),
    }
}

fn require_dir(args: &Args) -> Result<&str, CliError> {
    args.dir
        .as_deref()
        .ok_or_else(|| CliError::Usage("give the directory (a CSV folder or a JSON file)".into()))
}

/// The fictional sample's named areas resolve with its own fictional gazetteer only: the
/// sample gets `NavigatorOptions::sample()`, any other directory the defaults.
fn navigator(directory: Directory) -> Result<Navigator, CliError> {
    let options = if directory.meta.fictional {
        NavigatorOptions::sample()
    } else {
        NavigatorOptions::default()
    };
    Navigator::build(directory, options)
        .map(|(nav, _)| nav)
        .map_err(|e| failed(format!("cannot build the navigator: {e}")))
}

/// The directory's notice and a one-line import summary with warnings by kind.
fn write_summary(out: &mut dyn Write, imported: &Imported, lang: &Lang) -> Result<(), CliError> {
    let report = &imported.report;
    let meta = &imported.directory.meta;
    let notice_fr = meta.extra.get("notice@fr").and_then(Value::as_str);
    let notice = match (lang.fr, notice_fr) {
        (true, Some(fr)) => Some(fr),
        _ => meta.notice.as_deref(),
    };
    if let Some(notice) = notice {
        writeln!(out, "{notice}")?;
    }
    let count = |t: &str| report.loaded_count(t);
    writeln!(
        out,
        "{}: {} services, {} organizations, {} locations; {} error(s), {} warning(s)",
        if meta.name.is_empty() {
            "directory"
        } else {
            &meta.name
        },
        count("services"),
        count("organizations"),
        count("locations"),
        report.errors().count(),
        report.warnings().count(),
    )?;
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for w in report.warnings() {
        *kinds.entry(format!("{:?}", w.kind)).or_default() += 1;
    }
    if !kinds.is_empty() {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        writeln!(out, "  warnings: {}", list.join(", "))?;
    }
    Ok(())
}

/// Readable text (not `--json`, not `--format`): the directory's notice and summary lead.
fn text_output(args: &Args) -> bool {
    !args.json && args.format.is_none()
}

fn run_queries(
    out: &mut dyn Write,
    nav: &Navigator,
    args: &Args,
    runs: Vec<(String, String, Query)>,
) -> Result<(), CliError> {
    let lang = Lang::new(args.french);
    let mut json_out = Vec::new();
    let rows = match args.format {
        Some(Format::Csv) => true,
        Some(Format::GeoJson) => {
            return Err(CliError::Usage(
                "search writes text, --json or --format csv".into(),
            ))
        }
        Some(Format::Json) | None => false,
    };
    if rows {
        writeln!(out, "need_id,{}", ResultRow::COLUMNS.join(","))?;
    }
    for (n, (id, title, query)) in runs.into_iter().enumerate() {
        let res = nav
            .search(&query)
            .map_err(|e| CliError::Usage(format!("search failed: {e}")))?;
        if rows {
            for row in res.rows() {
                writeln!(out, "{id},{}", row.csv_record())?;
            }
            continue;
        }
        if args.json || args.format == Some(Format::Json) {
            json_out.push(json!({"id": id, "results": to_json(&res)?}));
            continue;
        }
        writeln!(out)?;
        if !title.is_empty() {
            writeln!(out, "{}. {title}", n + 1)?;
        }
        write_results(out, nav, &lang, &query, &res)?;
    }
    if args.json || args.format == Some(Format::Json) {
        write_json(out, &Value::Array(json_out))?;
    }
    Ok(())
}

/// Core's JSON form of a result or report.
fn to_json(value: &impl serde::Serialize) -> Result<Value, CliError> {
    serde_json::to_value(value).map_err(|e| failed(format!("cannot write JSON: {e}")))
}

fn write_json(out: &mut dyn Write, value: &Value) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| failed(format!("cannot write JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// `passerelle demo`: the embedded sample's situations.
pub(crate) fn demo(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    if args.dir.is_some() || !args.needs.is_empty() || !args.terms.is_empty() {
        return Err(CliError::Usage(
            "demo runs the embedded sample's situations; use `search` for a directory or a need"
                .into(),
        ));
    }
    let imported = sample_directory();
    let lang = Lang::new(args.french);
    if text_output(args) {
        write_summary(out, &imported, &lang)?;
    }
    let nav = navigator(imported.directory)?;
    let runs = sample_situations(&nav)
        .into_iter()
        .map(|s| {
            let title = s.title.get(&lang.code).to_owned();
            (s.id, title, apply_common(s.query, args))
        })
        .collect();
    run_queries(out, &nav, args, runs)
}

/// `passerelle search [DIR]`: one search. `DIR` may also be a navigator snapshot
/// (`.psnap`, from `passerelle snapshot`), opened without importing the feed again.
pub(crate) fn search(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let nav = match args.dir.as_deref().filter(|d| d.ends_with(".psnap")) {
        Some(path) => {
            let (nav, _) = Navigator::open_snapshot(path, NavigatorOptions::default())
                .map_err(|e| failed(format!("cannot open {path}: {e}")))?;
            if text_output(args) {
                writeln!(
                    out,
                    "{path}: {} services (snapshot)",
                    nav.directory().services.len()
                )?;
            }
            nav
        }
        None => {
            let imported = load(args)?;
            if text_output(args) {
                write_summary(out, &imported, &Lang::new(args.french))?;
            }
            navigator(imported.directory)?
        }
    };
    let query = query_from_args(&nav, args)?;
    run_queries(
        out,
        &nav,
        args,
        vec![("query".into(), String::new(), query)],
    )
}

/// `passerelle validate DIR`: the import report; [`CliError::Invalid`] when it has errors.
pub(crate) fn validate(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    require_dir(args)?;
    let imported = load(args)?;
    let report = &imported.report;
    if args.json {
        write_json(out, &to_json(report)?)?;
    } else {
        write_summary(out, &imported, &Lang::new(args.french))?;
        for p in report.problems() {
            writeln!(out, "{p}")?;
        }
    }
    if report.errors().next().is_some() {
        return Err(CliError::Invalid);
    }
    Ok(())
}

fn out_path(args: &Args) -> Result<&str, CliError> {
    args.out
        .as_deref()
        .ok_or_else(|| CliError::Usage("give --out <path>".into()))
}

fn write_directory(args: &Args, dir: &Directory, out: &mut dyn Write) -> Result<(), CliError> {
    let path = out_path(args)?;
    match args.format.unwrap_or_default() {
        Format::Csv => export_csv_dir(dir, path).map_err(|e| failed(e.to_string()))?,
        Format::Json => std::fs::write(path, export_json(dir))
            .map_err(|e| failed(format!("cannot write {path}: {e}")))?,
        Format::GeoJson => {
            return Err(CliError::Usage(
                "--format geojson is for gaps; use csv or json".into(),
            ))
        }
    }
    writeln!(
        out,
        "wrote {path}: {} services, {} organizations, {} locations",
        dir.services.len(),
        dir.organizations.len(),
        dir.locations.len()
    )?;
    Ok(())
}

/// `passerelle export DIR --out OUT`: re-export a directory as HSDS.
pub(crate) fn export(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    require_dir(args)?;
    out_path(args)?;
    let imported = load(args)?;
    write_directory(args, &imported.directory, out)
}

/// `passerelle subset [DIR] --need … --out OUT`: a search's matches (up to the largest limit)
/// as an HSDS sub-directory.
pub(crate) fn subset(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    out_path(args)?;
    let imported = load(args)?;
    let nav = navigator(imported.directory)?;
    let mut query = query_from_args(&nav, args)?;
    if args.limit.is_none() {
        query = query.limit(i64::try_from(MAX_LIMIT).unwrap_or(i64::MAX));
    }
    let res = nav
        .search(&query)
        .map_err(|e| CliError::Usage(format!("search failed: {e}")))?;
    write_directory(args, &nav.export_directory(&res), out)
}

fn read(path: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| failed(format!("cannot read {path}: {e}")))
}

/// `passerelle snapshot DIR --out FILE`: a navigator snapshot of the directory.
pub(crate) fn snapshot(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    require_dir(args)?;
    let path = out_path(args)?;
    let imported = load(args)?;
    let services = imported.directory.services.len();
    let nav = navigator(imported.directory)?;
    nav.save_snapshot(path).map_err(|e| failed(e.to_string()))?;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    writeln!(out, "wrote {path}: {services} services, {size} bytes")?;
    Ok(())
}

/// `passerelle gaps [DIR] --unmet FILE`: gap analysis of unmet-need (and referral) records.
pub(crate) fn gaps(args: &Args, out: &mut dyn Write) -> Result<(), CliError> {
    let unmet_path = args
        .unmet
        .as_deref()
        .ok_or_else(|| CliError::Usage("give --unmet <unmet.csv>".into()))?;
    let unmet = unmet_needs_from_csv(&read(unmet_path)?)
        .map_err(|e| failed(format!("{unmet_path}: {e}")))?;
    let referrals = match args.referrals.as_deref() {
        Some(p) => referrals_from_csv(&read(p)?).map_err(|e| failed(format!("{p}: {e}")))?,
        None => Vec::new(),
    };
    let imported = load(args)?;
    let nav = navigator(imported.directory)?;
    let mut options = GapOptions::default();
    if let Some(k) = args.min_records {
        options.min_records = k;
    }
    let report = passerelle::gaps::analyze_gaps(
        &nav,
        &unmet,
        &referrals,
        &[],
        &AreaCentroids::new(),
        &options,
    )
    .map_err(|e| failed(format!("gap analysis failed: {e}")))?;
    match args.format.unwrap_or_default() {
        Format::Csv => {
            let csv = gap_cells_to_csv(&report.cells).map_err(|e| failed(e.to_string()))?;
            write!(out, "{csv}")?;
        }
        Format::GeoJson => write_json(out, &gap_cells_to_geojson(&report.cells))?,
        Format::Json => return Err(CliError::Usage("gaps writes csv or geojson".into())),
    }
    Ok(())
}
