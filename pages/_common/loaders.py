"""The pages' one door to data/, indicators/ and geo/: thin ``st.cache_data`` wrappers and pass-throughs.

No other module in pages/ imports those packages, except declarations (documented in docs/ARCHITECTURE.md):
``indicators.registry`` (the indicators as data), ``indicators.weights`` (weight limits and parser),
``data.errors`` (exception types), ``geo.crs`` (CRS constants), ``data.cbs.KWB_TABLES`` (the years) and
``indicators.method`` (the rules in words and the stacking sentence built from a score row: pure text).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import streamlit as st

from data import admin, cache, errorlog, userstore
from data.cbs import kwb_versions, list_gemeenten, load_kwb, load_kwb_national, load_kwb_version, table_id
from data.export import COMPARATOR_STYLE, FOCUS_COLOURS, FOCUS_MARKER, map_png  # noqa: F401
from data.errors import StapelkaartError, UserInputError, input_errors_as_values
from data.layercache import map_geometry_for, stored
from data.pdok import load_boundaries, load_boundaries_each
from data.refresh import freshness_table as freshness  # noqa: F401
from data.refresh import import_snapshot_bytes, refresh_selection, snapshot_bytes  # noqa: F401
from data.refresh import years_cached as years_with_data  # noqa: F401
from data.report import Figure, focus_report, focus_reports_pdf, ranking_exports, ranking_sources  # noqa: F401
from geo.classify import SCHEMES, class_colors, classify, legend, lisa_colors, lisa_legend  # noqa: F401
from geo.join import join_scores  # noqa: F401
from geo.layer import focus_outlines  # noqa: F401
from indicators.engine import make_reference, score_areas
from indicators.changes import STATUS as CHANGE_STATUS  # noqa: F401
from indicators.changes import what_changed  # noqa: F401
from indicators.focus import (FOCUS_AREAS, PRESETS, FocusArea, focus_from_json, focus_profile,  # noqa: F401
                              focus_to_json, format_focus_param, parse_focus_param, score_focus, validate)
from indicators.hotspots import local_moran, rule_text as hotspot_rule_text  # noqa: F401
from indicators.rates import user_values_from_file
from indicators.sensitivity import data_draws, rank_intervals
from indicators.tables import (RANK_RULE, STACKING_BREAKS, STACKING_LABELS, absolute_counts, domain_ranks,  # noqa: F401
                               num, older_years, rank_table, shown_indicators, stacked)
from indicators.trend import trend as comparable_trend

log = logging.getLogger(__name__)

FALLBACK_GEMEENTEN = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
NATIONAL = ("NL",)  # "gemeenten" of the national view: every area of the national KWB frame


# --- CBS and PDOK --------------------------------------------------------------------------------

@st.cache_data(show_spinner=False, ttl=3600)
def gemeente_options(year: int) -> dict[str, str]:
    try:
        frame = list_gemeenten(year)
        return {str(c): str(n) for c, n in zip(frame["code"], frame["name"])}
    except StapelkaartError as exc:  # offline, or a year without data: the two focus gemeenten remain
        log.warning("Gemeentelijst %s niet beschikbaar: %s", year, exc.message)
        return dict(FALLBACK_GEMEENTEN)


@st.cache_data(show_spinner=False, ttl=3600)
def known_gemeenten(year: int) -> frozenset[str] | None:
    """The gemeente codes of ``year`` (None when the list cannot be loaded: then no code is refused)."""
    try:
        return frozenset(str(c) for c in list_gemeenten(year)["code"])
    except StapelkaartError:
        return None


@st.cache_data(show_spinner=False, ttl=3600)
def kwb(gemeenten: tuple[str, ...], year: int, version: str | None = None) -> pd.DataFrame:
    """The selection's KWB frame; ``version`` (a CBS Modified, the view's ``kv``) reads that kept version."""
    if version:
        return load_kwb_version(list(gemeenten), year, version, levels=("gemeente", "wijk", "buurt"))
    return load_kwb(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


def versions(gemeenten: tuple[str, ...], year: int) -> list[dict]:
    """data.cbs.kwb_versions of the selection (oldest first; cache only)."""
    return kwb_versions(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


@st.cache_data(show_spinner=False, ttl=3600)
def kwb_national(year: int, level: str) -> pd.DataFrame:
    return load_kwb_national(year, level)


@st.cache_data(show_spinner=False, ttl=3600)
def boundaries(gemeenten: tuple[str, ...], year: int, level: str):
    """PDOK boundaries; NATIONAL: those of every gemeente in the national KWB frame, fetched per gemeente in
    parallel (``attrs["missing"]``: gemeenten without boundaries, ``attrs["n_kwb"]``: areas in the KWB)."""
    if tuple(gemeenten) != NATIONAL:
        return load_boundaries(list(gemeenten), year, level)
    nat = kwb_national(year, level)
    gdf, missing = load_boundaries_each(sorted(nat["gemeente_code"].dropna().unique()), year, level)
    if gdf is None:
        raise UserInputError(f"Geen grenzen beschikbaar voor {level} {year}.", f"No boundaries for {level} {year}.")
    gdf.attrs.update(missing=missing, n_kwb=int((nat["level"] == level).sum()))
    return gdf


@st.cache_data(show_spinner=False, ttl=3600)
@input_errors_as_values
def _score_national(year: int, level: str, signature: tuple):
    nat = kwb_national(year, level)
    return score_areas({year: nat}, year, level=level, reference=make_reference(nat, "nl", level, year),
                       user_values=user_values(signature), national={year: nat}), nat


def kwb_table_id(year: int) -> str:
    """The CBS table id of ``year`` ("?" when the year has none)."""
    try:
        return table_id(year)
    except StapelkaartError:
        return "?"


def refresh(gemeenten: tuple[str, ...], year: int, levels: tuple[str, ...],
            progress: Callable[[float, str], None]) -> tuple[list[str], list[str]]:
    """data.refresh.refresh_selection (Gegevens page), then the in-memory caches are cleared."""
    out = refresh_selection(gemeenten, year, levels, progress)
    st.cache_data.clear()
    _map_geometry.clear()
    return out


def cache_path() -> str:
    return str(cache.cache_dir())


def import_snapshot(data: bytes):
    report = import_snapshot_bytes(data)
    st.cache_data.clear()
    _map_geometry.clear()
    return report


# --- user indicator files: per view, content-addressed (data/userstore.py; the old global <cache>/userfiles/ is
# ignored). The view's ``files=`` names its imports (widgets.set_view keeps them in session_state[VIEW_FILES]);
# a file enters only the scores of a view that names it, or of every view once an admin made it a default.

VIEW_FILES = "_view_files"
import_user_file = userstore.put          # validates (UserFileError), stores under the digest, returns it
file_info, default_files, parse_files = userstore.meta, userstore.default_files, userstore.parse_files_param


def active_files() -> tuple[str, ...]:
    """The files the current view names, then the admin's defaults."""
    return tuple(dict.fromkeys((*st.session_state.get(VIEW_FILES, ()), *userstore.default_files())))


def set_default_file(digest: str, on: bool, *, admin: bool) -> list[str]:
    out = userstore.set_default(digest, on, admin=admin)
    st.cache_data.clear()
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
    return [v for uf in user_files(digests) if uf.year is not None for v in user_values_from_file(uf, uf.mapping or None)]


user_file_signature = active_files   # the cache key pages/_common/mapview.py passes (its old name)

# --- admin gate and error ids (data/admin.py, data/errorlog.py) ------------------------------------------
admin_enabled, check_token, how_to_enable = admin.admin_enabled, admin.check_token, admin.how_to_enable
log_unexpected, error_message, test_fault = errorlog.log_unexpected, errorlog.user_message, errorlog.test_fault


# --- scoring --------------------------------------------------------------------------------------

@dataclass
class Scored:
    """What a page needs: the ScoreResult plus the frames it came from and honest notes."""

    result: object | None
    table: pd.DataFrame
    kwb: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)


@st.cache_data(show_spinner=False, ttl=3600)
@input_errors_as_values  # st.cache_data caches no exceptions: buurt level without statistics was 145 ms a run
def _score(gemeenten: tuple[str, ...], year: int, level: str, reference: str, signature: tuple,
           version: str | None = None):
    sel = kwb(gemeenten, year, version)
    attributes = None
    try:
        b = boundaries(gemeenten, year, level)
        attributes = {year: pd.DataFrame(b.drop(columns="geometry"))}
    except StapelkaartError as exc:  # boundaries only add the marked PDOK fallback attributes
        log.warning("Grenzen %s %s niet beschikbaar; geen PDOK-terugval voor leeftijdsgroepen: %s",
                    year, level, exc.message)
    if reference == "nl":
        nat = kwb_national(year, level)
        frame = pd.concat([sel, nat], ignore_index=True).drop_duplicates("code")
        frame.attrs = dict(sel.attrs)  # table id and fetch details travel into every value's source
        ref = make_reference(nat, "nl", level, year)
    else:
        frame = sel
        ref = make_reference(sel, "selection", level, year, gemeenten, names=gemeente_options(year))
    result = score_areas({year: frame}, year, level=level, reference=ref, gemeenten=gemeenten,
                         user_values=user_values(signature), attributes=attributes,
                         national={year: nat} if reference == "nl" else None)
    return result, sel


def scored(gemeenten: tuple[str, ...], year: int, level: str, reference: str,
           weights: dict[str, float] | None = None, version: str | None = None) -> Scored:
    """Score the selection with the view's imported files (cached for equal weights, reweighted here);
    ``version``: a kept KWB version (the view's ``kv``)."""
    test_fault("scored")
    try:
        out = _score_national(year, level, active_files()) if tuple(gemeenten) == NATIONAL \
            else _score(tuple(sorted(gemeenten)), year, level, reference, active_files(), version)
        if isinstance(out, UserInputError.Value):
            raise out.error()
        result, sel = out
    except UserInputError:
        if level == "buurt":      # no buurt statistics: empty table, boundaries still drawn as 'geen gegevens'
            return Scored(None, pd.DataFrame(columns=["code", "name", "gemeente_code", "composite"]), None,
                          notes=["buurt_no_data"])
        raise
    if weights:
        result = result.reweight(weights if sum(weights.values()) > 0 else None)
    return Scored(result, result.table, sel, source=dict(sel.attrs.get("source", {})))


# The engine's own defaults (indicators.engine.score_areas keywords): the one source of band and thresholds.
ENGINE_DEFAULTS = {k: p.default for k, p in inspect.signature(score_areas).parameters.items()
                   if k in ("worst_band", "min_domains", "min_population")}


def score_settings(view) -> dict:
    """The engine settings actually used (worst band, minimum domains, minimum population); the engine's
    defaults where the view does not score (no data)."""
    try:
        res = scored(view.gemeenten, view.year, view.level, view.reference).result
    except StapelkaartError:  # the texts then show the engine defaults
        res = None
    return {**ENGINE_DEFAULTS, **(dict(res.settings) if res is not None else {})}


HOTSPOT = {"alpha": 0.05, "correction": "fdr"}  # the map's hotspot rule; legend/method: hotspot_rule_text(**HOTSPOT)


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _lisa(gemeenten: tuple[str, ...], year: int, level: str, codes: tuple, values: tuple) -> dict:
    out = local_moran(boundaries(gemeenten, year, level), pd.Series(values, index=list(codes), dtype="float64"),
                      **HOTSPOT)
    lisa = out["lisa"].astype(object).where(out["lisa"].notna(), None)   # HH/LL/HL/LH, ns; None = no data/neighbours
    return dict(zip(out["code"], lisa))


def with_hotspots(scored_: Scored, gemeenten: tuple[str, ...], year: int, level: str) -> Scored:
    """Add a ``lisa`` column (HH/LL/HL/LH/ns; None = no data or no neighbours) from indicators.hotspots
    (local Moran's I on the composite, Queen contiguity, 999 permutations, fixed seed, ``hotspot_rule``)."""
    table = scored_.table.copy()
    values = pd.to_numeric(table.set_index("code")["composite"], errors="coerce") if len(table) \
        else pd.Series(dtype=float)
    lisa = _lisa(tuple(gemeenten), year, level, tuple(values.index), tuple(values.to_numpy()))
    table["lisa"] = table["code"].map(lisa)
    return Scored(scored_.result, table, scored_.kwb, scored_.notes, scored_.source)


def rank_interval(scored_: Scored, code: str) -> tuple[int | None, int | None, int | None]:
    """Position of ``code`` by composite now and its 5-95 % interval under random weights around the chosen ones
    AND drawn data (indicators.sensitivity: Dirichlet weight draws with ``data_draws`` of the count-based rates,
    draw k with draw k, fixed seeds)."""
    res = scored_.result
    if res is None or code not in scored_.table.index:
        return None, None, None
    codes = res.table.index
    iv = rank_intervals(res.domain_x.loc[codes], res.weights, min_domains=res.settings.get("min_domains", 3),
                        domain_draws=data_draws(res, codes))
    if code not in iv.index or pd.isna(iv.loc[code, "rank"]):
        return None, None, None
    r = iv.loc[code]
    return int(round(r["rank_low"])), int(round(r["rank_high"])), int(r["rank"])


def trend(view, code: str, years: list[int]) -> pd.DataFrame:
    """Composite per year with comparability from indicators.trend (breaks in boundaries end a series)."""
    frames, values = {}, {}
    for y in years:
        try:
            s = scored(view.gemeenten, y, view.level, view.reference)
        except StapelkaartError:  # a year that does not load is left out of the trend (and said so)
            continue
        frames[y] = s.kwb
        values[y] = float(s.table["composite"].get(code, np.nan)) if code in s.table.index else np.nan
    return comparable_trend(frames, code, values, lang=view.lang) if frames else pd.DataFrame()


# --- focus areas ----------------------------------------------------------------------------------

def view_focus_areas(view=None) -> list:
    """The focus areas of a view: its ``fa`` (indicators.focus.parse_focus_param) or the default set.

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


def focus_areas(view=None) -> list:
    return view_focus_areas(view)


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
    """indicators.focus.score_focus for the view's focus areas (+ gemeenten, Nederland), scored over the union
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
    return score_focus(s.result, sel, national=national, user_values=user_values(active_files()))


def focus_area_profile(view, area, weights=None) -> tuple[pd.Series, pd.DataFrame]:
    """indicators.focus.focus_profile: the aggregate row of ``area`` (with comparators) and its members' rows."""
    row = focus_table(view, weights, [area]).loc[area.id]
    s = scored(focus_gemeenten(view, [area]), view.year, area.level or "wijk", view.reference, weights, view.kv)
    return row, s.result.universe.reindex(list(area.codes))


def focus_counts(view, codes_by_row: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """indicators.tables.absolute_counts for the wijk scoring of the view (equal weights: counts do not depend
    on weights)."""
    s = scored(focus_gemeenten(view), view.year, focus_level(view), view.reference, None, view.kv)
    return absolute_counts(s.result.parts, codes_by_row)


@st.cache_resource(show_spinner=False, ttl=3600, max_entries=16)
def _map_geometry(gemeenten: tuple[str, ...], year: int, level: str):
    try:
        stats = kwb_national(year, level) if gemeenten == NATIONAL else kwb(gemeenten, year)
    except StapelkaartError:  # no statistics: the tooltips show PDOK's names
        stats = None
    return map_geometry_for(boundaries(gemeenten, year, level), stats)


def map_geometry(gemeenten: tuple[str, ...], year: int, level: str):
    """Quantized geometry (data.layercache: on disk by input hash, shared by sessions and processes), kept in
    memory per (gemeenten, year, level): weights and colours never reach it; the file is re-stored if lost."""
    return stored(_map_geometry(tuple(sorted(gemeenten)), year, level))
