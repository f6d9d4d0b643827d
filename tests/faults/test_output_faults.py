"""Case 10 of issue 25: an output edited with its size and mtime kept is noticed, and the task that made it reruns."""

from __future__ import annotations

import os
from pathlib import Path

from artifact.fingerprint import FileDigests
from tests.conftest import run_cli


def _edit_keeping_size_and_mtime(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    stat = path.stat()
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # touch -r: the recorded size and mtime hold
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns


def test_case10_a_digest_is_not_reused_for_a_file_edited_with_its_size_and_mtime_kept(tmp_path: Path) -> None:
    path = tmp_path / "claims.csv"
    path.write_bytes(b"id,verdict\nc1,DIFFERS\n")
    recorded = FileDigests()
    before = recorded.digest(path)
    _edit_keeping_size_and_mtime(path, b"DIFFERS", b"AGREES ")
    assert FileDigests(recorded.known).digest(path) != before


def test_case10_an_edited_claims_table_is_made_again(tmp_path: Path) -> None:
    env = {"ARTIFACT_OUTPUTS": str(tmp_path)}
    # a run of its own: the digests recorded name its paths
    assert run_cli("reproduce", "--profile", "sample", "--workers", "1", env=env).returncode == 0
    claims = tmp_path / "sample" / "tables" / "claims.csv"  # in place: the recorded digests name these paths
    original = claims.read_bytes()
    _edit_keeping_size_and_mtime(claims, b",REPRODUCED,", b",DIFFERS,   ")
    result = run_cli("reproduce", "--profile", "sample", env=env)
    assert result.returncode == 0, result.stdout + result.stderr  # the claims were checked again, not read as edited
    assert claims.read_bytes() == original
