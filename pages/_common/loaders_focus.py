"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the focus areas of a view
(:func:`focus`) and the profile of one focus area (:func:`focus_profile`), frozen view models over
indicators.focus, focuscodec and focusscore and the cached scoring of loaders_frames.py; Vergelijken's view model is
loaders_compare.py (it adds loaders_notices.py, which imports this module). ``view_focus_areas``,
``focus_gemeenten``, ``focus_level`` and ``focus_table`` also serve the pages not yet on these view models and
loaders_notices.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd
import streamlit as st

from core.errors import StapelkaartError, UserInputError
from data.pdok import load_gemeente_attributes
from indicators.focus import FOCUS_AREAS
from indicators.focuscodec import parse_focus_param, validate
from indicators.focusscore import score_focus
from pages._common.loaders_files import active_files, user_values
from pages._common.loaders_frames import (
    Scored,
    boundaries,
    catalogue,
    kwb,
    kwb_national,
    score_settings,
    scored,
)

log = logging.getLogger(__name__)


# --- focus areas ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FocusAreas:
    """The view's focus areas and what they are scored over (:func:`focus`).

    ``problem`` and ``member_names`` read the KWB frame of ``gemeenten``: loaded on first use, then kept (the Kaart
    and the map only need ``areas`` and never load it; loaders_compare.focus_compare loads it with its table).
    """

    areas: list  # the view's ``fa`` (indicators.focuscodec.parse_focus_param), the default set without one
    level: str  # the level they are compared at: the first area's ("wijk" when none has one)
    gemeenten: tuple[str, ...]  # the view's gemeenten plus every gemeente a focus area has members in
    view: Any = field(repr=False)  # the view they are of (None: no view in the session)
    syntax: UserInputError | None = field(default=None, repr=False)  # why ``fa`` did not parse (default set used)

    @property
    def compared(self) -> list:
        """The areas at ``level``: those in the comparison (others are named, not compared)."""
        return [a for a in self.areas if a.level == self.level]

    def by_id(self, fid):
        """The focus area with id ``fid``, or None."""
        return {f.id: f for f in self.areas}.get(fid)

    @cached_property
    def _kwb(self) -> pd.DataFrame | StapelkaartError:
        view = self.view
        try:
            return kwb(tuple(sorted(self.gemeenten)), view.year, view.kv)
        except StapelkaartError as exc:  # the problem and member names say what they can without it
            return exc

    @cached_property
    def problem(self) -> UserInputError | None:
        """Why the view's ``fa`` cannot be used (syntax) or which members the data do not have; None when fine."""
        if self.syntax is not None:
            return self.syntax
        if self.view is None:
            return None
        known: dict[str, set] = {}
        for level in {a.level for a in self.areas}:
            frame = self._kwb
            if isinstance(frame, UserInputError):
                return frame
            if isinstance(frame, StapelkaartError):  # no data: the page says so where it loads
                return None
            known[level] = set(frame.loc[frame["level"] == level, "code"])
        try:
            validate(self.areas, known)
        except UserInputError as exc:
            return exc
        return None

    @cached_property
    def member_names(self) -> dict[str, str | None]:
        """code -> name (None where the data has none) of every ``level`` area of ``gemeenten``, plus the current
        members (name None when their gemeente has no data): what the editor offers."""
        frame = self._kwb if self.view is not None else None
        out: dict[str, str | None] = {}
        if isinstance(frame, pd.DataFrame) and len(frame):
            sub = frame[frame["level"] == self.level]
            out = {str(c): (n if isinstance(n, str) and n.strip() else None) for c, n in zip(sub["code"], sub["name"])}
        for a in self.areas:
            for c in a.codes:
                out.setdefault(c, None)
        return out


def _parse(view) -> tuple[list, UserInputError | None]:
    text = getattr(view, "fa", "") or ""
    if not text:
        return list(FOCUS_AREAS.values()), None
    try:
        return parse_focus_param(text), None
    except UserInputError as exc:
        return list(FOCUS_AREAS.values()), exc


def focus(view=None) -> FocusAreas:
    """The focus areas of ``view`` (without one: the session's view; the Kaart and the map call it so): its ``fa``
    or the default set, their level and gemeenten; a ``fa`` that does not parse gives the default set, and
    ``problem`` names what is wrong for the page's warning."""
    view = view if view is not None else st.session_state.get("_view")
    areas, syntax = _parse(view)
    return FocusAreas(areas, focus_level(view, areas), _gemeenten(view, areas), view, syntax)


def view_focus_areas(view=None) -> list:
    """``focus(view).areas`` (the pages not yet on :func:`focus` call this)."""
    view = view if view is not None else st.session_state.get("_view")
    return _parse(view)[0]


def _gemeenten(view, areas) -> tuple[str, ...]:
    own = tuple(getattr(view, "gemeenten", ()) or ())
    return tuple(dict.fromkeys([*own, *(g for a in areas for g in a.gemeenten)]))


def focus_gemeenten(view, areas=None) -> tuple[str, ...]:
    """The view's gemeenten plus every gemeente a focus area has members in (all must be scored)."""
    return _gemeenten(view, view_focus_areas(view) if areas is None else areas)


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
    are left out; ``FocusAreas.problem`` names them)."""
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


# --- Buurtprofiel of a focus area -----------------------------------------------------------------


@dataclass(frozen=True)
class FocusProfile:
    """What the focus-area variant of Buurtprofiel draws (:func:`focus_profile`)."""

    row: pd.Series  # indicators.focusscore.focus_profile: the area's aggregate row, with its comparators
    members: pd.DataFrame  # its members' rows of the scored universe, in the area's order
    scored: Scored  # the weighted scores of the area's gemeenten at its level (reference, base labels)
    settings: dict  # the engine settings the view's scores used (the worst band)
    gemeente_names: dict[str, str]  # code -> name of the year's gemeenten


def focus_profile(view, area, weights: dict[str, float] | None = None) -> FocusProfile:
    """The profile of focus area ``area`` of ``view`` with ``weights``; raises StapelkaartError without data."""
    row = focus_table(view, weights, [area]).loc[area.id]
    s = scored(focus_gemeenten(view, [area]), view.year, area.level or "wijk", view.reference, weights, view.kv)
    members = s.result.universe.reindex(list(area.codes))
    return FocusProfile(row, members, s, score_settings(view), catalogue(view.year).names)
