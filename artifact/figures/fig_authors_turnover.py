"""The authors' Figure 6 (digitised) against this profile's turnover: one panel per registry and series."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from artifact.authors.compare import SERIES
from artifact.figures.style import PALETTE, log10_exact, log_axis, new_figure, styled

LOW, HIGH = 0, 4  # the log axis, in decades: 1 to 10,000 packages (a count of zero has no bar)


def _log(values: np.ndarray) -> np.ndarray:
    """log10 of `values` in decimal arithmetic (no bit of it from the CPU's log routine)."""
    return log10_exact(values) if len(values) else np.empty(0)


@styled
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
            low, high = part["authors_low"].to_numpy(dtype=float), part["authors_high"].to_numpy(dtype=float)
            top = _log(np.maximum(value[measured], 10.0**LOW))
            errors = np.vstack([top - _log(np.maximum(low[measured], 10.0**LOW)), _log(high[measured]) - top])
            ax.bar(positions[measured] - 0.2, top - LOW, 0.4, bottom=LOW, color=PALETTE[0], label="authors (digitised, +-2 px)",
                   yerr=errors, capsize=2)
            # Not drawn in the authors' figure: only known to be under its axis floor; shown as an empty box up to it.
            ax.bar(positions[~measured] - 0.2, _log(high[~measured]) - LOW, 0.4, bottom=LOW, fill=False, hatch="///",
                   edgecolor=PALETTE[0], linewidth=0.5, label="authors: below their axis floor")
            ours = part["ours"].to_numpy(dtype=float)
            heights = np.where(ours >= 1, _log(np.maximum(ours, 1)), LOW) - LOW
            ax.bar(positions + 0.2, heights, 0.4, bottom=LOW, color=PALETTE[1], label="this profile")
            log_axis(ax.yaxis, LOW, HIGH)
            ax.set_xticks(positions, [f"{a}\n{o}" for a, o in zip(part["snapshot_authors"], part["snapshot_ours"])], fontsize=5)
            ax.set_title(f"{registry}: {series}", fontsize=7)
    axes[0][0].legend(fontsize=5, loc="lower left")
    return figure
