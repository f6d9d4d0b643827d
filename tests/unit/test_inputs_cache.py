"""The content-addressed cache (cheap re-use, quarantine, full re-hash) and safe archive member names."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from artifact.errors import ArtifactError
from artifact.inputs.cache import Cache, mark_verified, pick_member, recorded_sha256, unsafe_reason


def _store(cache: Cache, data: bytes) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    with cache.temporary() as tmp:
        tmp.write_bytes(data)
        return cache.publish(tmp, cache.blob(digest), digest)


def test_published_bytes_are_read_only_marked_and_reused(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = _store(cache, b"one")
    digest = hashlib.sha256(b"one").hexdigest()
    assert path == tmp_path / "sha256" / digest[:2] / digest
    assert oct(path.stat().st_mode & 0o777) == oct(0o444)
    assert recorded_sha256(path) == digest and cache.holds(path, digest)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_touched_file_is_rehashed_and_kept_a_changed_one_is_quarantined(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    path = _store(cache, b"two")
    digest = path.name
    os.utime(path, ns=(1, 1))
    assert cache.holds(path, digest) and recorded_sha256(path) == digest
    path.chmod(0o644)
    path.write_bytes(b"tw0")
    assert not cache.holds(path, digest)
    assert not path.exists()
    assert (tmp_path / "quarantine" / f"{digest}.{hashlib.sha256(b'tw0').hexdigest()}").read_bytes() == b"tw0"


def test_verify_all_rehashes_everything_and_names_the_changed_file(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    kept, changed = _store(cache, b"kept"), _store(cache, b"changed")
    member = cache.extracted_dir(kept.name) / "inner" / "model.db"
    member.parent.mkdir(parents=True)
    member.write_bytes(b"db")
    mark_verified(member, hashlib.sha256(b"db").hexdigest())
    changed.chmod(0o644)
    with changed.open("r+b") as handle:
        handle.write(b"C")
    checks = cache.verify_all()
    assert sorted((c.path, c.ok) for c in checks) == sorted([(kept, True), (changed, False), (member, True)])
    assert [c.path for c in cache.verify_all(only={kept.name})] == [kept, member]
    member.with_name("model.db.verified").unlink()
    assert [c.expected for c in cache.verify_all(only={kept.name}) if not c.ok] == ["(no recorded checksum)"]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("PeaTMOSS.db", ""),
        ("data/inner/PeaTMOSS.db", ""),
        ("../PeaTMOSS.db", "a '..' component"),
        ("data/../../x.db", "a '..' component"),
        ("/etc/x.db", "an absolute or non-POSIX path"),
        ("C:/x.db", "an absolute or non-POSIX path"),
        ("data\\..\\x.db", "an absolute or non-POSIX path"),
    ],
)
def test_unsafe_member_names(name: str, reason: str) -> None:
    assert unsafe_reason(name) == reason


def test_symbolic_link_members_are_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("x.db")
        link.external_attr = 0o120777 << 16  # S_IFLNK
        archive.writestr(link, "/etc/passwd")
    with zipfile.ZipFile(buffer) as archive, pytest.raises(ArtifactError, match="is a symbolic link"):
        pick_member(archive, "", "test")
