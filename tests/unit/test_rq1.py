"""RQ1: the review's data rendered as Table 3, and the checks of the paper's numbers against each other."""

from __future__ import annotations

from pathlib import Path

import pytest

from artifact.rq1 import NOT_MEASURED, NOT_TRANSCRIBED, consistency, load_review, table3_latex, table3_markdown

# A made-up review: 10 papers -> 6 -> 4; 20 claims -> 7 kept (3 motivation + 3 work: one short) -> 3
# consolidated; Table 3 has two rows, both marked as lacking support; the paper states 1 and 2.
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

[[claim]]
number = 2
theme = "Reuse & selection"
label = "Users pick 100% popular_models"
basis = "survey"
studies = 3
lacks_quantitative_support = true
measured_by = "Metric 2"

[[claim]]
number = 1
label = "Cards are short"
lacks_quantitative_support = true
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
    marked = table.loc["Table 3 rows marked as lacking quantitative support, at most the smaller count stated"]
    assert (marked["left"], marked["right"], marked["consistent"]) == (2, 1, False)
    stated = table.loc["unquantified claims: 1 in Abstract vs 2 in Section 4"]
    assert (stated["left"], stated["right"], stated["consistent"]) == (1, 2, False)


def test_paper_selection_that_grows_is_inconsistent(review: dict) -> None:
    review["funnel"].loc[review["funnel"]["stage"] == "papers found", "count"] = 5
    row = consistency(review).set_index("check").loc["each paper-selection step keeps at most what the previous one had"]
    assert not row["consistent"]


def test_table3_rows_in_order_and_missing_cells_say_so(review: dict) -> None:
    lines = table3_markdown(review["claims"]).splitlines()
    assert lines[0] == (
        "| # | Theme | Claim (our wording) | Basis | Supporting studies | Lacks quantitative support | Measured here by |"
    )
    assert lines[2] == (
        f"| 1 | {NOT_TRANSCRIBED} | Cards are short | {NOT_TRANSCRIBED} | {NOT_TRANSCRIBED} | yes | {NOT_MEASURED} |"
    )
    assert lines[3] == "| 2 | Reuse & selection | Users pick 100% popular_models | survey | 3 | yes | Metric 2 |"
    assert lines[-1].startswith("1 of 2 rows have cells marked (not transcribed)")


def test_complete_table3_has_no_note(review: dict) -> None:
    claims = review["claims"].iloc[[1]]  # only the complete row
    assert "not transcribed" not in table3_markdown(claims)
    assert not table3_latex(claims).startswith("%")


def test_table3_latex_escapes_special_characters(review: dict) -> None:
    latex = table3_latex(review["claims"])
    assert r"2 & Reuse \& selection & Users pick 100\% popular\_models & survey & 3 & yes & Metric 2 \\" in latex
    assert latex.splitlines()[0].startswith("% 1 of 2 rows")
    assert r"\# & Theme" in latex
