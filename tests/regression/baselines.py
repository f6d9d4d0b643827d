"""Checks that every profile's regression tests share: the set of tables, each table, the figure sums.

Tables are compared as text, byte for byte, with their header against a column list written out in
the test module; figures by the sha256 of their bytes (`figures.sha256`), with a copy of each PNG. `--force-regen` rewrites
the baselines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from artifact.expected import table_files


def tables_under(root: Path) -> list[str]:
    """The table files under `root`, relative to it, sorted."""
    return [str(p.relative_to(root)) for p in table_files(root)]


def check_table(relative: str, outputs: Path, baselines: Path, columns: Mapping[str, list[str]], file_regression) -> None:
    """The output table `relative` has the columns listed for its path prefix and the baseline's bytes."""
    path = outputs / relative
    if path.suffix == ".csv":
        expected = next(listed for prefix, listed in columns.items() if relative.startswith(prefix))
        assert list(pd.read_csv(path, nrows=0).columns) == expected
    file_regression.check(path.read_text(), fullpath=baselines / relative, newline="\n")


def check_figures(outputs: Path, baselines: Path, figures: Sequence[str], file_regression) -> None:
    """The sha256 of each figure file matches `figures.sha256`; each PNG is archived (for `compare`'s diagnosis)."""
    lines = [f"{hashlib.sha256((outputs / f).read_bytes()).hexdigest()}  {f}\n" for f in figures]
    file_regression.check("".join(lines), fullpath=baselines / "figures.sha256", newline="\n")
    for figure in (f for f in figures if f.endswith(".png")):
        file_regression.check((outputs / figure).read_bytes(), binary=True, extension=".png", fullpath=baselines / figure)
