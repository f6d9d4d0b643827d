"""The deposit's one job, ten years on: unpacked in a fresh folder on a machine without network and
without a mirror, it reproduces the sample and the independent profile and `compare` passes byte for byte.

The deposit packs the inputs whose licence allows redistribution; the others (licence unknown) are
put at the paths its DEPOSIT.md lists, from this machine's cache, as a reader would after getting
them from their URLs. Needs the independent profile's inputs (ARTIFACT_MIRROR or a filled cache) and
takes minutes, so it runs when ARTIFACT_ROUNDTRIP=1 (CI's "deposit round trip" step).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from artifact.config import Settings
from artifact.inputs.cache import Cache
from artifact.inputs.lockfile import read_lock
from artifact.inputs.manifest import load_manifest
from artifact.zenodo import PREFIX, choose_inputs, input_files
from tests.conftest import REPO, run_cli

pytestmark = [
    pytest.mark.mirror,
    pytest.mark.skipif(os.environ.get("ARTIFACT_ROUNDTRIP") != "1", reason="minutes long: set ARTIFACT_ROUNDTRIP=1"),
]
PROFILES = ("sample", "independent")


def _no_network() -> list[str]:
    """A command prefix that runs without any network (a new network namespace), if this machine allows one."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True, check=False).returncode == 0:
        return [unshare, "-rn"]
    return []


def _place_unpacked_inputs(deposit: Path, cache: Cache) -> int:
    """Put the independent profile's files the deposit could not pack at the paths DEPOSIT.md gives; return how many."""
    entries = [e for e in load_manifest().values() if "independent" in e.profiles]
    _, listed = choose_inputs(input_files(entries, read_lock())[0], None)
    for f in listed:
        assert f.name in (deposit / "DEPOSIT.md").read_text() or f.fileset, f.name
        target = deposit / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache.blob(f.sha256), target)
    return len(listed)


def test_the_deposit_reproduces_offline_without_a_mirror(tmp_path: Path) -> None:
    assert run_cli("fetch", "--profile", "independent").returncode == 0  # the cache the deposit is built from
    archive = tmp_path / "deposit.tar.gz"
    built = run_cli("zenodo", "--with-inputs", "--out", str(archive))
    assert built.returncode == 0, built.stderr  # a dirty checkout is refused: commit first
    fresh = tmp_path / "fresh"
    with tarfile.open(archive) as tar:
        tar.extractall(fresh, filter="data")
    deposit = fresh / PREFIX
    placed = _place_unpacked_inputs(deposit, Cache(Settings.from_env().cache_dir))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTIFACT_")}
    env.update(ARTIFACT_CACHE=str(tmp_path / "cache"), MPLBACKEND="Agg", PYTHONHASHSEED="0")
    prefix = _no_network()
    if not prefix:
        env["ARTIFACT_OFFLINE"] = "1"
    start = time.monotonic()
    for profile in PROFILES:
        for args in (("reproduce", "--profile", profile, "--workers", "2", "--claims-never-fail"), ("compare", "--profile", profile)):
            result = subprocess.run(
                [*prefix, sys.executable, "-m", "artifact", *args], cwd=deposit, env=env, capture_output=True, text=True, timeout=1200, check=False
            )
            assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert (deposit / "outputs" / "independent" / "report.html").is_file()
    assert not (REPO / "inputs").exists()  # the run read the deposit's inputs/, not this checkout's
    print(
        f"\ndeposit {archive.stat().st_size} bytes; {placed} files placed by hand; "
        f"{'in a network namespace without network' if prefix else 'ARTIFACT_OFFLINE=1'}; reproduce + compare of {', '.join(PROFILES)}: "
        f"{time.monotonic() - start:.0f} s"
    )
