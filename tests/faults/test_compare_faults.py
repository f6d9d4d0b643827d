"""Case 1 of issue 25: `compare` fails closed (no outputs, or nothing archived to compare, is an error, never a match)."""

from __future__ import annotations

import shutil
from pathlib import Path

import artifact.expected
from artifact.cli import main
from artifact.expected import expected_dir


def test_case1_compare_without_outputs_is_an_error_not_a_match(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path / "none"))
    assert main(["compare", "--profile", "esem2024"]) == 2
    captured = capsys.readouterr()
    assert "nothing to compare" in captured.err and str(tmp_path / "none" / "esem2024") in captured.err
    assert "matches" not in captured.out


def test_case1_compare_of_esem2024_checks_the_claims_verdicts(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path))
    tables = tmp_path / "esem2024" / "tables"
    tables.mkdir(parents=True)
    archived = (expected_dir("esem2024") / "verdicts.csv").read_text().splitlines()
    claim, verdict = archived[1].split(",")
    rows = [f"{line},x" for line in archived]  # claims.csv has more columns than id and verdict
    (tables / "claims.csv").write_text("\n".join(rows) + "\n")
    assert main(["compare", "--profile", "esem2024"]) == 0
    assert "matches" in capsys.readouterr().out
    rows[1] = f"{claim},DIFFERS,x"
    (tables / "claims.csv").write_text("\n".join(rows) + "\n")
    assert main(["compare", "--profile", "esem2024"]) == 1
    assert f"claim {claim}: verdict DIFFERS, archived {verdict}" in capsys.readouterr().out


def test_case1_a_profile_with_nothing_archived_is_an_error(tmp_path: Path, monkeypatch, capsys) -> None:
    shutil.copytree(expected_dir("sample") / "claims", tmp_path / "expected" / "sample" / "claims")  # claims only
    monkeypatch.setattr(artifact.expected, "EXPECTED_ROOT", tmp_path / "expected")
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path))
    (tmp_path / "sample").mkdir()
    assert main(["compare", "--profile", "sample"]) == 2
    assert "nothing to compare" in capsys.readouterr().err

