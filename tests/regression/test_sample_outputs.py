"""The sample profile's outputs against the archived ones in expected_outputs/sample/.

Tables are compared as text, byte for byte; figures by sha256 (PNG and PDF bytes), with the numbers
they plot kept as a table so that a changed figure says why. Regenerate with `--force-regen`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from artifact.expected import table_files
from tests.conftest import EXPECTED

PROFILE_DIR = EXPECTED / "sample"
FIGURES = tuple(f"figures/{name}.{kind}" for name in ("fig4_funnel", "fig6_turnover") for kind in ("png", "pdf"))
# Column lists, written out here on purpose: a column dropped from the code must fail a test.
COLUMNS = {
    "tables/turnover.csv": ["registry", "snapshot", "top_k", "remained", "returning", "newcomers"],
    "tables/turnover_summary.csv": [
        "registry",
        "snapshots",
        "top_k",
        "distinct_ever",
        "mean_remained_share",
        "min_remained_share",
        "max_remained_share",
    ],
    "tables/topk/": ["rank", "name", "downloads"],
    "tables/claims.csv": [
        "id",
        "paper",
        "statement",
        "output",
        "column",
        "check",
        "expected",
        "tolerance",
        "observed",
        "verdict",
        "detail",
    ],
    "figures/fig6_turnover.data.csv": ["registry", "snapshot", "series", "count"],
    "tables/rq1_funnel.csv": ["order", "stage", "count", "part_of"],
    "tables/rq1_consistency.csv": ["check", "left", "right", "consistent"],
}
TABLES = [str(p.relative_to(PROFILE_DIR)) for p in table_files(PROFILE_DIR)]


def _columns_for(relative: str) -> list[str]:
    return next(columns for prefix, columns in COLUMNS.items() if relative.startswith(prefix))


def test_every_output_table_has_a_baseline(sample_outputs: Path) -> None:
    produced = [str(p.relative_to(sample_outputs)) for p in table_files(sample_outputs)]
    assert produced == TABLES


@pytest.mark.parametrize("relative", TABLES)
def test_table_matches_baseline(relative: str, sample_outputs: Path, file_regression) -> None:
    path = sample_outputs / relative
    if path.suffix == ".csv":
        assert list(pd.read_csv(path, nrows=0).columns) == _columns_for(relative)
    file_regression.check(path.read_text(), fullpath=PROFILE_DIR / relative, newline="\n")


def test_figure_bytes_match_baseline(sample_outputs: Path, file_regression) -> None:
    lines = [f"{hashlib.sha256((sample_outputs / f).read_bytes()).hexdigest()}  {f}\n" for f in FIGURES]
    file_regression.check("".join(lines), fullpath=PROFILE_DIR / "figures.sha256", newline="\n")
