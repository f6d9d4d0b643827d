"""The authors' Figure 6 (digitised) against this profile's turnover: one panel per registry and series."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from artifact.authors.compare import SERIES
from artifact.figures.style import PALETTE, new_figure


def figure_turnover_comparison(table: pd.DataFrame) -> Figure:
    """Paired bars (authors, ours) per snapshot position; the authors' bars below their axis floor drawn as empty boxes up to it."""
    registries = list(dict.fromkeys(table["registry"])) or ["(none)"]
    figure = new_figure(2.4 * len(SERIES), 2.0 * len(registries))
    axes = figure.subplots(len(registries), len(SERIES), squeeze=False, sharey=True)
    for row, registry in enumerate(registries):
        for column, series in enumerate(SERIES):
            ax = axes[row][column]
            part = table[(table["registry"] == registry) & (table["series"] == series)]
            positions = part["position"].to_numpy(dtype=float)
            measured = (part["authors_status"] == "measured").to_numpy()
            value = part["authors"].to_numpy(dtype=float)
            errors = np.vstack([value - part["authors_low"].to_numpy(dtype=float), part["authors_high"].to_numpy(dtype=float) - value])
            ax.bar(positions[measured] - 0.2, value[measured], 0.4, color=PALETTE[0], label="authors (digitised, +-2 px)",
                   yerr=errors[:, measured], capsize=2)
            # Not drawn in the authors' figure: only known to be under its axis floor; shown as an empty box up to it.
            floor = part["authors_high"].to_numpy(dtype=float)
            ax.bar(positions[~measured] - 0.2, floor[~measured], 0.4, fill=False, hatch="///", edgecolor=PALETTE[0],
                   linewidth=0.5, label="authors: below their axis floor")
            ax.bar(positions + 0.2, np.maximum(part["ours"].to_numpy(dtype=float), 0.8), 0.4, color=PALETTE[1], label="this profile")
            ax.set_yscale("log")
            ax.set_ylim(0.8, 4000)
            ax.set_xticks(positions, [f"{a}\n{o}" for a, o in zip(part["snapshot_authors"], part["snapshot_ours"])], fontsize=5)
            ax.set_title(f"{registry}: {series}", fontsize=7)
    axes[0][0].legend(fontsize=5, loc="lower left")
    return figure
