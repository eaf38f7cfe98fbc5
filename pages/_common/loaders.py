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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import StapelkaartError, UserInputError, input_errors_as_values
from data import admin, cache, errorlog
from data.cbs import kwb_versions, list_gemeenten, load_kwb, load_kwb_national, load_kwb_version, table_id
from data.export import COMPARATOR_STYLE, FOCUS_COLOURS, FOCUS_MARKER, map_png  # noqa: F401
from data.pdok import load_boundaries
from data.pdok_national import load_boundaries_each
from data.refresh import freshness_table as freshness  # noqa: F401
from data.refresh import import_snapshot_bytes, kwb_label, refresh_selection, snapshot_bytes  # noqa: F401
from data.refresh import years_cached as years_with_data  # noqa: F401
from data.report import Figure, focus_report, focus_reports_pdf, ranking_sources, table_exports  # noqa: F401
from geo.classify import SCHEMES, class_colors, classify, legend, lisa_colors, lisa_legend  # noqa: F401
from geo.join import join_scores  # noqa: F401
from geo.layer import focus_outlines  # noqa: F401
from indicators.changes import STATUS as CHANGE_STATUS  # noqa: F401
from indicators.changes import what_changed  # noqa: F401
from indicators.engine import make_reference, score_areas
from indicators.focus import (  # noqa: F401
    FOCUS_AREAS,
    PRESETS,
    FocusArea,
    focus_from_json,
    focus_profile,
    focus_to_json,
    format_focus_param,
    parse_focus_param,
    score_focus,
    validate,
)
from indicators.hotspots import rule_text as hotspot_rule_text  # noqa: F401
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

log = logging.getLogger(__name__)

FALLBACK_GEMEENTEN = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
NATIONAL = ("NL",)  # "gemeenten" of the national view: every area of the national KWB frame

# The big frames (KWB, boundaries, scores) are shared read-only by every session: st.cache_resource hands out
# the cached object itself, where st.cache_data unpickles a fresh copy on every call (~22 % of a Kaart run's
# CPU with 30 visitors, py-spy in benchmarks/bench_load). Nothing modifies them in place (pandas
# copy-on-write: every derived frame is new; tests/test_app_services.py checks a page run leaves them equal);
# refresh and snapshot import clear both caches (clear_caches).
shared = st.cache_resource(show_spinner=False, ttl=3600, max_entries=32)


def clear_caches() -> None:
    """Forget every cached frame (after a refresh, a snapshot import or a new default file)."""
    st.cache_data.clear()
    st.cache_resource.clear()
    _LOADED.clear()


# Inputs this process has loaded and scored at least once (gemeenten, year, level, reference): only to choose
# how loading is shown (a status box with its steps the first time, a spinner that appears after 0.5 s when
# the frames are in memory). Streamlit's st.status sleeps 50 ms each time one is made.
_LOADED: set[tuple] = set()


def mark_loaded(*key) -> None:
    _LOADED.add(key)


def is_loaded(*key) -> bool:
    return key in _LOADED


# --- CBS and PDOK --------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, ttl=3600)
def gemeente_options(year: int) -> dict[str, str]:
    try:
        frame = list_gemeenten(year)
        return {str(c): str(n) for c, n in zip(frame["code"], frame["name"])}
    except StapelkaartError as exc:  # offline, or a year without data: the two focus gemeenten remain
        log.warning("Gemeentelijst %s niet beschikbaar: %s", year, exc.message)
        return dict(FALLBACK_GEMEENTEN)


@st.cache_data(show_spinner=False, ttl=3600)
def known_gemeenten(year: int) -> frozenset[str] | None:
    """The gemeente codes of ``year`` (None when the list cannot be loaded: then no code is refused)."""
    try:
        return frozenset(str(c) for c in list_gemeenten(year)["code"])
    except StapelkaartError:
        return None


@shared
def kwb(gemeenten: tuple[str, ...], year: int, version: str | None = None) -> pd.DataFrame:
    """The selection's KWB frame; ``version`` (a CBS Modified, the view's ``kv``) reads that kept version."""
    if version:
        return load_kwb_version(list(gemeenten), year, version, levels=("gemeente", "wijk", "buurt"))
    return load_kwb(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


def versions(gemeenten: tuple[str, ...], year: int) -> list[dict]:
    """data.cbs.kwb_versions of the selection (oldest first; cache only)."""
    return kwb_versions(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


@shared
def kwb_national(year: int, level: str) -> pd.DataFrame:
    return load_kwb_national(year, level)


@shared
def boundaries(gemeenten: tuple[str, ...], year: int, level: str):
    """PDOK boundaries; NATIONAL: those of every gemeente in the national KWB frame, fetched per gemeente in
    parallel (``attrs["missing"]``: gemeenten without boundaries, ``attrs["n_kwb"]``: areas in the KWB)."""
    if tuple(gemeenten) != NATIONAL:
        return load_boundaries(list(gemeenten), year, level)
    nat = kwb_national(year, level)
    gdf, missing = load_boundaries_each(sorted(nat["gemeente_code"].dropna().unique()), year, level)
    if gdf is None:
        raise UserInputError(f"Geen grenzen beschikbaar voor {level} {year}.", f"No boundaries for {level} {year}.")
    gdf.attrs.update(missing=missing, n_kwb=int((nat["level"] == level).sum()))
    return gdf


@shared
@input_errors_as_values
def _score_national(year: int, level: str, signature: tuple):
    nat = kwb_national(year, level)
    return score_areas({year: nat}, year, level=level, reference=make_reference(nat, "nl", level, year),
                       user_values=user_values(signature), national={year: nat}), nat


def kwb_table_id(year: int) -> str:
    """The CBS table id of ``year`` ("?" when the year has none)."""
    try:
        return table_id(year)
    except StapelkaartError:
        return "?"


K_LAST_REFRESH = "_last_refresh"


def refresh(gemeenten: tuple[str, ...], year: int, levels: tuple[str, ...],
            progress: Callable[[float, str], None]) -> tuple[list[str], list[str]]:
    """data.refresh.refresh_selection (Gegevens), then the caches are cleared; see :func:`cbs_answered`."""
    out = refresh_selection(gemeenten, year, levels, progress)
    st.session_state[K_LAST_REFRESH] = {"gemeenten": tuple(gemeenten), "year": year,
                                        "cbs_answered": kwb_label(year) in out[0]}
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


# --- user indicator files: per view, content-addressed: pages/_common/loaders_files.py (same door, split by size)
from pages._common.loaders_files import (  # noqa: E402,F401
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

# --- admin gate and error ids (data/admin.py, data/errorlog.py) ------------------------------------------
admin_enabled, check_token, how_to_enable = admin.admin_enabled, admin.check_token, admin.how_to_enable
log_unexpected, error_message, test_fault = errorlog.log_unexpected, errorlog.user_message, errorlog.test_fault


# --- scoring --------------------------------------------------------------------------------------

@dataclass
class Scored:
    """What a page needs: the ScoreResult plus the frames it came from and honest notes."""

    result: object | None
    table: pd.DataFrame
    kwb: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    key: tuple | None = None      # the cache key of the unweighted scores (loaders_map.map_join)


@shared
@input_errors_as_values  # st.cache_data caches no exceptions: buurt level without statistics was 145 ms a run
def _score(gemeenten: tuple[str, ...], year: int, level: str, reference: str, signature: tuple,
           version: str | None = None):
    sel = kwb(gemeenten, year, version)
    attributes = None
    try:
        b = boundaries(gemeenten, year, level)
        attributes = {year: pd.DataFrame(b.drop(columns="geometry"))}
    except StapelkaartError as exc:  # boundaries only add the marked PDOK fallback attributes
        log.warning("Grenzen %s %s niet beschikbaar; geen PDOK-terugval voor leeftijdsgroepen: %s",
                    year, level, exc.message)
    if reference == "nl":
        nat = kwb_national(year, level)
        frame = pd.concat([sel, nat], ignore_index=True).drop_duplicates("code")
        frame.attrs = dict(sel.attrs)  # table id and fetch details travel into every value's source
        ref = make_reference(nat, "nl", level, year)
    else:
        frame = sel
        ref = make_reference(sel, "selection", level, year, gemeenten, names=gemeente_options(year))
    result = score_areas({year: frame}, year, level=level, reference=ref, gemeenten=gemeenten,
                         user_values=user_values(signature), attributes=attributes,
                         national={year: nat} if reference == "nl" else None)
    return result, sel


def scored(gemeenten: tuple[str, ...], year: int, level: str, reference: str,
           weights: dict[str, float] | None = None, version: str | None = None) -> Scored:
    """Score the selection with the view's imported files (cached for equal weights, reweighted here);
    ``version``: a kept KWB version (the view's ``kv``)."""
    test_fault("scored")
    key = ("national", NATIONAL, year, level, active_files()) if tuple(gemeenten) == NATIONAL \
        else ("selection", tuple(sorted(gemeenten)), year, level, reference, active_files(), version)
    try:
        out = _score_national(*key[2:]) if key[0] == "national" else _score(*key[1:])
        if isinstance(out, UserInputError.Value):
            raise out.error()
        result, sel = out
    except UserInputError:
        if level == "buurt":      # no buurt statistics: empty table, boundaries still drawn as 'geen gegevens'
            return Scored(None, pd.DataFrame(columns=["code", "name", "gemeente_code", "composite"]), None,
                          notes=["buurt_no_data"])
        raise
    if weights:
        result = result.reweight(weights if sum(weights.values()) > 0 else None)
    return Scored(result, result.table, sel, source=dict(sel.attrs.get("source", {})), key=key)


# The engine's own defaults (indicators.engine.score_areas keywords): the one source of band and thresholds.
ENGINE_DEFAULTS = {k: p.default for k, p in inspect.signature(score_areas).parameters.items()
                   if k in ("worst_band", "min_domains", "min_population")}


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
    iv = rank_intervals(res.domain_x.loc[codes], res.weights, min_domains=res.settings.get("min_domains", 3),
                        domain_draws=data_draws(res, codes))
    if code not in iv.index or pd.isna(iv.loc[code, "rank"]):
        return None, None, None
    r = iv.loc[code]
    return int(round(r["rank_low"])), int(round(r["rank_high"])), int(r["rank"])


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


# The map's doors live in loaders_map.py (same door, split by size): geometry, the cached join, hotspots.
# The focus-area doors live in loaders_focus.py (same door, split by size); pages use them as loaders.<name>.
from pages._common.loaders_focus import (  # noqa: E402,F401
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
from pages._common.loaders_map import HOTSPOT, map_geometry, map_join, with_hotspots  # noqa: E402,F401
from pages._common.loaders_notices import data_notices, source_notices  # noqa: E402,F401  (stale/degraded notices)
