"""Shared fixtures: running the CLI in a subprocess with its own outputs folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from artifact.report.render import stable_part

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "expected_outputs"

# The run log carries times and memory of the run, and so does the reports' "This run" section;
# every other output, and the reports without that section, are deterministic.
RUN_SPECIFIC = ("run/",)
REPORTS = ("REPORT.md", "report.html")


def deterministic_files(root: Path) -> dict[str, bytes]:
    """Every deterministic output file under `root` by relative path (the reports without "This run")."""
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {
        name: stable_part(data.decode()).encode() if name in REPORTS else data
        for name, data in files.items()
        if not name.startswith(RUN_SPECIFIC)
    }


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `python -m artifact ARGS` with the test's environment; capture its output."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "artifact", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600, check=False
    )


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this test session shares (pytest-xdist's workers each have their own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample profile's outputs, computed once per test session (whichever worker comes first) with 2 workers."""
    shared = shared_folder(tmp_path_factory)
    root = shared / "sample-run"
    with FileLock(shared / "sample-run.lock"):
        if not (root / "sample" / "REPORT.md").is_file():
            result = run_cli("reproduce", "--profile", "sample", "--workers", "2", env={"ARTIFACT_OUTPUTS": str(root)})
            assert result.returncode == 0, result.stdout + result.stderr
    return root / "sample"
