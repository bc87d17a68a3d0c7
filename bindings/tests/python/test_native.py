"""The Python surface feels native: reprs, localized text, enums from strings, numpy/pandas
facts, the typed package, the command-line entry point. All through the installed wheel."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any

import pytest

import passerelle as p
from passerelle import _repr
from conftest import BYWARD, MONDAY_10AM, REPO


def _food(nav: p.Navigator, **kw):
    q = p.SearchQuery(
        needs=[p.NeedInput(text="banque alimentaire")],
        lat=BYWARD[0],
        lon=BYWARD[1],
        at_epoch_seconds=MONDAY_10AM,
        **kw,
    )
    return nav.search(q)


def test_result_records_have_readable_repr(sample):
    res = _food(sample, facts={"age": 70})
    top = res.needs[0].matches[0]
    r = repr(top)
    assert r.startswith("ServiceMatch(rank=1, service_id=" + repr(top.service_id))
    assert "service_name=LocalizedText(value=" in r
    assert "eligibility=MatchEligibility(status=EligibilityStatus." in r
    assert repr(res).startswith("SearchResult(needs=[NeedMatches(")
    assert repr(sample.directory_info()).startswith("DirectoryInfo(name=")


def test_resident_records_are_not_dumped_by_repr(sample):
    # Their repr belongs to the redaction layer: the generic record repr must not show facts.
    q = p.SearchQuery(needs=[p.NeedInput(text="x")], facts={"age": 70, "province": "ON"})
    assert type(q).__repr__ is not _repr._record_repr
    assert "province" not in repr(q) and "70" not in repr(q)


def test_every_record_gets_a_repr_except_resident_ones():
    classes = _repr.record_classes()
    names = {c.__name__ for c in classes}
    assert {"ServiceMatch", "SearchResult", "LocalizedText", "ImportReport"} <= names
    for cls in classes:
        redacted = _repr._is_redacted(cls.__name__)
        assert (cls.__repr__ is _repr._record_repr) != redacted, cls.__name__


def test_localized_text_get_en_fr_str(sample):
    name = _food(sample).needs[0].matches[0].service_name
    assert name.get("fr") == p.localized(name, "fr")
    assert name.fr == p.localized(name, "fr") and name.en == p.localized(name, "en")
    assert name.fr != name.en  # the sample is bilingual
    assert str(name) == name.value


def test_engine_texts_are_localized_text(sample):
    # Texts the engine writes: English as the value, French as the "fr" translation.
    res = sample.search(p.SearchQuery(needs=[p.NeedInput(text="pensées suicidaires")]))
    assert res.crisis is not None
    assert isinstance(res.crisis.message, p.LocalizedText)
    # .en/.fr/.get are attached at import (_repr.install); the stubs declare only the fields.
    text: Any = res.crisis.message
    assert text.value == text.en
    assert "9-8-8" in text.translations["fr"] and text.fr == text.translations["fr"]
    assert text.get("fr") == text.fr and text.get("fr-CA") == text.fr
    assert text.get("en") == text.en and str(text) == text.en


def test_enums_accept_snake_case_strings(sample):
    assert p.Delivery("in_person_only") is p.Delivery.IN_PERSON_ONLY
    assert p.Travel("walk") is p.Travel.WALK
    by_string = _food(sample, delivery="in_person_only", travel="walk")
    by_enum = _food(sample, delivery=p.Delivery.IN_PERSON_ONLY, travel=p.Travel.WALK)
    assert by_string == by_enum
    with pytest.raises(ValueError, match="expected one of: remote_acceptable"):
        _food(sample, delivery="by_pigeon")


def test_numpy_scalars_and_none_as_facts(sample):
    np = pytest.importorskip("numpy")
    plain = _food(sample, facts={"age": 70, "household_size": 2, "disability": False})
    numpy = _food(
        sample,
        facts={
            "age": np.int64(70),
            "household_size": np.float64(2.0),
            "disability": np.bool_(False),
            "household_income": None,
        },
    )
    assert plain == numpy
    assert p.facts({"age": np.int32(3), "x": None}) == {"age": p.FactValue.NUMBER(3.0)}
    # NaN is a data error, not "unknown": refused, naming the fact and not the value.
    with pytest.raises(p.PasserelleError.InvalidInput, match='fact "age"'):
        sample.evaluate_eligibility("svc-rideau-meal-delivery", {"age": np.float64("nan")})


def test_pandas_row_as_facts(sample):
    pd = pytest.importorskip("pandas")
    row = pd.DataFrame({"age": [70], "household_size": [pd.NA]}).astype("Int64").iloc[0]
    assert p.facts(row.to_dict()) == {"age": p.FactValue.NUMBER(70.0)}


def test_package_is_typed():
    pkg = pathlib.Path(p.__file__).resolve().parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "__init__.pyi").is_file()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "passerelle", *args], capture_output=True, text=True, timeout=120
    )


def test_cli_version():
    out = _cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"passerelle {p.__version__}"


def test_cli_runs_every_command_of_the_tool():
    usage = _cli("help")
    assert usage.returncode == 0
    for command in ("demo", "search", "validate", "export", "subset", "gaps", "snapshot"):
        assert f"\n  {command} " in usage.stdout, command


def test_cli_search_real_directory_as_the_binary_does():
    d = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
    out = _cli("search", str(d), "--need", "food pantry", "--lat", "37.53", "--lon", "-122.29",
               "--radius-km", "10", "--limit", "3", "--json")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)[0]["results"]
    matches = res["needs"][0]["matches"]
    assert 1 <= len(matches) <= 3
    assert all(m["service_id"] for m in matches)
    # the same query through search_dict gives the same services, in the same order
    nav = p.Navigator.from_path(str(d))
    same = p.search_dict(nav, {"needs": [{"text": "food pantry"}], "lat": 37.53, "lon": -122.29,
                               "max_distance_km": 10, "limit": 3})
    assert [m["service_id"] for m in matches] == [
        m["service_id"] for m in same["needs"][0]["matches"]]


def test_cli_snapshot_then_search_it(tmp_path):
    d = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
    snap = tmp_path / "smc.psnap"
    out = _cli("snapshot", str(d), "--out", str(snap))
    assert out.returncode == 0, out.stderr
    assert snap.stat().st_size > 0
    found = _cli("search", str(snap), "--need", "food pantry", "--lat", "37.53", "--lon",
                 "-122.29", "--format", "csv")
    assert found.returncode == 0, found.stderr
    assert len(found.stdout.splitlines()) >= 2


def test_cli_validate_real_directory():
    d = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
    out = _cli("validate", str(d))
    assert out.returncode in (0, 1), out.stderr
    assert out.stdout.strip()


def test_cli_bad_command_line_is_a_usage_error_not_a_traceback(tmp_path):
    out = _cli("validate", str(tmp_path / "missing"))
    assert out.returncode == 1 and out.stderr.startswith("error: ")
    assert "Traceback" not in out.stderr
    bad = _cli("search", "--radius-km", "far")
    assert bad.returncode == 2 and "usage: passerelle" in bad.stderr
