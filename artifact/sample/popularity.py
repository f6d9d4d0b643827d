"""Seeded heavy-tailed download counts over several snapshots, with the quirks of real data.

Real top lists have heavy-tailed downloads, missing values, items that leave the list and come
back, and ties; the sample reproduces each so that every branch of the metrics is exercised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Churn:
    """How much a population changes between snapshots."""

    noise_sigma: float  # log-normal noise on downloads at each snapshot
    absent_share: float  # share of items missing from a snapshot (they may come back later)
    null_share: float  # share of present items whose downloads value is NULL
    born_late_share: float  # share of items that first appear after the first snapshot


def download_series(
    names: Sequence[str],
    labels: Sequence[str],
    churn: Churn,
    rng: np.random.Generator,
    tie_at: int | None = None,
) -> dict[str, pd.DataFrame]:
    """One table (`name`, `downloads` as nullable Int64) per snapshot label.

    With `tie_at=k`, the items ranked k-1, k and k+1 (1-based) in each snapshot get the same
    downloads value, so that the cut-off at k must be decided by the name.
    """
    count = len(names)
    base = rng.lognormal(mean=8.0, sigma=2.5, size=count)
    birth = np.where(
        rng.random(count) < churn.born_late_share, rng.integers(1, len(labels), size=count), 0
    )
    series: dict[str, pd.DataFrame] = {}
    for index, label in enumerate(labels):
        downloads = np.floor(base * rng.lognormal(0.0, churn.noise_sigma, size=count)) + 1
        present = (rng.random(count) >= churn.absent_share) & (birth <= index)
        values = pd.array(downloads.astype("int64"), dtype="Int64")
        values[rng.random(count) < churn.null_share] = pd.NA
        table = pd.DataFrame({"name": list(names), "downloads": values})[present]
        if tie_at is not None:
            table = _tie_around(table, tie_at)
        series[label] = table.reset_index(drop=True)
    return series


def _tie_around(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """Give the items ranked k-1..k+1 (1-based, by downloads then name) the value at rank k-1."""
    ranked = table.dropna(subset=["downloads"]).sort_values(
        ["downloads", "name"], ascending=[False, True], kind="mergesort"
    )
    if len(ranked) <= k:
        return table
    tied = ranked.index[k - 2 : k + 1]
    table = table.copy()
    table.loc[tied, "downloads"] = ranked["downloads"].iloc[k - 2]
    return table


def shuffled(table: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The rows in a seeded random order, so that no loader can rely on the file's order."""
    return table.iloc[rng.permutation(len(table))].reset_index(drop=True)
