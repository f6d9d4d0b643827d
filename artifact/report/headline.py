"""The paper's headline results at a glance: for each, how this run checked it, or what it would need.

One row per result of the paper (HEADLINES: a label and the claim-id prefixes that check it). A
row says the strongest way this run checked it, from its claims' kinds and verdicts: recomputed
from the paper's own inputs, recomputed from an authors' intermediate file, read from the authors'
outputs only, re-tested on independent data only, transcribed from the paper only, or not checked
(with the missing inputs by name). The authors' files against each other never check a result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

HEADLINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Figure 5: Transformers' preservation share and the libraries' counts", ("M1.", "A.M1.")),
    ("Figure 6: turnover of the top lists (HF against npm and PyPI, distinct packages)", ("M2.", "A.M2.")),
    ("Figure 7: the fit's slope and the 'weak positive' correlation", ("M3.fig7", "M3.weak-positive", "M3.positive-correlation", "A.M3.fig7")),
    (
        "Figure 8: top above bottom in documentation, its significance, 'strong correlation'",
        ("M4.fig8", "M4.top-better", "M4.likes", "M4.downloads", "M4.strong"),
    ),
    ("Section 5.4.1: the top models' share of all downloads", ("M3.top-15000-share", "M4.top-15000")),
    ("RQ1: the review's counts (papers found, kept, by theme, unevaluated)", ("RQ1.",)),
)
CHECKED = ("REPRODUCED", "DIFFERS")
MISSING = re.compile(r"missing input\(s\): (.+)")


@dataclass(frozen=True)
class Headline:
    """One result of the paper: how this run checked it, the verdicts of its claims, and what is missing."""

    result: str
    how: str
    verdicts: str
    missing: str


def headlines(verdicts: pd.DataFrame, synthetic: bool = False) -> list[Headline]:
    """The headline rows for these verdicts (claims.VERDICT_COLUMNS), in HEADLINES order; `synthetic`: the profile's data are made up."""
    return [
        _headline(label, verdicts[verdicts["id"].map(lambda i, p=prefixes: i.startswith(p))], synthetic)
        for label, prefixes in HEADLINES
    ]


def _headline(label: str, rows: pd.DataFrame, synthetic: bool) -> Headline:
    rows = rows[~rows["kind"].isin(("authors-files", "authors-code"))]  # counted apart (report/view.py APART)
    recomputed = rows[(rows["kind"] == "recomputed") & rows["verdict"].isin(CHECKED)]
    if not recomputed.empty and (recomputed["source"] == "artifact-rule").all():
        how = "re-tested on synthetic data only (not the paper)" if synthetic else "re-tested on independent data only"
    elif not recomputed.empty and recomputed["output"].str.contains("intermediate").all():
        how = "recomputed from an authors' intermediate file"
    elif not recomputed.empty:
        how = "recomputed from the paper's own inputs"
    elif rows["verdict"].isin(("CONSISTENT", "INCONSISTENT")).any():
        how = "read from the authors' outputs only"
    elif rows["verdict"].isin(("TRANSCRIBED", "ADDS-UP", "DOES-NOT-ADD-UP")).any():
        how = "held as the paper's text only (not checked against data)"
    else:
        how = "not checked"
    counts = rows["verdict"].value_counts()
    tally = ", ".join(f"{int(n)} {verdict}" for verdict, n in sorted(counts.items())) or "no claim in this profile"
    needed = sorted({name.strip() for detail in rows["detail"].astype(str) for m in [MISSING.search(detail)] if m for name in m.group(1).split(",")})
    return Headline(label, how, tally, ", ".join(needed))
