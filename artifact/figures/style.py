"""One style for every figure, log axes without floating-point last bits, and saving with deterministic bytes.

Bytes are stable for a given matplotlib, freetype and fontTools (pinned by the lock file): we use
matplotlib's bundled DejaVu fonts, a fixed size and DPI, a fixed SVG hash salt, and strip every
metadata field that carries a version or a date. The style is matplotlib's own defaults (its "default"
style, whatever a user's or the working folder's matplotlibrc says) with our settings on top, applied
around building (`styled`) and saving (`save_figure`) a figure, never to the global rcParams.
A figure is laid out once, at the PNG's DPI, and every format is drawn from that one layout.
Log axes are drawn as linear axes of log10 values labelled as powers of ten (`log_axis`), so that no
log transform of the CPU's SIMD kernels stands between a number and its pixel.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator, Sequence
from decimal import Context, Decimal
from pathlib import Path
from typing import TypeVar

import matplotlib
import matplotlib.style

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from artifact.atomic import atomic_path  # noqa: E402
from artifact.errors import SchemaError  # noqa: E402

DPI = 150
_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "hf-claims-artifact",
    "pdf.compression": 6,
    "path.simplify": True,
    "figure.autolayout": False,  # no layout engine once `save_figure` has fixed the layout
    "figure.constrained_layout.use": False,
}
# Colours of the Okabe-Ito palette (readable with colour blindness).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_STRIPPED_METADATA = {
    ".png": {"Software": None},
    ".pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    ".svg": {"Creator": None, "Date": None},
}
# log10(2) ... log10(9), in decimal arithmetic: the minor ticks of a log axis within a decade.
_MINOR_LOGS = tuple(float(Decimal(m).log10(Context(prec=40))) for m in range(2, 10))
F = TypeVar("F", bound=Callable[..., Figure])


@contextlib.contextmanager
def _style() -> Iterator[None]:
    """matplotlib's defaults, then ours: no matplotlibrc of the user's changes a byte."""
    with matplotlib.style.context("default"), matplotlib.rc_context(_RC):
        yield


def styled(build: F) -> F:
    """`build` (a function returning a Figure) run under the shared style."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        with _style():
            return build(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def new_figure(width: float, height: float) -> Figure:
    """A Figure of `width` x `height` inches on an Agg canvas (no pyplot state involved); build it inside `styled`."""
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # one renderer for the layout and the PNG: text is measured once
    return figure


def save_figure(figure: Figure, paths: Sequence[Path]) -> None:
    """Lay `figure` out once and save it atomically to each of `paths` (.png, .pdf or .svg) with no date or version inside."""
    with _style():
        _fix_layout(figure)
        for path in paths:
            suffix = path.suffix.lower()
            with atomic_path(path) as tmp:
                figure.savefig(tmp, format=suffix.lstrip("."), dpi=DPI, metadata=_STRIPPED_METADATA[suffix])


def _fix_layout(figure: Figure) -> None:
    """Run `figure`'s layout engine once at the PNG's DPI, then drop it: every format is drawn at those positions."""
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
        figure.set_layout_engine(None)


def log10_exact(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """log10 of positive `values` in decimal arithmetic, each rounded to the nearest double."""
    context = Context(prec=40)
    return np.array([float(Decimal(float(v)).log10(context)) for v in np.asarray(values, dtype="float64").ravel()])


def log_axis(axis: Axis, low: int, high: int) -> None:
    """`axis`, which holds log10 values, shown as a log axis from 10^low to 10^high (ticks at decades, minor at 2-9)."""
    getattr(axis.axes, f"set_{axis.axis_name}lim")(low, high)
    decades = range(low, high + 1)
    axis.set_ticks(list(decades), labels=[f"$10^{{{k}}}$" for k in decades])
    axis.set_ticks([k + minor for k in range(low, high) for minor in _MINOR_LOGS], minor=True)


def require_finite(table: pd.DataFrame, columns: Sequence[str], figure: str) -> None:
    """Fail, naming `figure` and the column, when a column it draws holds NaN or an infinity."""
    for column in columns:
        values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype="float64")
        bad = np.flatnonzero(~np.isfinite(values))
        if len(bad):
            raise SchemaError(
                f"{figure}: column {column!r} holds {len(bad)} NaN or infinite value(s) (first in row {bad[0]}: "
                f"{table[column].iloc[bad[0]]!r}); a figure cannot draw them: fix the table it is drawn from"
            )
