"""What the first screen can know before any data request (issue 23): is the view's data in the cache, can the
services it would need be reached at all, and which gemeenten could be shown without them.

Without internet and without a cache the first page used to wait out data.http's retries (35-80 s) before it
said anything. :func:`offline_view` answers in at most a reachability timeout (data.reach: one request per
service, no retry) and only asks the network when the view's data is not on disk:

    off = offline_view(("GM0363",), 2024, "wijk", "nl", national=False)
    if off is not None:     # some of the view's data is not cached and a service it needs does not answer
        off.down            # {"CBS": Reach, ...}: the services that cannot be reached, with why
        off.cached          # CachedGemeente(code, year, levels, national_reference) that can be shown offline

No streamlit here: the page layer (pages/_common/firstscreen.py) says it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from core.codes import LEVELS
from core.errors import FetchError
from data import cache, http, reach

#: The services and the cache kinds they fill.
SERVICE_OF_KIND = {"kwb": "CBS", "gemeenten": "CBS", "boundaries": "PDOK"}
SERVICE_URL = {"CBS": http.cbs_url, "PDOK": http.pdok_url}


@dataclass(frozen=True)
class CachedGemeente:
    """A gemeente whose KWB (all levels) and boundaries (``levels``) for ``year`` are in the cache;
    ``national_reference``: the levels whose national KWB frame (ranks "t.o.v. Nederland") is cached too."""

    code: str
    year: int
    levels: tuple[str, ...]
    national_reference: tuple[str, ...]


@dataclass(frozen=True)
class Offline:
    """The view cannot be loaded now: ``down`` the services it needs that did not answer (name -> Reach),
    ``missing`` the cache entries it lacks, ``cached`` what can be shown instead, ``seconds`` the check took."""

    down: dict[str, reach.Reach]
    missing: tuple[cache.CacheKey, ...]
    cached: tuple[CachedGemeente, ...]
    seconds: float


#: A reachability answer is reused for this many seconds (one page run asks for several frames).
REACH_TTL_S = 5.0
_recent: dict[str, tuple[float, reach.Reach]] = {}


def _reach(names: Sequence[str], timeout: float) -> dict[str, reach.Reach]:
    """The services ``names`` checked in parallel, answers younger than REACH_TTL_S reused."""
    now = time.monotonic()
    urls = {name: SERVICE_URL[name]() for name in names}
    fresh = {n: _recent[u][1] for n, u in urls.items() if u in _recent and now - _recent[u][0] < REACH_TTL_S}
    ask = {n: u for n, u in urls.items() if n not in fresh}
    if ask:
        for n, r in reach.services_reachable(timeout, ask).items():
            _recent[ask[n]] = (time.monotonic(), r)
            fresh[n] = r
    return fresh


def unreachable_for(keys: Sequence[cache.CacheKey], timeout: float = reach.DEFAULT_TIMEOUT) -> dict[str, reach.Reach]:
    """The services that would have to fill the missing ones of ``keys`` and do not answer ({} when every key is
    cached or every such service answers)."""
    missing = [k for k in keys if not cache.has(k)]
    if not missing:
        return {}
    needed = sorted({SERVICE_OF_KIND.get(k.kind, "CBS") for k in missing})
    return {name: r for name, r in _reach(needed, timeout).items() if not r.ok}


def fail_fast(keys: Sequence[cache.CacheKey], what: str, what_en: str) -> None:
    """Raise a FetchError at once when none of ``keys`` is cached and their service does not answer: the loaders
    would otherwise wait out their retries (35-80 s) to say the same. When some are cached the loader runs as
    before (it shows those and names the rest). ``what``: the data, in words."""
    if any(cache.has(k) for k in keys):
        return
    down = unreachable_for(keys)
    if not down:
        return
    names_nl, names_en = " en ".join(down), " and ".join(down)
    raise FetchError(
        f"Geen verbinding met {names_nl}, en {what} staan niet in de cache: "
        + "; ".join(r.reason for r in down.values())
        + ".",
        f"No connection to {names_en}, and {what_en} are not in the cache: "
        + "; ".join(r.reason_en for r in down.values())
        + ".",
        url=next(iter(down.values())).url,
    )


def view_keys(
    gemeenten: Sequence[str], year: int, level: str, reference: str, *, national: bool = False
) -> list[cache.CacheKey]:
    """The cache entries a map view reads (pages/_common/loaders_frames): the KWB of every gemeente at every
    level, their boundaries at ``level`` and, for ranks against Nederland, the national KWB frame; the national
    view: the national KWB frame and the national boundaries (data.pdok_national)."""
    if national:
        return [cache.CacheKey.make("kwb", year, level, "NL"), cache.CacheKey.make("boundaries", year, level, "NL")]
    keys = [cache.CacheKey.make("kwb", year, lv, [g]) for g in gemeenten for lv in LEVELS]
    keys += [cache.CacheKey.make("boundaries", year, level, [g]) for g in gemeenten]
    if reference == "nl":
        keys.append(cache.CacheKey.make("kwb", year, level, "NL"))
    return keys


def cached_gemeenten() -> tuple[CachedGemeente, ...]:
    """Every (gemeente, year) whose KWB at all levels and boundaries at one level or more are intact in the
    cache, by year (newest first) and code. Reads manifests and hashes the data files (data.cache.iter_ok)."""
    kwb: dict[tuple[str, int], set[str]] = {}
    bounds: dict[tuple[str, int], set[str]] = {}
    national: dict[int, set[str]] = {}
    for entry in cache.iter_ok():
        k = entry.key
        if k is None:
            continue
        if k.gemeenten == "NL":
            if k.kind == "kwb":
                national.setdefault(k.year, set()).add(k.level)
            continue
        if len(k.gemeenten) != 1 or k.kind not in ("kwb", "boundaries"):
            continue
        (kwb if k.kind == "kwb" else bounds).setdefault((k.gemeenten[0], k.year), set()).add(k.level)
    out = [
        CachedGemeente(
            gm,
            year,
            tuple(lv for lv in LEVELS if lv in bounds[(gm, year)]),
            tuple(lv for lv in LEVELS if lv in national.get(year, set())),
        )
        for (gm, year), levels in kwb.items()
        if set(LEVELS) <= levels and bounds.get((gm, year))
    ]
    return tuple(sorted(out, key=lambda c: (-c.year, c.code)))


def offline_view(
    gemeenten: Sequence[str],
    year: int,
    level: str,
    reference: str,
    *,
    national: bool = False,
    timeout: float = reach.DEFAULT_TIMEOUT,
) -> Offline | None:
    """None when the view can be loaded as far as can be known quickly: all its data is cached, or every
    service that would have to fill a gap answers (a slow or failing service is then the loaders' business,
    with their retries and messages). Otherwise what the first screen says instead (:class:`Offline`)."""
    t0 = time.monotonic()
    keys = view_keys(gemeenten, year, level, reference, national=national)
    down = unreachable_for(keys, timeout)
    if not down:
        return None
    missing = tuple(k for k in keys if not cache.has(k))
    return Offline(down, missing, cached_gemeenten(), time.monotonic() - t0)


def service_reachable_or_cached(key: cache.CacheKey, timeout: float = reach.DEFAULT_TIMEOUT) -> bool:
    """Whether loading ``key`` can succeed quickly: it is cached, or its service answers. The gemeente list
    (session start, sidebar) asks this first, so without internet it falls back at once instead of after the
    retries."""
    return not unreachable_for([key], timeout)


__all__ = [
    "CachedGemeente",
    "Offline",
    "cached_gemeenten",
    "fail_fast",
    "offline_view",
    "service_reachable_or_cached",
    "unreachable_for",
    "view_keys",
]
