"""Confounds of Metric 2 that its turnover hides: how much of the Hub each HF snapshot covers, and how far apart snapshots are.

- Coverage (`snapshot_coverage`): per snapshot, the models it lists and the downloads of its K-th
  model; and, of its top-K newcomers (in no earlier snapshot's top K), how many were created
  before the previous snapshot was taken yet are absent from it altogether: models the previous
  file did not list, not models new to the Hub. The newcomer share is given with and without those
  (without: the newcomers not listed late, over K).
- Intervals (`interval_turnover`): the months between consecutive snapshots beside each step's
  newcomer share, and that share per month under a constant monthly rate, 1 - (1 - s)^(1/months),
  so registries sampled at different intervals can be compared.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COVERAGE_COLUMNS = (
    "registry", "snapshot", "previous", "top_k", "models_listed", "kth_downloads", "newcomers",
    "newcomers_listed_late", "newcomer_share", "newcomer_share_without_listed_late",
)
INTERVAL_COLUMNS = ("registry", "snapshot", "previous", "months", "newcomer_share", "newcomer_share_per_month")
INTERVAL_SUMMARY_COLUMNS = ("registry", "steps", "mean_months", "mean_newcomer_share", "mean_newcomer_share_per_month")
DAYS_PER_MONTH = 365.25 / 12


def snapshot_coverage(
    registry: str,
    snapshots: list[tuple[str, pd.Timestamp, pd.DataFrame, pd.DataFrame]],
    top_k: int,
) -> pd.DataFrame:
    """One row per snapshot; `snapshots` is (label, time taken, every model listed, top-K table) in time order.

    A listing needs `name` (and `created_at` to find newcomers listed late; without it that count is empty).
    """
    rows, history = [], set()
    for index, (label, _, listed, top) in enumerate(snapshots):
        row = {"registry": registry, "snapshot": label, "previous": "", "top_k": top_k, "models_listed": len(listed),
               "kth_downloads": float(top["downloads"].iloc[top_k - 1]) if len(top) >= top_k and "downloads" in top else np.nan,
               "newcomers": np.nan, "newcomers_listed_late": np.nan, "newcomer_share": np.nan, "newcomer_share_without_listed_late": np.nan}
        if index:
            previous_label, previous_time, previous_listed, _ = snapshots[index - 1]
            newcomers = top[~top["name"].isin(history)]
            row.update(previous=previous_label, newcomers=len(newcomers), newcomer_share=len(newcomers) / top_k)
            if "created_at" in listed.columns:
                created = listed.set_index("name")["created_at"]
                before = newcomers["name"].map(created) < previous_time
                late = int((before & ~newcomers["name"].isin(previous_listed["name"])).sum())
                row.update(newcomers_listed_late=late, newcomer_share_without_listed_late=(len(newcomers) - late) / top_k)
        history |= set(top["name"])
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))


def interval_turnover(turnover: pd.DataFrame, times: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """Each step of each registry (turnover: registry, snapshot, top_k, newcomers) with its months and per-month share."""
    rows = []
    for registry, steps in turnover.groupby("registry", sort=True):
        labels = steps["snapshot"].tolist()
        for previous, current in zip(labels, labels[1:], strict=False):
            step = steps[steps["snapshot"] == current].iloc[0]
            months = (times[current] - times[previous]).days / DAYS_PER_MONTH
            share = float(step["newcomers"]) / float(step["top_k"])
            rows.append({"registry": registry, "snapshot": current, "previous": previous, "months": months,
                         "newcomer_share": share, "newcomer_share_per_month": 1 - (1 - share) ** (1 / months)})
    return pd.DataFrame(rows, columns=list(INTERVAL_COLUMNS))


def interval_summary(intervals: pd.DataFrame) -> pd.DataFrame:
    """Per registry: its steps, their mean interval in months, mean newcomer share and mean share per month."""
    grouped = intervals.groupby("registry", sort=True)
    summary = pd.DataFrame({
        "steps": grouped.size(),
        "mean_months": grouped["months"].mean(),
        "mean_newcomer_share": grouped["newcomer_share"].mean(),
        "mean_newcomer_share_per_month": grouped["newcomer_share_per_month"].mean(),
    }).reset_index()
    return summary.loc[:, list(INTERVAL_SUMMARY_COLUMNS)]
