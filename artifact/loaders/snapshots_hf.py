"""The paper's Hugging Face snapshots for Metric 2, each a SQLite file with its own table layout."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from artifact.loaders.checks import not_empty, numbers
from artifact.loaders.sqlite import read_columns

# format name -> (table, column holding the model id, column holding the downloads)
HF_SNAPSHOT_LAYOUTS: dict[str, tuple[str, str, str]] = {
    "hf-ancient": ("PeaTMOSS_ANCIENT", "modelId", "downloads_last_month"),  # 06/2022
    "hf-old": ("PeaTMOSS_OLD", "modelId", "downloads"),  # 05/2023
    "peatmoss": ("model", "context_id", "downloads"),  # 10/2023, the PeaTMOSS database
    "hf-new": ("PeaTMOSS_NEW", "id", "downloads"),  # 04/2024
}


def load_hf_snapshot(path: Path, layout: str) -> pd.DataFrame:
    """Tidy snapshot (`name` str, `downloads` float with NaN for NULL) from one of the layouts."""
    table, id_column, downloads_column = HF_SNAPSHOT_LAYOUTS[layout]
    frame = read_columns(path, table, {id_column: "name", downloads_column: "downloads"})
    return tidy_snapshot(frame, path, table, downloads_column)


def tidy_snapshot(frame: pd.DataFrame, path: Path, table: str, downloads_column: str = "downloads") -> pd.DataFrame:
    """Normalise a (`name`, `downloads`) frame: names as str, downloads as float64 (NaN = absent, never text)."""
    not_empty(frame, path, table)
    return pd.DataFrame(
        {
            "name": frame["name"].astype(str),
            "downloads": numbers(frame["downloads"], path, table, downloads_column),
        }
    )
