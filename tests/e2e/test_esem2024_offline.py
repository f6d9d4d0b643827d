"""The paper's profile offline from the mirror: its claims on the authors' archived files get verdicts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from artifact.tables import read_table
from tests.conftest import FinishedRun

MIRROR = Path(os.environ.get("ARTIFACT_MIRROR", "/nonexistent"))
pytestmark = [
    pytest.mark.mirror,
    pytest.mark.skipif(not (MIRROR / "INDEX.tsv").is_file(), reason="needs the real inputs: set ARTIFACT_MIRROR"),
]


def test_esem2024_checks_claims_against_the_authors_files_offline(esem2024_offline: FinishedRun) -> None:
    # The session's run: ARTIFACT_OFFLINE=1, a cache of its own, the inputs from ARTIFACT_MIRROR (conftest.py).
    assert esem2024_offline.returncode == 3, esem2024_offline.log  # 'weak' is 'moderate' on the scale its claim names
    outputs = esem2024_offline.outputs
    verdicts = read_table(outputs / "tables/claims.csv").set_index("id")
    checked = verdicts[verdicts["verdict"].isin(["REPRODUCED", "DIFFERS", "CONSISTENT", "INCONSISTENT"])]
    assert len(checked) >= 20 and set(verdicts.loc[verdicts["kind"] != "authors-code", "source"]) == {"paper", "authors-output"}
    assert verdicts.loc["A.M2.distinct.hf.notebook", "verdict"] == "CONSISTENT"
    assert verdicts.loc["A.data.hf-model-metadata.rows", "verdict"] == "CONSISTENT"
    assert verdicts.loc["A.M2.fig6.caption.returning-second", "verdict"] == "INCONSISTENT"
    assert verdicts.loc["M3.weak-positive.intermediate.weak", "verdict"] == "DIFFERS"
    assert not verdicts[verdicts["kind"] == "transcribed"]["verdict"].isin(["REPRODUCED", "DIFFERS"]).any()
    assert set(verdicts[verdicts.index.str.startswith("A.M1.fig5.variant")]["verdict"]) == {"FILES-MATCH"}
    assert verdicts.loc["M2.distinct.hf", "verdict"] == "UNAVAILABLE"  # needs the HF databases the mirror lacks
    checks = read_table(outputs / "tables/authors/fig6_selfcheck.csv")
    assert len(checks) == 12 and checks["sum_ok"].all()
    assert "| † (4) |" in (outputs / "tables/table3_claims.md").read_text()
