"""Figure 6: Remained, Newcomers and Returning per snapshot, one panel per registry, log y axis."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure
from artifact.profiles import REGISTRY_TITLES

SERIES = (("remained", "Remained"), ("newcomers", "Newcomers"), ("returning", "Returning"))
PLOTTED_COLUMNS = ("registry", "snapshot", "series", "count")


def plotted_numbers(turnover: pd.DataFrame) -> pd.DataFrame:
    """The bars of Figure 6 as a long table (registry, snapshot, series, count)."""
    long = turnover.melt(
        id_vars=["registry", "snapshot"], value_vars=[c for c, _ in SERIES], var_name="series", value_name="count"
    )
    return long.loc[:, list(PLOTTED_COLUMNS)].sort_values(["registry", "snapshot", "series"], kind="mergesort")


def figure6(turnover: pd.DataFrame, registries: list[str]) -> Figure:
    """Grouped bars per snapshot for each registry in `registries` (panel order)."""
    # 3.2 in per panel holds four snapshots labelled YYYY-MM; more, or longer labels, need room.
    most = max([int((turnover["registry"] == registry).sum()) for registry in registries] + [4])
    figure = new_figure(0.8 * most * len(registries), 3.2)
    axes = figure.subplots(1, len(registries), sharey=True, squeeze=False)[0]
    width = 0.27
    for ax, registry in zip(axes, registries):
        rows = turnover[turnover["registry"] == registry].sort_values("snapshot")
        positions = np.arange(len(rows))
        for offset, ((column, title), colour) in enumerate(zip(SERIES, PALETTE)):
            # Zero-height bars cannot be drawn on a log axis: draw them at the axis floor, labelled 0.
            values = rows[column].to_numpy()
            bars = ax.bar(positions + (offset - 1) * width, np.maximum(values, 0.8), width, label=title, color=colour)
            ax.bar_label(bars, labels=[str(v) for v in values], fontsize=6, padding=1)
        ax.set_yscale("log")
        ax.set_ylim(0.8, max(int(turnover["top_k"].max()), 1) * 4)
        labels = rows["snapshot"].tolist()
        long_labels = any(len(label) > len("YYYY-MM") for label in labels)
        ax.set_xticks(positions, labels, rotation=25 if long_labels else 0, ha="right" if long_labels else "center")
        ax.set_title(REGISTRY_TITLES.get(registry, registry))
        ax.set_xlabel("snapshot")
    axes[0].set_ylabel("packages or models in the top K")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside upper center", ncols=len(SERIES), frameon=False)
    return figure
