"""Deterministic CSV tables: fixed column order, sorted rows, `\n` line ends, numbers by one formatter."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from artifact.atomic import atomic_path
from artifact.errors import SchemaError
from artifact.numbers import format_floats, parse_non_finite


def write_table(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    columns: Sequence[str],
    sort_by: Sequence[str] | None = None,
) -> None:
    """Write `table` atomically as CSV with exactly `columns`, rows sorted by `sort_by`.

    Float columns go through `artifact.numbers.format_number` (six significant digits, `NA` for a
    value that is not a finite number); a missing text value is an empty cell.
    """
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise SchemaError(f"table for {path} lacks columns {missing}; it has {list(table.columns)}")
    out = table.loc[:, list(columns)]
    if sort_by:
        out = out.sort_values(list(sort_by), kind="mergesort")
    out = out.assign(**{c: format_floats(out[c]) for c in out.columns if out[c].dtype.kind == "f"})
    with atomic_path(path) as tmp:
        out.to_csv(tmp, index=False, lineterminator="\n")


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a table written by `write_table` (`NA` in a numeric column is NaN; text stays text)."""
    return parse_non_finite(pd.read_csv(path, keep_default_na=False, na_values=[""]))
