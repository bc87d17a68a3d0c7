"""Import reports for bad HSDS data: each problem names table, row, record id and field."""

import textwrap

import passerelle as p


def write(folder, name, text):
    (folder / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def bad_folder(tmp_path):
    d = tmp_path / "bad-hsds"
    d.mkdir()
    write(d, "organizations.csv", """
        id,name
        o1,Org One
    """)
    write(d, "services.csv", """
        id,organization_id,name,status
        s1,o1,Food bank,active
        s2,o1,Rent help,active
        s1,o1,Duplicate food bank,active
    """)
    write(d, "locations.csv", """
        id,organization_id,name,latitude,longitude
        l1,o1,Main,45.43,-75.69
        l2,o1,Broken,100,-75.69
    """)
    write(d, "service_at_location.csv", """
        id,service_id,location_id
        sal1,s1,l1
        sal2,s2,l-missing
    """)
    return d


def find(report, kind):
    found = [x for x in report.problems if x.kind == kind]
    assert found, f"no {kind} in {[x.summary for x in report.problems]}"
    return found[0]


def test_bad_folder_reports_table_row_field(tmp_path):
    nav = p.Navigator.from_path(str(bad_folder(tmp_path)))
    report = nav.import_report()
    assert report.errors >= 3

    lat = find(report, "out_of_range")
    assert (lat.table, lat.row, lat.record_id, lat.field) == ("locations", 2, "l2", "latitude")
    assert lat.severity == p.Severity.ERROR
    assert lat.source == "locations.csv"
    assert "latitude" in lat.summary and "row 2" in lat.summary

    fk = find(report, "dangling_reference")
    assert fk.table == "service_at_location"
    assert fk.record_id == "sal2"
    assert fk.field == "location_id"

    dup = find(report, "duplicate_id")
    assert dup.table == "services" and dup.record_id == "s1" and dup.row == 3

    # The good records still load and search.
    assert report.loaded["services"] >= 2
    assert nav.directory_info().services >= 2


def test_json_problems_have_pointers():
    doc = '{"services": [{"id": "s1", "name": "Food", "status": "active"}],' \
          ' "locations": [{"id": "l1", "name": "X", "latitude": 100, "longitude": 0}]}'
    nav = p.Navigator.from_json(doc)
    lat = find(nav.import_report(), "out_of_range")
    assert lat.json_pointer and lat.json_pointer.startswith("/locations/0")
    assert lat.row is None


def test_sample_folder_loads_clean(sample_dir):
    nav = p.Navigator.from_path(str(sample_dir))
    assert nav.import_report().errors == 0
    assert nav.directory_info().services == 102
