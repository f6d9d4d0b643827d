"""Snapshot pieces without a server: Retry-After, back-off, the local manifest, the listing form."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from artifact.errors import ArtifactError
from artifact.retry import RetryPolicy, parse_retry_after
from artifact.snapshots.hub import listing_record
from artifact.snapshots.store import MANIFEST_NAME, Fetched, read_records, store

RETRIEVED = datetime(2026, 11, 5, 10, 11, 12, tzinfo=UTC)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    assert parse_retry_after("7") == 7.0 and parse_retry_after(" 0 ") == 0.0
    in_a_minute = format_datetime(datetime.now(UTC) + timedelta(seconds=60), usegmt=True)
    assert 55 <= parse_retry_after(in_a_minute) <= 60
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None


def test_back_off_doubles_up_to_its_cap_and_yields_to_retry_after() -> None:
    policy = RetryPolicy(backoff=0.5, max_wait=3)
    assert [policy.wait(failures, None) for failures in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3]
    assert policy.wait(1, 30.0) == 30.0


def test_listing_record_keeps_the_pages_form() -> None:
    created = datetime(2022, 11, 14, 18, 41, 48, 7000, tzinfo=UTC)
    info = SimpleNamespace(id="a/b", likes=3, downloads=9, tags=["x"], pipeline_tag=None, library_name="timm", created_at=created)
    assert listing_record(info) == {
        "id": "a/b", "likes": 3, "downloads": 9, "tags": ["x"], "library_name": "timm", "createdAt": "2022-11-14T18:41:48.007Z"
    }


def _fetched(data: bytes, source: str = "https://example.org/list.json") -> Fetched:
    return Fetched("pypi", "pypi-top-json", ".json", data, source=source, version='release "2026.11" – ü')


def test_manifest_entries_read_back_as_written(tmp_path: Path) -> None:
    first = store(tmp_path, _fetched(b"[1]"), 1000, RETRIEVED, lambda path: 1, "2.4.0")
    second = store(tmp_path, _fetched(b"[2]", 'https://x/"quoted"\\path'), 10, RETRIEVED + timedelta(days=1), lambda path: 2, "2.4.0")
    assert read_records(tmp_path) == [first, second]
    assert (tmp_path / first.file).read_bytes() == b"[1]" and first.date == "2026-11-05"
    assert (first.size, first.sha256) == (3, hashlib.sha256(b"[1]").hexdigest())


def test_a_file_the_loader_refuses_is_not_kept(tmp_path: Path) -> None:
    def refuse(path: Path) -> int:
        raise ArtifactError(f"{path} is not a list")

    with pytest.raises(ArtifactError, match="is not a list"):
        store(tmp_path, _fetched(b"{}"), 1000, RETRIEVED, refuse, "2.4.0")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".snapshots.lock"]


def test_manifest_entry_lacking_a_field_is_named(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text('[[snapshot]]\nid = "x"\nregistry = "hf"\n')
    with pytest.raises(ArtifactError, match=r"snapshot #1 lacks format, file"):
        read_records(tmp_path)
