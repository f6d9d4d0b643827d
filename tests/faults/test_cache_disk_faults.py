"""Case 7 of issue 25: a full cache while copying from the mirror is the cache's error (exit 2, with the path), never "missing".

A full disk is stood in for by a file size limit (RLIMIT_FSIZE: a write past it fails with EFBIG, as one on a
full disk fails with ENOSPC); a 1 MiB tmpfs is used as well where the tests may mount one.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.faults.helpers import full_disk, mirror_file, sha256

URL = "https://files.example.invalid/owner/repo/0123abcd/data/big.bin"
DATA = bytes(range(256)) * 8192  # 2 MiB


def _fetch(tmp_path: Path, cache: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    mirror_file(tmp_path / "mirror", URL).write_bytes(DATA)
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[input]]\nid = "fault-big"\nprofiles = ["faulttest"]\nsource = "test"\nsnapshot = "2024-07"\n'
        f'format = "toplist-csv"\nwhat = "2 MiB"\nurl = "{URL}"\nsize = {len(DATA)}\nsha256 = "{sha256(DATA)}"\n'
    )
    env = {**os.environ, "ARTIFACT_MANIFEST": str(manifest), "ARTIFACT_CACHE": str(cache),
           "ARTIFACT_MIRROR": str(tmp_path / "mirror"), "ARTIFACT_OFFLINE": "1"}

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "artifact", "fetch", "--profile", "faulttest"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300, preexec_fn=limited, check=False)


def _assert_cache_error(result: subprocess.CompletedProcess, cache: Path) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"the download cache could not store {cache}/tmp/part-" in result.stderr
    assert "The source was not at fault" in result.stderr and "not available" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (cache / "sha256").exists() or not [p for p in (cache / "sha256").rglob("*") if p.is_file()]  # nothing trusted
    assert not list((cache / "tmp").iterdir())  # nothing partial left


def test_case7_a_cache_write_beyond_a_file_size_limit_is_the_caches_error(tmp_path: Path) -> None:
    _assert_cache_error(_fetch(tmp_path, tmp_path / "cache", limit=1 << 20), tmp_path / "cache")


def test_case7_a_full_tmpfs_cache_is_the_caches_error(tmp_path: Path) -> None:
    with full_disk(tmp_path / "cache") as cache:
        _assert_cache_error(_fetch(tmp_path, cache), cache)
