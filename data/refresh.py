"""Fetching again and what the cache holds, for the Gegevens and Methode pages (I/O only, no streamlit).

``refresh_selection`` downloads a selection anew (CBS KWB, the national reference, PDOK boundaries) and says what
was fetched and which cached copies had to be kept; ``freshness_table`` lists the cache; snapshots as bytes.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from core.codes import LEVELS
from core.errors import FetchError, FewerRowsError
from data import cache, snapshot
from data.cbs import load_kwb, load_kwb_national
from data.pdok import load_boundaries


def cached_dates(kind: str, year: int) -> list[str]:
    """fetched_at dates (YYYY-MM-DD) of the usable cache entries of ``kind`` for ``year``."""
    return [
        str(e.manifest.get("fetched_at", "?"))[:10]
        for e in cache.iter_ok(kind)
        if e.key is not None and e.key.year == year
    ]


#: Label of the selection's KWB step in ``done`` (Gegevens: was CBS reached, so can "no new version" be said?).
def kwb_label(year: int) -> str:
    return f"KWB {year}"


def refresh_selection(
    gemeenten: Sequence[str],
    year: int,
    levels: Sequence[str],
    progress: Callable[[float, str], None],
    *,
    allow_fewer: bool = False,
) -> tuple[list[str], list[str]]:
    """Fetch again, reporting progress 0..1. Returns (done, stale): what was fetched, and the fetched_at dates
    of cached copies that had to be kept because the service did not answer (loaders then mark them ``stale``).
    After a service's first failure its remaining steps are not tried (each would wait out its own retries and
    network budget), so a refresh with CBS down ends within one budget per service. Raises the first FetchError when nothing could be
    fetched and nothing was cached.

    An answer with fewer rows than the kept copy replaces nothing (FewerRowsError, raised after the other steps,
    naming both counts and what else was refreshed) unless ``allow_fewer``: the administrator's confirmation."""
    done, stale, errors, refused = [], [], [], []
    down: set[str] = set()  # "kwb" (CBS) / "boundaries" (PDOK) after their first failure
    steps = 2 + len(levels)

    def note(load, what, kind):
        if kind in down:  # this service is down: its other steps keep their cached copy, no more waiting
            stale.extend(cached_dates(kind, year))
            return
        try:
            frame = load()
        except FewerRowsError as exc:  # the kept copy stays current; the other steps still run
            refused.append(exc)
            return
        except FetchError as exc:
            errors.append(exc)
            down.add(kind)
            stale.extend(cached_dates(kind, year))
            return
        src = frame.attrs.get("source", {})
        if src.get("stale"):  # fetching failed and the cached copy came back: the service is down as well
            down.add(kind)
            stale.append(str(src.get("fetched_at", "?"))[:10])
        else:
            done.append(what)

    progress(0.0, f"KWB {year}")
    note(
        lambda: load_kwb(
            list(gemeenten),
            year,
            levels=LEVELS,
            refresh=True,
            progress=lambda n, total, label: progress(0.5 / steps, f"{label}: {n}"),
            allow_fewer=allow_fewer,
        ),
        kwb_label(year),
        "kwb",
    )
    progress(1 / steps, f"KWB {year} Nederland")
    note(lambda: load_kwb_national(year, "wijk", refresh=True, allow_fewer=allow_fewer), f"KWB {year} NL", "kwb")
    for i, lv in enumerate(levels):
        progress((2 + i) / steps, f"PDOK {lv}")
        note(lambda lv=lv: load_boundaries(list(gemeenten), year, lv, refresh=True), f"PDOK {lv}", "boundaries")
    if refused:
        first = refused[0]
        also_nl = f" Wel ververst: {', '.join(done)}." if done else ""
        also_en = f" Refreshed: {', '.join(done)}." if done else ""
        first.message, first.message_en = first.message + also_nl, first.message_en + also_en
        raise first
    if errors and not stale:
        raise errors[0]
    progress(1.0, "✓")
    return done, stale


def freshness_table() -> pd.DataFrame:
    """One row per cache entry: kind, year, level, gemeenten, fetched_at, age_days, status, source URL."""
    rows = []
    for e in cache.list_entries():
        k = e.key
        rows.append(
            {
                "kind": k.kind if k else e.slug,
                "year": k.year if k else None,
                "level": k.level if k else None,
                "gemeenten": (k.gemeenten if isinstance(k.gemeenten, str) else ",".join(k.gemeenten)) if k else "",
                "fetched_at": str(e.manifest.get("fetched_at", ""))[:19],
                "age_days": None if e.age_days is None else round(e.age_days, 1),
                "status": e.status,
                "source": e.manifest.get("source_url", ""),
            }
        )
    return pd.DataFrame(rows)


def years_cached(gemeenten: Sequence[str], level: str) -> list[int]:
    """Years whose KWB of (any of) these gemeenten is in the cache."""
    return sorted(
        {
            e.key.year
            for e in cache.iter_ok("kwb")
            if e.key is not None
            and e.key.level == level
            and e.key.gemeenten != "NL"
            and set(e.key.gemeenten) & set(gemeenten)
        }
    )


def snapshot_bytes() -> bytes:
    """data.snapshot.export_snapshot as bytes (a zip)."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "snapshot.zip"
        snapshot.export_snapshot(path)
        return path.read_bytes()


def import_snapshot_bytes(data: bytes):
    """data.snapshot.import_snapshot from bytes; returns its ImportReport."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "snapshot.zip"
        path.write_bytes(data)
        return snapshot.import_snapshot(path)
