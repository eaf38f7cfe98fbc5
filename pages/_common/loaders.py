"""The pages' one door to data/: every function a page calls for data, each cached or doing I/O.

Pages import pure modules (indicators/, geo/, render/, core/) directly; data/ only through this door
(import-linter contract "Pages reach data/ only through the loaders door", pyproject.toml). ``__all__`` is the
door: exactly what pages call (tests/test_app_layering.py), one line each below. The parts (loaders_*.py) import
each other, never this module; pages reach them only here.

Gemeenten (every page)
    catalogue(year) -> Catalogue: the year's gemeenten (names, known codes, whether CBS's list or the fallback)
Kaart
    map_frame(view, step) -> MapFrame: scores (weighted, hotspots), boundaries, quantized geometry, their join,
        focus areas and notices (pages/_common/mapview.py turns it into colours, tooltips and legend)
    map_loaded(view): whether this process scored the Kaart's input before (how loading is shown)
Prioriteren and Buurtprofiel
    ranking(view) -> Ranking: scores with the view's weights and version, engine settings, notices
    profile(view) -> Profile: the same for Buurtprofiel, with the view's focus areas, cached years and the trend
    score_settings(view): the engine settings the view's scores used (engine defaults without data)
Scores and frames still read directly (moving into the view models)
    scored(...) / Scored, boundaries(...), kwb(...), kwb_national(...), kwb_table_id(year), gemeente_options(year)
Focus comparison and profile (Vergelijken, Buurtprofiel of a focus area, PDF)
    view_focus_areas(view) / focus_by_id(fid, view): the view's focus areas (``fa`` or the default set)
    focus_gemeenten(view, areas) / focus_level(view, areas): what the focus areas are scored over
    focus_problem(view): why the view's ``fa`` cannot be used, or None
    focus_table(view, weights, areas): the comparison table (focus areas, gemeenten, Nederland)
    focus_area_profile(view, area, weights): one focus area's row and its members' rows
    focus_counts(view, codes_by_row): absolute counts per row
    without_boundaries(gemeenten, year, level): the gemeenten PDOK has no boundaries for
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

import streamlit as st

from data import cache
from data.admin import admin_enabled, check_token, how_to_enable
from data.errorlog import log_unexpected
from data.errorlog import user_message as error_message
from data.firstscreen import offline_view
from data.refresh import freshness_table as freshness
from data.refresh import import_snapshot_bytes, kwb_label, refresh_selection, snapshot_bytes
from pages._common.loaders_caches import clear_caches, is_loaded
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
from pages._common.loaders_focus import (
    focus_area_profile,
    focus_by_id,
    focus_counts,
    focus_gemeenten,
    focus_level,
    focus_problem,
    focus_table,
    view_focus_areas,
    without_boundaries,
)
from pages._common.loaders_frames import (
    NATIONAL,
    Scored,
    boundaries,
    catalogue,
    gemeente_options,
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
from pages._common.loaders_map import HOTSPOT, map_frame, map_loaded
from pages._common.loaders_notices import data_notices
from pages._common.loaders_ranking import profile, ranking, score_settings

# gemeenten, Kaart, Prioriteren and Buurtprofiel
__all__ = ["catalogue", "map_frame", "map_loaded", "profile", "ranking", "score_settings"]
# scores and frames still read directly
__all__ += ["HOTSPOT", "Scored", "boundaries", "gemeente_options", "kwb", "kwb_national", "kwb_table_id", "scored"]
# focus comparison and profile
__all__ += [
    "focus_area_profile",
    "focus_by_id",
    "focus_counts",
    "focus_gemeenten",
    "focus_level",
    "focus_problem",
    "focus_table",
    "view_focus_areas",
    "without_boundaries",
]
# health
__all__ += ["health", "health_area_trend", "health_changes", "health_comparators", "health_measures", "health_trend"]
# changes
__all__ += ["cbs_answered", "versions"]
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
    """data.firstscreen.offline_view for ``view``: None when its data is in memory (this process scored it), cached
    or the services it needs answer; else what the first screen says instead (pages/_common/firstscreen.py), within
    a reachability timeout."""
    if is_loaded(NATIONAL if national else tuple(view.gemeenten), view.year, view.level, view.reference):
        return None  # no look at the services
    return offline_view(view.gemeenten, view.year, view.level, view.reference, national=national)
