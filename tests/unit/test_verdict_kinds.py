"""Each kind of check has its own verdict words; only recomputations count as reproduced; conventions judge words."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from artifact.errors import ArtifactError
from artifact.report import view
from artifact.report.claims import Claim, evaluate, exit_code, load_claims, summary_counts
from artifact.report.conventions import convention_word
from artifact.report.render import summary_line

FUNNEL = "tables/rq1_funnel.csv"
TABLES = {
    FUNNEL: pd.DataFrame({"stage": ["papers found"], "count": [45]}),
    "tables/m3.csv": pd.DataFrame({"method": ["spearman"], "rho": [0.419], "p": [0.004]}),
    "tables/authors/bars.csv": pd.DataFrame({"figure": ["a", "b"], "value": [0.8, 0.8]}),
}


def _claim(**overrides: object) -> Claim:
    base = {"id": "M3.x", "source": "paper", "kind": "recomputed", "where": "Sec. 5", "statement": "s", "output": "tables/m3.csv",
            "column": "rho", "check": "gt", "expected": 0.0, "select": {"method": "spearman"}}
    return Claim(**{**base, **overrides})


TRANSCRIBED = _claim(id="RQ1.found", kind="transcribed", output=FUNNEL, select={"stage": "papers found"}, column="count", check="equal", expected=45)
FILES = _claim(id="A.M1.variant", kind="authors-files", source="authors-output", output="tables/authors/bars.csv", select={"figure": "a"},
               column="value", check="equal", expected={"select": {"figure": "b"}, "column": "value"})


def test_a_transcription_is_transcribed_never_reproduced_and_alone_exits_4() -> None:
    verdicts = evaluate([TRANSCRIBED], TABLES, set())
    assert verdicts["verdict"].tolist() == ["TRANSCRIBED"]
    counts = summary_counts(verdicts)
    assert counts["REPRODUCED"] == 0 and exit_code(counts) == 4
    assert view.conclusion(verdicts, synthetic=False).startswith("no result of the paper was checked")
    assert evaluate([TRANSCRIBED], {FUNNEL: TABLES[FUNNEL].assign(count=44)}, set())["verdict"].tolist() == ["MISTRANSCRIBED"]
    assert exit_code(summary_counts(evaluate([TRANSCRIBED], {FUNNEL: TABLES[FUNNEL].assign(count=44)}, set()))) == 3


def test_nothing_at_all_exits_4_a_recomputation_0_a_difference_3() -> None:
    assert exit_code(summary_counts(evaluate([_claim(inputs=("x",))], TABLES, set()))) == 4
    assert exit_code(summary_counts(evaluate([_claim(), TRANSCRIBED], TABLES, set()))) == 0
    assert exit_code(summary_counts(evaluate([_claim(check="lt")], TABLES, set()))) == 3


def test_the_authors_files_against_each_other_stand_outside_the_headline_counts() -> None:
    verdicts = evaluate([FILES, _claim()], TABLES, set())
    assert verdicts["verdict"].tolist() == ["FILES-MATCH", "REPRODUCED"]
    assert [(metric, total) for metric, _, total in view.verdict_counts(verdicts)] == [("M3", 1), ("all", 1)]
    assert "the authors' files agree with each other in 1 of 1 checks (outside these counts)" in summary_line(verdicts)


def test_the_conclusion_names_the_metrics_not_recomputed_and_synthetic_data() -> None:
    verdicts = evaluate([_claim(), _claim(id="M4.y", inputs=("cards",))], TABLES, set())
    assert view.conclusion(verdicts, synthetic=False) == "not checked from data: Metric 4"
    assert view.conclusion(verdicts, synthetic=True).startswith("these verdicts are about synthetic data (the pipeline), not the paper")
    assert summary_line(verdicts, synthetic=True).startswith("on synthetic data, not the paper: 1 claims reproduced")


@pytest.mark.parametrize(("value", "word"), [(0.19, "very weak"), (0.2, "weak"), (0.419, "moderate"), (-0.65, "strong"), (0.8, "very strong")])
def test_evans_1996_scale(value: float, word: str) -> None:
    assert convention_word("evans1996", value) == word


def test_a_word_is_judged_by_its_named_convention_and_shows_value_word_and_papers_word() -> None:
    row = evaluate([_claim(check="word", convention="evans1996", expected="weak")], TABLES, set()).iloc[0]
    assert row["verdict"] == "DIFFERS" and row["observed"].startswith("0.419 (moderate, Evans (1996)")
    assert "the paper's word: weak" in row["detail"]
    significant = _claim(column="p", check="word", convention="alpha-0.01", expected="significant")
    assert evaluate([significant], TABLES, set())["verdict"].tolist() == ["REPRODUCED"]


def test_an_uncheckable_statement_is_registered_with_its_reason() -> None:
    claim = _claim(kind="uncheckable", output="", column="", check="equal", expected=15913, note="not an input")
    row = evaluate([claim], TABLES, set()).iloc[0]
    assert row["verdict"] == "UNCHECKABLE" and row["detail"] == "no input of this artifact holds this value: not an input"


HEAD = 'id = "c1"\nsource = "paper"\nwhere = "p"\nstatement = "s"\ncolumn = "c"\nexpected = 1\ncheck = "equal"\n'


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ('kind = "guess"\noutput = "tables/t.csv"\n', r"claim 'c1': kind 'guess' is not one of"),
        ('kind = "authors-output"\noutput = "tables/t.csv"\n', r"claim 'c1': kind 'authors-output' does not fit its output tables/t.csv"),
        ('kind = "recomputed"\noutput = "tables/authors/t.csv"\n', r"kind 'recomputed' does not fit its output tables/authors/t.csv"),
        ('kind = "recomputed"\noutput = "tables/rq1_funnel.csv"\n', r"a claim on it is transcribed"),
        ('output = "tables/t.csv"\n', r"kind '' is not one of"),
        ('kind = "recomputed"\noutput = "tables/t.csv"\nconvention = "cohen1988"\n', r"claim 'c1': convention 'cohen1988'"),
        ('kind = "uncheckable"\noutput = ""\n', r"claim 'c1' is uncheckable: its note must say why"),
    ],
)
def test_a_bad_claim_file_names_the_file_and_the_claim(tmp_path: Path, fields: str, message: str) -> None:
    (tmp_path / "m.toml").write_text(f"[[claim]]\n{HEAD}{fields}")
    with pytest.raises(ArtifactError, match=rf"m.toml: {message}" if message.startswith("claim") else message):
        load_claims(tmp_path)


def test_make_reproduce_names_code_4_and_what_was_verified_on_its_last_line(tmp_path: Path) -> None:
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    stub = tmp_path / "python"  # stands for a run that recomputed nothing
    stub.write_text('#!/bin/sh\necho "no result of the paper was checked: inputs missing" > "$ARTIFACT_CONCLUSION_FILE"\nexit 4\n')
    stub.chmod(0o755)
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(["make", "-s", "-o", "install", "reproduce", f"PY={stub}", "PROFILE=esem2024"],
                            cwd=repo, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-2] == "exit code 4: nothing verified; no result of the paper was checked: inputs missing"
