"""The lean single-call result of :func:`passerelle.search_rows`.

Rows are named tuples (attribute access, typed, immutable), built from the JSON arrays of
``Navigator.search_rows_json`` without a per-row ``dict``. The fields are the result columns
of the Arrow batch output (``Navigator.search_batch_arrow``), with the same names, in the same
order.
"""

from __future__ import annotations

from json import loads
from typing import NamedTuple, Optional, TypedDict


class ResultRow(NamedTuple):
    """One match (or one need without a match: ``rank`` and the service fields are ``None``,
    ``reason`` says why, ``missing_facts`` is empty)."""

    need_index: int
    rank: Optional[int]
    service_id: Optional[str]
    service_at_location_id: Optional[str]
    location_id: Optional[str]
    service_name: Optional[str]
    phone: Optional[str]
    address: Optional[str]
    distance_m: Optional[float]
    via: Optional[str]
    eligibility: Optional[str]
    missing_facts: list[str]
    open_now: Optional[bool]
    score: Optional[float]
    total: int
    crisis: Optional[str]
    reason: Optional[str]


class CrisisMessage(TypedDict):
    en: str
    fr: str


class CrisisNoticeDict(TypedDict):
    """Say ``message`` first: a need expresses a crisis (``kind``)."""

    kind: str
    needs: list[int]
    message: CrisisMessage


class SearchRows(NamedTuple):
    """What :func:`passerelle.search_rows` returns."""

    rows: list[ResultRow]
    crisis: Optional[CrisisNoticeDict]
    at_epoch_seconds: int


_row = ResultRow._make


def from_json(text: str) -> SearchRows:
    """The ``Navigator.search_rows_json`` result as a :class:`SearchRows`."""
    out = loads(text)
    return SearchRows(list(map(_row, out["rows"])), out["crisis"], out["at_epoch_seconds"])
