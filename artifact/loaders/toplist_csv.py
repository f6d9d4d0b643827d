"""Package top lists as CSV (`name,downloads`), the form of the sample's npm and PyPI lists."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError
from artifact.loaders.snapshots_hf import tidy_snapshot

COLUMNS = ("name", "downloads")


def load_toplist_csv(path: Path) -> pd.DataFrame:
    """Tidy snapshot from a CSV with a `name` and a `downloads` column (empty = missing)."""
    try:
        frame = pd.read_csv(path, dtype={"name": str}, keep_default_na=False, na_values=[""])
    except UnicodeDecodeError as error:
        raise SchemaError(f"{path} is not UTF-8 text ({error}); check that the file is the pinned input") from None
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise SchemaError(
            f"{path}: column(s) {', '.join(missing)} missing (columns present: {', '.join(frame.columns)}); "
            "check that the file is the pinned input"
        )
    return tidy_snapshot(frame, path, "CSV rows")
