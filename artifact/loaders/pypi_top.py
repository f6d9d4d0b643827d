"""PyPI top lists of hugovk/top-pypi-packages (`top-pypi-packages-30-days.json`): name, downloads.

Format: `{"last_update": str, "query": {...}, "rows": [{"project": str, "download_count": int}, ...]}`,
30-day downloads from the PyPI BigQuery dataset, names already normalised by PyPI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.checks import numbers

ROW_FIELDS = {"project": "name", "download_count": "downloads"}


def load_pypi_top(path: Path) -> pd.DataFrame:
    """Tidy snapshot (`name` str, `downloads` float64) from one top-pypi-packages JSON file."""
    try:
        data = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path} is not valid JSON ({error}); check that the file is the pinned input") from error
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise SchemaError(f"{path}: expected an object whose 'rows' is a list of objects; check that the file is the pinned input")
    frame = pd.DataFrame.from_records(rows, columns=list(ROW_FIELDS))
    unnamed = frame.index[frame["project"].isna()]
    if not rows or len(unnamed):
        where = f"row {unnamed[0]} has no 'project'" if len(unnamed) else "'rows' is empty"
        raise SchemaError(f"{path}: {where}; check that the file is the pinned input")
    return pd.DataFrame(
        {
            "name": frame["project"].astype(str),
            "downloads": numbers(frame["download_count"], path, "rows", "download_count"),
        }
    )
