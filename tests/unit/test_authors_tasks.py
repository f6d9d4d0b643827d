"""A notebook the readers cannot use: its tables have a header only, the claims on them are UNAVAILABLE with why."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from artifact.authors import figure_cache
from artifact.config import Settings
from artifact.errors import ChecksumMismatchError
from artifact.report.claims import evaluate, load_claims, unreadable_outputs
from artifact.tables import read_table
from tasks.authors import AuthorsFigures, AuthorsNotebook
from tasks.base import configure, start_early
from tasks.report import Report
from tests.conftest import EXPECTED


def test_unreadable_notebook_makes_only_its_claims_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "turnover.ipynb"
    broken.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["print(1)"], "outputs": []}]}))
    configure(Settings.from_env({"ARTIFACT_OUTPUTS": str(tmp_path / "outputs"), "ARTIFACT_CACHE": str(tmp_path / "cache")}))
    monkeypatch.setattr(AuthorsNotebook, "input", lambda self: SimpleNamespace(path=str(broken)))
    task = AuthorsNotebook(profile="esem2024")
    task.run()
    root = tmp_path / "outputs" / "esem2024"
    tables = {str(Path(t.path).relative_to(root)): read_table(t.path) for t in task.output().values()}
    status = tables["tables/authors/status_notebook.csv"]
    assert set(status["status"]) == {"unreadable"} and "no code cell prints" in status["reason"].iloc[0]
    assert str(tmp_path) not in " ".join(status["reason"])  # the file is named by its input id, not its path
    assert tables["tables/authors/fig6_digitised.csv"].empty  # written with its header only
    claims = load_claims(EXPECTED / "esem2024" / "claims")
    available = {i for c in claims for i in c.inputs}
    verdicts = evaluate(claims, tables, available, unreadable_outputs(tables)).set_index("id")
    assert verdicts.loc["A.M2.hf.about-half.05-23", "verdict"] == "UNAVAILABLE"
    assert "no code cell prints" in verdicts.loc["A.M2.hf.about-half.05-23", "detail"]
    assert verdicts.loc["A.M1.fig5.over-80", "verdict"] == "ERROR"  # another file's claim: not made unavailable by this one


def _figures_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: object) -> AuthorsFigures:
    configure(Settings.from_env({"ARTIFACT_OUTPUTS": str(tmp_path / "outputs"), "ARTIFACT_CACHE": str(tmp_path / "cache")}))
    monkeypatch.setattr(AuthorsFigures, "requires", lambda self: SimpleNamespace(complete=lambda: True))
    monkeypatch.setattr(AuthorsFigures, "input", folder)
    return AuthorsFigures(profile="esem2024")


def test_the_figures_task_begins_its_pdfs_at_the_start_of_a_run_and_then_runs_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "b.pdf").write_bytes(b"%PDF-1.4 broken")
    begun: list = []
    monkeypatch.setattr(figure_cache, "start_reading", lambda paths, cache: begun.append((paths, cache)) or True)
    task = _figures_task(tmp_path, monkeypatch, lambda self: SimpleNamespace(path=str(folder)))
    start_early([task, Report(profile="esem2024")])
    assert begun == [([folder / "b.pdf"], tmp_path / "cache")]
    assert task.priority < 0 and Report.priority <= task.priority  # Luigi raises a requirement's priority to its dependant's


def test_inputs_that_fail_their_check_begin_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def mismatch(self):
        raise ChecksumMismatchError("changed bytes")

    monkeypatch.setattr(figure_cache, "start_reading", lambda paths, cache: pytest.fail("nothing should begin"))
    task = _figures_task(tmp_path, monkeypatch, mismatch)
    task.start_early()  # the task's run meets the error and names it
    assert task.priority == 0
