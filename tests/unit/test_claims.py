"""Claims checked against small hand-made tables: every verdict and every comparison."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from artifact.errors import ArtifactError
from artifact.report.claims import Claim, evaluate, load_claims, summary_counts

ALL = {"a", "b"}  # the inputs available in these cases
TABLES = {
    "tables/t.csv": pd.DataFrame(
        {"registry": ["hf", "npm", "pypi"], "share": [0.45, 0.93, 0.9], "distinct": [2500, 1100, 1400]}
    )
}


def _claim(**overrides) -> Claim:
    base = {
        "id": "c", "source": "paper", "kind": "recomputed", "where": "Sec. 5", "statement": "s", "output": "tables/t.csv",
        "column": "distinct", "check": "equal", "expected": 2500,
    }
    base.update(select={"registry": "hf"})
    base.update(overrides)
    return Claim(**base)


@pytest.mark.parametrize(
    ("overrides", "verdict"),
    [
        ({}, "REPRODUCED"),
        ({"expected": 2535}, "DIFFERS"),
        ({"check": "abs", "expected": 2535, "tolerance": 35}, "REPRODUCED"),
        ({"check": "abs", "expected": 2535, "tolerance": 34}, "DIFFERS"),
        ({"check": "rel", "expected": 2600, "tolerance": 0.04}, "REPRODUCED"),  # |2500-2600| = 100 <= 104
        ({"check": "rel", "expected": 2600, "tolerance": 0.03}, "DIFFERS"),  # 100 > 78
        ({"column": "share", "check": "lt", "expected": 0.5}, "REPRODUCED"),
        ({"column": "share", "check": "gt", "expected": 0.5}, "DIFFERS"),
        ({"column": "share", "check": "le", "expected": 0.45}, "REPRODUCED"),
        ({"column": "share", "check": "ge", "expected": 0.46}, "DIFFERS"),
    ],
)
def test_comparisons(overrides: dict, verdict: str) -> None:
    assert evaluate([_claim(**overrides)], TABLES, ALL)["verdict"].tolist() == [verdict]


def test_reference_to_another_row_checks_a_direction() -> None:
    claim = _claim(column="share", check="lt", expected={"select": {"registry": "npm"}, "column": "share"})
    row = evaluate([claim], TABLES, ALL).iloc[0]
    assert row["verdict"] == "REPRODUCED" and row["observed"] == "0.45" and "0.93" in row["detail"]


def test_reference_in_another_table_is_read_from_it_and_named() -> None:
    tables = TABLES | {"tables/u.csv": pd.DataFrame({"registry": ["npm"], "share": [0.4]})}
    claim = _claim(column="share", check="lt", expected={"output": "tables/u.csv", "select": {"registry": "npm"}, "column": "share"})
    row = evaluate([claim], tables, ALL).iloc[0]
    assert row["verdict"] == "DIFFERS" and row["expected"] == "share of tables/u.csv where registry=npm" and "0.4" in row["detail"]
    assert evaluate([claim], TABLES, ALL).iloc[0]["detail"] == "output tables/u.csv was not produced"


def test_missing_input_makes_the_claim_unavailable_and_names_it() -> None:
    row = evaluate([_claim(inputs=("a", "b"))], {}, {"a"}).iloc[0]
    assert row["verdict"] == "UNAVAILABLE" and row["detail"] == "missing input(s): b"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"output": "tables/none.csv"}, "was not produced"),
        ({"column": "nope"}, "no column 'nope'"),
        ({"select": {"registry": "cran"}}, "0 rows"),
    ],
)
def test_present_inputs_but_no_value_is_an_error(overrides: dict, message: str) -> None:
    row = evaluate([_claim(**overrides)], TABLES, ALL).iloc[0]
    assert row["verdict"] == "ERROR" and message in row["detail"]


def test_summary_counts() -> None:
    verdicts = evaluate([_claim(id="a"), _claim(id="b", expected=1), _claim(id="c", inputs=("x",))], TABLES, ALL)
    counts = summary_counts(verdicts)
    assert {k: v for k, v in counts.items() if v} == {"REPRODUCED": 1, "DIFFERS": 1, "UNAVAILABLE": 1}
    assert set(counts) >= {"CONSISTENT", "TRANSCRIBED", "ADDS-UP", "FILES-MATCH", "ERROR"}


def test_claims_on_the_authors_outputs_are_consistent_or_not() -> None:
    tables = {"tables/authors/t.csv": TABLES["tables/t.csv"]}
    on_authors = {"output": "tables/authors/t.csv", "kind": "authors-output"}
    verdicts = evaluate([_claim(id="a", **on_authors), _claim(id="b", expected=1, **on_authors)], tables, ALL)
    assert verdicts["verdict"].tolist() == ["CONSISTENT", "INCONSISTENT"]


def test_an_unreadable_output_makes_its_claims_unavailable_with_the_reason() -> None:
    unreadable = pd.DataFrame({"output": ["tables/t.csv", "tables/u.csv"], "file": ["f.pdf", "g.pdf"], "reason": ["no labels", "x"]})
    verdicts = evaluate([_claim(id="a"), _claim(id="b", select={"figure": "other.pdf"})], TABLES, ALL, unreadable)
    assert verdicts["verdict"].tolist() == ["UNAVAILABLE", "ERROR"]  # the second names another figure: not at fault
    assert verdicts["detail"].iloc[0] == "unreadable input: f.pdf: no labels"


def test_load_claims_rejects_unknown_checks_and_duplicates(tmp_path: Path) -> None:
    text = 'id = "a"\nsource = "paper"\nkind = "recomputed"\nwhere = "p"\nstatement = "s"\noutput = "o"\ncolumn = "c"\nexpected = 1\n'
    (tmp_path / "a.toml").write_text(f'[[claim]]\n{text}check = "about"\n')
    with pytest.raises(ArtifactError, match="about"):
        load_claims(tmp_path)
    (tmp_path / "a.toml").write_text(f'[[claim]]\n{text}check = "equal"\n[[claim]]\n{text}check = "equal"\n')
    with pytest.raises(ArtifactError, match="twice"):
        load_claims(tmp_path)


def test_load_claims_wants_a_tolerance_for_fractional_numbers(tmp_path: Path) -> None:
    text = 'id = "a"\nsource = "paper"\nkind = "recomputed"\nwhere = "p"\nstatement = "s"\noutput = "o"\ncolumn = "slope"\n'
    (tmp_path / "a.toml").write_text(f'[[claim]]\n{text}expected = 0.15\ncheck = "equal"\n')
    with pytest.raises(ArtifactError, match="'abs' or 'rel' and a tolerance"):
        load_claims(tmp_path)
    (tmp_path / "a.toml").write_text(f'[[claim]]\n{text}expected = 0.15\ncheck = "abs"\ntolerance = 0.005\n')
    assert load_claims(tmp_path)[0].tolerance == 0.005


def test_every_shipped_claims_file_loads() -> None:
    root = Path(__file__).resolve().parents[2] / "expected_outputs"
    for folder in root.glob("*/claims"):
        for claim in load_claims(folder):
            assert claim.source and claim.where and claim.statement
            assert claim.source != "paper" or claim.quote or folder.parent.name != "esem2024" or claim.where.startswith("Figure 4")


def test_load_claims_rejects_an_unknown_source_kind(tmp_path: Path) -> None:
    text = 'id = "a"\nsource = "blog"\nwhere = "p"\nstatement = "s"\noutput = "o"\ncolumn = "c"\nexpected = 1\ncheck = "equal"\n'
    (tmp_path / "a.toml").write_text(f"[[claim]]\n{text}")
    with pytest.raises(ArtifactError, match="blog"):
        load_claims(tmp_path)

