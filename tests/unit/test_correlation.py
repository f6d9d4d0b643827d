"""Pearson's and Spearman's correlations without scipy.stats: equal to scipy.stats' pearsonr and spearmanr, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from artifact.metrics.correlation import average_ranks, pearson, spearman


def _samples() -> list[tuple[np.ndarray, np.ndarray]]:
    """Pairs like the fits': heavy-tailed downloads and counts with many ties, small and large, rising and falling."""
    rng = np.random.default_rng(20240711)
    pairs = []
    for n in (3, 4, 7, 50, 3471):
        downloads = np.floor(rng.lognormal(6, 3, n))
        counts = np.floor(rng.pareto(1.2, n) + downloads**0.1 * rng.random(n))
        pairs += [(downloads, counts), (np.log10(downloads + 1e-9), -np.log10(counts + 1e-9)), (rng.normal(size=n), rng.normal(size=n))]
    pairs.append((np.arange(10.0), np.arange(10.0) * 3 + 1))  # exactly correlated: r and rho 1
    return pairs


@pytest.mark.parametrize("index", range(len(_samples())))
def test_pearson_and_spearman_are_scipys_bit_for_bit(index: int) -> None:
    x, y = _samples()[index]
    assert pearson(x, y) == tuple(float(v) for v in stats.pearsonr(x, y))
    assert spearman(x, y) == tuple(float(v) for v in stats.spearmanr(x, y))


def test_average_ranks_are_scipys_rankdata() -> None:
    values = np.array([3.0, 1.0, 3.0, 2.0, 3.0, 1.0, 9.0])
    assert average_ranks(values).tolist() == stats.rankdata(values).tolist() == [5.0, 1.5, 5.0, 3.0, 5.0, 1.5, 7.0]


def test_a_nan_gives_nan_as_scipy_does() -> None:
    x, y = np.array([1.0, np.nan, 3.0, 4.0]), np.array([2.0, 1.0, 4.0, 3.0])
    assert all(np.isnan(spearman(x, y))) and all(np.isnan(stats.spearmanr(x, y)))
    assert all(np.isnan(pearson(x, y))) and all(np.isnan(stats.pearsonr(x, y)))
