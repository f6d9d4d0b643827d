"""The witness's children started early (artifact/authors/early.py): when, where, once, and stopped at the end."""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import luigi
import pytest

from artifact.authors import early
from artifact.authors.sandbox import RAN, Limits, Outcome, Script
from artifact.authors.witness_cache import Job, outcomes, python_job
from tasks.authors_code import WitnessTask
from tasks.base import EARLY, LATE

GIVEN = [Outcome(RAN, "", {})]  # no values: never kept in a cache


@pytest.fixture
def enabled() -> Iterator[None]:
    """Early starts enabled for the test, closed after it."""
    early.enable(1)
    try:
        yield
    finally:
        early.close()


def counting_job(key: str, calls: list[str], result: list[Outcome] | Exception = GIVEN) -> Job:
    """A job that notes the thread it ran in and gives `result` (or raises it)."""
    def run() -> list[Outcome]:
        calls.append(threading.current_thread().name)
        if isinstance(result, Exception):
            raise result
        return result
    return Job(key, (), run)


def test_a_job_starts_once_when_its_last_input_is_done(enabled: None) -> None:
    started = []
    early.done("a")
    early.expect("w", ["a", "b"], lambda: started.append("w"))
    assert started == []
    early.done("b")
    early.expect("w", ["a", "b"], lambda: started.append("again"))
    early.done("b")
    assert started == ["w"]


def test_nothing_starts_unless_enabled() -> None:
    started = []
    early.expect("w", [], lambda: started.append("w"))
    assert started == [] and early.take("k") is None


def _report_active(queue: multiprocessing.Queue) -> None:
    queue.put((early.active(), early.take("k")))


def test_a_forked_process_finds_its_parents_starter_inactive(enabled: None) -> None:
    calls: list[str] = []
    early.start(counting_job("k", calls), None, lambda: None)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_report_active, args=(queue,))
    child.start()
    child.join(30)
    assert queue.get(timeout=5) == (False, None)  # would wait on a future whose thread it does not have
    assert early.take("k") == GIVEN


def test_outcomes_come_from_the_early_start_and_a_failed_start_runs_again(enabled: None) -> None:
    calls: list[str] = []
    early.start(counting_job("k", calls), None, lambda: None)
    assert outcomes(counting_job("k", calls), None) == GIVEN
    assert len(calls) == 1 and calls[0].startswith("witness-early")
    failing: list[str] = []
    early.start(counting_job("f", failing, OSError("disk full")), None, lambda: None)
    assert outcomes(counting_job("f", failing), None) == GIVEN  # run again, in the task
    assert failing[0].startswith("witness-early") and failing[1] == threading.current_thread().name


def test_a_key_starts_once_and_its_folder_is_cleaned(enabled: None) -> None:
    calls: list[str] = []
    cleaned: list[str] = []
    early.start(counting_job("k", calls), None, lambda: cleaned.append("first"))
    early.start(counting_job("k", calls), None, lambda: cleaned.append("second"))
    assert early.take("k") == GIVEN and len(calls) == 1 and sorted(cleaned) == ["first", "second"]


def test_close_kills_a_child_still_running(tmp_path: Path) -> None:
    script_path = tmp_path / "sleep.py"
    script_path.write_text("import time\ntime.sleep(60)\n")
    script = Script(script_path, hashlib.sha256(script_path.read_bytes()).hexdigest(), "sleep.py")
    early.enable(1)
    early.start(python_job([(script, "")], {}, Limits(seconds=90, memory_bytes=1024 * 2**20), where=tmp_path), None, lambda: None)
    time.sleep(1.5)  # the child is running
    begun = time.perf_counter()
    early.close()
    assert time.perf_counter() - begun < 10 and not early.active()


class _Prepared(luigi.Task):
    """A witness task's input."""

    folder = luigi.Parameter()
    priority = EARLY

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(f"{self.folder}/prepared")

    def run(self) -> None:
        Path(self.output().path).write_text("x")


class _Other(luigi.Task):
    """A task scheduled after the input: it sees the witness's child run meanwhile."""

    folder = luigi.Parameter()
    calls: list[str] = []
    seen: list[tuple[bool, bool]] = []

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(f"{self.folder}/other")

    def run(self) -> None:
        deadline = time.monotonic() + 20
        while not self.calls and time.monotonic() < deadline:
            time.sleep(0.01)
        self.seen.append((bool(self.calls), bool(_Witness.found)))
        Path(self.output().path).write_text("x")


class _Witness(WitnessTask):
    """A witness task whose job notes where it ran."""

    folder = luigi.Parameter()
    found: list[list[Outcome]] = []

    def requires(self) -> _Prepared:
        return _Prepared(folder=self.folder)

    def output(self) -> luigi.LocalTarget:
        return luigi.LocalTarget(f"{self.folder}/witness")

    def complete(self) -> bool:
        return Path(self.output().path).exists()

    def record_fingerprint(self) -> None:
        """Nothing to record: not a task of the pipeline."""

    def scratch_root(self) -> Path:
        return Path(self.folder)

    def job(self, folder: Path) -> Job:
        return counting_job("witness-job", _Other.calls)

    def judge(self, found: list[Outcome]) -> None:
        self.found.append(found)
        Path(self.output().path).write_text("x")


class _Root(luigi.WrapperTask):
    folder = luigi.Parameter()
    priority = LATE

    def requires(self) -> list[luigi.Task]:
        return [_Witness(folder=self.folder), _Other(folder=self.folder)]


def test_in_a_run_the_witness_child_runs_beside_a_later_task_and_the_task_takes_its_outcomes(tmp_path: Path, enabled: None) -> None:
    assert luigi.build([_Root(folder=str(tmp_path))], local_scheduler=True, workers=1, log_level="CRITICAL")
    assert _Other.seen == [(True, False)]  # the child ran while _Other (priority 0) ran, before the witness task (LATE)
    assert len(_Other.calls) == 1 and _Other.calls[0].startswith("witness-early") and _Witness.found == [GIVEN]
