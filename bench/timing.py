"""What the benches share: timed stages, measurements in a fresh interpreter, medians, the load.

A measurement runs in a child process so that its peak resident memory (getrusage ru_maxrss) is
its own and what was built before it does not count. The child prints one `name<TAB>wall<TAB>cpu`
line per stage and a `peak_mb` line; `run_child` reads them back.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from artifact.config import child_environment, prefer_reusing_arrow_pool

T = TypeVar("T")
PEAK = "peak_mb"
ROOT = Path(__file__).resolve().parent.parent  # the checkout, so that `python -m bench.<name>` finds the package


class Stages:
    """Wall and CPU seconds of named stages, in order."""

    def __init__(self) -> None:
        self.times: dict[str, tuple[float, float]] = {}

    def run(self, name: str, step: Callable[[], T]) -> T:
        """Run `step`, record its wall and CPU seconds under `name`, return its result."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.times[name] = (time.perf_counter() - wall, time.process_time() - cpu)
        return result

    def print(self) -> None:
        """The child's report: one line per stage, then the peak resident memory of this process."""
        for name, (wall, cpu) in self.times.items():
            print(f"{name}\t{wall:.3f}\t{cpu:.3f}")
        print(f"{PEAK}\t{peak_mb():.0f}\t0")


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(module: str, args: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Run `python -m module args` in a fresh interpreter; its stages (wall, cpu) and `peak_mb`."""
    environment = child_environment({})
    prefer_reusing_arrow_pool(environment)  # Arrow's memory pool as `python -m artifact` chooses it
    child = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT, env=environment, check=False)
    if child.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed ({child.returncode}):\n{child.stdout}{child.stderr}")
    results = {}
    for line in child.stdout.splitlines():
        name, wall, cpu = line.split("\t")
        results[name] = (float(wall), float(cpu))
    return results


def medians(runs: Sequence[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Per stage, the median wall and the median CPU seconds over `runs` (same stages in each)."""
    return {
        name: (statistics.median(r[name][0] for r in runs), statistics.median(r[name][1] for r in runs)) for name in runs[0]
    }


def load_note() -> str:
    """How busy the machine is: cores and the 1-minute load average."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"


def verdict(failures: Sequence[str], targets: str) -> int:
    """Print the bench's last line: the targets missed, or that it is within `targets`; its exit code."""
    print("OUTSIDE the targets: " + "; ".join(failures) if failures else f"within the targets ({targets})")
    return 1 if failures else 0
