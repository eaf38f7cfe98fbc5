"""The pages' one door to data/, indicators/ and geo/: thin ``st.cache_data`` wrappers and pass-throughs.

No other module in pages/ imports those packages, except declarations (documented in docs/ARCHITECTURE.md):
``indicators.registry`` (the indicators as data), ``indicators.weights`` (weight limits and parser),
``data.errors`` (exception types), ``geo.crs`` (CRS constants) and ``data.cbs.KWB_TABLES`` (the years).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from data import cache
from data.cbs import list_gemeenten, load_kwb, load_kwb_national, table_id
from data.export import map_png  # noqa: F401
from data.errors import StapelkaartError, UserInputError, input_errors_as_values
from data.layercache import map_geometry_for, stored
from data.pdok import load_boundaries, load_boundaries_each
from data.refresh import freshness_table as freshness  # noqa: F401
from data.refresh import import_snapshot_bytes, refresh_selection, snapshot_bytes  # noqa: F401
from data.refresh import years_cached as years_with_data  # noqa: F401
from data.report import Figure, focus_report, focus_reports_pdf, ranking_exports, ranking_sources  # noqa: F401
from data.userfiles import load_indicator_file, safe_filename
from geo.classify import SCHEMES, class_colors, classify, legend, lisa_colors, lisa_legend  # noqa: F401
from geo.join import join_scores  # noqa: F401
from geo.layer import focus_outlines  # noqa: F401
from indicators.engine import make_reference, score_areas
from indicators.focus import FOCUS_AREAS, score_focus
from indicators.hotspots import local_moran
from indicators.rates import user_values_from_file
from indicators.sensitivity import rank_intervals
from indicators.tables import (STACKING_BREAKS, STACKING_LABELS, absolute_counts, domain_ranks,  # noqa: F401
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
def kwb(gemeenten: tuple[str, ...], year: int) -> pd.DataFrame:
    return load_kwb(list(gemeenten), year, levels=("gemeente", "wijk", "buurt"))


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
                       user_values=user_values(signature)), nat


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


# --- user indicator files (persisted in <cache>/userfiles; data/userstore.py will take these) ----------

def userfiles_dir() -> Path:
    return cache.cache_dir() / "userfiles"


def import_user_file(data: bytes, filename: str, year: int | None = None):
    """Validate (raises UserFileError) and persist; returns the UserIndicatorFile."""
    uf = load_indicator_file(data, filename=filename, year=year, unknown_codes="skip")
    d = userfiles_dir()
    d.mkdir(parents=True, exist_ok=True)
    name = safe_filename(filename)
    (d / name).write_bytes(data)
    (d / (name + ".json")).write_text(json.dumps({"year": uf.year, "filename": name}))
    st.cache_data.clear()
    return uf


def remove_user_file(name: str) -> None:
    d = userfiles_dir()
    for p in (d / name, d / (name + ".json")):
        if p.parent == d and p.exists():
            p.unlink()
    st.cache_data.clear()


def user_file_signature() -> tuple[tuple[str, float], ...]:
    d = userfiles_dir()
    if not d.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime) for p in d.iterdir() if not p.name.endswith(".json")))


@st.cache_data(show_spinner=False)
def user_files(signature: tuple) -> list:
    out = []
    for name, _ in signature:
        path = userfiles_dir() / name
        meta_path = path.with_name(name + ".json")
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        try:
            out.append(load_indicator_file(path, year=meta.get("year"), unknown_codes="skip"))
        except (StapelkaartError, OSError) as exc:  # listed with its problem on Gegevens, not scored
            log.warning("Indicatorbestand %s wordt niet gebruikt: %s", name, exc)
    return out


def user_values(signature: tuple) -> list:
    out = []
    for uf in user_files(signature):
        if uf.year is not None:
            out += user_values_from_file(uf, uf.mapping or None)
    return out


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
def _score(gemeenten: tuple[str, ...], year: int, level: str, reference: str, signature: tuple):
    sel = kwb(gemeenten, year)
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
                         user_values=user_values(signature), attributes=attributes)
    return result, sel


def scored(gemeenten: tuple[str, ...], year: int, level: str, reference: str,
           weights: dict[str, float] | None = None) -> Scored:
    """Score the selection (cached for equal weights, reweighted here)."""
    try:
        out = _score_national(year, level, user_file_signature()) if tuple(gemeenten) == NATIONAL \
            else _score(tuple(sorted(gemeenten)), year, level, reference, user_file_signature())
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


@st.cache_data(show_spinner=False, ttl=3600, max_entries=32)
def _lisa(gemeenten: tuple[str, ...], year: int, level: str, codes: tuple, values: tuple) -> dict:
    out = local_moran(boundaries(gemeenten, year, level), pd.Series(values, index=list(codes), dtype="float64"))
    label = out["label"].where(out["label"].isin(["HH", "LL", "HL", "LH"]),
                               np.where(out["label"] == "niet significant", "ns", None))
    return dict(zip(out["code"], label))


def with_hotspots(scored_: Scored, gemeenten: tuple[str, ...], year: int, level: str) -> Scored:
    """Add a ``lisa`` column (HH/LL/HL/LH/ns; None = no data or no neighbours) from indicators.hotspots
    (local Moran's I on the composite, Queen contiguity, 999 permutations, fixed seed)."""
    table = scored_.table.copy()
    values = pd.to_numeric(table.set_index("code")["composite"], errors="coerce") if len(table) \
        else pd.Series(dtype=float)
    lisa = _lisa(tuple(gemeenten), year, level, tuple(values.index), tuple(values.to_numpy()))
    table["lisa"] = table["code"].map(lisa)
    return Scored(scored_.result, table, scored_.kwb, scored_.notes, scored_.source)


def rank_interval(scored_: Scored, code: str) -> tuple[int | None, int | None, int | None]:
    """Position of ``code`` by composite now and its 5-95 % interval under random weights around the chosen ones
    (indicators.sensitivity: Dirichlet draws, fixed seed)."""
    res = scored_.result
    if res is None or code not in scored_.table.index:
        return None, None, None
    iv = rank_intervals(res.domain_x.loc[res.table.index], res.weights, min_domains=res.settings.get("min_domains", 3))
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

def focus_areas() -> list:
    return list(FOCUS_AREAS.values())


def focus_by_id(fid):
    return FOCUS_AREAS.get(fid)


def focus_table(view, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """indicators.focus.score_focus for the focus areas in the selected gemeenten (+ gemeente, Nederland)."""
    sel = {k: f for k, f in FOCUS_AREAS.items() if f.gemeente_code in view.gemeenten}
    if not sel or view.level != "wijk":
        return pd.DataFrame()
    s = scored(view.gemeenten, view.year, "wijk", view.reference, weights)
    try:
        national = kwb_national(view.year, "gemeente")
    except StapelkaartError:  # the Nederland row then says 'niet beschikbaar'
        national = None
    return score_focus(s.result, sel, national=national, user_values=user_values(user_file_signature()))


def focus_counts(view, codes_by_row: dict[str, tuple[str, ...]]) -> dict[str, dict[str, float]]:
    """indicators.tables.absolute_counts for the wijk scoring of the view (equal weights: counts do not depend
    on weights)."""
    return absolute_counts(scored(view.gemeenten, view.year, "wijk", view.reference).result.parts, codes_by_row)


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
