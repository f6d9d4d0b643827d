"""Statistics on small fixed vectors, against values worked out by hand (and SciPy's distributions)."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from artifact.metrics.stats import accuracy, cohens_d, cohens_kappa, compare_greater, holm

A = [1.0, 2.0, 3.0, 4.0, 5.0]  # mean 3, variance 5/2
B = [1.0, 1.0, 2.0, 2.0]  # mean 3/2, variance 1/3


def test_welch_t_test_by_hand() -> None:
    result = compare_greater(A, B)
    # se^2 = 2.5/5 + (1/3)/4 = 7/12; t = 1.5 / sqrt(7/12)
    assert result.t == pytest.approx(1.5 / math.sqrt(7 / 12))
    # Welch-Satterthwaite: (7/12)^2 / ((1/2)^2/4 + (1/12)^2/3) = 5.25
    assert result.df == pytest.approx(5.25)
    assert result.p == pytest.approx(stats.t.sf(1.5 / math.sqrt(7 / 12), 5.25))  # one-sided, upper tail
    assert (result.n_a, result.n_b, result.mean_a, result.mean_b, result.median_a, result.median_b) == (5, 4, 3, 1.5, 3, 1.5)


def test_cohens_d_with_pooled_sd_by_hand() -> None:
    # pooled variance = (4 * 2.5 + 3 * 1/3) / 7 = 11/7
    assert cohens_d(A, B) == pytest.approx(1.5 / math.sqrt(11 / 7))
    assert cohens_d(B, A) == pytest.approx(-1.5 / math.sqrt(11 / 7))
    assert math.isnan(cohens_d([1, 1], [1, 1]))


def test_mann_whitney_u_counts_pairs() -> None:
    # pairs where a > b, ties counting one half: 1 + 3 + 4 + 4 + 4 = 16
    result = compare_greater(A, B)
    assert result.u == 16
    assert result.p_u == pytest.approx(stats.mannwhitneyu(A, B, alternative="greater").pvalue)
    assert compare_greater(B, A).u == 5 * 4 - 16


def test_missing_values_are_left_out_and_tiny_groups_give_nan() -> None:
    assert compare_greater([*A, math.nan], B) == compare_greater(A, B)
    tiny = compare_greater([1.0], B)
    assert tiny.n_a == 1 and math.isnan(tiny.t) and math.isnan(tiny.p) and math.isnan(tiny.d)


def test_holm_on_the_textbook_example() -> None:
    # sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 -> running maximum 0.06
    # (R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") gives 0.03 0.06 0.06 0.02)
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm([0.5, 0.6]) == [1.0, 1.0]
    adjusted = holm([0.02, math.nan, 0.01])
    assert adjusted[0] == pytest.approx(0.02) and math.isnan(adjusted[1]) and adjusted[2] == pytest.approx(0.02)


def test_cohens_kappa_and_accuracy_by_hand() -> None:
    x = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0]
    y = [1, 0, 0, 0, 1, 0, 1, 1, 0, 0]
    # p_o = 0.8; p_e = 0.4 * 0.4 + 0.6 * 0.6 = 0.52; kappa = 0.28 / 0.48
    assert accuracy(x, y) == pytest.approx(0.8)
    assert cohens_kappa(x, y) == pytest.approx(0.28 / 0.48)
    assert cohens_kappa(x, x) == pytest.approx(1.0)
    assert math.isnan(cohens_kappa([1, 1], [1, 1]))  # no variation: chance agreement is 1
    assert math.isnan(accuracy([], [])) and math.isnan(cohens_kappa([], []))
