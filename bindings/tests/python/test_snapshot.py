"""Navigator snapshots through Python: a file or bytes that open with the same answers on the
real San Mateo feed, and damaged snapshots refused with DataLoad."""

from __future__ import annotations

import pathlib

import pytest

import passerelle as p

from conftest import REPO

SMC_FULL = REPO / "core" / "tests" / "data" / "hsds" / "smc-ohana-full"
NEAR = (37.53, -122.29)
NOON_PACIFIC = 1_795_032_000  # 2026-11-18 12:00 -08:00


def _ids(nav, text):
    res = nav.search(p.SearchQuery(needs=[p.NeedInput(text=text)], lat=NEAR[0], lon=NEAR[1],
                                   max_distance_km=20, at_epoch_seconds=NOON_PACIFIC))
    return [(m.service_id, m.rank) for m in res.needs[0].matches]


@pytest.fixture(scope="module")
def smc():
    assert SMC_FULL.is_dir(), SMC_FULL
    return p.Navigator.from_path(str(SMC_FULL))


def test_snapshot_file_round_trip_keeps_answers(smc, tmp_path: pathlib.Path):
    path = tmp_path / "smc.psnap"
    smc.save_snapshot(str(path))
    assert path.stat().st_size > 100_000
    opened = p.Navigator.open_snapshot(str(path))
    assert opened.directory_info() == smc.directory_info()
    for need in ["food", "legal aid", "shelter", "counseling"]:
        assert _ids(opened, need) == _ids(smc, need)


def test_snapshot_bytes_round_trip(smc):
    data = smc.snapshot_bytes()
    again = p.Navigator.from_snapshot_bytes(data)
    assert _ids(again, "food") == _ids(smc, "food")


def test_damaged_snapshots_are_data_load_errors(smc, tmp_path: pathlib.Path):
    data = bytearray(smc.snapshot_bytes())
    with pytest.raises(p.PasserelleError.DataLoad, match="not a passerelle snapshot"):
        p.Navigator.from_snapshot_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(p.PasserelleError.DataLoad, match="announces"):
        p.Navigator.from_snapshot_bytes(bytes(data[: len(data) // 2]))
    flipped = bytearray(data)
    flipped[-1] ^= 0x01
    with pytest.raises(p.PasserelleError.DataLoad, match="checksum"):
        p.Navigator.from_snapshot_bytes(bytes(flipped))
    newer = bytearray(data)
    newer[8] = 99
    with pytest.raises(p.PasserelleError.DataLoad, match="version 99"):
        p.Navigator.from_snapshot_bytes(bytes(newer))
    with pytest.raises(p.PasserelleError.DataLoad):
        p.Navigator.open_snapshot(str(tmp_path / "missing.psnap"))
