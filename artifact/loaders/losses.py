"""How many rows each input lost on the way to a metric, and why: a small record per input.

A loader keeps a row whose value is really absent (the paper's 06/2022 snapshot has 1,369 models
without downloads) as NaN; a metric then leaves it out (Metric 2 ranks only rows with downloads).
`count_missing` counts them, and the task that loads an input writes the record next to its
intermediate (`<intermediate>.rows.json`, one of its outputs); the report reads them back and says,
per input, how many rows were read and how many were left out, and why (REPORT.md's inputs table,
inputs.json). Only names, never paths, enter the record, so its bytes are the same on every machine.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from artifact.atomic import atomic_path

if TYPE_CHECKING:
    import pandas as pd

SUFFIX = ".rows.json"


@dataclass(frozen=True)
class RowLosses:
    """Rows read from one input, and per column how many have no value (and are left out by the metric)."""

    input_id: str
    rows: int
    lost: int  # rows without a value in any of the counted columns
    missing: dict[str, int]  # column -> rows without a value
    reason: str  # what happens to those rows


def count_missing(frame: pd.DataFrame, input_id: str, columns: tuple[str, ...], reason: str) -> RowLosses:
    """The record of `frame`: its rows, and per column in `columns` (those present) the rows without a value."""
    present = [column for column in columns if column in frame.columns]
    absent = frame[present].isna()
    missing = {column: int(absent[column].sum()) for column in present}
    return RowLosses(input_id, len(frame), int(absent.any(axis=1).sum()), missing, reason)


def record_path(intermediate: Path) -> Path:
    """Where the record of the intermediate file `intermediate` lives."""
    return intermediate.with_name(intermediate.name + SUFFIX)


def write_losses(record: RowLosses, path: Path) -> None:
    """Write the record to `path`, atomically, as sorted JSON."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(asdict(record), indent=1, sort_keys=True) + "\n")


def read_losses(path: Path) -> RowLosses:
    """The record written to `path` by `write_losses`."""
    return RowLosses(**json.loads(path.read_text()))
