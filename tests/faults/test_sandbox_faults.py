"""The witness's sandbox holds each limit: time, memory, network, writes outside its folder, the pin."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from scipy import stats

from artifact.authors.sandbox import BLOCKED, FAILED, MEMORY, RAN, TIMEOUT, Limits, Script, isolation_available, run_python, run_r
from artifact.errors import ChecksumMismatchError

FAST = Limits(seconds=20, memory_bytes=1024 * 2**20)
ISOLATION = pytest.mark.parametrize(
    "isolate",
    [
        pytest.param(True, marks=pytest.mark.skipif(not isolation_available(), reason="needs root and unshare (namespaces)")),
        False,
    ],
    ids=["namespaces", "python-guards"],
)


def script(tmp_path: Path, text: str, name: str = "script.py") -> Script:
    """`text` as a pinned script file."""
    path = tmp_path / name
    path.write_text(text)
    return Script(path, hashlib.sha256(path.read_bytes()).hexdigest(), name)


def test_a_script_runs_and_its_globals_are_read(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("x\n1\n2\n")
    pinned = script(tmp_path, "import pandas as pd\nframe = pd.read_csv('data.csv')\ntotal = int(frame['x'].sum())\n")
    outcome = run_python(pinned, {"data.csv": tmp_path / "data.csv"}, limits=FAST)
    assert (outcome.status, outcome.values["total"], outcome.values["frame"]) == (RAN, 3, {"columns": ["x"], "rows": [[1], [2]]})


def test_only_the_staged_files_are_there(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("no")
    pinned = script(tmp_path, "import os\nseen = sorted(n for n in os.listdir('.') if not n.startswith('.'))\n")
    assert run_python(pinned, {}, limits=FAST).values["seen"] == ["script.py"]


def test_the_environment_is_stripped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARTIFACT_SECRET", "x")
    pinned = script(tmp_path, "import os\nnames = sorted(os.environ)\nbackend = os.environ['MPLBACKEND']\n")
    values = run_python(pinned, {}, limits=FAST).values
    assert "ARTIFACT_SECRET" not in values["names"] and values["backend"] == "Agg"


def test_a_script_that_sleeps_past_the_time_limit_is_stopped(tmp_path: Path) -> None:
    pinned = script(tmp_path, "import time\ntime.sleep(60)\n")
    outcome = run_python(pinned, {}, limits=Limits(seconds=2, memory_bytes=FAST.memory_bytes))
    assert outcome.status == TIMEOUT and "2 s" in outcome.reason


def test_a_script_that_allocates_past_the_memory_limit_is_stopped(tmp_path: Path) -> None:
    pinned = script(tmp_path, "import numpy\nblock = numpy.ones(2 * 2**30 // 8)\n")
    outcome = run_python(pinned, {}, limits=FAST)
    assert outcome.status == MEMORY and "1024 MiB" in outcome.reason


@ISOLATION
def test_a_script_that_opens_a_socket_is_stopped(tmp_path: Path, isolate: bool) -> None:
    pinned = script(tmp_path, "import socket\nsocket.create_connection(('198.51.100.1', 80), timeout=3)\n")
    outcome = run_python(pinned, {}, limits=FAST, isolate=isolate)
    assert outcome.status == BLOCKED, outcome


@ISOLATION
def test_a_script_that_writes_outside_its_folder_is_stopped(tmp_path: Path, isolate: bool) -> None:
    outside = tmp_path / "outside.txt"
    pinned = script(tmp_path, f"open({str(outside)!r}, 'w').write('x')\n")
    outcome = run_python(pinned, {}, limits=FAST, isolate=isolate)
    assert outcome.status == BLOCKED and not outside.exists(), outcome


def test_a_script_that_fails_gives_its_error(tmp_path: Path) -> None:
    outcome = run_python(script(tmp_path, "open('pickle/data.pickle', 'rb')\n"), {}, limits=FAST)
    assert outcome.status == FAILED and "pickle/data.pickle" in outcome.reason


def test_a_script_whose_bytes_differ_from_the_pin_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    pinned = script(tmp_path, f"open({str(marker)!r}, 'w')\n")
    pinned.path.write_text(pinned.path.read_text() + "# changed\n")
    with pytest.raises(ChecksumMismatchError, match="script.py"):
        run_python(pinned, {}, limits=FAST, isolate=False)
    assert not marker.exists()


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed (Debian package r-base-core)")
def test_an_r_script_keeps_the_values_computed_before_its_error(tmp_path: Path) -> None:
    pinned = script(tmp_path, "x <- t.test(c(1, 2, 3, 4), c(0, 1, 1, 2))\nlibrary('no.such.package')\n", "analysis.r")
    outcome = run_r(pinned, {}, {"p": "x$p.value", "missing": "y"}, limits=FAST)
    assert outcome.status == FAILED and "no.such.package" in outcome.reason
    welch = stats.ttest_ind([1, 2, 3, 4], [0, 1, 1, 2], equal_var=False)
    assert float(outcome.values["p"]) == pytest.approx(welch.pvalue, rel=1e-12) and outcome.values["missing"] == ""
