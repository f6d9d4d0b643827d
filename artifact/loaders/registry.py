"""Snapshot loaders by format name, as the profiles name them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from artifact.loaders.snapshots_hf import HF_SNAPSHOT_LAYOUTS, load_hf_snapshot
from artifact.loaders.toplist_csv import load_toplist_csv

SnapshotLoader = Callable[[Path], pd.DataFrame]

SNAPSHOT_LOADERS: dict[str, SnapshotLoader] = {
    "toplist-csv": load_toplist_csv,
    **{layout: partial(load_hf_snapshot, layout=layout) for layout in HF_SNAPSHOT_LAYOUTS},
}
