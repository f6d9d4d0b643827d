"""The report's account of the software and of this run: packages pinned, wall time, peak memory, tasks."""

from __future__ import annotations

import time

import pandas as pd

from artifact.report.provenance import PACKAGES, environment, lock_sha256, numeric_platform, peak_memory_mib
from artifact.report.render import ThisRun


def this_run(timings: pd.DataFrame | None, started: float) -> ThisRun:
    """Wall time, peak memory (the largest process: each task recorded its own in `timings`, the run's
    timings table or None) and the tasks of this run."""
    if timings is None or not started:
        ran = pd.DataFrame(columns=["task", "seconds", "peak_mib", "finished"])
    else:
        ran = timings[pd.to_numeric(timings["finished"], errors="coerce") >= started].drop_duplicates("task")
    peaks = [float(peak) for peak in ran["peak_mib"]] + [peak_memory_mib()]
    facts = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)) if started else "not given"}
    if started:
        facts["wall time until the report"] = f"{time.time() - started:.1f} s"
    facts["peak resident memory (largest process of the run)"] = f"{max(peaks):.0f} MiB"
    facts.update({key: value for key, value in environment().items() if key not in PACKAGES})
    facts.update(numeric_platform())
    tasks = [(row.task, row.seconds, row.peak_mib) for row in ran.sort_values("task").itertuples()]
    return ThisRun(facts, tasks)


def software() -> dict[str, str]:
    """What fixes the software of every run of this code: the lock file and the packages it pins."""
    facts = {"requirements.lock sha256": lock_sha256()}
    facts.update({package: version for package, version in environment().items() if package in PACKAGES})
    return facts
