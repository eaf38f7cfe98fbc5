"""Checks on PDOK's answers: what arrives must be the truth before it is used or cached (issue 22).

* each page: the ``Content-Crs`` header names RD New (EPSG:28992), the body is a GeoJSON FeatureCollection and
  its ``numberReturned`` is the number of features it holds (:func:`check_page`);
* the whole answer: the features received against ``numberMatched`` when the server gives it, else against
  the sum of ``numberReturned`` (:func:`check_total`);
* the features: none empty, each with its code, each inside the requested gemeente (another gemeente's
  features make the answer wrong, not "left out"), no code twice (:func:`check_features`, :func:`check_codes`);
* the coordinates: RD metres in the Netherlands, not lon/lat degrees nor swapped axes (:func:`check_rd`).

An answer that fails is a :func:`bad_answer` error: retried like a network failure, reported, never cached.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from core.codes import gemeente_of
from core.crs import NL_BOUNDS_RD
from core.errors import FetchError
from data.pdok_service import CODE_PROPERTY, COLLECTION

log = logging.getLogger(__name__)


def bad_answer(nl: str, en: str, url: str) -> FetchError:
    """An answer that arrived but cannot be true (empty, short, another gemeente's features): like a network
    failure it is retried, reported and never cached; ``transient`` so a cached copy is shown instead."""
    err = FetchError(nl, en, url=url)
    err.transient = True  # type: ignore[attr-defined]
    err.status = None  # type: ignore[attr-defined]
    err.bad_answer = True  # type: ignore[attr-defined]
    return err


def crs_ok(header: str | None) -> bool:
    """True when a ``Content-Crs`` header names EPSG:28992 (URI, ``EPSG:28992`` or URN; ``<>`` allowed)."""
    text = (header or "").strip().strip("<>").strip()
    return text.endswith("/EPSG/0/28992") or text.upper() in {"EPSG:28992", "URN:OGC:DEF:CRS:EPSG::28992"}


def check_page(page: object, crs_header: str | None, shown: str) -> list[dict]:
    """The features of one page at ``shown`` (its URL), after checking its CRS header, shape and count."""
    if crs_header is None:
        log.warning("PDOK-antwoord zonder Content-Crs (%s); coördinaten worden op RD-bereik gecontroleerd", shown)
    elif not crs_ok(crs_header):
        raise FetchError(
            f"PDOK leverde coördinaten in {crs_header} in plaats van RD New (EPSG:28992) ({shown}).",
            f"PDOK delivered coordinates in {crs_header} instead of RD New (EPSG:28992) ({shown}).",
            url=shown,
        )
    if not isinstance(page, Mapping) or not isinstance(page.get("features"), list):
        raise FetchError(
            f"PDOK gaf geen GeoJSON FeatureCollection ({shown}).",
            f"PDOK did not answer with a GeoJSON FeatureCollection ({shown}).",
            url=shown,
        )
    batch = page["features"]
    n_returned = page.get("numberReturned")
    if n_returned is not None and int(n_returned) != len(batch):
        raise bad_answer(
            f"PDOK-pagina zegt {n_returned} objecten maar bevat er {len(batch)} ({shown}).",
            f"PDOK page says {n_returned} features but holds {len(batch)} ({shown}).",
            shown,
        )
    return batch


def check_total(
    n_features: int, number_matched: int | None, returned_sum: int, level: str, gm_text: str, url: str
) -> None:
    """All pages together hold ``numberMatched`` features (else the sum of ``numberReturned``)."""
    expected = number_matched if number_matched is not None else returned_sum
    if n_features != expected:
        raise bad_answer(
            f"PDOK leverde {n_features} {COLLECTION[level]} voor {gm_text}, maar meldde {expected} ({url}). "
            "Probeer later opnieuw.",
            f"PDOK delivered {n_features} {COLLECTION[level]} for {gm_text} but announced {expected} ({url}). "
            "Try again later.",
            url,
        )


def check_features(
    features: list[dict], gemeenten: Sequence[str] | None, level: str, url: str, what: str
) -> FetchError | None:
    """Why an answer cannot be the truth, or None: empty, a feature without its code, or outside ``gemeenten``
    (None: the whole collection, then every feature must still name a gemeente)."""
    if not features:
        return bad_answer(
            f"PDOK gaf 0 {COLLECTION[level]} voor {what} ({url}).",
            f"PDOK answered 0 {COLLECTION[level]} for {what} ({url}).",
            url,
        )
    code_prop = CODE_PROPERTY[level]
    outside: list[str] = []
    for f in features:
        props = f.get("properties") or {}
        code = str(props.get(code_prop) or "").strip()
        if not code:
            return bad_answer(
                f"PDOK leverde een object zonder {code_prop} voor {what} ({url}).",
                f"PDOK delivered a feature without {code_prop} for {what} ({url}).",
                url,
            )
        gm = str(props.get("gemeentecode") or "").strip() or gemeente_of(code)
        if gm is None or (gemeenten is not None and gm not in gemeenten) or gemeente_of(code) != gm:
            outside.append(code)
    if outside:
        return bad_answer(
            f"PDOK leverde {len(outside)} {COLLECTION[level]} buiten {what} (bijv. {', '.join(outside[:3])}; {url}). "
            "Het antwoord is niet gebruikt en niet bewaard; probeer later opnieuw.",
            f"PDOK delivered {len(outside)} {COLLECTION[level]} outside {what} (e.g. {', '.join(outside[:3])}; {url}). "
            "The answer was not used nor stored; try again later.",
            url,
        )
    return None


def check_codes(region: pd.Series, gm: pd.Series, codes: list[str] | None, url: str) -> None:
    """Every feature's code (``region``) present and its gemeente (``gm``) one of ``codes`` (None: any), no code
    twice; :func:`check_features` refuses such answers before, so nothing is ever dropped silently."""
    keep = region.notna() & (gm.notna() if codes is None else gm.isin(codes))
    if not keep.all():
        outside = sorted(set(region[~keep].fillna("?")))
        raise bad_answer(
            f"PDOK leverde {len(outside)} objecten buiten de gevraagde gemeenten ({', '.join(outside[:3])}; "
            f"{url}); niet gebruikt.",
            f"PDOK delivered {len(outside)} features outside the requested "
            f"gemeenten ({', '.join(outside[:3])}; {url}); not used.",
            url,
        )
    if region.duplicated().any():
        dup = region[region.duplicated()].iloc[0]
        raise bad_answer(
            f"PDOK leverde {dup} twee keer ({url}); de paginering is onbetrouwbaar, probeer opnieuw.",
            f"PDOK delivered {dup} twice ({url}); paging is unreliable, try again.",
            url,
        )


def check_rd(geoms: gpd.GeoSeries, codes: pd.Series, url: str) -> None:
    """Refuse coordinates that are not RD New metres in the Netherlands (degrees, swapped axes, garbage)."""
    bounds = geoms.bounds.to_numpy()
    ok_rows = ~np.isnan(bounds).any(axis=1)
    if not ok_rows.any():
        return
    b = bounds[ok_rows]
    minx, miny, maxx, maxy = NL_BOUNDS_RD  # the one RD New area of use (core.crs)
    inside = (b[:, 0] >= minx) & (b[:, 2] <= maxx) & (b[:, 1] >= miny) & (b[:, 3] <= maxy)
    if inside.all():
        return
    bad = int(np.argmin(inside))
    code = codes[ok_rows].iloc[bad]
    x0, y0 = b[bad, 0], b[bad, 1]
    if (np.abs(b[:, [0, 2]]) <= 180).all() and (np.abs(b[:, [1, 3]]) <= 90).all():
        why_nl, why_en = (
            "de getallen zijn graden (lengte/breedte, CRS84) in plaats van RD-meters",
            "the numbers are degrees (lon/lat, CRS84) instead of RD metres",
        )
    elif miny <= x0 <= maxy and minx <= y0 <= maxx:
        why_nl, why_en = "de x- en y-as zijn verwisseld", "the x and y axes are swapped"
    else:
        why_nl, why_en = "ze liggen buiten Nederland", "they lie outside the Netherlands"
    raise FetchError(
        f"PDOK-coördinaten zijn geen RD New (EPSG:28992): {why_nl} (bijv. {code}: x={x0:.6g}, y={y0:.6g}; "
        f"verwacht x 0–300 000, y 289 000–629 000). URL: {url}. De grenzen zijn niet gebruikt.",
        f"PDOK coordinates are not RD New (EPSG:28992): {why_en} (e.g. {code}: x={x0:.6g}, y={y0:.6g}; "
        f"expected x 0-300,000, y 289,000-629,000). URL: {url}. The boundaries were not used.",
        url=url,
    )
