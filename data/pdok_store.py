"""Versioned storage of PDOK boundaries in :mod:`data.cache`: keys, kept versions, the copy to fall back on.

One entry per gemeente (kind ``boundaries``; the national pass: gemeenten ``NL``), every fetched version kept
as for the KWB tables, one version per distinct content. A refresh never makes a version with fewer features
current without ``allow_fewer``; when PDOK gives no usable answer the kept copy is shown, marked ``stale``.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd

from data import cache

log = logging.getLogger(__name__)


def boundaries_key(year: int, level: str, gemeente: str | None) -> cache.CacheKey:
    """Cache key of one gemeente's boundaries (``gemeente=None``: the whole collection, see data.pdok_national)."""
    return cache.CacheKey.make("boundaries", int(year), level, [gemeente] if gemeente else "NL")


def from_cache(hit: tuple[pd.DataFrame, dict], *, stale: bool) -> gpd.GeoDataFrame:
    """The frame of a cache hit with ``attrs["source"]`` saying so: ``from_cache``, ``stale``, ``age_days``,
    ``fetched_at`` of the manifest."""
    frame, manifest = hit
    attrs = dict(frame.attrs)
    source = dict(attrs.get("source") or {})
    age = cache.age_days(manifest)
    source.update(
        {
            "from_cache": True,
            "stale": stale,
            "age_days": None if age is None else round(age, 3),
            "fetched_at": manifest.get("fetched_at"),
        }
    )
    attrs["source"] = source
    frame.attrs = attrs
    return frame


def store_versioned(
    key: cache.CacheKey, frame: gpd.GeoDataFrame, *, allow_fewer: bool, what: str, what_en: str
) -> gpd.GeoDataFrame:
    """Cache ``frame`` as a kept version of ``key`` (data.cache versions, as the KWB tables; one version per
    distinct content, a refresh with the same features only renews ``fetched_at``) and return it,
    unless it has fewer features than the current version (or, when the current manifest is gone, the largest
    intact kept one) and ``allow_fewer`` is False: then that version stays current and is returned, marked
    ``stale`` with ``source["refused"] = {"rows_new", "rows_kept"}`` and the reason in ``error``/``error_en``.
    A cache that cannot store (read-only, full): ``frame`` is returned all the same, see :func:`store`."""
    kept = fallback(key)
    if kept is not None and len(frame) < len(kept[0]) and not allow_fewer:
        n_new, n_kept = len(frame), len(kept[0])
        log.warning("PDOK leverde %d %s, de bewaarde versie heeft er %d; bewaarde versie blijft", n_new, what, n_kept)
        out = from_cache(kept, stale=True)
        out.attrs["source"].update(
            refused={"rows_new": n_new, "rows_kept": n_kept},
            error=f"PDOK leverde nu {n_new} {what}, de bewaarde versie heeft er {n_kept}; de bewaarde versie blijft "
            "in gebruik (alleen een beheerder kan de kleinere versie bevestigen).",
            error_en=f"PDOK now delivered {n_new} {what_en}, the kept version has {n_kept}; the kept version stays in "
            "use (only an administrator can confirm the smaller version).",
        )
        return out
    src = frame.attrs["source"]
    # PDOK's timeStamp is the time of the answer, not of the data: as the version's "modified" it would make
    # every refresh a new version of the same content. The version is the content (sha256); the timeStamp
    # stays in attrs["source"]["modified"].
    manifest = store(
        key,
        frame,
        {"source_url": src["url"], "table_id": src["table_id"], "modified": None, "fetched_at": src["fetched_at"]},
        keep_versions=True,
    )
    src["fetched_at"] = manifest["fetched_at"]
    src["version"] = manifest.get("version")
    return frame


def store(key: cache.CacheKey, frame: pd.DataFrame, manifest: dict, **kw) -> dict:
    """``cache.put`` for a fresh PDOK answer, except that storage which takes no new data (read-only replica
    cache, full disk) is not fatal: the frame is still returned (drawn) and ``attrs["source"]`` gets
    ``not_stored: True`` and ``notices`` (``[{"nl", "en"}]``, "Deze server kan geen nieuwe gegevens opslaan ...",
    see :func:`data.cache.put_or_keep`); ``version`` is then None."""
    notices: list[dict] = []
    manifest = cache.put_or_keep(key, frame, manifest, notices=notices, **kw)
    if notices:
        src = frame.attrs["source"]
        src["not_stored"] = True
        src["notices"] = [*(src.get("notices") or ()), *notices]
    return manifest


def fallback(
    key: cache.CacheKey, year: int | None = None, level: str | None = None, gm: str | None = None
) -> tuple[pd.DataFrame, dict] | None:
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
        if (
            k is None
            or k == key
            or k.year != year
            or k.level != level
            or (k.gemeenten != "NL" and gm not in k.gemeenten)
        ):
            continue
        other = cache.get(k)
        if other is not None and "gemeente_code" in other[0].columns:
            part = other[0][other[0]["gemeente_code"] == gm].reset_index(drop=True)
            if len(part):
                part.attrs = dict(other[0].attrs)
                return part, other[1]
    return None
