"""Snapshot loaders by format name, as the profiles name them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd

from artifact.loaders.hub_listing import load_hub_listing_snapshot
from artifact.loaders.model_info_parquet import load_model_info
from artifact.loaders.npm_top import load_npm_top
from artifact.loaders.pypi_top import load_pypi_top
from artifact.loaders.snapshots_hf import HF_SNAPSHOT_LAYOUTS, load_hf_snapshot
from artifact.loaders.toplist_csv import load_toplist_csv

SnapshotLoader = Callable[[Path], pd.DataFrame]

SNAPSHOT_LOADERS: dict[str, SnapshotLoader] = {
    "toplist-csv": load_toplist_csv,
    **{layout: partial(load_hf_snapshot, layout=layout) for layout in HF_SNAPSHOT_LAYOUTS},
    "pypi-top-json": load_pypi_top,  # hugovk/top-pypi-packages
    "npm-top-js": load_npm_top,  # wooorm/npm-high-impact, ranked by position
    "hf-model-info": load_model_info,  # model_info.parquet, HF about 2022-10
    "hub-listing": load_hub_listing_snapshot,  # Hub API listing: a JSON file, a folder of pages, a live snapshot
}
