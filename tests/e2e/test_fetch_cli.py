"""`fetch` and `verify-data` on the command line, with a manifest and a mirror made by the test."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from artifact.inputs.manifest import load_manifest
from tests.conftest import run_cli
from tests.mirror_inputs import needs_authors_scripts

PRESENT, ABSENT = b"name,downloads\nnumpy,10\n", b"name,downloads\npandas,9\n"


def _setup(tmp_path: Path) -> dict[str, str]:
    """A manifest of three inputs (one in the mirror, one nowhere, one never archived); the CLI's environment."""
    mirror = tmp_path / "mirror"
    (mirror / "example.org/r/0123/lists").mkdir(parents=True)
    (mirror / "example.org/r/0123/lists/present.csv").write_bytes(PRESENT)
    manifest = tmp_path / "manifest.toml"
    common = 'profiles = ["demo"]\nsource = "test"\nsnapshot = "2024-01"\nformat = "toplist-csv"\nwhat = "a list"\n'
    manifest.write_text(
        f'[[input]]\nid = "demo-present"\n{common}url = "https://example.org/r/0123/lists/present.csv"\n'
        f'size = {len(PRESENT)}\nsha256 = "{hashlib.sha256(PRESENT).hexdigest()}"\n\n'
        f'[[input]]\nid = "demo-absent"\n{common}url = "https://example.org/r/0123/lists/absent.csv"\n'
        f'size = {len(ABSENT)}\nsha256 = "{hashlib.sha256(ABSENT).hexdigest()}"\n\n'
        f'[[input]]\nid = "demo-lost"\n{common}unavailable = "not archived by the authors"\n'
    )
    return {
        "ARTIFACT_MANIFEST": str(manifest), "ARTIFACT_MIRROR": str(mirror), "ARTIFACT_CACHE": str(tmp_path / "cache"),
        "ARTIFACT_OFFLINE": "1",
    }


def test_fetch_offline_verifies_what_it_can_and_lists_the_rest(tmp_path: Path) -> None:
    env = _setup(tmp_path)
    result = run_cli("fetch", "--profile", "demo", env=env)
    assert result.returncode == 2, result.stderr  # a missing input is an input error
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK           demo-present") and "from mirror" in lines[0]
    assert lines[1] == "MISSING      demo-absent"
    missing = result.stdout.split("MISSING", 1)[1]
    assert "https://example.org/r/0123/lists/absent.csv" in missing
    assert hashlib.sha256(ABSENT).hexdigest() in missing
    assert f"{tmp_path}/mirror/example.org/r/0123/lists/absent.csv" in missing
    assert "UNAVAILABLE  demo-lost                   not archived by the authors" in lines
    assert "fetch demo: 1 verified, 1 missing, 1 unavailable" in result.stdout


def test_verify_data_names_a_cached_file_whose_bytes_changed(tmp_path: Path) -> None:
    env = _setup(tmp_path)
    run_cli("fetch", "--profile", "demo", env=env)
    assert run_cli("verify-data", env=env).returncode == 0
    blob = tmp_path / "cache" / "sha256" / hashlib.sha256(PRESENT).hexdigest()[:2] / hashlib.sha256(PRESENT).hexdigest()
    blob.chmod(0o644)
    blob.write_bytes(PRESENT.replace(b"10", b"11"))
    for args in (["verify-data"], ["verify-data", "--profile", "demo"]):
        result = run_cli(*args, env=env)
        assert result.returncode == 1
        assert f"CHANGED {blob}" in result.stdout and "1 CHANGED" in result.stdout


@needs_authors_scripts
def test_fetch_sample_verifies_the_package_files(tmp_path: Path) -> None:
    result = run_cli("fetch", "--profile", "sample", env={"ARTIFACT_CACHE": str(tmp_path), "ARTIFACT_OFFLINE": "1"})
    entries = [entry for entry in load_manifest().values() if "sample" in entry.profiles]
    shipped = [entry for entry in entries if entry.local]
    # The authors' scripts (the witness) come from the mirror: offline without one they are missing (exit 1).
    scripts = len(entries) - len(shipped)
    if os.environ.get("ARTIFACT_MIRROR"):
        assert result.returncode == 0, result.stdout + result.stderr
    else:
        assert result.returncode == 1 and f"{scripts} missing" in result.stdout, result.stdout + result.stderr
    # The package's files are verified where they are: the cache holds only the scripts, when fetched.
    cached = {path.name for path in (tmp_path / "sha256").rglob("*") if path.is_file() and path.suffix != ".verified"}
    fetched = {entry.sha256 for entry in entries if not entry.local} if os.environ.get("ARTIFACT_MIRROR") else set()
    assert result.stdout.count("from package") == len(shipped) and cached == fetched
