"""The one number formatter: significant digits, whole numbers, the token for non-finite values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from artifact.numbers import NON_FINITE, format_floats, format_number, parse_non_finite, rounded
from artifact.tables import read_table, write_table


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.9536666666666667, "0.953667"), (0.373, "0.373"), (5.162326007e-45, "5.16233e-45"), (-0.0, "0"),
     (12, "12"), (np.int64(401572000), "401572000"), (1e8, "1e+08"), (math.nan, NON_FINITE),
     (math.inf, NON_FINITE), (-math.inf, NON_FINITE)],
)
def test_format_number(value, text) -> None:
    assert format_number(value) == text


def test_a_last_bit_does_not_reach_the_text() -> None:
    value = 0.1475609058
    assert format_number(np.nextafter(value, 1)) == format_number(np.nextafter(value, -1)) == "0.147561"


def test_whole_float_columns_are_written_in_full() -> None:
    downloads = pd.Series([401572000.0, np.nan, 3.0])
    assert format_floats(downloads).tolist() == ["401572000", NON_FINITE, "3"]
    assert format_floats(pd.Series([0.5, 401572000.0])).tolist() == ["0.5", "4.01572e+08"]


def test_rounded_is_what_the_tables_write() -> None:
    assert rounded(np.array([0.68392857142857, math.nan]))[0] == 0.683929
    assert math.isnan(rounded(np.array([math.nan]))[0])


def test_tables_write_the_token_and_read_it_back(tmp_path) -> None:
    path = tmp_path / "t.csv"
    table = pd.DataFrame({"name": ["NA", "nan", ""], "rho": [0.5, np.nan, np.inf], "n": [1, 2, 3]})
    write_table(table, path, ["name", "rho", "n"])
    assert path.read_text().splitlines() == ["name,rho,n", "NA,0.5,1", f"nan,{NON_FINITE},2", f",{NON_FINITE},3"]
    back = read_table(path)
    assert back["name"].tolist()[:2] == ["NA", "nan"]  # a name is never taken for a number
    assert back["rho"].iloc[0] == 0.5 and back["rho"].isna().tolist() == [False, True, True]


def test_a_text_column_with_the_token_stays_text() -> None:
    table = parse_non_finite(pd.DataFrame({"name": ["NA", "bert"]}))
    assert table["name"].tolist() == ["NA", "bert"]
