#!/usr/bin/env python3
"""Boundary cost of the Python bindings: the same queries from Python and from Rust.

    .venv/bin/python benches/python/boundary.py [--rows 10000] [--single 1000] [--rounds 3]

Needs a release wheel in the venv (``cd bindings && maturin build --release`` then
``pip install``) and builds the Rust side with ``cargo build --release -p passerelle-benches
--bin boundary``. Both sides load the embedded sample directory and run the same need rows
(``dask_scaling.make_needs``: fr/en need text, a point in Ottawa, age and household size):

* ``single``: one ``Navigator.search`` per query (the first ``--single`` rows); p50 per call.
  Python times only the call; the ``SearchQuery`` record is built beforehand on both sides.
* ``single (JSON)``: ``passerelle.search_dict`` per query (a dict in, a dict out through
  ``Navigator.search_json``: ``json.dumps``, the call, ``json.loads``), the same queries,
  against ``Navigator::search_json`` from Rust.
* ``single (rows)``: ``passerelle.search_rows`` per query (the same dicts in, the lean rows
  out through ``Navigator.search_rows_json``: ``json.dumps``, the call, ``json.loads``),
  against ``Navigator::search_rows_json`` and the typed ``Navigator::search`` from Rust.
* ``batch (records)``: one ``Navigator.search_batch`` with every row as a ``SearchQuery``.
* ``batch (Arrow call)``: one ``Navigator.search_batch_arrow`` on the same IPC bytes.
* ``batch (Arrow, pandas in/out)``: Python only, the whole data-team path: pandas → Arrow IPC
  → call → Arrow → pandas (``passerelle.search_batch``).

Prints Markdown rows for ``benches/RESULTS.md`` ("## Python boundary"): Rust time, Python
time, the ratio, and the boundary cost per query and per result row. Not an assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa

import passerelle as p
from dask_scaling import AT, make_needs

REPO = Path(__file__).resolve().parents[2]


def dicts(df, limit):
    """One query per row as a plain dict for ``passerelle.search_dict``."""
    out = []
    for r in df.itertuples(index=False):
        facts = {"household_size": float(r.household_size)}
        if r.age == r.age:  # not NaN
            facts["age"] = float(r.age)
        out.append({"needs": [{"text": r.need_text}], "lat": float(r.lat), "lon": float(r.lon),
                    "facts": facts, "at_epoch_seconds": AT, "limit": limit})
    return out


def records(df, limit):
    """The same queries as typed ``SearchQuery`` records (built before any timing)."""
    return [p.SearchQuery(
        needs=[p.NeedInput(text=d["needs"][0]["text"])], lat=d["lat"], lon=d["lon"],
        facts=p.facts(d["facts"]), at_epoch_seconds=AT, limit=limit) for d in dicts(df, limit)]


def median(ts):
    ts = sorted(ts)
    return ts[len(ts) // 2]


def timed(rounds, f):
    ts = []
    for _ in range(rounds):
        t = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t)
    return median(ts), out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--single", type=int, default=1_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=10)
    a = ap.parse_args()

    work = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target")) / "boundary"
    work.mkdir(parents=True, exist_ok=True)
    df = make_needs(a.rows)
    queries = df[["need_text", "lat", "lon", "age", "household_size"]]
    with open(work / "queries.jsonl", "w") as f:
        for row in queries.to_dict("records"):
            f.write(json.dumps({k: v for k, v in row.items() if v == v}) + "\n")
    table = pa.Table.from_pandas(queries, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    ipc = sink.getvalue().to_pybytes()
    (work / "queries.arrows").write_bytes(ipc)

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "passerelle-benches", "--bin",
                    "boundary"], cwd=REPO, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    rust = json.loads(subprocess.run(
        [str(target / "release" / "boundary"), "--queries", str(work / "queries.jsonl"),
         "--arrow", str(work / "queries.arrows"), "--single", str(a.single),
         "--rounds", str(a.rounds), "--at", str(AT), "--limit", str(a.limit)],
        check=True, capture_output=True, text=True).stdout)

    nav = p.Navigator.sample()
    recs = records(queries, a.limit)
    single = []
    for q in recs[: a.single]:
        t = time.perf_counter()
        nav.search(q)
        single.append(time.perf_counter() - t)
    py_single = median(single)
    single_json = []
    for d in dicts(queries, a.limit)[: a.single]:
        t = time.perf_counter()
        p.search_dict(nav, d)
        single_json.append(time.perf_counter() - t)
    py_single_json = median(single_json)
    single_rows = []
    for d in dicts(queries, a.limit)[: a.single]:
        t = time.perf_counter()
        p.search_rows(nav, d)
        single_rows.append(time.perf_counter() - t)
    py_single_rows = median(single_rows)
    py_batch, results = timed(a.rounds, lambda: nav.search_batch(recs))
    rows_out = sum(len(n.matches) for r in results for n in r.needs)
    opts = p.BatchOptions(limit=a.limit, at_epoch_seconds=AT)
    py_arrow, out = timed(a.rounds, lambda: nav.search_batch_arrow(ipc, opts))
    arrow_rows = pa.ipc.open_stream(out).read_all().num_rows
    py_pandas, frame = timed(a.rounds, lambda: p.search_batch(
        nav, queries, limit=a.limit, at_epoch_seconds=AT))
    assert len(frame) == arrow_rows, (len(frame), arrow_rows)

    n = len(recs)
    load = os.getloadavg()[0]
    us = 1e6
    print(f"# {n} queries ({a.single} single), limit {a.limit}, sample directory, "
          f"{rust['threads']} threads, load {load:.1f}; {rows_out} result rows (records), "
          f"{arrow_rows} (Arrow)")
    print("| path | Rust | Python | Python ÷ Rust | boundary per query | per result row |")
    print("|---|---|---|---|---|---|")
    rows = [
        ("single `search` (p50 per call)", rust["single_p50_s"], py_single, 1, 1),
        ("single `search_dict` / `search_json` (p50 per call)", rust["single_json_p50_s"],
         py_single_json, 1, 1),
        ("single `search_dict` vs Rust typed `search`", rust["single_p50_s"], py_single_json,
         1, 1),
        ("single `search_rows` / `search_rows_json` (p50 per call)", rust["single_rows_p50_s"],
         py_single_rows, 1, 1),
        ("single `search_rows` vs Rust typed `search`", rust["single_p50_s"], py_single_rows,
         1, 1),
        ("batch of records `search_batch`", rust["batch_records_s"], py_batch, n, rows_out),
        ("batch Arrow `search_batch_arrow` (call)", rust["batch_arrow_s"], py_arrow, n,
         arrow_rows),
        ("batch Arrow, pandas in and out", rust["batch_arrow_s"], py_pandas, n, arrow_rows),
    ]
    for name, r, py, per_q, per_row in rows:
        extra = py - r
        row_cost = f"{extra / per_row * us:.2f} µs" if per_row > 1 else "–"
        unit = "µs" if per_q == 1 else "ms"
        scale = us if per_q == 1 else 1e3
        print(f"| {name} | {r * scale:.1f} {unit} | {py * scale:.1f} {unit} | "
              f"{py / r:.2f}× | {extra / per_q * us:.2f} µs | {row_cost} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
