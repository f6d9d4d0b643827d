"""Case 6 of issue 25: outputs on a full disk end in an output error naming the path (exit 1), never a traceback.

A full disk is stood in for by a file size limit (RLIMIT_FSIZE; Python ignores SIGXFSZ, so a write past
the limit fails with EFBIG as one on a full disk fails with ENOSPC): no root and no mount needed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from artifact.cli.run import _outcome
from tests.conftest import REPO, run_cli
from tests.faults.helpers import full_disk


def _reproduce_with_file_size_limit(outputs: Path, limit: int) -> subprocess.CompletedProcess:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "ARTIFACT_OUTPUTS": str(outputs), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "artifact", "reproduce", "--profile", "sample"], cwd=REPO, env=env,
        capture_output=True, text=True, timeout=600, preexec_fn=limited, check=False
    )


def _assert_output_error(result: subprocess.CompletedProcess, outputs: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "IndexError" not in result.stderr
    assert f"while writing it (nothing of it is kept); free space there or write elsewhere: '{outputs}/sample/" in result.stderr
    assert not list((outputs / "sample").rglob("*.tmp"))  # nothing partial left


def test_case6_outputs_beyond_a_file_size_limit_are_an_output_error_naming_the_path(tmp_path: Path) -> None:
    _assert_output_error(_reproduce_with_file_size_limit(tmp_path, 20_000), tmp_path)  # small tables only


def test_case6_outputs_on_a_full_tmpfs_are_an_output_error_naming_the_path(tmp_path: Path) -> None:
    with full_disk(tmp_path / "disk") as disk:
        _assert_output_error(run_cli("reproduce", "--profile", "sample", env={"ARTIFACT_OUTPUTS": str(disk)}), disk)


def test_case6_an_error_record_left_empty_by_a_full_disk_is_reported(tmp_path: Path) -> None:
    class Task:
        task_id = "Claims_sample_0123"

    (tmp_path / "Claims_sample_0123.txt").write_text("")
    ran, failed, elsewhere = _outcome({Task: "missing output"}, tmp_path, set())
    assert ran == [] and not elsewhere and "could not be recorded" in failed[Task]
