"""Metric 3 on small cases whose answers were worked out by hand: counts, both variants, three fits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from artifact.metrics.m3_descendants import (
    BASE_DOWNLOADS,
    DESCENDANT_DOWNLOADS,
    descendant_fits,
    fit_loglog_positive,
    fit_paper,
    fit_spearman,
    parent_popularity,
    top_parents,
)

MODELS = pd.DataFrame(
    {
        "model_id": [1, 2, 3, 4, 5, 6],
        "name": ["base-a", "d1", "d2", "d3", "base-b", "d4"],
        "downloads": [100.0, 10.0, math.nan, 1000.0, math.nan, 5.0],
    }
)
# d1, d2 descend from base-a; d3 from base-a written "BASE-A" and from a base that is not a model
# row; d4 from base-b (no downloads); d2 (no downloads) also from "only-null".
LINKS = pd.DataFrame(
    {
        "model_id": [2, 3, 4, 4, 6, 3],
        "base_model_name": ["base-a", "base-a", "BASE-A", "ext/x", "base-b", "only-null"],
        "base_model_id": pd.array([1, 1, 1, None, 5, None], dtype="Int64"),
    }
)


def _rows(table: pd.DataFrame, variant: str) -> dict[str, tuple[int, int]]:
    part = table[table["variant"] == variant]
    return {row.base_model: (row.descendants, row.downloads) for row in part.itertuples()}


def test_descendant_downloads_variant_follows_the_authors_code() -> None:
    # By name; only descendants with downloads count; "only-null" has none: 0 and 0.
    assert _rows(parent_popularity(MODELS, LINKS), DESCENDANT_DOWNLOADS) == {
        "BASE-A": (1, 1000),
        "base-a": (1, 10),
        "base-b": (1, 5),
        "ext/x": (1, 1000),
        "only-null": (0, 0),
    }


def test_base_downloads_variant_uses_the_base_row() -> None:
    # By id: base-a (id 1) has d1, d2, d3 under either spelling; base-b has no downloads: left out.
    assert _rows(parent_popularity(MODELS, LINKS), BASE_DOWNLOADS) == {"base-a": (3, 100)}


def test_top_parents_count_all_descendants_by_name_and_break_ties_by_name() -> None:
    table = top_parents(LINKS, n=4)
    assert table["base_model"].tolist() == ["base-a", "BASE-A", "base-b", "ext/x"]
    assert table["descendants"].tolist() == [2, 1, 1, 1]
    assert table["rank"].tolist() == [1, 2, 3, 4]


# log10 points (0, 0), (2, 1), (4, 2), (2, 2) and a repeat of (2, 2):
# distinct pairs: mean x 2, mean y 1.25, Sxx 8, Sxy 4 -> slope 0.5, intercept 0.25;
# with the repeat kept the intercept would be 0.4.
DOWNLOADS = np.array([1.0, 100.0, 10000.0, 100.0, 100.0])
COUNTS = np.array([1.0, 10.0, 100.0, 100.0, 100.0])


def test_paper_fit_drops_repeated_pairs_before_the_fit() -> None:
    fit = fit_paper(DOWNLOADS, COUNTS)
    assert fit["n"] == 4
    assert fit["slope"] == pytest.approx(0.5, abs=1e-5) and fit["intercept"] == pytest.approx(0.25, abs=1e-5)


def test_paper_fit_keeps_zero_downloads_through_the_offset_and_loglog_positive_drops_them() -> None:
    # With (0, 1): x = (-5, 0, 2, 4), y = (0, 0, 1, 2): Sxx 44.75, Sxy 9.25 -> slope 9.25 / 44.75.
    downloads, counts = np.array([0.0, 1.0, 100.0, 10000.0]), np.array([1.0, 1.0, 10.0, 100.0])
    paper = fit_paper(downloads, counts)
    assert paper["n"] == 4
    assert paper["slope"] == pytest.approx(9.25 / 44.75, abs=1e-5)
    assert paper["intercept"] == pytest.approx(0.75 - 0.25 * 9.25 / 44.75, abs=1e-5)
    positive = fit_loglog_positive(downloads, counts)
    assert positive["n"] == 3 and positive["slope"] == pytest.approx(0.5) and positive["intercept"] == pytest.approx(0.0)
    assert positive["r"] == pytest.approx(1.0)


def test_spearman_rho_and_p_value() -> None:
    # Ranks (1, 2, 3, 4) and (1, 3, 2, 4): sum d^2 = 2, rho = 1 - 12 / 60; t = 0.8 * sqrt(2 / 0.36)
    # and the t distribution with 2 degrees of freedom give p = 0.2.
    fit = fit_spearman(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 2.0, 4.0]))
    assert fit["rho"] == pytest.approx(0.8) and fit["p_value"] == pytest.approx(0.2)
    assert fit["n"] == 4 and math.isnan(fit["slope"])


def test_too_few_or_constant_values_give_no_fit() -> None:
    assert math.isnan(fit_paper(np.array([1.0, 10.0]), np.array([1.0, 2.0]))["slope"])
    assert math.isnan(fit_spearman(np.array([5.0, 5.0, 5.0]), np.array([1.0, 2.0, 3.0]))["rho"])


def test_descendant_fits_gives_three_methods_per_variant() -> None:
    parents = pd.DataFrame({"variant": "v", "downloads": DOWNLOADS, "descendants": COUNTS})
    fits = descendant_fits(pd.concat([parents, parents.assign(variant="w")]))
    assert fits[["variant", "method"]].values.tolist() == [
        ["v", "paper"], ["v", "spearman"], ["v", "loglog-positive"],
        ["w", "paper"], ["w", "spearman"], ["w", "loglog-positive"],
    ]
    assert fits["parents"].tolist() == [5] * 6
    assert fits["n"].tolist() == [4, 5, 5] * 2


def test_descendant_fits_run_blas_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[int] = []
    polyfit = np.polyfit

    def recording_polyfit(*args: object, **kwargs: object) -> np.ndarray:
        threads.extend(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        return polyfit(*args, **kwargs)

    monkeypatch.setattr(np, "polyfit", recording_polyfit)
    with threadpool_limits(limits=2, user_api="blas"):  # as on a machine of two cores or more
        descendant_fits(pd.DataFrame({"variant": "v", "downloads": DOWNLOADS, "descendants": COUNTS}))
    assert threads and set(threads) == {1}


def test_no_base_links_give_empty_tables_with_the_columns() -> None:
    parents = parent_popularity(MODELS, LINKS.iloc[:0])
    assert parents.empty and list(parents.columns) == ["variant", "base_model", "descendants", "downloads"]
    assert descendant_fits(parents).empty and top_parents(LINKS.iloc[:0]).empty
