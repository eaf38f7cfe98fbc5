"""The cached frames every page reads: KWB, boundaries and the scores of a selection (part of the loaders door:
pages/_common/loaders.py lists what pages call; the parts import this module, never the door)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from core.codes import LEVELS
from core.errors import StapelkaartError, UserInputError, input_errors_as_values
from data.cache import CacheKey
from data.cbs import kwb_versions, list_gemeenten, load_kwb, load_kwb_national, load_kwb_version, table_id
from data.firstscreen import fail_fast, service_reachable_or_cached
from data.pdok import load_boundaries
from data.pdok_national import load_boundaries_each
from indicators.engine import make_reference, score_areas
from pages._common.loaders_caches import shared
from pages._common.loaders_files import active_files, user_values
from pages._common.loaders_health import sources
from pages._common.scoring import ENGINE_DEFAULTS

log = logging.getLogger("pages._common.loaders")

FALLBACK_GEMEENTEN = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
NATIONAL = ("NL",)  # "gemeenten" of the national view: every area of the national KWB frame


# --- CBS and PDOK --------------------------------------------------------------------------------


def _gemeenten_list_reachable(year: int) -> bool:
    """The year's gemeente list is cached or CBS answers (data.firstscreen): without internet the session start
    and the sidebar fall back at once instead of waiting out the retries (35-80 s, issue 23)."""
    try:
        key = CacheKey.make("gemeenten", int(year), "gemeente", "NL")
    except (TypeError, ValueError):
        return True  # list_gemeenten says what is wrong with the year
    if service_reachable_or_cached(key):
        return True
    log.warning("Gemeentelijst %s niet in de cache en CBS niet bereikbaar: de vaste lijst wordt gebruikt", year)
    return False


@dataclass(frozen=True)
class Catalogue:
    """The gemeenten of a year, as every page names them (the sidebar, tables, links, exports).

    ``names``: code -> name (a fresh dict per call: a caller may add to it); ``known``: the codes CBS lists (None
    when the list cannot be loaded: then no code from a link is refused); ``complete``: the list is CBS's (False:
    only the two fallback gemeenten, ``FALLBACK_GEMEENTEN``, offline); ``table_id``: the year's KWB table at CBS
    ("?" when the year has none), named in every source line."""

    names: dict[str, str]
    known: frozenset[str] | None
    complete: bool
    table_id: str

    def name(self, code: str) -> str:
        """The gemeente's name, or its code when the list lacks it."""
        return self.names.get(code, code)


def catalogue(year: int) -> Catalogue:
    """The gemeenten of ``year`` (cached per year: :func:`_names`, :func:`_known`)."""
    names = _names(year)
    return Catalogue(names, _known(year), names != FALLBACK_GEMEENTEN, kwb_table_id(year))


@st.cache_data(show_spinner=False, ttl=3600)
def _names(year: int) -> dict[str, str]:
    if not _gemeenten_list_reachable(year):
        return dict(FALLBACK_GEMEENTEN)
    try:
        frame = list_gemeenten(year)
        return {str(c): str(n) for c, n in zip(frame["code"], frame["name"])}
    except StapelkaartError as exc:  # offline, or a year without data: the two focus gemeenten remain
        log.warning("Gemeentelijst %s niet beschikbaar: %s", year, exc.message)
        return dict(FALLBACK_GEMEENTEN)


@st.cache_data(show_spinner=False, ttl=3600)
def _known(year: int) -> frozenset[str] | None:
    """The gemeente codes of ``year`` (None when the list cannot be loaded: then no code is refused)."""
    if not _gemeenten_list_reachable(year):
        return None
    try:
        return frozenset(str(c) for c in list_gemeenten(year)["code"])
    except StapelkaartError:
        return None


@shared
def kwb(gemeenten: tuple[str, ...], year: int, version: str | None = None) -> pd.DataFrame:
    """The selection's KWB frame; ``version`` (a CBS Modified, the view's ``kv``) reads that kept version."""
    if version:
        return load_kwb_version(list(gemeenten), year, version, levels=LEVELS)
    fail_fast(
        [CacheKey.make("kwb", year, lv, [g]) for g in gemeenten for lv in LEVELS],
        "de kerncijfers van deze gemeenten",
        "the key figures of these municipalities",
    )
    return load_kwb(list(gemeenten), year, levels=LEVELS)


def versions(gemeenten: tuple[str, ...], year: int) -> list[dict]:
    """data.cbs.kwb_versions of the selection (oldest first; cache only)."""
    return kwb_versions(list(gemeenten), year, levels=LEVELS)


@shared
def kwb_national(year: int, level: str) -> pd.DataFrame:
    fail_fast([CacheKey.make("kwb", year, level, "NL")], "de landelijke kerncijfers", "the national key figures")
    return load_kwb_national(year, level)


@shared
def boundaries(gemeenten: tuple[str, ...], year: int, level: str):
    """PDOK boundaries; NATIONAL: those of every gemeente in the national KWB frame, fetched per gemeente in
    parallel (``attrs["missing"]``: gemeenten without boundaries, ``attrs["n_kwb"]``: areas in the KWB)."""
    if tuple(gemeenten) != NATIONAL:
        fail_fast(
            [CacheKey.make("boundaries", year, level, [g]) for g in gemeenten],
            "de grenzen van deze gemeenten",
            "the boundaries of these municipalities",
        )
        return load_boundaries(list(gemeenten), year, level)
    nat = kwb_national(year, level)
    fail_fast([CacheKey.make("boundaries", year, level, "NL")], "de landelijke grenzen", "the national boundaries")
    gdf, missing = load_boundaries_each(sorted(nat["gemeente_code"].dropna().unique()), year, level)
    if gdf is None:
        raise UserInputError(f"Geen grenzen beschikbaar voor {level} {year}.", f"No boundaries for {level} {year}.")
    gdf.attrs.update(missing=missing, n_kwb=int((nat["level"] == level).sum()))
    return gdf


@shared
@input_errors_as_values
def _score_national(year: int, level: str, signature: tuple):
    nat = kwb_national(year, level)
    return score_areas(
        {year: nat},
        year,
        level=level,
        reference=make_reference(nat, "nl", level, year),
        user_values=user_values(signature),
        national={year: nat},
        sources=sources(level),
    ), nat


def kwb_table_id(year: int) -> str:
    """The CBS table id of ``year`` ("?" when the year has none)."""
    try:
        return table_id(year)
    except StapelkaartError:
        return "?"


# --- scoring --------------------------------------------------------------------------------------


@dataclass
class Scored:
    """What a page needs: the ScoreResult plus the frames it came from and honest notes."""

    result: object | None
    table: pd.DataFrame
    kwb: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    key: tuple | None = None  # the cache key of the unweighted scores (loaders_map.map_join)


@shared
@input_errors_as_values  # st.cache_data caches no exceptions: buurt level without statistics was 145 ms a run
def _score(
    gemeenten: tuple[str, ...], year: int, level: str, reference: str, signature: tuple, version: str | None = None
):
    sel = kwb(gemeenten, year, version)
    attributes = None
    try:
        b = boundaries(gemeenten, year, level)
        attributes = {year: pd.DataFrame(b.drop(columns="geometry"))}
    except StapelkaartError as exc:  # boundaries only add the marked PDOK fallback attributes
        log.warning(
            "Grenzen %s %s niet beschikbaar; geen PDOK-terugval voor leeftijdsgroepen: %s", year, level, exc.message
        )
    if reference == "nl":
        nat = kwb_national(year, level)
        frame = pd.concat([sel, nat], ignore_index=True).drop_duplicates("code")
        frame.attrs = dict(sel.attrs)  # table id and fetch details travel into every value's source
        ref = make_reference(nat, "nl", level, year)
    else:
        frame = sel
        ref = make_reference(sel, "selection", level, year, gemeenten, names=_names(year))
    result = score_areas(
        {year: frame},
        year,
        level=level,
        reference=ref,
        gemeenten=gemeenten,
        user_values=user_values(signature),
        attributes=attributes,
        national={year: nat} if reference == "nl" else None,
        sources=sources(level),
    )
    return result, sel


def scored(
    gemeenten: tuple[str, ...],
    year: int,
    level: str,
    reference: str,
    weights: dict[str, float] | None = None,
    version: str | None = None,
) -> Scored:
    """Score the selection with the view's imported files (cached for equal weights, reweighted here);
    ``version``: a kept KWB version (the view's ``kv``)."""
    key = (
        ("national", NATIONAL, year, level, active_files())
        if tuple(gemeenten) == NATIONAL
        else ("selection", tuple(sorted(gemeenten)), year, level, reference, active_files(), version)
    )
    try:
        out = _score_national(*key[2:]) if key[0] == "national" else _score(*key[1:])
        if isinstance(out, UserInputError.Value):
            raise out.error()
        result, sel = out
    except UserInputError:
        if level == "buurt":  # no buurt statistics: empty table, boundaries still drawn as 'geen gegevens'
            return Scored(
                None,
                pd.DataFrame(columns=["code", "name", "gemeente_code", "composite"]),
                None,
                notes=["buurt_no_data"],
            )
        raise
    if weights:
        result = result.reweight(weights if sum(weights.values()) > 0 else None)
    return Scored(result, result.table, sel, source=dict(sel.attrs.get("source", {})), key=key)


def engine_settings(result) -> dict:
    """The engine settings ``result`` was scored with (worst band, minimum domains, minimum population); the
    engine's defaults where there is no result (no data)."""
    return {**ENGINE_DEFAULTS, **(dict(result.settings) if result is not None else {})}


def score_settings(view) -> dict:
    """:func:`engine_settings` of the view's scores (its current version, equal weights)."""
    try:
        res = scored(view.gemeenten, view.year, view.level, view.reference).result
    except StapelkaartError:  # the texts then show the engine defaults
        res = None
    return engine_settings(res)
