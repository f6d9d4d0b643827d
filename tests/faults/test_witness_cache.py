"""The witness's outcome cache: an unchanged run is taken from it, anything changed or tampered with runs again."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from artifact.authors import witness_cache
from artifact.authors.sandbox import RAN, TIMEOUT, Limits, Outcome, Script
from artifact.authors.witness_cache import FOLDER, outcomes, python_job, remembered
from artifact.errors import ChecksumMismatchError

FAST = Limits(seconds=20, memory_bytes=1024 * 2**20)
SCRIPT = "import random\nvalue = random.random()\nwith open('data.txt') as f:\n    text = f.read()\n"


def python_many(runs: list[tuple[Script, str]], files: dict[str, Path], cache: Path, limits: Limits) -> list[Outcome]:
    """The outcomes of a Python job through the cache, as a witness task gets them."""
    return outcomes(python_job(runs, files, limits), cache)


def pinned(tmp_path: Path, text: str = SCRIPT) -> Script:
    """`text` as a pinned script file."""
    path = tmp_path / "script.py"
    path.write_text(text)
    return Script(path, hashlib.sha256(path.read_bytes()).hexdigest(), "script.py")


def test_an_unchanged_run_is_taken_from_the_cache_and_a_changed_input_runs_again(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("a")
    script, files, cache = pinned(tmp_path), {"data.txt": tmp_path / "data.txt"}, tmp_path / "cache"
    first = python_many([(script, "")], files, cache, FAST)[0]
    assert first.status == RAN and python_many([(script, "")], files, cache, FAST)[0] == first  # a random value: not run again
    (tmp_path / "data.txt").write_text("b")
    again = python_many([(script, "")], files, cache, FAST)[0]
    assert again.values["text"] == "b" and again.values["value"] != first.values["value"]


def test_a_tampered_entry_is_ignored_and_written_again(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("a")
    script, files, cache = pinned(tmp_path), {"data.txt": tmp_path / "data.txt"}, tmp_path / "cache"
    first = python_many([(script, "")], files, cache, FAST)[0]
    (entry,) = (cache / FOLDER).iterdir()
    entry.write_bytes(entry.read_bytes().replace(str(first.values["value"]).encode(), b"0.5"))
    again = python_many([(script, "")], files, cache, FAST)[0]
    assert again.values["value"] not in (0.5, first.values["value"])


def test_a_script_that_differs_from_its_pin_is_refused_even_when_its_outcome_is_kept(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_text("a")
    script, files, cache = pinned(tmp_path), {"data.txt": tmp_path / "data.txt"}, tmp_path / "cache"
    python_many([(script, "")], files, cache, FAST)
    script.path.write_text(SCRIPT + "# changed\n")
    with pytest.raises(ChecksumMismatchError, match="script.py"):
        python_many([(script, "")], files, cache, FAST)


@pytest.mark.parametrize("outcome", [Outcome(TIMEOUT, "stopped", {"x": 1}), Outcome("failed", "no Rscript")], ids=["limit", "no-values"])
def test_a_run_that_hit_a_limit_or_gave_nothing_is_not_kept(tmp_path: Path, outcome: Outcome) -> None:
    calls = []
    remembered(tmp_path, "k", lambda: calls.append(1) or [outcome])
    remembered(tmp_path, "k", lambda: calls.append(1) or [outcome])
    assert len(calls) == 2 and not (tmp_path / witness_cache.FOLDER).exists()
