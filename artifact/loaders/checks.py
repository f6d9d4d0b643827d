"""Strict column checks shared by the loaders: nothing is coerced to NaN silently.

Each check raises a `SchemaError` naming the file, the table, the column, the first bad row
(1 = the first data row) and its value. A value that is really absent (SQL NULL, an empty CSV
cell, a JSON null) is not an error where the column allows it: it stays NaN, and
`artifact.loaders.losses` counts it so the report can say how many rows each input lost and why.
Integer columns are read as exact int64, never through float64 (which rounds above 2**53); booleans
and non-finite values are refused, not read as 1.0, 0.0 or an infinite count.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
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
) -> pd.Series:
    """`values` as finite float64 (NaN only where absent), or exact int64/Int64 when `integer`; never negative."""
    absent = values.isna().to_numpy()
    if (boolean := _booleans(values)).any():
        _fail(path, table, column, boolean, values, "a boolean where a number is expected")
    converted = _whole_numbers(values) if integer else _finite_floats(values)
    if (refused := ~absent & converted.isna().to_numpy()).any():
        problem = "which is not a whole number within the int64 range" if integer else "which is not a finite number"
        _fail(path, table, column, refused, values, problem)
    if not missing_allowed and absent.any():
        _fail(path, table, column, absent, values, "but the column must have a value in every row")
    if (negative := (converted < 0).to_numpy(dtype=bool, na_value=False)).any():
        _fail(path, table, column, negative, values, "a negative number where counts cannot be negative")
    return converted.astype("int64") if integer and not missing_allowed else converted


def _booleans(values: pd.Series) -> np.ndarray:
    """Where `values` holds a boolean, which pandas would otherwise read as 1.0 or 0.0."""
    if values.dtype.kind == "b":
        return ~values.isna().to_numpy()
    if values.dtype == object:
        return values.map(lambda value: isinstance(value, bool | np.bool_)).to_numpy(dtype=bool)
    return np.zeros(len(values), dtype=bool)


def _finite_floats(values: pd.Series) -> pd.Series:
    """`values` as float64, NaN where a value is absent, not a number or not finite (inf is no count)."""
    converted = pd.to_numeric(values, errors="coerce")
    if converted.dtype == object:  # pandas keeps objects it cannot read (e.g. lists): none is a number
        converted = pd.Series(np.nan, index=values.index)
    as_float = converted.astype("float64")
    return as_float.where(np.isfinite(as_float.to_numpy()))


def _whole_numbers(values: pd.Series) -> pd.Series:
    """`values` as exact Int64 (never through float64, which rounds above 2**53), <NA> where not a whole number."""
    if values.dtype.kind == "i":
        return values.astype("Int64")
    if values.dtype.kind == "f":  # already floats: whole, finite and within int64 converts exactly
        floats = values.to_numpy(dtype="float64", na_value=np.nan)
        with np.errstate(invalid="ignore"):  # inf % 1 is NaN: not whole
            whole = (floats % 1 == 0) & (np.abs(floats) < 2.0**63)
        return pd.Series(floats, index=values.index).where(whole).astype("Int64")
    # text or mixed values (SQLite keeps each value's own type): read one by one, exactly
    return pd.Series(pd.array([_whole(value) for value in values], dtype="Int64"), index=values.index)


def _whole(value: object) -> int | None:
    """`value` as an exact int if it is a whole number in the int64 range, else None."""
    if isinstance(value, int | np.integer):
        number = int(value)
    else:
        try:
            exact = Decimal(str(value))  # a float's str is the shortest text that reads back as that float
        except InvalidOperation:
            return None
        if not exact.is_finite() or exact != exact.to_integral_value() or abs(exact) > 2**63:
            return None
        number = int(exact)
    return number if -(2**63) <= number < 2**63 else None


def unique(values: pd.Series, path: Path | str, table: str, column: str) -> None:
    """Refuse a repeated value in a column whose values identify rows."""
    repeated = values.duplicated(keep="first").to_numpy()
    if repeated.any():
        _fail(path, table, column, repeated, values, "which an earlier row already holds (ids must be unique)")


def not_empty(frame: pd.DataFrame, path: Path | str, table: str) -> None:
    """Refuse a table without rows: no metric is meaningful on it."""
    if frame.empty:
        raise SchemaError(f"{path}: table {table!r} has no rows; check that the file is the pinned input")
