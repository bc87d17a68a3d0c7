"""Smoke tests of the value helpers and of error mapping (logic is tested in Rust)."""

import math

import pytest

import passerelle as p


def test_validate_point_returns_record():
    pt = p.validate_point(45.4292, -75.6920)
    assert isinstance(pt, p.GeoPoint)
    assert (pt.lat, pt.lon) == (45.4292, -75.6920)
    assert pt == p.GeoPoint(lat=45.4292, lon=-75.6920)


@pytest.mark.parametrize(
    "lat, lon, word",
    [(100.0, 101.0, "latitude"), (45.0, -181.0, "longitude"), (math.nan, 0.0, "finite")],
)
def test_validate_point_rejects_with_useful_message(lat, lon, word):
    with pytest.raises(p.PasserelleError.InvalidInput) as exc:
        p.validate_point(lat, lon)
    assert word in exc.value.reason
    assert word in str(exc.value)


def test_errors_share_a_base_class():
    with pytest.raises(p.PasserelleError):
        p.validate_lang_code("French")
    assert issubclass(p.PasserelleError.InvalidInput, Exception)
    for variant in ("InvalidInput", "InvalidRule", "DataLoad", "LimitExceeded", "Internal"):
        assert issubclass(getattr(p.PasserelleError, variant), p.PasserelleError)


def test_lang_and_term_codes():
    assert p.validate_lang_code("FR") == "fr"
    assert p.validate_lang_code("zh-Hant") == "zh-Hant"
    assert p.validate_term_code(" BD-1800 ") == "BD-1800"
    # HSDS sets no format for codes: spaces are allowed (San Mateo's "COMMUNITY SERVICES")
    assert p.validate_term_code("COMMUNITY SERVICES") == "COMMUNITY SERVICES"
    with pytest.raises(p.PasserelleError.InvalidInput, match="term code"):
        p.validate_term_code("a\nb")


def test_term_hierarchy():
    assert p.term_is_within("BD-1800.2000", "BD-1800")
    assert p.term_is_within("BD-1800.2000", "BD")
    assert not p.term_is_within("BD-1800.2000", "BD-18")
    with pytest.raises(p.PasserelleError.InvalidInput):
        p.term_is_within("", "BD")


def test_localized_text():
    t = p.LocalizedText(value="Food bank", translations={"fr-CA": "Banque alimentaire"})
    assert p.localized(t, "fr") == "Banque alimentaire"
    assert p.localized(t, "es") == "Food bank"
    with pytest.raises(p.PasserelleError.InvalidInput):
        p.localized(t, "not a code")
