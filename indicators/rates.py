"""Indicator values from KWB variables: rates, year fallback, PDOK-derived counts, imported files.

Everything is vectorised over regions; the only loops run over indicators and over a handful of years.
Missing stays missing: a missing numerator or denominator part gives NaN, never 0, and a zero denominator
gives NaN (no rate can be computed).

Per value the result records the ``year`` it refers to and its ``source``:

1. the requested KWB year; where that is empty, the most recent earlier KWB year in ``frames`` with a
   value (numerator and denominator from the same year);
2. an imported indicator file (``UserValues``) that supplies the indicator by its registry id. Rule: the
   most recent year wins; on a tie the imported file wins (it was loaded on purpose);
   values from an earlier year or area division are only used for regions whose code and boundaries did not
   change since (KWB ``Indelingswijziging`` 1); where KWB does not say, the source says so;
3. when a KWB *count* variable is missing and the CBS Wijk- en Buurtkaart of the same year has its
   percentage (PDOK attribute), count = aantal_inwoners x pct / 100 (``registry.FALLBACKS``); such values
   carry the source "CBS Wijk- en Buurtkaart {year} (PDOK), afgeleid uit afgerond %".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.codes import levels_of
from core.errors import UserInputError
from indicators.registry import (
    FALLBACK_SOURCE,
    FALLBACKS,
    INDICATORS,
    KWB_SOURCE,
    VARIABLE_ALIASES,
    Indicator,
    get_indicator,
)

PARTS = ("value", "num", "den")


@dataclass(frozen=True)
class UserValues:
    """Values of one registry indicator from an imported file: ``values`` indexed by region code."""

    indicator: str
    values: pd.Series
    year: int
    source: str
    boundary_year: int | None = None  # area division of the codes; None = ``year``

    def __post_init__(self) -> None:
        get_indicator(self.indicator)  # unknown id -> KeyError "must be one of"


def user_values_from_file(userfile, mapping: Mapping[str, str] | None = None) -> list[UserValues]:
    """Turn a ``data.userfiles.UserIndicatorFile`` into UserValues (duck-typed: ``frame``, ``year``, ``source``,
    optional ``mapping`` and ``citation``).

    ``mapping`` (file column -> registry id) defaults to the file's own ``mapping`` (filled for
    ``data.userfiles.KNOWN_FILES``, e.g. the CBS income file) plus columns whose name is a registry id.
    A mapped id that is not in the registry raises ``KeyError`` ("must be one of").
    """
    frame = userfile.frame
    if mapping is None:
        mapping = {c: c for c in frame.columns if c in INDICATORS}
        mapping.update(getattr(userfile, "mapping", None) or {})
    if userfile.year is None:
        raise UserInputError(
            f"Indicatorbestand '{userfile.source}' heeft geen jaar; geef het jaar op.",
            f"Indicator file '{userfile.source}' has no year; pass the year.",
        )
    source = getattr(userfile, "citation", "") or str(userfile.source)
    out = []
    for column, ind_id in mapping.items():
        if column in frame.columns:
            series = pd.to_numeric(frame[column], errors="coerce").astype("float64")
            series.index = series.index.astype(str)
            out.append(UserValues(ind_id, series, int(userfile.year), source, getattr(userfile, "boundary_year", None)))
    return out


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    """Frame indexed by stripped region code, first row per code (a no-op for a frame it returned before)."""
    if frame.attrs.get("_indexed_by_code"):
        return frame
    if "code" in frame.columns:
        frame = frame.set_index(frame["code"].astype(str).str.strip())
    frame = frame[~frame.index.duplicated()].copy()
    # Only the source travels on (kwb_source_label reads it): pandas deep-copies ``attrs`` on every column access
    # and operation, and a KWB frame's column metadata made one column access 277 µs instead of 10 µs.
    frame.attrs = {"source": frame.attrs.get("source"), "_indexed_by_code": True}
    return frame


def kwb_source_label(frame: pd.DataFrame, year: int) -> str:
    """ "CBS Kerncijfers wijken en buurten 2024 (85984NED)" from ``frame.attrs['source']`` when present."""
    table = (frame.attrs.get("source") or {}).get("table_id")
    return f"{KWB_SOURCE} {year}" + (f" ({table})" if table else "")


def get_variable(
    frame: pd.DataFrame, name: str, index: pd.Index, attributes: pd.DataFrame | None = None
) -> tuple[pd.Series, pd.Series]:
    """Values of canonical variable ``name`` on ``index`` and a boolean 'derived from PDOK %' flag.

    Looks up ``name``, then its ``VARIABLE_ALIASES`` (older tables). Where the value is missing and
    ``registry.FALLBACKS`` has a rule and ``attributes`` (PDOK Wijk- en Buurtkaart attributes of the same
    year) has the percentage: value = base x pct / 100 with base = ``aantal_inwoners``.
    """
    values = pd.Series(np.nan, index=index, dtype="float64")
    for col in (name, *VARIABLE_ALIASES.get(name, ())):
        if col in frame.columns:
            values = pd.to_numeric(frame[col], errors="coerce").astype("float64").reindex(index)
            break
    derived = pd.Series(False, index=index)
    rule = FALLBACKS.get(name)
    if rule is not None and attributes is not None and rule.attribute in attributes.columns:
        base = get_variable(frame, rule.base, index)[0]
        pct = pd.to_numeric(attributes[rule.attribute], errors="coerce").astype("float64").reindex(index)
        pct = pct.where((pct >= 0) & (pct <= 100))  # -99997 and other codes are not percentages
        fill = values.isna() & (base * pct / 100.0).notna()
        values = values.where(~fill, base * pct / 100.0)
        derived = fill
    return values, derived


def _sum_parts(frame, names, index, attributes) -> tuple[pd.Series, pd.Series]:
    """Sum of variables; NaN as soon as one part is missing (never treat a missing part as 0)."""
    total = pd.Series(0.0, index=index)
    derived = pd.Series(False, index=index)
    for name in names:
        values, flag = get_variable(frame, name, index, attributes)
        total = total + values  # NaN propagates
        derived = derived | flag
    return total, derived


def indicator_parts(
    frame: pd.DataFrame, ind: Indicator, index: pd.Index, attributes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """``value``, ``num``, ``den`` and ``derived`` of one indicator from one KWB year.

    ratio: value = scale x num / den (den <= 0 -> NaN).
    share/mean: value = the variable; den = base population; num = value x den / scale, so that every kind
    aggregates the same way: value(group) = scale x sum(num) / sum(den).
    """
    frame = _indexed(frame)
    attributes = _indexed(attributes) if attributes is not None else None
    den, d_flag = _sum_parts(frame, ind.denominator, index, attributes)
    if ind.kind == "external":
        value = pd.Series(np.nan, index=index)
        n_flag = pd.Series(False, index=index)
    else:
        num_or_value, n_flag = _sum_parts(frame, ind.numerator, index, attributes)
        value = ind.scale * num_or_value / den.where(den > 0) if ind.kind == "ratio" else num_or_value
    if ind.kind == "ratio" and n_flag.any():
        value = value.where(~(n_flag & ~d_flag), _published_share(ind, index, attributes, value))
    num = value * den / ind.scale
    if ind.kind == "ratio":
        num = num.where(value.notna())
    derived = (n_flag | d_flag) & value.notna()
    return pd.DataFrame({"value": value, "num": num, "den": den, "derived": derived})


def _published_share(ind: Indicator, index: pd.Index, attributes: pd.DataFrame | None, value: pd.Series) -> pd.Series:
    """A per-100 ratio whose one numerator count was derived as base x pct / 100 over its own one denominator
    (``registry.FALLBACKS``) is that published percentage itself: 26, not 100 x (b x 26 / 100) / b =
    26.000000000000004. Other indicators: ``value`` unchanged."""
    if ind.scale != 100 or len(ind.numerator) != 1 or len(ind.denominator) != 1 or attributes is None:
        return value
    rule = FALLBACKS.get(ind.numerator[0])
    if rule is None or rule.base != ind.denominator[0] or rule.attribute not in attributes.columns:
        return value
    pct = pd.to_numeric(attributes[rule.attribute], errors="coerce").astype("float64").reindex(index)
    return pct.where(value.notna(), value)


#: Appended to the source of a value taken from an earlier area division when KWB does not say whether the
#: area changed since then (values of areas whose boundaries or code did change are not used at all).
UNKNOWN_CHANGE = "indelingswijziging sinds {year} onbekend"


def changed_since(
    frames: Mapping[int, pd.DataFrame], index: pd.Index, since: int, year: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per region: did its code or boundaries change after ``since`` up to ``year``, and is that unknown?

    Uses the KWB ``Indelingswijziging`` flag of every year in (since, year] (``indicators.trend``): 2 (code
    changed) or 3 (boundaries changed) in any of them -> changed; a missing flag or a missing year -> unknown.
    A value from ``since`` is only comparable with ``year`` where nothing changed.
    """
    from indicators.trend import CHANGE_COLUMNS

    changed = np.zeros(len(index), dtype=bool)
    unknown = np.zeros(len(index), dtype=bool)
    for y in range(since + 1, year + 1):
        frame = frames.get(y)
        column = None if frame is None else next((c for c in CHANGE_COLUMNS if c in frame.columns), None)
        if column is None:
            unknown[:] = True
            continue
        flags = _indexed(frame)[column].reindex(index)
        flag = pd.to_numeric(flags.astype("string").str.strip(), errors="coerce").to_numpy(dtype="float64")
        changed |= np.isin(flag, (2.0, 3.0))
        unknown |= np.isnan(flag)
    return changed, unknown & ~changed


def resolve_indicator(
    frames: Mapping[int, pd.DataFrame],
    year: int,
    ind: Indicator,
    index: pd.Index,
    *,
    attributes: Mapping[int, pd.DataFrame] | None = None,
    user_values: Sequence[UserValues] = (),
) -> pd.DataFrame:
    """Value per region with its year and source (see the module docstring for the rules).

    Returns columns ``value, num, den, year (Int64), source (str), dropped (bool)`` on ``index``. ``den`` (the base
    population) is filled even where the value is missing: focus areas need it to weigh their members. ``dropped``:
    no value, although an earlier year or an imported file had one, because the area's code or boundaries changed
    since (KWB ``IndelingswijzigingGemeenteWijkBuurt`` 2 or 3 in a later year: the method's rule D2).
    """
    attributes = {y: _indexed(a) for y, a in (attributes or {}).items()}
    n = len(index)
    value, num, den = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    year_of = np.full(n, -1, dtype="int64")
    source = np.full(n, None, dtype=object)
    base_den = np.full(n, np.nan)
    dropped = np.zeros(n, dtype=bool)  # a value existed but its area's code or boundaries changed since
    for y in sorted((y for y in frames if y <= year), reverse=True):
        parts = indicator_parts(frames[y], ind, index, attributes.get(y))
        pv, pn, pd_ = (parts[c].to_numpy(dtype="float64") for c in PARTS)
        base_den = np.where(np.isnan(base_den), pd_, base_den)
        changed, unknown = changed_since(frames, index, y, year)
        dropped |= ~np.isnan(pv) & changed
        take = np.isnan(value) & ~np.isnan(pv) & ~changed
        if take.any():
            value, num, den = np.where(take, pv, value), np.where(take, pn, num), np.where(take, pd_, den)
            year_of[take] = y
            label = kwb_source_label(frames[y], y)
            derived = parts["derived"].to_numpy(dtype=bool)
            source[take & derived] = f"{label}; {FALLBACK_SOURCE.format(year=y)}"
            source[take & ~derived] = label
            source[take & unknown] = source[take & unknown] + f"; {UNKNOWN_CHANGE.format(year=y)}"
    for uv in user_values:
        if uv.indicator != ind.id:
            continue
        uvals = uv.values.reindex(index).to_numpy(dtype="float64")
        division = uv.year if uv.boundary_year is None else uv.boundary_year
        changed, unknown = changed_since(frames, index, division, year)
        dropped |= ~np.isnan(uvals) & changed
        take = ~np.isnan(uvals) & ~changed & (np.isnan(value) | (year_of <= uv.year))
        if take.any():
            value = np.where(take, uvals, value)
            den = np.where(take, base_den, den)
            num = np.where(take, uvals * base_den / ind.scale, num)
            year_of[take] = uv.year
            source[take] = uv.source
            source[take & unknown] = source[take & unknown] + f"; {UNKNOWN_CHANGE.format(year=division)}"
    out = pd.DataFrame({"value": value, "num": num, "den": np.where(np.isnan(den), base_den, den)}, index=index)
    out["year"] = pd.array(np.where(year_of < 0, 0, year_of), dtype="Int64")
    out.loc[year_of < 0, "year"] = pd.NA
    out["source"] = pd.array(source, dtype="string")
    out["dropped"] = dropped & np.isnan(value)
    return out


# ------------------------------------------------------------------------------ a second table (source_id)
#: ``IndicatorScores.why`` of a value from a second table that cannot exist: ``level_absent`` (the table has no
#: values at this level: 50150NED has buurten and gemeenten, no wijken), ``source_absent`` (the service has no
#: such table, e.g. the default emulator, or it could not be reached). Never an average of another level.
SOURCE_WHY = ("level_absent", "source_absent")


def survey_year(ind: Indicator, year: int, available: Sequence[int] = ()) -> int | None:
    """The survey year a view of ``year`` uses: the latest of ``available`` (default: the indicator's declared
    ``years``) that is <= ``year`` (2024 -> 2024, 2023 -> 2022); None before the first survey.

    >>> survey_year(get_indicator("ervaren_gezondheid_niet_goed"), 2023)
    2022
    """
    years = [int(y) for y in (available or ind.years) if int(y) <= int(year)]
    return max(years) if years else None


def _latest_variable(frames: Mapping[int, pd.DataFrame], name: str, index: pd.Index, year: int) -> pd.Series:
    out = pd.Series(np.nan, index=index, dtype="float64")
    for y in sorted((y for y in frames if y <= year), reverse=True):
        out = out.fillna(get_variable(_indexed(frames[y]), name, index)[0])
    return out


def adults(frames: Mapping[int, pd.DataFrame], index: pd.Index, year: int) -> pd.Series:
    """Adults per region as near as KWB gets (inhabitants - aged 0-15; ``indicators.health.adult_weights``):
    the base that weighs a focus area's buurten and the Nederland row. NaN where either is unknown."""
    w = _latest_variable(frames, "aantal_inwoners", index, year) - _latest_variable(
        frames, "k_0_tot_15_jaar", index, year
    )
    return w.where(w >= 0)


def resolve_source_indicator(
    frames: Mapping[int, pd.DataFrame],
    year: int,
    ind: Indicator,
    index: pd.Index,
    source: pd.DataFrame | None,
) -> pd.DataFrame:
    """An indicator of a second table (``ind.source_id``; ``source`` = its tidy frame, e.g.
    ``data.health.load_health``, or None when the service has no such table): the same columns as
    :func:`resolve_indicator` plus ``why`` (``SOURCE_WHY``).

    One survey year for the whole view (:func:`survey_year` of the years the frame has), so every rank compares
    the same survey; value = ``complement`` - measure (100 - % goed); a region whose level the table lacks gets
    no value (``level_absent``), never one of another level. ``den`` = adults (:func:`adults`).
    """
    n = len(index)
    den = adults(frames, index, year).to_numpy(dtype="float64")
    value = np.full(n, np.nan)
    why = np.full(n, "", dtype=object)
    levels = np.array(levels_of(index), dtype=object)
    sy = None
    if source is None:
        why[:] = "source_absent"
    else:
        sy = survey_year(ind, year, sorted({int(y) for y in source["year"].unique()}))
        measure = ind.numerator[0]
        rows = source[(source["year"] == sy) & source["level"].isin(ind.levels)] if sy is not None else source[:0]
        got = pd.Series(rows[measure].to_numpy(dtype="float64"), index=rows["code"].astype(str).to_numpy())
        got = got[~got.index.duplicated()].reindex(index).to_numpy(dtype="float64")
        value = got if ind.complement is None else ind.complement - got
    why[~np.isin(levels, list(ind.levels))] = "level_absent"  # declared: the table has no such level at all
    value = np.where(np.isin(levels, list(ind.levels)), value, np.nan)
    has = ~np.isnan(value)
    out = pd.DataFrame({"value": value, "num": np.where(has, value * den, np.nan), "den": den}, index=index)
    out["year"] = pd.array(np.where(has, sy or 0, 0), dtype="Int64")
    out.loc[~has, "year"] = pd.NA
    label = ind.source.replace(" (", f" {sy} (", 1)  # "RIVM Gezondheidsmonitor 2024 (CBS 50150NED)"
    out["source"] = pd.array([label if h else None for h in has], dtype="string")
    out["dropped"] = False
    out["why"] = why
    return out
