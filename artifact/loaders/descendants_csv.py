"""The authors' archived Metric 3 intermediate: a CSV `downloads,count`, one row per base model.

`count` is the number of direct descendants of a base model and `downloads` the summed downloads
of those descendants, as the authors' code computed them (the file carries no model names).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from artifact.errors import SchemaError

SOURCE_COLUMNS = {"downloads": "downloads", "count": "descendants"}


def load_descendants_csv(path: Path) -> pd.DataFrame:
    """Tidy table `downloads`, `descendants` (both int64, non-negative), in the file's order."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [column for column in SOURCE_COLUMNS if column not in frame.columns]
    if missing:
        raise SchemaError(
            f"{path}: column(s) {', '.join(missing)} missing (columns present: {', '.join(frame.columns)}); "
            "expected the authors' header `downloads,count`"
        )
    tidy = {}
    for source, name in SOURCE_COLUMNS.items():
        numbers = pd.to_numeric(frame[source], errors="coerce")
        bad = numbers.isna() | (numbers < 0) | (numbers % 1 != 0)
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise SchemaError(
                f"{path}: column {source!r} must hold non-negative integers; data row {row + 1} has "
                f"{frame[source].iloc[row]!r}; check that the file is the pinned input"
            )
        tidy[name] = numbers.astype("int64")
    return pd.DataFrame(tidy)
