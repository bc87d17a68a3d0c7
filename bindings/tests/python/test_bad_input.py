"""The README bad-input table, row by row, through the Python API.

One test per row, named after the row's Rust test in ``core/tests/hardening_bad_input.rs``.
Each builds the bad input for real (a copy of the sample HSDS folder with one file spoiled, a
JSON document, a rule, a query), goes through the public Python API, and checks both what the
caller gets (the typed exception, or the import-report problem with its table, row and field)
and that the valid data around the bad input is still there (other rows load, the directory
still searches).

``Navigator.from_path`` / ``from_json`` import with the default limits (Python cannot change
them), so the limit rows use the defaults: 1 MiB fields, 512 MiB files (a sparse file, so the
test writes a few bytes), 1 000 000 rows, 20 000 extent vertices.
"""

import csv
import json
import math
import os
import pathlib
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout

import pytest

import passerelle as p
from conftest import BYWARD, MONDAY_10AM

# ---- helpers --------------------------------------------------------------------------------

# Inputs of a single table other than services: accepted with min_services=0 (by default an
# import without services is fatal, see test_an_empty_or_wrong_input_is_fatal).
NO_SERVICES_OK = p.ImportLimits(min_services=0)


@pytest.fixture
def feed(tmp_path, sample_dir):
    """A writable copy of the sample HSDS folder (102 services, loads without errors)."""
    d = tmp_path / "feed"
    shutil.copytree(sample_dir, d)
    return d


def read_rows(folder, name):
    with open(folder / name, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)


def write_rows(folder, name, header, rows):
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, header, lineterminator="\n", restval="")
        w.writeheader()
        w.writerows(rows)


def set_field(folder, name, record_id, field, value):
    """Sets one cell of the record `record_id` in `folder/name`."""
    header, rows = read_rows(folder, name)
    hits = [r for r in rows if r["id"] == record_id]
    assert len(hits) == 1, (name, record_id)
    hits[0][field] = value
    write_rows(folder, name, header, rows)


def append_rows(folder, name, rows):
    header, existing = read_rows(folder, name)
    write_rows(folder, name, header, existing + rows)


def write(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def problems(nav, kind):
    return [x for x in nav.import_report().problems if x.kind == kind]


def one(nav, kind):
    found = problems(nav, kind)
    assert len(found) == 1, [x.summary for x in nav.import_report().problems]
    return found[0]


def search(nav, text, *, facts=None, **kw):
    kw.setdefault("at_epoch_seconds", MONDAY_10AM)
    q = p.SearchQuery(
        needs=[p.NeedInput(text=text)], lat=BYWARD[0], lon=BYWARD[1], facts=facts or {}, **kw
    )
    return nav.search(q)


def offered(nav, text, **kw):
    return [m.service_id for m in search(nav, text, **kw).needs[0].matches]


def sample_still_works(nav, services=102):
    """The valid neighbours: every sample service loaded and food banks are still found."""
    assert nav.directory_info().services == services
    assert "svc-hub-food-bank" in offered(nav, "food bank")


# ---- HSDS tables ----------------------------------------------------------------------------


def test_malformed_csv(feed):
    with open(feed / "organizations.csv", "a", encoding="utf-8") as f:
        f.write("org-extra,Too many fields" + "," * 16 + "\n")  # 18 fields, header has 15
        f.write('"org-unterminated,Quote never closed\n')
    nav = p.Navigator.from_path(str(feed))
    bad = problems(nav, "malformed_row")
    assert [(x.table, x.row, x.severity) for x in bad] == [
        ("organizations", 41, p.Severity.ERROR),
        ("organizations", 42, p.Severity.ERROR),
    ]
    assert bad[0].record_id == "org-extra"
    assert "18 fields" in bad[0].message and "15 columns" in bad[0].message
    assert nav.import_report().loaded["organizations"] == 40  # the sample's 40, bad rows skipped
    sample_still_works(nav)


def test_wrong_types(feed):
    set_field(feed, "services.csv", "svc-vanier-seniors-lunch", "minimum_age", "twelve")
    set_field(feed, "services.csv", "svc-hub-food-bank", "assured_date", "yesterday")
    set_field(feed, "services.csv", "svc-hub-hot-meals", "status", "sort of open")
    nav = p.Navigator.from_path(str(feed))
    bad = {(x.record_id, x.field) for x in problems(nav, "invalid_value")}
    assert bad == {
        ("svc-vanier-seniors-lunch", "minimum_age"),
        ("svc-hub-food-bank", "assured_date"),
        ("svc-hub-hot-meals", "status"),
    }
    sample_still_works(nav)
    # The record loaded without that field: the seniors' lunch no longer has an age limit,
    # so a 30-year-old is eligible (with minimum_age 55 it would be ineligible).
    out = nav.evaluate_eligibility("svc-vanier-seniors-lunch", {"age": 30})
    assert out.status == p.EligibilityStatus.ELIGIBLE


def test_hundred_megabyte_field(feed):
    with open(feed / "organizations.csv", "a", encoding="utf-8") as f:
        f.write("org-huge,Huge description,,")
        f.write("x" * (100 * 1024 * 1024))
        f.write("," * 11 + "\n")  # 15 fields in all
        f.write("org-after,Row after the huge one" + "," * 13 + "\n")
    start = time.monotonic()
    nav = p.Navigator.from_path(str(feed))
    took = time.monotonic() - start
    big = one(nav, "field_too_large")
    assert (big.table, big.row, big.record_id, big.field) == (
        "organizations",
        41,
        "org-huge",
        "description",
    )
    assert "x" * 100 not in big.message and "x" * 100 not in big.summary  # measured, not quoted
    assert nav.import_report().loaded["organizations"] == 42  # the row itself and the next load
    assert nav.directory_info().organizations == 42
    sample_still_works(nav)
    assert took < 30, took


def test_oversized_file(feed, tmp_path):
    # A sparse file just over the default 512 MiB: refused from its size, never read.
    with open(feed / "cost_options.csv", "r+b") as f:
        f.truncate((512 << 20) + 1)
    nav = p.Navigator.from_path(str(feed))
    big = one(nav, "file_too_large")
    assert (big.table, big.source, big.row) == ("cost_options", "cost_options.csv", None)
    assert "cost_options" not in nav.import_report().loaded
    sample_still_works(nav)
    # A JSON file over the limit is a whole-input error.
    path = write(tmp_path, "big.json", '{"services": []}')
    with open(path, "r+b") as f:
        f.truncate((512 << 20) + 1)
    with pytest.raises(p.PasserelleError.LimitExceeded, match="max_file_bytes"):
        p.Navigator.from_path(str(path))


def test_too_many_rows(tmp_path, sample_dir):
    """The default max_rows (1 000 000): the table is cut at row 1 000 001."""
    d = tmp_path / "rows"
    d.mkdir()
    shutil.copy(sample_dir / "taxonomies.csv", d)
    with open(d / "organizations.csv", "w", encoding="utf-8") as f:
        f.write("id,name\n")
        f.writelines(f"o{i},n\n" for i in range(1_000_005))
    nav = p.Navigator.from_path(str(d), NO_SERVICES_OK)
    over = one(nav, "too_many_rows")
    assert (over.table, over.row) == ("organizations", 1_000_001)
    report = nav.import_report()
    assert report.loaded["organizations"] == 1_000_000
    assert report.loaded["taxonomies"] == 3  # other tables load


def test_deeply_nested_json():
    deep = "[" * 100_000 + "]" * 100_000
    start = time.monotonic()
    with pytest.raises(p.PasserelleError.LimitExceeded, match="nested too deeply"):
        p.Navigator.from_json(deep)
    assert time.monotonic() - start < 5
    # NDJSON: only the deep line is skipped.
    lines = [
        json.dumps({"id": "o1", "name": "First", "website": "https://example.org/1"}),
        '{"a":' * 200 + "1" + "}" * 200,
        json.dumps({"id": "o2", "name": "Second", "website": "https://example.org/2"}),
    ]
    nav = p.Navigator.from_json("\n".join(lines) + "\n", NO_SERVICES_OK)
    bad = one(nav, "too_deep")
    assert bad.json_line == 2 and bad.row is None
    assert nav.directory_info().organizations == 2


def test_deeply_nested_rule(feed):
    """Rule text through validate_rule/explain_rule. The JSON rule form is not exposed to
    Python (core's `Rule::from_json`); the same depth in a feed's `eligibility_rule` is
    checked instead: a build problem, the service still offered."""
    deep = "(" * 65 + "age >= 1" + ")" * 65
    with pytest.raises(p.PasserelleError.InvalidRule, match="deeper than 64") as e:
        p.validate_rule(deep)
    assert (e.value.line, e.value.column) == (1, 65)
    with pytest.raises(p.PasserelleError.InvalidRule, match="deeper than 64"):
        p.validate_rule("not " * 10_000 + "disability")
    with pytest.raises(p.PasserelleError.InvalidRule, match="deeper than 64"):
        p.explain_rule(deep, {"age": 30})
    assert p.validate_rule("(" * 64 + "age >= 1" + ")" * 64).facts == ["age"]

    set_field(feed, "services.csv", "svc-doorstep-grocery", "eligibility_rule", deep)
    nav = p.Navigator.from_path(str(feed))
    assert [b.record_id for b in nav.import_report().build_problems] == ["svc-doorstep-grocery"]
    assert "svc-doorstep-grocery" in offered(nav, "grocery delivery")
    sample_still_works(nav)


def test_oversized_rule(feed):
    text = "age >= 1 or " * 6_000 + "true"
    assert len(text.encode()) > 64 * 1024
    with pytest.raises(p.PasserelleError.LimitExceeded, match="65536") as e:
        p.validate_rule(text)
    assert "age >= 1 or age" not in str(e.value)  # the limit is named, the text is not quoted
    with pytest.raises(p.PasserelleError.LimitExceeded, match="65536"):
        p.explain_rule(text, {"age": 30})
    # In a feed (70 KiB is well under the 1 MiB field limit): a build problem.
    set_field(feed, "services.csv", "svc-doorstep-grocery", "eligibility_rule", text)
    nav = p.Navigator.from_path(str(feed))
    build = nav.import_report().build_problems
    assert [b.record_id for b in build] == ["svc-doorstep-grocery"]
    assert "65536" in build[0].message
    assert "svc-doorstep-grocery" in offered(nav, "grocery delivery")


def test_bad_rule_in_a_feed(feed):
    set_field(feed, "services.csv", "svc-doorstep-grocery", "eligibility_rule", "aeg >= 55 or (")
    nav = p.Navigator.from_path(str(feed))
    report = nav.import_report()
    assert report.errors == 0  # the CSV itself is fine: the rule fails when the navigator builds
    assert [b.record_id for b in report.build_problems] == ["svc-doorstep-grocery"]
    assert "eligibility_rule" in report.build_problems[0].message
    young = {"age": 30, "disability": False}
    # The service with the bad rule is still offered ...
    assert "svc-doorstep-grocery" in offered(nav, "grocery delivery", facts=young)
    # ... and the other services' rules still apply: svc-rideau-meal-delivery is
    # `age >= 65 or (disability and age >= 18)`, so not offered to this resident ...
    assert "svc-rideau-meal-delivery" not in offered(nav, "grocery delivery", facts=young)
    # ... and listed as ineligible when asked for.
    res = search(nav, "grocery delivery", facts=young, include_ineligible=True)
    status = {m.service_id: m.eligibility.status for m in res.needs[0].matches}
    assert status["svc-rideau-meal-delivery"] == p.EligibilityStatus.INELIGIBLE
    assert status["svc-doorstep-grocery"] != p.EligibilityStatus.INELIGIBLE


def test_bad_rule_keeps_the_services_other_conditions(feed):
    """svc-rideau-meal-delivery has minimum_age 18 *and* an eligibility_rule: a broken rule
    text must not drop its valid minimum age."""
    set_field(feed, "services.csv", "svc-rideau-meal-delivery", "eligibility_rule", "age >= (")
    nav = p.Navigator.from_path(str(feed))
    assert [b.record_id for b in nav.import_report().build_problems] == [
        "svc-rideau-meal-delivery"
    ]
    child = nav.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 10})
    assert child.status == p.EligibilityStatus.INELIGIBLE
    assert [c.rule_text for c in child.failed] == ["age >= 18"]
    adult = nav.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 30})
    assert adult.status == p.EligibilityStatus.ELIGIBLE


# ---- coordinates and polygons ---------------------------------------------------------------


def polygon_csv(ring):
    """An `extent` cell: GeoJSON Polygon text (csv.DictWriter quotes it)."""
    return json.dumps({"type": "Polygon", "coordinates": [ring]}, separators=(",", ":"))


def area_row(area_id, extent):
    return {"id": area_id, "service_id": "svc-hub-food-bank", "name": area_id, "extent": extent}


def test_nan_infinite_out_of_range_coordinates(feed, sample):
    """Query side: validate_point and SearchQuery lat/lon. Feed side: location rows. The Rust
    row's `validate_area` is not exposed to Python; the same bad vertices in a feed's
    service-area extent go to the import report instead."""
    for lat, lon in [(math.nan, 0.0), (0.0, math.inf), (91.0, 0.0), (0.0, -180.5)]:
        with pytest.raises(p.PasserelleError.InvalidInput, match="invalid coordinate") as e:
            p.validate_point(lat, lon)
        bad = lat if lat != 0.0 else lon
        assert str(bad) not in e.value.reason  # the resident's point is not echoed
        with pytest.raises(p.PasserelleError.InvalidInput, match="invalid coordinate"):
            sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")], lat=lat, lon=lon))

    set_field(feed, "locations.csv", "loc-hub-byward", "latitude", "NaN")
    append_rows(
        feed,
        "locations.csv",
        [
            {"id": "loc-inf", "organization_id": "org-lowertown-hub", "name": "I",
             "latitude": "inf", "longitude": "1"},
            {"id": "loc-100", "organization_id": "org-lowertown-hub", "name": "C",
             "latitude": "100", "longitude": "1"},
            {"id": "loc-1e999", "organization_id": "org-lowertown-hub", "name": "E",
             "latitude": "1e999", "longitude": "1"},
        ],
    )
    append_rows(
        feed,
        "service_areas.csv",
        [
            area_row("sa-nan", polygon_csv([[0, 0], [1e999, 1], [1, 0], [0, 0]])),
            area_row("sa-lat-100", polygon_csv([[0, 0], [1, 100], [1, 0], [0, 0]])),
        ],
    )
    nav = p.Navigator.from_path(str(feed))
    coords = {(x.record_id, x.field, x.kind) for x in nav.import_report().problems
              if x.table == "locations"}
    assert coords == {
        ("loc-hub-byward", "latitude", "invalid_value"),
        ("loc-inf", "latitude", "invalid_value"),
        ("loc-100", "latitude", "out_of_range"),
        ("loc-1e999", "latitude", "invalid_value"),
    }
    areas = {(x.record_id, x.field, x.severity) for x in problems(nav, "invalid_geometry")}
    assert areas == {
        ("sa-nan", "extent", p.Severity.ERROR),
        ("sa-lat-100", "extent", p.Severity.ERROR),
    }
    assert nav.directory_info().locations == 38 + 3  # every location row loads
    assert nav.import_report().loaded["service_areas"] == 43 + 2
    # The location without a point is still served, without a distance.
    hub = [m for m in search(nav, "food bank").needs[0].matches
           if m.service_id == "svc-hub-food-bank"]
    assert hub and hub[0].location_id == "loc-hub-byward" and hub[0].distance_m is None


def test_self_intersecting_polygon(feed):
    """`validate_area` is Rust-only: through Python, a bow-tie extent in a feed is a warning
    and the area is kept."""
    bow_tie = polygon_csv([[-75.7, 45.4], [-75.6, 45.5], [-75.6, 45.4], [-75.7, 45.5], [-75.7, 45.4]])
    append_rows(feed, "service_areas.csv", [area_row("sa-bow-tie", bow_tie)])
    nav = p.Navigator.from_path(str(feed))
    bad = one(nav, "invalid_geometry")
    assert (bad.record_id, bad.field, bad.severity) == ("sa-bow-tie", "extent", p.Severity.WARNING)
    assert "intersects itself" in bad.message
    assert nav.import_report().errors == 0
    assert nav.import_report().loaded["service_areas"] == 44
    sample_still_works(nav)


def test_huge_polygon(feed):
    """`validate_area` is Rust-only: through Python, an extent over the import's default
    max_extent_vertices (20 000) is dropped, its row and the other rows kept."""
    n = 21_000
    ring = [[-75.7 + 0.2 * math.cos(2 * math.pi * i / n), 45.4 + 0.2 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    ring.append(ring[0])
    append_rows(feed, "service_areas.csv", [area_row("sa-huge", polygon_csv(ring)),
                                            area_row("sa-after", "")])
    start = time.monotonic()
    nav = p.Navigator.from_path(str(feed))
    assert time.monotonic() - start < 30
    bad = one(nav, "invalid_geometry")
    assert (bad.record_id, bad.field, bad.severity) == ("sa-huge", "extent", p.Severity.ERROR)
    assert "max_extent_vertices" in bad.message
    assert nav.import_report().loaded["service_areas"] == 43 + 2
    sample_still_works(nav)


# ---- hours ----------------------------------------------------------------------------------


def test_invalid_time_zones(feed):
    """`parse_time_zone` and `OpeningHours::compile` are Rust-only; through Python: the
    directory's time zone and a schedule's UTC offset in a feed."""
    meta = json.loads((feed / "datapackage.json").read_text(encoding="utf-8"))
    meta["passerelle"]["timezone"] = "Mars/Olympus_Mons"
    write(feed, "datapackage.json", json.dumps(meta))
    set_field(feed, "schedules.csv", "sched-hub-food-bank-1", "timezone", "99")
    nav = p.Navigator.from_path(str(feed))
    tz = one(nav, "invalid_value")
    assert (tz.table, tz.field) == ("datapackage", "timezone")
    off = one(nav, "out_of_range")
    assert (off.table, off.record_id, off.field) == ("schedules", "sched-hub-food-bank-1", "timezone")
    info = nav.directory_info()
    assert info.timezone is None  # unset: hours are judged in UTC
    assert info.name == "Ottawa sample directory"  # the rest of the metadata loads
    assert nav.import_report().loaded["schedules"] == 122  # the schedule row loads
    sample_still_works(nav)


# ---- queries --------------------------------------------------------------------------------


def test_empty_need_text(sample):
    for text in ["", "   ", "\n\t"]:
        with pytest.raises(p.PasserelleError.InvalidInput, match="need #0 has neither text"):
            sample.search(p.SearchQuery(needs=[p.NeedInput(text=text)]))
    with pytest.raises(p.PasserelleError.InvalidInput, match="need #1"):
        sample.search(p.SearchQuery(needs=[p.NeedInput(text="food"), p.NeedInput(text=" ")]))
    # All punctuation: a valid need that matches nothing.
    res = sample.search(p.SearchQuery(needs=[p.NeedInput(text="?!…")]))
    assert res.needs[0].matches == [] and res.needs[0].no_match == "need_not_understood"


def test_ten_megabyte_need_text(sample):
    secret = "mysecretneed"
    huge = secret + "a" * (10 << 20)
    start = time.monotonic()
    with pytest.raises(p.PasserelleError.LimitExceeded) as e:
        sample.search(p.SearchQuery(needs=[p.NeedInput(text=huge)]))
    assert time.monotonic() - start < 5  # rejected before any analysis
    assert e.value.reason == (
        f"need #0 is {len(huge)} bytes long; at most 1024 bytes are accepted"
    )
    assert secret not in str(e.value)
    assert offered(sample, "food bank")  # the navigator still answers


def test_unknown_facts(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match='did you mean "age"'):
        sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")], facts=p.facts({"aeg": 30})))
    with pytest.raises(p.PasserelleError.InvalidRule, match="unknown fact"):
        p.validate_rule("aeg >= 18")
    # Wrong kind of value, a value not allowed, NaN: named fact, never the value.
    for name, value in [("province", "Ontario"), ("age", math.nan), ("age", "seventy"),
                        ("disability", 3)]:
        with pytest.raises(p.PasserelleError.InvalidInput, match=f'fact "{name}"') as e:
            sample.evaluate_eligibility("svc-rideau-meal-delivery", {name: value})
        assert str(value) not in str(e.value)
    # Nothing is kept between calls: the same navigator answers a valid profile.
    ok = sample.evaluate_eligibility("svc-rideau-meal-delivery", {"age": 70})
    assert ok.status == p.EligibilityStatus.ELIGIBLE


def test_zero_and_negative_limits(sample, tmp_path):
    with pytest.raises(p.PasserelleError.LimitExceeded, match="limit must be at least 1"):
        sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")], limit=0))
    # `limit` is a u32 at the FFI: a negative or too-large Python int never reaches Rust.
    for limit in (-1, 2**32):
        with pytest.raises(ValueError, match="u32"):
            sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")], limit=limit))
    # An offset past the end is an empty page.
    res = sample.search(p.SearchQuery(needs=[p.NeedInput(text="food bank")], offset=2**32 - 1))
    assert res.needs[0].total > 0 and res.needs[0].matches == []
    # A limit above 100 is capped: a directory of 150 food banks gives pages of 100.
    doc = {
        "organizations": [{"id": "o1", "name": "Food network"}],
        "locations": [{"id": "l1", "organization_id": "o1", "name": "Depot",
                       "latitude": 45.43, "longitude": -75.69}],
        "services": [
            {"id": f"s{i}", "organization_id": "o1", "name": f"Food bank {i}", "status": "active"}
            for i in range(150)
        ],
        "service_at_location": [
            {"id": f"sal{i}", "service_id": f"s{i}", "location_id": "l1"} for i in range(150)
        ],
    }
    nav = p.Navigator.from_json(json.dumps(doc))
    res = search(nav, "food bank", limit=1000)
    assert res.needs[0].total == 150
    assert len(res.needs[0].matches) == 100


def test_invalid_distance(sample):
    for km in (-1.0, math.nan, math.inf, -math.inf):
        with pytest.raises(p.PasserelleError.InvalidInput, match="max_distance_km"):
            search(sample, "food bank", max_distance_km=km)
    assert offered(sample, "food bank", max_distance_km=1e300)


def test_oversized_batch(sample):
    with pytest.raises(p.PasserelleError.LimitExceeded, match="17 needs in one query; at most 16"):
        sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")] * 17))
    res = sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")] * 16))
    assert len(res.needs) == 16
    # The batch call has its own limit, checked before any query runs.
    q = p.SearchQuery(needs=[p.NeedInput(text="food")])
    with pytest.raises(p.PasserelleError.LimitExceeded, match="100001 queries"):
        sample.search_batch([q] * 100_001)


# ---- identity and references ----------------------------------------------------------------


def test_duplicated_ids(feed):
    append_rows(
        feed,
        "services.csv",
        [
            {"id": "svc-hub-food-bank", "organization_id": "org-lowertown-hub",
             "name": "Impostor food bank", "status": "active"},
            {"id": "", "organization_id": "org-lowertown-hub", "name": "No id", "status": "active"},
        ],
    )
    nav = p.Navigator.from_path(str(feed))
    dup = one(nav, "duplicate_id")
    assert (dup.table, dup.row, dup.record_id, dup.field) == (
        "services", 103, "svc-hub-food-bank", "id"
    )
    missing = one(nav, "missing_id")
    assert (missing.table, missing.row) == ("services", 104)
    sample_still_works(nav)  # the first svc-hub-food-bank is the one kept
    res = search(nav, "food bank")
    hub = [m for m in res.needs[0].matches if m.service_id == "svc-hub-food-bank"]
    assert p.localized(hub[0].service_name, "en") == "Lowertown Commons Food Bank"
    # Nested JSON: an identical repeat is merged, a different one is a conflict.
    org = {"id": "o1", "name": "Org"}
    doc = [
        {"id": "s1", "name": "Food bank", "organization": org},
        {"id": "s2", "name": "Rent help", "organization": org},
        {"id": "s3", "name": "Meals", "organization": {"id": "o1", "name": "Other name"}},
    ]
    nav = p.Navigator.from_json(json.dumps(doc))
    clash = one(nav, "conflicting_duplicate")
    assert (clash.table, clash.record_id, clash.field, clash.json_pointer) == (
        "organizations", "o1", "name", "/2/organization"
    )
    info = nav.directory_info()
    assert (info.services, info.organizations) == (3, 1)


def test_non_utf8(feed, tmp_path):
    with open(feed / "organizations.csv", "ab") as f:
        f.write(b"org-latin1,Caf\xe9 du coin" + b"," * 13 + b"\n")
        f.write(b"org-after,Next row" + b"," * 13 + b"\n")
    nav = p.Navigator.from_path(str(feed))
    bad = one(nav, "invalid_utf8")
    assert (bad.table, bad.row, bad.record_id) == ("organizations", 41, "org-latin1")
    assert nav.import_report().loaded["organizations"] == 42  # the row itself loads (lossily)
    sample_still_works(nav)
    # A JSON document must be UTF-8 (a Python str always is: use a file).
    path = write(tmp_path, "latin1.json", b'{"organizations": [{"id": "o1", "name": "Caf\xe9"}]}')
    with pytest.raises(p.PasserelleError.DataLoad, match="not JSON"):
        p.Navigator.from_path(str(path))
    # NDJSON: only that line is skipped.
    path = write(
        tmp_path,
        "latin1.ndjson",
        b'{"id":"o1","name":"A","website":"https://example.org/a"}\n'
        b'{"id":"o2","name":"Caf\xe9"}\n'
        b'{"id":"o3","name":"C","website":"https://example.org/c"}\n',
    )
    nav = p.Navigator.from_path(str(path), NO_SERVICES_OK)
    line = one(nav, "invalid_json")
    assert (line.json_line, line.source) == (2, "latin1.ndjson")
    assert nav.directory_info().organizations == 2


def test_dangling_references(feed):
    append_rows(
        feed,
        "services.csv",
        [{"id": "svc-orphan", "organization_id": "org-nowhere", "name": "Orphan food bank",
          "status": "active"}],
    )
    append_rows(
        feed,
        "service_at_location.csv",
        [{"id": "sal-nowhere", "service_id": "svc-hub-food-bank", "location_id": "loc-nowhere"}],
    )
    nav = p.Navigator.from_path(str(feed))
    refs = {(x.table, x.record_id, x.field) for x in problems(nav, "dangling_reference")}
    assert refs == {
        ("services", "svc-orphan", "organization_id"),
        ("service_at_location", "sal-nowhere", "location_id"),
    }
    assert nav.directory_info().services == 103  # kept, reported
    assert "sal-nowhere" in [b.record_id for b in nav.import_report().build_problems]
    sample_still_works(nav, services=103)


def test_unknown_tables_and_columns(feed):
    header, rows = read_rows(feed, "organizations.csv")
    for r in rows:
        r["favourite_colour"] = "blue"
    write_rows(feed, "organizations.csv", header + ["favourite_colour"], rows)
    write(feed, "mystery.csv", "id,x\nm1,1\n")
    nav = p.Navigator.from_path(str(feed))
    report = nav.import_report()
    assert [(x.kind, x.table, x.severity) for x in report.problems if x.kind != "stale"] == [
        ("unknown", "mystery", p.Severity.WARNING)
    ]
    assert report.errors == 0
    assert report.loaded["organizations"] == 40
    sample_still_works(nav)


# ---- the limits of the table, set from Python -----------------------------------------------


def test_import_limits_are_configurable(feed, tmp_path):
    """The table's "option" limits (`ImportOptions` in Rust) through `ImportLimits`."""
    assert (feed / "services.csv").stat().st_size > 60_000 > (feed / "schedules.csv").stat().st_size
    small = p.ImportLimits(max_rows=30, max_field_bytes=200, max_file_bytes=60_000,
                           max_extent_vertices=8, max_lost_percent=100, min_services=0)
    nav = p.Navigator.from_path(str(feed), small)
    report = nav.import_report()
    rows = {x.table: x.row for x in report.problems if x.kind == "too_many_rows"}
    assert rows["schedules"] == 31 and rows["organizations"] == 31
    assert report.loaded["schedules"] == 30 and report.loaded["organizations"] == 30
    assert any(x.kind == "field_too_large" for x in report.problems)
    assert [x.table for x in report.problems if x.kind == "file_too_large"] == ["services"]
    # Raised limits: the 21 000-vertex extent the default drops now loads.
    n = 21_000
    ring = [[-75.7 + 0.2 * math.cos(2 * math.pi * i / n), 45.4 + 0.2 * math.sin(2 * math.pi * i / n)]
            for i in range(n)]
    ring.append(ring[0])
    append_rows(feed, "service_areas.csv", [area_row("sa-huge", polygon_csv(ring))])
    default = p.Navigator.from_path(str(feed))
    assert [x.record_id for x in problems(default, "invalid_geometry")] == ["sa-huge"]
    raised = p.Navigator.from_path(
        str(feed), p.ImportLimits(max_extent_vertices=25_000, max_field_bytes=4 << 20)
    )
    assert problems(raised, "invalid_geometry") == []
    # JSON: records per table, and the whole text.
    doc = json.dumps({"organizations": [{"id": f"o{i}", "name": f"Org {i}"} for i in range(5)]})
    # (a directory of organizations only: min_services=0 accepts it)
    nav = p.Navigator.from_json(doc, p.ImportLimits(max_rows=3, min_services=0))
    assert nav.directory_info().organizations == 3
    assert one(nav, "too_many_rows").record_id == "o3"
    with pytest.raises(p.PasserelleError.LimitExceeded, match="max_file_bytes"):
        p.Navigator.from_json(doc, p.ImportLimits(max_file_bytes=10))
    # Replacing a directory takes them too; on error the current one stays.
    with pytest.raises(p.PasserelleError.LimitExceeded):
        nav.replace_directory_from_json(doc, p.ImportLimits(max_file_bytes=10, min_services=0))
    assert nav.directory_info().organizations == 3
    report = nav.replace_directory_from_json(doc, p.ImportLimits(max_rows=4, min_services=0))
    assert report.loaded["organizations"] == 4


# ---- real feeds spoiled, hostile folders (issue 17; Rust: core/tests/hardening_feeds.rs) -----

SMC_FULL = pathlib.Path(__file__).resolve().parents[3] / "core/tests/data/hsds/smc-ohana-full"


@pytest.fixture
def smc_feed(tmp_path):
    """A writable copy of the full San Mateo County feed."""
    d = tmp_path / "smc"
    shutil.copytree(SMC_FULL, d)
    return d


@pytest.fixture(scope="module")
def smc_baseline():
    return p.Navigator.from_path(str(SMC_FULL)).import_report()


def edit_line(path, n, f):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[n] = f(lines[n])
    path.write_text("".join(lines), encoding="utf-8")


def test_stray_quote_swallows_no_rows(smc_feed, smc_baseline):
    assert smc_baseline.loaded["phones"] == 3559
    edit_line(smc_feed / "phones.csv", 10, lambda l: '"' + l)
    edit_line(smc_feed / "phones.csv", 41, lambda l: '"' + l)
    nav = p.Navigator.from_path(str(smc_feed))
    report = nav.import_report()
    assert report.loaded["phones"] == 3557
    bad = [(x.table, x.row) for x in report.problems if x.kind == "malformed_row"]
    assert bad == [("phones", 10), ("phones", 41)]
    # row 10's quote runs over lines: skipped alone, reading resumed at row 11
    first = next(x for x in problems(nav, "malformed_row") if x.table == "phones")
    assert "reading resumed" in first.message


def test_a_required_name_is_a_problem(smc_feed, smc_baseline):
    services = smc_feed / "services.csv"
    text = services.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    services.write_text(header.replace(",name,", ",title,") + "\n" + rest, encoding="utf-8")
    nav = p.Navigator.from_path(str(smc_feed))
    missing = [x for x in problems(nav, "missing_field") if x.field == "name"]
    assert len(missing) == smc_baseline.loaded["services"]
    assert {x.table for x in missing} == {"services"}
    doc = json.dumps({"services": [{"id": "s1", "name": None, "organization_id": "o1"}],
                      "organizations": [{"id": "o1", "name": "Org"}]})
    problem = one(p.Navigator.from_json(doc), "missing_field")
    assert (problem.record_id, problem.field) == ("s1", "name")


def test_spreadsheet_headers_are_diagnosed(smc_feed, smc_baseline):
    services = smc_feed / "services.csv"
    text = services.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    services.write_text(header.upper() + "\n" + rest, encoding="utf-8")
    nav = p.Navigator.from_path(str(smc_feed))
    assert nav.directory_info().services == smc_baseline.loaded["services"]
    renamed = problems(nav, "malformed_header")
    assert renamed and all(x.severity == p.Severity.WARNING for x in renamed)
    assert any(x.field == "ID" and '"id"' in x.message for x in renamed)
    # no id column at all: one problem for the table, and the import is fatal
    services.write_text(header.replace("id,", "identifier,", 1) + "\n" + rest, encoding="utf-8")
    with pytest.raises(p.PasserelleError.DataLoad, match="not fit to serve"):
        p.Navigator.from_path(str(smc_feed))


def test_semicolon_and_tab_exports_are_read(smc_feed, smc_baseline):
    for delim, word in ((";", "semicolons"), ("\t", "tabs")):
        for name in ("services.csv", "phones.csv"):
            path = smc_feed / name
            with open(SMC_FULL / name, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            with open(path, "w", newline="", encoding="utf-8") as f:
                csv.writer(f, delimiter=delim, lineterminator="\n").writerows(rows)
        nav = p.Navigator.from_path(str(smc_feed))
        report = nav.import_report()
        assert report.loaded["services"] == smc_baseline.loaded["services"]
        assert report.loaded["phones"] == 3559
        hints = sorted(x.table for x in problems(nav, "malformed_header") if word in x.message)
        assert hints == ["phones", "services"]


def test_utf16_export_is_named(smc_feed, smc_baseline):
    """Excel's "Unicode text" export (UTF-16 with a byte-order mark) is named, not misread;
    a UTF-8 byte-order mark ("CSV UTF-8") is read as plain UTF-8."""
    orgs = smc_feed / "organizations.csv"
    orgs.write_bytes((SMC_FULL / "organizations.csv").read_text(encoding="utf-8").encode("utf-16"))
    # every organization is lost: not fit to serve by default
    with pytest.raises(p.PasserelleError.DataLoad, match="not fit to serve"):
        p.Navigator.from_path(str(smc_feed))
    nav = p.Navigator.from_path(str(smc_feed), p.ImportLimits(max_lost_percent=100))
    bad = [x for x in problems(nav, "invalid_utf8") if x.table == "organizations"]
    assert len(bad) == 1 and "UTF-16" in bad[0].message and "table not read" in bad[0].message
    organizations = smc_baseline.loaded["organizations"]
    assert f"none of its {organizations} rows" in bad[0].message
    assert nav.directory_info().services == smc_baseline.loaded["services"]
    orgs.write_bytes((SMC_FULL / "organizations.csv").read_bytes())
    services = smc_feed / "services.csv"
    services.write_bytes(b"\xef\xbb\xbf" + (SMC_FULL / "services.csv").read_bytes())
    nav = p.Navigator.from_path(str(smc_feed))
    assert nav.import_report().loaded == smc_baseline.loaded
    assert [x for x in nav.import_report().problems if x.table == "services"
            and x.kind in ("malformed_header", "missing_id", "invalid_utf8")] == []


def test_an_empty_or_wrong_input_is_fatal(tmp_path):
    empty = tmp_path / "empty"
    for name in ("organizations.csv", "services.csv"):
        write(empty, name, "")
    write(tmp_path / "no_csv", "README.txt", "nothing")
    json_file = write(tmp_path, "empty.json", "[]")
    for path in (empty, tmp_path / "no_csv", json_file, pathlib.Path("/")):
        with pytest.raises(p.PasserelleError.DataLoad, match="no services|fewer services"):
            p.Navigator.from_path(str(path))
    for doc in ("[]", "{}"):
        with pytest.raises(p.PasserelleError.DataLoad):
            p.Navigator.from_json(doc)
    # an empty directory on purpose
    nav = p.Navigator.from_json("[]", p.ImportLimits(min_services=0))
    assert nav.directory_info().services == 0


def test_losing_most_of_a_table_is_fatal(smc_feed):
    path = smc_feed / "locations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i in range(1, len(lines)):
        if i % 5 < 3 and "," in lines[i]:
            lines[i] = "," + lines[i].split(",", 1)[1]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(p.PasserelleError.DataLoad, match="locations"):
        p.Navigator.from_path(str(smc_feed))
    nav = p.Navigator.from_path(str(smc_feed), p.ImportLimits(max_lost_percent=90))
    assert [x.table for x in problems(nav, "most_rows_lost")] == []


def test_a_live_directory_is_not_replaced_by_a_shrunken_one(tmp_path, smc_baseline):
    nav = p.Navigator.from_path(str(SMC_FULL))
    services = smc_baseline.loaded["services"]
    empty = tmp_path / "empty"
    write(empty, "services.csv", "")
    with pytest.raises(p.PasserelleError.DataLoad, match="not fit to serve"):
        nav.replace_directory_from_path(str(empty))
    # a directory with services, but far fewer than the live one
    with pytest.raises(p.PasserelleError.DataLoad, match="replacement refused"):
        nav.replace_directory_from_path(str(REPO_SAMPLE))
    assert nav.directory_info().services == services
    # allowed when the drop is within the limit, or forced
    nav.replace_directory_from_path(str(REPO_SAMPLE), p.ImportLimits(max_service_drop_percent=100))
    assert nav.directory_info().services == 102
    nav.replace_directory_from_json("[]", force=True)
    assert nav.directory_info().services == 0


REPO_SAMPLE = pathlib.Path(__file__).resolve().parents[3] / "core/data/sample"


def within(seconds, f, *args):
    """Runs f on a thread; fails (instead of hanging the suite) after `seconds`."""
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(f, *args).result(timeout=seconds)
    finally:
        pool.shutdown(wait=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_never_opened(smc_feed):
    (smc_feed / "services.csv").unlink()
    os.mkfifo(smc_feed / "services.csv")
    try:
        nav = within(20, p.Navigator.from_path, str(smc_feed), p.ImportLimits(min_services=0))
    except FuturesTimeout:
        # unblock the stuck reader so the suite can end, then fail
        with open(smc_feed / "services.csv", "w"):
            pass
        raise AssertionError("from_path hung on a FIFO")
    fifo = one(nav, "not_a_file")
    assert fifo.source == "services.csv" and "FIFO" in fifo.message
    with pytest.raises(p.PasserelleError.DataLoad, match="FIFO"):
        within(20, p.Navigator.from_path, str(smc_feed / "services.csv"))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_symlinks_are_confined_to_the_folder(smc_feed, smc_baseline):
    (smc_feed / "organizations.csv").unlink()
    os.symlink("/etc/passwd", smc_feed / "organizations.csv")
    nav = p.Navigator.from_path(str(smc_feed))
    link = one(nav, "not_a_file")
    assert link.table == "organizations" and "outside the feed folder" in link.message
    assert "organizations" not in nav.import_report().loaded
    (smc_feed / "organizations.csv").unlink()
    shutil.copy(SMC_FULL / "organizations.csv", smc_feed / "orgs.data")
    os.symlink(smc_feed / "orgs.data", smc_feed / "organizations.csv")
    nav = p.Navigator.from_path(str(smc_feed))
    assert nav.import_report().loaded["organizations"] == smc_baseline.loaded["organizations"]
    nav = p.Navigator.from_path(str(smc_feed), p.ImportLimits(symlinks_within_folder=False))
    assert one(nav, "not_a_file").table == "organizations"


def test_one_memory_budget_across_tables(smc_feed, smc_baseline):
    # the whole feed needs tens of MB of estimated bytes; 4 MB stops it part way
    small = p.ImportLimits(max_import_bytes=4 << 20, max_lost_percent=100, min_services=0)
    nav = p.Navigator.from_path(str(smc_feed), small)
    over = problems(nav, "memory_budget")
    assert over and over[0].row is not None, [x.summary for x in over]
    assert all(x.row is None for x in over[1:])
    assert sum(nav.import_report().loaded.values()) < sum(smc_baseline.loaded.values())
    # an unknown table is charged too: the feed alone fits in 128 MB, not with 400 000 more rows
    limits = p.ImportLimits(max_import_bytes=128 << 20, max_lost_percent=100)
    assert problems(p.Navigator.from_path(str(smc_feed), limits), "memory_budget") == []
    write(smc_feed, "zz_extension.csv", "id,x\n" + "".join(f"e{i},y\n" for i in range(400_000)))
    nav = p.Navigator.from_path(str(smc_feed), limits)
    assert [x.table for x in problems(nav, "memory_budget")][:1] == ["zz_extension"]
    assert nav.import_report().loaded["services"] == smc_baseline.loaded["services"]


# ---- feed-controlled search cost: many huge service areas ------------------------------------

DALY_CITY = (37.6879, -122.4702)


def star(lat, lon, r, n):
    """A closed star of `n` vertices (spikes alternate between r and 0.97 r degrees)."""
    ring = []
    for i in range(n):
        t = 2 * math.pi * i / n
        rr = r if i % 2 == 0 else r * 0.97
        ring.append([round(lon + rr * math.cos(t), 6), round(lat + rr * math.sin(t), 6)])
    ring.append(ring[0])
    return polygon_csv(ring)


def test_many_huge_service_areas(smc_feed, smc_baseline):
    """Mirror of `many_huge_service_areas`: 30 extents of 4 999 vertices for one San Mateo
    pantry, 10 around Sacramento first and 20 around Daly City; the feed's total vertex bound
    (`max_total_extent_vertices`) decides which are kept, and searches answer from those."""

    def pantry_query(limit=100):
        return p.SearchQuery(needs=[p.NeedInput(text="food pantry")], lat=DALY_CITY[0],
                             lon=DALY_CITY[1], max_distance_km=10.0, limit=limit,
                             explain=True, at_epoch_seconds=MONDAY_10AM)

    target = p.Navigator.from_path(str(SMC_FULL)).search(pantry_query()).needs[0].matches[0].service_id
    sacramento, daly = star(38.58, -121.49, 0.3, 4_999), star(*DALY_CITY, 0.3, 4_999)
    append_rows(smc_feed, "service_areas.csv", [
        {"id": f"hostile-{i}", "service_id": target, "name": f"Area {i}",
         "extent": sacramento if i < 10 else daly, "extent_type": "geojson"}
        for i in range(30)
    ])
    rows = smc_baseline.loaded["service_areas"] + 30

    # default limits (2 000 000 vertices in all): every extent loads; the resident is inside
    nav = p.Navigator.from_path(str(smc_feed))
    assert problems(nav, "vertex_budget") == []
    assert nav.import_report().loaded["service_areas"] == rows
    m = next(m for m in nav.search(pantry_query()).needs[0].matches if m.service_id == target)
    assert next(f.value for f in m.breakdown if f.factor == "coverage") == 1.0

    # 50 000 in all: the 10 Sacramento stars fit (49 990); each later extent is reported with
    # its record and field, dropped, and its row kept
    nav = p.Navigator.from_path(str(smc_feed), p.ImportLimits(max_total_extent_vertices=50_000))
    over = problems(nav, "vertex_budget")
    assert [x.record_id for x in over] == [f"hostile-{i}" for i in range(10, 30)]
    assert all((x.table, x.field, x.severity) == ("service_areas", "extent", p.Severity.ERROR)
               for x in over)
    assert "max_total_extent_vertices (50000)" in over[0].message
    assert nav.import_report().loaded["service_areas"] == rows
    assert nav.directory_info().services == smc_baseline.loaded["services"]
    # only Sacramento is known for the pantry now: a Daly City resident is outside its areas
    assert all(m.service_id != target for m in nav.search(pantry_query()).needs[0].matches)
    # the dropped extents are written back on export
    exported = nav.export_csv()["service_areas.csv"]
    assert sum(1 for line in exported.splitlines() if line.startswith("hostile-")) == 30
    assert exported.count("-122.") > 20 * 4_000
