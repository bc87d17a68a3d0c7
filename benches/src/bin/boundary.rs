//! The Rust side of the Python boundary benchmark (`benches/python/boundary.py`).
//!
//! Runs the same queries as the Python script through the same `passerelle-ffi` methods,
//! called from Rust (no FFI crossing): one `search` per query, one `search_batch` of records,
//! one `search_batch_arrow` on the same Arrow IPC bytes Python sends. Prints one JSON object of
//! timings; the script subtracts these from its own to get the boundary cost.
//!
//! Usage: `boundary --queries <file.jsonl> --arrow <file.arrows> [--dir <hsds>] [--single N]
//! [--rounds R] [--at <epoch seconds>] [--limit L]`. Each JSON line: `need_text`, `lat`,
//! `lon`, and optional numeric facts `age`, `household_size`.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use passerelle_ffi::{BatchOptions, FactValue, Navigator, NeedInput, SearchQuery};
use serde_json::Value;

struct Args {
    queries: String,
    arrow: String,
    dir: Option<String>,
    single: usize,
    rounds: usize,
    at: i64,
    limit: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        queries: String::new(),
        arrow: String::new(),
        dir: None,
        single: 1_000,
        rounds: 3,
        at: 1_790_000_000,
        limit: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        let num = |v: String| v.parse::<i64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--queries" => a.queries = value()?,
            "--arrow" => a.arrow = value()?,
            "--dir" => a.dir = Some(value()?),
            "--single" => a.single = usize::try_from(num(value()?)?).map_err(|e| e.to_string())?,
            "--rounds" => a.rounds = usize::try_from(num(value()?)?).map_err(|e| e.to_string())?,
            "--at" => a.at = num(value()?)?,
            "--limit" => a.limit = u32::try_from(num(value()?)?).map_err(|e| e.to_string())?,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.queries.is_empty() || a.arrow.is_empty() {
        return Err("--queries and --arrow are required".into());
    }
    Ok(a)
}

/// The same query as `query`, as the JSON text `Navigator::search_json` reads.
fn query_json(line: &Value, at: i64, limit: u32) -> String {
    let mut facts = serde_json::Map::new();
    for k in ["age", "household_size"] {
        if let Some(v) = line.get(k).filter(|v| v.is_number()) {
            facts.insert(k.to_string(), v.clone());
        }
    }
    serde_json::json!({
        "needs": [{"text": line.get("need_text")}],
        "lat": line.get("lat"),
        "lon": line.get("lon"),
        "facts": facts,
        "at_epoch_seconds": at,
        "limit": limit,
    })
    .to_string()
}

fn query(line: &Value, at: i64, limit: u32) -> SearchQuery {
    let num = |k: &str| line.get(k).and_then(Value::as_f64);
    let mut facts = HashMap::new();
    for k in ["age", "household_size"] {
        if let Some(value) = num(k) {
            facts.insert(k.to_string(), FactValue::Number { value });
        }
    }
    SearchQuery {
        needs: vec![NeedInput {
            text: line
                .get("need_text")
                .and_then(Value::as_str)
                .map(str::to_string),
            terms: vec![],
        }],
        lat: num("lat"),
        lon: num("lon"),
        max_distance_km: None,
        delivery: None,
        travel: None,
        facts,
        languages: vec![],
        require_language: false,
        accessibility: vec![],
        require_accessibility: false,
        free_only: false,
        open_now: false,
        at_epoch_seconds: Some(at),
        populations: vec![],
        include_ineligible: false,
        limit,
        offset: 0,
        explain: false,
    }
}

/// The median of `times` (seconds); 0 for none.
fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(0.0)
}

/// Median of `rounds` timings of `f`, in seconds.
fn median_secs(rounds: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let mut t = Vec::with_capacity(rounds);
    for _ in 0..rounds.max(1) {
        let start = Instant::now();
        f()?;
        t.push(start.elapsed().as_secs_f64());
    }
    Ok(median(t))
}

fn run(a: &Args) -> Result<Value, String> {
    let text = std::fs::read_to_string(&a.queries).map_err(|e| format!("{}: {e}", a.queries))?;
    let queries: Vec<SearchQuery> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).map(|v| query(&v, a.at, a.limit)))
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", a.queries))?;
    let ipc = std::fs::read(&a.arrow).map_err(|e| format!("{}: {e}", a.arrow))?;
    let nav: Arc<Navigator> = match &a.dir {
        Some(d) => Navigator::from_path(d.clone(), None, None, None, None, None),
        None => Navigator::sample(),
    }
    .map_err(|e| e.to_string())?;
    let single: Vec<SearchQuery> = queries.iter().take(a.single).cloned().collect();

    let mut per_query = Vec::with_capacity(single.len());
    for q in &single {
        let q = q.clone(); // the clone is outside the timing, as Python builds its record first
        let start = Instant::now();
        nav.search(q).map_err(|e| e.to_string())?;
        per_query.push(start.elapsed().as_secs_f64());
    }
    let single_p50 = median(per_query);

    // The same single queries through `search_json` (parse, search, write the JSON).
    let lines: Vec<Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(a.single)
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: {e}", a.queries))?;
    let mut per_json = Vec::with_capacity(lines.len());
    for line in &lines {
        let q = query_json(line, a.at, a.limit);
        let start = Instant::now();
        nav.search_json(q).map_err(|e| e.to_string())?;
        per_json.push(start.elapsed().as_secs_f64());
    }
    let single_json_p50 = median(per_json);

    // The same single queries through `search_rows_json` (parse, search, write the lean rows).
    let mut per_rows = Vec::with_capacity(lines.len());
    for line in &lines {
        let q = query_json(line, a.at, a.limit);
        let start = Instant::now();
        nav.search_rows_json(q.as_bytes())
            .map_err(|e| e.to_string())?;
        per_rows.push(start.elapsed().as_secs_f64());
    }
    let single_rows_p50 = median(per_rows);

    let batch = median_secs(a.rounds, || {
        nav.search_batch(queries.clone())
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    let options = BatchOptions {
        limit: a.limit,
        at_epoch_seconds: Some(a.at),
        ..BatchOptions::default()
    };
    let mut out_bytes = 0usize;
    let arrow = median_secs(a.rounds, || {
        let out = nav
            .search_batch_arrow(ipc.clone(), options.clone())
            .map_err(|e| e.to_string())?;
        out_bytes = out.len();
        Ok(())
    })?;
    Ok(serde_json::json!({
        "queries": queries.len(),
        "single_queries": single.len(),
        "single_p50_s": single_p50,
        "single_json_p50_s": single_json_p50,
        "single_rows_p50_s": single_rows_p50,
        "batch_records_s": batch,
        "batch_arrow_s": arrow,
        "arrow_out_bytes": out_bytes,
        "threads": std::thread::available_parallelism().map(usize::from).unwrap_or(1),
    }))
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(v) => {
            println!("{v}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("boundary: {e}");
            ExitCode::FAILURE
        }
    }
}
