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
    kwb(gemeenten, year, version): the selection's KWB frame
    kwb_table_id(year): the CBS table id of a year
    gemeente_options(year) / known_gemeenten(year): gemeente names and codes (FALLBACK_GEMEENTEN offline)
    FALLBACK_GEMEENTEN: the two gemeenten offered when the list cannot be loaded
Focus comparison and profile (Vergelijken, Buurtprofiel of a focus area, PDF)
    view_focus_areas(view) / focus_by_id(fid, view): the view's focus areas (``fa`` or the default set)
    focus_gemeenten(view, areas) / focus_level(view, areas): what the focus areas are scored over
    focus_problem(view): why the view's ``fa`` cannot be used, or None
    focus_table(view, weights, areas): the comparison table (focus areas, gemeenten, Nederland)
    focus_area_profile(view, area, weights): one focus area's row and its members' rows
    focus_counts(view, codes_by_row): absolute counts per row
    without_boundaries(gemeenten, year, level): the gemeenten PDOK has no boundaries for
Health (50150NED; pages/_common/healthui.py): view models, frozen dataclasses
    health_source() -> HealthSource: why the table is absent, its buurten per survey year (legend)
    health_profile(code, level) / health_compare(view, areas): the trends between survey years (with comparators)
    health_panel(view, level): what Vergelijken's panel scores; health_changed(view, ids, areas, y_old, y_new): rows
Changes (Wat is er veranderd on Buurtprofiel and Gegevens; pages/_common/changesui.py)
    changes(view, areas, versions=|years=) -> Changes: kept versions, focus areas, CBS answered, the two sides
    years_with_data(gemeenten, level): the years whose KWB is cached
Notices and first screen
    data_notices(view, page=): stale copies and degraded sources behind a page's data
    first_screen(view, national=): what the first screen says instead when offline
Methode, files, cache and admin (Methode, Gegevens; session)
    method(view) -> Method: engine settings, the view's result, KWB table id, hotspot rule, freshness, health
    data_status(view) -> DataStatus: admin gate, cache folder, freshness, the view's KWB and notices, its files
    active_files() / user_files(ds) / parse_files(text): imported files; VIEW_FILES: the view's ``files=`` key
    actions: refresh(...) / import_snapshot(data) / snapshot_bytes() / import_user_file(...) / set_default_file(...)
    / check_token(token); admin_enabled(): the admin gate (first screen)
    log_unexpected(exc, context=) / error_message(error_id, lang): error ids
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.errors import StapelkaartError
from data.admin import admin_enabled, check_token
from data.errorlog import log_unexpected
from data.errorlog import user_message as error_message
from data.firstscreen import offline_view
from data.refresh import snapshot_bytes
from data.refresh import years_cached as years_with_data
from indicators.trend import trend as comparable_trend
from pages._common.loaders_caches import is_loaded, mark_loaded
from pages._common.loaders_changes import changes
from pages._common.loaders_files import (
    VIEW_FILES,
    active_files,
    import_snapshot,
    import_user_file,
    parse_files,
    refresh,
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
    FALLBACK_GEMEENTEN,
    NATIONAL,
    Scored,
    boundaries,
    gemeente_options,
    known_gemeenten,
    kwb,
    kwb_table_id,
    scored,
)
from pages._common.loaders_healthview import health_changed, health_compare, health_panel, health_profile, health_source
from pages._common.loaders_map import HOTSPOT, map_geometry, map_join, with_hotspots
from pages._common.loaders_notices import data_notices
from pages._common.loaders_status import data_status, method
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
    "kwb_table_id",
    "score_settings",
    "trend",
]
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
__all__ += ["health_changed", "health_compare", "health_panel", "health_profile", "health_source"]
# changes
__all__ += ["changes", "years_with_data"]
# notices and first screen
__all__ += ["data_notices", "first_screen"]
# methode, files, cache and admin (view models; the actions)
__all__ += [
    "VIEW_FILES",
    "active_files",
    "admin_enabled",
    "check_token",
    "data_status",
    "error_message",
    "import_snapshot",
    "import_user_file",
    "log_unexpected",
    "method",
    "parse_files",
    "refresh",
    "set_default_file",
    "snapshot_bytes",
    "user_files",
]


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
