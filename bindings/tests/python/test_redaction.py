"""Resident data never leaks through generated string forms (issue 17).

A sentinel is planted in every resident-carrying field of SearchQuery, NeedInput, FactValue,
a facts dict (the profile) and BatchOptions; ``str``, ``repr``, f-strings, ``%`` formatting and
``logging`` must print counts, never the sentinel.
"""

import io
import logging
from typing import Any

import passerelle as p

SENTINEL = "zq-sentinel-4417"
LEAKS = (SENTINEL, "98765", "45.123", "75.654", "pensées")


def planted():
    facts: dict[str, Any] = {
        "household_income": p.FactValue.NUMBER(98765.4321),
        "province": p.FactValue.TEXT(SENTINEL),
        "disability": p.FactValue.BOOL(True),
        "population": p.FactValue.TEXT_LIST([SENTINEL]),
    }
    need = p.NeedInput(text=f"{SENTINEL} pensées suicidaires", terms=[SENTINEL])
    query = p.SearchQuery(
        needs=[need], lat=45.123456, lon=-75.654321, facts=facts, languages=[SENTINEL],
        accessibility=[SENTINEL], populations=[SENTINEL], max_distance_km=3.21,
    )
    options = p.BatchOptions(languages=[SENTINEL], max_distance_km=3.21)
    return [query, need, options, facts, *facts.values()]


def renderings(value):
    yield str(value)
    yield repr(value)
    yield f"{value}"
    yield f"{value!r}"
    yield "%s" % (value,)
    stream = io.StringIO()
    log = logging.getLogger(f"passerelle-redaction-{id(value)}")
    handler = logging.StreamHandler(stream)
    log.addHandler(handler)
    log.propagate = False
    log.warning("query %s %r", value, value)
    log.removeHandler(handler)
    yield stream.getvalue()


def test_no_generated_string_form_prints_resident_values():
    for value in planted():
        for text in renderings(value):
            for leak in LEAKS:
                assert leak not in text, (type(value).__name__, text)


def test_redacted_forms_still_say_what_is_there():
    query, need, options, *_ = planted()
    text = str(query)
    assert text.startswith("SearchQuery(") and "facts=<redacted 4>" in text
    assert "location=<set>" in text and "languages=<redacted 1>" in text
    assert str(need) == f"NeedInput(text=<redacted {len(need.text)} chars>, terms=<redacted 1>)"
    assert "languages=<redacted 1>" in str(options) and "limit=5" in str(options)
    assert str(p.FactValue.NUMBER(1.0)) == "FactValue.NUMBER(<redacted>)"
    # the values themselves are untouched
    assert need.text.startswith(SENTINEL) and query.lat == 45.123456
