"""The pages' one door to data/, indicators/ and geo/: thin ``st.cache_data`` wrappers and pass-throughs.

No other module in pages/ imports those packages, except declarations (documented in docs/ARCHITECTURE.md):
``indicators.registry`` (the indicators as data), ``indicators.weights`` (weight limits and parser),
``core.errors`` (exception types), ``core.crs`` (CRS constants), ``data.cbs.KWB_TABLES`` (the years) and
``indicators.method`` (the rules in words and the stacking sentence built from a score row: pure text).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import StapelkaartError
from data import admin, cache, errorlog
from data.firstscreen import offline_view
from data.refresh import freshness_table as freshness  # noqa: F401
from data.refresh import import_snapshot_bytes, kwb_label, refresh_selection, snapshot_bytes  # noqa: F401
from data.refresh import years_cached as years_with_data  # noqa: F401
from geo.classify import SCHEMES, class_colors, classify, legend, lisa_colors, lisa_legend  # noqa: F401
from geo.join import join_scores  # noqa: F401
from geo.layer import focus_outlines  # noqa: F401
from indicators import registry
from indicators.changes import STATUS as CHANGE_STATUS  # noqa: F401
from indicators.changes import what_changed  # noqa: F401
from indicators.columns import (
    absent_domains,  # noqa: F401  (re-exported: the domains out of m, pages word them)
    counted_weights,
)
from indicators.engine import score_areas
from indicators.focus import FOCUS_AREAS, PRESETS, SELF_DEFINED, FocusArea, source_text  # noqa: F401
from indicators.focuscodec import (  # noqa: F401
    focus_from_json,
    focus_to_json,
    format_focus_param,
    parse_focus_param,
    validate,
)
from indicators.focusscore import focus_profile, score_focus  # noqa: F401
from indicators.hotspots import rule_text as hotspot_rule_text  # noqa: F401
from indicators.rates import survey_year  # noqa: F401  (the survey year a view uses)
from indicators.sensitivity import data_draws, rank_intervals
from indicators.tables import (  # noqa: F401
    RANK_RULE,
    STACKING_BREAKS,
    STACKING_LABELS,
    absolute_counts,
    domain_ranks,
    num,
    older_years,
    rank_table,
    shown_indicators,
    stacked,
)
from indicators.trend import trend as comparable_trend
from pages._common.i18n import label, t
from pages._common.loaders_caches import clear_caches, is_loaded, mark_loaded, shared  # noqa: F401
from pages._common.loaders_files import (  # noqa: F401
    VIEW_FILES,
    active_files,
    default_files,
    file_info,
    import_user_file,
    parse_files,
    set_default_file,
    user_file_signature,
    user_files,
    user_values,
)
from pages._common.loaders_focus import (  # noqa: F401
    focus_area_profile,
    focus_areas,
    focus_by_id,
    focus_counts,
    focus_gemeenten,
    focus_level,
    focus_problem,
    focus_table,
    view_focus_areas,
    without_boundaries,
)
from pages._common.loaders_frames import (  # noqa: F401
    FALLBACK_GEMEENTEN,
    NATIONAL,
    Scored,
    _score,
    _score_national,
    boundaries,
    gemeente_options,
    known_gemeenten,
    kwb,
    kwb_national,
    kwb_table_id,
    scored,
    versions,
)
from pages._common.loaders_health import (  # noqa: F401
    TREND_PAIRS,
    health,
    health_area_trend,
    health_changes,
    health_comparators,
    health_measures,
    health_trend,
)
from pages._common.loaders_map import HOTSPOT, map_geometry, map_join, with_hotspots  # noqa: F401
from pages._common.loaders_notices import data_notices, source_notices  # noqa: F401  (stale/degraded notices)
from render.export import COMPARATOR_STYLE, FOCUS_COLOURS, FOCUS_MARKER, map_png  # noqa: F401
from render.report import Figure, focus_report, focus_reports_pdf, ranking_sources, table_exports  # noqa: F401

log = logging.getLogger(__name__)


K_LAST_REFRESH = "_last_refresh"


def refresh(
    gemeenten: tuple[str, ...], year: int, levels: tuple[str, ...], progress: Callable[[float, str], None]
) -> tuple[list[str], list[str]]:
    """data.refresh.refresh_selection (Gegevens), then the caches are cleared; see :func:`cbs_answered`."""
    out = refresh_selection(gemeenten, year, levels, progress)
    st.session_state[K_LAST_REFRESH] = {
        "gemeenten": tuple(gemeenten),
        "year": year,
        "cbs_answered": kwb_label(year) in out[0],
    }
    clear_caches()
    return out


def cbs_answered(gemeenten: tuple[str, ...], year: int) -> bool | None:
    """Did CBS answer for the KWB in this session's last refresh of (gemeenten, year)? None: no such refresh."""
    last = st.session_state.get(K_LAST_REFRESH)
    if not last or last["gemeenten"] != tuple(gemeenten) or last["year"] != year:
        return None
    return bool(last["cbs_answered"])


def cache_path() -> str:
    return str(cache.cache_dir())


def import_snapshot(data: bytes):
    report = import_snapshot_bytes(data)
    clear_caches()
    return report


def first_screen(view, *, national: bool = False):
    """data.firstscreen.offline_view for ``view``: None when its data is cached or the services it needs answer;
    else what the first screen says instead (pages/_common/firstscreen.py), within a reachability timeout."""
    return offline_view(view.gemeenten, view.year, view.level, view.reference, national=national)


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


def composite_basis_line(result, colour: str, lang: str) -> str | None:
    """The legend line saying on which domains the composite or stacking colours rest, when that is fewer than
    the domains with a weight (see :func:`composite_basis`); None otherwise or for another colouring."""
    basis = composite_basis(result) if colour in ("composite", "stacking") else None
    if basis is None:
        return None
    with_data, m, need = basis
    names = ", ".join(label(registry.DOMAINS[d], lang) for d in with_data)
    key = "composite_basis_one" if len(with_data) == 1 else "composite_basis_some"
    text = t(key, lang, domains=names, n=len(with_data), m=m, ref=result.reference.text(lang))
    return text + (t("composite_basis_min", lang, min=need) if len(with_data) < need else ".")


# --- admin gate and error ids (data/admin.py, data/errorlog.py) ------------------------------------------
admin_enabled, check_token, how_to_enable = admin.admin_enabled, admin.check_token, admin.how_to_enable
log_unexpected, error_message = errorlog.log_unexpected, errorlog.user_message


# The engine's own defaults (indicators.engine.score_areas keywords): the one source of band and thresholds.
ENGINE_DEFAULTS = {
    k: p.default
    for k, p in inspect.signature(score_areas).parameters.items()
    if k in ("worst_band", "min_domains", "min_population")
}


def score_settings(view) -> dict:
    """The engine settings actually used (worst band, minimum domains, minimum population); the engine's
    defaults where the view does not score (no data)."""
    try:
        res = scored(view.gemeenten, view.year, view.level, view.reference).result
    except StapelkaartError:  # the texts then show the engine defaults
        res = None
    return {**ENGINE_DEFAULTS, **(dict(res.settings) if res is not None else {})}


def rank_interval(scored_: Scored, code: str) -> tuple[int | None, int | None, int | None]:
    """Position of ``code`` by composite now and its 5-95 % interval under random weights around the chosen ones
    AND drawn data (indicators.sensitivity: Dirichlet weight draws with ``data_draws`` of the count-based rates,
    draw k with draw k, fixed seeds)."""
    res = scored_.result
    if res is None or code not in scored_.table.index:
        return None, None, None
    codes = res.table.index
    iv = rank_intervals(
        res.domain_x.loc[codes],
        res.weights,
        min_domains=res.settings.get("min_domains", 3),
        domain_draws=data_draws(res, codes),
    )
    if code not in iv.index or pd.isna(iv.loc[code, "rank"]):
        return None, None, None
    r = iv.loc[code]
    return round(float(r["rank_low"])), round(float(r["rank_high"])), int(r["rank"])


def trend(view, code: str, years: list[int]) -> pd.DataFrame:
    """Composite per year with comparability from indicators.trend (breaks in boundaries end a series)."""
    frames, values = {}, {}
    for y in years:
        try:
            s = scored(view.gemeenten, y, view.level, view.reference)
        except StapelkaartError:  # a year that does not load is left out of the trend (and said so)
            continue
        frames[y] = s.kwb
        values[y] = float(s.table["composite"].get(code, np.nan)) if code in s.table.index else np.nan
    return comparable_trend(frames, code, values, lang=view.lang) if frames else pd.DataFrame()
