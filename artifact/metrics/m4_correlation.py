"""The abstract's "strong correlation between documentation quality and PTM popularity", as a correlation.

The paper ran a two-group test (top against bottom, Figure 8); this measures what the abstract's
word names: Spearman's rho between each model's documentation score and each popularity measure,
over the models scored. On the paper's own design (the top and bottom 1000 only) the rho is over
two extreme groups, which inflates it; on a card sample it is over every card.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from artifact.metrics.m3_descendants import fit_spearman

CORRELATION_COLUMNS = ("design", "score", "measure", "n", "rho", "p_value")


def documentation_correlations(scores: pd.DataFrame, score: str, measures: tuple[str, ...], design: str) -> pd.DataFrame:
    """One row per popularity measure: Spearman's rho of `score` and the measure over rows having both."""
    rows = []
    for measure in measures:
        both = scores.loc[:, [score, measure]].dropna()
        fit = fit_spearman(both[measure].to_numpy(dtype=float), both[score].to_numpy(dtype=float))
        rows.append({"design": design, "score": score, "measure": measure, "n": fit["n"], "rho": fit["rho"], "p_value": fit["p_value"]})
    return pd.DataFrame(rows, columns=list(CORRELATION_COLUMNS)).astype({"n": np.int64})
