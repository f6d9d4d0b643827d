"""The authors' Figure 6 against ours: bars drawn from exact log10 values on a linear axis (no CPU log routine)."""

from __future__ import annotations

import pandas as pd

from artifact.authors.compare import SERIES
from artifact.figures.fig_authors_turnover import figure_turnover_comparison


def _table() -> pd.DataFrame:
    rows = [
        {"registry": "npm", "position": 0, "series": series, "snapshot_authors": "2022-11", "snapshot_ours": "2022-11",
         "authors": 100.0, "authors_low": 10.0, "authors_high": 1000.0, "authors_status": "measured", "ours": ours}
        for series, ours in zip(SERIES, [1000, 0, 10])
    ]
    return pd.DataFrame(rows)


def test_bars_are_exact_decades_and_a_zero_has_no_bar() -> None:
    axes = figure_turnover_comparison(_table()).axes
    assert all(ax.get_yscale() == "linear" for ax in axes)
    heights = [[round(bar.get_height(), 12) for bar in ax.patches] for ax in axes]
    assert heights == [[2.0, 3.0], [2.0, 0.0], [2.0, 1.0]]  # authors' 100 and ours 1000, 0, 10 above the axis floor of 1
    (errors,) = [c for c in axes[0].containers if getattr(c, "has_yerr", False)]
    assert errors.lines[2][0].get_segments()[0].tolist() == [[-0.2, 1.0], [-0.2, 3.0]]  # from 10 to 1000
