"""The pages' one door to data/: a view model per page, the actions, and nothing else.

Pages import pure modules (indicators/, geo/, render/, core/) directly; data/ only through this door
(import-linter contract "Pages reach data/ only through the loaders door", pyproject.toml). ``__all__`` is the
door: exactly what pages call (tests/test_app_layering.py). The parts (loaders_*.py) hold the cached frames and
build the view models; they import each other, never this module; pages reach them only here.

View models (each returns a frozen dataclass with named, documented fields: everything its page draws from data,
built from the cached frames; words in the user's language are added by the page layer)
    catalogue(year) -> Catalogue: the year's gemeenten (names, known codes, CBS's list or the fallback), its KWB table
    map_frame(view, step) -> MapFrame: Kaart: scores (weighted, hotspots), boundaries, quantized geometry, their
        join, focus areas, notices (pages/_common/mapview.py turns it into colours, tooltips and legend);
        map_loaded(view): whether this process scored that input before (how loading is shown)
    ranking(view) -> Ranking: Prioriteren: scores with the view's weights and version, engine settings, notices
    profile(view) -> Profile: Buurtprofiel of a wijk or buurt: the same, focus areas, cached years, the trend
    focus(view) -> FocusAreas: the view's focus areas, their level, gemeenten and problem (Kaart, editor)
    focus_compare(view, weights) -> FocusCompare: Vergelijken and its PDF (table, notices, counts on request)
    focus_profile(view, area, weights) -> FocusProfile: Buurtprofiel of a focus area
    health_source() / health_profile(code, level) / health_compare(view, areas) / health_panel(view, level) /
        health_changed(view, ids, areas, y_old, y_new): gezondheid (50150NED) where a page shows it
    changes(view, areas, versions=|years=) -> Changes: Wat is er veranderd (kept versions or two years)
    method(view) -> Method: Methode; data_status(view) -> DataStatus: Gegevens
    first_screen(view, national=): what the first screen says instead when offline (None: run the page)
    citations(): the imported files in use, as they ask to be credited (every source line)
Actions (Gegevens; the admin ones behind the token) and the session's plumbing
    refresh(...) / import_snapshot(data) / snapshot_bytes() / import_user_file(...) / set_default_file(...) /
    check_token(token) / admin_enabled()
    VIEW_FILES / parse_files(text): the view's ``files=`` (session.py); log_unexpected / error_message: error ids
"""

from __future__ import annotations

from data.admin import admin_enabled, check_token
from data.errorlog import log_unexpected
from data.errorlog import user_message as error_message
from data.firstscreen import offline_view
from data.refresh import snapshot_bytes
from pages._common.loaders_changes import changes
from pages._common.loaders_compare import focus_compare
from pages._common.loaders_files import (
    VIEW_FILES,
    citations,
    import_snapshot,
    import_user_file,
    parse_files,
    refresh,
    set_default_file,
)
from pages._common.loaders_focus import focus, focus_profile
from pages._common.loaders_frames import (
    catalogue,
)
from pages._common.loaders_healthview import health_changed, health_compare, health_panel, health_profile, health_source
from pages._common.loaders_map import map_frame, map_loaded
from pages._common.loaders_ranking import profile, ranking
from pages._common.loaders_status import data_status, method

# the view models: what each page draws, from the cached frames
__all__ = [
    "catalogue",  # every page: the year's gemeenten and KWB table
    "changes",  # Wat is er veranderd
    "citations",  # the imported files' credits in every source line
    "data_status",  # Gegevens
    "first_screen",  # the first screen without connection
    "focus",  # the view's focus areas (Kaart, editor)
    "focus_compare",  # Vergelijken (and its PDF)
    "focus_profile",  # Buurtprofiel of a focus area
    "health_changed",
    "health_compare",
    "health_panel",
    "health_profile",
    "health_source",  # gezondheid (50150NED) on every page that names it
    "map_frame",  # Kaart
    "map_loaded",
    "method",  # Methode
    "profile",  # Buurtprofiel of a wijk or buurt
    "ranking",  # Prioriteren
]
# the actions (Gegevens; admin ones behind the token), the view's files and error ids
__all__ += [
    "VIEW_FILES",
    "admin_enabled",
    "check_token",
    "error_message",
    "import_snapshot",
    "import_user_file",
    "log_unexpected",
    "parse_files",
    "refresh",
    "set_default_file",
    "snapshot_bytes",
]


def first_screen(view, *, national: bool = False):
    """data.firstscreen.offline_view for ``view``: None when its data is in memory (this process scored it), cached
    or the services it needs answer; else what the first screen says instead (pages/_common/firstscreen.py), within
    a reachability timeout."""
    if map_loaded(view, national=national):
        return None  # no look at the services
    return offline_view(view.gemeenten, view.year, view.level, view.reference, national=national)
