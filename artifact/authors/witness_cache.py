"""The outcomes of a sandboxed run kept per content: an unchanged script on unchanged bytes is not run again.

An entry is `<cache>/derived/authors-code/<key>.json`, where the key is the sha256 of everything the
outcomes follow from: the runner's code (sandbox.py and this module), the interpreter (Python's
version, or R's version line) and the versions of the packages the authors' scripts import, the
limits and the isolation, and each script's name, pin and driver (or R values), each file it
reads by name and sha256. The file's first line is the sha256 of the rest; an entry is used only
when that checksum and its key match, like any input, and is otherwise ignored: the scripts run and
the entry is written again. A run that hit a limit or gave no values at all (a sandbox that could
not be set up, no Rscript) is not kept: it runs again the next time. A run is a `Job` (`python_job`,
`r_job`); `outcomes` gives its outcomes through this cache (the tasks of tasks/authors_code.py call it).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from artifact.authors import early, sandbox
from artifact.authors.sandbox import MEMORY, TIMEOUT, Limits, Outcome, Script, check_pin, r_version, run_python_many, run_r_many
from artifact.checked_json import code_hash, read_checked, write_checked
from artifact.inputs.digests import sha256_of

FOLDER = "derived/authors-code"
MAX_ENTRY_BYTES = sandbox.MAX_RESULT_BYTES + 4096  # an entry holds one result file's values and a header
PACKAGES = ("numpy", "pandas", "matplotlib", "scipy", "SQLAlchemy", "progress")  # what the authors' Python scripts import


@cache
def runner_hash() -> str:
    """The hash of the code and software a run's outcomes follow from (besides its scripts and files)."""
    return code_hash((sandbox.__file__, __file__), PACKAGES, sys.version)


@dataclass(frozen=True)
class Job:
    """One sandboxed child to run: its content key, its scripts (each pin checked before its outcomes are used), how to run it."""

    key: str
    scripts: tuple[Script, ...]
    run: Callable[[], list[Outcome]]


def python_job(runs: Sequence[tuple[Script, str]], files: Mapping[str, Path], limits: Limits | None = None,
               folders: tuple[str, ...] = (), where: Path | None = None) -> Job:
    """`run_python_many` (isolated where the system allows; default limits) as a job; its child's folder made in `where`."""
    limits = limits or Limits()
    plan = [[script.name, script.sha256, driver] for script, driver in runs]
    key = run_key("python", plan, files, (limits, folders, sandbox.isolation_available()))
    return Job(key, tuple(script for script, _ in runs), lambda: run_python_many(runs, files, limits, folders=folders, where=where))


def r_job(runs: Sequence[tuple[Script, Mapping[str, str]]], files: Mapping[str, Path], limits: Limits | None = None,
          where: Path | None = None) -> Job:
    """`run_r_many` (isolated where the system allows; default limits) as a job; its child's folder made in `where`."""
    limits = limits or Limits()
    plan = [[script.name, script.sha256, dict(values)] for script, values in runs]
    key = run_key(r_version(), plan, files, (limits, sandbox.isolation_available()))
    return Job(key, tuple(script for script, _ in runs), lambda: run_r_many(runs, files, limits, where=where))


def outcomes(job: Job, cache_dir: Path | None) -> list[Outcome]:
    """The job's outcomes, every pin checked first: those of its early start (`early.take`), else kept in `cache_dir`, else run."""
    for script in job.scripts:
        check_pin(script)
    started = early.take(job.key)
    return started if started is not None else remembered(cache_dir, job.key, job.run)


def run_key(interpreter: str, plan: Sequence[object], files: Mapping[str, Path], setting: object) -> str:
    """The key of a run: the runner, `interpreter` (e.g. R's version line), the `plan` (scripts with their pins and
    drivers), each file by name and sha256, and `setting` (limits, isolation)."""
    staged = {name: sha256_of(path) for name, path in sorted(files.items())}
    text = json.dumps([runner_hash(), interpreter, plan, staged, repr(setting)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def remembered(cache_dir: Path | None, key: str, run: Callable[[], list[Outcome]]) -> list[Outcome]:
    """The outcomes kept under `key` in `cache_dir`, or those of `run()` (then kept when they may be); no cache: `run()`."""
    if cache_dir is None:
        return run()
    path = cache_dir / FOLDER / f"{key}.json"
    kept = _read(path, key)
    if kept is not None:
        return kept
    outcomes = run()
    if all(outcome.values and outcome.status not in (TIMEOUT, MEMORY) for outcome in outcomes):
        _write(path, key, outcomes)
    return outcomes


def _read(path: Path, key: str) -> list[Outcome] | None:
    """The outcomes of the entry at `path`, or None when absent, too large, or failing its checksum or key."""
    stored = read_checked(path, MAX_ENTRY_BYTES)
    try:
        if stored is None or stored["key"] != key:
            return None
        return [Outcome(o["status"], o["reason"], o["values"], o["isolation"]) for o in stored["outcomes"]]
    except (KeyError, TypeError):
        return None


def _write(path: Path, key: str, outcomes: list[Outcome]) -> None:
    """Keep `outcomes` under `key`, atomically, with the checksum line (not when larger than a result file may be)."""
    records = [{"status": o.status, "reason": o.reason, "values": o.values, "isolation": o.isolation} for o in outcomes]
    write_checked(path, {"key": key, "outcomes": records}, sandbox.MAX_RESULT_BYTES)
