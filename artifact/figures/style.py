"""One style for every figure, and saving with deterministic bytes.

Bytes are stable for a given matplotlib, freetype and fontTools (pinned by the lock file): we use
matplotlib's bundled DejaVu fonts, a fixed size and DPI, a fixed SVG hash salt, and strip every
metadata field that carries a version or a date.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from artifact.atomic import atomic_path  # noqa: E402

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
}
# Colours of the Okabe-Ito palette (readable with colour blindness).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_STRIPPED_METADATA = {
    ".png": {"Software": None},
    ".pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    ".svg": {"Creator": None, "Date": None},
}


def new_figure(width: float, height: float) -> Figure:
    """A Figure of `width` x `height` inches under the shared style (no pyplot state involved)."""
    matplotlib.rcParams.update(_RC)
    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def save_figure(figure: Figure, path: Path) -> None:
    """Save `figure` atomically to `path` (.png, .pdf or .svg) with no date or version inside."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    suffix = path.suffix.lower()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format=suffix.lstrip("."), dpi=DPI, metadata=_STRIPPED_METADATA[suffix])
