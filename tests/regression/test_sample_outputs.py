"""The sample profile's outputs against the archived ones in expected_outputs/sample/.

Tables are compared as text, byte for byte; figures by sha256 (PNG and PDF bytes), with the numbers
they plot kept as a table so that a changed figure says why. Regenerate with `--force-regen`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import EXPECTED

PROFILE_DIR = EXPECTED / "sample"
FIGURES = (
    "figures/fig6_turnover.png",
    "figures/fig6_turnover.pdf",
    "figures/fig5_preservation.png",
    "figures/fig5_preservation.pdf",
    "figures/fig7_descendants_database.png",
    "figures/fig7_descendants_database.pdf",
    "figures/fig7_descendants_intermediate.png",
    "figures/fig7_descendants_intermediate.pdf",
)
# Column lists, written out here on purpose: a column dropped from the code must fail a test.
COLUMNS = {
    "tables/turnover.csv": ["registry", "snapshot", "top_k", "remained", "returning", "newcomers"],
    "tables/turnover_distinct.csv": ["registry", "snapshots", "top_k", "distinct_ever"],
    "tables/topk/": ["rank", "name", "downloads"],
    "figures/fig6_turnover.data.csv": ["registry", "snapshot", "series", "count"],
    "tables/m1_preservation.csv": ["variant", "rank", "library", "count", "total", "proportion"],
    "tables/m3_top_parents.csv": ["rank", "base_model", "descendants"],
    "tables/m3_parents_": ["variant", "base_model", "descendants", "downloads"],
    "tables/m3_fits_": ["source", "variant", "method", "parents", "n", "slope", "intercept", "r", "rho", "p_value"],
    "figures/fig5_preservation.data.csv": ["rank", "library", "label", "count", "proportion"],
    "figures/fig7_descendants_": [
        "downloads_bin", "descendants_bin", "downloads_low", "downloads_high", "descendants_low", "descendants_high",
        "parents",
    ],
}
TABLES = sorted(str(p.relative_to(PROFILE_DIR)) for p in PROFILE_DIR.rglob("*.csv"))


def _columns_for(relative: str) -> list[str]:
    return next(columns for prefix, columns in COLUMNS.items() if relative.startswith(prefix))


def test_every_output_table_has_a_baseline(sample_outputs: Path) -> None:
    produced = sorted(str(p.relative_to(sample_outputs)) for p in sample_outputs.rglob("*.csv"))
    assert produced == TABLES


@pytest.mark.parametrize("relative", TABLES)
def test_table_matches_baseline(relative: str, sample_outputs: Path, file_regression) -> None:
    path = sample_outputs / relative
    assert list(pd.read_csv(path, nrows=0).columns) == _columns_for(relative)
    file_regression.check(path.read_text(), fullpath=PROFILE_DIR / relative, newline="\n")


def test_figure_bytes_match_baseline(sample_outputs: Path, file_regression) -> None:
    lines = [f"{hashlib.sha256((sample_outputs / f).read_bytes()).hexdigest()}  {f}\n" for f in FIGURES]
    file_regression.check("".join(lines), fullpath=PROFILE_DIR / "figures.sha256", newline="\n")
