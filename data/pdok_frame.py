"""PDOK features as tidy frames: codes, names, ``gemeente_code``, year, the attributes as served, geometry.

GEOS reads the GeoJSON in one vectorised call; geometries are repaired with ``shapely.make_valid`` (polygon parts
kept) and the number repaired is reported in ``attrs["geometry"]``, nothing is dropped silently. Numbers become
float64 with PDOK's placeholders (``-99997``, ``-99999999``) as NaN. Codes are checked (in the requested
gemeenten, none twice) and coordinates must be RD metres (:mod:`data.pdok_check`). Per-gemeente frames are
combined into one with their ``attrs`` merged (:func:`combine`).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from core.codes import gemeente_of
from core.crs import RD_NEW
from core.errors import FetchError
from core.values import clean_numbers
from data import http, pdok_fetch
from data.pdok_check import check_codes, check_rd
from data.pdok_service import CODE_PROPERTY, COLLECTION, NAME_PROPERTY, items_url

log = logging.getLogger(__name__)


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


def _as_numbers(series: pd.Series) -> pd.Series | None:
    """float64 through core.values.clean_numbers (PDOK's placeholders NaN) if every non-null value is a number
    (a numeric attribute), else None (a text attribute, kept as served)."""
    values = series.dropna()
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return None
    return clean_numbers(series)


def to_frame(features: list[dict], codes: list[str] | None, year: int, level: str, url: str) -> gpd.GeoDataFrame:
    """Features of ``level`` as a frame in RD New sorted by code (``codes``: the gemeenten asked, None: all);
    ``attrs["geometry"]``: ``repaired`` (count), ``repaired_codes``, ``empty_codes``."""
    code_prop, name_prop = CODE_PROPERTY[level], NAME_PROPERTY[level]
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    if code_prop not in props.columns:
        raise FetchError(
            f"PDOK-objecten zonder '{code_prop}' ({url}).", f"PDOK features without '{code_prop}' ({url}).", url=url
        )
    geoms = _geometries(features)
    region = props[code_prop].map(lambda v: None if v is None else str(v).strip())
    gm = region.map(lambda c: None if c is None else gemeente_of(c))
    if "gemeentecode" in props.columns:
        served_gm = props["gemeentecode"].map(lambda v: None if v is None else str(v).strip())
        gm = served_gm.where(served_gm.notna(), gm)
    check_codes(region, gm, codes, url)

    gs = gpd.GeoSeries(geoms, crs=RD_NEW)
    check_rd(gs, region, url)

    invalid = ~gs.is_valid & gs.notna() & ~gs.is_empty
    repaired_codes = sorted(region[invalid.to_numpy()])
    if invalid.any():
        gs[invalid] = gs[invalid].make_valid().map(_polygonal)
    gs = gs.map(_polygonal)
    empty_codes = sorted(region[(gs.isna() | gs.is_empty).to_numpy()])
    if empty_codes:
        log.warning("%d grenzen zonder (vlak)geometrie: %s", len(empty_codes), empty_codes[:5])

    out = pd.DataFrame(
        {
            "code": region.astype(object),
            "level": level,
            "name": props[name_prop].map(lambda v: None if v is None else str(v).strip())
            if name_prop in props
            else None,
            "gemeente_code": region.map(gemeente_of),
            "year": np.int64(year),
        }
    )
    skip = {code_prop, name_prop} | ({"gemeentecode"} if level == "gemeente" else set())
    extra: dict[str, pd.Series] = {}
    for col in props.columns:
        if col in skip or col in out.columns:
            continue
        num = _as_numbers(props[col])
        if num is not None:
            extra[col] = num
        else:
            extra[col] = (
                props[col]
                .map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
                .astype(object)
            )
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    frame = gpd.GeoDataFrame(out, geometry=gs.values, crs=RD_NEW)
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    frame.attrs = {
        "geometry": {"repaired": len(repaired_codes), "repaired_codes": repaired_codes[:50], "empty_codes": empty_codes}
    }
    return frame


def attribute_frame(features: list[dict], year: int, url: str) -> pd.DataFrame:
    """Land features of the gemeenten collection as a tidy attribute frame (see data.pdok.load_gemeente_attributes)."""
    props = pd.DataFrame([f.get("properties") or {} for f in features])
    if "gemeentecode" not in props.columns:
        raise FetchError(
            f"PDOK-objecten zonder 'gemeentecode' ({url}).", f"PDOK features without 'gemeentecode' ({url}).", url=url
        )
    water = (
        props["water"].map(lambda v: str(v).strip().upper() if v is not None else "")
        if "water" in props.columns
        else pd.Series("", index=props.index)
    )
    land = (water != "JA").to_numpy()
    n_water = int((~land).sum())
    props = props[land].reset_index(drop=True)
    code = props["gemeentecode"].map(lambda v: None if v is None else str(v).strip())
    if code.isna().any():
        raise FetchError(
            f"PDOK-gemeente zonder gemeentecode ({url}).", f"PDOK gemeente without a gemeentecode ({url}).", url=url
        )
    if code.duplicated().any():
        dup = code[code.duplicated()].iloc[0]
        raise FetchError(
            f"PDOK leverde {dup} twee keer als land-object ({url}); probeer opnieuw.",
            f"PDOK delivered {dup} twice as a land feature ({url}); try again.",
            url=url,
        )
    out = pd.DataFrame(
        {
            "code": code.astype(object),
            "level": "gemeente",
            "name": props["gemeentenaam"].map(lambda v: None if v is None else str(v).strip())
            if "gemeentenaam" in props.columns
            else None,
            "gemeente_code": code.astype(object),
            "year": np.int64(year),
        }
    )
    extra: dict[str, pd.Series] = {}
    for col in props.columns:
        if col in ("gemeentecode", "gemeentenaam"):
            continue
        num = _as_numbers(props[col])
        extra[col] = (
            num
            if num is not None
            else props[col]
            .map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
            .astype(object)
        )
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    out.attrs = {
        "source": {
            "table_id": f"wijken-en-buurten-{year}/gemeenten",
            "year": year,
            "url": url,
            "modified": None,
            "fetched_at": http.utc_now_iso(),
            "from_cache": False,
            "stale": False,
            "age_days": 0.0,
            "n_gemeenten": len(out),
            "n_water": n_water,
        }
    }
    return out


def combine(frames: list[gpd.GeoDataFrame], year: int, level: str) -> gpd.GeoDataFrame:
    """Per-gemeente frames as one, sorted by code; ``attrs`` merged: ``source`` (oldest ``fetched_at``, newest
    ``modified``, ``from_cache`` all, ``stale`` any, errors, refusals and notices together), ``paging``, ``geometry``."""
    if len(frames) == 1:
        out = frames[0]
        out.attrs.setdefault("paging", {})
        return out
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=RD_NEW)
    out = out.sort_values("code", kind="stable").reset_index(drop=True)
    sources = [f.attrs.get("source") or {} for f in frames]
    ages = [a for a in (s.get("age_days") for s in sources) if a is not None]
    source = {
        "table_id": f"wijken-en-buurten-{year}/{COLLECTION[level]}",
        "year": year,
        "url": items_url(year, level),
        "modified": max((s["modified"] for s in sources if s.get("modified")), default=None),
        "fetched_at": min((s["fetched_at"] for s in sources if s.get("fetched_at")), default=None),
        "from_cache": all(s.get("from_cache") for s in sources),
        "stale": any(s.get("stale") for s in sources),
        "age_days": max(ages) if ages else None,
    }
    errors = [s for s in sources if s.get("error")]
    if errors:
        source.update(
            error=" ".join(s["error"] for s in errors), error_en=" ".join(s.get("error_en", "") for s in errors)
        )
    notices = [n for s in sources for n in s.get("notices") or ()]
    if notices:  # e.g. "kan geen nieuwe gegevens opslaan" (data.pdok_store.store): each text once
        source.update(
            not_stored=any(s.get("not_stored") for s in sources),
            notices=[n for i, n in enumerate(notices) if n["nl"] not in {m["nl"] for m in notices[:i]}],
        )
    refused = [s["refused"] for s in sources if s.get("refused")]
    if refused:
        source["refused"] = {
            "rows_new": sum(r["rows_new"] for r in refused),
            "rows_kept": sum(r["rows_kept"] for r in refused),
        }
    geo = [f.attrs.get("geometry") or {} for f in frames]
    paging: dict[str, Any] = {"page_limit": pdok_fetch.PAGE_LIMIT}
    for f in frames:
        paging.update({k: v for k, v in (f.attrs.get("paging") or {}).items() if k != "page_limit"})
    out.attrs = {
        "source": source,
        "paging": paging,
        "geometry": {
            "repaired": sum(g.get("repaired", 0) for g in geo),
            "repaired_codes": [c for g in geo for c in g.get("repaired_codes", [])][:50],
            "empty_codes": [c for g in geo for c in g.get("empty_codes", [])],
        },
    }
    return out


def fresh_attrs(frame: gpd.GeoDataFrame, year: int, level: str, url: str, info: dict, key: str) -> dict:
    """``attrs`` of boundaries just fetched: the source (collection, year, URL, PDOK's timestamp, fetch time,
    not from cache), the geometry report and the paging of ``key`` (a gemeente code, or ``NL``)."""
    return {
        "source": {
            "table_id": f"wijken-en-buurten-{year}/{COLLECTION[level]}",
            "year": year,
            "url": url,
            "modified": info.pop("timestamp"),
            "fetched_at": http.utc_now_iso(),
            "from_cache": False,
            "stale": False,
            "age_days": 0.0,
        },
        "geometry": frame.attrs["geometry"],
        "paging": {key: info, "page_limit": pdok_fetch.PAGE_LIMIT},
    }
