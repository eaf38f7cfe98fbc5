"""Colours that mean something (issue 20: one definition each, for the map, the legend and the PNG/PDF).

``NODATA_RGBA``: the fill of an area without data or with a suppressed value ("geen gegevens / onderdrukt"),
ColorBrewer Greys #bdbdbd. The same grey on the map (deck.gl, 0-255), in the legend and in matplotlib
(0-1, ``NODATA_RGBA_FLOAT``).
"""

from __future__ import annotations

__all__ = ["NODATA_RGBA", "NODATA_RGBA_FLOAT"]

NODATA_RGBA = (189, 189, 189, 255)
NODATA_RGBA_FLOAT = tuple(c / 255 for c in NODATA_RGBA)
