"""Metric 4 on a card sample (deterministic card score, top against bottom fraction), worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from artifact.metrics.m4_documentation import card_sample_scores, card_sample_statistics

DESCRIPTION = "# Model description\nThis model tags parts of speech in English.\n"
LIMITATIONS = "## Limitations\nIt fails on long inputs and on code.\n"
CARDS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e", "f", "g", "h"],
        "downloads": [70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0, None],
        "likes": [0.0] * 8,
        "card": [DESCRIPTION + LIMITATIONS, DESCRIPTION, "", "", "", DESCRIPTION, "no headings at all", DESCRIPTION],
    }
)


def test_scores_count_sections_out_of_five() -> None:
    scores = card_sample_scores(CARDS)
    assert scores["score"].tolist() == [0.4, 0.2, 0.0, 0.0, 0.0, 0.2, 0.0, 0.2]
    assert scores.loc[0, "limitations"] and not scores.loc[1, "limitations"]


def test_top_third_against_bottom_third() -> None:
    # 7 cards have downloads: int(7/3) = 2 per group. Top a, b (0.4, 0.2); bottom f, g (0.2, 0.0).
    # Likes all tie: ranked by id, top a, b and bottom f, g again (never the same cards).
    table = card_sample_statistics(card_sample_scores(CARDS), 1 / 3).set_index("measure")
    welch = stats.ttest_ind([0.4, 0.2], [0.2, 0.0], equal_var=False, alternative="greater")
    for measure in ("downloads", "likes"):
        row = table.loc[measure]
        assert (row["variant"], row["n_top"], row["n_bottom"]) == ("deterministic-card-score", 2, 2)
        assert row["mean_top"] == pytest.approx(0.3) and row["mean_bottom"] == pytest.approx(0.1)
        assert row["t"] == pytest.approx(welch.statistic) and row["p"] == pytest.approx(welch.pvalue)
        assert row["p_holm"] == pytest.approx(min(1.0, 2 * welch.pvalue))  # two equal p-values
