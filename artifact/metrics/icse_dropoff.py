"""How fast downloads fall with rank, and how much of them the top N hold (pure: tables in, tables out).

Used for the ICSE 2023 brief's claim (the most downloaded HF models are downloaded about as much as the
top npm and PyPI packages, "with a much more rapid drop-off") and the paper's "the 15,000 most popular
PTMs account for ~99% of the downloads". Ranking as Metric 2 (artifact/metrics/m2_turnover.py):
downloads descending, then name ascending; rows without downloads left out; a name listed twice
counts once, with its highest value.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

CURVE_COLUMNS = ("rank", "downloads", "relative")
CONCENTRATION_COLUMNS = ("listed", "with_downloads", "total_downloads", "top_n", "top_downloads", "share_top_n", "downloads_at_top_n")
# Ranks of the curve: 1, 2, 3, 5 per decade, up to the list's length.
_STEPS = (1, 2, 3, 5)


def curve_ranks(length: int) -> list[int]:
    """1, 2, 3, 5, 10, 20, ... up to `length`, and `length` itself."""
    ranks = [step * 10**power for power in range(12) for step in _STEPS if step * 10**power <= length]
    return sorted(set(ranks + ([length] if length else [])))


def ranked_downloads(snapshot: pd.DataFrame) -> np.ndarray:
    """Downloads in rank order (highest first), one value per distinct name with a downloads value."""
    rows = snapshot.dropna(subset=["downloads"])
    best = rows.groupby("name", sort=True)["downloads"].max()
    return np.sort(best.to_numpy(dtype=float))[::-1]


def rank_curve(snapshot: pd.DataFrame, ranks: Sequence[int] | None = None) -> pd.DataFrame:
    """Downloads at each rank (default: curve_ranks), and relative to the top-ranked one."""
    values = ranked_downloads(snapshot)
    wanted = [r for r in (ranks or curve_ranks(len(values))) if 1 <= r <= len(values)]
    at = values[np.asarray(wanted, dtype=int) - 1] if wanted else np.array([])
    top = values[0] if len(values) else np.nan
    return pd.DataFrame({"rank": wanted, "downloads": at, "relative": at / top if top else np.nan}).loc[:, list(CURVE_COLUMNS)]


def concentration(snapshot: pd.DataFrame, top_n: int) -> dict:
    """The share of all downloads that the `top_n` most downloaded names hold, and the downloads at rank `top_n`."""
    values = ranked_downloads(snapshot)
    total = float(values.sum())
    top = float(values[:top_n].sum())
    return {
        "listed": int(snapshot["name"].nunique()),
        "with_downloads": len(values),
        "total_downloads": total,
        "top_n": top_n,
        "top_downloads": top,
        "share_top_n": top / total if total else np.nan,
        "downloads_at_top_n": float(values[top_n - 1]) if len(values) >= top_n else np.nan,
    }
