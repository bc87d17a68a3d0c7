"""Shared fixtures. Guard: these tests must exercise the *installed wheel*, never the source tree."""

import pathlib

import pytest

import passerelle

SOURCE_TREE = pathlib.Path(__file__).resolve().parents[2]  # bindings/
REPO = SOURCE_TREE.parent

# Monday 2025-10-20 10:00 in Ottawa: searches are deterministic at a fixed instant.
MONDAY_10AM = 1_760_968_800
BYWARD = (45.4292, -75.6920)


def pytest_report_header(config):
    return f"passerelle {passerelle.__version__} from {pathlib.Path(passerelle.__file__).parent}"


@pytest.fixture(scope="session")
def sample():
    return passerelle.Navigator.sample()


@pytest.fixture(scope="session")
def sample_dir():
    """The sample as an HSDS CSV folder (the files embedded in the library)."""
    return REPO / "core" / "data" / "sample"


@pytest.fixture(scope="session")
def san_mateo_dir():
    """Real Open Referral data (Ohana San Mateo sample, converted to HSDS 3.1)."""
    path = REPO / "core" / "tests" / "data" / "hsds" / "ohana-smc-hsds3"
    assert path.is_dir(), path
    return path


def query(text, *, near=BYWARD, **kw):
    """A one-need query at the fixed instant, near ByWard Market unless `near=None`."""
    lat, lon = near if near else (None, None)
    kw.setdefault("at_epoch_seconds", MONDAY_10AM)
    return passerelle.SearchQuery(needs=[passerelle.NeedInput(text=text)], lat=lat, lon=lon, **kw)
