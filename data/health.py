"""50150NED, *Gezondheid per wijk en buurt* (RIVM Gezondheidsmonitor), as a tidy frame per level.

What is loaded is declared in :data:`data.sources.GEZONDHEID`: the table on the ``dataderden`` service
(``STAPELKAART_DATADERDEN_URL``), adults 18+ (``Leeftijd``) and the estimate (``Marges``), the survey
years 2012, 2016, 2020, 2022, 2024 and the monitor's measures, each found by its name part in the live
``DataProperties``. Every dimension filter is checked against the live category list first.

The frame (one row per region and survey year, as the table publishes it)::

    code  level  name  gemeente_code  year  goed_ervaren_gezondheid  langdurige_aandoeningen  eenzaamheid ...

Values are percentages of adults 18+ (RIVM small-area model estimates); a missing value is NaN, never 0.
A declared measure the table does not have is a NaN column listed in ``attrs["absent_measures"]``
(:func:`measure_status` says "niet in deze gegevens"); a level the table has no rows for is an empty part
listed in ``attrs["absent_levels"]`` -- never filled from another level.

Paging: the ODataFeed pages of 10 000 rows are followed to the end and the number of rows must equal
``odata.count`` (else FetchError: nothing is cached). Every row is checked to carry the requested age,
margin, period and region prefix (a service that ignores a filter is caught, not believed).

Cache: one entry per level and selection, kind ``gezondheid``, year = the last survey year, written with
``data.cache.put(..., keep_versions=True)``; a fully cached load makes no request unless ``refresh``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.codes import LEVELS, PREFIX_OF_LEVEL, gemeente_of, levels_of, normalise_gemeente, strip_code
from core.errors import FetchError
from core.values import clean_numbers
from data import cache, http, reach
from data.sources import GEZONDHEID, Source, resolve_filter, resolve_measures, service_url

Progress = Callable[[int, "int | None", str], None]
ID_COLUMNS = ("code", "level", "name", "gemeente_code", "year")
CACHE_KIND = "gezondheid"

ABSENT_TEXT = {"nl": "niet in deze gegevens", "en": "not in this data"}
EMPTY_TEXT = {"nl": "geen waarden op dit niveau", "en": "no values at this level"}


def _get(url: str, params: Mapping[str, Any] | None = None) -> Any:
    data = http.get_json(url, {"$format": "json", **(params or {})})
    if not isinstance(data, Mapping) or not isinstance(data.get("value"), list):
        raise FetchError(
            f"CBS gaf een onverwacht antwoord zonder 'value' ({url}). Probeer later opnieuw.",
            f"CBS returned an unexpected answer without 'value' ({url}). Try again later.",
            url=url,
        )
    return data


def _rows(url: str, params: Mapping[str, Any], label: str, progress: Progress | None) -> list[dict]:
    """Every row of a feed (``odata.nextLink`` followed); the count must equal ``odata.count``."""
    rows: list[dict] = []
    total: int | None = None
    for page in http.iter_pages(url, {"$format": "json", "$inlinecount": "allpages", **params}, http.odata_next_link):
        if not isinstance(page, Mapping) or not isinstance(page.get("value"), list):
            raise FetchError(
                f"CBS gaf een onverwacht antwoord zonder 'value' ({url}). Probeer later opnieuw.",
                f"CBS returned an unexpected answer without 'value' ({url}). Try again later.",
                url=url,
            )
        rows.extend(page["value"])
        if page.get("odata.count") is not None:
            try:
                total = int(page["odata.count"])
            except (TypeError, ValueError):
                raise FetchError(
                    f"CBS gaf een ongeldig odata.count ({page['odata.count']!r}) voor {url}.",
                    f"CBS returned an invalid odata.count ({page['odata.count']!r}) for {url}.",
                    url=url,
                ) from None
        if progress is not None:
            progress(len(rows), total, label)
    if total is not None and total != len(rows):
        shown = http.full_url(url, params)
        raise FetchError(
            f"CBS meldde {total} rijen maar gaf er {len(rows)} ({shown}); niets opgeslagen, probeer later opnieuw.",
            f"CBS reported {total} rows but returned {len(rows)} ({shown}); nothing stored, try again later.",
            url=shown,
        )
    return rows


class _Plan:
    """What to ask the table for, resolved against its live metadata (one set of requests per load)."""

    def __init__(self, source: Source) -> None:
        self.source = source
        base = source.base_url()
        info = (_get(f"{base}/TableInfos")["value"] or [{}])[0]
        self.modified = info.get("Modified")
        props = _get(f"{base}/DataProperties")["value"]
        self.keys, self.absent = resolve_measures(source, props)
        self.filters = {
            f.dimension: resolve_filter(source, f, _get(f"{base}/{f.dimension}")["value"]) for f in source.filters
        }
        periods = {str(p.get("Key", "")).strip() for p in _get(f"{base}/{source.period_dimension}")["value"]}
        self.years = [y for y in source.years if source.period_key(y) in periods]
        self.absent_years = [y for y in source.years if y not in self.years]

    def odata_filter(self, selection: str | None, levels: Sequence[str]) -> str:
        src = self.source
        terms = [f"{dim} eq '{key}'" for dim, key in self.filters.items()]
        if self.years:
            terms.append(
                "(" + " or ".join(f"{src.period_dimension} eq '{src.period_key(y)}'" for y in self.years) + ")"
            )
        geo = src.region_dimension
        if selection is None:
            regions = [f"startswith({geo},'{PREFIX_OF_LEVEL[lv]}')" for lv in levels]
        else:
            digits = selection[2:6]
            regions = [
                f"{geo} eq '{selection.ljust(10)}'"
                if lv == "gemeente"
                else f"startswith({geo},'{PREFIX_OF_LEVEL[lv]}{digits}')"
                for lv in levels
            ]
        terms.append("(" + " or ".join(regions) + ")")
        return " and ".join(terms)


def _check(rows: list[dict], plan: _Plan, selection: str | None, levels: Sequence[str], url: str) -> None:
    src = plan.source
    periods = {src.period_key(y) for y in plan.years}
    prefixes = {PREFIX_OF_LEVEL[lv] for lv in levels}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        code = strip_code(row.get(src.region_dimension)) or ""
        period = str(row.get(src.period_dimension, "")).strip()
        wrong = (
            code[:2] not in prefixes
            or (selection is not None and gemeente_of(code) != selection)
            or period not in periods
            or any(str(row.get(dim, "")).strip() != key.strip() for dim, key in plan.filters.items())
        )
        if wrong or (code, period) in seen:
            what = "dubbel" if not wrong else "buiten het filter"
            raise FetchError(
                f"{src.table_id} gaf een rij {what} terug ({code} {period}); het filter is genegeerd of de tabel is "
                f"onverwacht. URL: {url}. Niets opgeslagen; probeer later opnieuw.",
                f"{src.table_id} returned a row {'twice' if not wrong else 'outside the filter'} ({code} {period}). "
                f"URL: {url}. Nothing stored; try again later.",
                url=url,
            )
        seen.add((code, period))


def _tidy(rows: list[dict], titles: Mapping[str | None, Any], plan: _Plan) -> pd.DataFrame:
    src = plan.source
    codes = [strip_code(r.get(src.region_dimension)) or "" for r in rows]
    year_of = {src.period_key(y): y for y in plan.years}  # every row's period was checked to be one of these
    data: dict[str, Any] = {
        "code": pd.array(codes, dtype="string"),
        "level": pd.array(levels_of(codes), dtype="string"),  # only GM/WK/BU rows were asked
        "name": pd.array(
            [(str(titles[c]).strip() or pd.NA) if titles.get(c) is not None else pd.NA for c in codes], dtype="string"
        ),
        "gemeente_code": pd.array([gemeente_of(c) for c in codes], dtype="string"),
        "year": np.array([year_of[str(r.get(src.period_dimension)).strip()] for r in rows], dtype="int64"),
    }
    for m in src.measures:
        key = plan.keys.get(m.id)
        # CBS's signs ("." missing, "x" secret, -99997 ...) -> NaN through the one cleaner (core.values)
        data[m.id] = clean_numbers([r.get(key) for r in rows]) if key else np.full(len(rows), np.nan)
    return pd.DataFrame(data).sort_values(["code", "year"], kind="stable").reset_index(drop=True)


def _attrs(p: _Plan, url: str | None, selection: str | None) -> dict:
    src = p.source
    return {
        "source": {
            "id": src.id,
            "table_id": src.table_id,
            "service": src.service,
            "url": url,
            "modified": p.modified,
            "citation": src.citation(),
            "selection": selection or "NL",
        },
        "measure_keys": dict(p.keys),
        "absent_measures": list(p.absent),
        "years": list(p.years),
        "absent_years": list(p.absent_years),
        "note": dict(src.note or {}),
    }


def _keys(selection: str | None, levels: Sequence[str], source: Source) -> dict[str, cache.CacheKey]:
    return {
        lv: cache.CacheKey.make(CACHE_KIND, max(source.years), lv, [selection] if selection else "NL") for lv in levels
    }


def _combine(parts: dict[str, tuple[pd.DataFrame, dict]], from_cache: bool) -> pd.DataFrame:
    frames = [f for f, _ in parts.values()]
    nonempty = [f for f in frames if len(f)]
    frame = pd.concat(nonempty, ignore_index=True) if nonempty else frames[0].iloc[0:0].copy()
    attrs = dict(frames[0].attrs)
    attrs["absent_levels"] = [lv for lv, (f, _) in parts.items() if not len(f)]
    manifests = [m for _, m in parts.values()]
    attrs["source"] = dict(
        attrs.get("source") or {},
        from_cache=from_cache,
        fetched_at=min(str(m.get("fetched_at")) for m in manifests),
        version=[m.get("version") for m in manifests],
    )
    frame.attrs = attrs
    return frame


def load_health(
    gemeente: str | None = None,
    *,
    levels: Sequence[str] = ("gemeente", "buurt"),
    refresh: bool = False,
    progress: Progress | None = None,
    source: Source = GEZONDHEID,
) -> pd.DataFrame:
    """50150NED for the whole country (``gemeente=None``) or one gemeente, at ``levels``; see the module doc.

    Fully cached: no request (unless ``refresh``). Network failure with a complete cached copy: that copy,
    ``attrs["source"]["stale"] = True``. Otherwise FetchError naming the URL.
    """
    selection = normalise_gemeente(gemeente) if gemeente is not None else None
    levels = [lv for lv in LEVELS if lv in set(levels)]
    keys = _keys(selection, levels, source)
    found = {lv: cache.get(k) for lv, k in keys.items()}
    cached = {lv: v for lv, v in found.items() if v is not None}
    complete = len(cached) == len(found)
    if complete and not refresh:
        return _combine(cached, from_cache=True)
    try:
        plan = _Plan(source)
        if (
            refresh
            and complete
            and plan.modified
            and all(v[1].get("modified") == plan.modified for v in cached.values())
        ):
            return _combine(cached, from_cache=True)
        url = f"{source.base_url()}/TypedDataSet"
        select = [source.region_dimension, *filter(None, [source.period_dimension]), *plan.filters, *plan.keys.values()]
        params = {"$filter": plan.odata_filter(selection, levels), "$select": ",".join(select)}
        label = f"{source.table_id} {selection or 'NL'} {'/'.join(levels)}"
        rows = _rows(url, params, label, progress)
        shown = http.full_url(url, params)
        _check(rows, plan, selection, levels, shown)
        titles: dict[str | None, Any] = {}
        if rows:
            dim_filter = params["$filter"].rsplit(" and ", 1)[1].replace(source.region_dimension, "Key")
            dim = _rows(
                f"{source.base_url()}/{source.region_dimension}", {"$filter": dim_filter}, label + " namen", None
            )
            titles = {strip_code(d.get("Key")): d.get("Title") for d in dim}
    except FetchError:
        if complete:
            frame = _combine(cached, from_cache=True)
            frame.attrs["source"]["stale"] = True
            return frame
        raise
    frame = _tidy(rows, titles, plan)
    attrs = _attrs(plan, shown, selection)
    fetched_at = http.utc_now_iso()
    parts: dict[str, tuple[pd.DataFrame, dict]] = {}
    for lv in levels:
        part = frame[frame["level"] == lv].reset_index(drop=True)
        part.attrs = attrs
        man = cache.put(
            keys[lv],
            part,
            {
                "source_url": shown,
                "table_id": source.table_id,
                "modified": plan.modified,
                "fetched_at": fetched_at,
                "attrs": attrs,
            },
            keep_versions=True,
        )
        parts[lv] = (part, man)
    return _combine(parts, from_cache=False)


def measure_status(frame: pd.DataFrame, measure_id: str, level: str) -> dict:
    """``{"status": "ok"|"absent"|"empty", "text": {nl, en} | None}`` for one measure at one level.

    ``absent``: the table has no such measure ("niet in deze gegevens"); ``empty``: it has the measure but
    no value at this level (or no rows at this level at all).
    """
    if measure_id in (frame.attrs.get("absent_measures") or []):
        return {"status": "absent", "text": dict(ABSENT_TEXT)}
    values = frame.loc[frame["level"] == level, measure_id] if measure_id in frame else pd.Series(dtype=float)
    if not values.notna().any():
        return {"status": "empty", "text": dict(EMPTY_TEXT)}
    return {"status": "ok", "text": None}


def wide(frame: pd.DataFrame, measure_id: str = "goed_ervaren_gezondheid") -> pd.DataFrame:
    """One row per region, one column per survey year (``code`` index), NaN where the year has no value."""
    out = frame.pivot(index="code", columns="year", values=measure_id)
    out.columns.name = None
    return out


# ------------------------------------------------------------------------- absent: a service without the table
#: Why the table is absent, per source base URL: remembered for the process (one 404 or one failed reachability
#: check, never retried per page run); ``forget_absent`` after a refresh.
_ABSENT: dict[str, dict[str, str]] = {}


def forget_absent() -> None:
    """Ask again: the next :func:`health_or_absent` tries the service (after a refresh or a new setting)."""
    _ABSENT.clear()


def health_or_absent(
    *,
    levels: Sequence[str] = ("gemeente", "buurt"),
    refresh: bool = False,
    progress: Progress | None = None,
    source: Source = GEZONDHEID,
) -> tuple[pd.DataFrame | None, dict[str, str] | None]:
    """``(frame, None)`` of the whole country (:func:`load_health`), or ``(None, why)`` when the service has no such
    table (HTTP 404: the default emulator, a dataderden without 50150NED) or cannot be reached and nothing is
    cached. ``why``: ``{"code": "not_served" | "unreachable" | "failed", "nl": ..., "en": ...}``. A 404 and an
    unreachable service are remembered for the process (:func:`forget_absent`); another failure is not.
    """
    base = source.base_url()
    if not refresh and base in _ABSENT:
        return None, _ABSENT[base]
    keys = _keys(None, [lv for lv in LEVELS if lv in set(levels)], source)
    if refresh or any(cache.get(k) is None for k in keys.values()):
        r = reach.reachable(service_url(source.service))
        if not r.ok:
            _ABSENT[base] = {
                "code": "unreachable",
                "nl": f"{source.table_id} is niet te laden: {r.reason}",
                "en": f"{source.table_id} cannot be loaded: {r.reason_en}",
            }
            return None, _ABSENT[base]
    try:
        return load_health(levels=levels, refresh=refresh, progress=progress, source=source), None
    except FetchError as exc:
        if getattr(exc, "status", None) == 404:
            _ABSENT[base] = {
                "code": "not_served",
                "nl": f"de dienst ({service_url(source.service)}) heeft geen tabel {source.table_id}",
                "en": f"the service ({service_url(source.service)}) has no table {source.table_id}",
            }
            return None, _ABSENT[base]
        return None, {"code": "failed", "nl": exc.message, "en": exc.message_en or exc.message}
