"""A figure given NaN or an infinity fails with a message naming the figure and the column."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from artifact.errors import SchemaError
from artifact.figures.fig4_funnel import figure4
from artifact.figures.fig5_preservation import figure5
from artifact.figures.fig6_turnover import figure6
from artifact.figures.fig8_documentation import figure8
from artifact.metrics.m4_documentation import MEASURES


def _turnover(remained: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"registry": ["hf", "hf"], "snapshot": ["2022-06", "2023-05"], "top_k": [10, 10],
         "remained": [0, remained], "returning": [0, 0], "newcomers": [10, 3]}
    )


def _scores(score: float) -> pd.DataFrame:
    table = pd.DataFrame({"documentation_score": [0.5, score, 0.25, 0.75]})
    return table.assign(**{f"group_{measure}": ["top", "top", "bottom", "bottom"] for measure in MEASURES})


NON_FINITE = (math.nan, math.inf, -math.inf)


@pytest.mark.parametrize(
    ("build", "figure", "column", "bads"),
    [
        (lambda bad: figure4(pd.DataFrame({"stage": ["papers found", "claims"], "count": [3.0, bad], "part_of": ["", ""]})),
         "Figure 4", "count", NON_FINITE),
        (lambda bad: figure5(pd.DataFrame({"rank": [1], "library": ["x"], "label": ["x"], "count": [2], "proportion": [bad]})),
         "Figure 5", "proportion", NON_FINITE),
        (lambda bad: figure6(_turnover(bad), ["hf"]), "Figure 6", "remained", NON_FINITE),
        # A NaN documentation score is a model without a score, which Figure 8 leaves out.
        (lambda bad: figure8(_scores(bad)), "Figure 8", "documentation_score", (math.inf, -math.inf)),
    ],
)
def test_non_finite_values_name_figure_and_column(build, figure: str, column: str, bads: tuple[float, ...]) -> None:
    for bad in bads:
        with pytest.raises(SchemaError, match=f"{figure}: column '{column}'"):
            build(bad)


def test_figures_draw_finite_values_and_leave_unscored_models_out() -> None:
    assert figure6(_turnover(7), ["hf"]).axes
    labels = [label.get_text() for label in figure8(_scores(math.nan)).axes[0].get_xticklabels()]
    assert labels == ["Top\nn = 1", "Bottom\nn = 2"]
