"""passerelle: match residents with community services (Open Referral HSDS 3.1).

This package is a thin Python layer over the generated uniffi bindings
(``passerelle.passerelle``, built from the Rust crate ``passerelle-ffi``). Everything the
Rust side exports is re-exported here, so ``import passerelle`` is all callers need::

    import passerelle as p

    nav = p.Navigator.sample()
    res = nav.search(p.SearchQuery(
        needs=[p.NeedInput(text="banque alimentaire")],
        lat=45.4292, lon=-75.6920, facts={"age": 70, "province": "ON"}))
    top = res.needs[0].matches[0]
    print(top.service_id, p.localized(top.service_name, "fr"), top.distance_m)

What this layer adds:

* **Facts as a plain dict** wherever the Rust API takes ``dict[str, FactValue]``
  (``SearchQuery.facts``, ``Navigator.evaluate_eligibility``, ``Navigator.next_questions``,
  ``explain_rule``): values may be ``bool``, ``int``/``float``, ``str`` or a list of ``str``.
  :func:`facts` does the conversion explicitly.
* :func:`search_batch`: a pandas DataFrame of queries in, a DataFrame of matches out, through
  the Arrow IPC batch path (one call for any number of rows).
* :func:`search_rows`: the lean single call: a query ``dict`` in, one row per match out
  (ids, name, phone, address, distance, eligibility, openness, score) and the crisis notice;
  details by id with ``Navigator.service`` / ``Navigator.location``.
* :func:`search_dict`: one query as a plain ``dict`` in, the result as a plain ``dict`` out,
  through ``Navigator.search_json`` (no record conversion; the full result)::

    res = p.search_dict(nav, {"needs": [{"text": "food bank"}], "lat": 45.4292,
                              "lon": -75.6920, "facts": {"age": 70}})
    res["needs"][0]["matches"][0]["service_id"]

Errors are raised as subclasses of ``passerelle.PasserelleError``
(``PasserelleError.InvalidInput``, ``.InvalidRule`` (with ``line``/``column``), ``.DataLoad``,
``.LimitExceeded``, ``.Internal``), each with a ``reason`` attribute.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Iterable

from .passerelle import *  # noqa: F401,F403  (the generated uniffi module)
from .passerelle import (
    BatchOptions,
    FactValue,
    Navigator,
    PasserelleError,
    library_version,
)
from . import passerelle as _ffi
from . import _repr
from ._rows import CrisisMessage, CrisisNoticeDict, ResultRow, SearchRows  # noqa: F401
from ._rows import from_json as _rows_from_json
from json import dumps as _json_dumps, loads as _json_loads

__version__: str = library_version()
_repr.install()  # readable reprs, LocalizedText.get/.en/.fr, enums from snake_case strings

# Exception messages as in Rust (`invalid rule at 2:4: unknown fact …`) instead of the generated
# field dump (`reason='…', line=2, column=4`); the fields stay available as attributes.
_ERROR_PREFIX = {
    "InvalidInput": "invalid input",
    "DataLoad": "could not load data",
    "LimitExceeded": "limit exceeded",
    "Internal": "internal error",
}


def _error_str(self) -> str:
    kind = type(self).__name__
    if kind == "InvalidRule":
        return f"invalid rule at {self.line}:{self.column}: {self.reason}"
    return f"{_ERROR_PREFIX.get(kind, kind)}: {self.reason}"


for _variant in ("InvalidInput", "InvalidRule", "DataLoad", "LimitExceeded", "Internal"):
    getattr(PasserelleError, _variant).__str__ = _error_str

FactLike = Any  # bool | int | float | str | list[str] | FactValue


def fact_value(value: FactLike) -> FactValue:
    """One Python value as a :class:`FactValue` (``bool`` before ``int``: ``True`` is a bool).

    numpy scalars (what a pandas row holds) count as their Python value."""
    value = _repr.plain_fact(value)
    if isinstance(value, FactValue):
        return value
    if isinstance(value, bool):
        return FactValue.BOOL(value)
    if isinstance(value, (int, float)):
        return FactValue.NUMBER(float(value))
    if isinstance(value, str):
        return FactValue.TEXT(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
        if all(isinstance(v, str) for v in items):
            return FactValue.TEXT_LIST(items)
    # Never echo the value: it may be personal data.
    raise TypeError(
        f"fact values must be bool, int, float, str or a list of str (got {type(value).__name__})"
    )


def facts(values: Mapping[str, FactLike] | None) -> dict[str, FactValue]:
    """A ``dict`` of plain Python values as the ``dict[str, FactValue]`` the Rust API takes.

    ``None`` and ``pd.NA`` values are left out (unknown)::

        passerelle.facts({"age": 70, "disability": False, "population": ["senior"]})
    """
    if not values:
        return {}
    out = {}
    for name, value in values.items():
        if _repr.plain_fact(value) is None:
            continue
        try:
            out[name] = fact_value(value)
        except TypeError as e:
            raise TypeError(f"fact {name!r}: {e}") from None
    return out


def _needs_conversion(values) -> bool:
    return bool(values) and not all(isinstance(v, FactValue) for v in values.values())


_to_facts = facts  # the wrappers below take a parameter named `facts`, like the generated API


def _with_facts(query):
    query = _repr.coerce_enum_fields(query)
    if _needs_conversion(query.facts):
        query = _copy_record(query)
        query.facts = _to_facts(query.facts)
    return query


def _copy_record(record):
    clone = object.__new__(type(record))
    clone.__dict__.update(record.__dict__)
    return clone


# Accept plain dicts of facts in the generated methods and functions.
_search = Navigator.search
_search_batch = Navigator.search_batch
_evaluate_eligibility = Navigator.evaluate_eligibility
_next_questions = Navigator.next_questions
_explain_rule = _ffi.explain_rule
_explain_rule_json = _ffi.explain_rule_json


def _nav_search(self, query):
    return _search(self, _with_facts(query))


def _nav_search_batch(self, queries):
    return _search_batch(self, [_with_facts(q) for q in queries])


def _nav_evaluate_eligibility(self, service_id, facts):
    return _evaluate_eligibility(self, service_id, _to_facts(facts))


def _nav_next_questions(self, facts, service_ids=None):
    return _next_questions(self, _to_facts(facts), service_ids)


# Wraps the generated one: facts may be a plain dict.
def explain_rule(text, facts, tables_csv=None, catalog_json=None):  # noqa: F811
    return _explain_rule(text, _to_facts(facts), tables_csv, catalog_json)


for _name, _fn, _orig in (
    ("search", _nav_search, _search),
    ("search_batch", _nav_search_batch, _search_batch),
    ("evaluate_eligibility", _nav_evaluate_eligibility, _evaluate_eligibility),
    ("next_questions", _nav_next_questions, _next_questions),
):
    _fn.__name__ = _name
    _fn.__doc__ = (_orig.__doc__ or "") + "\n\nFacts may be a plain dict (see passerelle.facts)."
    setattr(Navigator, _name, _fn)
explain_rule.__doc__ = (_explain_rule.__doc__ or "") + "\n\nFacts may be a plain dict."


def explain_rule_json(rule_json, facts, catalog_json=None, tables_csv=None):  # noqa: F811
    return _explain_rule_json(rule_json, _to_facts(facts), catalog_json, tables_csv)


explain_rule_json.__doc__ = (_explain_rule_json.__doc__ or "") + "\n\nFacts may be a plain dict."


def search_dict(navigator: Navigator, query: Mapping[str, Any]) -> dict[str, Any]:
    """One search with the query and the result as plain dicts (``Navigator.search_json``).

    The keys are the field names of :class:`SearchQuery` and :class:`SearchResult`; enum
    values are snake_case strings (``"remote_acceptable"``, ``"in_person"``); facts are plain
    values. Only ``needs`` is required (a list of ``{"text": ..., "terms": [...]}``).
    """
    return _json_loads(navigator.search_json(_json_dumps(query)))


def search_rows(navigator: Navigator, query: Mapping[str, Any]) -> SearchRows:
    """One search, the lean result: a query dict in (as :func:`search_dict`), rows out.

    One :class:`ResultRow` (a named tuple) per match, best first, needs in query order (one
    row for a need without a match), with the columns of the Arrow batch output
    (``service_id``, ``service_name``, ``phone``, ``address``, ``distance_m``,
    ``eligibility``, ``missing_facts``, ``open_now``, ``score`` …), plus the crisis notice to
    say first::

        res = p.search_rows(nav, {"needs": [{"text": "food bank"}], "lat": 45.4292,
                                  "lon": -75.6920})
        top = res.rows[0]
        details = nav.service(top.service_id)  # everything else, when it is picked

    The cheapest single call (``Navigator.search_rows_json``): the query crosses as borrowed
    bytes, the result as a few hundred bytes per match decoded once by ``json.loads``.
    """
    return _rows_from_json(navigator.search_rows_json(_json_dumps(query).encode()))


def search_batch(
    navigator: Navigator,
    queries,
    *,
    limit: int = 5,
    max_distance_km: float | None = None,
    delivery=None,
    travel=None,
    languages: Iterable[str] = (),
    include_ineligible: bool = False,
    open_now: bool = False,
    free_only: bool = False,
    at_epoch_seconds: int | None = None,
):
    """Runs one search per row of ``queries`` in a single call; returns one row per match.

    ``queries`` is a pandas DataFrame (or a ``pyarrow.Table``) with a ``need_text`` column and
    optionally ``id``, ``need_terms``, ``lat``, ``lon``, ``radius_km``, ``languages``,
    ``facts_json`` and fact columns (``age``, ``household_size``, ``household_income``,
    ``disability``, ``province`` …). Nulls/NaN mean unknown.

    The result is a DataFrame with ``query_index`` (row position in ``queries``),
    ``need_id`` (the ``id`` column), ``need_index``, ``rank``, ``service_id``,
    ``service_at_location_id``, ``location_id``, ``service_name``, ``phone`` (first number
    to call), ``address`` (one line), ``distance_m``, ``via``,
    ``eligibility``, ``missing_facts`` (a list column), ``open_now``, ``score``, ``total``,
    ``crisis``, ``reason`` (why nothing fits) and ``error``: the engine's Arrow batch
    columns, the names :mod:`passerelle.batch` uses too. A pyarrow Table in gives a pyarrow
    Table out.

    Needs ``pyarrow`` (and ``pandas`` for DataFrames).
    """
    import pyarrow as pa

    as_table = isinstance(queries, pa.Table)
    table = queries if as_table else pa.Table.from_pandas(queries, preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    options = _repr.coerce_enum_fields(BatchOptions(
        limit=limit,
        max_distance_km=max_distance_km,
        delivery=delivery,
        travel=travel,
        languages=list(languages),
        include_ineligible=include_ineligible,
        open_now=open_now,
        free_only=free_only,
        at_epoch_seconds=at_epoch_seconds,
    ))
    out = navigator.search_batch_arrow(sink.getvalue().to_pybytes(), options)
    result = pa.ipc.open_stream(out).read_all()
    if as_table:
        return result
    import pandas as pd

    # Nullable pandas dtypes keep integer columns integer when some rows are null.
    return result.to_pandas(
        types_mapper={
            pa.uint32(): pd.UInt32Dtype(),
            pa.bool_(): pd.BooleanDtype(),
            pa.list_(pa.string()): pd.ArrowDtype(pa.list_(pa.string())),
        }.get
    )


# Data-team submodules (need pandas/pyarrow, and dask for passerelle.dask): imported on first
# use, so `import passerelle` alone needs neither. `import passerelle.gaps` works as well.
_SUBMODULES = ("gaps", "batch", "dask")


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Last, so that it wins over any general repr: records that carry a resident's situation print
# counts, never values (see _redact.py).
from . import _redact  # noqa: E402,F401
