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
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.scores import DOMAIN_IDS, composite_matrix, validate_weights, weight_vector

DEFAULT_CONCENTRATION = 20.0
DEFAULT_DRAWS = 1000
DEFAULT_SEED = 20240


def dirichlet_weights(weights: Mapping[str, float] | None, n: int = DEFAULT_DRAWS,
                      concentration: float = DEFAULT_CONCENTRATION, seed: int = DEFAULT_SEED) -> np.ndarray:
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


def rank_intervals(domain_x: pd.DataFrame, weights: Mapping[str, float] | None = None, *, n: int = DEFAULT_DRAWS,
                   concentration: float = DEFAULT_CONCENTRATION, seed: int = DEFAULT_SEED, min_domains: int = 3,
                   interval: tuple[float, float] = (5.0, 95.0)) -> pd.DataFrame:
    """Rank interval per area under random weights (see module docstring).

    ``domain_x``: areas x domains (``ScoreResult.domain_x`` restricted to the areas to compare, e.g.
    ``result.domain_x.loc[result.table.index]``). Returns ``rank`` (with the chosen weights), ``rank_low``,
    ``rank_median``, ``rank_high`` (percentiles ``interval`` of the positions; low = better position number),
    ``rank_min``, ``rank_max`` and ``n_ranked``.
    """
    x = domain_x.reindex(columns=list(DOMAIN_IDS)).to_numpy(dtype="float64")
    base, _, _ = composite_matrix(x, weight_vector(validate_weights(weights)), min_domains)
    draws = dirichlet_weights(weights, n, concentration, seed)
    comps, _, _ = composite_matrix(x, draws, min_domains)
    pos = rank_positions(comps)
    ok = ~np.isnan(base)
    lo, med, hi = (np.full(len(x), np.nan) for _ in range(3))
    if ok.any():
        lo[ok], med[ok], hi[ok] = np.percentile(pos[ok], [interval[0], 50.0, interval[1]], axis=1)
    return pd.DataFrame({
        "rank": rank_positions(base[:, None])[:, 0], "rank_low": lo, "rank_median": med, "rank_high": hi,
        "rank_min": np.where(ok, np.nanmin(np.where(ok[:, None], pos, np.inf), axis=1), np.nan),
        "rank_max": np.where(ok, np.nanmax(np.where(ok[:, None], pos, -np.inf), axis=1), np.nan),
        "n_ranked": int(ok.sum()),
    }, index=domain_x.index)
