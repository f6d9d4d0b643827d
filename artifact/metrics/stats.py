"""Statistics of the paper's comparisons: tests, multiple-comparison adjustment, effect sizes, agreement.

Pure functions on numbers; the tests come from SciPy, the rest is written out (each a formula).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Comparison:
    """Group `a` against group `b`, one-sided (a greater than b)."""

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    median_a: float
    median_b: float
    t: float  # Welch's t
    df: float  # Welch-Satterthwaite degrees of freedom
    p: float  # one-sided p of Welch's t-test
    d: float  # Cohen's d, pooled standard deviation, positive when a > b
    u: float  # Mann-Whitney U of `a`
    p_u: float  # one-sided p of the Mann-Whitney U test


def compare_greater(a: Sequence[float], b: Sequence[float]) -> Comparison:
    """Is `a` greater than `b`? Welch's t-test, Cohen's d and Mann-Whitney U; NaNs are left out.

    With fewer than two values in a group the tests are undefined and their fields are NaN.
    """
    a = _finite(a)
    b = _finite(b)
    nan = float("nan")
    if len(a) < 2 or len(b) < 2:
        t = df = p = d = u = p_u = nan
    else:
        welch = stats.ttest_ind(a, b, equal_var=False, alternative="greater")
        t, df, p = float(welch.statistic), float(welch.df), float(welch.pvalue)
        d = cohens_d(a, b)
        mann_whitney = stats.mannwhitneyu(a, b, alternative="greater", method="auto")
        u, p_u = float(mann_whitney.statistic), float(mann_whitney.pvalue)
    return Comparison(
        n_a=len(a),
        n_b=len(b),
        mean_a=float(np.mean(a)) if len(a) else nan,
        mean_b=float(np.mean(b)) if len(b) else nan,
        median_a=float(np.median(a)) if len(a) else nan,
        median_b=float(np.median(b)) if len(b) else nan,
        t=t,
        df=df,
        p=p,
        d=d,
        u=u,
        p_u=p_u,
    )


def cohens_d(a: Sequence[float], b: Sequence[float]) -> float:
    """(mean(a) - mean(b)) / pooled SD, pooled SD = sqrt(((n_a-1) s_a^2 + (n_b-1) s_b^2) / (n_a + n_b - 2)).

    NaN when the pooled SD is 0 (both groups constant).
    """
    a, b = _finite(a), _finite(b)
    pooled_var = ((len(a) - 1) * np.var(a, ddof=1) + (len(b) - 1) * np.var(b, ddof=1)) / (len(a) + len(b) - 2)
    if pooled_var == 0:
        return float("nan")
    return float((np.mean(a) - np.mean(b)) / np.sqrt(pooled_var))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment: sort ascending, p_(i) * (m - i + 1), running maximum, capped at 1.

    NaN p-values stay NaN and do not count towards m.
    """
    p = np.asarray(p_values, dtype="float64")
    adjusted = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    order = valid[np.argsort(p[valid], kind="mergesort")]
    factors = len(order) - np.arange(len(order))
    adjusted[order] = np.minimum(1.0, np.maximum.accumulate(factors * p[order]))
    return adjusted.tolist()


def cohens_kappa(x: Sequence[bool], y: Sequence[bool]) -> float:
    """Cohen's kappa of two binary raters: (p_o - p_e) / (1 - p_e); NaN when p_e = 1 (no variation)."""
    x = np.asarray(x, dtype=bool)
    y = np.asarray(y, dtype=bool)
    if len(x) == 0:
        return float("nan")
    observed = float(np.mean(x == y))
    expected = float(np.mean(x) * np.mean(y) + np.mean(~x) * np.mean(~y))
    if expected == 1.0:
        return float("nan")
    return (observed - expected) / (1.0 - expected)


def accuracy(x: Sequence[bool], y: Sequence[bool]) -> float:
    """Share of positions where `x` and `y` agree (NaN when empty)."""
    x = np.asarray(x, dtype=bool)
    y = np.asarray(y, dtype=bool)
    return float(np.mean(x == y)) if len(x) else float("nan")


def _finite(values: Sequence[float]) -> np.ndarray:
    array = np.asarray(values, dtype="float64")
    return array[~np.isnan(array)]
