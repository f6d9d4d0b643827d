"""The authors' turnover notebook (turnover.ipynb), read as JSON: printed counts, panel names, the PNG.

The cell that plots Figure 6 prints one line per registry ("There are a total of N packages that
have ever been in the top K packages from R") and displays the figure as a base64 PNG. Its code
names the panels in `plot_package_turnover(<history>, "<name>", <dates>, K, axes=axes[i])` calls
and the snapshot labels in list literals; those are parsed from the text, never run.
"""

from __future__ import annotations

import ast
import base64
import binascii
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from artifact.authors.notebook_tables import DISTINCT_COLUMNS
from artifact.errors import SchemaError

MAX_NOTEBOOK_BYTES = 50 * 1024 * 1024  # the archived notebook is 210 kB; refuse anything absurd
PRINTED = re.compile(r"There are a total of (\d+) packages that have ever been in the top (\d+) packages from (\S+)")
PANEL_CALL = re.compile(r'plot_package_turnover\(\s*\w+\s*,\s*"([^"]+)"\s*,\s*(\w+|\[[^\]]*\])\s*,\s*(\d+)\s*,\s*axes=axes\[(\d+)\]\s*\)')


@dataclass(frozen=True)
class TurnoverCell:
    """What the Figure 6 cell of the notebook holds: printed counts, panels (left to right), the PNG."""

    index: int  # the cell's position in the notebook, from 0
    distinct: pd.DataFrame  # DISTINCT_COLUMNS, one row per printed line
    panels: tuple[tuple[str, tuple[str, ...], int], ...]  # (name, snapshot labels, top K) by axes index
    png: bytes


def read_turnover_cell(path: Path) -> TurnoverCell:
    """The first code cell that prints the distinct-ever counts; SchemaError naming the file and what is missing."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise SchemaError(f"{path}: {path.stat().st_size} bytes, more than a notebook should be ({MAX_NOTEBOOK_BYTES})")
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError) as error:
        raise SchemaError(f"{path}: not a Jupyter notebook (JSON with a `cells` list): {error}") from None
    for index, cell in enumerate(cells):
        text = _stream_text(cell)
        if cell.get("cell_type") == "code" and PRINTED.search(text):
            return TurnoverCell(index, _distinct(text, index), _panels(path, index, _joined(cell.get("source", ""))), _png(path, index, cell))
    raise SchemaError(f"{path}: no code cell prints 'There are a total of N packages that have ever been in the top K packages from R'")


def _joined(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _stream_text(cell: dict) -> str:
    return "".join(_joined(o.get("text", "")) for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def _distinct(text: str, index: int) -> pd.DataFrame:
    rows = [(name, int(k), int(n), index) for n, k, name in PRINTED.findall(text)]
    return pd.DataFrame(rows, columns=list(DISTINCT_COLUMNS))


def _panels(path: Path, index: int, source: str) -> tuple[tuple[str, tuple[str, ...], int], ...]:
    """(name, labels, K) per axes index, from the plotting calls; labels from a literal or a `name = [...]` list."""
    calls = PANEL_CALL.findall(source)
    if not calls:
        raise SchemaError(f"{path}: cell {index} has no call plot_package_turnover(history, \"name\", dates, K, axes=axes[i])")
    panels = {}
    for name, dates, top_k, axis in calls:
        panels[int(axis)] = (name, _labels(path, index, source, dates), int(top_k))
    if sorted(panels) != list(range(len(panels))):
        raise SchemaError(f"{path}: cell {index} plots into axes {sorted(panels)}, not 0..{len(panels) - 1}")
    return tuple(panels[i] for i in range(len(panels)))


def _labels(path: Path, index: int, source: str, expression: str) -> tuple[str, ...]:
    if not expression.startswith("["):
        found = re.findall(rf"^{re.escape(expression)}\s*=\s*(\[[^\]]*\])", source, flags=re.MULTILINE)
        if not found:
            raise SchemaError(f"{path}: cell {index} uses snapshot labels {expression!r} but assigns no list literal to it")
        expression = found[-1]
    try:
        labels = ast.literal_eval(expression)  # a literal only: nothing is executed
    except (ValueError, SyntaxError):
        raise SchemaError(f"{path}: cell {index}: snapshot labels {expression!r} are not a list of strings") from None
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
        raise SchemaError(f"{path}: cell {index}: snapshot labels {expression!r} are not a list of strings")
    return tuple(labels)


def _png(path: Path, index: int, cell: dict) -> bytes:
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            try:
                return base64.b64decode(_joined(data["image/png"]), validate=False)
            except (binascii.Error, ValueError):
                raise SchemaError(f"{path}: cell {index}: the image/png output is not valid base64") from None
    raise SchemaError(f"{path}: cell {index} displays no image/png output (the turnover figure)")
