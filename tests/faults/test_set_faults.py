"""Case 2 of issue 25: a set input is exactly its pinned files; anything else in its cached folder is refused and moved aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.cli import main
from artifact.errors import ChecksumMismatchError
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from tests.faults.helpers import mirror_file, quarantined, settings, sha256

BASE = "https://files.example.invalid/owner/repo/0123abcd/pages"
PAGES = {f"page-{i}.json": b'[{"id": "m%d", "downloads": %d}]\n' % (i, 100 - i) for i in range(3)}


def _manifest(tmp_path: Path) -> Path:
    """A manifest with one set input of three files, each in the mirror."""
    rows = ["name\turl\tsize\tsha256\tgit_blob"]
    for name, data in PAGES.items():
        mirror_file(tmp_path / "mirror", f"{BASE}/{name}").write_bytes(data)
        rows.append(f"{name}\t{BASE}/{name}\t{len(data)}\t{sha256(data)}\t")
    (tmp_path / "pages.tsv").write_text("\n".join(rows) + "\n")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[input]]\nid = "fault-set"\nprofiles = ["faulttest"]\nsource = "test"\nsnapshot = "2024-07"\n'
        'format = "hub-listing"\nwhat = "three pages"\nfileset = "pages.tsv"\n'
    )
    return manifest


PLANTED = b'[{"id": "planted", "downloads": 1000000}]\n'


def _planted(folder: Path) -> Path:
    planted = folder / "page-99.json"
    planted.write_bytes(PLANTED)
    return planted


def test_case2_a_file_planted_in_a_cached_set_is_refused_named_and_moved_aside(tmp_path: Path) -> None:
    entry = load_manifest(_manifest(tmp_path))["fault-set"]
    config = settings(tmp_path, tmp_path / "mirror")
    folder = resolve(entry, config)
    assert sorted(p.name for p in folder.iterdir()) == sorted(PAGES)
    planted = _planted(folder)
    with pytest.raises(ChecksumMismatchError, match="page-99.json"):
        resolve(entry, config)  # what fetch and the task that reads the set call
    assert not planted.exists()
    largest = max(len(data) for data in PAGES.values())
    [kept] = quarantined(tmp_path)  # at most as many bytes as the set's largest member
    assert kept.read_bytes() == PLANTED[:largest] and kept.name == f"fault-set.page-99.json.{sha256(PLANTED[:largest])}"
    assert sorted(p.name for p in resolve(entry, config).iterdir()) == sorted(PAGES)  # the listed files only


def test_case2_a_planted_link_is_moved_aside_not_followed(tmp_path: Path) -> None:
    entry = load_manifest(_manifest(tmp_path))["fault-set"]
    config = settings(tmp_path, tmp_path / "mirror")
    folder = resolve(entry, config)
    outside = tmp_path / "outside.json"
    outside.write_bytes(b"[]\n" * 1000)
    (folder / "page-98.json").symlink_to(outside)
    with pytest.raises(ChecksumMismatchError, match="page-98.json"):
        resolve(entry, config)
    assert outside.read_bytes() == b"[]\n" * 1000 and not (folder / "page-98.json").is_symlink()


def test_case2_fetch_and_verify_data_refuse_a_planted_member(tmp_path: Path, monkeypatch, capsys) -> None:
    for name, value in {"ARTIFACT_MANIFEST": _manifest(tmp_path), "ARTIFACT_CACHE": tmp_path / "cache",
                        "ARTIFACT_MIRROR": tmp_path / "mirror", "ARTIFACT_OFFLINE": "1"}.items():
        monkeypatch.setenv(name, str(value))
    assert main(["fetch", "--profile", "faulttest"]) == 0
    folder = resolve(load_manifest(tmp_path / "manifest.toml")["fault-set"], settings(tmp_path, tmp_path / "mirror"))
    _planted(folder)
    capsys.readouterr()
    assert main(["verify-data"]) == 1
    assert "UNLISTED" in capsys.readouterr().out and not (folder / "page-99.json").exists()
    _planted(folder)
    assert main(["fetch", "--profile", "faulttest"]) == 2
    assert "page-99.json" in capsys.readouterr().err and not (folder / "page-99.json").exists()
