"""Whole-process times of the runs users repeat (cold and no-op runs of sample and esem2024) against their targets.

Each measurement is `python -m artifact reproduce --profile P --claims-never-fail` in a child process,
`REPEATS` times (medians of wall seconds and of the child's CPU seconds from getrusage), into a
temporary outputs folder and a temporary download cache. One untimed run per profile first puts its
inputs in that cache (copied from ARTIFACT_CACHE, else from ARTIFACT_MIRROR) and its derived results
(`<cache>/derived/`: the authors' PDFs read, the witness's results), so that no timed run downloads.
- cold: the profile's outputs folder emptied before each run; "derived cold" also empties
  `<cache>/derived/` (the first run on a new machine), "derived warm" keeps it;
- no-op: everything already up to date, nothing to run;
- "without the authors' code": the same first run from a cache without the authors' scripts and no
  mirror, so that the witness runs none: the reference the witness's cost is measured against
  (`WITNESS_BUDGET`, its share of a first cold sample run).
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
WITNESS_BUDGET = 0.20  # the most the witness may add to a first cold sample run (issue 24)


@dataclass(frozen=True)
class Scenario:
    """One measured run: its profile, whether outputs and derived results are emptied first, its target in seconds."""

    name: str
    profile: str
    empty_outputs: bool
    empty_derived: bool
    target_s: float | None
    authors_code: bool = True


TARGETS = (
    Scenario("sample cold, derived cold", "sample", True, True, None),
    Scenario("  without the authors' code", "sample", True, True, None, authors_code=False),
    Scenario("sample cold, derived warm", "sample", True, False, 8.0),
    Scenario("sample no-op", "sample", False, False, 1.0),
    Scenario("esem2024 cold, PDF cache cold", "esem2024", True, True, 8.0),
    Scenario("esem2024 cold, PDF cache warm", "esem2024", True, False, 4.0),
    Scenario("esem2024 no-op", "esem2024", False, False, 1.0),
)


def reproduce(profile: str, outputs: Path, cache: Path, mirror: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one whole `reproduce` process (exit 3, a claim that differs, is a finding); `mirror` replaces ARTIFACT_MIRROR."""
    command = [sys.executable, "-m", "artifact", "reproduce", "--profile", profile, "--claims-never-fail"]
    env = child_environment({"ARTIFACT_OUTPUTS": str(outputs), "ARTIFACT_CACHE": str(cache)} | ({"ARTIFACT_MIRROR": str(mirror)} if mirror else {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"reproduce --profile {profile} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(scenario: Scenario, folder: Path, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `scenario`, `repeats` times, in `folder` (outputs, caches)."""
    outputs, cache = folder / "outputs", folder / ("cache" if scenario.authors_code else "cache-without-scripts")
    times = []
    for _ in range(repeats):
        if scenario.empty_outputs:
            shutil.rmtree(outputs / scenario.profile, ignore_errors=True)
        if scenario.empty_derived:
            shutil.rmtree(cache / DERIVED, ignore_errors=True)
        times.append(reproduce(scenario.profile, outputs, cache, None if scenario.authors_code else folder / "no-mirror"))
    return statistics.median(t[0] for t in times), statistics.median(t[1] for t in times)


def seed_cache(cache: Path, without: frozenset[str] = frozenset()) -> None:
    """A copy of the inputs already in ARTIFACT_CACHE, without its derived results (the user's cache is never written)
    and without the files of sha256 `without`."""
    source = Settings.from_env().cache_dir
    if source.is_dir():
        shutil.copytree(source, cache, ignore=shutil.ignore_patterns(DERIVED, *(f"{sha256}*" for sha256 in without)), dirs_exist_ok=True)


def script_pins() -> frozenset[str]:
    """The sha256 of every script of the authors' the witness runs (the cache names its files by them)."""
    from artifact.authors.witness import INVENTORY
    from artifact.inputs.manifest import load_manifest

    manifest = load_manifest()
    return frozenset(manifest[known.input_id].sha256 for known in INVENTORY if known.input_id in manifest)


def witness_share(times: dict[str, tuple[float, float]]) -> str:
    """What the witness added to a first cold sample run, wall and CPU; a failure when over WITNESS_BUDGET (else empty)."""
    (wall, cpu), (wall_without, cpu_without) = times["sample cold, derived cold"], times["  without the authors' code"]
    print(f"the witness on a first cold sample run: {wall / wall_without - 1:+.0%} wall, {cpu / cpu_without - 1:+.0%} CPU "
          f"(budget {WITNESS_BUDGET:+.0%} of the wall time)")
    return "" if wall <= wall_without * (1 + WITNESS_BUDGET) else f"the witness adds {wall / wall_without - 1:.0%} to a first cold sample run"


def main(argv: list[str] | None = None) -> int:
    """Measure every scenario of TARGETS, print the table, fail when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=REPEATS)
    profiles = sorted({s.profile for s in TARGETS})
    parser.add_argument("--profile", action="append", choices=profiles, help="measure only this profile's scenarios (repeatable)")
    args = parser.parse_args(argv)
    scenarios = [s for s in TARGETS if s.profile in (args.profile or profiles)]
    failures = []
    with tempfile.TemporaryDirectory(prefix="bench-whole-") as name:
        folder = Path(name)
        seed_cache(folder / "cache")
        seed_cache(folder / "cache-without-scripts", script_pins())
        for profile in dict.fromkeys(s.profile for s in scenarios):
            reproduce(profile, folder / "outputs", folder / "cache")  # untimed: the inputs and derived results at hand
        print(f"{'scenario':<32} {'wall s':>7} {'cpu s':>7} {'target s':>8}  ({args.repeats} runs each, medians; {load_note()})")
        times = {}
        for scenario in scenarios:
            wall, cpu = times[scenario.name] = measure(scenario, folder, args.repeats)
            target = f"{scenario.target_s:8.1f}" if scenario.target_s is not None else f"{'-':>8}"
            print(f"{scenario.name:<32} {wall:7.2f} {cpu:7.2f} {target}")
            if scenario.target_s is not None and wall > scenario.target_s:
                failures.append(f"{scenario.name}: {wall:.2f} s, target {scenario.target_s:g} s")
        if "sample" in (args.profile or profiles):
            failures += filter(None, [witness_share(times)])
    return verdict(failures, "every whole-process time within its target")


if __name__ == "__main__":
    sys.exit(main())
