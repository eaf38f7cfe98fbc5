"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the view model of 'Wat is er veranderd'
(pages/_common/changesui.py, on Buurtprofiel and on Gegevens after a refresh). ``changes(view, areas)`` says what
can be compared (the kept KWB versions, the view's focus areas, whether CBS answered the last refresh); with the two
sides the user picked (``versions=`` or ``years=``) it also holds their KWB frames and score tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from core.errors import StapelkaartError
from pages._common.loaders_files import cbs_answered
from pages._common.loaders_focus import focus_gemeenten, focus_table, view_focus_areas
from pages._common.loaders_frames import kwb, scored
from pages._common.loaders_frames import versions as kept_versions


@dataclass(frozen=True)
class Sides:
    """The two sides of a comparison (``indicators.changes.what_changed``'s inputs)."""

    old: pd.DataFrame  # the KWB frame of the old side
    new: pd.DataFrame  # the KWB frame of the new side
    between: Mapping[int, pd.DataFrame] | None  # two years: the frames of the years in between that load; else None
    old_scores: pd.DataFrame  # the areas' score rows plus the focus areas' aggregates (code / focus id)
    new_scores: pd.DataFrame


@dataclass(frozen=True)
class Changes:
    """What 'Wat is er veranderd' compares for a view's areas and focus areas."""

    versions: tuple[dict, ...]  # the kept KWB versions in the view's year of what the areas are scored over (the
    # focus areas' gemeenten, else the view's), oldest first
    focus_areas: tuple  # the view's focus areas whose members all lie in its gemeenten (what a refresh changes)
    cbs_answered: bool | None  # CBS answered this session's last refresh of the view's selection (None: none)
    sides: Sides | None = None  # the two sides asked for; None when none were asked or they did not load
    missing: tuple[int, StapelkaartError] | None = None  # years=: the year whose KWB did not load, and why
    error: StapelkaartError | None = None  # the sides' frames or scores did not load (the page says why)


def _scores(view, gms, level: str, year: int, modified: str | None, areas) -> pd.DataFrame:
    """Score table of one side: the areas' rows plus the focus areas' aggregates (indexed by code / focus id)."""
    table = scored(gms, year, level, view.reference, None, modified).table
    if areas:
        v = view.with_(kv=modified, year=year)
        table = pd.concat([table, focus_table(v, None, list(areas))[lambda d: d["kind"] == "focus"]])
    return table


def _version_sides(view, gms, level: str, areas, old: str, new: str) -> Sides:
    frames = [kwb(tuple(sorted(gms)), view.year, m) for m in (old, new)]
    return Sides(
        *frames,
        None,
        _scores(view, gms, level, view.year, old, areas),
        _scores(view, gms, level, view.year, new, areas),
    )


def _year_frames(view, gms, old: int, new: int):
    """The KWB frames of both years, or (year, why) of the first that does not load; the years in between that load
    (their Indelingswijziging flags; a year that does not load stays unknown)."""
    frames = {}
    for y in (old, new):
        try:
            frames[y] = kwb(tuple(sorted(gms)), y, view.kv if y == view.year else None)  # the view's year: its kv
        except StapelkaartError as exc:
            return None, (y, exc)
    between = {}
    for y in range(old + 1, new):
        try:
            between[y] = kwb(tuple(sorted(gms)), y)
        except StapelkaartError:
            continue
    return (frames[old], frames[new], between), None


def changes(
    view, areas: Sequence = (), *, versions: tuple[str, str] | None = None, years: tuple[int, int] | None = None
) -> Changes:
    """What can be compared for ``areas`` (focus areas; none: the view's own areas), and with ``versions`` (CBS
    Modified, old and new) or ``years`` (old < new) the two sides: each KWB frame in its version (the view's own
    year in the version the view reads, ``kv``) and the scores of that version or year. The kept versions are read
    after the sides (loading a year may fetch and keep it)."""
    areas = list(areas)
    gms = focus_gemeenten(view, areas) if areas else view.gemeenten
    level = areas[0].level if areas else view.level
    sides, missing, error = None, None, None
    try:
        if versions is not None:
            sides = _version_sides(view, gms, level, areas, *versions)
        elif years is not None:
            old, new = years
            frames, missing = _year_frames(view, gms, old, new)
            if frames is not None:
                kv = {view.year: view.kv}
                sides = Sides(
                    *frames,
                    _scores(view, gms, level, old, kv.get(old), areas),
                    _scores(view, gms, level, new, kv.get(new), areas),
                )
    except StapelkaartError as exc:
        error = exc
    return Changes(
        versions=tuple(kept_versions(tuple(sorted(gms)), view.year)),
        focus_areas=tuple(a for a in view_focus_areas(view) if set(a.gemeenten) <= set(view.gemeenten)),
        cbs_answered=cbs_answered(tuple(view.gemeenten), view.year),
        sides=sides,
        missing=missing,
        error=error,
    )
