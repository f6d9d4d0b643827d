"""A notebook the readers cannot use: its tables have a header only, the claims on them are UNAVAILABLE with why."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from artifact.config import Settings
from artifact.report.claims import evaluate, load_claims, unreadable_outputs
from artifact.tables import read_table
from tasks.authors import AuthorsNotebook
from tasks.base import configure
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
