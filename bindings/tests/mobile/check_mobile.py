"""The phone build through its own Python bindings (scripts/test-all.sh, `size` step).

Run with PYTHONPATH set to a directory holding the `passerelle.py` that uniffi-bindgen
generated from the mobile library and that library (`libpasserelle.so`), and the path of the
San Mateo County feed as the only argument. Checks that the bindings declare what the phone
build has and nothing it left out, then imports the real feed with its time zone (resolved
from the system database: the mobile library bundles none), answers an open-now search at
noon Pacific, reopens it from snapshot bytes with the same answers, and gives an area key.
"""

import datetime
import sys

import passerelle as p

feed = sys.argv[1]
assert p.__file__ and not p.__file__.endswith("__init__.py"), p.__file__  # not the wheel
for gone in ("sample", "analyze_gaps", "coverage_grid", "search_batch_arrow"):
    assert not hasattr(p.Navigator, gone), gone
nav = p.Navigator.from_path(feed, time_zone="America/Los_Angeles")
noon = datetime.datetime(2026, 11, 18, 20, 0, tzinfo=datetime.timezone.utc)  # 12:00 PST
query = p.SearchQuery(
    needs=[p.NeedInput(text="food")],
    lat=37.53,
    lon=-122.29,
    max_distance_km=20,
    open_now=True,
    at_epoch_seconds=int(noon.timestamp()),
    limit=10,
)
ids = [m.service_id for m in nav.search(query).needs[0].matches]
assert len(ids) == 10, ids
reopened = p.Navigator.from_snapshot_bytes(nav.snapshot_bytes())
assert [m.service_id for m in reopened.search(query).needs[0].matches] == ids
assert nav.area_key_for_point(37.53, -122.29, 1000).startswith("grid:1000:")
print(f"mobile bindings: {len(ids)} open matches at noon Pacific, snapshot answers identical")
