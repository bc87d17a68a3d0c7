"""Redacted string forms of the records that carry a resident's situation.

The generated uniffi classes print every field in ``str()`` (and so in f-strings and
``logging`` with ``%s``): a host app that logged a query would write the resident's location,
facts, need text, languages, accessibility needs and populations. These replacements print
what Rust's ``Debug`` prints: counts and whether a value is set, never the values.

Covered: ``SearchQuery``, ``NeedInput``, every ``FactValue`` variant (so a ``dict`` of facts,
the resident's profile, prints redacted too) and ``BatchOptions``; ``str`` and ``repr`` both.
"""

from __future__ import annotations

from . import passerelle as _ffi


def _count(values) -> str:
    return f"<redacted {len(values or ())}>"


def _set(value) -> str:
    return "None" if value is None else "<set>"


def _search_query(self) -> str:
    return (
        f"SearchQuery(needs={[_need(n) for n in (self.needs or ())]}, "
        f"location={_set(self.lat if self.lat is not None else self.lon)}, "
        f"max_distance_km={_set(self.max_distance_km)}, delivery={_set(self.delivery)}, "
        f"travel={_set(self.travel)}, facts={_count(self.facts)}, "
        f"languages={_count(self.languages)}, require_language={self.require_language}, "
        f"accessibility={_count(self.accessibility)}, free_only={self.free_only}, "
        f"open_now={self.open_now}, at_epoch_seconds={self.at_epoch_seconds}, "
        f"populations={_count(self.populations)}, "
        f"include_ineligible={self.include_ineligible}, limit={self.limit}, "
        f"offset={self.offset}, explain={self.explain})"
    )


def _need(self) -> str:
    text = "None" if self.text is None else f"<redacted {len(self.text)} chars>"
    return f"NeedInput(text={text}, terms={_count(self.terms)})"


def _batch_options(self) -> str:
    return (
        f"BatchOptions(limit={self.limit}, max_distance_km={_set(self.max_distance_km)}, "
        f"delivery={_set(self.delivery)}, travel={_set(self.travel)}, "
        f"languages={_count(self.languages)}, include_ineligible={self.include_ineligible}, "
        f"open_now={self.open_now}, free_only={self.free_only}, "
        f"at_epoch_seconds={self.at_epoch_seconds})"
    )


def _fact(name):
    def text(self) -> str:
        return f"FactValue.{name}(<redacted>)"

    return text


def _install(cls, fn) -> None:
    cls.__str__ = fn
    cls.__repr__ = fn


_install(_ffi.SearchQuery, _search_query)
_install(_ffi.NeedInput, _need)
_install(_ffi.BatchOptions, _batch_options)
for _name in ("BOOL", "NUMBER", "TEXT", "TEXT_LIST"):
    _install(getattr(_ffi.FactValue, _name), _fact(_name))
