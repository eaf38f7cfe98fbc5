"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the view models of the gezondheid
domain on screen (pages/_common/healthui.py calls only these). Each returns everything its section draws from
50150NED (``loaders_health``) and, where focus areas are weighted by adults or the page's scores decide what
counts, the KWB frames and scores (``loaders_frames``, ``loaders_focus``). A part of its own: ``loaders_frames``
imports ``loaders_health`` (the second tables of the scores), so these cannot live there."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from core.errors import StapelkaartError
from indicators import registry
from pages._common.loaders_focus import focus_gemeenten, view_focus_areas
from pages._common.loaders_frames import kwb_national, scored
from pages._common.loaders_health import (
    health,
    health_area_trend,
    health_changes,
    health_comparators,
    health_trend,
)

HEALTH = registry.INDICATORS["ervaren_gezondheid_niet_goed"]

#: Trend tables per pair of survey years (``loaders_health.TREND_PAIRS``), e.g. ``{(2020, 2024): frame}``.
Trends = Mapping[tuple[int, int], pd.DataFrame]


@dataclass(frozen=True)
class HealthSource:
    """50150NED as the service has it now (Methode, the map's legend)."""

    why: Mapping[str, str] | None  # why the table is absent (``{"code", "nl", "en"}``); None when it is loaded
    n_buurten: Mapping[int, int] = field(default_factory=dict)  # survey year -> buurten with a value of HEALTH


def health_source() -> HealthSource:
    """Whether 50150NED is there (and why not), with its count of buurten with a value per survey year."""
    frame, why = health()
    if frame is None:
        return HealthSource(why=why)
    part = frame[frame["level"] == "buurt"]
    counts = part.groupby("year")[HEALTH.numerator[0]].count()
    return HealthSource(why=why, n_buurten={int(y): int(n) for y, n in counts.items()})


@dataclass(frozen=True)
class HealthProfile:
    """Buurtprofiel's health section: one buurt's or gemeente's trend between survey years."""

    trends: Trends  # rows: the one code; ``attrs["reference_n"]``: the regions of its level ranked; {} when absent
    why: Mapping[str, str] | None  # why 50150NED is absent, None when loaded


def health_profile(code: str, level: str) -> HealthProfile:
    """The trend of ``code`` (a buurt or gemeente, ``level``) against every region of its level in NL."""
    return HealthProfile(trends=health_trend([code], level), why=health()[1])


@dataclass(frozen=True)
class HealthCompare:
    """Vergelijken's (and a focus area profile's) health section: focus areas with their gemeenten and Nederland."""

    trends: Trends  # rows: the focus areas by name, weighted by adults of the view's year; {} when absent
    comparators: Trends  # rows: each gemeente of the areas (code) and Nederland; {} when absent
    gemeenten: tuple[str, ...]  # the gemeenten the areas have members in (the comparators' rows besides NL)
    error: StapelkaartError | None  # the national KWB (the adults to weigh by) did not load: nothing else is set
    why: Mapping[str, str] | None  # why 50150NED is absent, None when loaded


def health_compare(view, areas: Sequence) -> HealthCompare:
    """The trends of ``areas`` (focus areas) between survey years, their gemeenten and Nederland beside them."""
    why = health()[1]
    try:
        buurten = kwb_national(view.year, "buurt")
        gemeenten_kwb = kwb_national(view.year, "gemeente")
    except StapelkaartError as exc:  # no national KWB: no adults to weigh by
        return HealthCompare(trends={}, comparators={}, gemeenten=(), error=exc, why=why)
    trends = health_area_trend({a.name: list(a.codes) for a in areas}, buurten, view.year)
    gms = tuple(dict.fromkeys(g for a in areas for g in a.gemeenten))
    comparators = health_comparators(gms, gemeenten_kwb, view.year) if trends else {}
    return HealthCompare(trends=trends, comparators=comparators, gemeenten=gms, error=None, why=why)


@dataclass(frozen=True)
class HealthPanel:
    """Where a page shows domain panels without a score result at hand (Vergelijken): what the gezondheid panel
    rests on at one level."""

    settings: Mapping | None  # engine settings of what the page scores at the level; None when nothing scores
    why: Mapping[str, str] | None  # why 50150NED is absent, None when loaded


def health_panel(view, level: str) -> HealthPanel:
    """The settings of the scores at ``level``: the view's focus areas of that level over their gemeenten
    (Vergelijken's table, ``loaders_focus.focus_table``), else the view's gemeenten."""
    areas = [a for a in view_focus_areas(view) if a.level == level]
    gms = focus_gemeenten(view, areas) if areas else view.gemeenten
    try:
        result = scored(gms, view.year, level, view.reference, None, view.kv).result
    except StapelkaartError:
        result = None
    return HealthPanel(settings=None if result is None else dict(result.settings), why=health()[1])


@dataclass(frozen=True)
class HealthChanged:
    """'Wat is er veranderd' for gezondheid between two years (``indicators.changes.health_changes``)."""

    rows: pd.DataFrame  # one row per area and focus area: old -> new, rank move, or ``why`` not; ``attrs["surveys"]``
    why: Mapping[str, str] | None  # why 50150NED is absent, None when loaded


def health_changed(view, ids: Sequence[str], areas: Sequence, y_old: int, y_new: int) -> HealthChanged:
    """The rows of ``ids`` (codes and focus ids of ``areas``) between ``y_old`` and ``y_new``; a focus area is
    weighted by adults per buurt of the view's year (unknown when the national KWB does not load)."""
    focus = {a.id: list(a.codes) for a in areas if a.id in ids}
    frame, why = health()
    kwb = None
    if focus and frame is not None:
        try:
            kwb = kwb_national(view.year, "buurt")
        except StapelkaartError:
            kwb = None
    rows = health_changes([i for i in ids if i not in focus], focus, y_old, y_new, kwb, view.year)
    return HealthChanged(rows=rows, why=why)
