"""The authors' Figure 6 digitised once per PNG: the bars kept in the cache folder, verified like an input.

A result is stored under `<cache>/derived/authors-fig6/<key>-<reader>.json`, where `key` hashes the
PNG's sha256 and what the digitiser is told (panels, categories, gridline values, series colours)
and `reader` hashes the digitising code (fig6_digitise.py and this module) and the versions of the
libraries that decode the PNG. The file's first line is the sha256 of the rest (artifact/checked_json.py);
a result is used only when that checksum and its key fields all match, and is otherwise ignored,
digitised again and rewritten. A PNG that cannot be digitised is not stored: it fails again, with
the same message, the next time.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import cache
from pathlib import Path

import pandas as pd

from artifact.authors import fig6_digitise
from artifact.authors.fig6_digitise import BAR_COLUMNS, DEFAULT_SERIES, read_bars
from artifact.checked_json import code_hash, read_matching, write_checked

FOLDER = "derived/authors-fig6"
MAX_RESULT_BYTES = 1024 * 1024  # a result is a few kB: a larger file is not one of ours


@cache
def reader_hash() -> str:
    """The hash of the code that turns the PNG into bars: these two modules and the decoding libraries' versions."""
    return code_hash((fig6_digitise.__file__, __file__), ("matplotlib", "pillow", "numpy"))


def digitised_bars(
    png: bytes, name: str, panel_names: tuple[str, ...], categories: tuple[tuple[str, ...], ...], grid_values: tuple[float, ...],
    cache_dir: Path,
) -> pd.DataFrame:
    """read_bars of the PNG (default series), or its verified result from `cache_dir`; `name` names the PNG in errors."""
    key = {
        "png_sha256": hashlib.sha256(png).hexdigest(),
        "arguments": json.loads(json.dumps([panel_names, categories, grid_values, DEFAULT_SERIES])),  # as read back
        "reader": reader_hash(),
    }
    path = result_path(cache_dir, key)
    stored = read_matching(path, MAX_RESULT_BYTES, key)
    if stored is not None:
        return pd.DataFrame([_row(row) for row in stored["bars"]], columns=list(BAR_COLUMNS))
    bars = read_bars(png, name, panel_names, categories, grid_values)
    rows = [{column: None if _missing(value) else value for column, value in row.items()} for row in bars.to_dict("records")]
    write_checked(path, key | {"bars": rows}, MAX_RESULT_BYTES)
    return bars


def result_path(cache_dir: Path, key: dict) -> Path:
    """Where the result for `key` (PNG checksum, arguments, reader) is kept."""
    name = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:32]
    return cache_dir / FOLDER / f"{name}-{key['reader']}.json"


def _missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _row(stored: dict) -> dict:
    """A row as read_bars makes it: NaN where the record holds null."""
    return {column: math.nan if stored[column] is None else stored[column] for column in BAR_COLUMNS}
