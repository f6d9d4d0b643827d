"""Metric 2: turnover of the top packages and models between snapshots (the paper's Figure 6).

For each registry, the top-K set of every snapshot is compared with the earlier ones:
- Remained: in the previous top-K and in the current one;
- Returning: in the current top-K, not in the previous one, but in some earlier top-K;
- Newcomers: in no earlier top-K (so the first snapshot counts all of its top-K as newcomers).

Ranking rule (the paper does not state one; ours, documented and tested): downloads descending,
then name ascending to break ties; rows without a downloads value are excluded; when a name occurs
more than once in a snapshot, its highest downloads value counts. Lists that are published already
ranked, without counts, carry a `position` column instead and are taken in that order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

TOP_K_COLUMNS = ("rank", "name", "downloads")
TURNOVER_COLUMNS = ("snapshot", "top_k", "remained", "returning", "newcomers")
SUMMARY_COLUMNS = (
    "snapshots",
    "top_k",
    "distinct_ever",
    "mean_remained_share",
    "min_remained_share",
    "max_remained_share",
)


def top_k(snapshot: pd.DataFrame, k: int) -> pd.DataFrame:
    """The first `k` rows of `snapshot` under the ranking rule, with a 1-based `rank`.

    `snapshot` has `name` and either `downloads` (float, NaN = missing) or `position`.
    Fewer than `k` rankable rows give a shorter table.
    """
    if "downloads" in snapshot.columns:
        ranked = _candidates(snapshot, k).sort_values(["downloads", "name"], ascending=[False, True], kind="mergesort")
    else:
        ranked = snapshot.sort_values(["position", "name"], kind="mergesort").assign(downloads=float("nan"))
    ranked = ranked.drop_duplicates("name", keep="first").head(k)
    return pd.DataFrame(
        {
            "rank": range(1, len(ranked) + 1),
            "name": ranked["name"].to_numpy(),
            "downloads": ranked["downloads"].to_numpy(dtype="float64"),
        }
    )


def _candidates(snapshot: pd.DataFrame, k: int) -> pd.DataFrame:
    """The rows that can be in the top `k`: those with downloads at least the k-th highest value.

    Sorting only these gives the same first `k` names as sorting all rows, whenever they hold `k`
    distinct names (every row ranked above one of them is among them); otherwise all rows with a
    downloads value are returned. Saves sorting a listing of millions of names by name.
    """
    downloads = snapshot["downloads"].to_numpy(dtype="float64", na_value=np.nan)
    known = ~np.isnan(downloads)
    values = downloads[known]
    if len(values) > k:
        threshold = np.partition(values, len(values) - k)[len(values) - k]
        candidates = snapshot[known & (downloads >= threshold)]
        if candidates["name"].nunique() >= k:
            return candidates
    return snapshot[known]


def turnover(top_sets: Sequence[tuple[str, frozenset[str]]]) -> pd.DataFrame:
    """Remained, returning and newcomers per snapshot, from (label, top-K names) in date order."""
    rows = []
    seen: set[str] = set()
    previous: frozenset[str] = frozenset()
    for label, current in top_sets:
        rows.append(
            {
                "snapshot": label,
                "top_k": len(current),
                "remained": len(current & previous),
                "returning": len((current - previous) & seen),
                "newcomers": len(current - seen),
            }
        )
        seen |= current
        previous = current
    return pd.DataFrame(rows, columns=list(TURNOVER_COLUMNS))


def distinct_ever(top_sets: Sequence[tuple[str, frozenset[str]]]) -> int:
    """How many distinct names were in the top-K of at least one snapshot."""
    return len(frozenset().union(*(names for _, names in top_sets)))


def summarise(table: pd.DataFrame, top_sets: Sequence[tuple[str, frozenset[str]]], k: int) -> dict[str, float]:
    """One registry's summary: distinct names ever, and the share of the previous top-K that
    remained, over the snapshots after the first (mean, min, max; NaN with a single snapshot)."""
    later = table.iloc[1:]
    shares = later["remained"] / later["top_k"].where(later["top_k"] > 0)
    return {
        "snapshots": len(table),
        "top_k": k,
        "distinct_ever": distinct_ever(top_sets),
        "mean_remained_share": shares.mean(),
        "min_remained_share": shares.min(),
        "max_remained_share": shares.max(),
    }
