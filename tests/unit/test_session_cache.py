"""The test session's own cache (tests/session_cache.py): what it takes from the user's cache and what it keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.config import Settings
from tasks.base import code_record
from tests.session_cache import keep, seed, users


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() or p.is_symlink()}


def test_every_test_uses_the_sessions_cache_not_the_users(session_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    assert Settings.from_env().cache_dir == session_cache
    assert session_cache.is_relative_to(tmp_path_factory.getbasetemp().parent)


def test_a_cache_is_seeded_with_verified_downloads_and_kept_results_and_no_link_or_unfinished_write(tmp_path: Path) -> None:
    user, kept = tmp_path / "user", tmp_path / "kept"
    _write(user / "sha256/ab/abc", b"input")
    _write(user / "sha256/ab/abc.verified", b"abc 5\n")
    _write(user / "extracted/def/member.csv", b"a,b\n")
    _write(user / "sha256/ab/.abd.123-host.x.tmp", b"half")
    (user / "sha256/ab/linked").symlink_to(_write(tmp_path / "outside", b"not in the cache"))
    _write(user / "derived/authors-code/k.json", b"the user's")  # derived results come from the suite's own store
    _write(user / "quarantine/x.abc", b"bad")
    _write(kept / "authors-code/k.json", b"kept")
    seed(tmp_path / "cache", user, kept)
    assert _files(tmp_path / "cache") == {"sha256/ab/abc": b"input", "sha256/ab/abc.verified": b"abc 5\n",
                                          "extracted/def/member.csv": b"a,b\n", "derived/authors-code/k.json": b"kept"}


def test_a_session_keeps_its_derived_results_and_the_code_digests_of_this_checkout_alone(tmp_path: Path) -> None:
    cache, kept = tmp_path / "cache", tmp_path / "kept"
    _write(kept / "authors-code/old.json", b"an earlier session's")
    _write(kept / "authors-pdf-figures/p.json", b"tampered")
    _write(cache / "derived/authors-code/new.json", b"this session's")
    _write(cache / "derived/authors-pdf-figures/p.json", b"read again")
    ours = _write(code_record(cache), b"this checkout")
    _write(ours.with_name("0123456789abcdef.json"), b"a copy of the checkout a test made")
    keep(cache, kept)
    assert _files(kept) == {"authors-code/old.json": b"an earlier session's", "authors-code/new.json": b"this session's",
                            "authors-pdf-figures/p.json": b"read again", f"code-digests/{ours.name}": b"this checkout"}


def test_the_processes_using_the_cache_are_counted_so_that_the_last_one_removes_it(tmp_path: Path) -> None:
    assert [users(tmp_path / "users", change) for change in (1, 1, -1, -1)] == [1, 2, 1, 0]
