"""Peak memory in the report is the largest process of the run, measured in the process that ran each task."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest

from tasks import progress
from tasks.base import ProfileTask
from tasks.report import _this_run

ALLOCATED_MIB = 400


class Hungry(ProfileTask):
    """A task that only exists to be recorded."""

    def output(self):
        return self.out("tables/hungry.csv")


def _run_in_forked_worker(task: ProfileTask) -> None:
    """As Luigi's forked workers do: run in a child, record the task's end there, exit."""
    pid = os.fork()
    if pid == 0:  # the worker: allocate and touch the memory, then record as the SUCCESS handler does
        ballast = b"\x01" * (ALLOCATED_MIB * 1024 * 1024)
        progress._record_timing(task, 0.5)
        os._exit(0 if ballast else 1)
    assert os.waitpid(pid, 0)[1] == 0


def test_peak_memory_is_that_of_the_largest_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path))
    monkeypatch.setenv(progress.RUN_STARTED, "1700000000.0")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert own < ALLOCATED_MIB, "the test process itself must stay below the worker's peak"
    _run_in_forked_worker(Hungry(profile="p"))
    run = _this_run(tmp_path / "p")
    peak = float(run.facts["peak resident memory (largest process of the run)"].removesuffix(" MiB"))
    assert peak >= ALLOCATED_MIB
    assert [task for task, _, _ in run.tasks] == ["Hungry(profile=p)"]


def test_tasks_of_earlier_runs_are_not_this_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path))
    monkeypatch.setenv(progress.RUN_STARTED, "1.0")
    _run_in_forked_worker(Hungry(profile="p"))
    monkeypatch.setenv(progress.RUN_STARTED, "2.0")
    run = _this_run(tmp_path / "p")
    assert run.tasks == []
    assert float(run.facts["peak resident memory (largest process of the run)"].removesuffix(" MiB")) < ALLOCATED_MIB
