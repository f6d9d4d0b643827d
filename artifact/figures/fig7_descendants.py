"""Figure 7: direct descendants against downloads, a 2D histogram on log-log axes with the fitted line.

Bins as in the authors' script: edges 10^(i w), w = 8/29 decade of downloads and 3/29 decade of
descendants (their 30 edges from 1 to 1e8 and from 1 to 1e3), continued at the same width beyond
that range as far as the data go. The axes cover every drawn cell, by whole decades, and a dashed
frame marks the authors' range. A base model with 0 downloads (or 0 descendants) cannot be placed
on log axes: the legend counts them, and they are in the fit. Descendants are counts, and some
bins between 1 and 3 hold no integer: each such bin is drawn merged into the next bin up, so that
no empty stripe shows where no count can fall (the table keeps the authors' bins).

Bytes do not depend on a CPU's last floating-point bit: edges are computed in decimal arithmetic,
cells are drawn in log10 coordinates on linear axes (ticks labelled as powers of ten), counts get
their colour from fixed integer class boundaries, and numbers are written by `artifact.numbers`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from artifact.figures.style import PALETTE, log_axis, new_figure, require_finite, styled
from artifact.numbers import format_number, rounded

PLOTTED_COLUMNS = (
    "downloads_bin", "descendants_bin", "downloads_low", "downloads_high", "descendants_low", "descendants_high", "parents"
)
_DECIMAL = Context(prec=40)
# Colour classes of the cell counts: [1, 2), [2, 5), [5, 10), [10, 20), ... up to the largest count.
_CLASS_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class LogBins:
    """Bins of `decades / bins` decade each, edge i at 10^(i decades / bins); the authors' are i = 0..bins."""

    decades: int
    bins: int

    def exponent(self, index: int) -> Fraction:
        """log10 of edge `index`, exactly."""
        return Fraction(index * self.decades, self.bins)

    def edge(self, index: int) -> float:
        """Edge `index`: the double nearest 10^exponent, computed in decimal arithmetic (no CPU's last bit)."""
        exponent = self.exponent(index)
        ten = _DECIMAL.power(Decimal(10), _DECIMAL.divide(Decimal(exponent.numerator), Decimal(exponent.denominator)))
        return float(ten)

    def bin_of(self, values: np.ndarray) -> np.ndarray:
        """The bin index i of each positive value, edge i <= value < edge i+1, by exact comparisons."""
        # A first guess from log10, one bin of margin each way; the comparisons decide.
        first = min(0, math.floor(math.log10(values.min()) * self.bins / self.decades) - 1)
        last = max(self.bins, math.ceil(math.log10(values.max()) * self.bins / self.decades) + 1)
        edges = np.array([self.edge(i) for i in range(first, last + 1)])
        return np.searchsorted(edges, values, side="right") - 1 + first


DOWNLOADS = LogBins(decades=8, bins=29)
DESCENDANTS = LogBins(decades=3, bins=29)


def drawable(parents: pd.DataFrame) -> pd.Series:
    """Which base models can be drawn on log axes: downloads and descendants both positive."""
    require_finite(parents, ["downloads", "descendants"], "Figure 7")
    return (parents["downloads"] > 0) & (parents["descendants"] > 0)


def not_drawn(parents: pd.DataFrame) -> int:
    """How many base models of `parents` Figure 7 cannot place (0 downloads or 0 descendants)."""
    return int((~drawable(parents)).sum())


def histogram_cells(parents: pd.DataFrame) -> pd.DataFrame:
    """The non-empty cells of the histogram of the drawable `parents` (downloads, descendants), with their edges."""
    shown = parents[drawable(parents)]
    downloads = shown["downloads"].to_numpy(dtype="float64")
    descendants = shown["descendants"].to_numpy(dtype="float64")
    bins = {
        "downloads_bin": DOWNLOADS.bin_of(downloads) if len(shown) else np.array([], dtype="int64"),
        "descendants_bin": DESCENDANTS.bin_of(descendants) if len(shown) else np.array([], dtype="int64"),
    }
    cells = pd.DataFrame(bins).value_counts(sort=False).rename("parents").reset_index()
    cells = cells.sort_values(["downloads_bin", "descendants_bin"], kind="mergesort", ignore_index=True)
    for name, axis in (("downloads", DOWNLOADS), ("descendants", DESCENDANTS)):
        index = cells[f"{name}_bin"].astype("int64")
        cells[f"{name}_low"] = np.array([axis.edge(i) for i in index], dtype="float64")
        cells[f"{name}_high"] = np.array([axis.edge(i + 1) for i in index], dtype="float64")
    kinds = {"downloads_bin": "int64", "descendants_bin": "int64", "parents": "int64"}
    return cells.loc[:, list(PLOTTED_COLUMNS)].astype(kinds)


def count_classes(largest: int) -> list[int]:
    """Class boundaries 1, 2, 5, 10, 20, 50, ... up to the first one above `largest` (at least one class)."""
    bounds = [1]
    while len(bounds) < 2 or bounds[-1] <= largest:
        k = len(bounds)
        bounds.append(_CLASS_STEPS[k % 3] * 10 ** (k // 3))
    return bounds


@styled
def figure7(cells: pd.DataFrame, slope: float, intercept: float, title: str, undrawn: int = 0) -> Figure:
    """The histogram of `cells` (from `histogram_cells`) and the line log10 y = slope log10 x + intercept.

    `undrawn`: how many base models could not be placed (`not_drawn`), said under the legend.
    """
    require_finite(cells, list(PLOTTED_COLUMNS), "Figure 7")
    x_first, x_last = _bin_span(cells["downloads_bin"], DOWNLOADS)
    y_first, y_last = _bin_span(cells["descendants_bin"], DESCENDANTS)
    x_edges = np.array([float(DOWNLOADS.exponent(i)) for i in range(x_first, x_last + 1)])
    y_edges, row_of = _descendant_rows(y_first, y_last)
    grid = np.zeros((len(y_edges) - 1, len(x_edges) - 1), dtype="int64")
    rows = cells["descendants_bin"].map(row_of).to_numpy(dtype="int64")
    np.add.at(grid, (rows, cells["downloads_bin"].to_numpy(dtype="int64") - x_first), cells["parents"].to_numpy())
    bounds = count_classes(int(grid.max()))
    colours = _class_colours(len(bounds) - 1)

    figure = new_figure(5.5, 5.2)
    ax = figure.subplots()
    mesh = ax.pcolormesh(x_edges, y_edges, np.ma.masked_equal(grid, 0), cmap=colours, norm=BoundaryNorm(bounds, colours.N))
    bar = figure.colorbar(mesh, ax=ax, label="base models in the cell")
    classes = list(zip(bounds, bounds[1:]))
    bar.set_ticks([(low + high) / 2 for low, high in classes])
    bar.set_ticklabels([str(low) if high == low + 1 else f"{low}-{high - 1}" for low, high in classes])
    bar.minorticks_off()
    frame = Rectangle((0, 0), DOWNLOADS.decades, DESCENDANTS.decades, fill=False, linestyle="--", edgecolor=PALETTE[7])
    ax.add_patch(frame)
    authors = f"the authors' range (1 to 1e{DOWNLOADS.decades} downloads, 1 to 1e{DESCENDANTS.decades} descendants)"
    handles = [Line2D([], [], color=PALETTE[7], linestyle="--", label=authors)]
    x_range = (math.floor(x_edges[0]), math.ceil(x_edges[-1]))
    if math.isfinite(slope) and math.isfinite(intercept):
        xs = np.array(x_range, dtype="float64")
        ax.plot(xs, rounded(slope * xs + intercept), color=PALETTE[5], linewidth=2)
        sign = "-" if intercept < 0 else "+"
        fit = f"least squares: log10 y = {format_number(slope, 3)} log10 x {sign} {format_number(abs(intercept), 3)}"
        handles.append(Line2D([], [], color=PALETTE[5], linewidth=2, label=fit))
    note = f"not drawn: {undrawn} base models with 0 downloads or 0 descendants (they are in the fit)" if undrawn else None
    figure.legend(handles=handles, loc="outside lower center", fontsize=8, frameon=False, title=note, title_fontsize=8)
    log_axis(ax.xaxis, *x_range)
    log_axis(ax.yaxis, math.floor(y_edges[0]), math.ceil(y_edges[-1]))
    ax.set_xlabel("downloads")
    ax.set_ylabel("direct descendant models")
    ax.set_title(title)
    return figure


def _bin_span(indexes: pd.Series, bins: LogBins) -> tuple[int, int]:
    """First and last edge index drawn: the authors' bins and every bin in `indexes`."""
    if indexes.empty:
        return 0, bins.bins
    return min(0, int(indexes.min())), max(bins.bins, int(indexes.max()) + 1)


def _descendant_rows(first: int, last: int) -> tuple[np.ndarray, dict[int, int]]:
    """Drawn row edges (log10) of descendant bins first..last-1, integer-free bins merged upwards; bin -> row."""
    kept, row_of = [first], {}
    for index in range(first, last):
        row_of[index] = len(kept) - 1
        holds_integer = math.ceil(DESCENDANTS.edge(index)) < DESCENDANTS.edge(index + 1)
        if holds_integer or index == last - 1:
            kept.append(index + 1)
    return np.array([float(DESCENDANTS.exponent(i)) for i in kept]), row_of


def _class_colours(classes: int) -> ListedColormap:
    """`classes` colours of viridis, picked by integer index (first and last included)."""
    table = colormaps["viridis"].colors
    last = len(table) - 1
    return ListedColormap([table[(last * k) // max(classes - 1, 1)] for k in range(classes)])
