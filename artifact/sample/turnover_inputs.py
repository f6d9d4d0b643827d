"""Sample inputs of Metric 2: npm and PyPI top lists and four Hugging Face snapshots.

Formats are those of the real inputs: CSV top lists (`name,downloads`) for npm and PyPI, and one
SQLite file per Hugging Face snapshot with the table and columns of the paper's files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from artifact.sample.naming import HF_RENAMES, model_ids, package_names
from artifact.sample.popularity import Churn, download_series, shuffled
from artifact.sample.sqlite_files import write_sqlite

PACKAGE_LABELS = ("2022-11", "2023-08", "2023-10", "2024-03")
HF_LABELS = ("2022-06", "2023-05", "2023-10", "2024-04")
TOP_K = 1000

_PACKAGE_CHURN = {
    "npm": Churn(noise_sigma=0.25, absent_share=0.02, null_share=0.01, born_late_share=0.08),
    "pypi": Churn(noise_sigma=0.35, absent_share=0.03, null_share=0.01, born_late_share=0.12),
}
_HF_CHURN = Churn(noise_sigma=1.9, absent_share=0.04, null_share=0.0, born_late_share=0.45)
_HF_ANCIENT_NULL_SHARE = 0.13


def write_package_lists(out_dir: Path, rng: np.random.Generator) -> list[Path]:
    """npm and PyPI top lists, one CSV per registry and snapshot."""
    written = []
    for registry, churn in _PACKAGE_CHURN.items():
        names = package_names(1500, rng)
        for label, table in download_series(names, PACKAGE_LABELS, churn, rng, tie_at=TOP_K).items():
            path = out_dir / f"{registry}_{label}.csv"
            shuffled(table, rng).to_csv(path, index=False, lineterminator="\n")
            written.append(path)
    return written


def hf_snapshots(rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Per HF snapshot label: `name`, `downloads`, `likes`, with legacy ids renamed in 2024."""
    legacy = list(HF_RENAMES)
    names = legacy + model_ids(3000 - len(legacy), rng)
    series = download_series(names, HF_LABELS, _HF_CHURN, rng, tie_at=TOP_K)
    for table in series.values():
        canonical = table["name"].isin(legacy)
        # The canonical models stay among the most downloaded, as on the real Hub.
        table.loc[canonical, "downloads"] = (table.loc[canonical, "downloads"] * 1000).astype("Int64")
        table["likes"] = (table["downloads"].fillna(0).to_numpy() ** 0.5 * rng.random(len(table))).astype(
            "int64"
        )
    last = series[HF_LABELS[-1]]
    last["name"] = last["name"].replace(HF_RENAMES)
    return series


def write_hf_snapshots(out_dir: Path, snapshots: dict[str, pd.DataFrame], rng: np.random.Generator) -> list[Path]:
    """The 06/2022, 05/2023 and 04/2024 SQLite files (10/2023 is the PeaTMOSS database)."""
    ancient = shuffled(snapshots["2022-06"], rng)
    ancient_downloads = ancient["downloads"].astype("float64")
    ancient_downloads[rng.random(len(ancient)) < _HF_ANCIENT_NULL_SHARE] = np.nan
    old = shuffled(snapshots["2023-05"], rng)
    new = shuffled(snapshots["2024-04"], rng)
    files = {
        "hf_2022-06.db": (
            'CREATE TABLE "PeaTMOSS_ANCIENT" ("modelId" TEXT, downloads_last_month FLOAT);',
            'INSERT INTO "PeaTMOSS_ANCIENT" VALUES (?, ?)',
            zip(ancient["name"], _nullable(ancient_downloads)),
        ),
        "hf_2023-05.db": (
            'CREATE TABLE "PeaTMOSS_OLD" ("modelId" TEXT, author TEXT, downloads INTEGER, likes INTEGER);',
            'INSERT INTO "PeaTMOSS_OLD" VALUES (?, ?, ?, ?)',
            zip(old["name"], _authors(old["name"]), _nullable(old["downloads"]), old["likes"].tolist()),
        ),
        "hf_2024-04.db": (
            'CREATE TABLE "PeaTMOSS_NEW" (id TEXT, downloads INTEGER, likes INTEGER);',
            'INSERT INTO "PeaTMOSS_NEW" VALUES (?, ?, ?)',
            zip(new["name"], _nullable(new["downloads"]), new["likes"].tolist()),
        ),
    }
    written = []
    for file_name, (ddl, insert, rows) in files.items():
        path = out_dir / file_name
        write_sqlite(path, ddl, [(insert, list(rows))])
        written.append(path)
    return written


def _nullable(values: pd.Series) -> list:
    """Python values for SQLite, with None for missing."""
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in values]


def _authors(names: pd.Series) -> list:
    """The organisation part of each model id, or None for ids without one."""
    return [name.split("/", 1)[0] if "/" in name else None for name in names]
