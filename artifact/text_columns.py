"""Lookups on text columns of millions of rows through Arrow's hash tables.

pandas' `isin` and `Index.get_indexer` on text build their hash tables more slowly than Arrow's, and
converting Arrow-backed text to Python objects costs more than the lookup; these take the
Arrow data as it is (`make bench` measures the difference on the 760 listing pages).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(values: pd.Series | pd.Index | pa.Array) -> pa.Array:
    """`values` as one Arrow large_string array; Arrow-backed text is taken without a copy."""
    array = values if isinstance(values, pa.Array) else pa.array(pd.Series(values, copy=False).array)
    array = array.cast(pa.large_string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def isin(values: pd.Series | pd.Index | pa.Array, among: pd.Series | pd.Index) -> np.ndarray:
    """Whether each of `values` is one of `among`, as a boolean array."""
    found = pc.is_in(arrow_strings(values), value_set=arrow_strings(among))
    return found.to_numpy(zero_copy_only=False).astype(bool)


def positions(among: pd.Series | pd.Index, *columns: pd.Series | pd.Index | pa.Array) -> list[np.ndarray]:
    """For each of `columns`, the 0-based position of each value in `among` (unique), -1 where absent.

    One hash table of `among` serves every column.
    """
    found = pc.index_in(pa.concat_arrays([arrow_strings(c) for c in columns]), value_set=arrow_strings(among))
    found = found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    bounds = np.cumsum([len(c) for c in columns])[:-1]
    return np.split(found, bounds)
