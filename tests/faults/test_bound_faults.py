"""Case 8 of issue 25: every input has a size bound; one pinned by git blob id alone gets its host's (GitHub: 100 MiB)."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from artifact.errors import ArtifactError, ChecksumMismatchError
from artifact.inputs.manifest import load_manifest
from artifact.inputs.resolve import resolve
from tests.faults.helpers import entry, mirror_file, quarantined, settings

GITHUB_FILE_LIMIT = 100 * (1 << 20)
BOUND = 4096  # a small bound stands in for the host's: the test stays fast


def test_case8_a_blob_id_only_input_stops_at_its_bound_and_the_quarantine_keeps_at_most_that(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    bomb = zlib.compressobj(9, zlib.DEFLATED, 31)  # a gzip copy of a few kB that unpacks to 64 MiB
    with mirror_file(mirror).with_name("top.csv.gz").open("wb") as handle:
        for _ in range(64):
            handle.write(bomb.compress(bytes(1 << 20)))
        handle.write(bomb.flush())
    pinned = entry(size=None, sha256="", git_blob="0" * 40, max_size=BOUND)
    with pytest.raises(ChecksumMismatchError, match=f"more than {BOUND:,} bytes"):
        resolve(pinned, settings(tmp_path, mirror))
    [kept] = quarantined(tmp_path)
    assert kept.stat().st_size == BOUND
    assert not list((tmp_path / "cache" / "tmp").iterdir())


def test_case8_an_input_without_size_or_bound_is_refused(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[input]]\nid = "no-bound"\nprofiles = ["t"]\nsource = "t"\nsnapshot = "2024"\nformat = "toplist-csv"\n'
        f'what = "t"\nurl = "https://raw.githubusercontent.com/o/r/0123abcd/x.db"\ngit_blob = "{"0" * 40}"\n'
    )
    with pytest.raises(ArtifactError, match="has no size; give its `size`, or `max_size`"):
        load_manifest(manifest)


def test_case8_every_shipped_input_is_bounded_and_github_blobs_by_githubs_limit() -> None:
    for pinned in load_manifest().values():
        if pinned.url:
            assert pinned.size is not None or pinned.max_size is not None, pinned.id
        if pinned.url and pinned.size is None:
            assert pinned.url.startswith("https://raw.githubusercontent.com/") and pinned.max_size == GITHUB_FILE_LIMIT, pinned.id
        assert all(member.size is not None for member in pinned.members), pinned.id
    assert len([p for p in load_manifest().values() if p.url and p.size is None]) == 5
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "100 MiB, 104,857,600 bytes" in readme
