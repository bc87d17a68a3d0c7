"""One search as JSON text (`Navigator.search_json`, `passerelle.search_dict`)."""

import json

import pytest

import passerelle as p
from conftest import BYWARD, MONDAY_10AM


def _typed_and_dict(facts):
    typed = p.SearchQuery(
        needs=[p.NeedInput(text="banque alimentaire"), p.NeedInput(terms=["housing"])],
        lat=BYWARD[0],
        lon=BYWARD[1],
        max_distance_km=8,
        delivery=p.Delivery.IN_PERSON_ONLY,
        facts=facts,
        languages=["fr"],
        at_epoch_seconds=MONDAY_10AM,
        limit=7,
        explain=True,
    )
    plain = {
        "needs": [{"text": "banque alimentaire"}, {"terms": ["housing"]}],
        "lat": BYWARD[0],
        "lon": BYWARD[1],
        "max_distance_km": 8,
        "delivery": "in_person_only",
        "facts": facts,
        "languages": ["fr"],
        "at_epoch_seconds": MONDAY_10AM,
        "limit": 7,
        "explain": True,
    }
    return typed, plain


def test_dict_search_matches_the_typed_search(sample):
    facts = {"age": 70, "province": "ON", "disability": False, "benefits": ["odsp"]}
    typed_q, plain_q = _typed_and_dict(facts)
    typed = sample.search(typed_q)
    res = p.search_dict(sample, plain_q)
    assert len(res["needs"]) == 2
    for t, d in zip(typed.needs, res["needs"]):
        assert d["total"] == t.total and t.total > 0
        assert [m["service_id"] for m in d["matches"]] == [m.service_id for m in t.matches]
        assert [m["score"] for m in d["matches"]] == [m.score for m in t.matches]
        assert [m["via"] for m in d["matches"]] == ["in_person"] * len(t.matches)
        assert d["understood_as"] == t.understood_as
        top = d["matches"][0]
        assert top["service_name"]["value"] == t.matches[0].service_name.value
        assert top["eligibility"]["status"] in {"eligible", "unknown", "ineligible"}
        assert abs(sum(f["contribution"] for f in top["breakdown"]) - top["score"]) < 1e-9
    assert [q["fact"] for q in res["next_questions"]] == [q.fact for q in typed.next_questions]
    assert res["at_epoch_seconds"] == MONDAY_10AM


def test_crisis_and_defaults_through_json(sample):
    res = json.loads(sample.search_json(json.dumps({"needs": [{"text": "pensées suicidaires"}]})))
    assert res["crisis"]["kind"] == "suicide_or_self_harm"
    assert "9-8-8" in res["crisis"]["message"]["fr"]
    assert res["needs"][0]["matches"][0]["crisis_line"] is True
    assert len(res["needs"][0]["matches"]) <= 5  # default limit


@pytest.mark.parametrize(
    "query, expected",
    [
        ("{", "not valid JSON"),
        ('{"needs": [{"text": "x"}], "agee": 70}', "unknown field `agee`"),
        ('{"lat": 45}', "missing field `needs`"),
        ('{"needs": [{"text": "x"}], "facts": {"household_income": {"v": 31337}}}', "a fact must be"),
        ('{"needs": [{"text": "x"}], "lat": "12 Elm Street"}', "wrong type"),
        ('{"needs": [{"text": "x"}], "lat": 95, "lon": 0}', "latitude"),
        ('{"needs": []}', "need"),
    ],
)
def test_bad_json_is_invalid_input_without_values(sample, query, expected):
    with pytest.raises(p.PasserelleError.InvalidInput) as e:
        sample.search_json(query)
    assert expected in e.value.reason
    for secret in ("31337", "Elm"):
        assert secret not in str(e.value)


def test_oversized_query_json_is_a_limit(sample):
    with pytest.raises(p.PasserelleError.LimitExceeded):
        sample.search_json(json.dumps({"needs": [{"text": "a" * 300_000}]}))
