"""Need tables in, plain result tables out, over pandas: the engine behind :mod:`passerelle.dask`.

Every function here takes a pandas DataFrame (or a CSV / Parquet path, read with pyarrow) and a
*navigator source* instead of a :class:`passerelle.Navigator`, so the same call works in a worker
process that has never seen the caller's objects (uniffi objects are not picklable):

* ``"sample"``: the embedded, fictional Ottawa sample directory;
* a path (``str`` / ``os.PathLike``): an HSDS 3.1 folder of CSV files or a JSON file;
* ``bytes``: HSDS JSON text;
* a :class:`passerelle.Navigator`: used as is (same process only).

Navigators are built once per process and cached, keyed by a hash of the source (path, size
and modification time; or the bytes), so a worker pays the build once, not per partition.

Whole partitions go through the Arrow batch API (``Navigator.search_batch_arrow``) in chunks of
``chunk_rows``: one FFI crossing per chunk, never per row. A malformed row becomes a row with
``error`` set; it never fails the call.

Results have plain columns (see :data:`MATCH_COLUMNS`), ready for ``to_parquet``, and are
deterministic: sort by ``need_id, need_index, rank`` to compare runs, however the input was
partitioned.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd



def list_dtype() -> Any:
    """The pandas dtype of list columns (``missing_facts``): Arrow ``list<string>``."""
    import pyarrow as pa

    return pd.ArrowDtype(pa.list_(pa.string()))


__all__ = [
    "MATCH_COLUMNS",
    "MATCH_DTYPES",
    "SORT_COLUMNS",
    "navigator_for",
    "NavigatorSource",
    "source_key",
    "read_table",
    "match_batch",
    "screen_eligibility",
    "gap_analysis",
    "empty_matches",
]

#: Columns of :func:`match_batch` and :func:`screen_eligibility` results, in order.
MATCH_COLUMNS = [
    "need_id",  # the input row's id (id_column), as text
    "need_index",  # which need of the row (0 for one need per row)
    "rank",  # 1-based rank of the match; null when nothing fits or the row is in error
    "service_id",
    "service_at_location_id",
    "distance_m",  # metres to the site; null for remote services
    "eligibility",  # eligible | unknown | ineligible
    "missing_facts",  # list of the facts that would settle an `unknown`
    "reason",  # why nothing fits (no_service_for_need, all_too_far, …) when rank is null
    "error",  # why the row is not a valid query; null otherwise
]

#: pandas dtypes of the result columns (nullable, Parquet-friendly).
MATCH_DTYPES = {
    "need_id": "string",
    "need_index": "Int64",
    "rank": "Int64",
    "service_id": "string",
    "service_at_location_id": "string",
    "distance_m": "float64",
    "eligibility": "string",
    "missing_facts": list_dtype(),
    "reason": "string",
    "error": "string",
}

#: Sort order that makes results comparable between runs and partitionings.
SORT_COLUMNS = ["need_id", "need_index", "rank", "service_id"]

#: Input columns the batch API reads as numbers; a value that is not one makes the row an
#: error row here, instead of failing its chunk.
NUMERIC_COLUMNS = ("lat", "lon", "radius_km", "age", "household_size", "household_income")

#: Default rows per FFI call.
DEFAULT_CHUNK_ROWS = 50_000

_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class NavigatorSource:
    """An HSDS source (a path or HSDS JSON bytes) with the eligibility settings
    :meth:`passerelle.Navigator.from_path` takes: a declared fact catalogue
    (``catalog_json``, the JSON text of a catalogue file) and whether conditions are read
    from the listings' eligibility text (``infer_from_text``). Pass it wherever a navigator
    source is taken (``match_batch``, ``screen_eligibility``, the Dask helpers); it pickles,
    so Dask workers build the same navigator::

        src = NavigatorSource("/data/hsds/", catalog_json=text, infer_from_text=True)
        batch.screen_eligibility(needs, src)
    """

    source: Any
    catalog_json: str | None = None
    infer_from_text: bool = False

    def __post_init__(self):
        if isinstance(self.source, NavigatorSource) or (
            isinstance(self.source, str) and self.source == "sample"
        ):
            raise TypeError("NavigatorSource takes an HSDS path or HSDS JSON bytes")
        if isinstance(self.source, (bytearray, memoryview)):
            object.__setattr__(self, "source", bytes(self.source))
        source_key(self.source)  # validates the type


def source_key(source) -> str:
    """A stable key for a navigator source: ``"sample"``, ``path:<abs>:<size>:<mtime>`` or
    ``json:<sha256>``. Equal keys build equal navigators."""
    from . import Navigator

    if isinstance(source, Navigator):
        return f"object:{id(source)}"
    if isinstance(source, NavigatorSource):
        settings = hashlib.sha256((source.catalog_json or "").encode("utf-8")).hexdigest()
        return f"{source_key(source.source)}|catalog:{settings}|infer:{source.infer_from_text}"
    if isinstance(source, str) and source == "sample":
        return "sample"
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "json:" + hashlib.sha256(bytes(source)).hexdigest()
    if isinstance(source, (str, os.PathLike)):
        path = os.path.abspath(os.fspath(source))
        try:
            st = os.stat(path)
            return f"path:{path}:{st.st_size}:{st.st_mtime_ns}"
        except OSError:
            return f"path:{path}"
    raise TypeError(
        "navigator source must be 'sample', a path, HSDS JSON bytes or a Navigator "
        f"(got {type(source).__name__})"
    )


def navigator_for(source):
    """The navigator for ``source`` ("sample", a path, HSDS JSON bytes, a
    :class:`NavigatorSource` with eligibility settings, or a Navigator), built once per
    process (thread-safe) and cached."""
    from . import Navigator

    if isinstance(source, Navigator):
        return source
    key = source_key(source)
    nav = _cache.get(key)
    if nav is not None:
        return nav
    with _cache_lock:
        nav = _cache.get(key)
        if nav is None:
            eligibility = None
            if isinstance(source, NavigatorSource):
                from . import EligibilitySettings

                eligibility = EligibilitySettings(
                    catalog_json=source.catalog_json, infer_from_text=source.infer_from_text
                )
                source = source.source
            if key == "sample":
                nav = Navigator.sample()
            elif key.startswith("json:"):
                nav = Navigator.from_json(bytes(source).decode("utf-8"), eligibility=eligibility)
            else:
                nav = Navigator.from_path(os.fspath(source), eligibility=eligibility)
            _cache[key] = nav
    return nav


def read_table(path, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """A CSV or Parquet file (by extension) as a DataFrame, read with pyarrow."""
    p = os.fspath(path)
    cols = list(columns) if columns is not None else None
    if p.endswith((".parquet", ".pq")) or os.path.isdir(p):
        return pd.read_parquet(p, columns=cols, engine="pyarrow")
    return pd.read_csv(p, usecols=cols, engine="pyarrow")


def _frame(df) -> pd.DataFrame:
    if isinstance(df, (str, os.PathLike)):
        return read_table(df)
    return df


def empty_matches() -> pd.DataFrame:
    """An empty result with the right columns and dtypes (Dask ``meta``)."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in MATCH_DTYPES.items()})


def _error_rows(ids, reasons) -> pd.DataFrame:
    out = empty_matches().reindex(range(len(ids)))
    out["need_id"] = pd.array(list(ids), dtype="string")
    out["need_index"] = pd.array([0] * len(ids), dtype="Int64")
    out["error"] = pd.array(list(reasons), dtype="string")
    return out.astype(MATCH_DTYPES)


def _options(**kw):
    from . import BatchOptions

    return BatchOptions(**kw)


def _call(nav, table, options) -> pd.DataFrame:
    """One FFI crossing: a pyarrow Table of queries in, the raw result as pandas out."""
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    out = nav.search_batch_arrow(sink.getvalue().to_pybytes(), options)
    return pa.ipc.open_stream(out).read_all().to_pandas(
        types_mapper={pa.list_(pa.string()): list_dtype()}.get
    )


def _to_table(df: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


def _run(nav, df: pd.DataFrame, ids: np.ndarray, options) -> list[pd.DataFrame]:
    """Runs ``df`` in one call; if the call is refused as a whole, splits it in halves until
    the rows at fault are alone, and turns each into an error row."""
    from . import PasserelleError

    try:
        table = _to_table(df)
        raw = _call(nav, table, options)
    except (PasserelleError, ValueError, TypeError, OverflowError) as e:
        if isinstance(e, PasserelleError) and len(df) > 1:
            # Refused even with no rows: the columns themselves are wrong (unknown column,
            # wrong type), not a row. That is the caller's mistake: raise, do not bisect.
            _call(nav, table.schema.empty_table(), options)
        if len(df) <= 1:
            reason = getattr(e, "reason", None) or type(e).__name__
            return [_error_rows(ids, [f"row refused: {reason}"] * len(ids))]
        mid = len(df) // 2
        return _run(nav, df.iloc[:mid], ids[:mid], options) + _run(
            nav, df.iloc[mid:], ids[mid:], options
        )
    if raw.empty:
        return []
    out = pd.DataFrame(
        {
            "need_id": ids[raw["query_index"].to_numpy(dtype=np.int64)],
            "need_index": raw["need_index"],
            "rank": raw["rank"],
            "service_id": raw["service_id"],
            "service_at_location_id": raw["service_at_location_id"],
            "distance_m": raw["distance_m"],
            "eligibility": raw["eligibility"],
            "missing_facts": raw["missing_facts"],
            "reason": raw["reason"],
            "error": raw["error"],
        }
    )
    return [out.astype(MATCH_DTYPES)]


def _prepare(df: pd.DataFrame, id_column: str, columns):
    """Query columns for the batch API, ids as text, and error rows for values that cannot be
    read (ids missing, non-numeric numbers). Never echoes a rejected value."""
    if id_column not in df.columns:
        raise KeyError(f"no id column {id_column!r} (pass id_column=...)")
    ids = df[id_column]
    bad = pd.Series("", index=df.index, dtype=object)
    bad[ids.isna()] = "id: missing"
    keep = [c for c in (columns if columns is not None else df.columns) if c != id_column]
    q = pd.DataFrame(index=df.index)
    for c in keep:
        col = df[c]
        if c in NUMERIC_COLUMNS and not pd.api.types.is_numeric_dtype(col):
            num = pd.to_numeric(col, errors="coerce")
            wrong = col.notna() & num.isna()
            bad[wrong & (bad == "")] = f"field {c}: not a number"
            col = num.astype("float64")
        q[c] = col
    ids_text = ids.astype("string").fillna("").to_numpy(dtype=object)
    ok = (bad == "").to_numpy()
    return q, ids_text, ok, bad.to_numpy(dtype=object)


def _epoch(at_epoch_seconds):
    return int(time.time()) if at_epoch_seconds is None else int(at_epoch_seconds)


def match_batch(
    df,
    navigator_source="sample",
    *,
    id_column: str = "id",
    columns: Iterable[str] | None = None,
    limit: int = 5,
    max_distance_km: float | None = None,
    delivery=None,
    travel=None,
    languages: Iterable[str] = (),
    include_ineligible: bool = False,
    open_now: bool = False,
    free_only: bool = False,
    at_epoch_seconds: int | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> pd.DataFrame:
    """Matches every row of a need table: one result row per match (see
    :data:`MATCH_COLUMNS`), one row with ``rank`` null and ``reason`` set when nothing fits,
    one row with ``error`` set when the row is not a valid query.

    ``df``: a pandas DataFrame or a CSV / Parquet path, with an id column (``id_column``) and
    the batch API's query columns: ``need_text`` (or ``need_terms``), ``lat``, ``lon``,
    optional ``radius_km``, ``languages``, ``facts_json`` and fact columns (``age``,
    ``household_size``, ``household_income``, ``disability``, ``province`` …). Pass
    ``columns`` to send only some columns (others, e.g. your own, are otherwise refused).

    ``at_epoch_seconds`` fixes the search instant (opening hours); it defaults to *now*, taken
    once per call, so every chunk sees the same instant.
    """
    df = _frame(df)
    nav = navigator_for(navigator_source)
    options = _options(
        limit=limit,
        max_distance_km=max_distance_km,
        delivery=delivery,
        travel=travel,
        languages=list(languages),
        include_ineligible=include_ineligible,
        open_now=open_now,
        free_only=free_only,
        at_epoch_seconds=_epoch(at_epoch_seconds),
    )
    if len(df) == 0:
        return empty_matches()
    q, ids, ok, bad = _prepare(df, id_column, columns)
    parts: list[pd.DataFrame] = []
    if not ok.all():
        parts.append(_error_rows(ids[~ok], bad[~ok]))
    q, ids = q[ok], ids[ok]
    step = max(1, int(chunk_rows))
    for start in range(0, len(q), step):
        parts += _run(nav, q.iloc[start : start + step], ids[start : start + step], options)
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_matches()
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(SORT_COLUMNS, kind="mergesort", ignore_index=True)


def screen_eligibility(
    df,
    navigator_source="sample",
    *,
    id_column: str = "id",
    service_ids: Iterable[str] | None = None,
    limit: int = 20,
    **kwargs,
) -> pd.DataFrame:
    """Eligibility screening of every row against the services that serve its need: like
    :func:`match_batch` with ``include_ineligible=True`` (ineligible services are listed, with
    ``eligibility == "ineligible"``), optionally kept to ``service_ids``. ``missing_facts``
    says what to ask to settle an ``unknown``. Rows with no match or in error are kept."""
    out = match_batch(
        df,
        navigator_source,
        id_column=id_column,
        limit=limit,
        include_ineligible=True,
        **kwargs,
    )
    if service_ids is not None:
        wanted = set(service_ids)
        keep = out["service_id"].isna() | out["service_id"].isin(wanted)
        out = out[keep].reset_index(drop=True)
    return out


def gap_analysis(
    unmet,
    navigator_source="sample",
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
) -> pd.DataFrame:
    """Gap analysis of unmet-need records (columns ``need, population, area, date, reason``;
    a DataFrame, CSV / Parquet path or CSV text) and optional referrals (DataFrame or CSV
    text): one row per shown area × need (× population), the columns of
    :data:`passerelle.gaps.GAP_CSV_HEADER`. Cells under ``min_records`` are left out.

    Raises ``PasserelleError.InvalidInput`` naming the row and field of a bad record.
    """
    from . import gaps

    report = gaps.analyze_gaps(
        navigator_for(navigator_source),
        unmet,
        referrals=referrals,
        counts=counts,
        min_records=min_records,
        show_suppressed=show_suppressed,
        by_population=by_population,
        reach_km=reach_km,
        nearest_within_km=nearest_within_km,
        delivery=delivery,
        top_reasons=top_reasons,
    )
    return gaps.gap_frame(report)
