"""How fast downloads fall with rank, and how much of them the top N hold (pure: tables in, tables out).

Used for the ICSE 2023 brief's claim (the most downloaded HF models are downloaded about as much as the
top npm and PyPI packages, "with a much more rapid drop-off") and the paper's "the 15,000 most popular
PTMs account for ~99% of the downloads". Ranking as Metric 2 (artifact/metrics/m2_turnover.py):
downloads descending, then name ascending; rows without downloads left out; a name listed twice
counts once, with its highest value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

CURVE_COLUMNS = ("rank", "downloads", "relative")
CONCENTRATION_COLUMNS = ("listed", "with_downloads", "total_downloads", "top_n", "top_downloads", "share_top_n", "downloads_at_top_n")
# Ranks of the curve: 1, 2, 3, 5 per decade, up to the list's length.
CURVE_TABLE_COLUMNS = ("registry", "snapshot") + CURVE_COLUMNS
SUMMARY_COLUMNS = (
    "registry", "snapshot", "counts", "listed", "top1", "at_100", "at_1000", "ratio_100", "ratio_1000", "pypi_snapshot", "top1_to_pypi",
)
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


def dropoff_tables(
    curves: Mapping[tuple[str, str], pd.DataFrame], time_of: Callable[[str], pd.Timestamp], uncounted: Sequence[tuple[str, str]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rank curves of the counted snapshots (registry, label) in one table, and their summary: each HF top 1
    against the PyPI snapshot nearest in date (`time_of` a label), and a row for each `uncounted` (registry, label)."""
    tables = [curve.assign(registry=registry, snapshot=label) for (registry, label), curve in curves.items()]
    summary = _against_pypi([_summary(registry, label, table) for (registry, label), table in zip(curves, tables)], time_of)
    summary += [{"registry": registry, "snapshot": label, "counts": "none: ranked names only"} for registry, label in uncounted]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=list(CURVE_TABLE_COLUMNS))
    return table, pd.DataFrame(summary).reindex(columns=list(SUMMARY_COLUMNS))


def _summary(registry: str, label: str, curve: pd.DataFrame) -> dict:
    """Top-1 downloads, downloads at ranks 100 and 1000, and their ratios to the top (the drop-off)."""
    at = dict(zip(curve["rank"], curve["downloads"]))
    top = at.get(1, float("nan"))
    return {
        "registry": registry, "snapshot": label, "counts": "30-day downloads", "listed": int(curve["rank"].max()) if len(curve) else 0,
        "top1": top, "at_100": at.get(100), "at_1000": at.get(1000),
        "ratio_100": at[100] / top if 100 in at else None, "ratio_1000": at[1000] / top if 1000 in at else None,
    }


def _against_pypi(summary: list[dict], time_of: Callable[[str], pd.Timestamp]) -> list[dict]:
    """Each HF row with the PyPI snapshot nearest in date, and its top-1 downloads as a share of PyPI's top 1."""
    pypi = {row["snapshot"]: row["top1"] for row in summary if row["registry"] == "pypi"}
    for row in summary:
        if row["registry"] == "hf" and pypi:
            nearest = min(pypi, key=lambda label: (abs((time_of(label) - time_of(row["snapshot"])).days), label))
            row.update(pypi_snapshot=nearest, top1_to_pypi=row["top1"] / pypi[nearest])
    return summary
