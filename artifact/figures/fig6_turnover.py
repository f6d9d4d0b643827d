"""Figure 6: Remained, Newcomers and Returning per snapshot, one panel per registry, log y axis."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, log10_exact, log_axis, new_figure, require_finite, styled
from artifact.numbers import format_number
from artifact.registries import registry as registry_record

SERIES = (("remained", "Remained"), ("newcomers", "Newcomers"), ("returning", "Returning"))
PLOTTED_COLUMNS = ("registry", "snapshot", "series", "count")
FLOOR = 0.8  # the axis floor, below a count of 1
HEADROOM = 8  # the axis top, times the largest K: room for the upright labels


def plotted_numbers(turnover: pd.DataFrame) -> pd.DataFrame:
    """The bars of Figure 6 as a long table (registry, snapshot, series, count)."""
    long = turnover.melt(
        id_vars=["registry", "snapshot"], value_vars=[c for c, _ in SERIES], var_name="series", value_name="count"
    )
    return long.loc[:, list(PLOTTED_COLUMNS)].sort_values(["registry", "snapshot", "series"], kind="mergesort")


@styled
def figure6(turnover: pd.DataFrame, registries: list[str]) -> Figure:
    """Grouped bars per snapshot for each registry in `registries` (panel order), heights on a log axis.

    Bars are drawn in log10 units from the axis floor (0.8, so that a count of 1 shows); a zero
    count is a bar of no height labelled 0. Labels stand upright above the bars, legible at the
    report's width.
    """
    require_finite(turnover, ["top_k", *(column for column, _ in SERIES)], "Figure 6")
    # 3.2 in per panel holds four snapshots labelled YYYY-MM; more, or longer labels, need room.
    most = max([int((turnover["registry"] == registry).sum()) for registry in registries] + [4])
    figure = new_figure(0.8 * most * len(registries), 3.4)
    axes = figure.subplots(1, len(registries), sharey=True, squeeze=False)[0]
    width = 0.27
    floor = float(log10_exact([FLOOR])[0])
    top = log10_exact([max(int(turnover["top_k"].max()), 1) * HEADROOM])[0]
    for ax, registry in zip(axes, registries):
        rows = turnover[turnover["registry"] == registry].sort_values("snapshot")
        positions = np.arange(len(rows))
        for offset, ((column, title), colour) in enumerate(zip(SERIES, PALETTE)):
            values = rows[column].to_numpy()
            heights = np.where(values > 0, log10_exact(np.maximum(values, 1)), floor) - floor
            bars = ax.bar(positions + (offset - 1) * width, heights, width, bottom=floor, label=title, color=colour)
            ax.bar_label(bars, labels=[format_number(v) for v in values], fontsize=8, padding=2, rotation=90)
        log_axis(ax.yaxis, math.floor(floor), math.ceil(top))
        ax.set_ylim(floor, top)
        labels = rows["snapshot"].tolist()
        long_labels = any(len(label) > len("YYYY-MM") for label in labels)
        ax.set_xticks(positions, labels, rotation=25 if long_labels else 0, ha="right" if long_labels else "center")
        ax.set_title(registry_record(registry).title)
        ax.set_xlabel("snapshot")
    axes[0].set_ylabel("packages or models in the top K")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside upper center", ncols=len(SERIES), frameon=False)
    return figure
