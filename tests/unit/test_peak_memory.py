"""Peak memory in the report is the largest process of the run, measured in the process that ran each task."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import luigi
import pytest

from artifact.config import Settings
from artifact.report.this_run import this_run
from tasks import progress

MARGIN_MIB = 300  # the worker's ballast beyond the test process's own peak (a long pytest session grows)
PEAK = "peak resident memory (largest process of the run)"


class Hungry(luigi.Task):
    """A task that only exists to be recorded: its output lies under `root`, as a profile task's does."""

    folder = luigi.Parameter()

    @property
    def root(self) -> Path:
        return Path(self.folder)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(str(self.root / "tables" / "hungry.csv"))


def _run_in_forked_worker(task: luigi.Task, mib: int) -> None:
    """As Luigi's forked workers do: run in a child, record the task's end there, exit."""
    pid = os.fork()
    if pid == 0:  # the worker: allocate and touch the memory, then record as the SUCCESS handler does
        ballast = b"\x01" * (mib * 1024 * 1024)
        progress._record_timing(task, 0.5)
        os._exit(0 if len(ballast) == mib * 1024 * 1024 else 1)
    assert os.waitpid(pid, 0)[1] == 0


def _peak(facts: dict[str, str]) -> float:
    return float(facts[PEAK].removesuffix(" MiB"))


def _ballast_mib() -> int:
    """More than this process has ever held, so only the worker's peak can reach it."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024) + MARGIN_MIB


def test_peak_memory_is_that_of_the_largest_worker(tmp_path: Path) -> None:
    ballast = _ballast_mib()
    started = time.time()
    _run_in_forked_worker(Hungry(folder=str(tmp_path)), ballast)
    run = this_run(progress.read_timings(tmp_path), started, Settings.from_env({}))
    assert _peak(run.facts) >= ballast
    assert [task for task, _, _ in run.tasks] == [f"Hungry(folder={tmp_path})"]


def test_tasks_of_earlier_runs_are_not_this_runs(tmp_path: Path) -> None:
    ballast = _ballast_mib()
    _run_in_forked_worker(Hungry(folder=str(tmp_path)), ballast)
    run = this_run(progress.read_timings(tmp_path), time.time() + 1, Settings.from_env({}))
    assert run.tasks == [] and _peak(run.facts) < ballast


def test_timings_are_read_from_their_tail_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, new = "old.csv\tOld()\tc\t1.0\t10\t1.0\n", "new.csv\tNew()\tc\t2.0\t20\t2.0\n"
    (tmp_path / "run").mkdir()
    (tmp_path / progress.TIMINGS).write_text(old * 50 + new * 3)
    monkeypatch.setattr(progress, "MAX_TIMINGS_BYTES", len(new) * 3 + 5)  # the new lines and part of an old one
    assert progress.read_timings(tmp_path)["task"].tolist() == ["New()"] * 3
