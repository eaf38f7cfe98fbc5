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
    scored(...) / Scored, boundaries(...), kwb(...), kwb_table_id(year), gemeente_options(year)
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

from data.admin import admin_enabled, check_token
from data.errorlog import log_unexpected
from data.errorlog import user_message as error_message
from data.firstscreen import offline_view
from data.refresh import snapshot_bytes
from pages._common.loaders_caches import is_loaded
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
    NATIONAL,
    Scored,
    boundaries,
    catalogue,
    gemeente_options,
    kwb,
    kwb_table_id,
    scored,
)
from pages._common.loaders_healthview import health_changed, health_compare, health_panel, health_profile, health_source
from pages._common.loaders_map import map_frame, map_loaded
from pages._common.loaders_notices import data_notices
from pages._common.loaders_ranking import profile, ranking, score_settings
from pages._common.loaders_status import data_status, method

# gemeenten, Kaart, Prioriteren and Buurtprofiel
__all__ = ["catalogue", "map_frame", "map_loaded", "profile", "ranking", "score_settings"]
# scores and frames still read directly
__all__ += ["Scored", "boundaries", "gemeente_options", "kwb", "kwb_table_id", "scored"]
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
__all__ += ["changes"]
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
    """data.firstscreen.offline_view for ``view``: None when its data is in memory (this process scored it), cached
    or the services it needs answer; else what the first screen says instead (pages/_common/firstscreen.py), within
    a reachability timeout."""
    if is_loaded(NATIONAL if national else tuple(view.gemeenten), view.year, view.level, view.reference):
        return None  # no look at the services
    return offline_view(view.gemeenten, view.year, view.level, view.reference, national=national)
