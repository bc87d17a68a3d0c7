"""The columnar batch path: a DataFrame of queries in, a DataFrame of matches out."""

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import passerelle as p
from conftest import MONDAY_10AM, query

NEEDS = ["banque alimentaire", "food bank", "rent help", "aide au loyer", "emploi",
         "counselling", "meal delivery", "pensées suicidaires"]


def make_queries(n, seed=7):
    rng = np.random.default_rng(seed)
    ages = rng.integers(16, 90, n).astype("float64")
    ages[rng.random(n) < 0.3] = np.nan  # unknown for some
    return pd.DataFrame({
        "id": [f"q{i}" for i in range(n)],
        "need_text": [NEEDS[i % len(NEEDS)] for i in range(n)],
        "lat": 45.42 + rng.random(n) * 0.04,
        "lon": -75.72 + rng.random(n) * 0.06,
        "radius_km": 8.0,
        "age": ages,
        "household_size": rng.integers(1, 6, n),
    })


@pytest.fixture(scope="module")
def batch(sample):
    df = make_queries(10_000)
    return df, p.search_batch(sample, df, limit=3, at_epoch_seconds=MONDAY_10AM)


def test_columns_and_types(batch):
    df, out = batch
    assert list(out.columns) == [
        "query_index", "need_id", "need_index", "rank", "service_id", "service_at_location_id",
        "location_id", "service_name", "phone", "address", "distance_m", "via", "eligibility", "missing_facts",
        "open_now", "score", "total", "crisis", "reason", "error",
    ]
    assert str(out["query_index"].dtype) == "UInt32"
    assert str(out["rank"].dtype) == "UInt32"
    assert out["distance_m"].dtype == np.float64
    assert out["score"].dtype == np.float64
    assert str(out["open_now"].dtype) == "boolean"
    assert out["query_index"].nunique() == len(df)
    assert out["error"].isna().all()
    assert set(out["eligibility"].dropna()) <= {"eligible", "unknown", "ineligible"}
    # ids are carried through
    assert (out["need_id"] == "q" + out["query_index"].astype(str)).all()
    assert out.groupby("query_index")["rank"].max().max() <= 3


def test_equals_single_searches_on_a_sample_of_rows(sample, batch):
    df, out = batch
    rows = np.random.default_rng(1).choice(len(df), 40, replace=False)
    for i in rows:
        r = df.iloc[i]
        facts: dict[str, float] = {"household_size": int(r.household_size)}
        if not np.isnan(r.age):
            facts["age"] = float(r.age)
        single = sample.search(query(r.need_text, near=(r.lat, r.lon), max_distance_km=r.radius_km,
                                     limit=3, facts=facts))
        got = out[out.query_index == i]
        matches = single.needs[0].matches
        if not matches:
            assert got["rank"].isna().all() and got["reason"].iloc[0] == single.needs[0].no_match
            continue
        assert list(got["service_id"]) == [m.service_id for m in matches]
        assert list(got["rank"]) == [m.rank for m in matches]
        assert np.allclose(got["score"], [m.score for m in matches])
        assert list(got["eligibility"]) == [m.eligibility.status.name.lower() for m in matches]
        assert list(got["missing_facts"]) == [m.eligibility.missing_facts for m in matches]
        assert (got["total"] == single.needs[0].total).all()
        phones = [m.contact.phones[0].number + (f" ext. {m.contact.phones[0].extension}"
                  if m.contact.phones[0].extension else "") if m.contact.phones else None
                  for m in matches]
        assert [None if pd.isna(v) else v for v in got["phone"]] == phones
        addresses = [m.contact.address.one_line if m.contact.address else None for m in matches]
        assert [None if pd.isna(v) else v for v in got["address"]] == addresses


def test_crisis_rows_lead(batch):
    df, out = batch
    crisis_q = df.index[df.need_text == "pensées suicidaires"][0]
    rows = out[out.query_index == crisis_q]
    assert rows.iloc[0]["service_id"] == "svc-distress-line"
    assert (rows["crisis"] == "suicide_or_self_harm").all()


def test_facts_json_lists_of_needs_and_bad_rows(sample):
    df = pd.DataFrame({
        "need_text": [["food bank", "rent help"], ["counselling"], []],
        "facts_json": [json.dumps({"age": 70, "population": ["senior"]}), None, "[1, 2]"],
    })
    out = p.search_batch(sample, df, limit=2, at_epoch_seconds=MONDAY_10AM)
    assert set(out[out.query_index == 0]["need_index"]) == {0, 1}
    errors = out[out.query_index == 2]["error"]
    assert "facts_json" in errors.iloc[0]
    assert out[out.query_index == 1]["error"].isna().all()


def test_pyarrow_table_in_and_out(sample):
    table = pa.table({"need_text": ["food bank"] * 3, "lat": [45.43] * 3, "lon": [-75.69] * 3})
    out = p.search_batch(sample, table, limit=1, at_epoch_seconds=MONDAY_10AM)
    assert isinstance(out, pa.Table)
    assert out.schema.field("rank").type == pa.uint32()
    assert out.num_rows == 3


def test_batch_errors(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match='"agee"'):
        p.search_batch(sample, pd.DataFrame({"need_text": ["food"], "agee": [3]}))
    with pytest.raises(p.PasserelleError.InvalidInput, match="need_text"):
        p.search_batch(sample, pd.DataFrame({"lat": [45.0]}))
    with pytest.raises(p.PasserelleError.LimitExceeded):
        p.search_batch(sample, pd.DataFrame({"need_text": ["food"]}), limit=0)
    with pytest.raises(p.PasserelleError.InvalidInput, match="Arrow IPC"):
        sample.search_batch_arrow(b"not arrow", p.BatchOptions())


def test_malformed_ipc_is_invalid_input_and_silent(capfd):
    """Mutated IPC streams: InvalidInput (never Internal, i.e. no panic) and nothing on stderr."""
    table = pa.table({"id": ["a", "b"], "need": ["food bank", "rent"], "lat": [45.42, None],
                      "lon": [-75.69, None], "population": [["senior"], None]})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    data = sink.getvalue().to_pybytes()
    nav = p.Navigator.sample()
    opts = p.BatchOptions(limit=2, at_epoch_seconds=1_760_968_800)
    outcomes = set()
    for i in range(0, len(data), 3):
        for v in (0x00, 0x7F, 0xFF):
            m = bytearray(data)
            m[i] = v
            try:
                nav.search_batch_arrow(bytes(m), opts)
                outcomes.add("ok")
            except p.PasserelleError.InvalidInput:
                outcomes.add("invalid")
            except p.PasserelleError.LimitExceeded:
                outcomes.add("limit")
    assert "invalid" in outcomes
    assert capfd.readouterr().err == ""
