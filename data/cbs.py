"""CBS Kerncijfers Wijken en Buurten (KWB) as tidy frames: one row per region, one float column per topic.

Why our own OData client instead of ``cbsodata``: cbsodata makes one un-retried request per page with a
fresh Session and no timeout, and has no cache. We call the same ODataFeed endpoints it uses
(``TableInfos``, ``DataProperties``, ``TypedDataSet`` with ``$filter``, the ``WijkenEnBuurten`` dimension
entity) through :mod:`data.http` (timeouts, retries, validation) and follow ``odata.nextLink`` on every page.
``tests/test_cbs.py`` checks that the rows equal what ``cbsodata.get_data`` returns.

Rules that come from how the real service behaves:

* Keys of ``WijkenEnBuurten`` are padded to 10 characters; an unpadded ``eq 'GM0363'`` silently answers an
  empty 200, so gemeente keys are padded and wijken/buurten are selected with ``startswith``.
* The service answers some unsupported filters with *unfiltered* rows: every returned row is checked to
  belong to the requested gemeente and level, otherwise FetchError (we never download the whole table).
* A short answer (rows != ``odata.count``, a page ending early, no row at a level every gemeente has) is an
  error, retried and never stored (:mod:`data.odata`); a refresh with fewer rows than the kept copy is refused
  unless ``allow_fewer`` (FewerRowsError); with CBS down, what is intact is served and the rest named.
* Column keys carry year-specific suffixes (``AantalInwoners_5``): they are resolved at run time from
  ``DataProperties`` via :func:`data.kwb_schema.canonical_names`.

Cache: one entry per (``kwb``, year, level, gemeente) so selections can be combined without downloading
again; every version of it that was fetched is kept (``data.cache.versions``), a refresh stores a new one
only when CBS ``Modified`` changed, and ``data.cache.restore`` goes back to an earlier one; the list of gemeenten per year is cached as (``gemeenten``, year, ``gemeente``, NL). A load that is
fully cached makes zero HTTP requests unless ``refresh=True``. If the network fails and a cached copy exists,
that copy is returned with ``attrs["source"]["stale"] = True`` and its ``age_days`` (and a warning).

2025 (86165NED) is only published as OData v4 on datasets.cbs.nl; :func:`_fetch_v4` implements that API
(``Observations`` + ``MeasureCodes``) with the same client. It is **not verified** against a real answer:
the emulator serves only v3, so against it a 2025 load ends in a clear FetchError.
"""

from __future__ import annotations

import difflib
import functools
import logging
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from core.codes import LEVELS, PREFIX_OF_LEVEL, gemeente_of, levels_of, normalise_gemeente, normalise_level, strip_code
from core.errors import FetchError, StorageError, UserInputError
from core.values import clean_numbers
from data import cache, http
from data.kwb_schema import canonical_names, snake
from data.odata import odata_rows, retry_short, short_answer, v4_rows

log = logging.getLogger(__name__)

#: The one table of KWB table ids per year (CBS "Kerncijfers wijken en buurten").
KWB_TABLES: dict[int, str] = {
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
    2025: "86165NED",
}
#: Years only published as OData v4 (datasets.cbs.nl).
V4_YEARS = frozenset({2025})
ID_COLUMNS = ("code", "level", "name", "gemeente_code", "year")

Progress = Callable[[int, "int | None", str], None]


# ------------------------------------------------------------------------------------------ helpers
def table_id(year: int) -> str:
    """KWB table id of ``year``; unknown year -> UserInputError that lists the available years."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = -1
    if year not in KWB_TABLES:
        years = ", ".join(str(y) for y in sorted(KWB_TABLES))
        raise UserInputError(
            f"Jaar {year} is niet beschikbaar in Kerncijfers wijken en buurten; kies uit: {years}.",
            f"Year {year} is not available in Kerncijfers wijken en buurten; must be one of: {years}.",
        )
    return KWB_TABLES[year]


def _table_url(tid: str) -> str:
    return f"{http.cbs_url()}/ODataFeed/odata/{tid}"


def _pad(code: str) -> str:
    return code.ljust(10)


def region_filter(gemeente: str, levels: Sequence[str], field: str = "WijkenEnBuurten") -> str:
    """OData ``$filter`` for the regions of one gemeente at ``levels`` (keys padded to 10 characters).

    >>> region_filter("GM0479", ["gemeente", "wijk"])
    "WijkenEnBuurten eq 'GM0479    ' or startswith(WijkenEnBuurten,'WK0479')"
    """
    digits = gemeente[2:6]
    terms = []
    for level in levels:
        if level == "gemeente":
            terms.append(f"{field} eq '{_pad(gemeente)}'")
        else:
            terms.append(f"startswith({field},'{PREFIX_OF_LEVEL[level]}{digits}')")
    return " or ".join(terms)


def _clean_text(value: Any) -> Any:
    if value is None:
        return pd.NA
    text = str(value).strip()
    return pd.NA if text in ("", ".") else text


# ------------------------------------------------------------------------------------ table metadata
def _table_missing(exc: FetchError, year: int, tid: str) -> FetchError:
    """A 404 on a KWB table says the source does not have that year: say so, and which year to choose instead
    (still a FetchError, so a cached copy is used where there is one). Other failures pass unchanged."""
    if getattr(exc, "status", None) != 404:
        return exc
    latest = max(y for y in KWB_TABLES if y not in V4_YEARS)
    err = FetchError(
        f"KWB {year} ({tid}) is bij deze bron niet beschikbaar; kies {latest}.",
        f"KWB {year} ({tid}) is not available from this source; choose {latest}.",
        url=exc.url,
    )
    err.status = 404  # type: ignore[attr-defined]
    return err


class _TableMeta:
    """TableInfos + DataProperties of one table, fetched once per load."""

    def __init__(self, year: int, tid: str) -> None:
        self.year, self.tid = year, tid
        base = _table_url(tid)
        try:
            infos = http.get_json(f"{base}/TableInfos", {"$format": "json"})
        except FetchError as exc:
            if (missing := _table_missing(exc, year, tid)) is exc:
                raise
            raise missing from exc
        info = (infos.get("value") or [{}])[0] if isinstance(infos, Mapping) else {}
        self.modified = info.get("Modified")
        self.title = info.get("Title")
        self._base = base
        self._properties: list[dict] | None = None

    @property
    def properties(self) -> list[dict]:
        """DataProperties, fetched on first use (a refresh that finds ``Modified`` unchanged never needs it)."""
        if self._properties is None:
            props = http.get_json(f"{self._base}/DataProperties", {"$format": "json"})
            self._properties = props.get("value", []) if isinstance(props, Mapping) else []
        return self._properties

    @functools.cached_property
    def topics(self) -> list[dict]:
        return [p for p in self.properties if p.get("Type") == "Topic" and p.get("Key")]

    @functools.cached_property
    def names(self) -> dict[str, str]:
        return canonical_names(self.properties)

    def columns_attr(self) -> dict:
        return {
            self.names[p["Key"]]: {
                "key": p["Key"],
                "title": p.get("Title"),
                "unit": p.get("Unit"),
                "decimals": p.get("Decimals"),
                "table_id": self.tid,
                "modified": self.modified,
            }
            for p in self.topics
        }


# -------------------------------------------------------------------------------------- gemeenten
def list_gemeenten(year: int, *, refresh: bool = False) -> pd.DataFrame:
    """All gemeenten of KWB ``year`` (``code``, ``name``), from the WijkenEnBuurten dimension; cached."""
    tid = table_id(year)
    key = cache.CacheKey.make("gemeenten", year, "gemeente", "NL")
    hit = None if refresh else cache.get(key)
    if hit is not None:
        return hit[0]
    try:
        if year in V4_YEARS:
            url = f"{http.cbs_v4_url()}/{tid}/WijkenEnBuurtenCodes"
            rows = v4_rows(url, {"$filter": "startswith(Identifier,'GM')"}, f"{tid} gemeenten", None)
            frame = pd.DataFrame(
                {
                    "code": [strip_code(r.get("Identifier")) for r in rows],
                    "name": [_clean_text(r.get("Title")) for r in rows],
                }
            )
        else:
            url = f"{_table_url(tid)}/WijkenEnBuurten"
            params = {"$format": "json", "$filter": "startswith(Key,'GM')", "$inlinecount": "allpages"}
            rows = retry_short(lambda: odata_rows(url, params, f"{tid} gemeenten", None), f"{tid} gemeenten")
            frame = pd.DataFrame(
                {"code": [strip_code(r.get("Key")) for r in rows], "name": [_clean_text(r.get("Title")) for r in rows]}
            )
    except FetchError as exc:
        stale = cache.get(key)
        if stale is not None:
            return stale[0]
        if (missing := _table_missing(exc, year, tid)) is exc:
            raise
        raise missing from exc
    gemeenten = pd.Series(levels_of(frame["code"]), index=frame.index) == "gemeente"
    frame = frame[gemeenten].sort_values("code").reset_index(drop=True)
    if frame.empty:
        raise FetchError(
            f"CBS gaf geen gemeenten voor {tid} ({url}). Probeer later opnieuw.",
            f"CBS returned no gemeenten for {tid} ({url}). Try again later.",
            url=url,
        )
    frame.attrs = {"source": {"table_id": tid, "year": year, "url": url, "fetched_at": http.utc_now_iso()}}
    try:
        cache.put(key, frame, {"source_url": url, "table_id": tid})
    except StorageError as exc:  # the list is still right; it is fetched again next time
        log.warning("Gemeentelijst %s niet opgeslagen: %s", year, exc.message)
    return frame


def _unknown_gemeente(text: str, year: int, tid: str, close: Sequence[str]) -> UserInputError:
    """'Gemeente X bestaat niet in KWB 2024 (85984NED). Bedoelde u ...?' with the list command."""
    hint = f" Bedoelde u {' of '.join(close)}?" if close else ""
    hint_en = f" Did you mean {' or '.join(close)}?" if close else ""
    return UserInputError(
        f"Gemeente '{text}' bestaat niet in KWB {year} ({tid}).{hint} Zie `python -m data list-gemeenten --year {year}`.",
        f"Gemeente '{text}' does not exist in KWB {year} ({tid}).{hint_en} "
        f"See `python -m data list-gemeenten --year {year}`.",
    )


def _resolve_gemeenten(raw: Sequence[str], year: int, known: pd.DataFrame | None) -> list[str]:
    """Normalise codes (``479`` -> ``GM0479``) or names (``Zaanstad``); validate against ``known``."""
    tid = KWB_TABLES[year]
    out = []
    for item in raw:
        text = str(item).strip()
        try:
            code = normalise_gemeente(text)
        except UserInputError:
            if known is None:
                raise
            match = known[known["name"].str.lower() == text.lower()]
            if match.empty:
                close = difflib.get_close_matches(text, [n for n in known["name"].dropna()], n=3)
                raise _unknown_gemeente(text[:40], year, tid, close) from None
            code = str(match["code"].iloc[0])
        if known is not None and code not in set(known["code"]):
            codes = list(known["code"])
            close = difflib.get_close_matches(code, codes, n=1, cutoff=0.6)
            raise _unknown_gemeente(code, year, tid, close)
        if code not in out:
            out.append(code)
    if not out:
        raise UserInputError(
            "Geef minstens één gemeente op, bijvoorbeeld GM0479.", "Give at least one gemeente, for example GM0479."
        )
    return out


# ----------------------------------------------------------------------------------------- fetching
def _check_rows(rows: list[dict], gemeente: str | None, levels: Sequence[str], url: str) -> None:
    """Every row must belong to ``gemeente`` (None = national) and ``levels``: else the filter was ignored."""
    for row in rows:
        code = strip_code(row.get("WijkenEnBuurten")) or ""
        prefix_ok = code[:2] in {PREFIX_OF_LEVEL[lv] for lv in levels}
        if not prefix_ok or (gemeente is not None and gemeente_of(code) != gemeente):
            raise FetchError(
                f"CBS gaf rijen buiten het gevraagde filter terug (o.a. '{code}' voor {gemeente or 'NL'}, "
                f"{'/'.join(levels)}); het filter is genegeerd. URL: {url}. Gegevens zijn niet opgeslagen; "
                "probeer later opnieuw.",
                f"CBS returned rows outside the requested filter (e.g. '{code}' for {gemeente or 'NL'}, "
                f"{'/'.join(levels)}); the filter was ignored. URL: {url}. Nothing was stored; try again later.",
                url=url,
            )


#: Levels of which every gemeente (and the country) has at least one row in KWB: none of them is a short answer.
_ALWAYS_THERE = ("gemeente", "wijk")


def _check_levels(rows: list[dict], levels: Sequence[str], url: str) -> None:
    """No row at a level that always has rows (a gemeente's own row, its wijken): a short answer, even when
    ``odata.count`` agrees (an empty ``value: []`` with count 0 where rows were expected)."""
    prefixes = {(strip_code(r.get("WijkenEnBuurten")) or "")[:2] for r in rows}
    absent = [lv for lv in levels if lv in _ALWAYS_THERE and PREFIX_OF_LEVEL[lv] not in prefixes]
    if absent:
        raise short_answer(
            url,
            f"geen enkele rij op niveau {'/'.join(absent)} ({len(rows)} rijen in totaal)",
            f"not one row at level {'/'.join(absent)} ({len(rows)} rows in all)",
        )


def _tidy(rows: list[dict], titles: Mapping[str | None, Any], meta: _TableMeta, year: int) -> pd.DataFrame:
    """Rows of TypedDataSet -> the tidy frame of docs/ARCHITECTURE.md (without attrs)."""
    codes = [strip_code(r.get("WijkenEnBuurten")) for r in rows]
    levels = levels_of(codes)
    names = []
    for code, level, row in zip(codes, levels, rows):
        name = _clean_text(row.get("Gemeentenaam_1")) if level == "gemeente" else pd.NA
        if level != "gemeente" or name is pd.NA:
            name = _clean_text(titles.get(code))
        names.append(name)
    data: dict[str, Any] = {
        "code": pd.array(codes, dtype="string"),
        "level": pd.array(levels, dtype="string"),
        "name": pd.array(names, dtype="string"),
        "gemeente_code": pd.array(
            [gemeente_of(c) if c is not None and lv != "land" else pd.NA for c, lv in zip(codes, levels)],
            dtype="string",
        ),
        "year": np.full(len(rows), int(year), dtype="int64"),
    }
    for prop in meta.topics:
        key, col = prop["Key"], meta.names[prop["Key"]]
        values = [r.get(key) for r in rows]
        if prop.get("Datatype") == "String":
            data[col] = pd.array([_clean_text(v) for v in values], dtype="string")
        else:
            data[col] = clean_numbers(values)  # CBS's placeholders (core.values) -> NaN
    return pd.DataFrame(data)


def _empty_like(meta: _TableMeta, year: int) -> pd.DataFrame:
    return _tidy([], {}, meta, year)


def _fetch_v3(
    meta: _TableMeta, gemeente: str | None, levels: Sequence[str], progress: Progress | None
) -> tuple[pd.DataFrame, str]:
    """Download one gemeente (or, with None, the whole country) at ``levels``; returns (frame, url)."""
    base = _table_url(meta.tid)
    if gemeente is None:
        flt = " or ".join(f"startswith(WijkenEnBuurten,'{PREFIX_OF_LEVEL[lv]}')" for lv in levels)
    else:
        flt = region_filter(gemeente, levels)
    url = f"{base}/TypedDataSet"
    params = {"$format": "json", "$filter": flt, "$inlinecount": "allpages"}
    label = f"{meta.tid} {gemeente or 'NL'} {'/'.join(levels)}"
    shown = http.full_url(url, params)

    def download() -> list[dict]:
        got = odata_rows(url, params, label, progress, lambda rows: _check_rows(rows, gemeente, levels, shown))
        _check_levels(got, levels, shown)
        return got

    rows = retry_short(download, label)
    seen: set[str | None] = set()
    for row in rows:
        code = strip_code(row.get("WijkenEnBuurten"))
        if code in seen:
            raise FetchError(
                f"CBS gaf regio {code} twee keer ({shown}); probeer later opnieuw.",
                f"CBS returned region {code} twice ({shown}); try again later.",
                url=shown,
            )
        seen.add(code)
    titles: dict[str | None, Any] = {}
    if rows:
        dflt = flt.replace("WijkenEnBuurten", "Key")
        dparams = {"$format": "json", "$filter": dflt, "$inlinecount": "allpages"}
        dim = retry_short(
            lambda: odata_rows(f"{base}/WijkenEnBuurten", dparams, label + " namen", None), label + " namen"
        )
        titles = {strip_code(d.get("Key")): d.get("Title") for d in dim}
    return _tidy(rows, titles, meta, meta.year), shown


def _fetch_v4(
    year: int, tid: str, gemeente: str | None, levels: Sequence[str], progress: Progress | None
) -> tuple[pd.DataFrame, dict, str]:
    """OData v4 (datasets.cbs.nl): ``Observations`` (long: region x measure) pivoted to the tidy frame.

    Not verified against the real service (no v4 emulator); column names are snake_case of the measure
    title because v4 measure codes (``T001036``) have no v3 key prefix.
    """
    base = f"{http.cbs_v4_url()}/{tid}"
    measures = v4_rows(f"{base}/MeasureCodes", {}, f"{tid} measures", None)
    if gemeente is None:
        flt = " or ".join(f"startswith(WijkenEnBuurten,'{PREFIX_OF_LEVEL[lv]}')" for lv in levels)
    else:
        flt = region_filter(gemeente, levels)
    url = f"{base}/Observations"
    obs = v4_rows(url, {"$filter": flt}, f"{tid} {gemeente or 'NL'}", progress)
    shown = http.full_url(url, {"$filter": flt})
    _check_rows(obs, gemeente, levels, shown)
    names = {m.get("Identifier"): snake(str(m.get("Title") or m.get("Identifier"))) for m in measures}
    long = pd.DataFrame(
        {
            "code": [strip_code(o.get("WijkenEnBuurten")) for o in obs],
            "measure": [names.get(o.get("Measure"), o.get("Measure")) for o in obs],
            "value": clean_numbers([o.get("Value") for o in obs]),
        }
    )
    wide = long.pivot_table(index="code", columns="measure", values="value", aggfunc="first").reset_index()
    wide.columns.name = None
    codes = wide["code"].astype("string")
    level = pd.Series(levels_of(codes), index=codes.index, dtype="object")  # only GM/WK/BU rows were asked
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "code": codes,
                    "level": level,
                    "name": pd.array([pd.NA] * len(wide), "string"),
                    "gemeente_code": codes.map(gemeente_of),
                    "year": int(year),
                }
            ),
            wide.drop(columns="code").astype("float64"),
        ],
        axis=1,
    )
    columns = {
        names[m["Identifier"]]: {
            "key": m.get("Identifier"),
            "title": m.get("Title"),
            "unit": m.get("Unit"),
            "decimals": m.get("Decimals"),
            "table_id": tid,
            "modified": None,
        }
        for m in measures
        if m.get("Identifier") in names
    }
    return frame, columns, shown


# ------------------------------------------------------------------------------------------ loading
def _source(tid: str, year: int, url: str | None, manifest: Mapping, *, from_cache: bool, stale: bool) -> dict:
    age = cache.age_days(manifest) if from_cache else 0.0
    return {
        "table_id": tid,
        "year": year,
        "url": url,
        "modified": manifest.get("modified"),
        "version": manifest.get("version"),
        "fetched_at": manifest.get("fetched_at"),
        "from_cache": from_cache,
        "stale": stale,
        "age_days": None if age is None else round(age, 3),
    }


def _warn_stale(err: FetchError, ages: list[float]) -> None:
    oldest = max(ages) if ages else 0.0
    msg_nl = f"{err.message} Gecachte gegevens van {oldest:.1f} dag(en) oud worden gebruikt."
    log.warning(msg_nl)
    warnings.warn(msg_nl, RuntimeWarning, stacklevel=3)


def _assemble(parts: list[tuple[pd.DataFrame, dict]], tid: str, year: int, stale: bool) -> pd.DataFrame:
    frames = [p[0] for p in parts if len(p[0])]
    frame = pd.concat(frames, ignore_index=True) if frames else parts[0][0].iloc[0:0].copy()
    if len(frames) < len(parts) and frames:
        frame = frame.reindex(columns=parts[0][0].columns)
    columns: dict = {}
    for _, man in parts:
        columns.update((man.get("attrs") or {}).get("columns") or man.get("columns") or {})
    manifests = [m for _, m in parts]
    oldest = min(manifests, key=lambda m: str(m.get("fetched_at")))
    from_cache = any(m.get("_from_cache") for m in manifests)
    src = _source(tid, year, oldest.get("source_url"), oldest, from_cache=from_cache, stale=stale)
    urls = list(dict.fromkeys(m.get("source_url") for m in manifests))
    src["url"] = urls[0] if len(urls) == 1 else urls
    src["entries"] = len(manifests)
    frame.attrs = {"columns": columns, "source": src}
    return frame


def _load(
    selection: list[str] | None,
    year: int,
    levels: Sequence[str],
    refresh: bool,
    progress: Progress | None,
    allow_fewer: bool = False,
) -> pd.DataFrame:
    """Shared by :func:`load_kwb` (selection = gemeenten) and :func:`load_kwb_national` (None).

    Nothing is stored until every unit is fetched and checked: an answer with fewer rows than the good copy
    kept raises FewerRowsError (unless ``allow_fewer``) before any entry changes. CBS unreachable: see
    :func:`_degrade`. Storage that takes no new data: the fetched frame is still returned, with a notice.
    """
    tid = table_id(year)
    units = sorted(selection) if selection is not None else [None]
    keys = {(g, lv): cache.CacheKey.make("kwb", year, lv, [g] if g else "NL") for g in units for lv in levels}
    found = {k: cache.get(key) for k, key in keys.items()}
    cached = {k: (v[0], dict(v[1], _from_cache=True)) for k, v in found.items() if v is not None}
    if not refresh and len(cached) == len(keys):
        return _assemble([cached[k] for k in keys], tid, year, stale=False)

    try:
        meta = None if year in V4_YEARS else _TableMeta(year, tid)
        if (
            refresh
            and meta is not None
            and meta.modified
            and len(cached) == len(keys)
            and all(v[1].get("modified") == meta.modified for v in cached.values())
        ):
            # CBS has not republished the table since our copy: one TableInfos request, no rows again.
            log.info("KWB %s: CBS Modified %s ongewijzigd; cache blijft geldig", tid, meta.modified)
            frame = _assemble([cached[k] for k in keys], tid, year, stale=False)
            frame.attrs["source"]["checked_modified"] = meta.modified
            return frame
        pending = _fetch_missing(
            meta, year, tid, units, levels, {k for k in keys if refresh or k not in cached}, progress
        )
    except FetchError as err:
        return _degrade(err, keys, found, tid, year)
    if not allow_fewer:
        for k, (part, _) in pending.items():
            cache.check_not_fewer(keys[k], len(part))
    notices: list[dict] = []
    parts = []
    for k, key in keys.items():
        if k in pending:
            part, man = pending[k]
            parts.append((part, cache.put_or_keep(key, part, man, notices=notices)))
        else:
            parts.append(cached[k])
    frame = _assemble(parts, tid, year, stale=False)
    if notices:
        frame.attrs["source"]["not_stored"] = True
        frame.attrs["source"]["notices"] = notices
    return frame


def _fetch_missing(
    meta: _TableMeta | None,
    year: int,
    tid: str,
    units: Sequence[str | None],
    levels: Sequence[str],
    wanted: set[tuple[str | None, str]],
    progress: Progress | None,
) -> dict[tuple[str | None, str], tuple[pd.DataFrame, dict]]:
    """Fetch the (unit, level) parts in ``wanted`` (one request per unit), each with its manifest fields."""
    pending: dict[tuple[str | None, str], tuple[pd.DataFrame, dict]] = {}
    for g in units:
        todo = [lv for lv in levels if (g, lv) in wanted]
        if not todo:
            continue
        if meta is None:
            frame, columns, url = _fetch_v4(year, tid, g, todo, progress)
            modified = None
        else:
            frame, url = _fetch_v3(meta, g, todo, progress)
            columns, modified = meta.columns_attr(), meta.modified
        fetched_at = http.utc_now_iso()
        for lv in todo:
            part = frame[frame["level"] == lv].reset_index(drop=True)
            part.attrs = {
                "columns": columns,
                "source": {"table_id": tid, "year": year, "url": url, "modified": modified, "fetched_at": fetched_at},
            }
            pending[(g, lv)] = (
                part,
                {"source_url": url, "table_id": tid, "modified": modified, "fetched_at": fetched_at},
            )
    return pending


def _degrade(
    err: FetchError, keys: Mapping[tuple, cache.CacheKey], cached: Mapping[tuple, Any], tid: str, year: int
) -> pd.DataFrame:
    """CBS did not answer (or answered short): serve what the cache holds, marked ``stale``, and name the rest.

    An entry whose current copy is damaged or whose manifest is gone is replaced by its newest intact kept
    version; entries with nothing usable are left out and named (``source["missing"]``). Nothing usable at
    all: the FetchError itself.
    """
    parts, older, missing = [], [], []
    for k, key in keys.items():
        hit = cached[k]
        if hit is None and (hit := cache.newest_intact(key)) is not None:
            older.append(f"{key.describe()} (CBS-versie {str(hit[1].get('modified') or '?')[:10]})")
        if hit is None:
            missing.append(key.describe())
        else:
            parts.append((hit[0], dict(hit[1], _from_cache=True)))
    if not parts:
        raise err
    _warn_stale(err, [cache.age_days(m) or 0.0 for _, m in parts])
    frame = _assemble(parts, tid, year, stale=True)
    notices = []
    if older:
        notices.append(
            {
                "nl": "De huidige cachekopie is beschadigd of ontbreekt; een eerdere intacte versie wordt "
                f"getoond voor: {', '.join(older)}.",
                "en": "The current cached copy is damaged or missing; an earlier intact version is shown "
                f"for: {', '.join(older).replace('CBS-versie', 'CBS version')}.",
            }
        )
    if missing:
        notices.append(
            {
                "nl": f"Niet getoond (niet in de cache en CBS gaf geen antwoord): {', '.join(missing)}.",
                "en": f"Not shown (not in the cache and CBS did not answer): {', '.join(missing)}.",
            }
        )
    frame.attrs["source"].update(missing=missing, older=older, notices=notices)
    return frame


def load_kwb(
    gemeenten: Sequence[str],
    year: int,
    *,
    levels: Sequence[str] = LEVELS,
    refresh: bool = False,
    progress: Progress | None = None,
    allow_fewer: bool = False,
) -> pd.DataFrame:
    """KWB ``year`` for ``gemeenten`` at ``levels`` as the tidy frame of docs/ARCHITECTURE.md.

    Cache first (zero HTTP requests when everything is cached, unless ``refresh``). Unknown year/gemeente:
    UserInputError. Network failure or a short answer: FetchError, or what the cache holds marked ``stale`` (see
    :func:`_degrade`). An answer with fewer rows than the kept copy: FewerRowsError unless ``allow_fewer``
    (an administrator's explicit confirmation).
    ``progress(done_rows, total_rows_or_None, label)`` is called after every page.
    """
    tid = table_id(year)
    year = int(year)
    levels = [normalise_level(lv) for lv in (levels or LEVELS)]
    levels = [lv for lv in LEVELS if lv in levels]
    if isinstance(gemeenten, str):
        gemeenten = [gemeenten]
    # Cached data for exactly these codes proves they exist: validate against the list only when fetching.
    try:
        codes = _resolve_gemeenten(gemeenten, year, None)
    except UserInputError:
        codes = None
    if codes is not None and not refresh:
        keys = [cache.CacheKey.make("kwb", year, lv, [g]) for g in codes for lv in levels]
        if all(cache.get(k) is not None for k in keys):
            return _load(codes, year, levels, False, progress)
    try:
        known = list_gemeenten(year)
    except FetchError:
        if codes is None:
            raise
        known = None  # offline: _load falls back to whatever is cached, or raises the FetchError
    codes = _resolve_gemeenten(gemeenten, year, known)
    log.info("KWB %s (%s): %s, niveaus %s", year, tid, ",".join(codes), ",".join(levels))
    return _load(codes, year, levels, refresh, progress, allow_fewer)


def load_kwb_national(
    year: int, level: str, *, refresh: bool = False, progress: Progress | None = None, allow_fewer: bool = False
) -> pd.DataFrame:
    """All regions of one ``level`` in the Netherlands (reference frame for national ranks).

    Pages through ``odata.nextLink`` (the real table has ~14 000 buurten, beyond one 10 000-row page).
    """
    table_id(year)
    return _load(None, int(year), [normalise_level(level)], refresh, progress, allow_fewer)


# ------------------------------------------------------------------------------------------ versions
def _selection_keys(gemeenten: Sequence[str] | None, year: int, levels: Sequence[str]) -> list[cache.CacheKey]:
    table_id(year)
    levels = [normalise_level(lv) for lv in levels]
    if gemeenten is None:
        return [cache.CacheKey.make("kwb", int(year), lv, "NL") for lv in levels]
    codes = [normalise_gemeente(g) for g in ([gemeenten] if isinstance(gemeenten, str) else gemeenten)]
    return [cache.CacheKey.make("kwb", int(year), lv, [g]) for g in sorted(set(codes)) for lv in levels]


def kwb_versions(gemeenten: Sequence[str] | None, year: int, *, levels: Sequence[str] = LEVELS) -> list[dict]:
    """The KWB versions kept in the cache for a whole selection (``None`` = the national frame), oldest first.

    One row per CBS ``Modified`` that **every** cache entry of the selection holds (a version only some
    gemeenten have cannot be shown for the selection): ``modified``, ``fetched_at`` (the earliest),
    ``current`` (all entries currently use it), ``table_id``. No network.
    """
    keys = _selection_keys(gemeenten, year, levels)
    per_key = [{v["modified"]: v for v in cache.versions(k) if v["status"] == "ok"} for k in keys]
    if not per_key or not all(per_key):
        return []
    common = set.intersection(*(set(p) for p in per_key))
    rows = [
        {
            "modified": m,
            "table_id": per_key[0][m]["table_id"],
            "fetched_at": min(str(p[m]["fetched_at"]) for p in per_key),
            "current": all(p[m]["current"] for p in per_key),
        }
        for m in common
    ]
    return sorted(rows, key=lambda r: (str(r["modified"]), r["fetched_at"]))


def _version_of(key: cache.CacheKey, modified: str | None) -> str:
    same = [v for v in cache.versions(key) if v["status"] == "ok" and v["modified"] == modified]
    if not same:
        known = ", ".join(str(v["modified"]) for v in cache.versions(key)) or "geen"
        raise UserInputError(
            f"Versie van {modified} van {key.describe()} staat niet in de cache; bewaarde versies: {known}.",
            f"Version of {modified} of {key.describe()} is not in the cache; kept versions: {known}.",
        )
    return same[-1]["version"]


def load_kwb_version(
    gemeenten: Sequence[str] | None, year: int, modified: str | None, *, levels: Sequence[str] = LEVELS
) -> pd.DataFrame:
    """The tidy frame of one kept version (CBS ``Modified``) of a selection, from the cache only (no network)."""
    tid = table_id(year)
    parts = []
    for key in _selection_keys(gemeenten, year, levels):
        hit = cache.get(key, version=_version_of(key, modified))
        if hit is None:
            raise UserInputError(
                f"Versie van {modified} van {key.describe()} is beschadigd en wordt niet gelezen.",
                f"Version of {modified} of {key.describe()} is damaged and is not read.",
            )
        parts.append((hit[0], dict(hit[1], _from_cache=True)))
    return _assemble(parts, tid, int(year), stale=False)


def restore_kwb_version(
    gemeenten: Sequence[str] | None, year: int, modified: str | None, *, levels: Sequence[str] = LEVELS
) -> None:
    """Make one kept version current again for the whole selection ("terug naar de vorige versie").

    Every entry is checked first, so either all entries switch or none does.
    """
    keys = _selection_keys(gemeenten, year, levels)
    chosen = {k: _version_of(k, modified) for k in keys}
    for k, v in chosen.items():
        cache.restore(k, v)
