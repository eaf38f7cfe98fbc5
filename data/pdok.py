"""Boundaries of gemeenten, wijken and buurten from PDOK (CBS Wijk- en Buurtkaart, OGC API Features).

``load_boundaries(gemeenten, year, level)`` returns a GeoDataFrame in RD New (EPSG:28992) with the columns of
docs/ARCHITECTURE.md (``code, level, name, gemeente_code, year, geometry`` + the PDOK attributes as served,
``-99997`` -> NaN). The boundary year is the statistics year (URL layout: :mod:`data.pdok_service`).

The loader is split by job:

* :mod:`data.pdok_fetch` pages through a collection (``limit`` is silently capped at 1 000: ``next`` links
  followed, loop guard, page cap);
* :mod:`data.pdok_check` checks each answer: ``numberMatched`` (else the sum of ``numberReturned``) against
  the features received, every feature inside the requested gemeente, no code twice, the CRS header and RD
  coordinates. An empty answer for a gemeente PDOK lists is an error. Impossible answers are asked again once
  (``data.pdok_fetch.ANSWER_ATTEMPTS``), then reported and never cached;
* :mod:`data.pdok_frame` turns features into frames (geometries repaired with ``shapely.make_valid``, the
  number repaired in ``attrs["geometry"]``, nothing dropped silently);
* :mod:`data.pdok_store` keeps every fetched version in :mod:`data.cache`, one entry per gemeente (a second
  call makes no request unless ``refresh``); a refresh never makes a version with fewer features current
  without ``allow_fewer``. When the network fails and a cached copy exists, that copy is returned with
  ``attrs["source"]["stale"] = True`` and its ``age_days``. A cache that takes no new data (read-only replica,
  full disk) never costs the map: the fetched frame is returned with ``not_stored`` and ``notices``.

A gemeente without boundaries is named in ``attrs["missing"]`` and never takes the others down. The whole
country in one paged pass: :mod:`data.pdok_national`.

``progress``, if given, is called as ``progress(fraction: float, text: str)`` (fits ``st.progress``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence

import geopandas as gpd
import pandas as pd

from core.codes import normalise_gemeente, normalise_level
from core.errors import FetchError, StapelkaartError, UserInputError
from data import cache, http, pdok_fetch
from data.pdok_check import bad_answer, check_features
from data.pdok_frame import attribute_frame, combine, fresh_attrs, to_frame
from data.pdok_service import COLLECTION, Progress, check_year, items_url
from data.pdok_store import boundaries_key, fallback, from_cache, store, store_versioned

log = logging.getLogger(__name__)

__all__ = ["load_boundaries", "load_gemeente_attributes", "missing_message"]


def load_boundaries(
    gemeenten: Sequence[str],
    year: int,
    level: str,
    *,
    refresh: bool = False,
    progress: Progress | None = None,
    allow_fewer: bool = False,
) -> gpd.GeoDataFrame:
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
        raise UserInputError(
            "Kies minstens één gemeente (bijv. GM0479 Zaanstad).",
            "Choose at least one gemeente (e.g. GM0479 Zaanstad).",
        )
    level = normalise_level(level)
    year = check_year(year)
    frames: list[gpd.GeoDataFrame] = []
    errors: dict[str, StapelkaartError] = {}
    down: FetchError | None = None  # PDOK did not answer: the rest comes from the cache only
    for i, gm in enumerate(codes):

        def report(text: str, i: int = i) -> None:
            if progress is not None:
                progress(min(1.0, i / len(codes)), f"Grenzen ophalen: {text}")

        try:
            frames.append(
                _load_one(gm, year, level, refresh=refresh, allow_fewer=allow_fewer, report=report, down=down)
            )
        except _GemeenteAbsent as exc:
            errors[gm] = exc
        except FetchError as exc:
            errors[gm] = exc
            if getattr(exc, "transient", False) and not getattr(exc, "bad_answer", False) and down is None:
                down = exc  # no usable answer after the retries (no connection, 5xx): PDOK is down
    if progress is not None:
        progress(1.0, "Grenzen opgehaald")
    if not frames:
        raise _all_missing(codes, errors, year, level)
    frame = combine(frames, year, level)
    frame.attrs["missing"] = {gm: exc.message for gm, exc in errors.items()}
    frame.attrs["missing_en"] = {gm: exc.message_en for gm, exc in errors.items()}
    frame.attrs["missing_kind"] = {
        gm: "absent" if isinstance(exc, _GemeenteAbsent) else "failed" for gm, exc in errors.items()
    }
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
        head = (
            f"No boundaries for {shown}{f' and {more} other gemeenten' if more > 0 else ''}; the map shows "
            f"{', '.join(drawn[:limit]) or 'nothing'}{f' and {len(drawn) - limit} more' if len(drawn) > limit else ''}. "
        )
        tail = f"For example {codes[0]}: {missing[codes[0]]}" if more > 0 else ""
    else:
        head = (
            f"Geen grenzen voor {shown}{f' en {more} andere gemeenten' if more > 0 else ''}; de kaart toont "
            f"{', '.join(drawn[:limit]) or 'niets'}{f' en {len(drawn) - limit} meer' if len(drawn) > limit else ''}. "
        )
        tail = f"Bijvoorbeeld {codes[0]}: {missing[codes[0]]}" if more > 0 else ""
    return head + (tail or " ".join(f"{gm}: {why}" for gm, why in missing.items()))


def load_gemeente_attributes(year: int, *, refresh: bool = False, progress: Progress | None = None) -> pd.DataFrame:
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
    year = check_year(year)
    key = cache.CacheKey.make("pdok-attributes", year, "gemeente", None)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return from_cache(hit, stale=False)
    url = items_url(year, "gemeente")

    def report(text: str) -> None:
        if progress is not None:
            progress(0.5, f"Gemeentekenmerken ophalen: {text}")

    try:
        features, info = pdok_fetch.fetch_features(url, None, "gemeente", year, report)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            hit = cache.get(key)
            if hit is not None:
                log.warning("PDOK onbereikbaar (%s); gecachte gemeentekenmerken worden gebruikt", exc.url)
                stale = from_cache(hit, stale=True)
                stale.attrs["source"]["error"] = exc.message
                return stale
        raise
    if progress is not None:
        progress(1.0, "Gemeentekenmerken opgehaald")
    frame = attribute_frame(features, year, url)
    frame.attrs["source"].update({"modified": info["timestamp"], "pages": info["pages"]})
    manifest = store(
        key,
        frame,
        {
            "source_url": url,
            "table_id": frame.attrs["source"]["table_id"],
            "modified": info["timestamp"],
            "fetched_at": frame.attrs["source"]["fetched_at"],
        },
    )
    frame.attrs["source"]["fetched_at"] = manifest["fetched_at"]
    return frame


# ------------------------------------------------------------------------------------ one gemeente
class _GemeenteAbsent(UserInputError):
    """PDOK does not know this gemeente in this year (its ``gemeenten`` collection has no such feature)."""


def _load_one(
    gm: str,
    year: int,
    level: str,
    *,
    refresh: bool,
    allow_fewer: bool,
    report: Callable[[str], None],
    down: FetchError | None,
) -> gpd.GeoDataFrame:
    key = boundaries_key(year, level, gm)
    if not refresh:
        hit = cache.get(key)
        if hit is not None:
            return from_cache(hit, stale=False)
    try:
        if down is not None:
            raise down
        frame = _download_one(gm, year, level, report)
    except FetchError as exc:
        if getattr(exc, "transient", False):
            kept = fallback(key, year, level, gm)
            if kept is not None:
                log.warning(
                    "PDOK gaf geen bruikbare grenzen voor %s (%s); gecachte grenzen worden gebruikt", gm, exc.url
                )
                stale = from_cache(kept, stale=True)
                stale.attrs["source"].update(error=exc.message, error_en=exc.message_en)
                return stale
        raise
    return store_versioned(
        key,
        frame,
        allow_fewer=allow_fewer,
        what=f"{COLLECTION[level]} van {gm}",
        what_en=f"{COLLECTION[level]} of {gm}",
    )


def _download_one(gm: str, year: int, level: str, report: Callable[[str], None]) -> gpd.GeoDataFrame:
    """Fetch and check one gemeente; an impossible answer is asked again: ``ANSWER_ATTEMPTS`` tries in all."""
    url = items_url(year, level)
    problem: FetchError | None = None
    feats: list[dict] | None = None
    known: bool | None = None  # does PDOK list the gemeente (asked on an empty answer)?
    n_empty = 0
    for attempt in range(pdok_fetch.ANSWER_ATTEMPTS):
        if attempt and problem is not None:  # a retry always follows a problem
            log.warning("%s; nieuwe poging %d/%d", problem.message, attempt, pdok_fetch.ANSWER_ATTEMPTS - 1)
            time.sleep(http.settings().delay(attempt - 1))
        try:
            feats, info = pdok_fetch.fetch_features(url, gm, level, year, report)
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
            known = pdok_fetch.gemeente_known(gm, year)  # unknown gemeente: no need to ask again
        if known is False:
            break
    if problem is not None:
        if feats == [] and (level == "gemeente" or known is False):
            raise _GemeenteAbsent(
                f"PDOK heeft geen {COLLECTION[level]} voor {gm} in {year} ({url}): de gemeente staat niet in de "
                f"PDOK-gemeenten van {year}. Controleer de gemeentecode en het jaar (gemeentelijke herindeling?).",
                f"PDOK has no {COLLECTION[level]} for {gm} in {year} ({url}): the gemeente is not in PDOK's "
                f"gemeenten of {year}. Check the gemeente code and the year (municipal merger?).",
            )
        if feats == []:
            problem = bad_answer(
                f"PDOK gaf {n_empty} keer 0 {COLLECTION[level]} voor {gm} in {year} ({url}), terwijl "
                f"{gm} in de PDOK-gemeenten van {year} staat. Dat antwoord is niet bewaard; probeer later opnieuw.",
                f"PDOK answered 0 {COLLECTION[level]} for {gm} in {year} {n_empty} time(s) ({url}), although "
                f"{gm} is in PDOK's gemeenten of {year}. That answer was not stored; try again later.",
                url,
            )
        raise problem
    assert feats is not None, url  # no problem left: the last answer passed the checks
    frame = to_frame(feats, [gm], year, level, url)
    frame.attrs = fresh_attrs(frame, year, level, url, info, gm)
    return frame


def _all_missing(codes: list[str], errors: dict[str, StapelkaartError], year: int, level: str) -> StapelkaartError:
    """The error when no gemeente has boundaries: the single one as it is, several named one by one."""
    if len(errors) == 1:
        return next(iter(errors.values()))
    nl = " ".join(f"{gm}: {exc.message}" for gm, exc in errors.items())
    en = " ".join(f"{gm}: {exc.message_en}" for gm, exc in errors.items())
    if all(isinstance(e, _GemeenteAbsent) for e in errors.values()):
        return UserInputError(
            f"Geen grenzen ({COLLECTION[level]}, {year}) voor {', '.join(codes)}. {nl}",
            f"No boundaries ({COLLECTION[level]}, {year}) for {', '.join(codes)}. {en}",
        )
    first = next(e for e in errors.values() if isinstance(e, FetchError))
    err = FetchError(
        f"Geen grenzen ({COLLECTION[level]}, {year}) voor {', '.join(codes)}. {nl}",
        f"No boundaries ({COLLECTION[level]}, {year}) for {', '.join(codes)}. {en}",
        url=first.url,
    )
    err.transient = getattr(first, "transient", False)  # type: ignore[attr-defined]
    err.status = getattr(first, "status", None)  # type: ignore[attr-defined]
    return err
