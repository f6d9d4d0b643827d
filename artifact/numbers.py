"""The one number formatter of every table and figure text, so that bytes do not carry last bits.

Rule: integers are written in full (also a float column whose every value is a whole number: counts
that a missing value made float); every other number with `SIGNIFICANT` significant digits in C's
`%g` form (trailing zeros dropped: `0.577333`, `0.373`, `5.16233e-45`); a value that is not a finite
number (NaN, +inf, -inf) as the single token `NON_FINITE`. Six digits keep what the paper
reports (two or three) and sit nine or more digits above the last bits that differ between CPUs
and BLAS kernels; Python's formatting is correctly rounded, so it does not depend on the platform.
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the claims registry formats numbers before any task, without pandas
    import numpy as np
    import pandas as pd

SIGNIFICANT = 6
NON_FINITE = "NA"
_WHOLE_LIMIT = 2.0**53  # whole numbers below this are exact in a double


def format_number(value: Real, digits: int = SIGNIFICANT) -> str:
    """`value` written by the rule above (`digits` significant digits for non-integers)."""
    if isinstance(value, Integral) and not isinstance(value, bool):  # numpy registers its integers as Integral
        return str(int(value))
    number = float(value)
    if not math.isfinite(number):
        return NON_FINITE
    return f"{number + 0.0:.{digits}g}"  # + 0.0 writes -0.0 as 0


def format_floats(values: pd.Series, digits: int = SIGNIFICANT) -> pd.Series:
    """A float column as the strings `format_number` writes (whole numbers in full if all are), index kept."""
    import numpy as np
    import pandas as pd

    array = values.to_numpy(dtype="float64")
    finite = array[np.isfinite(array)]
    if len(finite) and bool(np.all((finite == np.floor(finite)) & (np.abs(finite) < _WHOLE_LIMIT))):
        texts = [str(int(v)) if math.isfinite(v) else NON_FINITE for v in array]
    else:
        texts = [format_number(v, digits) for v in array]
    return pd.Series(texts, index=values.index, dtype=object)


def rounded(values: np.ndarray | pd.Series | float, digits: int = SIGNIFICANT) -> np.ndarray:
    """`values` rounded to what `format_number` writes, as floats (what figures draw)."""
    import numpy as np

    array = np.asarray(values, dtype="float64")
    return np.array([float(format_number(v, digits)) if math.isfinite(v) else v for v in array.ravel()]).reshape(array.shape)


def parse_non_finite(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with each text column that holds only numbers and `NON_FINITE` read back as floats."""
    import pandas as pd

    for column in table.columns:
        values = table[column]
        if not pd.api.types.is_numeric_dtype(values) and (values == NON_FINITE).any():
            parsed = pd.to_numeric(values.where(values != NON_FINITE), errors="coerce")
            if parsed.notna().sum() == (values.notna() & (values != NON_FINITE)).sum():
                table[column] = parsed
    return table
