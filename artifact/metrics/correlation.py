"""Pearson's r and Spearman's rho with their two-sided p-values, computed as scipy.stats computes them
(`pearsonr`, `spearmanr`, scipy 1.17) from numpy and scipy.special alone: importing scipy.stats takes half a
second, a third of a run's computing. tests/unit/test_correlation.py holds both equal to scipy.stats, bit for bit.

Pearson: r is the dot product of the centred vectors, each divided by its norm (scaled by its largest
magnitude first), clipped to [-1, 1]; its p-value comes from the distribution of r under the null, a beta
distribution with a = b = n/2 - 1 on [-1, 1]. Spearman: numpy's correlation matrix of the average ranks;
its p-value from Student's t with n - 2 degrees of freedom. Both expect n >= 3 values, neither side constant.
"""

from __future__ import annotations

import numpy as np
from scipy import special


def pearson(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Pearson's r of `x` and `y` and its two-sided p-value (NaN in, NaN out)."""
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    xm, ym = x - np.mean(x, axis=-1, keepdims=True), y - np.mean(y, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.vecdot(xm / _norm(xm), ym / _norm(ym), axis=-1)
    r = np.clip(r, -1.0, 1.0)
    shape = np.float64(len(x)) / 2 - 1
    p_value = 2 * special.betaincc(shape, shape, (np.abs(r) + 1) / 2)
    return float(r), float(p_value)


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman's rho of `x` and `y` and its two-sided p-value (NaN when either holds NaN)."""
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    if np.isnan(x).any() or np.isnan(y).any():
        return float("nan"), float("nan")
    rho = np.corrcoef(np.column_stack([average_ranks(x), average_ranks(y)]), rowvar=False)[1, 0]
    dof = len(x) - 2
    with np.errstate(divide="ignore"):
        t = rho * np.sqrt(np.clip(dof / ((rho + 1.0) * (1.0 - rho)), 0, None))
    return float(rho), float(2 * special.stdtr(dof, -np.abs(t)))


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1, ties given the mean of the ranks they span (exact: whole or half numbers)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values), dtype="float64")
    ranks[order] = ((starts + 1 + ends) / 2)[np.cumsum(first) - 1]
    return ranks


def _norm(centred: np.ndarray) -> np.ndarray:
    """The Euclidean norm of `centred`, scaled by its largest magnitude first (no overflow), kept as a 1-vector."""
    largest = np.max(np.abs(centred), axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return largest * np.linalg.norm(centred / largest, ord=2, axis=-1, keepdims=True)
