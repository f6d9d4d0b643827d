"""Figure 4: the review's funnel of papers and of claims, as horizontal bars."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure, require_finite, styled
from artifact.numbers import format_number


@styled
def figure4(funnel: pd.DataFrame) -> Figure:
    """One bar per stage (top to bottom in the review's order), papers and claims in two panels."""
    require_finite(funnel, ["count"], "Figure 4")
    figure = new_figure(6.4, 3.6)
    papers = funnel[funnel["stage"].str.startswith("papers")]
    claims = funnel[~funnel["stage"].str.startswith("papers")]
    axes = figure.subplots(2, 1, height_ratios=[len(papers), len(claims)])
    for ax, rows, colour, title in ((axes[0], papers, PALETTE[0], "Papers"), (axes[1], claims, PALETTE[1], "Claims")):
        labels = [f"of which {stage}" if part else stage for stage, part in zip(rows["stage"], rows["part_of"])]
        bars = ax.barh(range(len(rows)), rows["count"], color=colour)
        ax.bar_label(bars, labels=[format_number(count) for count in rows["count"]], padding=2, fontsize=8)
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        ax.set_title(title, loc="left")
        ax.set_xlim(0, rows["count"].max() * 1.15)
    return figure
