"""`passerelle.search_batch` and `passerelle.batch.match_batch` are one engine path with one
column vocabulary: on the same need table they give the same columns and the same values. Real
data: the San Mateo County feed (core/tests/data/hsds/smc-ohana-full, BSD-3-Clause)."""

import json

import numpy as np
import pandas as pd
import pytest

import passerelle as p
from passerelle import batch
from conftest import REPO

SMC = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
AT = 1_795_550_400  # 2026-11-18 20:00 UTC
NEEDS = ["food pantry", "counseling", "emergency shelter", "legal help", "job training",
         "dental care", "zzqxv wug"]
PLACES = [(37.5630, -122.3255), (37.6879, -122.4702), (37.4852, -122.2364)]


@pytest.fixture(scope="module")
def smc():
    return p.Navigator.from_path(str(SMC))


@pytest.fixture(scope="module")
def needs():
    rng = np.random.default_rng(16)
    n = 120
    ages = rng.integers(16, 90, n).astype("float64")
    ages[rng.random(n) < 0.4] = np.nan  # unknown for some: `missing_facts` gets filled
    facts = [json.dumps({"household_size": int(k)}) for k in rng.integers(1, 6, n)]
    facts[5] = "[1, 2]"  # not a JSON object: an error row on both paths
    return pd.DataFrame({
        "id": [f"n{i:03d}" for i in range(n)],
        "need_text": [NEEDS[i % len(NEEDS)] for i in range(n)],
        "lat": [PLACES[i % len(PLACES)][0] for i in range(n)],
        "lon": [PLACES[i % len(PLACES)][1] for i in range(n)],
        "radius_km": 15.0,
        "age": ages,
        "facts_json": facts,
    })


def test_same_columns_and_values(smc, needs):
    direct = p.search_batch(smc, needs, limit=4, at_epoch_seconds=AT)
    pooled = batch.match_batch(needs, smc, chunk_rows=37, limit=4, at_epoch_seconds=AT)
    # every batch column name is the engine's: match_batch's are a subset, in the same order
    assert [c for c in direct.columns if c in batch.MATCH_COLUMNS] == batch.MATCH_COLUMNS
    assert list(pooled.columns) == batch.MATCH_COLUMNS
    assert direct["missing_facts"].dtype == pooled["missing_facts"].dtype == batch.list_dtype()
    a = direct[batch.MATCH_COLUMNS].astype(batch.MATCH_DTYPES)
    a = a.sort_values(batch.SORT_COLUMNS, kind="mergesort", ignore_index=True)
    pd.testing.assert_frame_equal(a, pooled.astype(batch.MATCH_DTYPES))
    # the comparison covers every kind of row: matches, facts missing, no match, errors
    assert pooled["rank"].notna().sum() > 100
    assert pooled["missing_facts"].list.len().gt(0).any()
    assert pooled["reason"].eq("need_not_understood").any()
    [err] = pooled["error"].dropna()
    assert pooled.loc[pooled["error"].notna(), "need_id"].tolist() == ["n005"]
    assert "facts" in err


def test_arrow_table_out_has_the_same_names(smc, needs):
    import pyarrow as pa

    table = p.search_batch(smc, pa.Table.from_pandas(needs.head(10), preserve_index=False),
                           limit=2, at_epoch_seconds=AT)
    assert isinstance(table, pa.Table)
    assert table.schema.field("missing_facts").type == pa.list_(pa.string())
    assert {"need_id", "reason"} <= set(table.column_names)
    assert not {"id", "no_match"} & set(table.column_names)
