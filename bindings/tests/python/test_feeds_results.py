"""The whole engine from Python on a real feed: the full San Mateo County directory
(core/tests/data/hsds/smc-ohana-full, BSD-3-Clause) with a supplied gazetteer
(core/tests/data/gazetteer, rough outlines drawn for these tests): contact details in every
result, detail lookups, named-area coverage, HSDS export of the directory and of a query's
every match, referrals and unmet-need records."""

import csv

import pytest

import passerelle as p
from conftest import MONDAY_10AM, REPO, query

SMC = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
GAZ = REPO / "core" / "tests" / "data" / "gazetteer"
SAN_MATEO = (37.5630, -122.3255)
DALY_CITY = (37.6879, -122.4702)
SAN_FRANCISCO = (37.7749, -122.4194)


@pytest.fixture(scope="module")
def gazetteer():
    g = p.Gazetteer.from_path(str(GAZ / "smc-approx.geojson"))
    assert g.problems() == []
    return g


@pytest.fixture(scope="module")
def smc(gazetteer):
    return p.Navigator.from_path(str(SMC), gazetteer=gazetteer)


@pytest.fixture(scope="module")
def smc_bare():
    return p.Navigator.from_path(str(SMC))


def test_gazetteer_from_bytes_and_problems(gazetteer):
    data = (GAZ / "smc-approx.csv").read_bytes()
    g = p.Gazetteer.from_bytes(data)
    assert g.names() == gazetteer.names()
    assert g.covers("County of San Mateo", *DALY_CITY) is True
    assert g.covers("San Mateo County", *SAN_FRANCISCO) is False
    assert g.covers("Atlantis", *DALY_CITY) is None
    bad = p.Gazetteer.from_bytes(
        b'name,wkt\nGood,"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"\nBad,"POLYGON ((0 0, 1 0))"\n')
    assert bad.names() == ["good"]
    [problem] = bad.problems()
    assert (problem.entry, problem.name, problem.field, problem.kept) == ("row 2", "Bad", "wkt", False)
    with pytest.raises(p.PasserelleError.DataLoad, match="name column"):
        p.Gazetteer.from_bytes(b"label,wkt\n")
    with pytest.raises(p.PasserelleError.DataLoad, match="nowhere.geojson"):
        p.Gazetteer.from_path("/nowhere.geojson")


def test_every_match_carries_contact_details(smc):
    res = smc.search(query("counseling", near=SAN_MATEO, limit=20))
    matches = res.needs[0].matches
    assert len(matches) == 20
    with_phone = [m for m in matches if m.contact.phones]
    with_address = [m for m in matches if m.contact.address and m.contact.address.city]
    assert len(with_phone) >= 18 and len(with_address) >= 18
    assert all(ph.number for m in with_phone for ph in m.contact.phones)
    assert any(m.contact.website for m in matches)
    assert any(m.contact.application_process.value for m in matches)
    assert any(m.contact.fees.value for m in matches)
    a = with_address[0].contact.address
    assert a.city in a.one_line and a.state_province == "CA"


def test_service_and_location_lookups(smc):
    m = next(m for m in smc.search(query("food pantry", near=DALY_CITY)).needs[0].matches
             if m.location_id)
    s = smc.service(m.service_id)
    assert s.name == m.service_name and m.location_id in s.location_ids
    loc = smc.location(m.location_id)
    assert m.service_id in loc.service_ids
    assert loc.addresses[0] == m.contact.address
    assert loc.point is not None
    assert smc.service("no-such-service") is None
    assert smc.location("no-such-location") is None


def coverage(nav, near):
    """Coverage factor of the matches whose service names "San Mateo County" as its area."""
    with open(SMC / "service_areas.csv", newline="", encoding="utf-8") as f:
        named = {r["service_id"] for r in csv.DictReader(f)
                 if r["name"] == "San Mateo County" and not r["extent"]}
    res = nav.search(query("food pantry", near=near, limit=100, explain=True))
    return [next(f.value for f in m.breakdown if f.factor == "coverage")
            for m in res.needs[0].matches if m.service_id in named]


def test_named_areas_resolve_with_the_supplied_gazetteer(smc, smc_bare):
    without = coverage(smc_bare, DALY_CITY)
    assert without and all(v == 0.5 for v in without)
    with_g = coverage(smc, DALY_CITY)
    assert with_g and all(v == 1.0 for v in with_g)
    sf = smc.search(query("food pantry", near=SAN_FRANCISCO))
    assert smc_bare.search(query("food pantry", near=SAN_FRANCISCO)).needs[0].total > sf.needs[0].total
    assert smc.area_key_for_point(*DALY_CITY, 1000) == "area:daly city"
    assert smc_bare.area_key_for_point(*DALY_CITY, 1000).startswith("grid:1000:")


def test_whole_directory_and_query_exports_read_back(smc, gazetteer):
    text = smc.export_json()
    again = p.Navigator.from_json(text, gazetteer=gazetteer)
    assert again.directory_info().services == smc.directory_info().services == 1709
    tables = smc.export_csv()
    assert {"services.csv", "phones.csv", "addresses.csv", "datapackage.json"} <= set(tables)
    q = query("health", near=SAN_MATEO, max_distance_km=50, limit=3)
    page = smc.search(q)
    assert page.needs[0].total > 100
    sub = p.Navigator.from_json(smc.export_query_json(q))
    page_services = {m.service_id for m in page.needs[0].matches}
    assert sub.directory_info().services > len(page_services)
    for sid in page_services:
        mine, theirs = sub.service(sid), smc.service(sid)
        assert mine is not None and theirs is not None
        assert mine.contact == theirs.contact
    csv_tables = smc.export_query_csv(q)
    assert csv_tables["services.csv"].count("\n") > sub.directory_info().services


def test_referral_lifecycle():
    r = p.new_referral("ref-1", "food.bank", "svc-1", "sal-1", "2026-11-02")
    assert r.status == p.ReferralStatus.REFERRED
    r = p.referral_advance(r, p.ReferralStatus.CONTACTED, "2026-11-03")
    with pytest.raises(p.PasserelleError.InvalidInput, match="cannot go from contacted to closed"):
        p.referral_advance(r, p.ReferralStatus.CLOSED, "2026-11-04")
    r = p.referral_not_connected(r, p.OutcomeReason.WAITLIST_FULL, "2026-11-05")
    r = p.referral_advance(r, p.ReferralStatus.CLOSED, "2026-11-09")
    assert [c.status for c in r.history] == [
        p.ReferralStatus.REFERRED, p.ReferralStatus.CONTACTED,
        p.ReferralStatus.NOT_CONNECTED, p.ReferralStatus.CLOSED]
    assert r.outcome == p.OutcomeReason.WAITLIST_FULL
    text = p.referrals_to_csv([r])
    assert p.referrals_from_csv(text) == [r]
    with pytest.raises(p.PasserelleError.InvalidInput, match="referred_on"):
        p.new_referral("ref-2", "food.bank", "svc-1", "", "next tuesday")


def test_unmet_need_from_a_search_with_no_result(sample):
    # Rural west, in person only within 2 km: no food bank there.
    home = (45.47, -76.30)
    q = query("food bank", near=home, max_distance_km=2, delivery=p.Delivery.IN_PERSON_ONLY)
    assert sample.search(q).needs[0].total == 0
    area = sample.area_key_for_point(*home, 1000)
    [unmet] = sample.unmet_needs(q, area, "2026-11-20", population="senior")
    assert (unmet.need, unmet.area, unmet.reason) == ("food.bank", area, p.UnmetReason.NONE_WITHIN_REACH)
    assert str(home[0]) not in unmet.area
    text = p.unmet_needs_to_csv([unmet])
    assert p.unmet_needs_from_csv(text) == [unmet]
    report = sample.analyze_gaps(text, None, [], p.GapOptions(min_records=1))
    [cell] = report.cells
    assert (cell.area, cell.need, cell.unmet) == (area, "food.bank", 1)
    # A query with results records nothing.
    assert sample.unmet_needs(query("food bank", max_distance_km=50), area, "2026-11-20") == []


def test_export_round_trip_keeps_the_licence_and_sources(smc, tmp_path):
    """The feed's attribution (licences, sources, title) survives an export through the
    bindings and a re-import of the exported tables (issue 13: attribution is never lost)."""
    import json

    tables = smc.export_csv()
    package = json.loads(tables["datapackage.json"])
    assert [lic["name"] for lic in package["licenses"]] == ["BSD-3-Clause"]
    assert "Code for America" in json.dumps(package["sources"]) + package["licenses"][0]["title"]
    assert package["title"]
    for name, text in tables.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    again = p.Navigator.from_path(str(tmp_path))
    assert again.directory_info().services == 1709
    round_trip = json.loads(again.export_csv()["datapackage.json"])
    assert round_trip["licenses"] == package["licenses"]
    assert round_trip["sources"] == package["sources"]
