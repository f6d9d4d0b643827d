"""Case 3 of issue 25: a cache marker or a run record replaced by a symlink is not written through."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import luigi

from artifact.inputs.cache import Cache
from artifact.inputs.resolve import resolve
from tasks import progress
from tests.faults.helpers import PAYLOAD, entry, mirror_file, settings, sha256

OUTSIDE = b"a file outside the cache and the outputs\n"


def _planted_link(where: Path, outside: Path) -> None:
    outside.write_bytes(OUTSIDE)
    where.unlink(missing_ok=True)
    where.symlink_to(outside)


def test_case3_a_verified_marker_replaced_by_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror_file(mirror).write_bytes(PAYLOAD)
    cached = resolve(entry(), settings(tmp_path, mirror))
    marker = cached.with_name(cached.name + ".verified")
    _planted_link(marker, tmp_path / "outside.txt")
    checks = Cache(tmp_path / "cache").verify_all()  # what `verify-data` does
    assert [check.ok for check in checks] == [True]
    assert (tmp_path / "outside.txt").read_bytes() == OUTSIDE
    assert not marker.is_symlink() and marker.read_text().split()[0] == sha256(PAYLOAD)


def test_case3_a_link_planted_as_a_marker_vouches_for_nothing(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror_file(mirror).write_bytes(PAYLOAD)
    cached = resolve(entry(), settings(tmp_path, mirror))
    marker = cached.with_name(cached.name + ".verified")
    (tmp_path / "record").write_text(f"{sha256(PAYLOAD)} {len(PAYLOAD)}\n")
    marker.unlink()
    marker.symlink_to(tmp_path / "record")
    assert not Cache(tmp_path / "cache").looks_verified(cached, sha256(PAYLOAD), len(PAYLOAD))


def _task(root: Path) -> SimpleNamespace:
    """What the timing record reads of a task: its root and its one output under it."""
    return SimpleNamespace(root=root, output=lambda: luigi.LocalTarget(str(root / "tables" / "x.csv")))


def test_case3_run_timings_replaced_by_a_symlink_are_not_appended_to_its_target(tmp_path: Path) -> None:
    timings = tmp_path / progress.TIMINGS
    timings.parent.mkdir(parents=True)
    _planted_link(timings, tmp_path / "outside.txt")
    progress._record_timing(_task(tmp_path), 1.5)
    assert (tmp_path / "outside.txt").read_bytes() == OUTSIDE
    assert not timings.is_symlink() and timings.read_text().startswith("tables/x.csv\t")


def test_case3_a_hard_link_planted_as_run_timings_is_not_appended_to(tmp_path: Path) -> None:
    timings = tmp_path / progress.TIMINGS
    timings.parent.mkdir(parents=True)
    (tmp_path / "outside.txt").write_bytes(OUTSIDE)
    os.link(tmp_path / "outside.txt", timings)
    progress._record_timing(_task(tmp_path), 1.0)
    assert (tmp_path / "outside.txt").read_bytes() == OUTSIDE
    assert timings.read_text().startswith("tables/x.csv\t")
