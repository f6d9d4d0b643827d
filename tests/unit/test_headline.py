"""The headline table says how each result of the paper was checked, and never counts a transcription or the authors' files against each other."""

from __future__ import annotations

import pandas as pd

from artifact.report.claims import VERDICT_COLUMNS
from artifact.report.headline import HEADLINES, headlines


def _rows(*rows: dict) -> pd.DataFrame:
    base = dict.fromkeys(VERDICT_COLUMNS, "")
    return pd.DataFrame([{**base, "source": "paper", **row} for row in rows], columns=list(VERDICT_COLUMNS))


def _how(verdicts: pd.DataFrame) -> dict[str, str]:
    return {h.result.split(":")[0]: h.how for h in headlines(verdicts)}


def test_each_way_of_checking_is_named() -> None:
    verdicts = _rows(
        {"id": "M3.fig7.slope.intermediate", "kind": "recomputed", "output": "tables/m3_fits_intermediate.csv", "verdict": "REPRODUCED"},
        {"id": "A.M1.fig5.variant-7", "kind": "authors-files", "output": "tables/authors/pdf_bars.csv", "verdict": "FILES-MATCH"},
        {"id": "A.M2.distinct.hf.notebook", "kind": "authors-output", "output": "tables/authors/n.csv", "verdict": "CONSISTENT"},
        {"id": "M4.likes.top", "kind": "recomputed", "source": "artifact-rule", "output": "tables/m4_statistics.csv", "verdict": "DIFFERS"},
        {"id": "RQ1.funnel.papers-found", "kind": "transcribed", "output": "tables/rq1_funnel.csv", "verdict": "TRANSCRIBED"},
        {"id": "M3.top-15000-share", "kind": "recomputed", "output": "t.csv", "verdict": "UNAVAILABLE", "detail": "missing input(s): a, b"},
    )
    how = _how(verdicts)
    assert how == {
        "Figure 5": "not checked",  # the authors' figure variants agreeing checks nothing of the paper
        "Figure 6": "read from the authors' outputs only",
        "Figure 7": "recomputed from an authors' intermediate file",
        "Figure 8": "re-tested on independent data only",
        "Section 5.4.1": "not checked",
        "RQ1": "held as the paper's text only (not checked against data)",
    }
    assert headlines(verdicts)[4].missing == "a, b" and len(headlines(verdicts)) == len(HEADLINES)
