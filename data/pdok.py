"""Boundaries of gemeenten, wijken and buurten from PDOK (CBS Wijk- en Buurtkaart, OGC API Features).

``load_boundaries(gemeenten, year, level)`` returns a GeoDataFrame in RD New (EPSG:28992) with the columns of
docs/ARCHITECTURE.md (``code, level, name, gemeente_code, year, geometry`` + the PDOK attributes as served,
``-99997`` -> NaN). The boundary year is the statistics year: the URL is
``{STAPELKAART_PDOK_URL}/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{gemeenten|wijken|buurten}/items``.

What the service does that this module guards against:

* ``limit`` is silently capped at 1 000, so completeness is never assumed from one page: the cursor ``next``
  links are followed until there is none, with a loop guard (a repeated link) and a page cap.
* The total is checked against ``numberMatched`` when the server gives it, else against the sum of
  ``numberReturned``; every feature must lie in the requested gemeente (another gemeente's features make the
  answer wrong, not "left out"); an empty answer for a gemeente PDOK lists is an error. Such answers are asked
  again once (``ANSWER_ATTEMPTS``), then reported and never cached.
* The CRS must be asked with the full URI (``crs=EPSG:28992`` is a 400); the answer's ``Content-Crs`` header
  must name 28992 and the coordinates must lie in the Netherlands in RD metres (lon/lat degrees or swapped
  axes are refused with a FetchError that says so).
* Geometries are repaired with ``shapely.make_valid`` (polygon parts kept); the number repaired is reported
  in ``attrs["geometry"]``, nothing is dropped silently.

Results are cached with :mod:`data.cache`, one entry per gemeente (a second call makes no request unless
``refresh``), every fetched version kept as for the KWB tables; a refresh never makes a version with fewer
features current without ``allow_fewer``. When the network fails and a cached copy exists, that copy is
returned with ``attrs["source"]["stale"] = True`` and its ``age_days``. A gemeente without boundaries is named
in ``attrs["missing"]`` and never takes the others down. The whole country in one paged pass:
:mod:`data.pdok_national`.

``progress``, if given, is called as ``progress(fraction: float, text: str)`` (fits ``st.progress``).
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from data import cache, http
from data.codes import gemeente_of, normalise_gemeente, normalise_level
from data.errors import FetchError, StapelkaartError, UserInputError
from geo.crs import RD_NEW

log = logging.getLogger(__name__)

CRS_RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
PAGE_LIMIT = 1000            # the service caps ``limit`` at 1 000 without saying so
MAX_PAGES = 500              # per gemeente; Amsterdam buurten need 1 page of 1 000 (or 6 of 100)
ANSWER_ATTEMPTS = 2         # an impossible answer (empty, short, foreign features) is asked once more
MISSING_VALUES = (-99997, -99999999)
# RD New area of use (EPSG:28992), metres: x -7 000..300 000, y 289 000..629 000.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)

COLLECTION = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
CODE_PROPERTY = {"gemeente": "gemeentecode", "wijk": "wijkcode", "buurt": "buurtcode"}
NAME_PROPERTY = {"gemeente": "gemeentenaam", "wijk": "wijknaam", "buurt": "buurtnaam"}

Progress = Callable[[float, str], None]

__all__ = [
    "CRS_RD_URI",
    "PAGE_LIMIT",
    "RD_NEW",
    "boundaries_key",
    "check_features",
    "items_url",
    "load_boundaries",
    "load_boundaries_each",
    "load_boundaries_national",
    "load_gemeente_attributes",
    "missing_message",
    "store_versioned",
]


def items_url(year: int, level: str) -> str:
    """The items URL of the collection for ``level`` in the Wijk- en Buurtkaart of ``year`` (env read now)."""
    return f"{http.pdok_url()}/cbs/wijken-en-buurten-{int(year)}/ogc/v1/collections/{COLLECTION[level]}/items"


# ------------------------------------------------------------------------------------------- public
def boundaries_key(year: int, level: str, gemeente: str | None) -> cache.CacheKey:
    """Cache key of one gemeente's boundaries (``gemeente=None``: the whole collection, see data.pdok_national)."""
    return cache.CacheKey.make("boundaries", int(year), level, [gemeente] if gemeente else "NL")


def load_boundaries(gemeenten: Sequence[str], year: int, level: str, *, refresh: bool = False,
                    progress: Progress | None = None, allow_fewer: bool = False) -> gpd.GeoDataFrame:
    """Boundaries of ``level`` (``gemeente|wijk|buurt``) in ``gemeenten`` for ``year``, EPSG:28992.

    Each gemeente is fetched, checked and cached on its own (kind ``boundaries``, one gemeente per key, every
    version kept like the KWB tables). A gemeente whose boundaries cannot be had never takes the others down:
    the frame holds what exists and ``attrs["missing"]`` = ``{gemeente: reason (nl)}``, ``attrs["missing_en"]``
    the same in English, ``attrs["missing_kind"]`` = ``{gemeente: "absent" | "failed"}`` (``absent``: PDOK
    does not know the gemeente in that year; ``failed``: PDOK did not give a usable answer, try again later);
    :func:`missing_message` turns it into one sentence for the interface. Only when **no** gemeente has
    boundaries is an error raised (UserInputError when PDOK knows none of them, else FetchError). After a
    transient failure (PDOK down) the remaining gemeenten are taken from the cache only, so a dead service
    costs one retry budget, not one per gemeente.

    Answers are checked before anything is cached (issue 22): ``numberMatched`` when present against the
    features received, every feature inside the requested gemeente, and an empty answer for a gemeente PDOK
    lists in its ``gemeenten`` collection is an error (asked again once, then reported, never cached). A
    refresh that would replace the current version by one with **fewer** features keeps the current version
    (``attrs["source"]["refused"]``) unless ``allow_fewer=True``; the kept version's file is never deleted.

    ``attrs["source"]``: ``table_id`` (``wijken-en-buurten-{year}/{collection}``), ``year``, ``url``,
    ``modified`` (server timeStamp), ``fetched_at`` (the oldest of the parts), ``from_cache`` (all parts),
    ``stale`` (any part), ``age_days`` (the oldest), ``error``/``error_en`` (why a stale copy is shown).
    ``attrs["geometry"]``: ``repaired`` (count), ``repaired_codes``, ``empty_codes``.
    ``attrs["paging"]``: ``pages``, ``features``, ``number_matched`` per fetched gemeente.
    """
    if isinstance(gemeenten, str):
        gemeenten = [gemeenten]
    codes = sorted({normalise_gemeente(g) for g in gemeenten})
    if not codes:
        raise UserInputError("Kies minstens één gemeente (bijv. GM0479 Zaanstad).",
                             "Choose at least one gemeente (e.g. GM0479 Zaanstad).")
    level = normalise_level(level)
    year = _check_year(year)
    frames: list[gpd.GeoDataFrame] = []
    errors: dict[str, StapelkaartError] = {}
    down: FetchError | None = None          # PDOK did not answer: the rest comes from the cache only
    for i, gm in enumerate(codes):
        def report(text: str, i: int = i) -> None:
            if progress is not None:
                progress(min(1.0, i / len(codes)), f"Grenzen ophalen: {text}")
        try:
            frames.append(_load_one(gm, year, level, refresh=refresh, allow_fewer=allow_fewer, report=report,
                                    down=down))
        except _GemeenteAbsent as exc:
            errors[gm] = exc
        except FetchError as exc:
            errors[gm] = exc
            if getattr(exc, "transient", False) and not getattr(exc, "bad_answer", False) and down is None:
                down = exc                  # no usable answer after the retries (no connection, 5xx): PDOK is down
    if progress is not None:
        progress(1.0, "Grenzen opgehaald")
    if not frames:
        raise _all_missing(codes, errors, year, level)
    frame = _combine(frames, year, level)
    frame.attrs["missing"] = {gm: exc.message for gm, exc in errors.items()}
    frame.attrs["missing_en"] = {gm: exc.message_en for gm, exc in errors.items()}
    frame.attrs["missing_kind"] = {gm: "absent" if isinstance(exc, _GemeenteAbsent) else "failed"
                                   for gm, exc in errors.items()}
    if errors:
        log.warning("Grenzen zonder %s: %s", ", ".join(errors), "; ".join(e.message for e in errors.values()))
    return frame


def missing_message(frame: pd.DataFrame, lang: str = "nl", *, limit: int = 6) -> str | None:
    """One sentence naming the gemeenten of :func:`load_boundaries` that have no boundaries and why, or None.

    Up to ``limit`` gemeenten each with its reason; more are counted, with the first reason as an example.
    Plain text (gemeente codes, PDOK's URL): escape it at the sink (``fmt.md`` / HTML) like any other text.
    """
    missing = (frame.attrs.get("missing_en") if lang == "en" else None) or frame.attrs.get("missing") or {}
    if not missing:
        return None
    drawn = sorted(set(frame["gemeente_code"].dropna())) if "gemeente_code" in frame.columns else []
    codes = list(missing)
    shown = ", ".join(codes[:limit])
    more = len(codes) - limit
    if lang == "en":
        head = (f"No boundaries for {shown}{f' and {more} other gemeenten' if more > 0 else ''}; the map shows "
                f"{', '.join(drawn[:limit]) or 'nothing'}{f' and {len(drawn) - limit} more' if len(drawn) > limit else ''}. ")
        tail = f"For example {codes[0]}: {missing[codes[0]]}" if more > 0 else ""
    else:
        head = (f"Geen grenzen voor {shown}{f' en {more} andere gemeenten' if more > 0 else ''}; de kaart toont "
                f"{', '.join(drawn[:limit]) or 'niets'}{f' en {len(drawn) - limit} meer' if len(drawn) > limit else ''}. ")
        tail = f"Bijvoorbeeld {codes[0]}: {missing[codes[0]]}" if more > 0 else ""
    return head + (tail or " ".join(f"{gm}: {why}" for gm, why in missing.items()))


def load_gemeente_attributes(year: int, *, refresh: bool = False,
                             progress: Progress | None = None) -> pd.DataFrame:
    """The Wijk- en Buurtkaart attributes of **every** gemeente in the PDOK ``gemeenten`` collection of ``year``.

    One request series over the whole collection (no ``gemeentecode`` filter; ``next`` links followed, totals
    checked as in :func:`load_boundaries`); the geometry is not read (attributes only: this frame feeds the
    Nederland row, a sum over all gemeenten, where CBS gives no ``NL00`` row). The layer holds one land feature
    per gemeente (``water`` = ``NEE``, the figures) and for gemeenten with large waters a water feature
    (``water`` = ``JA``, every figure ``-99997``): only the land features are kept, and ``attrs["source"]``
    says how many of each the service gave.

    Columns: ``code, level ("gemeente"), name, gemeente_code, year`` + the attributes as served (numbers as
    float64 with ``-99997`` -> NaN). ``attrs["source"]``: ``table_id``
    (``wijken-en-buurten-{year}/gemeenten``), ``year``, ``url``, ``modified``, ``fetched_at``, ``from_cache``,
    ``stale``, ``age_days``, ``n_gemeenten`` (land features kept), ``n_water`` (water features left out).
    Cached as one entry (kind ``pdok-attributes``, level ``gemeente``, ``NL``).
    """
    year = _check_year(year)
    key = cache.CacheKey.make("pdok-attributes", year, "gemeente", None)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return _from_cache(hit, stale=False)
    url = items_url(year, "gemeente")

    def report(text: str) -> None:
        if progress is not None:
            progress(0.5, f"Gemeentekenmerken ophalen: {text}")

    try:
        features, info = _fetch_gemeente(url, None, "gemeente", year, report)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            hit = cache.get(key)
            if hit is not None:
                log.warning("PDOK onbereikbaar (%s); gecachte gemeentekenmerken worden gebruikt", exc.url)
                stale = _from_cache(hit, stale=True)
                stale.attrs["source"]["error"] = exc.message
                return stale
        raise
    if progress is not None:
        progress(1.0, "Gemeentekenmerken opgehaald")
    frame = _attribute_frame(features, year, url)
    frame.attrs["source"].update({"modified": info["timestamp"], "pages": info["pages"]})
    manifest = cache.put(key, frame, {"source_url": url, "table_id": frame.attrs["source"]["table_id"],
                                      "modified": info["timestamp"], "fetched_at": frame.attrs["source"]["fetched_at"]})
    frame.attrs["source"]["fetched_at"] = manifest["fetched_at"]
    return frame


def _attribute_frame(features: list[dict], year: int, url: str) -> pd.DataFrame:
    """Land features of the gemeenten collection as a tidy attribute frame (see load_gemeente_attributes)."""
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    if "gemeentecode" not in props.columns:
        raise FetchError(f"PDOK-objecten zonder 'gemeentecode' ({url}).", f"PDOK features without 'gemeentecode' ({url}).",
                         url=url)
    water = props["water"].map(lambda v: str(v).strip().upper() if v is not None else "") \
        if "water" in props.columns else pd.Series("", index=props.index)
    land = (water != "JA").to_numpy()
    n_water = int((~land).sum())
    props = props[land].reset_index(drop=True)
    code = props["gemeentecode"].map(lambda v: None if v is None else str(v).strip())
    if code.isna().any():
        raise FetchError(f"PDOK-gemeente zonder gemeentecode ({url}).", f"PDOK gemeente without a gemeentecode ({url}).",
                         url=url)
    if code.duplicated().any():
        dup = code[code.duplicated()].iloc[0]
        raise FetchError(f"PDOK leverde {dup} twee keer als land-object ({url}); probeer opnieuw.",
                         f"PDOK delivered {dup} twice as a land feature ({url}); try again.", url=url)
    out = pd.DataFrame({
        "code": code.astype(object), "level": "gemeente",
        "name": props["gemeentenaam"].map(lambda v: None if v is None else str(v).strip())
        if "gemeentenaam" in props.columns else None,
        "gemeente_code": code.astype(object), "year": np.int64(year)})
    extra: dict[str, pd.Series] = {}
    for col in props.columns:
        if col in ("gemeentecode", "gemeentenaam"):
            continue
        num = _numeric(props[col])
        extra[col] = num if num is not None else props[col].map(
            lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)).astype(object)
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    out.attrs = {"source": {"table_id": f"wijken-en-buurten-{year}/gemeenten", "year": year, "url": url,
                            "modified": None, "fetched_at": http.utc_now_iso(), "from_cache": False, "stale": False,
                            "age_days": 0.0, "n_gemeenten": len(out), "n_water": n_water}}
    return out


# ------------------------------------------------------------------------------------ one gemeente
class _GemeenteAbsent(UserInputError):
    """PDOK does not know this gemeente in this year (its ``gemeenten`` collection has no such feature)."""


def _bad_answer(nl: str, en: str, url: str) -> FetchError:
    """An answer that arrived but cannot be true (empty, short, another gemeente's features): like a network
    failure it is retried, reported and never cached; ``transient`` so a cached copy is shown instead."""
    err = FetchError(nl, en, url=url)
    err.transient = True  # type: ignore[attr-defined]
    err.status = None  # type: ignore[attr-defined]
    err.bad_answer = True  # type: ignore[attr-defined]
    return err


def _load_one(gm: str, year: int, level: str, *, refresh: bool, allow_fewer: bool, report: Callable[[str], None],
              down: FetchError | None) -> gpd.GeoDataFrame:
    key = boundaries_key(year, level, gm)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return _from_cache(hit, stale=False)
    try:
        if down is not None:
            raise down
        frame = _download_one(gm, year, level, report)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            kept = _fallback(key, year, level, gm)
            if kept is not None:
                log.warning("PDOK gaf geen bruikbare grenzen voor %s (%s); gecachte grenzen worden gebruikt", gm, exc.url)
                stale = _from_cache(kept, stale=True)
                stale.attrs["source"].update(error=exc.message, error_en=exc.message_en)
                return stale
        raise
    return store_versioned(key, frame, allow_fewer=allow_fewer, what=f"{COLLECTION[level]} van {gm}",
                           what_en=f"{COLLECTION[level]} of {gm}")


def _download_one(gm: str, year: int, level: str, report: Callable[[str], None]) -> gpd.GeoDataFrame:
    """Fetch and check one gemeente; an impossible answer is asked again ``ANSWER_ATTEMPTS`` times in all."""
    url = items_url(year, level)
    problem: FetchError | None = None
    feats: list[dict] | None = None
    known: bool | None = None                       # does PDOK list the gemeente (asked on an empty answer)?
    n_empty = 0
    for attempt in range(ANSWER_ATTEMPTS):
        if attempt:
            log.warning("%s; nieuwe poging %d/%d", problem.message, attempt, ANSWER_ATTEMPTS - 1)
            time.sleep(http.settings().delay(attempt - 1))
        try:
            feats, info = _fetch_gemeente(url, gm, level, year, report)
        except FetchError as exc:
            if not getattr(exc, "bad_answer", False):
                raise
            problem, feats = exc, None
            continue
        problem = check_features(feats, [gm], level, url, f"{gm} in {year}")
        if problem is None:
            break
        n_empty += feats == []
        if feats == [] and known is None and level != "gemeente":
            known = _gemeente_known(gm, year)       # unknown gemeente: no need to ask again
        if known is False:
            break
    if problem is not None:
        if feats == [] and (level == "gemeente" or known is False):
            raise _GemeenteAbsent(
                f"PDOK heeft geen {COLLECTION[level]} voor {gm} in {year} ({url}): de gemeente staat niet in de "
                f"PDOK-gemeenten van {year}. Controleer de gemeentecode en het jaar (gemeentelijke herindeling?).",
                f"PDOK has no {COLLECTION[level]} for {gm} in {year} ({url}): the gemeente is not in PDOK's "
                f"gemeenten of {year}. Check the gemeente code and the year (municipal merger?).")
        if feats == []:
            problem = _bad_answer(
                f"PDOK gaf {n_empty} keer 0 {COLLECTION[level]} voor {gm} in {year} ({url}), terwijl "
                f"{gm} in de PDOK-gemeenten van {year} staat. Dat antwoord is niet bewaard; probeer later opnieuw.",
                f"PDOK answered 0 {COLLECTION[level]} for {gm} in {year} {n_empty} time(s) ({url}), although "
                f"{gm} is in PDOK's gemeenten of {year}. That answer was not stored; try again later.", url)
        raise problem
    frame = _to_frame(feats, [gm], year, level, url)
    frame.attrs = {
        "source": {"table_id": f"wijken-en-buurten-{year}/{COLLECTION[level]}", "year": year, "url": url,
                   "modified": info.pop("timestamp"), "fetched_at": http.utc_now_iso(),
                   "from_cache": False, "stale": False, "age_days": 0.0},
        "geometry": frame.attrs["geometry"],
        "paging": {gm: info, "page_limit": PAGE_LIMIT},
    }
    return frame


def check_features(features: list[dict], gemeenten: Sequence[str] | None, level: str, url: str,
                   what: str) -> FetchError | None:
    """Why an answer cannot be the truth, or None: empty, a feature without its code, or outside ``gemeenten``
    (None: the whole collection, then every feature must still name a gemeente)."""
    if not features:
        return _bad_answer(f"PDOK gaf 0 {COLLECTION[level]} voor {what} ({url}).",
                           f"PDOK answered 0 {COLLECTION[level]} for {what} ({url}).", url)
    code_prop = CODE_PROPERTY[level]
    outside: list[str] = []
    for f in features:
        props = f.get("properties") or {}
        code = str(props.get(code_prop) or "").strip()
        if not code:
            return _bad_answer(f"PDOK leverde een object zonder {code_prop} voor {what} ({url}).",
                               f"PDOK delivered a feature without {code_prop} for {what} ({url}).", url)
        gm = str(props.get("gemeentecode") or "").strip() or gemeente_of(code)
        if gm is None or (gemeenten is not None and gm not in gemeenten) or gemeente_of(code) != gm:
            outside.append(code)
    if outside:
        return _bad_answer(
            f"PDOK leverde {len(outside)} {COLLECTION[level]} buiten {what} (bijv. {', '.join(outside[:3])}; {url}). "
            "Het antwoord is niet gebruikt en niet bewaard; probeer later opnieuw.",
            f"PDOK delivered {len(outside)} {COLLECTION[level]} outside {what} (e.g. {', '.join(outside[:3])}; {url}). "
            "The answer was not used nor stored; try again later.", url)
    return None


def _gemeente_known(gm: str, year: int) -> bool:
    """True when the ``gemeenten`` collection of ``year`` has a feature for ``gm`` (one small request)."""
    page = http.get_json(items_url(year, "gemeente"), {"f": "json", "limit": 1, "gemeentecode": gm})
    return isinstance(page, Mapping) and bool(page.get("features"))


def store_versioned(key: cache.CacheKey, frame: gpd.GeoDataFrame, *, allow_fewer: bool, what: str,
                    what_en: str) -> gpd.GeoDataFrame:
    """Cache ``frame`` as a kept version of ``key`` (data.cache versions, as the KWB tables; one version per
    distinct content, a refresh with the same features only renews ``fetched_at``) and return it,
    unless it has fewer features than the current version (or, when the current manifest is gone, the largest
    intact kept one) and ``allow_fewer`` is False: then that version stays current and is returned, marked
    ``stale`` with ``source["refused"] = {"rows_new", "rows_kept"}`` and the reason in ``error``/``error_en``."""
    kept = _fallback(key)
    if kept is not None and len(frame) < len(kept[0]) and not allow_fewer:
        n_new, n_kept = len(frame), len(kept[0])
        log.warning("PDOK leverde %d %s, de bewaarde versie heeft er %d; bewaarde versie blijft", n_new, what, n_kept)
        out = _from_cache(kept, stale=True)
        out.attrs["source"].update(
            refused={"rows_new": n_new, "rows_kept": n_kept},
            error=f"PDOK leverde nu {n_new} {what}, de bewaarde versie heeft er {n_kept}; de bewaarde versie blijft "
                  "in gebruik (alleen een beheerder kan de kleinere versie bevestigen).",
            error_en=f"PDOK now delivered {n_new} {what_en}, the kept version has {n_kept}; the kept version stays in "
                     "use (only an administrator can confirm the smaller version).")
        return out
    src = frame.attrs["source"]
    # PDOK's timeStamp is the time of the answer, not of the data: as the version's "modified" it would make
    # every refresh a new version of the same content. The version is the content (sha256); the timeStamp
    # stays in attrs["source"]["modified"].
    manifest = cache.put(key, frame, {"source_url": src["url"], "table_id": src["table_id"], "modified": None,
                                      "fetched_at": src["fetched_at"]}, keep_versions=True)
    src["fetched_at"] = manifest["fetched_at"]
    src["version"] = manifest.get("version")
    return frame


def _fallback(key: cache.CacheKey, year: int | None = None, level: str | None = None,
              gm: str | None = None) -> tuple[pd.DataFrame, dict] | None:
    """The current intact entry of ``key``, else its kept version with the most features (newest first on a tie),
    else (``gm`` given) that gemeente's rows of any other intact boundaries entry of the same year and level
    (an older multi-gemeente entry, e.g. from a snapshot, or the national one)."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    best = None
    for v in reversed([v for v in cache.versions(key) if v["status"] == "ok"]):
        if best is None or (v["rows"] or 0) > (best["rows"] or 0):
            best = v
    if best is not None:
        hit = cache.get(key, version=best["version"])
        if hit is not None:
            return hit
    if gm is None:
        return None
    for entry in cache.iter_ok("boundaries"):
        k = entry.key
        if k is None or k == key or k.year != year or k.level != level or \
                (k.gemeenten != "NL" and gm not in k.gemeenten):
            continue
        other = cache.get(k)
        if other is not None and "gemeente_code" in other[0].columns:
            part = other[0][other[0]["gemeente_code"] == gm].reset_index(drop=True)
            if len(part):
                part.attrs = dict(other[0].attrs)
                return part, other[1]
    return None


def _combine(frames: list[gpd.GeoDataFrame], year: int, level: str) -> gpd.GeoDataFrame:
    if len(frames) == 1:
        out = frames[0]
        out.attrs.setdefault("paging", {})
        return out
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    sources = [f.attrs.get("source") or {} for f in frames]
    ages = [s.get("age_days") for s in sources if s.get("age_days") is not None]
    source = {"table_id": f"wijken-en-buurten-{year}/{COLLECTION[level]}", "year": year, "url": items_url(year, level),
              "modified": max((s["modified"] for s in sources if s.get("modified")), default=None),
              "fetched_at": min((s["fetched_at"] for s in sources if s.get("fetched_at")), default=None),
              "from_cache": all(s.get("from_cache") for s in sources),
              "stale": any(s.get("stale") for s in sources), "age_days": max(ages) if ages else None}
    errors = [s for s in sources if s.get("error")]
    if errors:
        source.update(error=" ".join(s["error"] for s in errors), error_en=" ".join(s.get("error_en", "") for s in errors))
    refused = [s["refused"] for s in sources if s.get("refused")]
    if refused:
        source["refused"] = {"rows_new": sum(r["rows_new"] for r in refused),
                             "rows_kept": sum(r["rows_kept"] for r in refused)}
    geo = [f.attrs.get("geometry") or {} for f in frames]
    paging: dict[str, Any] = {"page_limit": PAGE_LIMIT}
    for f in frames:
        paging.update({k: v for k, v in (f.attrs.get("paging") or {}).items() if k != "page_limit"})
    out.attrs = {"source": source, "paging": paging,
                 "geometry": {"repaired": sum(g.get("repaired", 0) for g in geo),
                              "repaired_codes": [c for g in geo for c in g.get("repaired_codes", [])][:50],
                              "empty_codes": [c for g in geo for c in g.get("empty_codes", [])]}}
    return out


def _all_missing(codes: list[str], errors: dict[str, StapelkaartError], year: int, level: str) -> StapelkaartError:
    """The error when no gemeente has boundaries: the single one as it is, several named one by one."""
    if len(errors) == 1:
        return next(iter(errors.values()))
    nl = " ".join(f"{gm}: {exc.message}" for gm, exc in errors.items())
    en = " ".join(f"{gm}: {exc.message_en}" for gm, exc in errors.items())
    if all(isinstance(e, _GemeenteAbsent) for e in errors.values()):
        return UserInputError(f"Geen grenzen ({COLLECTION[level]}, {year}) voor {', '.join(codes)}. {nl}",
                              f"No boundaries ({COLLECTION[level]}, {year}) for {', '.join(codes)}. {en}")
    first = next(e for e in errors.values() if isinstance(e, FetchError))
    err = FetchError(f"Geen grenzen ({COLLECTION[level]}, {year}) voor {', '.join(codes)}. {nl}",
                     f"No boundaries ({COLLECTION[level]}, {year}) for {', '.join(codes)}. {en}", url=first.url)
    err.transient = getattr(first, "transient", False)  # type: ignore[attr-defined]
    err.status = getattr(first, "status", None)  # type: ignore[attr-defined]
    return err


# ------------------------------------------------------------------------------------------ helpers
def _check_year(year: object) -> int:
    try:
        value = int(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = -1
    if value != year or not 2000 <= value <= 2100:
        raise UserInputError(f"Jaar '{year}' is ongeldig; gebruik een jaartal zoals 2024.",
                             f"Year '{year}' is invalid; use a year such as 2024.")
    return value


def _from_cache(hit: tuple[pd.DataFrame, dict], *, stale: bool) -> gpd.GeoDataFrame:
    frame, manifest = hit
    attrs = dict(frame.attrs)
    source = dict(attrs.get("source") or {})
    age = cache.age_days(manifest)
    source.update({"from_cache": True, "stale": stale, "age_days": None if age is None else round(age, 3),
                   "fetched_at": manifest.get("fetched_at")})
    attrs["source"] = source
    frame.attrs = attrs
    return frame


def _crs_ok(header: str | None) -> bool:
    text = (header or "").strip().strip("<>").strip()
    return text.endswith("/EPSG/0/28992") or text.upper() in {"EPSG:28992", "URN:OGC:DEF:CRS:EPSG::28992"}


def _fetch_gemeente(url: str, gm: str | None, level: str, year: int, report: Callable[[str], None]
                    ) -> tuple[list[dict], dict]:
    """All features of one gemeente (``gm=None``: of the whole collection), following ``next`` links; checks
    CRS header and totals."""
    params = {"f": "json", "limit": PAGE_LIMIT, "crs": CRS_RD_URI}
    if gm is not None:
        params["gemeentecode"] = gm
    gm_text = gm if gm is not None else "heel Nederland"
    features: list[dict] = []
    pages = returned_sum = 0
    number_matched: int | None = None
    timestamp = None
    responses = http.iter_responses(url, params, http.ogc_next_link, max_pages=MAX_PAGES,
                                    what=f"de {COLLECTION[level]} van {gm_text}")
    while True:
        try:
            resp = next(responses)
        except StopIteration:
            break
        except FetchError as exc:
            if getattr(exc, "status", None) == 404 and pages == 0:
                raise UserInputError(
                    f"Grenzen voor {year} niet beschikbaar bij PDOK ({url} gaf 404). Kies een jaar waarvoor de "
                    "Wijk- en Buurtkaart bestaat (bijv. 2024).",
                    f"Boundaries for {year} are not available from PDOK ({url} answered 404). Choose a year for "
                    "which the Wijk- en Buurtkaart exists (e.g. 2024).") from exc
            raise
        pages += 1
        shown = resp.url
        page = resp.data
        crs_header = resp.headers.get("Content-Crs")
        if crs_header is None:
            log.warning("PDOK-antwoord zonder Content-Crs (%s); coördinaten worden op RD-bereik gecontroleerd", shown)
        elif not _crs_ok(crs_header):
            raise FetchError(
                f"PDOK leverde coördinaten in {crs_header} in plaats van RD New (EPSG:28992) ({shown}).",
                f"PDOK delivered coordinates in {crs_header} instead of RD New (EPSG:28992) ({shown}).", url=shown)
        if not isinstance(page, Mapping) or not isinstance(page.get("features"), list):
            raise FetchError(f"PDOK gaf geen GeoJSON FeatureCollection ({shown}).",
                             f"PDOK did not answer with a GeoJSON FeatureCollection ({shown}).", url=shown)
        batch = page["features"]
        n_returned = page.get("numberReturned")
        if n_returned is not None and int(n_returned) != len(batch):
            raise _bad_answer(
                f"PDOK-pagina zegt {n_returned} objecten maar bevat er {len(batch)} ({shown}).",
                f"PDOK page says {n_returned} features but holds {len(batch)} ({shown}).", shown)
        returned_sum += len(batch)
        if page.get("numberMatched") is not None:
            number_matched = int(page["numberMatched"])
        timestamp = timestamp or page.get("timeStamp")
        features.extend(batch)
        report(f"{COLLECTION[level]} {gm_text}: {len(features)} objecten, pagina {pages}")
    expected = number_matched if number_matched is not None else returned_sum
    if len(features) != expected:
        raise _bad_answer(
            f"PDOK leverde {len(features)} {COLLECTION[level]} voor {gm_text}, maar meldde {expected} ({url}). "
            "Probeer later opnieuw.",
            f"PDOK delivered {len(features)} {COLLECTION[level]} for {gm_text} but announced {expected} ({url}). "
            "Try again later.", url)
    return features, {"pages": pages, "features": len(features), "number_matched": number_matched,
                      "timestamp": timestamp}


def _geometries(features: list[dict]) -> list[Any]:
    """Shapely geometries of the features (None where a feature has none): GEOS reads the GeoJSON in one
    vectorised call (14 568 buurten: ~1 s instead of ~2 s with ``shape``); a geometry GEOS refuses is read
    with ``shape`` so the error is the same as before."""
    texts = [None if f.get("geometry") is None else json.dumps(f["geometry"]) for f in features]
    idx = [i for i, t in enumerate(texts) if t is not None]
    out = np.full(len(features), None, dtype=object)
    try:
        if idx:
            out[idx] = shapely.from_geojson([texts[i] for i in idx])
    except (shapely.errors.GEOSException, ValueError, TypeError):
        out[idx] = [shape(features[i]["geometry"]) for i in idx]
    return list(out)


def _polygonal(geom: Any) -> Any:
    """The polygon parts of ``geom`` (a repaired geometry may be a collection with lines/points)."""
    if geom is None or geom.is_empty or isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, (Polygon, MultiPolygon))]
    polys = [p for g in parts for p in (g.geoms if isinstance(g, MultiPolygon) else [g])]
    if not polys:
        return None
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _check_rd(geoms: gpd.GeoSeries, codes: pd.Series, url: str) -> None:
    """Refuse coordinates that are not RD New metres in the Netherlands (degrees, swapped axes, garbage)."""
    bounds = geoms.bounds.to_numpy()
    ok_rows = ~np.isnan(bounds).any(axis=1)
    if not ok_rows.any():
        return
    b = bounds[ok_rows]
    minx, miny, maxx, maxy = RD_BOUNDS
    inside = (b[:, 0] >= minx) & (b[:, 2] <= maxx) & (b[:, 1] >= miny) & (b[:, 3] <= maxy)
    if inside.all():
        return
    bad = int(np.argmin(inside))
    code = codes[ok_rows].iloc[bad]
    x0, y0 = b[bad, 0], b[bad, 1]
    if (np.abs(b[:, [0, 2]]) <= 180).all() and (np.abs(b[:, [1, 3]]) <= 90).all():
        why_nl, why_en = ("de getallen zijn graden (lengte/breedte, CRS84) in plaats van RD-meters",
                          "the numbers are degrees (lon/lat, CRS84) instead of RD metres")
    elif miny <= x0 <= maxy and minx <= y0 <= maxx:
        why_nl, why_en = "de x- en y-as zijn verwisseld", "the x and y axes are swapped"
    else:
        why_nl, why_en = "ze liggen buiten Nederland", "they lie outside the Netherlands"
    raise FetchError(
        f"PDOK-coördinaten zijn geen RD New (EPSG:28992): {why_nl} (bijv. {code}: x={x0:.6g}, y={y0:.6g}; "
        f"verwacht x 0–300 000, y 289 000–629 000). URL: {url}. De grenzen zijn niet gebruikt.",
        f"PDOK coordinates are not RD New (EPSG:28992): {why_en} (e.g. {code}: x={x0:.6g}, y={y0:.6g}; "
        f"expected x 0-300,000, y 289,000-629,000). URL: {url}. The boundaries were not used.", url=url)


def _numeric(series: pd.Series) -> pd.Series | None:
    """float64 with -99997/-99999999 -> NaN if every non-null value is a number, else None."""
    values = series.dropna()
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    out = pd.to_numeric(series, errors="coerce").astype("float64")
    return out.mask(out.isin(MISSING_VALUES))


def _to_frame(features: list[dict], codes: list[str] | None, year: int, level: str, url: str) -> gpd.GeoDataFrame:
    code_prop, name_prop = CODE_PROPERTY[level], NAME_PROPERTY[level]
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    if code_prop not in props.columns:
        raise FetchError(f"PDOK-objecten zonder '{code_prop}' ({url}).", f"PDOK features without '{code_prop}' ({url}).",
                         url=url)
    geoms = _geometries(features)
    region = props[code_prop].map(lambda v: None if v is None else str(v).strip())
    gm = region.map(lambda c: None if c is None else gemeente_of(c))
    if "gemeentecode" in props.columns:
        served_gm = props["gemeentecode"].map(lambda v: None if v is None else str(v).strip())
        gm = served_gm.where(served_gm.notna(), gm)
    keep = region.notna() & (gm.notna() if codes is None else gm.isin(codes))
    if not keep.all():           # check_features refuses such answers before; never dropped silently here
        outside = sorted(set(region[~keep].fillna("?")))
        raise _bad_answer(f"PDOK leverde {len(outside)} objecten buiten de gevraagde gemeenten ({', '.join(outside[:3])}; "
                          f"{url}); niet gebruikt.", f"PDOK delivered {len(outside)} features outside the requested "
                          f"gemeenten ({', '.join(outside[:3])}; {url}); not used.", url)
    if region.duplicated().any():
        dup = region[region.duplicated()].iloc[0]
        raise _bad_answer(f"PDOK leverde {dup} twee keer ({url}); de paginering is onbetrouwbaar, probeer opnieuw.",
                          f"PDOK delivered {dup} twice ({url}); paging is unreliable, try again.", url)

    gs = gpd.GeoSeries(geoms, crs=RD_NEW)
    _check_rd(gs, region, url)

    invalid = ~gs.is_valid & gs.notna() & ~gs.is_empty
    repaired_codes = sorted(region[invalid.to_numpy()])
    if invalid.any():
        gs[invalid] = gs[invalid].make_valid().map(_polygonal)
    gs = gs.map(_polygonal)
    empty_codes = sorted(region[(gs.isna() | gs.is_empty).to_numpy()])
    if empty_codes:
        log.warning("%d grenzen zonder (vlak)geometrie: %s", len(empty_codes), empty_codes[:5])

    out = pd.DataFrame({
        "code": region.astype(object),
        "level": level,
        "name": props[name_prop].map(lambda v: None if v is None else str(v).strip()) if name_prop in props else None,
        "gemeente_code": region.map(gemeente_of),
        "year": np.int64(year),
    })
    skip = {code_prop, name_prop} | ({"gemeentecode"} if level == "gemeente" else set())
    extra: dict[str, pd.Series] = {}
    for col in props.columns:
        if col in skip or col in out.columns:
            continue
        num = _numeric(props[col])
        if num is not None:
            extra[col] = num
        else:
            extra[col] = props[col].map(
                lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)).astype(object)
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    frame = gpd.GeoDataFrame(out, geometry=gs.values, crs=RD_NEW)
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    frame.attrs = {"geometry": {"repaired": len(repaired_codes), "repaired_codes": repaired_codes[:50],
                                "empty_codes": empty_codes}}
    return frame


# The national pass lives in its own module; these names stay importable from here (the page layer does).
from data.pdok_national import load_boundaries_each, load_boundaries_national
