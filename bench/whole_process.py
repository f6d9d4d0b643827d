"""Whole-process times of the runs users repeat (cold and no-op runs of sample and esem2024) against their targets.

Each measurement is `python -m artifact reproduce --profile P --claims-never-fail` in a child process,
`REPEATS` times (medians of wall seconds and of the child's CPU seconds from getrusage), into a
temporary outputs folder and a temporary download cache. One untimed run per profile first puts its
inputs in that cache (copied from ARTIFACT_CACHE, else from ARTIFACT_MIRROR) and its derived results
(`<cache>/derived/`: the authors' PDFs read, the witness's results), so that no timed run downloads.
- cold: the profile's outputs folder emptied before each run; "derived cold" also empties
  `<cache>/derived/` (the first run on a new machine), "derived warm" keeps it;
- no-op: everything already up to date, nothing to run.
Fails when a median misses its target (`TARGETS`); a scenario without a target is printed only.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from artifact.config import Settings, child_environment
from bench.timing import ROOT, load_note, verdict

REPEATS = 3
DERIVED = "derived"


@dataclass(frozen=True)
class Scenario:
    """One measured run: its profile, whether outputs and derived results are emptied first, its target in seconds."""

    name: str
    profile: str
    empty_outputs: bool
    empty_derived: bool
    target_s: float | None


TARGETS = (
    Scenario("sample cold, derived cold", "sample", True, True, None),
    Scenario("sample cold, derived warm", "sample", True, False, 8.0),
    Scenario("sample no-op", "sample", False, False, 1.0),
    Scenario("esem2024 cold, PDF cache cold", "esem2024", True, True, 8.0),
    Scenario("esem2024 cold, PDF cache warm", "esem2024", True, False, 4.0),
    Scenario("esem2024 no-op", "esem2024", False, False, 1.0),
)


def reproduce(profile: str, outputs: Path, cache: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one whole `reproduce` process (exit 3, a claim that differs, is a finding)."""
    command = [sys.executable, "-m", "artifact", "reproduce", "--profile", profile, "--claims-never-fail"]
    env = child_environment({"ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_CACHE": str(cache)})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"reproduce --profile {profile} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(scenario: Scenario, outputs: Path, cache: Path, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `scenario`, `repeats` times."""
    times = []
    for _ in range(repeats):
        if scenario.empty_outputs:
            shutil.rmtree(outputs / scenario.profile, ignore_errors=True)
        if scenario.empty_derived:
            shutil.rmtree(cache / DERIVED, ignore_errors=True)
        times.append(reproduce(scenario.profile, outputs, cache))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def seed_cache(cache: Path) -> None:
    """A copy of the inputs already in ARTIFACT_CACHE, without its derived results (the user's cache is never written)."""
    source = Settings.from_env().cache_dir
    if source.is_dir():
        shutil.copytree(source, cache, ignore=shutil.ignore_patterns(DERIVED), dirs_exist_ok=True)


def main(argv: list[str] | None = None) -> int:
    """Measure every scenario of TARGETS, print the table, fail when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    profiles = sorted({s.profile for s in TARGETS})
    parser.add_argument("--profile", action="append", choices=profiles, help="measure only this profile's scenarios (repeatable)")
    args = parser.parse_args(argv)
    scenarios = [s for s in TARGETS if s.profile in (args.profile or profiles)]
    failures = []
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as folder:
        outputs, cache = Path(folder) / "outputs", Path(folder) / "cache"
        seed_cache(cache)
        for profile in dict.fromkeys(s.profile for s in scenarios):
            reproduce(profile, outputs, cache)  # untimed: the inputs and derived results at hand
        print(f"{'scenario':<32} {'wall s':>7} {'cpu s':>7} {'target s':>8}  ({args.repeats} runs each, medians; {load_note()})")
        for scenario in scenarios:
            wall, cpu = measure(scenario, outputs, cache, args.repeats)
            target = f"{scenario.target_s:8.1f}" if scenario.target_s is not None else f"{'-':>8}"
            print(f"{scenario.name:<32} {wall:7.2f} {cpu:7.2f} {target}")
            if scenario.target_s is not None and wall > scenario.target_s:
                failures.append(f"{scenario.name}: {wall:.2f} s, target {scenario.target_s:g} s")
    return verdict(failures, "every whole-process time within its target")


if __name__ == "__main__":
    sys.exit(main())
