"""The authors' figure PDFs read once per checksum: a stored result is verified, and ignored when it fails."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure as MplFigure

from artifact.authors import figure_cache
from artifact.authors.figure_cache import read_figures, result_path
from artifact.authors.pdf_figures import read_figure
from artifact.errors import SchemaError
from tests.unit.test_authors_readers import _bar_pdf


def _scatter_pdf(path: Path) -> Path:
    with matplotlib.rc_context(matplotlib.rcParamsDefault):
        figure = MplFigure()
        figure.subplots().scatter(np.arange(1, 38), np.arange(1, 38) ** 0.5)
        figure.savefig(path, format="pdf")
    return path


def _same(read, expected) -> None:
    assert read.summary() == expected.summary()
    pd.testing.assert_frame_equal(read.bars, expected.bars)


@pytest.fixture
def pdfs(tmp_path: Path) -> list[Path]:
    broken = tmp_path / "pdfs" / "broken.pdf"
    broken.parent.mkdir()
    broken.write_bytes(b"%PDF-1.4 broken")
    return [_bar_pdf(tmp_path / "pdfs" / "bars.pdf", 45), broken, _scatter_pdf(tmp_path / "pdfs" / "scatter.pdf")]


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record each PDF actually read (in this process: read_figures with workers=1)."""
    read: list[Path] = []
    original = figure_cache.read_figure
    monkeypatch.setattr(figure_cache, "read_figure", lambda path: read.append(path) or original(path))
    return read


def test_results_are_read_figures_and_a_second_reading_takes_them_from_the_cache(
    tmp_path: Path, pdfs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = read_figures(pdfs, tmp_path / "cache", workers=2)  # two processes: the pool's results
    _same(first[0], read_figure(pdfs[0]))
    _same(first[2], read_figure(pdfs[2]))
    assert isinstance(first[1], SchemaError) and "broken.pdf" in str(first[1])
    read = _counting(monkeypatch)
    again = read_figures(pdfs, tmp_path / "cache", workers=1)
    assert read == [pdfs[1]]  # the unreadable PDF is not stored: it fails again, with its message
    _same(again[0], first[0])
    _same(again[2], first[2])
    assert again[2].markers == 37


def test_a_stored_result_is_named_after_the_pdf_read(tmp_path: Path, pdfs: list[Path]) -> None:
    read_figures(pdfs[:1], tmp_path / "cache", workers=1)
    renamed = tmp_path / "other name.pdf"
    renamed.write_bytes(pdfs[0].read_bytes())
    _same(read_figures([renamed], tmp_path / "cache", workers=1)[0], read_figure(renamed))


def test_a_flipped_byte_in_a_stored_result_is_ignored_and_the_pdf_read_again(
    tmp_path: Path, pdfs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = read_figures(pdfs, tmp_path / "cache", workers=1)[0]
    stored = result_path(tmp_path / "cache", hashlib.sha256(pdfs[0].read_bytes()).hexdigest())
    data = bytearray(stored.read_bytes())
    at = data.index(b'"height": ') + len(b'"height": ')
    data[at] = ord("9") if data[at] != ord("9") else ord("8")  # a bar's height changed: still valid JSON
    stored.write_bytes(bytes(data))
    read = _counting(monkeypatch)
    result = read_figures(pdfs[:1], tmp_path / "cache", workers=1)[0]
    assert read == [pdfs[0]]
    _same(result, expected)
    assert stored.read_bytes() != bytes(data)  # rewritten
    assert read_figures(pdfs[:1], tmp_path / "cache", workers=1) and read == [pdfs[0]]  # and taken from the cache after


def test_a_result_stored_for_another_pdf_or_reader_is_ignored(tmp_path: Path, pdfs: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    read_figures(pdfs[:1], tmp_path / "cache", workers=1)
    stored = next((tmp_path / "cache").rglob("*.json"))
    for field, value in (("pdf_sha256", "0" * 64), ("reader", "another reader")):
        body = json.loads(stored.read_bytes().partition(b"\n")[2])
        body[field] = value
        payload = json.dumps(body).encode()
        stored.write_bytes(f"sha256 {hashlib.sha256(payload).hexdigest()}\n".encode() + payload)  # a valid checksum
        read = _counting(monkeypatch)
        read_figures(pdfs[:1], tmp_path / "cache", workers=1)
        assert read == [pdfs[0]], field
        monkeypatch.undo()


def test_the_reader_hash_is_part_of_the_key(tmp_path: Path) -> None:
    assert figure_cache.reader_hash() in result_path(tmp_path, "a" * 64).name
    assert result_path(tmp_path, "a" * 64).is_relative_to(tmp_path / figure_cache.FOLDER)


def test_readings_begun_at_the_start_of_a_run_are_taken_by_read_figures(
    tmp_path: Path, pdfs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert figure_cache.start_reading(pdfs, tmp_path / "cache", workers=2)  # in two background processes
    read = _counting(monkeypatch)
    results = read_figures(pdfs, tmp_path / "cache", workers=1)
    assert read == []  # none read in this process: each taken from its background reading
    _same(results[0], read_figure(pdfs[0]))
    assert isinstance(results[1], SchemaError) and "broken.pdf" in str(results[1])
    assert results[2].markers == 37
    assert not figure_cache._started
    assert not figure_cache.start_reading([pdfs[0], pdfs[2]], tmp_path / "cache")  # nothing to begin: both stored


def test_a_reading_begun_by_another_process_is_not_waited_for(
    tmp_path: Path, pdfs: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert figure_cache.start_reading(pdfs[2:], tmp_path / "other cache", workers=1)
    begun = {(-1, *key[1:]): figure_cache._started.pop(key) for key in list(figure_cache._started)}  # by another process
    monkeypatch.setattr(figure_cache, "_started", dict(begun))  # as a forked Luigi worker sees its parent's readings
    read = _counting(monkeypatch)
    assert read_figures(pdfs[2:], tmp_path / "cache", workers=1)[0].markers == 37
    assert read == [pdfs[2]]
    assert figure_cache._started == begun  # left to the process that began them
    for future in begun.values():
        future.result()
