"""What pages read from a score result beyond its fields (pure: no Streamlit, no I/O; the scores themselves come
from the loaders door):

* ``ENGINE_DEFAULTS``: the engine's own worst band, minimum domains and minimum population (``score_areas``'
  keywords), what a text says where no result sets them;
* ``domains_counted(weights, settings)``: the domains stacking and the composite count;
* ``composite_basis(result)``: the weighted domains with data when fewer than carry weight (the legend says so);
* ``rank_interval(scored, code)``: an area's position and its 5-95 % interval (Buurtprofiel).
"""

from __future__ import annotations

import inspect

import pandas as pd

from indicators import registry
from indicators.columns import counted_weights
from indicators.engine import score_areas
from indicators.sensitivity import data_draws, rank_intervals

# The engine's own defaults (indicators.engine.score_areas keywords): the one source of band and thresholds.
ENGINE_DEFAULTS = {
    k: p.default
    for k, p in inspect.signature(score_areas).parameters.items()
    if k in ("worst_band", "min_domains", "min_population")
}


def domains_counted(weights, settings) -> list[str]:
    """The domains stacking and the composite count: weight above 0 (1 where ``weights`` names none) and not
    absent here (the engine's ``counted_weights``: an absent domain is said by its own legend line)."""
    full = {d: float(weights.get(d, 1.0)) for d in registry.DOMAINS}
    return [d for d, w in counted_weights(full, settings).items() if w > 0]


def composite_basis(result) -> tuple[tuple[str, ...], int, int] | None:
    """(weighted domains with data, domains with a weight above 0, the rule's minimum ``min_domains``) when the
    composite and the stacking count of ``result`` rest, for every area, on fewer domains than carry weight,
    because no more have data in its reference (nationally: only Wonen, issue 23; Amsterdam + Zaanstad without
    imported files: Werk and Wonen); None when every weighted domain has data. From the engine's settings
    (``domains_with_data``, ``min_domains``) and the result's weights."""
    if result is None:
        return None
    s = result.settings
    weights = dict(getattr(result, "weights", None) or {})
    weighted = domains_counted(weights, s)
    with_data = tuple(d for d in s.get("domains_with_data", ()) if d in weighted)
    need = int(s.get("min_domains", ENGINE_DEFAULTS["min_domains"]))
    if not with_data or len(with_data) >= len(weighted):
        return None
    return with_data, len(weighted), need


def rank_interval(scored_, code: str) -> tuple[int | None, int | None, int | None]:
    """Position of ``code`` by composite now and its 5-95 % interval under random weights around the chosen ones
    AND drawn data (indicators.sensitivity: Dirichlet weight draws with ``data_draws`` of the count-based rates,
    draw k with draw k, fixed seeds). ``scored_``: a ``loaders.Scored``."""
    res = scored_.result
    if res is None or code not in scored_.table.index:
        return None, None, None
    codes = res.table.index
    iv = rank_intervals(
        res.domain_x.loc[codes],
        res.weights,
        min_domains=res.settings.get("min_domains", ENGINE_DEFAULTS["min_domains"]),
        domain_draws=data_draws(res, codes),
    )
    if code not in iv.index or pd.isna(iv.loc[code, "rank"]):
        return None, None, None
    r = iv.loc[code]
    return round(float(r["rank_low"])), round(float(r["rank_high"])), int(r["rank"])
