"""CBS OData paging with the answer checked against what the service says it has (issue 22).

Why a module of its own: a short answer (``value: []`` where rows were announced, a page that ends early without
``odata.nextLink``, fewer rows than ``odata.count``) looks like a complete one; if it reaches the cache, every later
visit shows "geen gegevens" with no warning. :func:`odata_rows` / :func:`v4_rows` follow the next links
(loop-guarded in :func:`data.http.iter_pages`) and raise :func:`short_answer` (a FetchError marked ``short``) when
the rows received do not match; :func:`retry_short` fetches again a few times before giving up. data/cbs.py adds
the KWB-specific checks (rows inside the filter, a row at every level that always has one).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from core.errors import FetchError
from data import http

log = logging.getLogger(__name__)

#: Progress callback: (rows so far, rows announced or None, label).
Progress = Callable[[int, "int | None", str], None]


#: Extra attempts of a whole download whose answer was short (fewer rows than CBS says it has, or none).
SHORT_RETRIES = 2


def short_answer(url: str, nl: str, en: str) -> FetchError:
    """A short answer: a FetchError (so a cached copy is used where there is one) that is never stored."""
    err = FetchError(
        f"CBS gaf een onvolledig antwoord: {nl} ({url}). Er is niets opgeslagen; probeer later opnieuw.",
        f"CBS gave an incomplete answer: {en} ({url}). Nothing was stored; try again later.",
        url=url,
    )
    err.short = True  # type: ignore[attr-defined]
    return err


def retry_short(fetch: Callable[[], Any], label: str) -> Any:
    """``fetch()``, again up to :data:`SHORT_RETRIES` times (with the HTTP backoff) while its answer is short."""
    cfg = http.settings()
    for attempt in range(SHORT_RETRIES + 1):
        try:
            return fetch()
        except FetchError as exc:
            if not getattr(exc, "short", False) or attempt >= min(SHORT_RETRIES, cfg.retries):
                raise
            log.warning("%s: %s; nieuwe poging %d/%d", label, exc.message, attempt + 1, SHORT_RETRIES)
            time.sleep(cfg.delay(attempt))
    raise AssertionError("unreachable")


def odata_rows(
    url: str,
    params: Mapping[str, Any],
    label: str,
    progress: Progress | None,
    check: Callable[[list[dict]], None] | None = None,
) -> list[dict]:
    """All rows of an OData v3 feed, following ``odata.nextLink`` (loop-guarded in :func:`http.iter_pages`).

    The rows received are checked against what CBS says it has: ``odata.count`` (sent when asked with
    ``$inlinecount=allpages``; asked and absent is itself an error) must equal the rows received over all pages,
    so a page that ends early without ``odata.nextLink``, or an empty ``value``, is a short answer (FetchError).
    ``check(rows)`` runs first (rows outside the filter say more than a count that does not match).
    """
    rows: list[dict] = []
    total: int | None = None
    counted = False
    shown = http.full_url(url, params)
    for page in http.iter_pages(url, dict(params), http.odata_next_link):
        value = page.get("value") if isinstance(page, Mapping) else None
        if not isinstance(value, list):
            raise FetchError(
                f"CBS gaf een onverwacht antwoord zonder 'value' ({url}). Probeer later opnieuw.",
                f"CBS returned an unexpected answer without 'value' ({url}). Try again later.",
                url=url,
            )
        rows.extend(value)
        if not counted and page.get("odata.count") is not None:
            counted = True
            try:
                total = int(page["odata.count"])
            except (TypeError, ValueError):
                raise short_answer(
                    shown,
                    f"odata.count {str(page['odata.count'])[:20]!r} is geen aantal",
                    f"odata.count {str(page['odata.count'])[:20]!r} is not a number",
                ) from None
        if progress is not None:
            progress(len(rows), total, label)
    if check is not None:
        check(rows)
    if total is None and params.get("$inlinecount") == "allpages":
        raise short_answer(
            shown,
            f"geen odata.count bij {len(rows)} rijen, hoewel gevraagd",
            f"no odata.count with {len(rows)} rows, although asked for",
        )
    if total is not None and len(rows) != total:
        raise short_answer(
            shown,
            f"CBS meldt {total} rijen (odata.count) maar stuurde er {len(rows)}",
            f"CBS reports {total} rows (odata.count) but sent {len(rows)}",
        )
    return rows


def v4_rows(url: str, params: Mapping[str, Any], label: str, progress: Progress | None) -> list[dict]:
    """All rows of an OData v4 feed; an ``@odata.count`` (when the service sends one) must match, as in v3."""
    rows: list[dict] = []
    total = None
    for page in http.iter_pages(url, dict(params), http.odata_next_link):
        rows.extend(page.get("value", []) if isinstance(page, Mapping) else [])
        if total is None and isinstance(page, Mapping) and isinstance(page.get("@odata.count"), int):
            total = page["@odata.count"]
        if progress is not None:
            progress(len(rows), total, label)
    if total is not None and len(rows) != total:
        raise short_answer(
            http.full_url(url, params),
            f"CBS meldt {total} rijen (@odata.count) maar stuurde er {len(rows)}",
            f"CBS reports {total} rows (@odata.count) but sent {len(rows)}",
        )
    return rows
