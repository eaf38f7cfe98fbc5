"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the focus areas of a view, their
comparison table, profile and absolute counts, over indicators.focus, focuscodec and focusscore and the cached
scoring in loaders.py."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from core.errors import StapelkaartError, UserInputError
from data.pdok import load_gemeente_attributes
from indicators.focus import FOCUS_AREAS
from indicators.focuscodec import parse_focus_param, validate
from indicators.focusscore import score_focus
from indicators.tables import absolute_counts
from pages._common.loaders_files import active_files, user_values
from pages._common.loaders_frames import boundaries, kwb, kwb_national, scored

log = logging.getLogger(__name__)


# --- focus areas ----------------------------------------------------------------------------------


def view_focus_areas(view=None) -> list:
    """The focus areas of a view: its ``fa`` (indicators.focuscodec.parse_focus_param) or the default set.

    Without ``view`` the session's view is used (the Kaart page and map call this without one). A ``fa`` that
    does not parse gives the default set here; ``focus_problem`` names what is wrong for the page's warning.
    """
    view = view if view is not None else st.session_state.get("_view")
    text = getattr(view, "fa", "") or ""
    if not text:
        return list(FOCUS_AREAS.values())
    try:
        return parse_focus_param(text)
    except UserInputError:
        return list(FOCUS_AREAS.values())


def focus_problem(view) -> UserInputError | None:
    """Why the view's ``fa`` cannot be used (syntax) or which members the data do not have; None when fine."""
    try:
        areas = parse_focus_param(view.fa) if view.fa else list(FOCUS_AREAS.values())
    except UserInputError as exc:
        return exc
    known: dict[str, set] = {}
    try:
        for level in {a.level for a in areas}:
            frame = kwb(tuple(sorted(focus_gemeenten(view, areas))), view.year, view.kv)
            known[level] = set(frame.loc[frame["level"] == level, "code"])
        validate(areas, known)
    except UserInputError as exc:
        return exc
    except StapelkaartError:  # no data: the page says so where it loads
        return None
    return None


def focus_by_id(fid, view=None):
    return {f.id: f for f in view_focus_areas(view)}.get(fid)


def focus_gemeenten(view, areas=None) -> tuple[str, ...]:
    """The view's gemeenten plus every gemeente a focus area has members in (all must be scored)."""
    areas = view_focus_areas(view) if areas is None else areas
    return tuple(dict.fromkeys([*view.gemeenten, *(g for a in areas for g in a.gemeenten)]))


def without_boundaries(gemeenten, year: int, level: str) -> list[str]:
    """The gemeenten whose boundaries the data source does not have (comparison and profile work without them)."""
    out = []
    for g in gemeenten:
        try:
            boundaries((g,), year, level)
        except StapelkaartError:
            out.append(g)
    return out


def focus_level(view, areas=None) -> str:
    areas = view_focus_areas(view) if areas is None else areas
    levels = [a.level for a in areas if a.level]
    return levels[0] if levels else "wijk"


def focus_table(view, weights: dict[str, float] | None = None, areas=None) -> pd.DataFrame:
    """indicators.focusscore.score_focus for the view's focus areas (+ gemeenten, Nederland), scored over the union
    of the view's gemeenten and the focus areas' gemeenten, at the focus areas' level (areas of another level
    are left out; ``focus_problem`` names them)."""
    areas = view_focus_areas(view) if areas is None else areas
    level = focus_level(view, areas)
    sel = [a for a in areas if a.level == level]
    if not sel:
        return pd.DataFrame()
    s = scored(focus_gemeenten(view, sel), view.year, level, view.reference, weights, view.kv)
    try:
        national = kwb_national(view.year, "gemeente")
    except StapelkaartError:  # the Nederland row then says 'niet beschikbaar'
        national = None
    return score_focus(
        s.result,
        sel,
        national=national,
        user_values=user_values(active_files()),
        national_attributes=national_attributes(view.year) if national is not None else None,
    )


@st.cache_data(show_spinner=False, ttl=3600)
def _national_attributes(year: int) -> pd.DataFrame | None:
    try:
        return load_gemeente_attributes(year)
    except StapelkaartError as exc:  # only the %-fallback of the Nederland row is lost; the row says so
        log.warning("Gemeentekenmerken (PDOK) %s niet beschikbaar: %s", year, exc.message)
        return None


def national_attributes(year: int) -> pd.DataFrame | None:
    """Wijk- en Buurtkaart attributes of every gemeente (data.pdok.load_gemeente_attributes): the working-age
    groups of the Nederland row of werk (sum over all gemeenten where the KWB has no NL00 row and no age counts).
    None when PDOK cannot give them: that row's werk figures then say 'niet beschikbaar' with the coverage."""
    return _national_attributes(int(year))


def focus_area_profile(view, area, weights=None) -> tuple[pd.Series, pd.DataFrame]:
    """indicators.focusscore.focus_profile: the aggregate row of ``area`` (with comparators) and its members' rows."""
    row = focus_table(view, weights, [area]).loc[area.id]
    s = scored(focus_gemeenten(view, [area]), view.year, area.level or "wijk", view.reference, weights, view.kv)
    return row, s.result.universe.reindex(list(area.codes))


def focus_counts(view, codes_by_row: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """indicators.tables.absolute_counts for the wijk scoring of the view (equal weights: counts do not depend
    on weights)."""
    s = scored(focus_gemeenten(view), view.year, focus_level(view), view.reference, None, view.kv)
    return absolute_counts(s.result.parts, codes_by_row)
