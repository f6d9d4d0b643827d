"""Code digests reused across runs (artifact/fingerprint.py, CodeDigests): a run whose sources are unchanged reads
none of them again, and a changed source, a record from elsewhere, or a record tampered with is never trusted.

Each run is a fresh process (as `reproduce` is), on a small project package `probe` in a folder of its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tasks.base import CODE_DIGESTS, CODE_DIGESTS_MAX, code_digests, code_record
from tests.conftest import REPO

CLASS_KEY = "class:probe.tasks_mod.Probe"
PROBE = """
import ast, json, sys
from pathlib import Path
import artifact.fingerprint as f
checkout, record, racy = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
f.CHECKOUT, f.PROJECT_PACKAGES, f.RACY_NS = checkout, ("probe",), racy
sys.path.insert(0, str(checkout))
parsed, parse = [], ast.parse
ast.parse = lambda source, *args, **kwargs: parsed.append(1) or parse(source, *args, **kwargs)
from probe.tasks_mod import Probe
digests = f.CodeDigests(json.loads(record.read_text()) if record.is_file() else None)
code = digests.code(Probe)
record.write_text(digests.to_json())
print(json.dumps({"code": code, "parsed": len(parsed)}))
"""


def _package(folder: Path) -> Path:
    """A checkout holding the project package `probe`: a task class that names a helper module's constant."""
    (folder / "probe").mkdir(parents=True)
    (folder / "probe" / "__init__.py").write_text("")
    (folder / "probe" / "helper.py").write_text("VALUE = 1\n")
    (folder / "probe" / "tasks_mod.py").write_text(
        "from probe.helper import VALUE\n\n\nclass Probe:\n    def run(self) -> int:\n        return VALUE\n"
    )
    return folder


def _run(checkout: Path, record: Path, racy_ns: int = 0) -> dict:
    """One process computing Probe's code digest with the record at `record` (then rewritten); its digest and parse count."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, "-c", PROBE, str(checkout), str(record), str(racy_ns)],
                            capture_output=True, text=True, cwd=REPO, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    assert len(old) == len(new)
    stat = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_a_run_with_unchanged_sources_reads_none_of_them(tmp_path: Path) -> None:
    checkout, record = _package(tmp_path / "checkout"), tmp_path / "code.json"
    first = _run(checkout, record)
    assert first["parsed"] > 0 and CLASS_KEY in json.loads(record.read_text())["entries"]
    assert _run(checkout, record) == {"code": first["code"], "parsed": 0}


@pytest.mark.parametrize("edit", ["helper, size and mtime kept", "class module, grown"])
def test_a_changed_source_is_read_again_and_changes_the_digest(tmp_path: Path, edit: str) -> None:
    checkout, record = _package(tmp_path / "checkout"), tmp_path / "code.json"
    first = _run(checkout, record)
    if edit.startswith("helper"):  # what `touch -r` leaves: only the inode's change time tells
        _edit_keeping_size_and_mtime(checkout / "probe" / "helper.py", "VALUE = 1", "VALUE = 2")
    else:
        module = checkout / "probe" / "tasks_mod.py"
        module.write_text(module.read_text().replace("return VALUE", "return VALUE + 1"))
    second = _run(checkout, record)
    assert second["parsed"] > 0 and second["code"] != first["code"]
    assert second["code"] == _run(checkout, tmp_path / "none.json")["code"]  # what a run without any record computes


def test_a_source_changed_within_its_timestamps_resolution_is_not_recorded(tmp_path: Path) -> None:
    checkout, record = _package(tmp_path / "checkout"), tmp_path / "code.json"
    _run(checkout, record, racy_ns=60 * 10**9)  # written a moment ago: a second change could keep every stat field
    assert CLASS_KEY not in json.loads(record.read_text())["entries"]
    assert _run(checkout, record)["parsed"] > 0


def test_a_record_made_for_another_checkout_is_not_trusted(tmp_path: Path) -> None:
    original, record = _package(tmp_path / "original"), tmp_path / "code.json"
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)  # same names, times kept: only the checkout tells them apart
    first = _run(original, record)
    _edit_keeping_size_and_mtime(copy / "probe" / "helper.py", "VALUE = 1", "VALUE = 3")
    second = _run(copy, record)
    assert second["parsed"] > 0 and second["code"] != first["code"]


def _tamper(record: Path, change: str) -> None:
    data = json.loads(record.read_text())
    entry = data["entries"][CLASS_KEY]
    if change == "old identities":  # an entry of an earlier version of the files, with that version's digest
        entry["code"] = "0" * 64
        for identity in entry["files"].values():
            identity[0] += 1
    elif change == "no files":  # nothing to check it against
        entry["files"] = {}
    elif change == "malformed":
        data["entries"][CLASS_KEY] = {"code": 5, "files": "probe/helper.py"}
    elif change == "other python":
        data["python"] = "2.7.18"
    elif change == "other fingerprint module":
        data["module"][0] += 1
    record.write_text(json.dumps(data))


@pytest.mark.parametrize("change", ["old identities", "no files", "malformed", "other python", "other fingerprint module"])
def test_a_tampered_record_is_recomputed_never_trusted(tmp_path: Path, change: str) -> None:
    checkout, record = _package(tmp_path / "checkout"), tmp_path / "code.json"
    first = _run(checkout, record)
    _edit_keeping_size_and_mtime(checkout / "probe" / "helper.py", "VALUE = 1", "VALUE = 4")
    truth = _run(checkout, tmp_path / "none.json")["code"]
    assert truth != first["code"]
    _tamper(record, change)
    second = _run(checkout, record)
    assert second["parsed"] > 0 and second["code"] == truth


@pytest.mark.parametrize("text", ["{ cut sho", "[]", " " * (CODE_DIGESTS_MAX + 1)])
def test_an_unreadable_or_oversized_record_is_no_record(tmp_path: Path, text: str) -> None:
    code_record(tmp_path).parent.mkdir(parents=True)
    code_record(tmp_path).write_text(text)
    assert code_digests(code_record(tmp_path)).known == {}


def test_the_record_is_kept_in_the_download_cache_one_per_checkout_and_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = code_record(tmp_path)  # a run into an empty outputs folder finds it: it is not under outputs/<profile>/
    assert record.parent == tmp_path / CODE_DIGESTS
    monkeypatch.setattr("tasks.base.CHECKOUT", tmp_path / "another checkout")
    other_checkout = code_record(tmp_path)
    monkeypatch.undo()
    monkeypatch.setattr("tasks.base.sys.version", "another Python")
    other_python = code_record(tmp_path)
    monkeypatch.undo()
    assert len({record, other_checkout, other_python}) == 3  # two checkouts sharing a cache do not overwrite each other
