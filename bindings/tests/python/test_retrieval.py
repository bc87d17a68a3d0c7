"""Ranked retrieval and crisis safety through Python, on the real San Mateo County feed
(core/tests/data/hsds/smc-ohana-full, BSD-3-Clause)."""

import csv
import json
import pathlib

import pytest

import passerelle as p

REPO = pathlib.Path(__file__).resolve().parents[3]
SMC = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
AT = 1_795_550_400  # 2026-11-18 20:00 UTC


@pytest.fixture(scope="module")
def nav():
    return p.Navigator.from_path(str(SMC))


def names(res, n=3):
    out = []
    for need in res.needs:
        for m in need.matches:
            if m.service_name.value not in out:
                out.append(m.service_name.value)
    return out[:n]


def search(nav, text, near=True, limit=10):
    lat, lon, radius = (37.53, -122.29, 10.0) if near else (None, None, None)
    q = p.SearchQuery(
        needs=[p.NeedInput(text=text)],
        at_epoch_seconds=AT,
        limit=limit,
        lat=lat,
        lon=lon,
        max_distance_km=radius,
    )
    return nav.search(q)


def test_everyday_words_find_services(nav):
    assert any("Second Harvest Food Bank" in n for n in names(search(nav, "fod bank", near=False)))
    assert any("Second Harvest Food Bank" in n for n in names(search(nav, "foodbank", near=False)))
    res = search(nav, "I need help paying my PG&E bill", near=False)
    assert res.needs[0].matches, res.needs[0].no_match


def test_french_need_on_english_directory(nav):
    res = search(nav, "aide alimentaire", near=False)
    assert all(code != "AIDS" for code in res.needs[0].understood_as)
    assert any("Food" in n or "Pantry" in n for n in names(res)), names(res, 5)


def test_crisis_line_leads(nav):
    res = search(nav, "I want to die")
    assert res.crisis is not None
    first = res.needs[0].matches[0]
    assert first.crisis_line
    assert "Crisis Intervention and Suicide Prevention Center" in names(res, 5)


def test_deployer_flags_a_crisis_service():
    with open(SMC / "services.csv", encoding="utf-8") as f:
        target = next(r["id"] for r in csv.DictReader(f) if r["name"] == "Parents Place")
    flagged = p.Navigator.from_path(
        str(SMC), settings=p.NavigatorSettings(crisis_services=[target], crisis_terms=[])
    )
    res = search(flagged, "I want to die", near=False, limit=100)
    assert any(m.service_id == target for m in res.needs[0].matches)


def test_unknown_query_codes_are_typed_errors_with_a_suggestion(nav):
    """A population the feed does not know, a misspelt accessibility code: InvalidInput that
    names the field and the closest known code, never the code given."""
    def query(
        populations: list[str] | None = None, accessibility: list[str] | None = None
    ) -> p.SearchQuery:
        return p.SearchQuery(
            needs=[p.NeedInput(text="food pantry")],
            at_epoch_seconds=AT,
            limit=3,
            populations=populations or [],
            accessibility=accessibility or [],
        )

    with pytest.raises(p.PasserelleError.InvalidInput, match=r"populations\[0\]") as e:
        nav.search(query(populations=["south-asian"]))
    assert "south-asian" not in str(e.value)
    with pytest.raises(p.PasserelleError.InvalidInput, match='did you mean "wheelchair"'):
        nav.search(query(accessibility=["wheelchiar"]))
    assert nav.search(query(accessibility=["wheelchair"])).needs


def test_a_need_not_understood_suggests_categories_and_words(nav):
    """Three edits from "transportation": not understood, so the answer suggests the
    directory's own category and words rather than saying no service offers it."""
    res = search(nav, "transportashun", near=False)
    need = res.needs[0]
    assert need.total == 0
    assert need.no_match == "need_not_understood"
    first = need.suggestions[0]
    assert (first.text, first.term) == ("Transportation", "105-02")
    assert any(s.term is None and s.text == "transport" for s in need.suggestions)
    by_term = nav.search(
        p.SearchQuery(needs=[p.NeedInput(terms=[first.term])], at_epoch_seconds=AT)
    )
    assert by_term.needs[0].total > 0
    # The JSON result carries the same suggestions.
    out = json.loads(nav.search_json(json.dumps({"needs": [{"text": "transportashun"}]})))
    assert out["needs"][0]["suggestions"][0] == {"text": "Transportation", "term": "105-02"}


def test_an_understood_need_gets_no_suggestions(nav):
    res = search(nav, "food pantry", near=False)
    assert res.needs[0].matches
    assert res.needs[0].suggestions == []
