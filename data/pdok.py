"""Boundaries of gemeenten, wijken and buurten from PDOK (CBS Wijk- en Buurtkaart, OGC API Features).

``load_boundaries(gemeenten, year, level)`` returns a GeoDataFrame in RD New (EPSG:28992) with the columns of
docs/ARCHITECTURE.md (``code, level, name, gemeente_code, year, geometry`` + the PDOK attributes as served,
``-99997`` -> NaN). The boundary year is the statistics year: the URL is
``{STAPELKAART_PDOK_URL}/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{gemeenten|wijken|buurten}/items``.

What the service does that this module guards against:

* ``limit`` is silently capped at 1 000, so completeness is never assumed from one page: the cursor ``next``
  links are followed until there is none, with a loop guard (a repeated link) and a page cap.
* The total is checked against ``numberMatched`` when the server gives it, else against the sum of
  ``numberReturned``, and every feature's gemeentecode against the requested gemeente.
* The CRS must be asked with the full URI (``crs=EPSG:28992`` is a 400); the answer's ``Content-Crs`` header
  must name 28992 and the coordinates must lie in the Netherlands in RD metres (lon/lat degrees or swapped
  axes are refused with a FetchError that says so).
* Geometries are repaired with ``shapely.make_valid`` (polygon parts kept); the number repaired is reported
  in ``attrs["geometry"]``, nothing is dropped silently.

Results are cached with :mod:`data.cache` (a second call makes no request unless ``refresh``). When the
network fails and a cached copy exists, that copy is returned with ``attrs["source"]["stale"] = True`` and
its ``age_days``.

``progress``, if given, is called as ``progress(fraction: float, text: str)`` (fits ``st.progress``).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from data import cache, http
from data.codes import gemeente_of, normalise_gemeente, normalise_level
from data.errors import FetchError, UserInputError
from geo.crs import RD_NEW

log = logging.getLogger(__name__)

CRS_RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
PAGE_LIMIT = 1000            # the service caps ``limit`` at 1 000 without saying so
MAX_PAGES = 500              # per gemeente; Amsterdam buurten need 1 page of 1 000 (or 6 of 100)
MISSING_VALUES = (-99997, -99999999)
# RD New area of use (EPSG:28992), metres: x -7 000..300 000, y 289 000..629 000.
RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)

COLLECTION = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
CODE_PROPERTY = {"gemeente": "gemeentecode", "wijk": "wijkcode", "buurt": "buurtcode"}
NAME_PROPERTY = {"gemeente": "gemeentenaam", "wijk": "wijknaam", "buurt": "buurtnaam"}

Progress = Callable[[float, str], None]

__all__ = ["load_boundaries", "load_gemeente_attributes", "items_url", "PAGE_LIMIT", "RD_NEW", "CRS_RD_URI"]


def items_url(year: int, level: str) -> str:
    """The items URL of the collection for ``level`` in the Wijk- en Buurtkaart of ``year`` (env read now)."""
    return f"{http.pdok_url()}/cbs/wijken-en-buurten-{int(year)}/ogc/v1/collections/{COLLECTION[level]}/items"


# ------------------------------------------------------------------------------------------- public
def load_boundaries(gemeenten: Sequence[str], year: int, level: str, *, refresh: bool = False,
                    progress: Progress | None = None) -> gpd.GeoDataFrame:
    """Boundaries of ``level`` (``gemeente|wijk|buurt``) in ``gemeenten`` for ``year``, EPSG:28992.

    ``attrs["source"]``: ``table_id`` (``wijken-en-buurten-{year}/{collection}``), ``year``, ``url``,
    ``modified`` (server timeStamp), ``fetched_at``, ``from_cache``, ``stale``, ``age_days``.
    ``attrs["geometry"]``: ``repaired`` (count), ``repaired_codes``, ``empty_codes``.
    ``attrs["paging"]``: ``pages``, ``features``, ``number_matched`` per gemeente.
    """
    if isinstance(gemeenten, str):
        gemeenten = [gemeenten]
    codes = sorted({normalise_gemeente(g) for g in gemeenten})
    if not codes:
        raise UserInputError("Kies minstens één gemeente (bijv. GM0479 Zaanstad).",
                             "Choose at least one gemeente (e.g. GM0479 Zaanstad).")
    level = normalise_level(level)
    year = _check_year(year)
    key = cache.CacheKey.make("boundaries", year, level, codes)

    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return _from_cache(hit, stale=False)

    try:
        frame = _download(codes, year, level, progress)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            hit = cache.get(key)
            if hit is not None:
                log.warning("PDOK onbereikbaar (%s); gecachte grenzen worden gebruikt", exc.url)
                stale = _from_cache(hit, stale=True)
                stale.attrs["source"]["error"] = exc.message
                return stale
        raise
    manifest = cache.put(key, frame, {
        "source_url": frame.attrs["source"]["url"], "table_id": frame.attrs["source"]["table_id"],
        "modified": frame.attrs["source"]["modified"], "fetched_at": frame.attrs["source"]["fetched_at"],
    })
    frame.attrs["source"]["fetched_at"] = manifest["fetched_at"]
    return frame


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
            raise FetchError(
                f"PDOK-pagina zegt {n_returned} objecten maar bevat er {len(batch)} ({shown}).",
                f"PDOK page says {n_returned} features but holds {len(batch)} ({shown}).", url=shown)
        returned_sum += len(batch)
        if page.get("numberMatched") is not None:
            number_matched = int(page["numberMatched"])
        timestamp = timestamp or page.get("timeStamp")
        features.extend(batch)
        report(f"{COLLECTION[level]} {gm_text}: {len(features)} objecten, pagina {pages}")
    expected = number_matched if number_matched is not None else returned_sum
    if len(features) != expected:
        raise FetchError(
            f"PDOK leverde {len(features)} {COLLECTION[level]} voor {gm_text}, maar meldde {expected} ({url}). "
            "Probeer later opnieuw.",
            f"PDOK delivered {len(features)} {COLLECTION[level]} for {gm_text} but announced {expected} ({url}). "
            "Try again later.", url=url)
    return features, {"pages": pages, "features": len(features), "number_matched": number_matched,
                      "timestamp": timestamp}


def _download(codes: list[str], year: int, level: str, progress: Progress | None) -> gpd.GeoDataFrame:
    url = items_url(year, level)
    features: list[dict] = []
    paging: dict[str, dict] = {}
    for i, gm in enumerate(codes):
        def report(text: str, i: int = i) -> None:
            if progress is not None:
                progress(min(1.0, i / len(codes)), f"Grenzen ophalen: {text}")

        feats, info = _fetch_gemeente(url, gm, level, year, report)
        if not feats:
            raise UserInputError(
                f"PDOK heeft geen {COLLECTION[level]} voor {gm} in {year} ({url}). Controleer de gemeentecode "
                "en het jaar (gemeentelijke herindeling?).",
                f"PDOK has no {COLLECTION[level]} for {gm} in {year} ({url}). Check the gemeente code and the "
                "year (municipal merger?).")
        features.extend(feats)
        paging[gm] = info
    if progress is not None:
        progress(1.0, "Grenzen opgehaald")
    frame = _to_frame(features, codes, year, level, url)
    timestamps = [p.pop("timestamp") for p in paging.values()]
    frame.attrs = {
        "source": {"table_id": f"wijken-en-buurten-{year}/{COLLECTION[level]}", "year": year, "url": url,
                   "modified": max((t for t in timestamps if t), default=None), "fetched_at": http.utc_now_iso(),
                   "from_cache": False, "stale": False, "age_days": 0.0},
        "geometry": frame.attrs["geometry"],
        "paging": {**paging, "page_limit": PAGE_LIMIT},
        "dropped": frame.attrs["dropped"],
    }
    return frame


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


def _to_frame(features: list[dict], codes: list[str], year: int, level: str, url: str) -> gpd.GeoDataFrame:
    code_prop, name_prop = CODE_PROPERTY[level], NAME_PROPERTY[level]
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    if code_prop not in props.columns:
        raise FetchError(f"PDOK-objecten zonder '{code_prop}' ({url}).", f"PDOK features without '{code_prop}' ({url}).",
                         url=url)
    geoms = [None if f.get("geometry") is None else shape(f["geometry"]) for f in features]
    region = props[code_prop].map(lambda v: None if v is None else str(v).strip())
    gm = region.map(lambda c: None if c is None else gemeente_of(c))
    if "gemeentecode" in props.columns:
        served_gm = props["gemeentecode"].map(lambda v: None if v is None else str(v).strip())
        gm = served_gm.where(served_gm.notna(), gm)
    keep = gm.isin(codes) & region.notna()
    dropped = sorted(set(region[~keep].dropna()))
    if dropped:
        log.warning("PDOK leverde %d objecten buiten de gevraagde gemeenten; weggelaten: %s", len(dropped), dropped[:5])
    if region[keep].duplicated().any():
        dup = region[keep][region[keep].duplicated()].iloc[0]
        raise FetchError(f"PDOK leverde {dup} twee keer ({url}); de paginering is onbetrouwbaar, probeer opnieuw.",
                         f"PDOK delivered {dup} twice ({url}); paging is unreliable, try again.", url=url)

    gs = gpd.GeoSeries(geoms, crs=RD_NEW)[keep.to_numpy()].reset_index(drop=True)
    props = props[keep.to_numpy()].reset_index(drop=True)
    region = region[keep].reset_index(drop=True)
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
                                "empty_codes": empty_codes},
                   "dropped": {"outside_selection": dropped[:50], "count": len(dropped)}}
    return frame


def load_boundaries_each(gemeenten: Sequence[str], year: int, level: str, *, workers: int = 8,
                         refresh: bool = False) -> tuple[gpd.GeoDataFrame | None, dict[str, str]]:
    """Boundaries of many gemeenten (e.g. all of the Netherlands), one :func:`load_boundaries` per gemeente
    (each cached on its own) fetched in parallel by at most ``workers`` threads.

    Returns (the boundaries that could be loaded, EPSG:28992, or None when none could; ``{gemeente: reason}``
    for those that could not). A gemeente without boundaries never hides the others.
    """
    from concurrent.futures import ThreadPoolExecutor

    codes = sorted({normalise_gemeente(g) for g in gemeenten})

    def one(gm: str):
        try:
            return gm, load_boundaries([gm], year, level, refresh=refresh), None
        except (UserInputError, FetchError) as exc:  # this gemeente is left out and named, the rest is drawn
            return gm, None, exc.message

    with ThreadPoolExecutor(max_workers=max(1, min(int(workers), 16))) as pool:
        results = list(pool.map(one, codes))
    frames = [f for _, f, _ in results if f is not None and len(f)]
    missing = {gm: reason for gm, _, reason in results if reason is not None}
    if not frames:
        return None, missing
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    out.attrs = {"source": dict(frames[0].attrs.get("source", {})), "missing": missing}
    return out, missing
