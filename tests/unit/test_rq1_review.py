"""RQ1: the review's data rendered as Table 3, and the checks of the paper's numbers against each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.metrics.rq1_review import NOT_MEASURED, NOT_TRANSCRIBED, consistency, load_review, table3_latex, table3_markdown, unquantified_table
from tests.conftest import EXPECTED

# A made-up review: 10 papers -> 6 -> 4; 7 claims kept (3 motivation + 3 work: one short) -> 3
# consolidated; Table 3 has two rows, one with a dagger (theme A); the paper states 1 and 2, and 2 in theme A.
REVIEW = """
[[funnel]]
stage = "papers found"
count = 10
[[funnel]]
stage = "papers after removing duplicates"
count = 6
[[funnel]]
stage = "papers after the selection criteria"
count = 4
[[funnel]]
stage = "claims kept"
count = 7
[[funnel]]
stage = "motivation claims"
count = 3
part_of = "claims kept"
[[funnel]]
stage = "work claims"
count = 3
part_of = "claims kept"
[[funnel]]
stage = "consolidated claims"
count = 3

[[unquantified]]
where = "Abstract"
count = 1
[[unquantified]]
where = "Section 4"
count = 2

[[theme_count]]
theme = "A & B"
stated = 2

[caption]
small_scale = "Small means under 10%"
dagger = "Not large-scale"

[[claim]]
number = 2
theme = "A & B"
label = "Users pick 100% popular_models"
basis = "Survey"
works = ["X et al., 2020", "Y et al., 2021"]
dagger = 1
measured_by = "Metric 2"

[[claim]]
number = 1
label = "Cards are short"
basis = "Case Study"
works = ["Z et al., 2022"]
"""


@pytest.fixture()
def review(tmp_path: Path) -> dict:
    path = tmp_path / "review.toml"
    path.write_text(REVIEW)
    return load_review(path)


def test_every_check_can_fail_and_says_both_numbers(review: dict) -> None:
    table = consistency(review).set_index("check")
    parts = table.loc["motivation claims, work claims add up to claims kept"]
    assert (parts["left"], parts["right"], parts["consistent"]) == (6, 7, False)
    papers = table.loc["each paper-selection step keeps at most what the previous one had"]
    assert (papers["left"], papers["right"], papers["consistent"]) == (4, 10, True)
    rows = table.loc["Table 3 has one row per consolidated claim"]
    assert (rows["left"], rows["right"], rows["consistent"]) == (2, 3, False)
    abstract = table.loc["Table 3 daggers vs the count of unquantified claims in Abstract"]
    assert (abstract["left"], abstract["right"], abstract["consistent"]) == (1, 1, True)
    section = table.loc["Table 3 daggers vs the count of unquantified claims in Section 4"]
    assert (section["left"], section["right"], section["consistent"]) == (1, 2, False)
    theme = table.loc["Table 3 daggers in A & B vs Section 4.2"]
    assert (theme["left"], theme["right"], theme["consistent"]) == (1, 2, False)


def test_daggers_are_read_from_the_rows_of_table3(review: dict) -> None:
    review["claims"].loc[review["claims"]["number"] == 1, "dagger"] = 2
    assert unquantified_table(review)["table3_daggers"].tolist() == [2, 2]


def test_paper_selection_that_grows_is_inconsistent(review: dict) -> None:
    review["funnel"].loc[review["funnel"]["stage"] == "papers found", "count"] = 5
    row = consistency(review).set_index("check").loc["each paper-selection step keeps at most what the previous one had"]
    assert not row["consistent"]


def test_table3_rows_in_order_with_works_daggers_and_caption(review: dict) -> None:
    lines = table3_markdown(review).splitlines()
    assert lines[0] == "| # | Theme | Claim | Claim basis | Works | † | Measured here by |"
    assert lines[2] == f"| 1 | {NOT_TRANSCRIBED} | Cards are short | Case Study | Z et al., 2022 |  | {NOT_MEASURED} |"
    assert lines[3] == "| 2 | A & B | Users pick 100% popular_models | Survey | X et al., 2020; Y et al., 2021 | † (1) | Metric 2 |"
    assert "Small means under 10%." in lines and "†: Not large-scale (the number after it is the paper's)." in lines
    assert lines[-1].startswith("1 of 2 rows have cells marked (not transcribed)")


def test_table3_latex_escapes_special_characters(review: dict) -> None:
    latex = table3_latex(review)
    assert r"2 & A \& B & Users pick 100\% popular\_models & Survey & X et al., 2020; Y et al., 2021 & $\dagger$ (1) & Metric 2 \\" in latex
    assert r"\# & Theme" in latex and latex.splitlines()[0] == "% Small means under 10%."


def test_the_papers_table3_is_complete_with_four_daggers() -> None:
    review = load_review(EXPECTED / "esem2024" / "rq1_review.toml")
    text = table3_markdown(review)
    assert NOT_TRANSCRIBED not in text and len(review["claims"]) == 12
    assert sorted(review["claims"]["dagger"].dropna().astype(int)) == [1, 2, 3, 4]
    checks = consistency(review).set_index("check")["consistent"]
    assert not checks["Table 3 daggers vs the count of unquantified claims in Section 4.2 (Analysis and Results)"]
    assert checks["Table 3 daggers vs the count of unquantified claims in Abstract (Results)"]
    assert not checks["Table 3 daggers in Documentation and Understanding vs Section 4.2"]
