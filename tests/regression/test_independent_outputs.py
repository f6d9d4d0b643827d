"""The independent profile's outputs, computed from the real files, against expected_outputs/independent/.

Runs `reproduce --profile independent` once when every input of the profile can be had (through
ARTIFACT_MIRROR or the cache); skipped, saying which inputs are missing, otherwise. Tables are
compared byte for byte, figures by sha256. Regenerate with `--force-regen`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve_all
from artifact.metrics.m3_descendants import DESCENDANT_DOWNLOADS
from artifact.profiles import get_profile
from artifact.tables import read_table
from tests.conftest import EXPECTED, FinishedRun, session_run, untouched
from tests.regression.baselines import check_figures, check_table, tables_under
from tests.regression.test_sample_outputs import COLUMNS as SAMPLE_COLUMNS

PROFILE = get_profile("independent", Settings.from_env({}))
PROFILE_DIR = EXPECTED / PROFILE.name
FIGURE_NAMES = (
    "fig4_funnel", "fig5_preservation_listing", "fig6_turnover", "fig6_turnover_renamed", "fig7_descendants_listing",
    "icse_dropoff", "authors_turnover_vs_ours",
)
FIGURES = tuple(f"figures/{name}.{kind}" for name in FIGURE_NAMES for kind in ("png", "pdf"))
COLUMNS = SAMPLE_COLUMNS | {
    "tables/turnover_renamed/": SAMPLE_COLUMNS["tables/turnover/"],
    "tables/turnover_renamed_summary/": SAMPLE_COLUMNS["tables/turnover_summary/"],
    "tables/topk_renamed/": SAMPLE_COLUMNS["tables/topk/"],
    "figures/fig6_turnover_renamed.data.csv": SAMPLE_COLUMNS["figures/fig6_turnover.data.csv"],
    "tables/renames/": ["from_snapshot", "to_snapshot", "legacy_id", "new_id", "new_created_at", "status"],
    "tables/hub_listing/base_model_renames.csv": ["base_model", "renamed_to", "descendants"],
    "tables/hub_listing/summary.csv": ["quantity", "value"],
    "tables/m4_card_scores.csv": ["id", "downloads", "likes", "description", "limitations", "how_to_use", "training", "evaluation", "score"],
    "tables/authors/notebook_distinct.csv": ["registry", "top_k", "distinct_ever", "cell"],
    "tables/authors/fig6_digitised.csv": ["registry", "snapshot", "series", "value", "low", "high", "below", "status", "tolerance_px"],
    "tables/authors/fig6_selfcheck.csv": ["registry", "snapshot", "low", "high", "below_floor", "top_k", "sum_ok"],
    "tables/authors/fig6_distinct_check.csv": ["registry", "printed", "from_bars_low", "from_bars_high", "consistent"],
    "tables/authors/status_": ["output", "file", "status", "reason"],
    "tables/authors/turnover_vs_ours.csv": [
        "registry", "position", "series", "snapshot_authors", "snapshot_ours", "authors", "authors_low", "authors_high",
        "authors_status", "ours", "difference", "ours_in_authors_range",
    ],
}
TABLES = tables_under(PROFILE_DIR)


def _why_unavailable() -> str:
    """Why the profile's inputs cannot all be had here, or '' when they can."""
    settings = Settings.from_env()
    wanted = PROFILE.snapshot_inputs() | set(PROFILE.inputs.values())
    if absent := sorted(wanted - set(load_manifest(settings.manifest))):
        return f"the inputs manifest has no entry for {', '.join(absent)}"
    _, missing = resolve_all(PROFILE.input_entries(load_manifest(settings.manifest)).values(), settings)
    if missing := sorted(missing):
        return f"inputs not available: {', '.join(missing)}; set ARTIFACT_MIRROR (for example ../shared/mirror)"
    return ""


@pytest.fixture(scope="session")
def independent_run(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """The profile's run, made once per test session with 1 worker (the worker count changes no byte: tests/e2e/test_cli.py)."""
    if reason := _why_unavailable():
        pytest.skip(f"needs the real inputs: {reason}")
    run = session_run(tmp_path_factory, "independent-run", PROFILE.name, "--workers", "1")
    # Exit code 3: a claim differs from the paper (a finding) or errs; the tables are compared all the same.
    assert run.returncode in (0, 3), run.log
    return run


@pytest.fixture
def independent_outputs(independent_run: FinishedRun) -> Iterator[Path]:
    """The profile's outputs; read only (see `untouched`)."""
    with untouched(independent_run):
        yield independent_run.outputs


pytestmark = pytest.mark.mirror


def test_every_output_table_has_a_baseline(independent_outputs: Path) -> None:
    assert tables_under(independent_outputs) == TABLES


@pytest.mark.parametrize("relative", TABLES)
def test_table_matches_baseline(relative: str, independent_outputs: Path, file_regression) -> None:
    check_table(relative, independent_outputs, PROFILE_DIR, COLUMNS, file_regression)


def test_figure_bytes_match_baseline(independent_outputs: Path, file_regression) -> None:
    check_figures(independent_outputs, PROFILE_DIR, FIGURES, file_regression)


def test_figure7_draws_every_base_model_with_positive_popularity(independent_outputs: Path) -> None:
    """Every base model of the listing with downloads and descendants above 0 is in a drawn cell of Figure 7."""
    parents = read_table(independent_outputs / "tables/m3_parents_listing.csv")
    plotted = parents[parents["variant"] == DESCENDANT_DOWNLOADS]
    positive = int(((plotted["downloads"] > 0) & (plotted["descendants"] > 0)).sum())
    cells = read_table(independent_outputs / "figures/fig7_descendants_listing.data.csv")
    assert cells["parents"].sum() == positive
    assert cells["descendants_high"].max() > 1000  # the models beyond the authors' range are among them
