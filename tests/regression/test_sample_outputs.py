"""The sample profile's outputs against the archived ones in expected_outputs/sample/.

Tables are compared as text, byte for byte; figures by sha256 (PNG and PDF bytes), with the numbers
they plot kept as a table so that a changed figure says why. Regenerate with `--force-regen`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.expected import WITHOUT_AUTHORS_CODE, scripts_missing
from artifact.report.render import stable_part
from tests.conftest import EXPECTED
from tests.regression.baselines import check_figures, check_table, tables_under

PROFILE_DIR = EXPECTED / "sample"
FIGURE_NAMES = (
    "fig4_funnel",
    "fig5_preservation_database",
    "fig6_turnover",
    "fig7_descendants_database",
    "fig7_descendants_intermediate",
    "fig8_documentation",
    "icse_dropoff",
)
FIGURES = tuple(f"figures/{name}.{kind}" for name in FIGURE_NAMES for kind in ("png", "pdf"))
_SECTIONS = ["description", "limitations", "how_to_use", "training", "evaluation"]
# Column lists, written out here on purpose: a column dropped from the code must fail a test.
COLUMNS = {
    "tables/turnover/": ["registry", "snapshot", "top_k", "remained", "returning", "newcomers"],
    "tables/turnover_summary/": [
        "registry",
        "snapshots",
        "top_k",
        "distinct_ever",
        "mean_remained_share",
        "min_remained_share",
        "max_remained_share",
    ],
    "tables/topk/": ["rank", "name", "downloads"],
    "tables/authors_code/status.csv": ["script", "input", "status", "reason"],
    "tables/authors_code/summary.csv": [
        "table", "input", "comparisons", "disagreements", "largest_relative_difference", "tolerance", "verdict",
    ],
    "tables/authors_code/": ["script", "input", "quantity", "key", "ours", "authors_code", "difference", "tolerance", "verdict"],
    "tables/claims.csv": [
        "id",
        "kind",
        "source",
        "where",
        "quote",
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
    "tables/rq1_unquantified.csv": ["where", "stated", "table3_daggers"],
    "tables/icse_dropoff.csv": ["registry", "snapshot", "rank", "downloads", "relative"],
    "tables/icse_dropoff_summary.csv": [
        "registry", "snapshot", "counts", "listed", "top1", "at_100", "at_1000", "ratio_100", "ratio_1000", "pypi_snapshot",
        "top1_to_pypi",
    ],
    "tables/peatmoss_counts.csv": ["quantity", "value", "note"],
    "tables/download_concentration/": [
        "registry", "snapshot", "listed", "with_downloads", "total_downloads", "top_n", "top_downloads", "share_top_n",
        "downloads_at_top_n",
    ],
    "tables/m1_preservation_": ["variant", "rank", "library", "count", "total", "proportion"],
    "tables/m3_top_parents_": ["rank", "base_model", "descendants"],
    "tables/m3_parents_": ["variant", "base_model", "descendants", "downloads"],
    "tables/m3_fits_": ["source", "variant", "method", "parents", "n", "slope", "intercept", "r", "rho", "p_value"],
    "figures/fig5_preservation_": ["rank", "library", "label", "count", "proportion"],
    "figures/fig7_descendants_": [
        "downloads_bin", "descendants_bin", "downloads_low", "downloads_high", "descendants_low", "descendants_high",
        "parents",
    ],
    "tables/m4_scores.csv": [
        "file", "context_id", "downloads", "likes", "num_downstream_repos", "reply_status",
        *(f"gpt4_{s}" for s in _SECTIONS), *(f"det_{s}" for s in _SECTIONS),
        "card_score", "det_card_score", "metadata_categories", "metadata_score", "metadata_score_authors_code",
        "documentation_score", "documentation_score_authors_code", "det_documentation_score",
        "group_downloads", "group_likes", "group_num_downstream_repos",
    ],
    "tables/m4_statistics.csv": [
        "variant", "measure", "n_top", "n_bottom", "mean_top", "mean_bottom", "median_top", "median_bottom",
        "t", "df", "p", "p_holm", "d", "U", "p_U",
    ],
    "tables/m4_correlation.csv": ["design", "score", "measure", "n", "rho", "p_value"],
    "tables/coverage/": [
        "registry", "snapshot", "previous", "top_k", "models_listed", "kth_downloads", "newcomers",
        "newcomers_listed_late", "newcomer_share", "newcomer_share_without_listed_late",
    ],
    "tables/turnover_intervals.csv": ["registry", "snapshot", "previous", "months", "newcomer_share", "newcomer_share_per_month"],
    "tables/turnover_intervals_summary.csv": ["registry", "steps", "mean_months", "mean_newcomer_share", "mean_newcomer_share_per_month"],
    "tables/m4_scorer_agreement.csv": ["section", "n", "gpt4_present", "scorer_present", "agree", "accuracy", "kappa"],
    "tables/m4_replies.csv": ["file", "verdict_column", "reply_status", "rows", "scored_as"],
    "figures/fig8_documentation.data.csv": [
        "measure", "group", "n", "whisker_low", "q1", "median", "q3", "whisker_high", "mean", "outliers",
    ],
}
TABLES = tables_under(PROFILE_DIR)
# The baselines were made with the authors' scripts at hand (the witness, tasks/authors_code.py): they
# come from the mirror or the network, never from this repository. Without them the run is checked
# against expected_outputs/sample/without-authors-code/ (what `compare` does), and the witness's
# comparison tables, which it cannot make, are not checked.
WITNESS = "tables/authors_code/"
VARIANT = PROFILE_DIR / WITHOUT_AUTHORS_CODE
VARIANT_TABLES = tables_under(VARIANT)


def test_every_output_table_has_a_baseline(sample_outputs: Path) -> None:
    if scripts_missing(sample_outputs):
        expected = sorted({t for t in TABLES if not t.startswith(WITNESS)} | set(VARIANT_TABLES))
        assert tables_under(sample_outputs) == expected
    else:
        assert tables_under(sample_outputs) == TABLES


@pytest.mark.parametrize("relative", TABLES)
def test_table_matches_baseline(relative: str, sample_outputs: Path, file_regression) -> None:
    if scripts_missing(sample_outputs) and relative in VARIANT_TABLES:
        check_table(relative, sample_outputs, VARIANT, COLUMNS, file_regression)
        return
    if scripts_missing(sample_outputs) and relative.startswith(WITNESS):
        pytest.skip("the authors' scripts were not at hand for this run (set ARTIFACT_MIRROR): the witness made no comparison")
    check_table(relative, sample_outputs, PROFILE_DIR, COLUMNS, file_regression)


def test_figure_bytes_match_baseline(sample_outputs: Path, file_regression) -> None:
    check_figures(sample_outputs, PROFILE_DIR, FIGURES, file_regression)


def test_report_outside_this_run_matches_baseline(sample_outputs: Path, file_regression) -> None:
    stable = stable_part((sample_outputs / "REPORT.md").read_text())
    baselines = VARIANT if scripts_missing(sample_outputs) else PROFILE_DIR
    file_regression.check(stable, fullpath=baselines / "REPORT.md", newline="\n")
