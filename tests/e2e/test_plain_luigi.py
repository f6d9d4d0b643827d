"""Plain Luigi runs the whole sample graph with the same bytes as `python -m artifact reproduce`;
`reproduce --dry-run`, `--dag` and `--version` say what would run, draw the graph, name the version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from artifact.config import Settings
from tests.conftest import REPO, deterministic_files, run_cli
from tests.mirror_inputs import needs_authors_scripts


def _inputs_from(settings: Settings) -> list[str]:
    """The cache and mirror of the session's sample run as luigi options (the authors' scripts come from them)."""
    mirror = ["--artifact-mirror-dir", str(settings.mirror_dir)] if settings.mirror_dir else []
    return ["--artifact-cache-dir", str(settings.cache_dir), *mirror]


@needs_authors_scripts
def test_plain_luigi_gives_the_same_bytes(tmp_path: Path, sample_outputs: Path) -> None:
    luigi_command = Path(sys.executable).parent / "luigi"
    result = subprocess.run(
        [str(luigi_command), "--module", "tasks.pipeline", "Report", "--profile", "sample", "--local-scheduler",
         "--artifact-outputs-root", str(tmp_path), *_inputs_from(Settings.from_env(os.environ))],
        cwd=REPO, env={**os.environ, "MPLBACKEND": "Agg"}, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    produced = deterministic_files(tmp_path / "sample")
    assert len(produced) > 40 and produced == deterministic_files(sample_outputs)


def test_dry_run_says_why_each_task_would_run(tmp_path: Path, sample_outputs: Path) -> None:
    env = {"ARTIFACT_OUTPUTS": str(tmp_path)}
    fresh = run_cli("reproduce", "--profile", "sample", "--dry-run", env=env)
    assert fresh.returncode == 0 and "would run Report(profile=sample): missing output" in fresh.stdout
    assert not (tmp_path / "sample" / "tables").exists()  # nothing ran
    done = run_cli("reproduce", "--profile", "sample", "--dry-run", env={"ARTIFACT_OUTPUTS": str(sample_outputs.parent)})
    assert done.returncode == 0 and "0 tasks would run" in done.stdout


def test_dag_and_version() -> None:
    dag = run_cli("reproduce", "--profile", "sample", "--dag")
    assert dag.returncode == 0 and dag.stdout.startswith("flowchart LR")
    assert "Preservation(source=database)" in dag.stdout and "-->" in dag.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("python -m artifact 0.")
