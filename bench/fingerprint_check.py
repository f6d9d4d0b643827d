"""The fingerprint check of a complete independent run: how long deciding "nothing to rerun" takes.

Runs `reproduce --profile independent` into a temporary outputs folder (or takes a complete run
given with `--outputs`), then, `REPEATS` times each in a fresh process:
- `check`: `reproduce --dry-run` called in the process after its imports, i.e. the completeness of
  every task of the graph (inputs at hand, each task's fingerprint against today's code, inputs,
  lock file and parameters);
- `dry-run process`: the same command as a whole process, interpreter start and imports included.
Prints the medians; fails when the check takes `TARGET_S` or more, or when it finds a task to run.
Needs the independent profile's inputs (ARTIFACT_MIRROR or the cache).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from artifact.config import child_environment
from bench.timing import ROOT, load_note, verdict

PROFILE = "independent"
REPEATS = 3
TARGET_S = 1.0
DRY_RUN = ["reproduce", "--profile", PROFILE, "--dry-run"]
NOTHING_TO_RUN = "0 tasks would run"


def check() -> tuple[float, str]:
    """Seconds of the dry run in this process once everything is imported, and what it printed."""
    import tasks.pipeline  # noqa: F401 - imported before the clock starts, as a long-lived process would have it
    from artifact.cli import main

    printed = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        code = main(DRY_RUN)
    seconds = time.perf_counter() - start
    if code != 0:
        raise RuntimeError(f"reproduce --dry-run exited {code}:\n{printed.getvalue()}")
    return seconds, printed.getvalue()


def complete_run(outputs: Path) -> None:
    """A full run of the profile into `outputs` (exit 3, a claim that differs, is a finding, not a failure)."""
    env = child_environment({"ARTIFACT_OUTPUTS": str(outputs)})
    command = [sys.executable, "-m", "artifact", "reproduce", "--profile", PROFILE, "--workers", "2"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 3):
        raise RuntimeError(f"reproduce --profile {PROFILE} failed ({result.returncode}):\n{result.stdout}{result.stderr}")


def measure(outputs: Path, repeats: int) -> tuple[list[float], list[float], str]:
    """In-process check seconds, whole-process seconds (each `repeats` times) and the last plan printed."""
    env = child_environment({"ARTIFACT_OUTPUTS": str(outputs)})
    checks, processes, plan = [], [], ""
    for _ in range(repeats):
        child = subprocess.run([sys.executable, "-m", __spec__.name, "--check"], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            raise RuntimeError(f"the check failed:\n{child.stdout}{child.stderr}")
        seconds, plan = child.stdout.split("\n", 1)
        checks.append(float(seconds))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "artifact", *DRY_RUN], env=env, cwd=ROOT, capture_output=True, check=True)
        processes.append(time.perf_counter() - start)
    return checks, processes, plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outputs", type=Path, help="a complete run's outputs folder (default: run one in a temporary folder)")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="measurements of each kind (default %(default)s)")
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)  # a child's job
    args = parser.parse_args(argv)
    if args.check:
        seconds, plan = check()
        print(f"{seconds:.4f}\n{plan}", end="")
        return 0
    with tempfile.TemporaryDirectory(prefix="fingerprint-bench-") as folder:
        outputs = args.outputs or Path(folder)
        if args.outputs is None:
            start = time.perf_counter()
            complete_run(outputs)
            print(f"complete run of {PROFILE} in {time.perf_counter() - start:.0f} s (not timed against the target)")
        checks, processes, plan = measure(outputs, args.repeats)
    summary = plan.strip().splitlines()[-1] if plan.strip() else "(nothing printed)"
    check_s = statistics.median(checks)
    print(f"fingerprint check of the whole graph: {check_s:.3f} s (median of {len(checks)}: "
          + ", ".join(f"{s:.3f}" for s in checks) + ")")
    print(f"`reproduce --dry-run` as a whole process: {statistics.median(processes):.2f} s (median); {load_note()}")
    print(f"plan: {summary}")
    failures = []
    if not summary.startswith(NOTHING_TO_RUN):
        failures.append("the complete run is not seen as complete")
    if check_s >= TARGET_S:
        failures.append(f"the check takes {TARGET_S:g} s or more")
    return verdict(failures, f"< {TARGET_S:g} s")


if __name__ == "__main__":
    sys.exit(main())
