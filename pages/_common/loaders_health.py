"""Part of the loaders door (pages/_common/loaders.py lists what pages call): the second tables (``Indicator.source_id``,
``data.sources``) and the health trends between survey years (``indicators.health``).

50150NED is loaded once per process for the whole country (gemeenten and buurten: the national reference of a buurt
is every buurt of NL with a value), only for a level the table has values at; a service without it (HTTP 404, the
default emulator) or one that cannot be reached is remembered as absent (``data.health.health_or_absent``) and the
pages say so (``healthui``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import pandas as pd

from data.health import health_or_absent, measure_status
from data.sources import GEZONDHEID
from indicators import changes as ic
from indicators import health as ih
from indicators import registry
from indicators.rates import adults
from pages._common.loaders_caches import shared

log = logging.getLogger("pages._common.loaders")

#: The pairs of survey years the trend tables show (issue 23: 2020 -> 2024 and 2022 -> 2024).
TREND_PAIRS: tuple[tuple[int, int], ...] = ((2020, 2024), (2022, 2024))


@shared
def _health() -> tuple[pd.DataFrame | None, dict | None]:
    frame, why = health_or_absent()
    if why is not None:
        log.warning("50150NED afwezig: %s", why["nl"])
    return frame, why


def health() -> tuple[pd.DataFrame | None, dict | None]:
    """(frame of 50150NED for NL, None) or (None, why absent: ``{"code", "nl", "en"}``)."""
    return _health()


#: The levels 50150NED publishes (the real table also has wijken; the emulator's copy has none).
MEASURE_LEVELS = ("buurt", "gemeente")


def health_measures() -> list[dict]:
    """Every monitor measure declared for 50150NED (``data.sources.GEZONDHEID``) with, per level, its status in the
    table the service has now (``data.health.measure_status``: ``ok``, ``absent`` = "niet in deze gegevens",
    ``empty`` = no values at this level), or None per level when the service has no such table at all."""
    frame, _ = _health()
    return [
        {
            "id": m.id,
            "label": dict(m.label),
            "status": {lv: None if frame is None else measure_status(frame, m.id, lv) for lv in MEASURE_LEVELS},
        }
        for m in GEZONDHEID.measures
    ]


def sources(level: str) -> dict[str, pd.DataFrame | None]:
    """The frames of the second tables whose indicators have values at ``level`` (``score_areas(sources=)``); a
    table without values at the level is not loaded at all (the engine says ``level_absent``)."""
    out: dict[str, pd.DataFrame | None] = {}
    for ind in registry.INDICATORS.values():
        if ind.source_id and level in ind.levels:
            out[ind.source_id] = health()[0]
    return out


@shared
def _buurt_values() -> pd.DataFrame | None:
    frame, _ = health()
    return None if frame is None else ih.by_year(frame, "buurt")


@shared
def _gemeente_values() -> pd.DataFrame | None:
    frame, _ = health()
    return None if frame is None else ih.by_year(frame, "gemeente")


def health_trend(codes: Sequence[str], level: str = "buurt") -> dict[tuple[int, int], pd.DataFrame]:
    """Per pair of survey years (``TREND_PAIRS``): ``indicators.health.trend`` of every region of ``level`` in NL,
    rows ``codes`` (the rank movement is against all regions of the level with a value in both years:
    ``attrs["reference_n"]``). Empty when the table is absent."""
    values = _buurt_values() if level == "buurt" else _gemeente_values() if level == "gemeente" else None
    if values is None:
        return {}
    out = {}
    for y1, y2 in TREND_PAIRS:
        if y1 in values.columns and y2 in values.columns:
            full = ih.trend(values, y1, y2)
            part = full.reindex(list(codes))
            part.attrs = dict(full.attrs)
            out[(y1, y2)] = part
    return out


def health_area_trend(
    areas: Mapping[str, Sequence[str]], kwb_buurten: pd.DataFrame | None, year: int
) -> dict[tuple[int, int], pd.DataFrame]:
    """Per pair of survey years: ``indicators.health.area_trend`` of focus areas (name -> codes of any level: a wijk,
    gemeente or ``NL00`` stands for its buurten, ``indicators.health.buurten_of``), weighted by
    adults (inhabitants - aged 0-15) of ``year`` from ``kwb_buurten`` (the national KWB frame of buurten). Empty when
    the table or the weights are absent."""
    values = _buurt_values()
    if values is None or kwb_buurten is None:
        return {}
    frame = kwb_buurten.set_index(kwb_buurten["code"].astype(str))
    weights = adults({year: frame}, pd.Index(frame.index), year)
    codes = list(values.index)
    members = {name: ih.buurten_of(list(c), codes) for name, c in areas.items()}
    out = {}
    for y1, y2 in TREND_PAIRS:
        if y1 in values.columns and y2 in values.columns:
            out[(y1, y2)] = ih.area_trend(values, weights, members, y1, y2)
    return out


def health_comparators(
    gemeenten: Sequence[str], kwb_gemeenten: pd.DataFrame | None, year: int
) -> dict[tuple[int, int], pd.DataFrame]:
    """Per pair of survey years: ``indicators.health.comparator_trend`` (each gemeente's own value, Nederland over
    all gemeenten weighted by adults of ``year`` from ``kwb_gemeenten``). Empty when the table or weights are
    absent."""
    bv, gv = _buurt_values(), _gemeente_values()
    if bv is None or gv is None or kwb_gemeenten is None:
        return {}
    frame = kwb_gemeenten.set_index(kwb_gemeenten["code"].astype(str))
    weights = adults({year: frame}, pd.Index(frame.index), year)
    return {
        (y1, y2): ih.comparator_trend(bv, gv, weights, list(gemeenten), y1, y2)
        for y1, y2 in TREND_PAIRS
        if y1 in bv.columns and y2 in bv.columns
    }


def health_changes(
    codes: Sequence[str],
    focus: Mapping[str, Sequence[str]],
    y_old: int,
    y_new: int,
    kwb_buurten: pd.DataFrame | None,
    year: int,
) -> pd.DataFrame:
    """'Wat is er veranderd' for gezondheid (``indicators.changes.health_changes``): ``codes`` (buurten, wijken,
    gemeenten) and ``focus`` (focus id -> member codes) between the survey years ``y_old`` and ``y_new``, on every
    region of NL in 50150NED; focus areas weighted by adults (inhabitants - aged 0-15) from ``kwb_buurten`` (the
    national KWB frame of buurten of ``year``; None: their weights are unknown). 50150NED has no wijk values: a wijk row says
    ``level_absent``; an absent table ``source_absent``."""
    frame, _ = health()
    values = None if frame is None else {"buurt": _buurt_values(), "gemeente": _gemeente_values()}
    weights = None
    if kwb_buurten is not None:
        kwb = kwb_buurten.set_index(kwb_buurten["code"].astype(str))
        weights = adults({year: kwb}, pd.Index(kwb.index), year)
    return ic.health_changes(values, codes, y_old, y_new, focus=focus, weights=weights)
