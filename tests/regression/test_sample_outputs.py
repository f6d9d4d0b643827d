"""The sample profile's outputs against the archived ones in expected_outputs/sample/.

Tables are compared as text, byte for byte; figures by sha256 (PNG and PDF bytes), with the numbers
they plot kept as a table so that a changed figure says why. Regenerate with `--force-regen`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import EXPECTED
from tests.regression.baselines import check_figures, check_table, tables_under

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
TABLES = tables_under(PROFILE_DIR)


def test_every_output_table_has_a_baseline(sample_outputs: Path) -> None:
    assert tables_under(sample_outputs) == TABLES


@pytest.mark.parametrize("relative", TABLES)
def test_table_matches_baseline(relative: str, sample_outputs: Path, file_regression) -> None:
    check_table(relative, sample_outputs, PROFILE_DIR, COLUMNS, file_regression)


def test_figure_bytes_match_baseline(sample_outputs: Path, file_regression) -> None:
    check_figures(sample_outputs, PROFILE_DIR, FIGURES, file_regression)
