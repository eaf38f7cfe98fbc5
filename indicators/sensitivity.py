"""How much does an area's position depend on the chosen domain weights?

Weights are drawn N times from a Dirichlet distribution centred on the chosen (normalised) weights,

    w ~ Dirichlet(kappa * w0 / sum(w0)),   E[w] = w0 / sum(w0),

with concentration ``kappa`` (default 20: each weight varies by roughly +/- sqrt(p(1-p)/(kappa+1)), e.g.
a weight of 1/5 by about +/- 0.09). Domains with weight 0 stay 0. For every draw the composite of every area
is recomputed in one matrix product (areas x domains) @ (domains x N), renormalised over the available
domains exactly as ``scores.composite_matrix``; areas are ranked per draw (1 = most disadvantaged among the
areas with a composite) and the 5th-95th percentile of those positions is the rank interval. The seed is
fixed, so the interval is reproducible. Cf. Saisana, Saltelli & Tarantola (2005), "Uncertainty and
sensitivity analysis techniques as tools for the quality assessment of composite indicators", J. R. Stat.
Soc. A 168(2).

**Data uncertainty** (``data_draws``, passed to ``rank_intervals`` as ``domain_draws``): for every count-based
rate (``Indicator.count_based``) each draw takes a true count uniformly within CBS's rounding range of the
published count (y - r/2, y + r/2), then the expected count from its Jeffreys posterior Gamma(c + 1/2, 1), divides
by the denominator, applies the same empirical-Bayes shrinkage as the engine and ranks the result against the
same fixed base. Other indicators keep their rank. Draw k combines data draw k with weight draw k, so the interval
covers both weight choice and data uncertainty.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.result import scores
from indicators.scores import DOMAIN_IDS, composite_matrix, domain_kernel, rank_kernel, validate_weights, weight_vector

DEFAULT_CONCENTRATION = 20.0
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20240


def dirichlet_weights(
    weights: Mapping[str, float] | None,
    n: int = DEFAULT_DRAWS,
    concentration: float = DEFAULT_CONCENTRATION,
    seed: int = DEFAULT_SEED,
) -> np.ndarray:
    """(n, domains) weight vectors around ``weights``; zero weights stay zero; rows sum to 1."""
    w0 = weight_vector(validate_weights(weights))
    if not concentration > 0:
        raise ValueError(f"concentration must be > 0, not {concentration}")
    p = w0 / w0.sum()
    out = np.zeros((n, len(w0)))
    active = p > 0
    rng = np.random.default_rng(seed)
    if active.sum() == 1:
        out[:, active] = 1.0
    else:
        out[:, active] = rng.dirichlet(concentration * p[active], size=n)
    return out


def rank_positions(composites: np.ndarray) -> np.ndarray:
    """Per column, the position of each row when sorted from highest composite (1) down; NaN stays NaN."""
    filled = np.where(np.isnan(composites), -np.inf, composites)
    order = np.argsort(-filled, axis=0, kind="stable")
    pos = np.empty_like(order)
    np.put_along_axis(pos, order, np.arange(1, composites.shape[0] + 1)[:, None], axis=0)
    return np.where(np.isnan(composites), np.nan, pos.astype("float64"))


def data_draws(result, codes=None, *, n: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> np.ndarray:
    """(areas, domains, n) domain scores of ``result`` (a ScoreResult) under data uncertainty (module docstring).

    ``codes``: the areas (default ``result.table.index``). Only ``transform="rank"`` scores are drawn (the exp
    transform's domain ranks are recomputed from the drawn scores against ``result.ref_domains``).
    """
    from indicators.columns import row_gemeentes
    from indicators.reference import REF
    from indicators.registry import INDICATORS, scored_indicators

    codes = result.table.index if codes is None else pd.Index(codes)
    rng = np.random.default_rng(seed)
    uni = result.universe.loc[codes]
    keys_gm = row_gemeentes(codes)
    bases = result.ref_sorted.bases
    smoothing = result.settings.get("smoothing", "eb")
    ranks: dict[str, np.ndarray] = {}
    for ind in INDICATORS.values():
        if not ind.scored:
            continue
        fixed = scores(uni).indicator(ind.id).rank.to_numpy(dtype="float64")
        ib = bases.get(ind.id)
        if not ind.count_based or ib is None or not ib.bases:
            ranks[ind.id] = np.repeat(fixed[:, None], n, axis=1)
            continue
        p = result.parts[ind.id].loc[codes]
        y = p["num"].to_numpy(dtype="float64")
        den = p["den"].to_numpy(dtype="float64")
        half = ind.count_rounding / 2.0
        c = np.clip(y[:, None] + rng.uniform(-half, half, (len(codes), n)), 0.0, None)
        lam = rng.gamma(np.where(np.isfinite(c), c, 0.0) + 0.5, 1.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = ind.scale * lam / den[:, None]
        keys = np.full(len(codes), REF, dtype=object) if ib.mode == "ref" else keys_gm
        _, out = rank_kernel(  # the engine's kernel (smoothing -> rank against the same fixed base), N draws
            rate,
            den,
            keys,
            {k: b.sorted for k, b in ib.bases.items()},
            ib.priors,
            direction=ind.direction,
            scale=ind.scale,
            smooth=smoothing == "eb",
        )
        out[~np.isfinite(fixed)] = np.nan  # no rank (suppressed, no value) stays no rank
        ranks[ind.id] = out
    share = result.settings["min_indicator_share"]
    domains = np.full((len(codes), len(DOMAIN_IDS), n), np.nan)
    for j, d in enumerate(DOMAIN_IDS):
        members = [i.id for i in scored_indicators(d)]
        if not members:
            continue
        domains[:, j, :], _ = domain_kernel(np.stack([ranks[i] for i in members]), share)  # (members, areas, n)
    supp = uni["suppressed"].to_numpy(dtype=bool)
    domains[supp] = np.nan
    return domains


def rank_intervals(
    domain_x: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    *,
    n: int = DEFAULT_DRAWS,
    concentration: float = DEFAULT_CONCENTRATION,
    seed: int = DEFAULT_SEED,
    min_domains: int = 3,
    interval: tuple[float, float] = (5.0, 95.0),
    domain_draws: np.ndarray | None = None,
    has_data: np.ndarray | None = None,
) -> pd.DataFrame:
    """Rank interval per area under random weights (see module docstring).

    ``domain_x``: areas x domains (``ScoreResult.domain_x`` restricted to the areas to compare, e.g.
    ``result.domain_x.loc[result.table.index]``). Returns ``rank`` (with the chosen weights), ``rank_low``,
    ``rank_median``, ``rank_high`` (percentiles ``interval`` of the positions; low = better position number),
    ``rank_min``, ``rank_max`` and ``n_ranked``. ``domain_draws`` (areas, domains, n), e.g. ``data_draws(result)``:
    draw k uses those domain scores with weight draw k (weights and data uncertainty together); ``source`` says
    which uncertainty the interval covers. ``has_data``: the domains with data (``composite_matrix``; default: the
    domains with a score in ``domain_x``).
    """
    x = domain_x.reindex(columns=list(DOMAIN_IDS)).to_numpy(dtype="float64")
    data = np.isfinite(x).any(axis=0) if has_data is None else np.asarray(has_data, dtype=bool)
    base, _, _ = composite_matrix(x, weight_vector(validate_weights(weights)), min_domains, data)
    draws = dirichlet_weights(weights, n, concentration, seed)
    if domain_draws is None:
        comps, _, _ = composite_matrix(x, draws, min_domains, data)
    else:
        comps = draw_composites(np.asarray(domain_draws, dtype="float64"), draws, min_domains, data)
    pos = rank_positions(comps)
    ok = ~np.isnan(base)
    lo, med, hi = (np.full(len(x), np.nan) for _ in range(3))
    if ok.any():
        lo[ok], med[ok], hi[ok] = np.percentile(pos[ok], [interval[0], 50.0, interval[1]], axis=1)
    return pd.DataFrame(
        {
            "rank": rank_positions(base[:, None])[:, 0],
            "rank_low": lo,
            "rank_median": med,
            "rank_high": hi,
            "rank_min": np.where(ok, np.nanmin(np.where(ok[:, None], pos, np.inf), axis=1), np.nan),
            "rank_max": np.where(ok, np.nanmax(np.where(ok[:, None], pos, -np.inf), axis=1), np.nan),
            "n_ranked": int(ok.sum()),
            "source": "gewichten en gegevens" if domain_draws is not None else "gewichten",
        },
        index=domain_x.index,
    )


def draw_composites(
    domain_draws: np.ndarray, weight_draws: np.ndarray, min_domains: int = 3, has_data: np.ndarray | None = None
) -> np.ndarray:
    """(areas, n) composites: draw k = weighted mean of ``domain_draws[:, :, k]`` with ``weight_draws[k]``,
    renormalised over available domains exactly as ``scores.composite_matrix``."""
    avail = np.isfinite(domain_draws)
    xf = np.where(avail, domain_draws, 0.0)
    w = weight_draws / weight_draws.max(axis=1, keepdims=True)
    num = np.einsum("adk,kd->ak", xf, w)
    den = np.einsum("adk,kd->ak", avail.astype("float64"), w)
    cnt = np.einsum("adk,kd->ak", avail.astype("int64"), (w > 0).astype("int64"))
    with np.errstate(invalid="ignore", divide="ignore"):
        comp = num / den
    data = np.ones(w.shape[1], dtype=bool) if has_data is None else np.asarray(has_data, dtype=bool)
    need = np.minimum(min_domains, ((w > 0) & data).sum(axis=1))[np.newaxis, :]
    comp[(cnt < need) | (den <= 0)] = np.nan
    return comp
