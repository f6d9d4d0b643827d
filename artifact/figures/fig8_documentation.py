"""Figure 8: documentation score of the top and the bottom group, one panel per popularity measure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure, require_finite, styled
from artifact.metrics.m4_documentation import MEASURES, VARIANTS
from artifact.numbers import rounded

FIGURE_VARIANT = "paper"  # the documentation score as the paper defines it
MEASURE_TITLES = {"downloads": "Downloads", "likes": "Likes", "num_downstream_repos": "Downstream repositories"}
GROUP_LABELS = {"top": "Top", "bottom": "Bottom"}
GROUP_COLOURS = {"top": PALETTE[0], "bottom": PALETTE[1]}
PLOTTED_COLUMNS = ("measure", "group", "n", "whisker_low", "q1", "median", "q3", "whisker_high", "mean", "outliers")
_BOX_FIELDS = {"whisker_low": "whislo", "q1": "q1", "median": "med", "q3": "q3", "whisker_high": "whishi", "mean": "mean"}


def _boxes(scores: pd.DataFrame, measure: str) -> list[tuple[str, int, dict | None]]:
    """Per group: how many scores, and matplotlib's box statistics of them (whiskers at 1.5 IQR; None if none)."""
    score = VARIANTS[FIGURE_VARIANT].score
    boxes = []
    for group, label in GROUP_LABELS.items():
        scored = scores.loc[scores[f"group_{measure}"] == group, [score]].dropna()  # NaN: a model without a score
        require_finite(scored, [score], "Figure 8")
        values = scored[score].to_numpy(dtype="float64")
        stats = _rounded(cbook.boxplot_stats(values, labels=[f"{label}\nn = {len(values)}"])[0]) if len(values) else None
        boxes.append((group, len(values), stats))
    return boxes


def _rounded(box: dict) -> dict:
    """matplotlib's box statistics with every number rounded as the tables write it (what is drawn)."""
    return {key: rounded(value) if key != "label" else value for key, value in box.items()}


def plotted_numbers(scores: pd.DataFrame) -> pd.DataFrame:
    """The boxes of Figure 8 as a table (`PLOTTED_COLUMNS`), one row per measure and group."""
    rows = []
    for measure in MEASURES:
        for group, n, box in _boxes(scores, measure):
            row = {"measure": measure, "group": group, "n": n, "outliers": 0 if box is None else len(box["fliers"])}
            row.update({column: np.nan if box is None else float(box[key]) for column, key in _BOX_FIELDS.items()})
            rows.append(row)
    return pd.DataFrame(rows, columns=list(PLOTTED_COLUMNS))


@styled
def figure8(scores: pd.DataFrame) -> Figure:
    """Box plots of the documentation score, top against bottom, one panel per measure (shared y axis 0-1)."""
    figure = new_figure(3.0 * len(MEASURES), 3.2)
    axes = figure.subplots(1, len(MEASURES), sharey=True, squeeze=False)[0]
    for ax, measure in zip(axes, MEASURES):
        for position, (group, _, box) in enumerate(_boxes(scores, measure), start=1):
            if box is None:
                continue
            artists = ax.bxp(
                [box], positions=[position], showmeans=True, patch_artist=True, widths=0.55, medianprops={"color": "black"}
            )
            artists["boxes"][0].set_facecolor(GROUP_COLOURS[group])
            artists["boxes"][0].set_alpha(0.6)
        ax.set_xlim(0.4, len(GROUP_LABELS) + 0.6)
        ax.set_title(MEASURE_TITLES[measure])
        ax.set_ylim(-0.03, 1.03)
    axes[0].set_ylabel("documentation score")
    return figure
