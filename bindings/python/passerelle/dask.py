"""Scale-out with Dask: the functions of :mod:`passerelle.batch` over Dask DataFrames.

Each function takes a pandas **or** Dask DataFrame (or a CSV / Parquet path, read lazily with
Dask) and a navigator *source* (``"sample"``, an HSDS path, or HSDS JSON bytes): uniffi objects
are not picklable, so workers build their own navigator, once per worker process (cached by
source hash; :class:`NavigatorPlugin` builds it when a worker starts). Every partition goes
through the Arrow batch API in chunks: one FFI crossing per chunk, never per row.

On a pandas DataFrame the functions run in-process (no Dask needed) and return pandas; on a
Dask DataFrame they return a lazy Dask DataFrame (``.compute()``, ``.to_parquet()``)::

    import dask.dataframe as dd
    from distributed import Client
    import passerelle.dask as pd_

    client = Client("tcp://scheduler:8786")         # or LocalCluster()
    needs = dd.read_parquet("needs/*.parquet")
    pd_.match_batch(needs, "/data/hsds/").to_parquet("matches/")

Results are deterministic: the distributed result equals the pandas result row for row after
sorting by :data:`passerelle.batch.SORT_COLUMNS`, whatever the partitioning. A malformed row
becomes a row with ``error`` set, never a failed task; a killed worker's partitions are
recomputed by Dask.
"""

from __future__ import annotations

import os

import pandas as pd

from . import batch
from .batch import MATCH_COLUMNS, MATCH_DTYPES, SORT_COLUMNS, empty_matches, source_key

__all__ = [
    "MATCH_COLUMNS",
    "MATCH_DTYPES",
    "SORT_COLUMNS",
    "NavigatorPlugin",
    "read_needs",
    "match_batch",
    "screen_eligibility",
    "gap_analysis",
]


def _is_dask(df) -> bool:
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - dask is optional
        return False
    return isinstance(df, dd.DataFrame)


def read_needs(path, *, blocksize="16MB", **kwargs):
    """A CSV or Parquet need table (file, folder or glob) as a lazy Dask DataFrame (pyarrow)."""
    import dask.dataframe as dd

    p = os.fspath(path)
    if p.endswith((".parquet", ".pq")) or os.path.isdir(p):
        return dd.read_parquet(p, engine="pyarrow", **kwargs)
    return dd.read_csv(p, blocksize=blocksize, **kwargs)


def _lazy(df):
    if isinstance(df, (str, os.PathLike)):
        return read_needs(df)
    return df


def _check_source(source):
    from . import Navigator

    if isinstance(source, Navigator):
        raise TypeError(
            "a Navigator cannot be sent to Dask workers (uniffi objects are not picklable): "
            "pass its source instead ('sample', an HSDS path or HSDS JSON bytes)"
        )
    source_key(source)  # validates the type
    return bytes(source) if isinstance(source, (bytearray, memoryview)) else source


try:  # a real WorkerPlugin when distributed is installed (it refuses duck-typed plugins)
    from distributed.diagnostics.plugin import WorkerPlugin as _PluginBase
except ImportError:  # pragma: no cover - distributed is optional
    _PluginBase = object


class NavigatorPlugin(_PluginBase):
    """A ``distributed`` worker plugin that builds the navigator for ``source`` when a worker
    starts (and after a restart), so the first partition does not pay for it::

        client.register_plugin(NavigatorPlugin("/data/hsds/"))
    """

    name = "passerelle-navigator"

    def __init__(self, source="sample"):
        self.source = _check_source(source)

    def setup(self, worker=None):
        batch.navigator_for(self.source)



def _match_partition(part: pd.DataFrame, source, kwargs) -> pd.DataFrame:
    out = batch.match_batch(part, source, **kwargs)
    return out[MATCH_COLUMNS].astype(MATCH_DTYPES)


def match_batch(df, navigator_source="sample", **kwargs):
    """:func:`passerelle.batch.match_batch` over each partition of a Dask DataFrame (lazy
    result with :data:`MATCH_COLUMNS`), or in-process on a pandas DataFrame.

    The search instant is fixed once here (``at_epoch_seconds``, default now), so every
    partition, retried or not, sees the same instant."""
    df = _lazy(df)
    kwargs["at_epoch_seconds"] = batch._epoch(kwargs.get("at_epoch_seconds"))
    if not _is_dask(df):
        return batch.match_batch(df, navigator_source, **kwargs)
    source = _check_source(navigator_source)
    return df.map_partitions(
        _match_partition, source, kwargs, meta=empty_matches(), enforce_metadata=False
    )


def screen_eligibility(df, navigator_source="sample", *, service_ids=None, limit=20, **kwargs):
    """:func:`passerelle.batch.screen_eligibility` per partition (Dask) or in-process."""
    out = match_batch(
        df, navigator_source, limit=limit, include_ineligible=True, **kwargs
    )
    if service_ids is None:
        return out
    wanted = sorted(set(service_ids))
    return out[out["service_id"].isna() | out["service_id"].isin(wanted)]


_GROUP = ["need", "population", "area", "reason"]


def _tally(part: pd.DataFrame) -> pd.DataFrame:
    g = part[_GROUP].astype("string").fillna("")
    return g.groupby(_GROUP, sort=False).size().rename("n").reset_index()


def gap_analysis(unmet, navigator_source="sample", *, referrals=None, counts=None, **options):
    """:func:`passerelle.batch.gap_analysis` over a Dask DataFrame of unmet-need records.

    The records are reduced in parallel to counts per (need, population, area, reason) (the
    only fields the analysis reads; ``date`` is not used), then the analysis runs once, on the
    client, over records rebuilt from those counts: identical cells to the pandas path.
    Referrals (usually far fewer) may be pandas or Dask; they are gathered as they are.
    Returns a pandas DataFrame (gap cells are few)."""
    unmet = _lazy(unmet)
    if _is_dask(referrals):
        referrals = referrals.compute()
    if not _is_dask(unmet):
        return batch.gap_analysis(
            unmet, navigator_source, referrals=referrals, counts=counts, **options
        )
    meta = pd.DataFrame({c: pd.Series([], dtype="string") for c in _GROUP}).assign(
        n=pd.Series([], dtype="int64")
    )
    tallies = unmet.map_partitions(_tally, meta=meta).compute()
    totals = tallies.groupby(_GROUP, sort=True).n.sum().reset_index()
    rebuilt = totals.loc[totals.index.repeat(totals.n), _GROUP].reset_index(drop=True)
    rebuilt["population"] = rebuilt["population"].replace("", pd.NA)
    rebuilt["date"] = "2000-01-01"  # not read by the analysis
    return batch.gap_analysis(
        rebuilt, navigator_source, referrals=referrals, counts=counts, **options
    )
