"""A fresh machine without any input: the paper's profile recomputes nothing, says so, and exits 4."""

from __future__ import annotations

from pathlib import Path

from artifact.tables import read_table
from tests.conftest import run_cli


def test_esem2024_without_inputs_exits_4_and_counts_no_transcription_as_reproduced(tmp_path: Path) -> None:
    env = {"ARTIFACT_OUTPUTS": str(tmp_path / "out"), "ARTIFACT_CACHE": str(tmp_path / "cache"), "ARTIFACT_OFFLINE": "1",
           "ARTIFACT_MIRROR": ""}
    result = run_cli("reproduce", "--profile", "esem2024", env=env)
    assert result.returncode == 4, result.stdout + result.stderr
    assert "no result of the paper was checked: no claim was recomputed from data" in result.stdout
    assert "success" not in result.stdout
    verdicts = read_table(tmp_path / "out" / "esem2024" / "tables" / "claims.csv")
    assert not verdicts["verdict"].isin(["REPRODUCED", "DIFFERS"]).any()
    assert (verdicts.loc[verdicts["kind"] == "transcribed", "verdict"] == "TRANSCRIBED").all()
    report = (tmp_path / "out" / "esem2024" / "REPORT.md").read_text()
    assert report.index("## Headline results at a glance") < report.index("## Summary")
