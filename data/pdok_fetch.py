"""Paging through a PDOK collection: every feature of one gemeente (or of the whole collection), checked.

``limit`` is silently capped at 1 000 by the service, so completeness is never assumed from one page: the
cursor ``next`` links are followed until there is none, with a loop guard (a repeated link, in
:func:`data.http.iter_responses`) and a page cap; each page and the total are checked by :mod:`data.pdok_check`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from core.errors import FetchError, UserInputError
from data import http
from data.pdok_check import check_page, check_total
from data.pdok_service import COLLECTION, CRS_RD_URI, items_url

PAGE_LIMIT = 1000  # the service caps ``limit`` at 1 000 without saying so
MAX_PAGES = 500  # per gemeente; Amsterdam buurten need 1 page of 1 000 (or 6 of 100)
ANSWER_ATTEMPTS = 2  # an impossible answer (empty, short, foreign features) is asked once more


def fetch_features(
    url: str, gm: str | None, level: str, year: int, report: Callable[[str], None]
) -> tuple[list[dict], dict]:
    """All features of one gemeente (``gm=None``: of the whole collection), following ``next`` links; checks
    CRS header and totals. Returns the features and ``{pages, features, number_matched, timestamp}``."""
    params = {"f": "json", "limit": PAGE_LIMIT, "crs": CRS_RD_URI}
    if gm is not None:
        params["gemeentecode"] = gm
    gm_text = gm if gm is not None else "heel Nederland"
    features: list[dict] = []
    pages = returned_sum = 0
    number_matched: int | None = None
    timestamp = None
    responses = http.iter_responses(
        url, params, http.ogc_next_link, max_pages=MAX_PAGES, what=f"de {COLLECTION[level]} van {gm_text}"
    )
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
                    "which the Wijk- en Buurtkaart exists (e.g. 2024).",
                ) from exc
            raise
        pages += 1
        page = resp.data
        batch = check_page(page, resp.headers.get("Content-Crs"), resp.url)
        returned_sum += len(batch)
        if page.get("numberMatched") is not None:
            number_matched = int(page["numberMatched"])
        timestamp = timestamp or page.get("timeStamp")
        features.extend(batch)
        report(f"{COLLECTION[level]} {gm_text}: {len(features)} objecten, pagina {pages}")
    check_total(len(features), number_matched, returned_sum, level, gm_text, url)
    return features, {
        "pages": pages,
        "features": len(features),
        "number_matched": number_matched,
        "timestamp": timestamp,
    }


def gemeente_known(gm: str, year: int) -> bool:
    """True when the ``gemeenten`` collection of ``year`` has a feature for ``gm`` (one small request)."""
    page = http.get_json(items_url(year, "gemeente"), {"f": "json", "limit": 1, "gemeentecode": gm})
    return isinstance(page, Mapping) and bool(page.get("features"))
