"""Every numeric statement of the paper has a claim; a statement without one fails the run before any task."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from artifact.errors import ArtifactError
from artifact.expected import expected_dir
from artifact.report.claims import load_claims
from artifact.report.statements import STATEMENTS, check_registry, load_statements

ESEM = expected_dir("esem2024")


def test_every_statement_of_the_paper_has_a_claim_that_exists() -> None:
    known = {claim.id for claim in load_claims(ESEM / "claims")}
    rows = load_statements(ESEM / STATEMENTS)
    without = [row["id"] for row in rows if not [c for c in row["claims"].split(";") if c.strip()]]
    unknown = {row["id"]: c for row in rows for c in row["claims"].split(";") if c.strip() and c not in known}
    assert not without, f"statements without a claim: {without}"
    assert not unknown, f"statements naming claims that do not exist: {unknown}"


def test_the_table_covers_the_abstract_sections_4_and_5_and_the_captions() -> None:
    sections = {row["section"].split(" (")[0].split(",")[0] for row in load_statements(ESEM / STATEMENTS)}
    assert {"Abstract", "Section 4.2", "Section 5.4.2", "Section 5.5.2", "Figure 6 caption", "Figure 7 caption", "Figure 8 caption"} <= sections
    ids = {row["id"] for row in load_statements(ESEM / STATEMENTS)}
    assert {"s4.2.five-unevaluated", "abstract.four-unquantified", "s5.5.2.consistently", "abstract.strong-correlation"} <= ids


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ESEM, tmp_path / "esem2024")
    return tmp_path / "esem2024"


def test_a_statement_that_loses_its_claim_fails_naming_the_file_and_statement(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    table = folder / STATEMENTS
    table.write_text(table.read_text().replace(',"RQ1.tested-three"', ",").replace(",RQ1.tested-three", ","))
    with pytest.raises(ArtifactError, match=r"paper_statements.csv: statement 'abstract.tested-three' \(Abstract \(Results\)\) has no claim"):
        check_registry(folder)


def test_a_statement_naming_an_unknown_claim_fails(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "claims" / "rq1_review.toml").write_text(
        (folder / "claims" / "rq1_review.toml").read_text().replace('id = "RQ1.tested-three"', 'id = "RQ1.tested-3"')
    )
    with pytest.raises(ArtifactError, match=r"statement 'abstract.tested-three' names claim\(s\) \['RQ1.tested-three'\]"):
        check_registry(folder)


def test_reproduce_refuses_a_bad_claim_before_any_task(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from artifact.cli import run

    folder = tmp_path / "sample"
    shutil.copytree(expected_dir("sample"), folder)
    claims = folder / "claims" / "directions.toml"
    claims.write_text(claims.read_text().replace('kind = "recomputed"', 'kind = "authors-output"', 1))
    monkeypatch.setattr(run, "expected_dir", lambda profile: folder)
    monkeypatch.setenv("ARTIFACT_OUTPUTS", str(tmp_path / "out"))
    args = argparse.Namespace(profile="sample", workers=1)
    with pytest.raises(ArtifactError, match=r"directions.toml: claim 'M1.transformers-most-preserved': kind 'authors-output' does not fit"):
        run.reproduce(args)
    assert not (tmp_path / "out" / "sample").exists()  # no task ran
