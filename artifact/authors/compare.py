"""The authors' digitised Figure 6 next to a profile's own turnover: pure tables in, a table out."""

from __future__ import annotations

import numpy as np
import pandas as pd

SERIES = ("remained", "newcomers", "returning")
COMPARISON_COLUMNS = (
    "registry", "position", "series", "snapshot_authors", "snapshot_ours", "authors", "authors_low", "authors_high",
    "authors_status", "ours", "difference", "ours_in_authors_range",
)


def authors_month(label: str) -> str:
    """The notebook's snapshot label MM/YY as YYYY-MM (the authors' dates are all in the 2020s)."""
    month, year = label.split("/")
    return f"20{year}-{month}"


def compare_turnover(digitised: pd.DataFrame, ours: pd.DataFrame, registries: tuple[str, ...]) -> pd.DataFrame:
    """Per registry, snapshot position and series: the authors' value (or its floor) and ours, and ours minus theirs.

    Snapshots are paired by position (first with first, ...), and only for registries where both
    have the same number of snapshots: the dates differ (other data sources), the order does not.
    """
    rows = []
    for registry in registries:
        theirs = digitised[digitised["registry"] == registry]
        mine = ours[ours["registry"] == registry].sort_values("snapshot", kind="mergesort")
        labels = list(dict.fromkeys(theirs["snapshot"]))
        if not labels or len(labels) != len(mine):
            continue
        for position, (label, (_, own)) in enumerate(zip(labels, mine.iterrows(), strict=True), start=1):
            for series in SERIES:
                bar = theirs[(theirs["snapshot"] == label) & (theirs["series"] == series)].iloc[0]
                rows.append(_row(registry, position, series, label, own, bar))
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def _row(registry: str, position: int, series: str, label: str, own: pd.Series, bar: pd.Series) -> dict:
    value = int(own[series])
    measured = bar["status"] == "measured"
    inside = bar["low"] <= value <= bar["high"] if measured else value < bar["below"]
    return {
        "registry": registry, "position": position, "series": series, "snapshot_authors": authors_month(label),
        "snapshot_ours": own["snapshot"], "authors": bar["value"] if measured else np.nan,
        "authors_low": bar["low"] if measured else 0.0, "authors_high": bar["high"] if measured else bar["below"],
        "authors_status": bar["status"], "ours": value,
        "difference": round(value - bar["value"], 1) if measured else np.nan, "ours_in_authors_range": bool(inside),
    }
