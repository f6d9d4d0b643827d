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


def positions(among: pd.Series | pd.Index | pa.Array, values: pd.Series | pd.Index | pa.Array) -> np.ndarray:
    """The 0-based position of each of `values` in `among` (unique), -1 where absent (or null).

    The distinct values are hashed and `among` is looked up in them: a listing's few thousand base
    models against its 760,000 model ids, rather than a hash table of the ids.
    """
    values = arrow_strings(values)
    distinct = pc.unique(values.drop_null())
    found = pc.index_in(arrow_strings(among), value_set=distinct)  # for each of `among`, the index of its value
    position = np.full(len(distinct) + 1, -1, dtype=np.int64)  # the last for values that are null
    position[found.drop_null().to_numpy()] = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
    at = pc.index_in(values, value_set=distinct).fill_null(len(distinct))
    return position[at.to_numpy(zero_copy_only=False)]
