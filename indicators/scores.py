"""Domain scores, stacking and the composite, as matrix operations (no loops over regions).

Definitions (also the method text of the dashboard):

* **Domain score** = mean percentile rank (0-100, 100 = most disadvantaged) of the domain's scored indicators
  that have a rank. It is withheld (NaN) unless at least ``min_share`` (default half) of the domain's
  indicators have one: n >= min_share x m and n >= 1, reported as ``n`` of ``m``. The mean is rounded to
  ``SCORE_DECIMALS`` (9) decimals, so means that are equal in exact arithmetic (the same ranks summed in another
  order) are equal floats and share a domain rank; no shown figure has more than 1 decimal.
* **Stacking** (``engine.domain_columns``, rules in ``indicators.reference`` and ``indicators.method``): a domain
  is "in de zwakste 20 %" when its *domain rank* -- the share of the base's areas with a strictly better domain
  score -- is >= 100 - ``worst_band`` (default 80). That is literally "among the worst 20 % of the reference": at
  most 20 % of the base is flagged (ties can only lower the share). Stacking count k = number of such domains, n =
  domains with a domain rank, shown as "k van n bekend (m domeinen)"; the list names them (``;``-joined, registry
  order). A suppressed area, or one without any known domain, has no stacking (NA), never 0.
  ``stacking()`` below is the older *score* threshold (domain score >= 100 - band), kept for callers that classify
  scores (e.g. the map's fixed classes); it is not the stacking rule.
* **Composite** = sum_d w_d X_d / sum_d w_d over the domains d with w_d > 0 and a score X_d (weights
  renormalised over the available domains, so a missing domain never pulls the composite towards 0). It is
  withheld (NaN) when fewer than min(``min_domains`` (default 3), the number of domains with positive weight
  that have data in the reference) domains have a score; ``n`` of ``m`` counts available domains of the m
  domains with positive weight (schooluitval without data still counts in m, but not in the minimum). A domain
  with weight 0 is in neither the composite nor the stacking count (``engine.stacking_columns``).
  X_d is the domain score (``transform="rank"``) or its IMD exponential transform (``transform="exp"``).

The array kernels ``rank_kernel`` (smoothing -> rank against a fixed base) and ``domain_kernel`` (indicator ranks
-> domain score) take areas x draws: the engine calls them with one draw, ``sensitivity.data_draws`` with N.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.errors import UserInputError
from core.thresholds import WORST_BAND
from indicators.ranks import rank_against
from indicators.registry import DOMAINS
from indicators.smoothing import Prior, global_eb

DOMAIN_IDS: tuple[str, ...] = tuple(DOMAINS)
#: Domain scores are rounded to this many decimals: exact ties stay ties (float sums depend on the order).
SCORE_DECIMALS = 9


def _weights_error(nl: str, en: str) -> UserInputError:
    return UserInputError(nl, en)


def validate_weights(weights: Mapping[str, float | str] | None) -> dict[str, float]:
    """Domain weights, complete and checked: default 1 for every domain not given.

    Raises ``UserInputError`` for an unknown domain ("must be one of ..."), a negative or non-finite weight,
    or all weights zero.
    """
    out = {d: 1.0 for d in DOMAIN_IDS}
    for key, value in (weights or {}).items():
        if key not in DOMAINS:
            raise _weights_error(
                f"Onbekend domein '{key}' in de gewichten; moet een van de volgende zijn: {', '.join(DOMAIN_IDS)}.",
                f"Unknown domain '{key}' in weights; must be one of: {', '.join(DOMAIN_IDS)}.",
            )
        try:
            w = float(value)
        except (TypeError, ValueError):
            raise _weights_error(
                f"Gewicht van '{key}' is geen getal: {value!r}.", f"Weight of '{key}' is not a number: {value!r}."
            ) from None
        if not math.isfinite(w):
            raise _weights_error(
                f"Gewicht van '{key}' moet eindig zijn, niet {value!r}.",
                f"Weight of '{key}' must be finite, not {value!r}.",
            )
        if w < 0:
            raise _weights_error(
                f"Gewicht van '{key}' mag niet negatief zijn ({w:g}).",
                f"Weight of '{key}' must not be negative ({w:g}).",
            )
        out[key] = w
    if not any(w > 0 for w in out.values()):
        raise _weights_error(
            "Alle gewichten zijn 0; geef minstens één domein een gewicht groter dan 0.",
            "All weights are zero; give at least one domain a weight above 0.",
        )
    return out


def parse_weights(text: str) -> dict[str, float]:
    """``"armoede=2,werk=1"`` -> ``{"armoede": 2.0, "werk": 1.0}`` (validated; other domains keep weight 1)."""
    pairs = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in item:
            raise UserInputError(
                f"Gewicht '{item}' heeft niet de vorm domein=getal (bv. armoede=2).",
                f"Weight '{item}' is not of the form domain=number (e.g. armoede=2).",
            )
        key, value = item.split("=", 1)
        pairs[key.strip()] = value.strip()
    return validate_weights(pairs)


def rank_kernel(
    values: np.ndarray,
    den: np.ndarray,
    keys: np.ndarray,
    bases: Mapping[str, np.ndarray],
    priors: Mapping[str, Prior | None],
    *,
    direction: int,
    scale: float,
    smooth: bool,
    skip: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(smoothed value, percentile rank) of ``values`` (areas, draws), each row against the sorted, oriented base of
    its key (``bases``; ``ranks.rank_against``). With ``smooth`` (count-based rate, ``smoothing="eb"``) the value is
    first shrunk towards the prior of its base (``smoothing.global_eb``, ``den`` (areas,)). Rows without a base,
    and ``skip`` rows (suppressed areas), get NaN for both."""
    x = np.asarray(values, dtype="float64")
    smoothed, rank = np.full(x.shape, np.nan), np.full(x.shape, np.nan)
    free = np.ones(len(x), dtype=bool) if skip is None else ~np.asarray(skip, dtype=bool)
    for key, srt in bases.items():
        rows = (keys == key) & free
        if not rows.any():
            continue
        r = x[rows]
        prior = priors.get(key)
        if smooth and prior is not None and np.isfinite(prior.m):
            r = global_eb(r, np.asarray(den, dtype="float64")[rows][:, None], prior, scale)
        smoothed[rows] = r
        rank[rows] = rank_against(r, srt, direction)
    return smoothed, rank


def domain_kernel(stack: np.ndarray, min_share: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(domain score, n available) from ``stack`` (members, areas[, draws]) of indicator ranks (NaN = no rank): the
    mean of the available ranks rounded to ``SCORE_DECIMALS``, withheld unless n >= ``min_share`` x m and n >= 1."""
    avail = np.isfinite(stack)
    n = avail.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.round(np.where(avail, stack, 0.0).sum(axis=0) / n, SCORE_DECIMALS)
    return np.where((n >= min_share * stack.shape[0]) & (n > 0), mean, np.nan), n


def domain_scores(
    ranks: pd.DataFrame, members: Mapping[str, list[str]], min_share: float = 0.5
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Domain score = mean of the available indicator ranks, withheld below ``min_share`` of m.

    ``ranks``: one column per indicator id (NaN = no rank). ``members``: domain -> its scored indicator ids.
    Returns (scores, n available per domain, m per domain).
    """
    scores, counts, m = {}, {}, {}
    for d in DOMAIN_IDS:
        cols = members.get(d, [])
        m[d] = len(cols)
        if cols:
            score, n = domain_kernel(ranks[cols].to_numpy(dtype="float64").T, min_share)
            scores[d] = pd.Series(score, index=ranks.index)
            counts[d] = pd.Series(n, index=ranks.index)
        else:
            scores[d] = pd.Series(np.nan, index=ranks.index)
            counts[d] = pd.Series(0, index=ranks.index)
    return pd.DataFrame(scores), pd.DataFrame(counts), m


def stacking(
    scores: pd.DataFrame, worst_band: float = WORST_BAND, suppressed: pd.Series | None = None
) -> tuple[pd.Series, pd.Series]:
    """Number and ``;``-joined list of domains with score >= 100 - worst_band.

    NA for suppressed areas and for areas without any domain score (unknown is not zero).
    """
    if not 0 < worst_band <= 100:
        raise UserInputError(
            f"De zwakste band moet tussen 0 en 100 liggen, niet {worst_band}.",
            f"The worst band must lie between 0 and 100, not {worst_band}.",
        )
    frame = scores.reindex(columns=DOMAIN_IDS)
    flags = frame.ge(100.0 - worst_band)
    count = flags.sum(axis=1).astype("Int64")
    # No domain score at all is "unknown", never "0 stacked domains".
    none_available = ~frame.notna().any(axis=1).to_numpy()
    names = np.full(len(scores), "", dtype=object)
    for d in DOMAIN_IDS:
        names = names + np.where(flags[d].to_numpy(), d + ";", "")
    labels = pd.Series(names, index=scores.index, dtype="string").str.rstrip(";")
    hide = none_available if suppressed is None else none_available | suppressed.to_numpy(dtype=bool)
    return count.mask(hide), labels.mask(hide)


def weight_vector(weights: Mapping[str, float]) -> np.ndarray:
    """Weights in ``DOMAIN_IDS`` order."""
    return np.array([float(weights[d]) for d in DOMAIN_IDS])


def composite_matrix(
    x: np.ndarray, w: np.ndarray, min_domains: int = 3, has_data: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, int]:
    """Weighted mean over available domains; ``w`` is one weight vector (D,) or a matrix (N, D).

    composite_i = sum_d w_d x_id [x_id available] / sum_d w_d [x_id available]; NaN when fewer than
    min(``min_domains``, number of domains with w_d > 0 that have data) weighted domains are available.
    ``has_data`` (D,) bool: the domains with a score for at least one area of the reference (default: all), so a
    domain without data anywhere (e.g. schooluitval without an imported file) never makes a composite impossible.
    A domain with weight 0 is not in the composite, not in n and not in the minimum. With a weight matrix the
    result is (areas, N).
    """
    avail = np.isfinite(x)
    xf = np.where(avail, x, 0.0)
    w2 = np.atleast_2d(np.asarray(w, dtype="float64"))
    top = w2.max(axis=1, keepdims=True)
    w2 = np.divide(w2, top, out=np.zeros_like(w2), where=top > 0)  # scale-free; avoids underflow of tiny weights
    num = xf @ w2.T
    den = avail.astype("float64") @ w2.T
    n = avail.astype("int64") @ (w2.T > 0).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = num / den
    # A composite needs min_domains scored domains, but never more than the domains that carry weight.
    data = np.ones(w2.shape[1], dtype=bool) if has_data is None else np.asarray(has_data, dtype=bool)
    need = np.minimum(min_domains, ((w2 > 0) & data).sum(axis=1))[np.newaxis, :]
    comp[(n < need) | (den <= 0)] = np.nan
    m = int((w2[0] > 0).sum())
    if np.ndim(w) == 1:
        return comp[:, 0], n[:, 0], m
    return comp, n, m
