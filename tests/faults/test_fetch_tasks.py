"""Inputs the scheduler owns: nothing is fetched while the graph is built; FetchInput tasks bring or record each input."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import luigi

from tasks.base import FetchInput, InputFile, configure
from tasks.report import Report
from tests.faults.helpers import PAYLOAD, URL, mirror_file, settings, sha256

PROFILE = "independent"


def _configure(tmp_path: Path, mirror: Path) -> None:
    """One input of the independent profile, pinned to PAYLOAD at URL, and settings reading `mirror`."""
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[[input]]\nid = "fault-input"\nprofiles = ["{PROFILE}"]\nsource = "s"\nsnapshot = "s"\nformat = "toplist-csv"\n'
        f'what = "w"\nurl = "{URL}"\nsize = {len(PAYLOAD)}\nsha256 = "{sha256(PAYLOAD)}"\n'
    )
    configure(dataclasses.replace(settings(tmp_path, mirror), manifest=manifest))


def _cached(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.is_file() and p.name == sha256(PAYLOAD))


def test_building_the_graph_fetches_nothing_the_scheduler_does(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    mirror_file(mirror).write_bytes(PAYLOAD)
    _configure(tmp_path, mirror)
    report = Report(profile=PROFILE, started=1.0)
    assert "fault-input" not in report.available() and report.requires()
    assert _cached(tmp_path) == [] and not InputFile(profile=PROFILE, input_id="fault-input").complete()
    assert InputFile(profile=PROFILE, input_id="fault-input").run is None  # an external task: never run by anyone
    assert luigi.build(report.fetch_tasks(), local_scheduler=True, log_level="CRITICAL")
    assert len(_cached(tmp_path)) == 1
    _configure(tmp_path, mirror)  # the report of the run, as a fresh task object, reads what its requirements left
    assert "fault-input" in Report(profile=PROFILE, started=1.0).available()


def test_a_missing_input_is_recorded_for_runs_begun_before_the_try_and_tried_again_in_the_next(tmp_path: Path) -> None:
    _configure(tmp_path, tmp_path / "empty-mirror")
    fetch = FetchInput(profile=PROFILE, input_id="fault-input", started=1.0)
    assert not fetch.complete()
    assert luigi.build([fetch], local_scheduler=True, log_level="CRITICAL")  # missing is no failure
    assert fetch.complete() and "input fault-input is not available" in fetch.missing()
    [status] = [s for s in Report(profile=PROFILE, started=1.0).inputs_status() if s.task.input_id == "fault-input"]
    assert not status.available and status.missing == fetch.missing()
    assert FetchInput(profile=PROFILE, input_id="fault-input", started=2.0).complete()  # another process's run, begun before the try
    assert not FetchInput(profile=PROFILE, input_id="fault-input", started=time.time() + 60).complete()  # a later run tries again
