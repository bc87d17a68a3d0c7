#!/usr/bin/env python3
"""Dask scale-out throughput of ``passerelle.dask.match_batch``: rows/s for 1 and 2 workers.

    .venv/bin/python benches/python/dask_scaling.py [--rows 100000] [--workers 1,2] [--repeat 2]

A scaling curve, not a timed assertion: it prints one Markdown table row per configuration,
with the machine's load average, for ``benches/RESULTS.md`` ("## Dask scale-out").

Configurations:

* ``pandas``: in-process ``passerelle.batch.match_batch`` (the Rust batch call itself runs on
  up to ``available_parallelism`` threads, so this already uses every core it may);
* ``dask N``: ``LocalCluster(n_workers=N, processes=True, threads_per_worker=1)``; with
  ``--pin`` (default) worker *i* is pinned to CPU *i* (``sched_setaffinity``), so each worker
  uses one core and the curve shows process scale-out rather than the Rust thread pool.

Results are checked equal to the pandas run (sorted), so a fast but wrong run cannot pass.
Use a release wheel for meaningful figures (``maturin build --release``); the test wheel of
``scripts/test-all.sh`` is a debug build, roughly 10× slower.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd

AT = 1_790_000_000
NEEDS = np.array([
    "food bank", "banque alimentaire", "rent help", "aide au loyer", "emploi", "job search",
    "counselling", "meal delivery", "legal aid", "shelter tonight",
])


def make_needs(n: int, seed: int = 9) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(16, 95, n).astype("float64")
    age[rng.random(n) < 0.3] = np.nan
    return pd.DataFrame({
        "id": np.char.add("need-", np.arange(n).astype(str)),
        "need_text": NEEDS[rng.integers(0, len(NEEDS), n)],
        "lat": 45.25 + rng.random(n) * 0.30,
        "lon": -76.00 + rng.random(n) * 0.55,
        "age": age,
        "household_size": rng.integers(1, 7, n),
    })


def pin_worker(dask_worker=None):
    """Pins this worker process to one CPU, chosen by worker name (0, 1, …)."""
    cpus = sorted(os.sched_getaffinity(0))
    name = int(getattr(dask_worker, "name", 0) or 0)
    os.sched_setaffinity(0, {cpus[name % len(cpus)]})
    return os.sched_getaffinity(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--limit", type=int, default=3)
    ap.add_argument("--no-pin", dest="pin", action="store_false")
    a = ap.parse_args()

    import dask.dataframe as dd
    import distributed

    import passerelle
    import passerelle.dask as pdask
    from passerelle import batch

    df = make_needs(a.rows)
    print(f"passerelle {passerelle.__version__}, {a.rows:,} rows, limit {a.limit}, "
          f"{os.cpu_count()} CPUs, load before {os.getloadavg()[0]:.1f}")
    print("| configuration | rows | best time (s) | rows/s | load avg (1 min) |")
    print("|---|---:|---:|---:|---:|")

    batch.navigator_for("sample")
    best = float("inf")
    expected = None
    for _ in range(a.repeat):
        t = time.perf_counter()
        expected = batch.match_batch(df, "sample", limit=a.limit, at_epoch_seconds=AT)
        best = min(best, time.perf_counter() - t)
    print(f"| pandas, in-process | {a.rows:,} | {best:.2f} | {a.rows / best:,.0f} | "
          f"{os.getloadavg()[0]:.1f} |", flush=True)
    expected = expected.sort_values(batch.SORT_COLUMNS, ignore_index=True)

    for n in [int(x) for x in a.workers.split(",")]:
        with distributed.LocalCluster(n_workers=n, processes=True, threads_per_worker=1,
                                      dashboard_address=":0", silence_logs=40) as cluster, \
                distributed.Client(cluster) as client:
            if a.pin:
                client.run(pin_worker)
            client.register_plugin(pdask.NavigatorPlugin("sample"))
            ddf = dd.from_pandas(df, npartitions=4 * n).persist()
            distributed.wait(ddf)
            best = float("inf")
            for _ in range(a.repeat):
                t = time.perf_counter()
                got = pdask.match_batch(ddf, "sample", limit=a.limit, at_epoch_seconds=AT).compute()
                best = min(best, time.perf_counter() - t)
            got = got.sort_values(batch.SORT_COLUMNS, ignore_index=True)
            pd.testing.assert_frame_equal(got, expected)
            pinned = ", 1 CPU each" if a.pin else ""
            print(f"| dask, {n} worker{'s' if n > 1 else ''}{pinned} | {a.rows:,} | {best:.2f} | "
                  f"{a.rows / best:,.0f} | {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
