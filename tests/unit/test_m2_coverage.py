"""Metric 2's confounds: snapshot coverage with newcomers listed late, and turnover per month."""

from __future__ import annotations

import pandas as pd
import pytest

from artifact.metrics.m2_coverage import interval_summary, interval_turnover, snapshot_coverage

T0, T1 = pd.Timestamp("2022-06-01", tz="UTC"), pd.Timestamp("2022-10-01", tz="UTC")


def test_newcomers_created_before_the_previous_snapshot_but_absent_from_it_are_listed_late() -> None:
    first = pd.DataFrame({"name": ["a", "b"], "downloads": [10.0, 5.0]})
    second_listed = pd.DataFrame({
        "name": ["a", "c", "d", "e"],
        "created_at": pd.to_datetime(["2020-01-01", "2021-01-01", "2022-08-01", "2019-01-01"], utc=True),
    })
    second_top = pd.DataFrame({"name": ["c", "d"], "downloads": [50.0, 40.0]})
    table = snapshot_coverage("hf", [("2022-06", T0, first, first), ("2022-10", T1, second_listed, second_top)], top_k=2)
    row = table.iloc[1]
    assert table["kth_downloads"].tolist() == [5.0, 40.0] and row["models_listed"] == 4
    assert row["newcomers"] == 2 and row["newcomers_listed_late"] == 1  # c existed in 2021 but the first file lacks it; d is new
    assert row["newcomer_share"] == 1.0 and row["newcomer_share_without_listed_late"] == 0.5


def test_turnover_per_month_compares_registries_sampled_at_different_intervals() -> None:
    turnover = pd.DataFrame({"registry": ["hf", "hf", "npm", "npm"], "snapshot": ["2022-06", "2022-10", "2022-06", "2022-10"],
                             "top_k": [10, 10, 10, 10], "newcomers": [10, 5, 10, 1]})
    steps = interval_turnover(turnover, {"2022-06": T0, "2022-10": T1})
    months = (T1 - T0).days / (365.25 / 12)
    assert steps["months"].tolist() == pytest.approx([months, months])
    assert steps["newcomer_share_per_month"].tolist() == pytest.approx([1 - 0.5 ** (1 / months), 1 - 0.9 ** (1 / months)])
    assert interval_summary(steps)["steps"].tolist() == [1, 1]
