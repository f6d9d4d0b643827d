"""Metric 4 on tables small enough to work out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from artifact.loaders.peatmoss_metadata import METADATA_CATEGORIES
from artifact.metrics.m4_documentation import (
    CARD_COLUMNS,
    DETERMINISTIC,
    GPT4,
    VARIANTS,
    documentation_scores,
    group_statistics,
    metadata_scores,
    reply_summary,
    scorer_agreement,
)
from artifact.metrics.stats import compare_greater

NA = pd.NA


def _cards(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (file, id, downloads, status, gpt4 sections or None, det sections or None)."""
    records = []
    for file, context_id, downloads, status, gpt4, det in rows:
        record = {"file": file, "context_id": context_id, "downloads": downloads, "likes": downloads,
                  "num_downstream_repos": downloads, "verdict_column": "analysis_result", "reply_status": status}
        record.update(zip(GPT4, gpt4 or (NA,) * 5))
        record.update(zip(DETERMINISTIC, det or (NA,) * 5))
        records.append(record)
    table = pd.DataFrame(records, columns=list(CARD_COLUMNS))
    for column in GPT4 + DETERMINISTIC:
        table[column] = table[column].astype("boolean")
    return table


def _presence(counts: dict[str, int]) -> pd.DataFrame:
    """PeaTMOSS presence where model `id` has its first `counts[id]` categories."""
    return pd.DataFrame(
        [{"context_id": model, **{c: i < n for i, c in enumerate(METADATA_CATEGORIES)}} for model, n in counts.items()],
        columns=["context_id", *METADATA_CATEGORIES],
    )


def test_metadata_score_is_the_share_of_categories_and_the_authors_code_adds_three_columns() -> None:
    scores = metadata_scores(_presence({"a": 7, "b": 0, "c": 14})).set_index("context_id")
    assert scores["metadata_categories"].to_dict() == {"a": 7, "b": 0, "c": 14}
    assert scores["metadata_score"].to_dict() == {"a": 0.5, "b": 0.0, "c": 1.0}
    assert scores.loc["a", "metadata_score_authors_code"] == pytest.approx(10 / 17)
    assert scores.loc["b", "metadata_score_authors_code"] == pytest.approx(3 / 17)


def test_card_and_documentation_scores() -> None:
    T, F = True, False
    cards = _cards([
        ("top", "a", 10.0, "parsed", (T, F, T, F, F), (T, T, T, T, T)),
        ("top", "b", 20.0, "partial", (T, NA, NA, T, T), None),  # no card text: no deterministic verdict
        ("top", "c", 30.0, "unparseable", None, (F, F, F, F, F)),
        ("bottom", "d", 1.0, "missing", None, (T, F, F, F, F)),
    ])
    scores = documentation_scores(cards, _presence({"a": 7, "b": 14, "c": 0}), size=10).set_index("context_id")
    assert scores["card_score"].to_dict() == {"a": 0.4, "b": 0.6, "c": 0.0, "d": 0.0}
    assert scores.loc["a", "det_card_score"] == 1.0 and math.isnan(scores.loc["b", "det_card_score"])
    assert scores.loc["a", "documentation_score"] == pytest.approx((0.4 + 0.5) / 2)
    assert scores.loc["b", "documentation_score"] == pytest.approx((0.6 + 1.0) / 2)
    assert scores.loc["c", "documentation_score"] == 0.0
    assert math.isnan(scores.loc["d", "documentation_score"])  # not in PeaTMOSS
    assert scores.loc["a", "det_documentation_score"] == pytest.approx(0.75)
    assert scores.loc["a", "documentation_score_authors_code"] == pytest.approx((0.4 + 10 / 17) / 2)


def test_groups_take_the_highest_of_the_top_file_and_the_lowest_of_the_bottom_file() -> None:
    cards = _cards([
        ("top", "a", 10.0, "parsed", None, None),
        ("top", "c", 30.0, "parsed", None, None),
        ("top", "b", 30.0, "parsed", None, None),
        ("top", "d", math.nan, "parsed", None, None),
        ("bottom", "w", 5.0, "parsed", None, None),
        ("bottom", "z", 1.0, "parsed", None, None),
        ("bottom", "y", math.nan, "parsed", None, None),
        ("bottom", "x", 1.0, "parsed", None, None),
    ])
    scores = documentation_scores(cards, _presence({}), size=2).set_index("context_id")
    groups = scores["group_downloads"].dropna().to_dict()
    assert groups == {"b": "top", "c": "top", "z": "bottom", "x": "bottom"}  # ties by id, missing values last
    everyone = documentation_scores(cards, _presence({}), size=4).set_index("context_id")["group_likes"]
    assert everyone.notna().all()  # a file no larger than the group size is its own group


def test_statistics_per_variant_with_holm_within_each() -> None:
    T, F = True, False
    rows = []
    for i in range(6):
        rows.append(("top", f"t{i}", 100.0 + i, "parsed", (T, T, i % 2 == 0, T, F), (T, T, T, i % 3 == 0, F)))
        rows.append(("bottom", f"b{i}", 1.0 + i, "parsed", (T, F, F, i % 2 == 0, F), (F, F, T, F, F)))
    rows.append(("bottom", "b9", 0.0, "missing", None, (F, F, F, F, F)))
    cards = _cards(rows)
    presence = _presence({f"{f}{i}": i for f in "tb" for i in range(10)})
    scores = documentation_scores(cards, presence, size=10)
    table = group_statistics(scores).set_index(["variant", "measure"])
    assert list(table.index.get_level_values(0).unique()) == list(VARIANTS)
    top = scores.loc[scores["file"] == "top", "documentation_score"]
    bottom = scores.loc[scores["file"] == "bottom", "documentation_score"]
    expected = compare_greater(top, bottom)
    row = table.loc[("paper", "downloads")]
    assert (row["n_top"], row["n_bottom"]) == (6, 7)
    assert row["t"] == pytest.approx(expected.t) and row["p"] == pytest.approx(expected.p)
    # the three measures give the same groups here, so Holm multiplies the smallest p by 3
    assert row["p_holm"] == pytest.approx(min(1.0, 3 * expected.p))
    kept = table.loc[("no-verdict-excluded", "downloads")]
    assert (kept["n_top"], kept["n_bottom"]) == (6, 6)
    assert kept["t"] == pytest.approx(compare_greater(top, bottom.iloc[:-1]).t)


def test_scorer_agreement_counts_only_rows_where_both_answered() -> None:
    T, F = True, False
    cards = _cards([
        ("top", "a", 1.0, "parsed", (T, F, T, F, F), (T, F, F, F, T)),
        ("top", "b", 1.0, "partial", (F, NA, T, T, F), (F, T, T, T, F)),
        ("top", "c", 1.0, "missing", None, (T, T, T, T, T)),
        ("top", "d", 1.0, "parsed", (T, T, T, T, T), None),
    ])
    table = scorer_agreement(cards).set_index("section")
    assert table.loc["description", ["n", "gpt4_present", "scorer_present", "agree"]].tolist() == [2, 1, 1, 2]
    assert table.loc["limitations", "n"] == 1
    assert table.loc["how_to_use", "accuracy"] == 0.5
    assert table.loc["all", ["n", "agree"]].tolist() == [9, 7]


def test_reply_summary_counts_statuses_per_file() -> None:
    cards = _cards([
        ("top", "a", 1.0, "parsed", None, None),
        ("top", "b", 1.0, "missing", None, None),
        ("top", "c", 1.0, "missing", None, None),
        ("bottom", "d", 1.0, "unparseable", None, None),
    ])
    summary = reply_summary(cards)
    assert summary[["file", "reply_status", "rows"]].values.tolist() == [
        ["bottom", "unparseable", 1], ["top", "missing", 2], ["top", "parsed", 1]
    ]
    assert summary["scored_as"].tolist() == ["0 (as the authors' code)", "0 (as the authors' code)", "sections present / 5"]
