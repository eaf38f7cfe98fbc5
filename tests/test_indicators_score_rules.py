"""Score and smoothing rules stated in ``indicators/scores.py`` and ``indicators/smoothing.py``, on small arrays.

Mirror-free and fast: part of the mutation selection (``benchmarks/mutation.py``). Expected values are worked
out by hand from the formulas in the module docstrings (closed forms of the chi-square quantiles where needed),
never taken from the function under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators.registry import DOMAINS
from indicators.scores import composite_matrix, domain_kernel, domain_scores, rank_kernel, stacking, validate_weights
from indicators.smoothing import Prior, count_interval, eb_prior, eb_weight, global_eb, rate_interval

NAN = np.nan
D = len(DOMAINS)


# --- weights: every refusal says what is wrong, in Dutch and in English ----------------------------------


def _refusal(weights) -> UserInputError:
    with pytest.raises(UserInputError) as exc:
        validate_weights(weights)
    return exc.value


def test_every_weight_refusal_in_both_languages():
    listed = ", ".join(DOMAINS)  # the registry's domains, comma-separated
    e = _refusal({"armoed": 1})
    assert e.message == f"Onbekend domein 'armoed' in de gewichten; moet een van de volgende zijn: {listed}."
    assert e.message_en == f"Unknown domain 'armoed' in weights; must be one of: {listed}."
    e = _refusal({"werk": "veel"})
    assert (e.message, e.message_en) == (
        "Gewicht van 'werk' is geen getal: 'veel'.",
        "Weight of 'werk' is not a number: 'veel'.",
    )
    e = _refusal({"werk": "inf"})
    assert (e.message, e.message_en) == (
        "Gewicht van 'werk' moet eindig zijn, niet 'inf'.",
        "Weight of 'werk' must be finite, not 'inf'.",
    )
    e = _refusal({"werk": -2})
    assert (e.message, e.message_en) == (
        "Gewicht van 'werk' mag niet negatief zijn (-2).",
        "Weight of 'werk' must not be negative (-2).",
    )
    e = _refusal(dict.fromkeys(DOMAINS, 0))
    assert (e.message, e.message_en) == (
        "Alle gewichten zijn 0; geef minstens één domein een gewicht groter dan 0.",
        "All weights are zero; give at least one domain a weight above 0.",
    )


# --- rank kernel, domain score, stacking list ------------------------------------------------------------


def test_rank_kernel_row_without_a_base_has_no_value_and_no_rank():
    sm, rk = rank_kernel(
        np.array([[2.0], [3.0]]),
        np.array([100.0, 100.0]),
        np.array(["ref", "GM0001"], dtype=object),
        {"ref": np.array([1.0, 2.0, 3.0, 4.0])},
        {},
        direction=1,
        scale=100.0,
        smooth=False,
    )
    assert sm[0, 0] == 2.0 and rk[0, 0] == 50.0  # 2 of 4 at or below 2
    assert np.isnan(sm[1, 0]) and np.isnan(rk[1, 0])


def test_domain_score_needs_half_of_the_indicators_by_default():
    # four indicators; area 0 has 2 ranks (half: scored), area 1 has 1 (withheld), area 2 none
    stack = np.array([[10.0, 30.0, NAN], [20.0, NAN, NAN], [NAN, NAN, NAN], [NAN, NAN, NAN]])
    score, n = domain_kernel(stack)
    assert score[0] == 15.0 and np.isnan(score[1]) and np.isnan(score[2])
    assert n.tolist() == [2, 1, 0]


def test_a_domain_without_indicators_is_missing_in_a_number_column():
    ranks = pd.DataFrame({"i1": [10.0, NAN], "i2": [30.0, 50.0]}, index=["WK000101", "WK000102"])
    first, second = list(DOMAINS)[:2]
    scores, counts, m = domain_scores(ranks, {first: ["i1", "i2"]})
    assert scores.index.tolist() == ["WK000101", "WK000102"]
    assert scores[first].tolist() == [20.0, 50.0]
    assert scores[second].isna().all() and scores[second].dtype == "float64"
    assert counts[second].tolist() == [0, 0] and m[second] == 0 and m[first] == 2


def test_stacking_list_is_text_and_missing_is_na_never_a_float():
    scores = pd.DataFrame({d: [90.0, NAN] for d in DOMAINS}, index=["a", "b"])
    count, labels = stacking(scores)
    assert labels.dtype == "string"
    assert labels["a"] == ";".join(DOMAINS) and labels["b"] is pd.NA and count["b"] is pd.NA


# --- composite -------------------------------------------------------------------------------------------


def test_composite_needs_three_domains_by_default():
    x = np.full((2, D), NAN)
    x[0, :3] = [10.0, 20.0, 60.0]
    x[1, :2] = [10.0, 20.0]
    comp, n, m = composite_matrix(x, np.ones(D))
    assert comp[0] == 30.0 and np.isnan(comp[1]) and m == D
    assert n.tolist() == [3, 2] and n.dtype.kind == "i"  # counts are whole numbers ("3 van 7")


def test_integer_weights_as_typed_give_the_weighted_mean():
    x = np.full((1, D), NAN)
    x[0, :3] = [10.0, 40.0, 70.0]
    w = np.zeros(D, dtype="int64")
    w[:3] = [2, 1, 1]
    comp, n, m = composite_matrix(x, w, 1)
    assert comp[0] == (2 * 10 + 40 + 70) / 4 and n[0] == 3 and m == 3


def test_each_draw_of_a_weight_matrix_is_scale_free_on_its_own():
    x = np.full((1, D), NAN)
    x[0, :3] = [10.0, 40.0, 70.0]
    w = np.zeros((3, D))
    w[0, :3] = 1e300
    w[1, :3] = 1e-30  # the same ratios as draw 0, however small beside it
    comp, n, _ = composite_matrix(x, w, 3)  # draw 2: all zero, nothing to weigh
    assert comp[0, 0] == 40.0 and comp[0, 1] == 40.0 and np.isnan(comp[0, 2])
    assert n[0].tolist() == [3, 3, 0] and n.dtype.kind == "i"


# --- smoothing: intervals and empirical Bayes ------------------------------------------------------------


def test_missing_counts_and_denominators_as_null_are_missing_never_an_error():
    lo, hi = count_interval(np.array([None, 4.0], dtype=object))
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] > 0
    lo, hi = rate_interval(np.array([4.0, 4.0]), np.array([None, 100.0], dtype=object), 100.0)
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and 0 < lo[1] < 4.0 < hi[1]
    prior = eb_prior(np.array([None, 1.0, 3.0], dtype=object), np.array([10.0, None, 10.0], dtype=object))
    assert prior == Prior(0.3, 0.0, 1)  # only the third area has both
    w = eb_weight(np.array([None, 10.0], dtype=object), Prior(0.1, 0.02, 5))
    assert np.isnan(w[0]) and w[1] == pytest.approx(0.02 / (0.02 + 0.1 / 10))
    eb = global_eb(np.array([None, 50.0], dtype=object), np.array([10.0, 10.0]), Prior(0.1, 0.0, 5), 100.0)
    assert np.isnan(eb[0]) and eb[1] == pytest.approx(10.0)  # weight 0: the prior mean, 0.1 x 100


def test_count_interval_lower_bound_of_one_and_of_half_a_count():
    # Garwood lower bound chi2.ppf(0.025, 2c) / 2; with 2 degrees of freedom chi2.ppf(p) = -2 ln(1 - p)
    lo, _ = count_interval(np.array([1.0]))
    assert lo[0] == pytest.approx(-math.log(0.975))
    # a published 3 rounded to fives stands for 0.5..5.5; with 1 degree of freedom chi2.ppf(p) = z((1 + p) / 2)^2
    from scipy.stats import norm

    lo, _ = count_interval(np.array([3.0]), rounding=5.0)
    assert lo[0] == pytest.approx(norm.ppf(0.5125) ** 2 / 2)


def test_a_denominator_of_one_is_a_denominator():
    lo, hi = rate_interval(np.array([0.0]), np.array([1.0]), 100.0)
    # count 0: lower 0, upper chi2.ppf(0.975, 2) / 2 = -ln(0.025)
    assert lo[0] == 0.0 and hi[0] == pytest.approx(-100.0 * math.log(0.025))
    assert eb_weight(np.array([1.0]), Prior(0.1, 0.02, 10))[0] == pytest.approx(0.02 / (0.02 + 0.1 / 1))


def test_prior_of_a_single_area_with_one_inhabitant():
    assert eb_prior(np.array([0.0]), np.array([1.0])) == Prior(0.0, 0.0, 1)
    # two areas of 1: m = 1 / 2; s2 = (0.25 + 0.25) / 2 - 0.5 / 1 < 0 -> 0
    assert eb_prior(np.array([1.0, 0.0]), np.array([1.0, 1.0])) == Prior(0.5, 0.0, 2)


def test_reference_without_any_count_shrinks_every_area_to_zero_not_nan():
    w = eb_weight(np.array([5.0, 500.0]), Prior(0.0, 0.0, 4))
    assert w.tolist() == [0.0, 0.0]
    assert global_eb(np.array([20.0, 0.0]), np.array([5.0, 500.0]), Prior(0.0, 0.0, 4), 100.0).tolist() == [0.0, 0.0]
