"""The numeric check on columns that arrive as floats (a REAL column, or integers with NULLs read by numpy)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from artifact.errors import SchemaError
from artifact.loaders.checks import numbers


def test_whole_floats_become_exact_integers_and_absent_values_stay_absent() -> None:
    converted = numbers(pd.Series([3.0, np.nan, 2.0**62]), "f.db", "t", "c", integer=True)
    assert converted.dtype == "Int64" and converted.tolist() == [3, pd.NA, 4611686018427387904]


@pytest.mark.parametrize(("bad", "held"), [(2.5, "2.5"), (np.inf, "inf"), (2.0**63, "9.223372036854776e+18")])
def test_a_float_that_is_no_int64_is_named_with_its_row(bad: float, held: str) -> None:
    with pytest.raises(SchemaError, match=rf"column 'c': row 2 holds {re.escape(held)}, which is not a whole number within the int64 range"):
        numbers(pd.Series([1.0, bad]), "f.db", "t", "c", integer=True)
