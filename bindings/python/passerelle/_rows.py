"""The lean single-call result of :func:`passerelle.search_rows`, as typed dicts.

Plain ``dict`` objects at run time (decoded by ``json.loads`` in C); the classes give mypy and
editors the keys and value types. The row keys are the result columns of the batch output
(:mod:`passerelle._columns`).
"""

from __future__ import annotations

from typing import Optional, TypedDict


class ResultRowDict(TypedDict):
    """One match (or one need without a match: ``rank`` and the service fields are ``None``,
    ``no_match`` says why)."""

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
    no_match: Optional[str]


class CrisisMessageDict(TypedDict):
    en: str
    fr: str


class CrisisNoticeDict(TypedDict):
    """Say ``message`` first: a need expresses a crisis (``kind``)."""

    kind: str
    needs: list[int]
    message: CrisisMessageDict


class SearchRowsDict(TypedDict):
    """What :func:`passerelle.search_rows` returns."""

    rows: list[ResultRowDict]
    crisis: Optional[CrisisNoticeDict]
    at_epoch_seconds: int
