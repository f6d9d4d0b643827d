"""Figure 5: proportion of multi-library direct descendants per library, top 10, authors' variant."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure, require_finite, styled
from artifact.metrics.m1_preservation import AUTHORS_CODE
from artifact.numbers import format_number, rounded

TOP = 10
# The paper's axis labels: sentence-transformers is shortened to fit.
LABELS = {"sentence-transformers": "sentence-tx"}
PLOTTED_COLUMNS = ("rank", "library", "label", "count", "proportion")


def plotted_numbers(preservation: pd.DataFrame) -> pd.DataFrame:
    """The bars of Figure 5: the top libraries of the authors' variant, with their axis labels."""
    rows = preservation[preservation["variant"] == AUTHORS_CODE].sort_values("rank").head(TOP)
    rows = rows.assign(label=rows["library"].map(lambda name: LABELS.get(name, name)))
    return rows.loc[:, list(PLOTTED_COLUMNS)].reset_index(drop=True)


@styled
def figure5(bars: pd.DataFrame) -> Figure:
    """Bars of proportion (0 to 1), each annotated with its count, as `plotted_numbers` gives them."""
    require_finite(bars, ["count", "proportion"], "Figure 5")
    figure = new_figure(6.0, 4.0)
    ax = figure.subplots()
    positions = np.arange(len(bars))
    drawn = ax.bar(positions, rounded(bars["proportion"]), width=0.75, color=PALETTE[0])
    ax.bar_label(drawn, labels=[format_number(count) for count in bars["count"]], padding=2, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_xticks(positions, bars["label"].tolist(), rotation=45, ha="right", rotation_mode="anchor")
    ax.set_xlabel("library")
    ax.set_ylabel("proportion of direct descendants\n(models with two or more libraries)")
    ax.set_title("Direct descendant models per library")
    return figure
