"""The lean single call (`passerelle.search_rows`, `Navigator.search_rows_json`) on the real
San Mateo County feed (core/tests/data/hsds/smc-ohana-full, BSD-3-Clause): the same matches
as the typed `Navigator.search`, one flat row each, details by id with a second call."""

import json

import pytest

import passerelle as p
from conftest import MONDAY_10AM, REPO, query

SMC = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
SAN_MATEO = (37.5630, -122.3255)
DALY_CITY = (37.6879, -122.4702)


@pytest.fixture(scope="module")
def smc():
    return p.Navigator.from_path(str(SMC))


def plain(text, near=SAN_MATEO, **kw):
    q = {"needs": [{"text": text}], "lat": near[0], "lon": near[1],
         "at_epoch_seconds": MONDAY_10AM}
    q.update(kw)
    return q


def one_line(phone):
    return f"{phone.number} ext. {phone.extension}" if phone.extension else phone.number


@pytest.mark.parametrize("text,facts", [
    ("counseling", {}),
    ("food pantry", {"age": 70, "household_size": 2}),
    ("legal aid for seniors", {"age": 35}),
])
def test_rows_equal_the_typed_matches(smc, text, facts):
    typed = smc.search(query(text, near=SAN_MATEO, limit=15, facts=facts))
    res = p.search_rows(smc, plain(text, limit=15, facts=facts))
    matches = typed.needs[0].matches
    assert len(matches) >= 3
    rows = res.rows
    assert len(rows) == len(matches)
    for row, m in zip(rows, matches):
        assert isinstance(row, p.ResultRow)
        assert row.need_index == 0
        assert row.rank == m.rank
        assert row.service_id == m.service_id
        assert row.service_at_location_id == m.service_at_location_id
        assert row.location_id == m.location_id
        assert row.service_name == m.service_name.value
        assert row.phone == (one_line(m.contact.phones[0]) if m.contact.phones else None)
        assert row.address == (m.contact.address.one_line if m.contact.address else None)
        assert row.distance_m == m.distance_m
        assert row.via == m.via.name.lower()
        assert row.eligibility == m.eligibility.status.name.lower()
        assert row.missing_facts == m.eligibility.missing_facts
        assert row.open_now == m.open_now
        assert row.score == m.score
        assert row.total == typed.needs[0].total
        assert row.crisis is None and row.reason is None
    assert res.crisis is None
    assert res.at_epoch_seconds == MONDAY_10AM
    # San Mateo listings carry phones and addresses: the rows are enough to act on.
    assert sum(r.phone is not None for r in rows) >= len(rows) - 2
    assert sum(r.address is not None for r in rows) >= len(rows) - 2


def test_columns_are_the_arrow_batch_columns(smc):
    out = json.loads(smc.search_rows_json(json.dumps(plain("counseling")).encode()))
    assert out["columns"] == list(p.ResultRow._fields)
    assert all(len(r) == len(p.ResultRow._fields) for r in out["rows"])
    batch = p.search_batch(smc, __import__("pandas").DataFrame(
        {"need_text": ["counseling"], "lat": [SAN_MATEO[0]], "lon": [SAN_MATEO[1]]}),
        at_epoch_seconds=MONDAY_10AM)
    assert set(p.ResultRow._fields) <= set(batch.columns)  # the same names, none renamed
    assert list(batch["service_id"]) == [r.service_id for r in
                                         p.search_rows(smc, plain("counseling")).rows]


def test_details_by_id_with_a_second_call(smc):
    row = next(r for r in p.search_rows(smc, plain("food pantry", near=DALY_CITY)).rows
               if r.location_id)
    assert row.service_id is not None
    service = smc.service(row.service_id)
    assert service is not None and service.name.value == row.service_name
    location = smc.location(row.location_id)
    assert location is not None and row.service_id in location.service_ids


def test_a_need_without_match_and_several_needs(smc):
    res = p.search_rows(smc, {"needs": [{"text": "food pantry"}, {"text": "zzqxv"}],
                              "lat": SAN_MATEO[0], "lon": SAN_MATEO[1], "limit": 3,
                              "at_epoch_seconds": MONDAY_10AM})
    first = [r for r in res.rows if r.need_index == 0]
    [second] = [r for r in res.rows if r.need_index == 1]
    assert [r.rank for r in first] == [1, 2, 3]
    assert second.rank is None and second.service_id is None
    assert second.reason == "need_not_understood"
    assert second.missing_facts == []


def test_crisis_notice_comes_with_the_rows(smc):
    res = p.search_rows(smc, plain("I want to kill myself"))
    typed = smc.search(query("I want to kill myself", near=SAN_MATEO))
    notice = res.crisis
    assert typed.crisis is not None and notice is not None
    assert notice["kind"] == "suicide_or_self_harm"
    assert notice["message"]["en"] == typed.crisis.message.en
    assert notice["message"]["fr"] == typed.crisis.message.fr
    assert notice["needs"] == [0]
    assert res.rows and all(r.crisis == "suicide_or_self_harm" for r in res.rows)


def test_bad_queries_are_typed_errors_that_never_echo_values(smc):
    with pytest.raises(p.PasserelleError.InvalidInput) as e:
        p.search_rows(smc, {"needs": [{"text": "x"}], "lat": "1 Main St my home"})
    assert "Main" not in str(e.value)
    with pytest.raises(p.PasserelleError.InvalidInput, match="unknown field"):
        p.search_rows(smc, {"needs": [{"text": "x"}], "agee": 41})
    with pytest.raises(p.PasserelleError.InvalidInput):
        smc.search_rows_json(b"{")
    with pytest.raises(p.PasserelleError.InvalidInput, match="UTF-8"):
        smc.search_rows_json(b'{"needs": [{"text": "\xff"}]}')
    with pytest.raises(p.PasserelleError.LimitExceeded):
        p.search_rows(smc, {"needs": [{"text": "x"}], "limit": 0})
