"""What the PDOK Wijk- en Buurtkaart service is: URL layout, collections, property names, CRS, the year asked.

The facts every part of the boundary loader shares (:mod:`data.pdok` and the modules it is split into); no I/O.
The boundary year is the statistics year: the URL is
``{STAPELKAART_PDOK_URL}/cbs/wijken-en-buurten-{year}/ogc/v1/collections/{gemeenten|wijken|buurten}/items``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import SupportsInt

from core.errors import UserInputError
from data import http

#: The CRS must be asked with the full URI (``crs=EPSG:28992`` is a 400).
CRS_RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"

COLLECTION = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
CODE_PROPERTY = {"gemeente": "gemeentecode", "wijk": "wijkcode", "buurt": "buurtcode"}
NAME_PROPERTY = {"gemeente": "gemeentenaam", "wijk": "wijknaam", "buurt": "buurtnaam"}

Progress = Callable[[float, str], None]


def items_url(year: int, level: str) -> str:
    """The items URL of the collection for ``level`` in the Wijk- en Buurtkaart of ``year`` (env read now)."""
    return f"{http.pdok_url()}/cbs/wijken-en-buurten-{int(year)}/ogc/v1/collections/{COLLECTION[level]}/items"


def check_year(year: object) -> int:
    """``year`` as an int when it is a whole year 2000..2100, else a UserInputError saying so."""
    try:
        value = int(year) if isinstance(year, (SupportsInt, str)) else -1
    except (TypeError, ValueError):
        value = -1
    if value != year or not 2000 <= value <= 2100:
        raise UserInputError(
            f"Jaar '{year}' is ongeldig; gebruik een jaartal zoals 2024.",
            f"Year '{year}' is invalid; use a year such as 2024.",
        )
    return value
