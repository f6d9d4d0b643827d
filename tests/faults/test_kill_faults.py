"""kill -9 at random moments of a sample run with 2 workers (3 trials), then a clean rerun must give the baseline bytes."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, deterministic_files, run_cli

TRIALS = 3
STARTUP = 2.0  # seconds from the start of the CLI to its first output (imports, the graph)


def _run_seconds(outputs: Path) -> float:
    """How long an uninterrupted sample run took here: the span of its outputs' times, plus start-up."""
    times = [path.stat().st_mtime for path in outputs.rglob("*") if path.is_file()]
    return STARTUP + max(times) - min(times)


def _killed_run(outputs: Path, after: float) -> int | None:
    """Start a sample run with 2 workers, kill -9 its whole process group `after` s later; its exit code
    if it finished first."""
    env = {**os.environ, "ARTIFACT_OUTPUTS": str(outputs), "MPLBACKEND": "Agg"}
    process = subprocess.Popen(
        [sys.executable, "-m", "artifact", "reproduce", "--profile", "sample", "--workers", "2"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        return process.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the CLI and its forked workers, mid-write or not
        process.wait()
        _wait_until_group_is_dead(process.pid)
        return None


def _wait_until_group_is_dead(group: int, seconds: float = 10.0) -> None:
    """Wait until no live (non-zombie) process of `group` remains: a worker takes a moment to die."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if len(fields) > 2 and fields[2] == str(group) and fields[0] != "Z":
                alive.append(stat)
        if not alive:
            return
        time.sleep(0.05)
    raise AssertionError(f"processes of group {group} still alive {seconds} s after kill -9")


def test_kill_9_at_random_moments_then_a_clean_rerun_gives_the_baseline(tmp_path: Path, sample_outputs: Path) -> None:
    seed = random.randrange(1 << 30)
    latest = _run_seconds(sample_outputs)  # kill before a run would end on this machine, at any moment up to it
    rng = random.Random(seed)
    moments = sorted(rng.uniform(0.3, latest) for _ in range(TRIALS))
    for moment in moments:
        _killed_run(tmp_path, moment)
    # The killed runs fork workers; the rerun that must recover from what they left needs none (one worker:
    # each forked task would import the scientific stack again; the bytes do not depend on the worker count).
    result = run_cli("reproduce", "--profile", "sample", "--workers", "1", env={"ARTIFACT_OUTPUTS": str(tmp_path)})
    note = f"(kills at {[round(m, 2) for m in moments]} s of a {latest:.1f} s run, seed {seed})"
    assert result.returncode == 0, f"{note}\n{result.stdout}{result.stderr}"
    outputs = tmp_path / "sample"
    assert not list(outputs.rglob("*.tmp")), note  # no leftover survives the rerun
    assert deterministic_files(outputs) == deterministic_files(sample_outputs), note
    # and `compare` says of it exactly what it says of an uninterrupted run
    compared = run_cli("compare", "--profile", "sample", env={"ARTIFACT_OUTPUTS": str(tmp_path)})
    reference = run_cli("compare", "--profile", "sample", env={"ARTIFACT_OUTPUTS": str(sample_outputs.parent)})
    assert compared.returncode == reference.returncode, note
    assert compared.stdout.replace(str(tmp_path), "") == reference.stdout.replace(str(sample_outputs.parent), ""), note
