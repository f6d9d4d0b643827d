"""Deterministic CSV tables: fixed column order, sorted rows, `\n` line ends, fixed float format."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from artifact.atomic import atomic_path
from artifact.errors import SchemaError

FLOAT_FORMAT = "%.10g"


def write_table(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    columns: Sequence[str],
    sort_by: Sequence[str] | None = None,
) -> None:
    """Write `table` atomically as CSV with exactly `columns`, rows sorted by `sort_by`."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SchemaError(f"table for {path} lacks columns {missing}; it has {list(table.columns)}")
    out = table.loc[:, list(columns)]
    if sort_by:
        out = out.sort_values(list(sort_by), kind="mergesort")
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a table written by `write_table`."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""])
