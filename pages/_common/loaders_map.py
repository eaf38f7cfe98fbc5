"""Part of the loaders door (pages/_common/loaders.py lists what pages call): what the map needs per rerun,
with the geometry work done once. The quantized geometry and the join of boundaries and unweighted scores
are cached per input and shared by sessions; a rerun (new weights, colouring, hotspots) only sets the columns
that changed (``map_join``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.deckmap.store import map_geometry_for, stored
from core.errors import StapelkaartError
from geo.join import join_scores
from indicators.columns import REWEIGHTED_COLUMNS
from indicators.hotspots import MAP_RULE, local_moran
from pages._common.loaders_caches import is_loaded, mark_loaded, shared
from pages._common.loaders_focus import view_focus_areas
from pages._common.loaders_frames import (
    NATIONAL,
    Scored,
    _score,
    _score_national,
    boundaries,
    kwb,
    kwb_national,
    scored,
)
from pages._common.loaders_notices import data_notices
from pages._common.state import domain_ids

# What ScoreResult.reweight changes (composite and, through weight 0, stacking): set per run, never cached.
WEIGHTED = REWEIGHTED_COLUMNS


@st.cache_resource(show_spinner=False, ttl=3600, max_entries=16)
def _map_geometry(gemeenten: tuple[str, ...], year: int, level: str):
    try:
        stats = kwb_national(year, level) if gemeenten == NATIONAL else kwb(gemeenten, year)
    except StapelkaartError:  # no statistics: the tooltips show PDOK's names
        stats = None
    return map_geometry_for(boundaries(gemeenten, year, level), stats)


def map_geometry(gemeenten: tuple[str, ...], year: int, level: str):
    """Quantized geometry (components.deckmap.store: on disk by input hash, shared by sessions and processes), kept in
    memory per (gemeenten, year, level): weights and colours never reach it; the file is re-stored if lost."""
    return stored(_map_geometry(tuple(sorted(gemeenten)), year, level))


@shared
def _base_join(key: tuple):
    """geo.join.join_scores of the boundaries and the unweighted score table of ``Scored.key``."""
    kind, gemeenten, year, level, *rest = key
    out = _score_national(year, level, *rest) if kind == "national" else _score(gemeenten, year, level, *rest)
    result, _sel = out
    return join_scores(boundaries(gemeenten, year, level), result.table, stats_year=year, boundary_year=year).frame


def map_join(scored_: Scored, gdf, year: int):
    """``join_scores(gdf, scored_.table)`` (one row per boundary of ``gdf``, boundary order): the join of the
    unweighted scores comes from the shared cache; the weighted columns (``WEIGHTED``) and any column the cached
    table does not have (``lisa`` of the hotspots) are set from ``scored_.table`` by code. Without a cache key
    (``scored_`` not from ``loaders.scored``) the join is computed here."""
    if scored_.key is None:
        return join_scores(gdf, scored_.table, stats_year=year, boundary_year=year).frame
    base = _base_join(scored_.key)
    cols = [c for c in scored_.table.columns if c in WEIGHTED or c not in base.columns]
    now = scored_.table[["code", *cols]].set_index("code").reindex(base["code"].to_numpy())
    out = base.copy(deep=False)  # copy-on-write: the cached frame never changes
    for c in cols:
        out[c] = now[c].array  # keeps Int64/boolean (stacking counts with NA)
    return out


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _lisa(gemeenten: tuple[str, ...], year: int, level: str, codes: tuple, values: tuple) -> dict:
    out = local_moran(
        boundaries(gemeenten, year, level), pd.Series(values, index=list(codes), dtype="float64"), **MAP_RULE
    )
    lisa = out["lisa"].astype(object).where(out["lisa"].notna(), None)  # HH/LL/HL/LH, ns; None = no data/neighbours
    return dict(zip(out["code"], lisa))


def with_hotspots(scored_: Scored, gemeenten: tuple[str, ...], year: int, level: str) -> Scored:
    """Add a ``lisa`` column (HH/LL/HL/LH/ns; None = no data or no neighbours) from indicators.hotspots
    (local Moran's I on the composite, Queen contiguity, 999 permutations, fixed seed, ``hotspot_rule``)."""
    table = scored_.table.copy()
    values = (
        pd.to_numeric(table.set_index("code")["composite"], errors="coerce") if len(table) else pd.Series(dtype=float)
    )
    lisa = _lisa(tuple(gemeenten), year, level, tuple(values.index), tuple(values.to_numpy()))
    table["lisa"] = table["code"].map(lisa)
    return Scored(scored_.result, table, scored_.kwb, scored_.notes, scored_.source, scored_.key)


# --- the Kaart's view model ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MapFrame:
    """Everything the Kaart draws from data for one view (pages/_common/mapview.py turns it into colours,
    tooltips and legend in the user's language).

    ``gemeenten``: what was loaded (``NATIONAL`` in the national view); ``scored``: the view's weighted scores
    (with the ``lisa`` column when hotspots are on); ``boundaries``: PDOK's (``attrs["n_kwb"]`` nationally);
    ``geometry``: the quantized geometry for the map component, in its area order; ``joined``: one row per
    boundary with the scores (``map_join``); ``focus_areas``: the view's focus areas; ``notices``: what the
    data layer reported about these frames (``data_notices``); ``loaded_before``: this process had scored the
    input before this call (frames in memory: how loading is shown)."""

    gemeenten: tuple[str, ...]
    scored: Scored
    boundaries: object
    geometry: object
    joined: pd.DataFrame
    focus_areas: list
    notices: list[str]


def map_frame(view, step: Callable[[str], None] | None = None) -> MapFrame:
    """The Kaart's data for ``view``: scores (weighted by the view), boundaries, geometry, their join, the focus
    areas and the notices. ``step`` is told "kwb" and "geo" as the two loads start (the page's load status).
    Raises StapelkaartError when the view's data cannot be loaded."""
    key = _map_input(view, view.national)
    gms = key[0]
    say = step or (lambda _what: None)
    say("kwb")
    weights = view.weight_map(domain_ids())
    scored_ = scored(gms, view.year, view.level, view.reference, weights, None if view.national else view.kv)
    say("geo")
    gdf = boundaries(gms, view.year, view.level)
    geometry = map_geometry(gms, view.year, view.level)  # never keyed by weights
    if view.hotspots:
        scored_ = with_hotspots(scored_, gms, view.year, view.level)
    joined = map_join(scored_, gdf, view.year) if len(scored_.table) else gdf.assign(has_data=False)
    mark_loaded(*key)
    return MapFrame(gms, scored_, gdf, geometry, joined, view_focus_areas(view), data_notices(view))


def _map_input(view, national: bool) -> tuple:
    """What the Kaart loads for ``view`` (``national``: every area of Nederland): (gemeenten, year, level,
    reference), the key of ``is_loaded``/``mark_loaded``."""
    return (NATIONAL if national else tuple(view.gemeenten), view.year, view.level, view.reference)


def map_loaded(view, *, national: bool | None = None) -> bool:
    """Whether this process has scored the Kaart's input of ``view`` before (its frames are in memory);
    ``national`` (default: the view's) as the first screen asks it."""
    return is_loaded(*_map_input(view, view.national if national is None else national))
