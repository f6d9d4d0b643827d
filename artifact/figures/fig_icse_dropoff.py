"""Downloads against rank, log-log, per registry snapshot: the ICSE 2023 brief's drop-off, on this profile's data."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, log10_exact, log_axis, new_figure, styled
from artifact.registries import registry as registry_record


@styled
def figure_dropoff(curves: pd.DataFrame, note: str) -> Figure:
    """One line per (registry, snapshot) of `curves` (registry, snapshot, rank, downloads) on exact log10 axes; `note` under the axes.

    A rank with 0 downloads has no place on a log axis and is not drawn.
    """
    figure = new_figure(5.0, 3.4)
    ax = figure.subplots()
    styles = ("-", "--", ":", "-.")
    drawn = curves[curves["downloads"] > 0]
    x, y = log10_exact(drawn["rank"]), log10_exact(drawn["downloads"])
    for registry, rows in drawn.groupby("registry", sort=True):
        for index, (snapshot, part) in enumerate(rows.groupby("snapshot", sort=True)):
            at = drawn.index.get_indexer(part.index)
            ax.plot(x[at], y[at], marker="o", markersize=2, linewidth=1, linestyle=styles[index % len(styles)],
                    color=PALETTE[registry_record(registry).colour], label=f"{registry} {snapshot}")
    log_axis(ax.xaxis, 0, max(1, math.ceil(x.max())) if len(x) else 1)
    log_axis(ax.yaxis, math.floor(y.min()) if len(y) else 0, max(1, math.ceil(y.max())) if len(y) else 1)
    ax.set_xlabel("rank")
    ax.set_ylabel("downloads (30-day count)")
    ax.legend(fontsize=5, ncol=2)
    ax.set_title("Downloads by rank", fontsize=9)
    figure.text(0.01, 0.005, note, fontsize=5, ha="left", va="bottom")
    return figure
