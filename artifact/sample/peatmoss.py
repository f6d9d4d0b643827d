"""The sample PeaTMOSS database (10/2023): the authors' full schema, filled with synthetic rows."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from artifact.sample.popularity import shuffled
from artifact.sample.sqlite_files import write_sqlite


def peatmoss_ddl() -> str:
    """The PeaTMOSS schema as the authors printed it, minus SQLite's own `sqlite_sequence`."""
    text = resources.files("artifact.sample").joinpath("peatmoss_schema.sql").read_text()
    return "\n".join(line for line in text.splitlines() if "sqlite_sequence" not in line)


def write_peatmoss(path: Path, models: pd.DataFrame, rng: np.random.Generator) -> None:
    """Write `models` (`name`, `downloads`, `likes`) as the `model` table; other columns NULL."""
    table = shuffled(models, rng)
    rows = [
        (model_id, name, None if pd.isna(downloads) else int(downloads), int(likes))
        for model_id, (name, downloads, likes) in enumerate(
            zip(table["name"], table["downloads"], table["likes"]), start=1
        )
    ]
    write_sqlite(
        path,
        peatmoss_ddl(),
        [("INSERT INTO model (id, context_id, downloads, likes) VALUES (?, ?, ?, ?)", rows)],
    )
