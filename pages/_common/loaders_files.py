"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the indicator files a view names
(data/userstore.py, content-addressed; the old global <cache>/userfiles/ is ignored), and the actions on the shared
cache (refresh, snapshot import: each empties the caches after it)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import streamlit as st

from core.errors import StapelkaartError
from data import cache, userstore
from data.refresh import import_snapshot_bytes, kwb_label, refresh_selection
from indicators.bounds import value_bounds
from indicators.rates import user_values_from_file
from pages._common.loaders_caches import clear_caches

log = logging.getLogger("pages._common.loaders")


# --- user indicator files: per view, content-addressed (data/userstore.py; the old global <cache>/userfiles/ is
# ignored). The view's ``files=`` names its imports (widgets.set_view keeps them in session_state[VIEW_FILES]);
# a file enters only the scores of a view that names it, or of every view once an admin made it a default.

VIEW_FILES = "_view_files"
file_info, default_files, parse_files = userstore.meta, userstore.default_files, userstore.parse_files_param


def import_user_file(data: bytes, filename: str, year: int | None = None, *, view_codes=None) -> str:
    """Validate (UserFileError, values outside an indicator's bounds included), store under the digest, return it."""
    return userstore.put(data, filename, year, view_codes=view_codes, bounds=value_bounds())


def active_files() -> tuple[str, ...]:
    """The files the current view names, then the admin's defaults."""
    return tuple(dict.fromkeys((*st.session_state.get(VIEW_FILES, ()), *userstore.default_files())))


def citations() -> list[str]:
    """Every imported file in use (the view's active files), as it asks to be credited (source lines, exports)."""
    return [uf.citation or uf.source for uf in user_files(active_files())]


def set_default_file(digest: str, on: bool, *, admin: bool) -> list[str]:
    out = userstore.set_default(digest, on, admin=admin)
    clear_caches()
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def _user_file(digest: str):
    return userstore.get(digest)


def user_files(digests: tuple[str, ...]) -> list:
    """The stored files (one that no longer validates is left out and logged)."""
    out = []
    for d in digests:
        try:
            out.append(_user_file(d))
        except StapelkaartError as exc:
            log.warning("Indicatorbestand %s wordt niet gebruikt: %s", d, exc.message)
    return out


def user_values(digests: tuple[str, ...]) -> list:
    return [
        v for uf in user_files(digests) if uf.year is not None for v in user_values_from_file(uf, uf.mapping or None)
    ]


# --- the shared cache: its folder, a refresh of the view's selection (Gegevens), a snapshot import ---------------

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
