"""Figure 7: direct descendants against downloads, a 2D histogram on log-log axes with the fitted line.

Bins as in the authors' script: 30 log-spaced edges from 1 to 1e8 downloads and 30 from 1 to 1e3
descendants; base models outside that range (for example 0 downloads) are not drawn, but they are
in the fit. Colours on a log scale; empty cells are left blank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from artifact.figures.style import PALETTE, new_figure

DOWNLOAD_EDGES = np.logspace(0, 8, 30)
DESCENDANT_EDGES = np.logspace(0, 3, 30)
PLOTTED_COLUMNS = (
    "downloads_bin", "descendants_bin", "downloads_low", "downloads_high", "descendants_low", "descendants_high", "parents"
)


def histogram_cells(parents: pd.DataFrame) -> pd.DataFrame:
    """The non-empty cells of the histogram of `parents` (downloads, descendants), with their edges."""
    counts, _, _ = np.histogram2d(parents["downloads"], parents["descendants"], bins=[DOWNLOAD_EDGES, DESCENDANT_EDGES])
    x, y = np.nonzero(counts)
    return pd.DataFrame(
        {
            "downloads_bin": x,
            "descendants_bin": y,
            "downloads_low": DOWNLOAD_EDGES[x],
            "downloads_high": DOWNLOAD_EDGES[x + 1],
            "descendants_low": DESCENDANT_EDGES[y],
            "descendants_high": DESCENDANT_EDGES[y + 1],
            "parents": counts[x, y].astype("int64"),
        }
    )


def figure7(cells: pd.DataFrame, slope: float, intercept: float, title: str) -> Figure:
    """The histogram of `cells` (from `histogram_cells`) and the line log10 y = slope log10 x + intercept."""
    grid = np.zeros((len(DOWNLOAD_EDGES) - 1, len(DESCENDANT_EDGES) - 1))
    grid[cells["downloads_bin"], cells["descendants_bin"]] = cells["parents"]
    figure = new_figure(5.5, 4.5)
    ax = figure.subplots()
    mesh = ax.pcolormesh(
        DOWNLOAD_EDGES,
        DESCENDANT_EDGES,
        np.ma.masked_equal(grid.T, 0),
        cmap="viridis",
        norm=LogNorm(vmin=1, vmax=max(1.0, float(grid.max()))),
    )
    figure.colorbar(mesh, ax=ax, label="base models")
    if np.isfinite(slope) and np.isfinite(intercept):
        x = np.logspace(0, 8, 100)
        sign = "-" if intercept < 0 else "+"
        label = f"least squares: log10 y = {slope:.2f} log10 x {sign} {abs(intercept):.2f}"
        ax.plot(x, 10 ** (slope * np.log10(x) + intercept), color=PALETTE[5], linewidth=2, label=label)
        ax.legend(loc="upper left", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(DOWNLOAD_EDGES[0], DOWNLOAD_EDGES[-1])
    ax.set_ylim(DESCENDANT_EDGES[0], DESCENDANT_EDGES[-1])
    ax.set_xlabel("downloads")
    ax.set_ylabel("direct descendant models")
    ax.set_title(title)
    return figure
