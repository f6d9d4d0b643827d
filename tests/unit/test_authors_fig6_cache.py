"""The authors' Figure 6 digitised once per PNG: a stored result is verified, and ignored when it fails."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from artifact.authors import fig6_cache
from artifact.authors.fig6_cache import digitised_bars
from artifact.errors import SchemaError
from tests.unit.test_authors_readers import GRID, HEIGHTS, LABELS, _figure6_png, _read

PANELS, CATEGORIES = tuple(HEIGHTS), (LABELS, LABELS)


@pytest.fixture(scope="module")
def png() -> bytes:
    return _figure6_png()


def _digitise(png: bytes, cache: Path) -> pd.DataFrame:
    return digitised_bars(png, "test.png", PANELS, CATEGORIES, GRID, cache)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Record each PNG actually digitised."""
    read: list[bytes] = []
    original = fig6_cache.read_bars
    monkeypatch.setattr(fig6_cache, "read_bars", lambda png, *args: read.append(png) or original(png, *args))
    return read


def _stored(cache: Path) -> Path:
    (path,) = (cache / fig6_cache.FOLDER).glob("*.json")
    return path


def test_the_result_is_read_bars_and_a_second_digitising_takes_it_from_the_cache(
    tmp_path: Path, png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _digitise(png, tmp_path)
    pd.testing.assert_frame_equal(first, _read(png))
    assert first["status"].str.startswith("below").any() and first["value"].isna().any()  # NaN and "below" round-trip
    read = _counting(monkeypatch)
    pd.testing.assert_frame_equal(_digitise(png, tmp_path), first)
    assert read == []


def test_a_flipped_byte_in_a_stored_result_is_ignored_and_the_png_digitised_again(
    tmp_path: Path, png: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _digitise(png, tmp_path)
    stored = _stored(tmp_path)
    data = bytearray(stored.read_bytes())
    at = data.index(b'"value": ') + len(b'"value": ')
    data[at] = ord("9") if data[at] != ord("9") else ord("8")  # a bar's value changed: still valid JSON
    stored.write_bytes(bytes(data))
    read = _counting(monkeypatch)
    pd.testing.assert_frame_equal(_digitise(png, tmp_path), expected)
    assert read == [png]
    assert stored.read_bytes() != bytes(data)  # rewritten
    _digitise(png, tmp_path)
    assert read == [png]  # and taken from the cache after


@pytest.mark.parametrize("field", ["png_sha256", "arguments", "reader"])
def test_a_result_stored_for_another_png_arguments_or_reader_is_ignored(
    tmp_path: Path, png: bytes, monkeypatch: pytest.MonkeyPatch, field: str
) -> None:
    _digitise(png, tmp_path)
    stored = _stored(tmp_path)
    body = json.loads(stored.read_bytes().partition(b"\n")[2])
    body[field] = "another"
    payload = json.dumps(body).encode()
    stored.write_bytes(f"sha256 {hashlib.sha256(payload).hexdigest()}\n".encode() + payload)  # a valid checksum
    read = _counting(monkeypatch)
    _digitise(png, tmp_path)
    assert read == [png]


def test_other_arguments_are_another_key(tmp_path: Path, png: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    _digitise(png, tmp_path)
    read = _counting(monkeypatch)
    with pytest.raises(SchemaError, match="looked for 3 panels"):
        digitised_bars(png, "test.png", (*PANELS, "Three"), (*CATEGORIES, LABELS), GRID, tmp_path)
    assert read == [png]


def test_a_png_that_cannot_be_digitised_is_not_stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _counting(monkeypatch)
    for _ in range(2):
        with pytest.raises(SchemaError, match="not a readable PNG"):
            _digitise(b"no png", tmp_path)
    assert read == [b"no png", b"no png"] and not (tmp_path / fig6_cache.FOLDER).exists()
