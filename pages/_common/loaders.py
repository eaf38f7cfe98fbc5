"""The pages' one door to data/: every function a page calls for data, each cached or doing I/O.

Pages import pure modules (indicators/, geo/, render/, core/) directly; data/ only through this door
(import-linter contract "Pages reach data/ only through the loaders door", pyproject.toml). ``__all__`` is the
door: exactly what pages call (tests/test_app_layering.py), one line each below. The parts (loaders_*.py) import
each other, never this module; pages reach them only here.

Map frame (Kaart; pages/_common/mapview.py)
    scored(gemeenten, year, level, reference, weights, version) -> Scored: cached scores, reweighted per run
    Scored: what ``scored`` returns (result, table, KWB frame, notes, source, cache key)
    boundaries(gemeenten, year, level): PDOK boundaries (NATIONAL: every gemeente, in parallel)
    map_geometry(gemeenten, year, level): quantized geometry for the map component, never keyed by weights
    map_join(scored, gdf, year): boundaries joined to the scores (cached unweighted join + this run's columns)
    with_hotspots(scored, gemeenten, year, level): the ``lisa`` column (local Moran's I, rule ``HOTSPOT``)
    HOTSPOT: the map's hotspot rule (alpha, correction), also worded in legend and method
    NATIONAL: the "gemeenten" of the national view
    is_loaded(*key) / mark_loaded(*key): whether this process scored the input before (how loading is shown)
Ranking and scores (Prioriteren, Methode, Buurtprofiel)
    score_settings(view): the engine settings the view's scores used (engine defaults without data)
    trend(view, code, years): an area's composite per year with comparability
    kwb(gemeenten, year, version) / kwb_national(year, level): the KWB frames
    kwb_table_id(year): the CBS table id of a year
    gemeente_options(year) / known_gemeenten(year): gemeente names and codes (FALLBACK_GEMEENTEN offline)
    FALLBACK_GEMEENTEN: the two gemeenten offered when the list cannot be loaded
Focus comparison and profile (Vergelijken, Buurtprofiel of a focus area, PDF)
    focus(view=None) -> FocusAreas: the view's focus areas, their level and gemeenten, ``problem``, ``by_id``
    focus_compare(view, weights) -> FocusCompare: everything Vergelijken draws (table, notices, ``counts()``)
    focus_profile(view, area, weights) -> FocusProfile: one focus area's row, its members' rows and scores
    view_focus_areas(view) / focus_gemeenten(view, areas): the areas and gemeenten (pages not yet on ``focus``)
    focus_table(view, weights, areas): the comparison table (focus areas, gemeenten, Nederland)
Health (50150NED)
    health(): the table or why it is absent; health_measures(): every measure's status per level
    health_trend / health_area_trend / health_comparators: the trends between survey years
    health_changes(...): "Wat is er veranderd" rows for gezondheid
Changes (Wat is er veranderd, Gegevens)
    versions(gemeenten, year): the kept KWB versions; years_with_data(gemeenten, level): the cached years
    cbs_answered(gemeenten, year): whether CBS answered in this session's last refresh
Notices and first screen
    data_notices(view, page=): stale copies and degraded sources behind a page's data
    first_screen(view, national=): what the first screen says instead when offline
Files, cache and admin (Gegevens; session)
    active_files() / default_files() / file_info(d) / user_files(ds) / parse_files(text): imported files
    import_user_file(...) / set_default_file(...): store a file, make it a default
    VIEW_FILES: the session key holding the view's ``files=``
    freshness() / cache_path() / refresh(...) / snapshot_bytes() / import_snapshot(data): the cache
    admin_enabled() / check_token(token) / how_to_enable(lang): the admin gate
    log_unexpected(exc, context=) / error_message(error_id, lang): error ids
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from core.errors import StapelkaartError
from data import cache
from data.admin import admin_enabled, check_token, how_to_enable
from data.errorlog import log_unexpected
from data.errorlog import user_message as error_message
from data.firstscreen import offline_view
from data.refresh import freshness_table as freshness
from data.refresh import import_snapshot_bytes, kwb_label, refresh_selection, snapshot_bytes
from data.refresh import years_cached as years_with_data
from indicators.trend import trend as comparable_trend
from pages._common.loaders_caches import clear_caches, is_loaded, mark_loaded
from pages._common.loaders_compare import focus_compare
from pages._common.loaders_files import (
    VIEW_FILES,
    active_files,
    default_files,
    file_info,
    import_user_file,
    parse_files,
    set_default_file,
    user_files,
)
from pages._common.loaders_focus import focus, focus_gemeenten, focus_profile, focus_table, view_focus_areas
from pages._common.loaders_frames import (
    FALLBACK_GEMEENTEN,
    NATIONAL,
    Scored,
    boundaries,
    gemeente_options,
    known_gemeenten,
    kwb,
    kwb_national,
    kwb_table_id,
    scored,
    versions,
)
from pages._common.loaders_health import (
    health,
    health_area_trend,
    health_changes,
    health_comparators,
    health_measures,
    health_trend,
)
from pages._common.loaders_map import HOTSPOT, map_geometry, map_join, with_hotspots
from pages._common.loaders_notices import data_notices
from pages._common.scoring import ENGINE_DEFAULTS

# map frame
__all__ = [
    "HOTSPOT",
    "NATIONAL",
    "Scored",
    "boundaries",
    "is_loaded",
    "map_geometry",
    "map_join",
    "mark_loaded",
    "scored",
    "with_hotspots",
]
# ranking and scores
__all__ += [
    "FALLBACK_GEMEENTEN",
    "gemeente_options",
    "known_gemeenten",
    "kwb",
    "kwb_national",
    "kwb_table_id",
    "score_settings",
    "trend",
]
# focus comparison and profile
__all__ += ["focus", "focus_compare", "focus_gemeenten", "focus_profile", "focus_table", "view_focus_areas"]
# health
__all__ += ["health", "health_area_trend", "health_changes", "health_comparators", "health_measures", "health_trend"]
# changes
__all__ += ["cbs_answered", "versions", "years_with_data"]
# notices and first screen
__all__ += ["data_notices", "first_screen"]
# files, cache and admin
__all__ += [
    "VIEW_FILES",
    "active_files",
    "admin_enabled",
    "cache_path",
    "check_token",
    "default_files",
    "error_message",
    "file_info",
    "freshness",
    "how_to_enable",
    "import_snapshot",
    "import_user_file",
    "log_unexpected",
    "parse_files",
    "refresh",
    "set_default_file",
    "snapshot_bytes",
    "user_files",
]

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


def score_settings(view) -> dict:
    """The engine settings actually used (worst band, minimum domains, minimum population); the engine's
    defaults where the view does not score (no data)."""
    try:
        res = scored(view.gemeenten, view.year, view.level, view.reference).result
    except StapelkaartError:  # the texts then show the engine defaults
        res = None
    return {**ENGINE_DEFAULTS, **(dict(res.settings) if res is not None else {})}


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
