"""A real feed as it comes: the full San Mateo County directory (smc-ohana-full, BSD-3-Clause,
see its ATTRIBUTION.md), loaded through the wheel: no import error, hours in Pacific time across
daylight saving, a wheelchair user who gets results, and the directory zone set at load."""

import datetime as dt
import collections

import pytest

import passerelle as p

from conftest import REPO

SMC_FULL = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
SMC_SAMPLE = REPO / "core" / "tests" / "data" / "hsds" / "ohana-smc-hsds3"
# "A project of the Tides Center", Pacifica: Friday 08:30-13:30 Pacific.
TIDES = "9f74b7fa-56c4-5d66-b2e4-e4b1bc6749de"
TIDES_AT = (37.635091, -122.491878)
SAN_MATEO = (37.5630, -122.3255)
PACIFIC_STANDARD = dt.timezone(dt.timedelta(hours=-8))
PACIFIC_DAYLIGHT = dt.timezone(dt.timedelta(hours=-7))


def epoch(y, m, d, h, mi, tz):
    return int(dt.datetime(y, m, d, h, mi, tzinfo=tz).timestamp())


@pytest.fixture(scope="module")
def smc():
    assert SMC_FULL.is_dir(), SMC_FULL
    return p.Navigator.from_path(str(SMC_FULL))


def test_full_feed_loads_with_no_error(smc):
    report = smc.import_report()
    assert report.errors == 0, [x.summary for x in report.problems if x.severity == p.Severity.ERROR][:3]
    assert report.loaded["services"] == 1709
    kinds = collections.Counter(x.kind for x in report.problems)
    assert "no_time_zone" not in kinds
    assert kinds["normalized"] == 1  # one note for the 4,053 rows naming America/Los_Angeles
    assert kinds["suspect_coordinates"] > 0  # national offices far from the county
    assert kinds["stale"] == 1  # the package dates the snapshot 2014-05-25
    note = next(x for x in report.problems if x.kind == "normalized")
    assert note.field == "timezone" and "America/Los_Angeles" in note.message
    assert smc.directory_info().timezone == "America/Los_Angeles"


def pantry_at(nav, when):
    q = p.SearchQuery(
        needs=[p.NeedInput(text="food pantry")],
        lat=TIDES_AT[0],
        lon=TIDES_AT[1],
        max_distance_km=2,
        at_epoch_seconds=when,
        limit=100,
    )
    return next(m for m in nav.search(q).needs[0].matches if m.service_id == TIDES)


def test_hours_across_daylight_saving(smc):
    # 02:43 Pacific on a Friday: closed (it read "open until 13:30" when judged in UTC)
    night = pantry_at(smc, epoch(2026, 11, 6, 2, 43, PACIFIC_STANDARD))
    assert night.open_now is False
    assert night.next_opening_epoch_seconds == epoch(2026, 11, 6, 8, 30, PACIFIC_STANDARD)
    # 21:00 UTC on a Friday: 13:00 PST (open) before 2026-03-08, 14:00 PDT (closed) after
    assert pantry_at(smc, epoch(2026, 3, 6, 21, 0, dt.timezone.utc)).open_now is True
    assert pantry_at(smc, epoch(2026, 3, 13, 21, 0, dt.timezone.utc)).open_now is False
    assert pantry_at(smc, epoch(2026, 3, 13, 13, 0, PACIFIC_DAYLIGHT)).open_now is True


def counselling(nav, strict):
    q = p.SearchQuery(
        needs=[p.NeedInput(text="counselling")],
        lat=SAN_MATEO[0],
        lon=SAN_MATEO[1],
        delivery=p.Delivery.IN_PERSON_ONLY,
        accessibility=["wheelchair"],
        require_accessibility=strict,
        at_epoch_seconds=epoch(2026, 11, 18, 12, 0, PACIFIC_STANDARD),
        limit=50,
    )
    return nav.search(q).needs[0]


def test_a_wheelchair_user_gets_results(smc):
    need = counselling(smc, strict=False)
    assert need.total > 10
    assert need.no_match is None
    first = need.matches[0]
    reason = next(r for r in first.reasons if r.factor == "accessibility")
    assert reason.en == "Lists wheelchair access."
    assert reason.fr == "Indique : accès en fauteuil roulant."
    strict = counselling(smc, strict=True)
    assert 0 < strict.total <= need.total
    for m in strict.matches:
        access = next(f for f in m.breakdown if f.factor == "accessibility") if m.breakdown else None
        assert access is None or access.value == 1.0
        r = next(r for r in m.reasons if r.factor == "accessibility")
        assert r.en == "Lists wheelchair access."


def test_time_zone_set_at_load():
    bare = p.Navigator.from_path(str(SMC_SAMPLE))
    kinds = [x.kind for x in bare.import_report().problems]
    assert kinds.count("no_time_zone") == 1
    assert bare.directory_info().timezone is None
    zoned = p.Navigator.from_path(str(SMC_SAMPLE), time_zone="America/Los_Angeles")
    assert "no_time_zone" not in [x.kind for x in zoned.import_report().problems]
    assert zoned.directory_info().timezone == "America/Los_Angeles"
    report = zoned.replace_directory_from_path(str(SMC_SAMPLE), time_zone="America/New_York")
    assert report.errors == 0
    assert zoned.directory_info().timezone == "America/New_York"
    with pytest.raises(p.PasserelleError.InvalidInput, match="time_zone"):
        p.Navigator.from_path(str(SMC_SAMPLE), time_zone="Pacific Time")
