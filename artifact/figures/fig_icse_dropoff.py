"""Downloads against rank, log-log, per registry snapshot: the ICSE 2023 brief's drop-off, on this profile's data."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure
from artifact.registries import registry as registry_record


def figure_dropoff(curves: pd.DataFrame, note: str) -> Figure:
    """One line per (registry, snapshot) of `curves` (registry, snapshot, rank, downloads); `note` under the axes."""
    figure = new_figure(5.0, 3.4)
    ax = figure.subplots()
    styles = ("-", "--", ":", "-.")
    for registry, rows in curves.groupby("registry", sort=True):
        for index, (snapshot, part) in enumerate(rows.groupby("snapshot", sort=True)):
            ax.plot(part["rank"], part["downloads"], marker="o", markersize=2, linewidth=1, linestyle=styles[index % len(styles)],
                    color=PALETTE[registry_record(registry).colour], label=f"{registry} {snapshot}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rank")
    ax.set_ylabel("downloads (30-day count)")
    ax.legend(fontsize=5, ncol=2)
    ax.set_title("Downloads by rank", fontsize=9)
    figure.text(0.01, 0.005, note, fontsize=5, ha="left", va="bottom")
    return figure
