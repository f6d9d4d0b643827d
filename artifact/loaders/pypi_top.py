"""PyPI top lists of hugovk/top-pypi-packages (`top-pypi-packages[-30-days].json`): name, downloads.

Format: `{"last_update": str, "query": {...}, "rows": [{"project": str, "download_count": int}, ...]}`,
30-day downloads from the PyPI BigQuery dataset.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.snapshots_hf import tidy_snapshot


def load_pypi_top(path: Path) -> pd.DataFrame:
    """Tidy snapshot (`name` str, `downloads` float64) from one top-pypi-packages JSON file."""
    try:
        data = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError(f"{path} is not valid JSON ({error}); check that the file is the pinned input") from None
    rows = data.get("rows") if isinstance(data, dict) else None
    if not rows or not isinstance(rows, list) or not all(isinstance(row, dict) and "project" in row for row in rows):
        raise SchemaError(f"{path}: expected 'rows', a non-empty list of objects with a 'project'; check the file")
    frame = pd.DataFrame.from_records(rows, columns=["project", "download_count"])
    return tidy_snapshot(frame.rename(columns={"project": "name", "download_count": "downloads"}))
