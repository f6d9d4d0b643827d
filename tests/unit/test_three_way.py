"""The report's numbers three ways: ours, the authors' code, the authors' archived figures."""

from __future__ import annotations

import pandas as pd

from artifact.authors.witness import COMPARISON_COLUMNS
from artifact.report.three_way import BARS, STATUS, not_run, three_way

SCRIPT = "research_quantitative-analysis-of-hf-main/src/proportion_DirectDescendantsToLibrary.py"
FIGURE = "proportion_of_direct_descendant_models_per_library-15.pdf"


def _comparison(rows: list[tuple[str, str, float, float, str]], label: str) -> pd.DataFrame:
    """A witness comparison table of (quantity, key, ours, theirs, verdict) rows on input `label`."""
    records = [(SCRIPT, label, q, k, o, t, 0.0, "exact", v) for q, k, o, t, v in rows]
    return pd.DataFrame(records, columns=list(COMPARISON_COLUMNS))


def _bars() -> pd.DataFrame:
    return pd.DataFrame({"figure": [FIGURE] * 3, "position": [1, 2, 3], "label": ["transformers", "sentence-tx", "timm"],
                         "height": [0.83, 0.0677, 0.0809], "annotation": [2699.0, 220.0, 263.0]})


def test_ours_is_reproduced_against_the_archived_figure_to_its_printed_digits() -> None:
    comparison = _comparison([("count", "transformers", 2699, 2699, "AGREES"), ("proportion", "transformers", 0.83004, 0.83004, "AGREES"),
                              ("count", "sentence-transformers", 221, 220, "DISAGREES")], "PeaTMOSS database (esem2024-peatmoss)")
    (metric,) = three_way({"tables/authors_code/proportion_database.csv": comparison, BARS: _bars()})
    cells = {(row.quantity, row.key): (row.ours, row.code, row.archived) for row in metric.rows}
    assert cells["count", "transformers"] == ("2699", "2699 AGREES", f"2699 ({FIGURE}) REPRODUCED")
    assert cells["proportion", "transformers"][2] == f"0.83 ({FIGURE}) REPRODUCED"
    assert cells["count", "sentence-transformers"] == ("221", "220 DISAGREES", f"220 ({FIGURE}) DIFFERS")
    assert cells["count", "timm"][:2] == ("not computed in this run (input missing)", "not run in this run (input missing)")


def test_an_archived_figure_stands_beside_ours_only_on_the_authors_input() -> None:
    comparison = _comparison([("count", "transformers", 5, 5, "AGREES")], "Hub listing as a PeaTMOSS-shaped database")
    (metric,) = three_way({"tables/authors_code/proportion_listing.csv": comparison})
    assert metric.rows[0].archived == "none archived for this input"


def test_scripts_that_gave_no_number_are_listed_with_why() -> None:
    status = pd.DataFrame({"script": ["a.py", "b.r", "c.py"], "input": ["x", "y", float("nan")],
                           "status": ["ran", "ran in part (failed)", "not run"], "reason": ["", "lsr", "not run: pickle"]})
    assert not_run({STATUS: status}) == [("c.py", "", "not run: pickle")]
