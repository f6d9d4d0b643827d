"""Metric 3 from the archived intermediate alone: the esem2024 profile runs it without the database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from artifact.inputs.resolve import sha256_of
from artifact.tables import read_table
from tests.conftest import REPO, run_cli


def run_with_intermediate_only(tmp_path: Path, csv: Path, *options: str) -> tuple:
    """Reproduce esem2024 with a manifest whose only input is `csv` as the archived intermediate."""
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[input]]\nid = "esem2024-m3-intermediate"\nprofiles = ["esem2024"]\nsource = "test"\nsnapshot = "2023-10"\n'
        f'format = "descendants-csv"\nwhat = "test"\nlocal = "{csv}"\nsha256 = "{sha256_of(csv)}"\n'
    )
    outputs = tmp_path / "out"
    result = run_cli(
        "reproduce", "--profile", "esem2024", *options, env={"ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_MANIFEST": str(manifest)}
    )
    return result, outputs / "esem2024"


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """The run on the sample's synthetic intermediate, made once for this module: (result, outputs, its folder)."""
    folder = tmp_path_factory.mktemp("intermediate-only")
    return *run_with_intermediate_only(folder, REPO / "artifact/sample/data/m3_intermediate.csv"), folder


def test_intermediate_fits_and_figure_run_without_the_database(synthetic_run: tuple) -> None:
    result, outputs, _ = synthetic_run
    # The synthetic intermediate has other rows than the authors' table: the run completes, a claim DIFFERS.
    assert result.returncode == 3, result.stdout + result.stderr
    produced = {str(p.relative_to(outputs)) for p in outputs.rglob("*") if p.is_file()}
    assert {
        "figures/fig7_descendants_intermediate.data.csv",
        "figures/fig7_descendants_intermediate.pdf",
        "figures/fig7_descendants_intermediate.png",
        "tables/m3_fits_intermediate.csv",
        "tables/m3_parents_intermediate.csv",
    } <= produced
    assert not any(name.startswith(("tables/m1_", "tables/m3_fits_database", "figures/fig5")) for name in produced)
    verdicts = read_table(outputs / "tables/claims.csv").set_index("id")
    assert verdicts.loc["M3.intermediate.base_models", "verdict"] == "DIFFERS"
    assert verdicts.loc["M3.fig7.slope.database", "verdict"] == "UNAVAILABLE"
    fits = read_table(outputs / "tables/m3_fits_intermediate.csv")
    assert fits["method"].tolist() == ["loglog-positive", "paper", "spearman"]
    assert set(fits["source"]) == {"intermediate"}


def test_claims_never_fail_exits_zero_once_the_run_completed(tmp_path: Path, synthetic_run: tuple) -> None:
    _, completed, folder = synthetic_run
    outputs = tmp_path / "out" / "esem2024"
    shutil.copytree(completed, outputs)  # the module's completed run, copied: the option changes only the exit code
    env = {"ARTIFACT_OUTPUTS": str(outputs.parent), "ARTIFACT_MANIFEST": str(folder / "manifest.toml")}
    result = run_cli("reproduce", "--profile", "esem2024", "--claims-never-fail", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "DIFFERS" in set(read_table(outputs / "tables/claims.csv")["verdict"])  # yet the exit code is 0
    # ... and the run says what the exit code no longer tells: the claims alone would exit 3.
    assert "--claims-never-fail: every task ran, but the claims alone would exit 3" in result.stdout
