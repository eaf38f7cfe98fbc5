"""Small-area reliability of rates built from counts: an interval and empirical-Bayes shrinkage.

A rate r_i = y_i / n_i (per ``scale``) of a count y_i (benefit recipients, persons with a low education level) and
a population n_i is noisy where n_i is small, and CBS rounds the counts of KWB to tens (``Indicator.count_rounding``):
at 415 inhabitants a published 10 stands for 5..14 persons.

**Interval** (``count_interval``/``rate_interval``): the exact (Garwood) Poisson 95 % interval of the expected count,
taken from the lowest count the rounded figure can stand for to the highest:

    lower = chi2.ppf(0.025, 2 c_lo) / 2,   upper = chi2.ppf(0.975, 2 (c_hi + 1)) / 2,
    c_lo = max(y - rounding / 2, 0),       c_hi = y + rounding / 2 (y itself when not rounded),

divided by n_i (the denominator is taken as exact; a denominator derived from a rounded PDOK percentage is marked
in the value's source).

**Shrinkage** (``global_eb``): global empirical Bayes toward the reference mean (Marshall 1991; Clayton & Kaldor
1987), the moment estimator that ``esda.smoothing.Empirical_Bayes`` also uses, with its prior taken from the
*reference* areas only, so that an area's smoothed value never depends on what else is selected:

    m  = sum_ref y / sum_ref n                                   (prior mean)
    s2 = sum_ref n (r - m)^2 / sum_ref n  -  m / mean_ref(n)      (prior variance, 0 when negative)
    w_i = s2 / (s2 + m / n_i),     EB_i = m + w_i (r_i - m)

A large area keeps almost its own rate (w_i -> 1), a small one moves toward m. Ranks use EB_i; the raw rate is
still shown. References: Marshall, R. J. (1991), "Mapping disease and mortality rates using empirical Bayes
estimators", Applied Statistics 40(2), 283-294; Clayton, D. & Kaldor, J. (1987), Biometrics 43(3), 671-681;
the English Indices of Deprivation 2019 technical report (shrinkage of small-area rates), section 3.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Prior:
    """Empirical-Bayes prior of one reference: mean ``m`` and between-area variance ``s2`` (rate per 1)."""

    m: float
    s2: float
    n_areas: int


def count_interval(
    count: np.ndarray, rounding: float = 0.0, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson interval of the expected count, widened over the rounding range (module docstring)."""
    y = np.asarray(count, dtype="float64")
    half = rounding / 2.0
    lo_c = np.maximum(y - half, 0.0)
    hi_c = y + half
    a = (1.0 - confidence) / 2.0
    with np.errstate(invalid="ignore"):
        lower = np.where(lo_c > 0, chi2.ppf(a, 2.0 * np.where(lo_c > 0, lo_c, 1.0)) / 2.0, 0.0)
        upper = chi2.ppf(1.0 - a, 2.0 * (hi_c + 1.0)) / 2.0
    bad = ~np.isfinite(y)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def rate_interval(
    count: np.ndarray, den: np.ndarray, scale: float, rounding: float = 0.0, confidence: float = CONFIDENCE
) -> tuple[np.ndarray, np.ndarray]:
    """``scale`` x the count interval / den; NaN where the count or a positive denominator is missing."""
    den = np.asarray(den, dtype="float64")
    lo, hi = count_interval(count, rounding, confidence)
    ok = np.isfinite(den) & (den > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ok, scale * lo / den, np.nan), np.where(ok, scale * hi / den, np.nan)


def eb_prior(count: np.ndarray, den: np.ndarray) -> Prior:
    """Prior mean and variance from reference counts and populations (areas with both and den > 0)."""
    y = np.asarray(count, dtype="float64")
    n = np.asarray(den, dtype="float64")
    ok = np.isfinite(y) & np.isfinite(n) & (n > 0)
    y, n = y[ok], n[ok]
    if n.size == 0 or n.sum() <= 0:
        return Prior(np.nan, np.nan, 0)
    m = y.sum() / n.sum()
    r = y / n
    s2 = float((n * (r - m) ** 2).sum() / n.sum() - m / n.mean())
    return Prior(float(m), max(s2, 0.0), int(n.size))


def eb_weight(den: np.ndarray, prior: Prior) -> np.ndarray:
    """Shrinkage weight w_i = s2 / (s2 + m / n_i): 1 = own rate kept, 0 = prior mean."""
    n = np.asarray(den, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        w = prior.s2 / (prior.s2 + prior.m / n)
    return np.where(np.isfinite(n) & (n > 0), np.where(prior.s2 > 0, w, 0.0), np.nan)


def global_eb(rate: np.ndarray, den: np.ndarray, prior: Prior, scale: float = 1.0) -> np.ndarray:
    """EB-smoothed rate (in the unit of ``rate``, i.e. x ``scale``) toward ``prior.m``."""
    r = np.asarray(rate, dtype="float64") / scale
    w = eb_weight(den, prior)
    return scale * (prior.m + w * (r - prior.m))
