"""One line per task as it starts and ends, with elapsed time (works in forked workers too).

Importing this module registers the Luigi event handlers, once per process.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import luigi

from artifact.atomic import append_record, atomic_path
from artifact.report.provenance import peak_memory_mib

if TYPE_CHECKING:
    import pandas as pd

TIMINGS = "run/timings.tsv"
# One line per output of each task that succeeded: `finished` (epoch seconds) tells the report
# which lines are of its own run (those after its `started`).
TIMINGS_COLUMNS = ("output", "task", "code", "seconds", "peak_mib", "finished")
MAX_TIMINGS_BYTES = 16 * 2**20  # runs append ~100 B a task; the report needs only the last run's lines, at the end
ERRORS = "run/errors"  # <task id>.txt: the error of a task that failed in the latest run
RAN = "run/ran"  # <run token>/<task id>: tasks this process (or its forked workers) completed

_clock = {"start": time.monotonic(), "token": ""}


def restart_clock() -> str:
    """Measure elapsed times from now and start a new record of tasks run here; returns its token."""
    _clock["start"] = time.monotonic()
    _clock["token"] = f"{os.getpid()}-{time.time_ns()}"
    return _clock["token"]


def ran_here(root: Path, token: str) -> set[str]:
    """Ids of the tasks that succeeded in the run of `token` (forked workers included); the record goes."""
    folder = root / RAN / token
    ids = {path.name for path in folder.iterdir()} if folder.is_dir() else set()
    shutil.rmtree(folder, ignore_errors=True)
    return ids


def _line(status: str, task: luigi.Task, seconds: float | None = None) -> None:
    elapsed = time.monotonic() - _clock["start"]
    took = f" ({seconds:.2f} s)" if seconds is not None else ""
    print(f"[{elapsed:7.2f} s] {status:<6} {task}{took}", file=sys.stderr, flush=True)


def _task_seconds(task: luigi.Task) -> float:
    return time.monotonic() - getattr(task, "_progress_started", time.monotonic())


@luigi.Task.event_handler(luigi.Event.START)
def _started(task: luigi.Task) -> None:
    task._progress_started = time.monotonic()
    _line("start", task)


@luigi.Task.event_handler(luigi.Event.SUCCESS)
def _succeeded(task: luigi.Task) -> None:
    seconds = _task_seconds(task)
    _line("done", task, seconds)
    _record_timing(task, seconds)
    _record_ran(task)


def _record_ran(task: luigi.Task) -> None:
    """Mark the task as run by this process's run (other processes sharing a scheduler keep their own)."""
    root = getattr(task, "root", None)
    if root is None or not _clock["token"]:
        return
    folder = root / RAN / _clock["token"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / task.task_id).touch()


def _record_timing(task: luigi.Task, seconds: float) -> None:
    """Append TIMINGS_COLUMNS lines for the report; one short write per task.

    The peak memory is read here, in the process that ran the task (a forked worker ends right
    after), which is the only place it is true.
    """
    root = getattr(task, "root", None)
    if root is None:
        return
    code = Path(sys.modules[type(task).__module__].__file__ or "").name
    peak, finished = f"{peak_memory_mib():.0f}", f"{time.time():.3f}"
    lines = "".join(
        f"{Path(target.path).relative_to(root)}\t{task}\ttasks/{code}\t{seconds:.2f}\t{peak}\t{finished}\n"
        for target in luigi.task.flatten(task.output())
        if Path(target.path).is_relative_to(root)
    )
    if lines:
        append_record(root / TIMINGS, lines)


@luigi.Task.event_handler(luigi.Event.FAILURE)
def _failed(task: luigi.Task, exception: BaseException) -> None:
    _line("FAILED", task, _task_seconds(task))
    print(f"           {type(exception).__name__}: {exception}", file=sys.stderr, flush=True)
    root = getattr(task, "root", None)
    if root is not None:  # read by the CLI's summary (forked workers cannot hand it back otherwise)
        with atomic_path(root / ERRORS / f"{task.task_id}.txt") as tmp:
            tmp.write_text(f"{type(exception).__name__}: {exception}\n")


def read_timings(root: Path) -> pd.DataFrame | None:
    """The TIMINGS table of the profile folder `root` (TIMINGS_COLUMNS, as text), or None before any task recorded."""
    import pandas as pd  # here: the CLI imports this module, and most of its commands never read the timings

    path = root / TIMINGS
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        size = handle.seek(0, io.SEEK_END)
        handle.seek(max(0, size - MAX_TIMINGS_BYTES))
        data = handle.read(MAX_TIMINGS_BYTES)
    if size > MAX_TIMINGS_BYTES:  # the tail only, from its first whole line: earlier runs' lines are not this run's
        data = data.partition(b"\n")[2]
    if not data.strip():
        return pd.DataFrame(columns=list(TIMINGS_COLUMNS), dtype=str)
    return pd.read_csv(io.BytesIO(data), sep="\t", header=None, names=list(TIMINGS_COLUMNS), dtype=str)
