"""Boundaries of the whole country from PDOK: one paged pass over a collection, one versioned cache entry.

``load_boundaries_national(year, level)`` (``wijk`` or ``buurt``) pages the whole ``wijken``/``buurten``
collection of the Wijk- en Buurtkaart (pages of ``data.pdok_fetch.PAGE_LIMIT`` = 1 000 features, the service's cap;
every ``next`` link once) instead of one request series per gemeente, and checks the answer as
:func:`data.pdok.load_boundaries` does (issue 22): ``numberMatched`` when the server gives it (else the sum of
``numberReturned``) against the features received, no code twice, every feature naming its gemeente, and an
empty collection is an error (asked again once, never cached). The frame is cached as **one** entry
(kind ``boundaries``, gemeenten ``NL``) with every fetched version kept (``data.cache`` versions, as the KWB
tables); a refresh with fewer features than the kept version keeps that version unless ``allow_fewer``.

``load_boundaries_each(gemeenten, year, level)`` is what the page layer calls for "Heel Nederland": for
``NATIONAL_FROM`` or more gemeenten it takes them from the national frame (one cache entry, ~15 pages for all
buurten), otherwise :func:`data.pdok.load_boundaries`; either way the gemeenten without boundaries are named,
never fatal for the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import geopandas as gpd

from core.codes import normalise_gemeente, normalise_level
from core.errors import FetchError, UserInputError
from data import cache, http, pdok, pdok_fetch
from data.pdok_check import check_features
from data.pdok_frame import fresh_attrs, to_frame
from data.pdok_service import COLLECTION, Progress, check_year, items_url
from data.pdok_store import boundaries_key, fallback, from_cache, store_versioned

log = logging.getLogger(__name__)

#: From this many gemeenten on, load_boundaries_each pages the whole collection once instead.
NATIONAL_FROM = 40
NATIONAL_LEVELS = ("wijk", "buurt")


def load_boundaries_national(
    year: int, level: str, *, refresh: bool = False, progress: Progress | None = None, allow_fewer: bool = False
) -> gpd.GeoDataFrame:
    """Every ``level`` (``wijk``/``buurt``) boundary of the Netherlands in ``year``, EPSG:28992.

    Columns as :func:`data.pdok.load_boundaries`. ``attrs["source"]`` as there (``from_cache``, ``stale``,
    ``age_days``, ``version``; ``error``/``refused`` when a kept version is shown instead of the answer);
    ``attrs["paging"]["NL"]``: ``pages``, ``features``, ``number_matched`` (None when the server gives none).
    """
    level = normalise_level(level)
    if level not in NATIONAL_LEVELS:
        raise UserInputError(
            f"Landelijke grenzen alleen voor wijken of buurten, niet voor '{level}'.",
            f"National boundaries only for wijken or buurten, not for '{level}'.",
        )
    year = check_year(year)
    key = boundaries_key(year, level, None)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return from_cache(hit, stale=False)
    try:
        frame = _download(year, level, progress)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            kept = fallback(key)
            if kept is not None:
                log.warning(
                    "PDOK gaf geen bruikbare landelijke %s (%s); gecachte grenzen worden gebruikt",
                    COLLECTION[level],
                    exc.url,
                )
                stale = from_cache(kept, stale=True)
                stale.attrs["source"].update(error=exc.message, error_en=exc.message_en)
                return stale
        raise
    return store_versioned(
        key,
        frame,
        allow_fewer=allow_fewer,
        what=f"{COLLECTION[level]} van Nederland",
        what_en=f"{COLLECTION[level]} of the Netherlands",
    )


def _download(year: int, level: str, progress: Progress | None) -> gpd.GeoDataFrame:
    url = items_url(year, level)

    def report(text: str) -> None:
        if progress is not None:
            progress(0.5, f"Grenzen ophalen: {text}")

    problem: FetchError | None = None
    for attempt in range(pdok_fetch.ANSWER_ATTEMPTS):
        if attempt and problem is not None:  # a retry always follows a problem
            log.warning("%s; nieuwe poging %d/%d", problem.message, attempt, pdok_fetch.ANSWER_ATTEMPTS - 1)
            time.sleep(http.settings().delay(attempt - 1))
        try:
            feats, info = pdok_fetch.fetch_features(url, None, level, year, report)
        except FetchError as exc:
            if not getattr(exc, "bad_answer", False):
                raise
            problem = exc
            continue
        problem = check_features(feats, None, level, url, f"heel Nederland in {year}")
        if problem is None:
            break
    else:
        assert problem is not None
        raise problem
    frame = to_frame(feats, None, year, level, url)
    if progress is not None:
        progress(1.0, "Grenzen opgehaald")
    frame.attrs = fresh_attrs(frame, year, level, url, info, "NL")
    return frame


def load_boundaries_each(
    gemeenten: Sequence[str], year: int, level: str, *, refresh: bool = False
) -> tuple[gpd.GeoDataFrame | None, dict[str, str]]:
    """Boundaries of many gemeenten (e.g. all of the Netherlands): (the boundaries that could be loaded, or None
    when none could; ``{gemeente: reason}`` for those that could not). A gemeente without boundaries never hides
    the others. ``NATIONAL_FROM`` or more gemeenten at wijk/buurt level: from :func:`load_boundaries_national`
    (one paged pass, one cache entry); otherwise, or when that fails, :func:`data.pdok.load_boundaries`.
    """
    codes = sorted({normalise_gemeente(g) for g in gemeenten})
    level = normalise_level(level)
    if len(codes) >= NATIONAL_FROM and level in NATIONAL_LEVELS:
        try:
            nat = load_boundaries_national(year, level, refresh=refresh)
        except FetchError as exc:  # per gemeente below: their own cache entries may still be there
            log.warning("Landelijke grenzen niet beschikbaar (%s); per gemeente geprobeerd", exc.message)
        else:
            part = nat[nat["gemeente_code"].isin(codes)].reset_index(drop=True)
            part.attrs = dict(nat.attrs)
            present = set(part["gemeente_code"])
            coll = COLLECTION[level]
            absent = [gm for gm in codes if gm not in present]
            missing = {
                gm: f"De landelijke PDOK-collectie {coll} van {year} heeft geen {coll} van {gm}." for gm in absent
            }
            part.attrs.update(
                missing=missing,
                missing_kind={gm: "absent" for gm in absent},
                missing_en={gm: f"PDOK's national {coll} collection of {year} has no {coll} of {gm}." for gm in absent},
            )
            return (part if len(part) else None), missing
    try:
        gdf = pdok.load_boundaries(codes, year, level, refresh=refresh)
    except (UserInputError, FetchError) as exc:
        return None, {gm: exc.message for gm in codes}
    return gdf, dict(gdf.attrs.get("missing") or {})
