"""A run's small records (summary, inputs, a task's error) are read bounded: an oversized one is an error naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.atomic import read_record
from artifact.errors import ArtifactError


def test_a_record_within_its_bound_reads_whole(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('{"a": 1}')
    assert read_record(tmp_path / "r.json", 8) == '{"a": 1}'


def test_an_oversized_record_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text('{"a": 1}')
    with pytest.raises(ArtifactError, match=r"r\.json: more than 7 bytes"):
        read_record(tmp_path / "r.json", 7)
