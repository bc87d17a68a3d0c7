"""One column vocabulary for every batch path (``passerelle.search_batch``,
``passerelle.batch.match_batch``/``screen_eligibility`` and ``passerelle.dask``).

The Arrow batch API (``Navigator.search_batch_arrow``) names the input row's id ``id`` and the
no-match code ``no_match``, and joins ``missing_facts`` with commas. Every Python path renames
them to ``need_id`` and ``reason`` and turns ``missing_facts`` into a list column (Arrow
``list<string>``; in pandas ``pd.ArrowDtype(pa.list_(pa.string()))``, whose values are lists).
"""

from __future__ import annotations

from typing import Any

RENAME = {"id": "need_id", "no_match": "reason"}


def _split(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return [v for v in str(value).split(",") if v]


def list_dtype() -> Any:
    import pandas as pd
    import pyarrow as pa

    return pd.ArrowDtype(pa.list_(pa.string()))


def fact_lists(values: Any) -> Any:
    """Comma-joined fact names (a pandas Series or any iterable) as a pandas list column."""
    import pandas as pd

    return pd.array([_split(v) for v in values], dtype=list_dtype())


def normalize_table(table: Any) -> Any:
    """A pyarrow Table from the batch API with the shared column names and list columns."""
    import pyarrow as pa

    names = [RENAME.get(n, n) for n in table.column_names]
    table = table.rename_columns(names)
    if "missing_facts" in names:
        i = names.index("missing_facts")
        lists = pa.array(
            [_split(v) for v in table.column(i).to_pylist()], type=pa.list_(pa.string())
        )
        table = table.set_column(i, "missing_facts", lists)
    return table
