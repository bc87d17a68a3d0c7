"""docs/data-teams.md's Python blocks run as written, against the installed wheel, in a folder
that holds what they read: `needs.parquet` and `needs/*.parquet` (a generated need table) and
`hsds/` (the sample directory's HSDS files). Two site-specific values are the only text replaced:
the Databricks path `/dbfs/hsds/` (by that `hsds/` folder) and the scheduler address (by a
local cluster's). Spark is not installed: `spark_df` is a stand-in whose `mapInPandas` feeds
pandas frames to the block's function and checks the frames against the block's schema."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

from conftest import MONDAY_10AM, REPO

import pandas as pd

DOC = REPO / "docs" / "data-teams.md"
FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
BLOCKS = FENCE.findall(DOC.read_text(encoding="utf-8"))
HSDS = REPO / "core" / "data" / "sample"


def needs_frame(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(6)
    return pd.DataFrame({
        "id": [f"need-{i}" for i in range(n)],
        "need_text": rng.choice(["food bank", "banque alimentaire", "emploi", "rent help"], n),
        "lat": 45.40 + rng.random(n) * 0.06,
        "lon": -75.75 + rng.random(n) * 0.08,
        "age": rng.integers(18, 80, n).astype("float64"),
    })


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    shutil.copytree(HSDS, tmp_path / "hsds", ignore=shutil.ignore_patterns("src", "*.py"))
    needs = needs_frame(60)
    needs.to_parquet(tmp_path / "needs.parquet")
    (tmp_path / "needs").mkdir()
    needs.iloc[:30].to_parquet(tmp_path / "needs" / "part-0.parquet")
    needs.iloc[30:].to_parquet(tmp_path / "needs" / "part-1.parquet")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def block(marker: str) -> str:
    [code] = [b for b in BLOCKS if marker in b]
    return code


def run(code: str, name: str, namespace: dict | None = None) -> dict:
    ns = {"__name__": "__doc__"} if namespace is None else namespace
    exec(compile(code, f"docs/data-teams.md:{name}", "exec"), ns)
    return ns


def test_every_block_is_run_below():
    assert len(BLOCKS) == 5
    for marker in ("batch.match_batch(needs,", "LocalCluster(", "scheduler.example.org",
                   "gaps.sample_demand", "mapInPandas"):
        block(marker)


def test_pandas_block(workdir):
    from passerelle import batch

    ns = run(block("batch.match_batch(needs,"), "pandas")
    written = pd.read_parquet(workdir / "matches.parquet", dtype_backend="pyarrow")
    assert list(written.columns) == batch.MATCH_COLUMNS
    assert written["rank"].notna().sum() > 30
    import pyarrow as pa

    assert pa.types.is_list(written["missing_facts"].dtype.pyarrow_dtype)
    screen = ns["screen"]
    assert set(screen["service_id"].dropna()) == {"svc-hub-food-bank"}


def test_gap_block(workdir):
    ns = run(block("gaps.sample_demand"), "gaps")
    assert (workdir / "gaps.geojson").read_text().startswith("{")
    assert len(ns["table"]) > 0 and len(ns["food"]) > 0


def test_spark_block_with_a_stand_in(workdir):
    from passerelle import batch

    code = block("mapInPandas").replace('"/dbfs/hsds/"', '"hsds/"')
    seen: list = []

    class Writer:
        def parquet(self, path):
            seen.append(path)

    class Result:
        write = Writer()

    class SparkFrame:
        def mapInPandas(self, fn, schema):
            names = [f.strip().split(" ")[0] for f in schema.split(",")]
            assert names == batch.MATCH_COLUMNS
            frames = [needs_frame(40).iloc[:20], needs_frame(40).iloc[20:]]
            out = list(fn(iter(frames)))
            assert len(out) == 2 and all(list(f.columns) == names for f in out)
            assert all(f["rank"].notna().any() for f in out)
            return Result()

    run(code, "spark", {"__name__": "__doc__", "spark_df": SparkFrame(), "AT": MONDAY_10AM})
    assert seen == ["matches/"]


def test_dask_blocks(workdir):
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    from passerelle import batch

    ns = run(block("LocalCluster("), "dask")
    client = ns["client"]
    try:
        got = pd.read_parquet(workdir / "matches", dtype_backend="pyarrow")
        assert list(got.columns) == batch.MATCH_COLUMNS
        assert set(got["need_id"]) == set(needs_frame(60)["id"])
        with LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as other:
            code = block("scheduler.example.org").replace(
                "tcp://scheduler.example.org:8786", other.scheduler_address)
            ns2 = run(code, "cluster")
            assert ns2["client"].scheduler_info()["workers"]
            ns2["client"].close()
    finally:
        client.close()
        client.cluster.close()
