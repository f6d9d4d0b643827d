"""Strict column checks shared by the loaders: nothing is coerced to NaN silently.

Each check raises a `SchemaError` naming the file, the table, the column, the first bad row
(1 = the first data row) and its value. A value that is really absent (SQL NULL, an empty CSV
cell, a JSON null) is not an error where the column allows it: it stays NaN, and
`artifact.loaders.losses` counts it so the report can say how many rows each input lost and why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from artifact.errors import SchemaError


def _fail(path: Path | str, table: str, column: str, mask: np.ndarray, values: pd.Series, problem: str) -> None:
    """Raise the SchemaError for the first row of `mask`, counting the others."""
    row = int(mask.argmax())
    count = int(mask.sum())
    value = values.iloc[row]
    value = value.item() if isinstance(value, np.generic) else value  # 1, not np.int64(1)
    others = f" ({count - 1} more row(s) like it)" if count > 1 else ""
    raise SchemaError(
        f"{path}: table {table!r}, column {column!r}: row {row + 1} holds {value!r}, {problem}{others}; "
        "check that the file is the pinned input"
    )


def numbers(
    values: pd.Series,
    path: Path | str,
    table: str,
    column: str,
    *,
    integer: bool = False,
    missing_allowed: bool = True,
    nonnegative: bool = True,
) -> pd.Series:
    """`values` as float64 (NaN only where the value is absent), or int64/Int64 when `integer`."""
    absent = values.isna().to_numpy()
    converted = pd.to_numeric(values, errors="coerce")
    if converted.dtype == object:  # pandas keeps objects it cannot read (e.g. lists): none is a number
        converted = pd.Series(np.nan, index=values.index)
    found = converted.notna().to_numpy()
    if (text := ~absent & ~found).any():
        _fail(path, table, column, text, values, "which is not a number")
    if not missing_allowed and absent.any():
        _fail(path, table, column, absent, values, "but the column must have a value in every row")
    as_float = converted.astype("float64")
    if nonnegative and (negative := (as_float < 0).to_numpy()).any():
        _fail(path, table, column, negative, values, "a negative number where counts cannot be negative")
    if integer:
        if (fraction := (found & (as_float.to_numpy() % 1 != 0))).any():
            _fail(path, table, column, fraction, values, "which is not a whole number")
        return as_float.astype("Int64" if missing_allowed else "int64")
    return as_float


def unique(values: pd.Series, path: Path | str, table: str, column: str) -> None:
    """Refuse a repeated value in a column whose values identify rows."""
    repeated = values.duplicated(keep="first").to_numpy()
    if repeated.any():
        _fail(path, table, column, repeated, values, "which an earlier row already holds (ids must be unique)")


def not_empty(frame: pd.DataFrame, path: Path | str, table: str) -> None:
    """Refuse a table without rows: no metric is meaningful on it."""
    if frame.empty:
        raise SchemaError(f"{path}: table {table!r} has no rows; check that the file is the pinned input")
