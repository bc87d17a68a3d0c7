"""Every error variant reaches Python as a typed exception with a useful message."""

import pytest

import passerelle as p
from conftest import query


def test_invalid_input_bad_coordinates(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match="latitude"):
        sample.search(query("food", near=(100.0, 0.0)))


def test_invalid_input_lat_without_lon(sample):
    q = query("food")
    q.lon = None
    with pytest.raises(p.PasserelleError.InvalidInput, match="lat and lon"):
        sample.search(q)


def test_invalid_input_unknown_fact_suggests_and_never_echoes_values(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match='did you mean "age"') as e:
        sample.search(query("food", facts={"aeg": 70}))
    assert "70" not in str(e.value)
    with pytest.raises(p.PasserelleError.InvalidInput, match="province") as e:
        sample.evaluate_eligibility("svc-rent-assist-arrears", {"province": "Secretland"})
    assert "Secretland" not in str(e.value)


def test_invalid_input_unknown_service(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match="unknown service id"):
        sample.evaluate_eligibility("svc-nope", {})


def test_invalid_input_empty_need(sample):
    with pytest.raises(p.PasserelleError.InvalidInput, match="neither text nor term"):
        sample.search(p.SearchQuery(needs=[p.NeedInput()]))


def test_invalid_rule_has_line_and_column():
    with pytest.raises(p.PasserelleError.InvalidRule) as e:
        p.validate_rule("age >= 65\nor aeg < 3")
    err = e.value
    assert (err.line, err.column) == (2, 4)
    assert 'did you mean "age"' in err.reason
    assert str(err).startswith('invalid rule at 2:4: unknown fact "aeg"'), str(err)
    with pytest.raises(p.PasserelleError.InvalidRule):
        p.explain_rule("age >=", {})


def test_data_load(tmp_path):
    with pytest.raises(p.PasserelleError.DataLoad, match="cannot read"):
        p.Navigator.from_path(str(tmp_path / "missing.json"))
    with pytest.raises(p.PasserelleError.DataLoad, match="not JSON"):
        p.Navigator.from_json("{not json")


def test_limit_exceeded(sample):
    with pytest.raises(p.PasserelleError.LimitExceeded, match="limit must be at least 1"):
        sample.search(query("food", limit=0))
    huge = "banque alimentaire " * (10 * 1024 * 1024 // 19)  # ~10 MB
    with pytest.raises(p.PasserelleError.LimitExceeded, match="bytes"):
        sample.search(query(huge))
    with pytest.raises(p.PasserelleError.LimitExceeded, match="16"):
        sample.search(p.SearchQuery(needs=[p.NeedInput(text="food")] * 17))
    with pytest.raises(p.PasserelleError.LimitExceeded):
        p.validate_rule("age >= 1 and " * 6000 + "true")


def test_errors_are_exceptions_with_reason(sample):
    try:
        sample.search(query("food", limit=0))
    except p.PasserelleError as e:
        assert isinstance(e, Exception)
        assert e.reason
    else:
        pytest.fail("no exception")


def test_bad_fact_type_is_a_python_type_error(sample):
    with pytest.raises(TypeError, match="fact 'age'"):
        sample.search(query("food", facts={"age": object()}))
