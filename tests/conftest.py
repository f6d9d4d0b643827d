"""Shared fixtures: running the CLI in a subprocess with its own outputs folder, and the session's whole runs.

A whole run of a profile that tests only read is made once per test session (`session_run`), whichever
pytest-xdist worker asks first, while the other waits on its lock; its outcome is recorded, so a failed
run is reported to every test that needs it and not run again. Tests read it in place and may not
change it: the `*_outputs` fixtures fail a test that did (copy the folder into tmp_path first).
Tests about workers, schedulers, kills, faults or changed code or inputs make runs of their own.
Every test and run uses the session's own download cache (`session_cache`, tests/session_cache.py), never the user's.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from artifact.config import Settings
from artifact.report.render import stable_part
from tests.session_cache import DERIVED, copy_files, keep, seed, users

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "expected_outputs"

# The run log carries times and memory of the run, and so does the reports' "This run" section;
# every other output, and the reports without that section, are deterministic.
RUN_SPECIFIC = ("run/",)
REPORTS = ("REPORT.md", "report.html")


def deterministic_files(root: Path) -> dict[str, bytes]:
    """Every deterministic output file under `root` by relative path (the reports without "This run")."""
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {
        name: stable_part(data.decode()).encode() if name in REPORTS else data
        for name, data in files.items()
        if not name.startswith(RUN_SPECIFIC)
    }


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run `python -m artifact ARGS` with the test's environment; capture its output."""
    full_env = {**os.environ, "MPLBACKEND": "Agg", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "artifact", *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600, check=False
    )


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every worker of this test session shares (pytest-xdist's workers each have their own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Path]:
    """The download cache of this test session (ARTIFACT_CACHE of every test and run), seeded once from the user's
    cache and the derived results earlier sessions kept; at the end its derived results are kept for the next session
    and the last worker using it removes it."""
    shared = shared_folder(tmp_path_factory)
    cache, seeded = shared / "cache", shared / "cache.seeded"
    kept = pytestconfig.cache.mkdir("artifact-derived") if getattr(pytestconfig, "cache", None) else None
    with FileLock(shared / "cache.lock"):
        if not seeded.is_file():
            seed(cache, Settings.from_env().cache_dir, kept)
            seeded.touch()
        users(shared / "cache.users", +1)
    with pytest.MonkeyPatch.context() as patch:  # the user's setting back afterwards
        patch.setenv("ARTIFACT_CACHE", str(cache))
        yield cache
    if kept is not None:
        with FileLock(kept.parent / f"{kept.name}.lock"):
            keep(cache, kept)
    with FileLock(shared / "cache.lock"):
        if users(shared / "cache.users", -1) == 0:  # the last worker using it
            shutil.rmtree(cache)
            seeded.unlink()


@dataclass(frozen=True)
class FinishedRun:
    """A whole run of `reproduce`: its profile's outputs folder, exit code, what it printed, and the
    size and mtime of every path under the outputs when it ended."""

    outputs: Path
    returncode: int
    stdout: str
    stderr: str
    files: dict[str, list[int]]

    @property
    def log(self) -> str:
        """What the run printed, for an assertion's message."""
        return self.stdout + self.stderr


def session_run(factory: pytest.TempPathFactory, name: str, profile: str, *options: str,
                env: Callable[[Path], dict[str, str]] | None = None) -> FinishedRun:
    """`reproduce --profile PROFILE OPTIONS` run once per test session in the shared folder `name`
    (outputs in `name`/out; `env(folder)`: more settings), by whichever worker comes first."""
    shared = shared_folder(factory)
    root, record = shared / name, shared / f"{name}.json"
    with FileLock(shared / f"{name}.lock"):
        if not record.is_file():
            shutil.rmtree(root, ignore_errors=True)  # what a run stopped before its end left
            root.mkdir()
            settings = {"ARTIFACT_OUTPUTS": str(root / "out"), **(env(root) if env else {})}
            result = run_cli("reproduce", "--profile", profile, *options, env=settings)
            outcome = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr,
                       "files": _listing(root / "out" / profile)}
            record.write_text(json.dumps(outcome))
    return FinishedRun(root / "out" / profile, **json.loads(record.read_text()))


def _listing(folder: Path) -> dict[str, list[int]]:
    """Size and modification time of every file and folder under `folder`: what a change would move."""
    return {str(p.relative_to(folder)): [p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(folder.rglob("*"))}


@contextlib.contextmanager
def untouched(run: FinishedRun) -> Iterator[FinishedRun]:
    """The run for one test, which fails if it changed the run's outputs (they are the session's)."""
    yield run
    after = _listing(run.outputs)
    changed = sorted(name for name in run.files.keys() | after.keys() if run.files.get(name) != after.get(name))
    assert not changed, f"this test changed the session's run {run.outputs} (copy it into tmp_path first): {changed[:10]}"


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> FinishedRun:
    """The sample profile's run of this test session, with 2 workers (the kill test times its window by it)."""
    run = session_run(tmp_path_factory, "sample-run", "sample", "--workers", "2")
    assert run.returncode == 0, run.log
    return run


@pytest.fixture
def sample_outputs(sample_run: FinishedRun) -> Iterator[Path]:
    """The sample profile's outputs, computed once per test session; read only (see `untouched`)."""
    with untouched(sample_run):
        yield sample_run.outputs


@pytest.fixture(scope="session")
def esem2024_offline_run(tmp_path_factory: pytest.TempPathFactory, session_cache: Path) -> FinishedRun:
    """The paper's profile from the mirror alone (ARTIFACT_OFFLINE=1, a cache of its own: none of the session's downloads,
    a copy of its derived results, each checked before use), with 1 worker; what it derived anew goes to the session's cache."""

    def offline(root: Path) -> dict[str, str]:
        seed(root / "cache", None, session_cache / DERIVED)
        return {"ARTIFACT_CACHE": str(root / "cache"), "ARTIFACT_OFFLINE": "1"}

    run = session_run(tmp_path_factory, "esem2024-offline-run", "esem2024", "--workers", "1", env=offline)
    derived = session_cache / DERIVED  # what it derived anew (the session's code digests may have grown meanwhile)
    copy_files(run.outputs.parent.parent / "cache" / DERIVED, derived, lambda relative: not (derived / relative).exists())
    return run


@pytest.fixture
def esem2024_offline(esem2024_offline_run: FinishedRun) -> Iterator[FinishedRun]:
    """That run for one test; read only (see `untouched`)."""
    with untouched(esem2024_offline_run) as run:
        yield run



# Modules whose tests each make whole runs of their own (workers, schedulers, kills, faults): under
# `--dist loadfile` (make test) each of their tests is a work unit of its own, spread over the workers,
# while any other module stays on one worker (its module fixtures made once).
SPREAD = frozenset({
    "tests/differential/test_witness_differential.py", "tests/e2e/test_cli.py", "tests/e2e/test_extended.py",
    "tests/e2e/test_fingerprints.py", "tests/e2e/test_plain_luigi.py", "tests/e2e/test_scheduler.py",
    "tests/faults/test_disk_faults.py", "tests/faults/test_output_faults.py",
})

# The longest work units (a module, or a test of a SPREAD module), handed out first, longest first, so that
# none starts last while the other worker has nothing left (pytest-xdist would hand out the modules with
# most tests first and these single tests last). The first two start the independent run of the session and a
# sample run of one worker side by side: on a session's first run (nothing derived kept, see `session_cache`) that
# one computes what the sample's runs derive and reuse (the authors' scripts' outcomes, the code digests) before the
# session's sample run, with 2 workers, whose length times the kill test's window for runs that reuse them.
# Every other unit keeps pytest-xdist's order after them.
LONGEST_FIRST = (
    "tests/regression/test_independent_outputs.py",
    "tests/faults/test_output_faults.py::test_case10_an_edited_claims_table_is_made_again",
    "tests/faults/test_kill_faults.py",
    "tests/e2e/test_scheduler.py::test_luigid_with_two_workers_gives_the_local_outputs",
    "tests/e2e/test_esem2024_offline.py",
    "tests/regression/test_ulp_perturbation.py",
    "tests/e2e/test_extended.py::test_a_snapshot_adds_a_fifth_hf_column",
    "tests/e2e/test_scheduler.py::test_two_processes_share_the_graph_each_task_runs_once",
    "tests/e2e/test_cli.py::test_one_and_two_workers_give_byte_identical_outputs",
    "tests/e2e/test_plain_luigi.py::test_plain_luigi_gives_the_same_bytes",
    "tests/faults/test_registry_isolation.py",
    "tests/e2e/test_fingerprints.py::test_changed_metric_code_reruns_its_dependants_only",
    "tests/faults/test_disk_faults.py::test_case6_outputs_on_a_full_tmpfs_are_an_output_error_naming_the_path",
    "tests/faults/test_disk_faults.py::test_case6_outputs_beyond_a_file_size_limit_are_an_output_error_naming_the_path",
    "tests/e2e/test_peatmoss_cli.py",
)


def longest_first(units: list[str]) -> list[str]:
    """`units` (work units in pytest-xdist's order) with those named in LONGEST_FIRST first, in its order."""
    rank = {unit: index for index, unit in enumerate(LONGEST_FIRST)}
    return sorted(units, key=lambda unit: rank.get(unit, len(rank)))


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """pytest-xdist's loadfile scheduling, with the tests of the SPREAD modules as work units of their own,
    the LONGEST_FIRST units handed out first."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SpreadScheduling(LoadFileScheduling):
        ordered = False

        def _split_scope(self, nodeid: str) -> str:
            module = super()._split_scope(nodeid)
            return nodeid if module in SPREAD else module

        def _assign_work_unit(self, node: object) -> None:
            if not self.ordered:  # the first unit handed out: the queue is complete
                self.ordered = True
                units = {unit: self.workqueue[unit] for unit in longest_first(list(self.workqueue))}
                self.workqueue.clear()
                self.workqueue.update(units)
            super()._assign_work_unit(node)

    return SpreadScheduling(config, log)


COLLECTED = pytest.StashKey[int]()  # how many tests the session collected, before any was deselected


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the number of tests collected before `-k`, `-m`, `--deselect` or `--lf` take any away (read by `suite_size`)."""
    config.stash[COLLECTED] = len(items)


def suite_size(config: pytest.Config) -> int:
    """How many tests `pytest tests` collects: this session's count when it collected the whole suite, else a collection of its own.

    Under `make test` every pytest-xdist worker collects the whole suite, so no second collection
    (5 s) is made; a session given paths or `--ignore` collects the suite afresh in a child process.
    """
    whole = config.args_source == pytest.Config.ArgsSource.TESTPATHS and not config.getoption("ignore") and not config.getoption("ignore_glob")
    if whole and COLLECTED in config.stash:
        return config.stash[COLLECTED]
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", "tests"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )
    found = re.search(r"(\d+) tests? collected", collected.stdout)
    assert found, collected.stdout[-2000:] + collected.stderr[-2000:]
    return int(found.group(1))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave the session's objects to the system as the process exits, as the command line does
    (`artifact.cli.entry_point`): a worker's last collections over them took a second."""
    gc.freeze()
