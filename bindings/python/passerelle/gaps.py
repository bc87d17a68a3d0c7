"""Gap analysis from Python: where needs go unmet, for whom and why, set against the directory.

Records cross into Rust as one CSV string (100 000 records in one call), cells come back as
:class:`passerelle.GapCell` / :class:`passerelle.CoverageCell` records, and as DataFrames here::

    import passerelle as p
    from passerelle import gaps

    nav = p.Navigator.sample()
    records, _points = gaps.sample_unmet_needs(5_000)       # fictional, deterministic
    report = gaps.analyze_gaps(nav, records, min_records=5)
    table = gaps.gap_frame(report)                          # columns: GAP_CSV_HEADER
    cover = gaps.coverage_frame(nav.coverage_grid(gaps.OTTAWA_BBOX, 2.0, ["food"]))

Records hold **area keys** (``area:vanier``, ``grid:1000:…``), never a resident's point: use
:func:`area_keys` to turn points into keys before storing anything.
"""

from __future__ import annotations

import io
import os
from typing import Iterable

import numpy as np
import pandas as pd

from . import (
    BoundingBox,
    GapOptions,
    Gazetteer,
    NeedCount,
    area_keys_for_points,
    term_is_within,
)

__all__ = [
    "GAP_CSV_HEADER",
    "COVERAGE_CSV_HEADER",
    "UNMET_COLUMNS",
    "OTTAWA_BBOX",
    "analyze_gaps",
    "area_keys",
    "gap_frame",
    "coverage_frame",
    "unmet_csv",
    "sample_unmet_needs",
    "sample_demand",
]

#: Columns of gap-cell tables (``gap_cells_csv`` and :func:`gap_frame`).
GAP_CSV_HEADER = [
    "area", "need", "population", "demand", "met", "unmet", "share_unmet",
    "reachable_services", "nearest_m", "top_reasons", "suppressed", "centroid_lat",
    "centroid_lon",
]

#: Columns of coverage tables (``coverage_csv`` and :func:`coverage_frame`).
COVERAGE_CSV_HEADER = [
    "area", "need", "centroid_lat", "centroid_lon", "nearest_m", "in_person_within_reach",
    "comes_to_resident", "remote_services",
]

#: Columns of unmet-need records (CSV layout read by ``Navigator.analyze_gaps``).
UNMET_COLUMNS = ["need", "population", "area", "date", "reason"]

#: The City of Ottawa's bounding box, roughly (for coverage scans).
OTTAWA_BBOX = BoundingBox(south=45.15, west=-76.36, north=45.54, east=-75.25)


def _csv_text(records, columns: list[str] | None) -> str | None:
    """Records as CSV text: a DataFrame (``columns`` selected, in order), a CSV / Parquet
    path, or CSV text already."""
    if records is None:
        return None
    if isinstance(records, str) and "\n" in records:
        return records
    if isinstance(records, (str, os.PathLike)):
        from .batch import read_table

        records = read_table(records)
    if isinstance(records, pd.DataFrame):
        frame = records[columns] if columns is not None else records
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue()
    raise TypeError("records must be a DataFrame, a CSV/Parquet path or CSV text")


def unmet_csv(records) -> str:
    """Unmet-need records (DataFrame with :data:`UNMET_COLUMNS`, path, or CSV text) as the
    CSV text ``Navigator.analyze_gaps`` reads."""
    return _csv_text(records, UNMET_COLUMNS)


REFERRAL_COLUMNS = [
    "id", "need", "service_id", "service_at_location_id", "referred_on", "status",
    "follow_up_due", "outcome", "population", "area", "history",
]


def _counts(counts) -> list:
    if counts is None:
        return []
    if isinstance(counts, pd.DataFrame):
        return [
            NeedCount(
                area=str(r.area),
                need=str(r.need),
                population=None if pd.isna(getattr(r, "population", None)) else str(r.population),
                count=int(r.count),
            )
            for r in counts.itertuples(index=False)
        ]
    return list(counts)


def analyze_gaps(
    navigator,
    unmet,
    *,
    referrals=None,
    counts=None,
    min_records: int = 5,
    show_suppressed: bool = False,
    by_population: bool = True,
    reach_km: float | None = None,
    nearest_within_km: float | None = None,
    delivery=None,
    top_reasons: int = 3,
):
    """``Navigator.analyze_gaps`` over DataFrames: unmet-need records (and optional referrals,
    and need counts as a DataFrame ``area, need, population, count`` or
    :class:`passerelle.NeedCount` list) in one FFI call. Returns a
    :class:`passerelle.GapReport`; see :func:`gap_frame` for a table.

    Raises ``PasserelleError.InvalidInput`` naming the CSV, row and field of a bad record
    (``unmet_csv: row 3, field need: …``)."""
    options = GapOptions(
        min_records=min_records,
        show_suppressed=show_suppressed,
        by_population=by_population,
        reach_km=reach_km,
        nearest_within_km=nearest_within_km,
        delivery=delivery,
        top_reasons=top_reasons,
    )
    return navigator.analyze_gaps(
        unmet_csv(unmet), _csv_text(referrals, REFERRAL_COLUMNS), _counts(counts), options
    )


def gap_frame(report_or_cells) -> pd.DataFrame:
    """Gap cells (a :class:`passerelle.GapReport` or a list of cells) as a DataFrame with
    :data:`GAP_CSV_HEADER` columns (nullable dtypes; ``top_reasons`` joined by ``;``)."""
    cells = getattr(report_or_cells, "cells", report_or_cells)
    rows = {
        "area": [c.area for c in cells],
        "need": [c.need for c in cells],
        "population": [c.population for c in cells],
        "demand": [c.demand for c in cells],
        "met": [c.met for c in cells],
        "unmet": [c.unmet for c in cells],
        "share_unmet": [c.share_unmet for c in cells],
        "reachable_services": [c.reachable_services for c in cells],
        "nearest_m": [c.nearest_m for c in cells],
        "top_reasons": [";".join(c.top_reasons) for c in cells],
        "suppressed": [c.suppressed for c in cells],
        "centroid_lat": [c.centroid.lat if c.centroid else None for c in cells],
        "centroid_lon": [c.centroid.lon if c.centroid else None for c in cells],
    }
    dtypes = {
        "area": "string", "need": "string", "population": "string", "demand": "Int64",
        "met": "Int64", "unmet": "Int64", "share_unmet": "Float64",
        "reachable_services": "Int64", "nearest_m": "Float64", "top_reasons": "string",
        "suppressed": "boolean", "centroid_lat": "Float64", "centroid_lon": "Float64",
    }
    return pd.DataFrame({k: pd.array(v, dtype=dtypes[k]) for k, v in rows.items()})


def coverage_frame(cells) -> pd.DataFrame:
    """Coverage cells as a DataFrame with :data:`COVERAGE_CSV_HEADER` columns."""
    return pd.DataFrame(
        {
            "area": pd.array([c.area for c in cells], dtype="string"),
            "need": pd.array([c.need for c in cells], dtype="string"),
            "centroid_lat": np.array([c.centroid.lat for c in cells], dtype="float64"),
            "centroid_lon": np.array([c.centroid.lon for c in cells], dtype="float64"),
            "nearest_m": pd.array([c.nearest_m for c in cells], dtype="Float64"),
            "in_person_within_reach": np.array(
                [c.in_person_within_reach for c in cells], dtype="int64"
            ),
            "comes_to_resident": np.array([c.comes_to_resident for c in cells], dtype="int64"),
            "remote_services": np.array([c.remote_services for c in cells], dtype="int64"),
        }
    )


def area_keys(lats, lons, *, cell_m: int = 1000, gazetteer: Gazetteer | None = None) -> np.ndarray:
    """Coarse area keys for points, in one FFI call: the smallest named area of ``gazetteer``
    covering each point (``area:daly city``), else its ``cell_m`` grid cell (≥ 1000 m); without
    a gazetteer, always the grid cell. Store these, never the points."""
    lats = np.asarray(lats, dtype="float64")
    lons = np.asarray(lons, dtype="float64")
    keys = area_keys_for_points(lats.tolist(), lons.tolist(), int(cell_m), gazetteer)
    return np.asarray(keys, dtype=object)


# Where the fictional residents live: (name, lat, lon, spread in degrees, share of records,
# needs with weights, populations with weights, share of records that stay unmet, reasons).
_CLUSTERS = [
    ("rural west", 45.40, -76.15, 0.10, 0.26,
     {"food.bank": 6, "food.delivery": 2, "transport.accessible": 1},
     {None: 3, "senior": 2}, 0.75,
     {"none_within_reach": 3, "closed_at_needed_times": 1, "only_virtual": 1}),
    ("vanier", 45.440, -75.660, 0.010, 0.22,
     {"housing.rent": 5, "food.bank": 2, "community.newcomers": 1},
     {"newcomer": 3, "francophone": 1, None: 1}, 0.55,
     {"all_full": 2, "all_ineligible": 2, "language": 1}),
    ("orleans", 45.470, -75.515, 0.035, 0.20,
     {"employment.jobsearch": 5, "income.tax": 1, "food.bank": 1},
     {None: 2, "youth": 2, "francophone": 1}, 0.45,
     {"none_within_reach": 1, "closed_at_needed_times": 2, "all_ineligible": 1}),
    ("downtown", 45.420, -75.695, 0.012, 0.18,
     {"food.bank": 2, "housing.shelter": 2, "health.mental": 1, "legal.aid": 1},
     {None: 2, "youth": 1, "indigenous": 1}, 0.30,
     {"all_full": 2, "all_ineligible": 1, "language": 1}),
    ("kanata-barrhaven", 45.29, -75.82, 0.06, 0.14,
     {"food.bank": 2, "income.tax": 1, "employment.jobsearch": 1},
     {None: 2, "senior": 1}, 0.35,
     {"none_within_reach": 2, "all_ineligible": 1}),
]


def _pick(rng, weights: dict, n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype="float64")
    idx = rng.choice(len(keys), size=n, p=p / p.sum())
    return np.array(keys, dtype=object)[idx]


def _residents(n: int, seed: int):
    rng = np.random.default_rng(seed)
    shares = np.array([c[4] for c in _CLUSTERS])
    which = rng.choice(len(_CLUSTERS), size=n, p=shares / shares.sum())
    lat = np.empty(n)
    lon = np.empty(n)
    need = np.empty(n, dtype=object)
    pop = np.empty(n, dtype=object)
    reason = np.empty(n, dtype=object)
    unmet_share = np.empty(n)
    for i, (_, clat, clon, spread, _, needs, pops, share, reasons) in enumerate(_CLUSTERS):
        m = which == i
        k = int(m.sum())
        lat[m] = clat + rng.normal(0.0, spread / 2.5, k)
        lon[m] = clon + rng.normal(0.0, spread * 1.4 / 2.5, k)
        need[m] = _pick(rng, needs, k)
        pop[m] = _pick(rng, pops, k)
        reason[m] = _pick(rng, reasons, k)
        unmet_share[m] = share
    grid = np.arange(n) % 3 == 2
    area = np.empty(n, dtype=object)
    # The fictional residents live in the fictional sample's areas.
    area[~grid] = area_keys(lat[~grid], lon[~grid], cell_m=1000, gazetteer=Gazetteer.ottawa_sample())
    area[grid] = area_keys(lat[grid], lon[grid], cell_m=1000)
    day = pd.Timestamp("2026-09-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    return rng, lat, lon, need, pop, reason, area, day.strftime("%Y-%m-%d").to_numpy(), unmet_share


def sample_demand(
    n: int = 5_000, seed: int = 2026
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A realistic, **fictional**, deterministic demand set of ``n`` residents for Ottawa
    (food needs in the rural west, rent needs for newcomers in Vanier, employment in Orléans,
    shelter and mental health downtown, …), vectorised with numpy.

    Each resident is either an unmet-need record (no suitable service found; more often in
    the rural west) or a referral that connected or not. Returns ``(unmet, referrals,
    points)``: ``unmet`` has :data:`UNMET_COLUMNS` and ``referrals`` the referral CSV columns,
    both with area keys only (a named area of the sample gazetteer, or for every third
    resident the 1 km grid cell); ``points`` holds the residents' simulated points, only for
    tests that check no output leaks them. Never store or publish ``points``.
    """
    rng, lat, lon, need, pop, reason, area, day, unmet_share = _residents(n, seed)
    is_unmet = rng.random(n) < unmet_share
    unmet = pd.DataFrame(
        {"need": need, "population": pop, "area": area, "date": day, "reason": reason}
    )[is_unmet].reset_index(drop=True)
    ref = ~is_unmet
    k = int(ref.sum())
    connected = rng.random(k) < 0.8
    outcome = _pick(rng, {"waitlist_full": 2, "too_far": 1, "no_answer": 2}, k)
    d = day[ref]
    last = np.where(connected, "connected", "not_connected")
    referrals = pd.DataFrame(
        {
            "id": [f"r{i}" for i in np.flatnonzero(ref)],
            "need": need[ref],
            "service_id": "svc-sample",
            "service_at_location_id": "sal-sample",
            "referred_on": d,
            "status": last,
            "follow_up_due": "",
            "outcome": np.where(connected, "", outcome),
            "population": pop[ref],
            "area": area[ref],
            "history": [f"referred@{x};contacted@{x};{s}@{x}" for x, s in zip(d, last)],
        }
    )
    points = pd.DataFrame({"lat": lat, "lon": lon})
    return unmet, referrals, points


def sample_unmet_needs(n: int = 5_000, seed: int = 2026) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` fictional unmet-need records (every resident of :func:`sample_demand` recorded as
    unmet): ``(records, points)``. Fast enough for large tests (≈ 1 s per million)."""
    _, lat, lon, need, pop, reason, area, day, _ = _residents(n, seed)
    records = pd.DataFrame(
        {"need": need, "population": pop, "area": area, "date": day, "reason": reason}
    )
    return records, pd.DataFrame({"lat": lat, "lon": lon})


def needs_in(cells: Iterable, need_prefix: str) -> list:
    """The cells whose need is ``need_prefix`` or lies under it (``food`` → ``food.bank``,
    ``BD`` → ``BD-1800.2000``), by the core's own term hierarchy (``term_is_within``)."""
    return [c for c in cells if term_is_within(c.need, need_prefix)]
