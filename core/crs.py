"""Coordinate systems of Stapelkaart and a sanity check that data lies in the Netherlands.

Everything that measures (areas, distances, simplification, contiguity) works in RD New metres;
WGS84 degrees are only produced at the very end, for the browser.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from core.errors import CoordinateError

RD_NEW = "EPSG:28992"  # metres: areas, distances, simplification, contiguity
WGS84 = "EPSG:4326"  # degrees (lon, lat): only for the browser

# THE area of use of RD New (issue 20: the one definition; data.pdok_check and check_bounds both use it).
# (min lon, min lat, max lon, max lat): the EPSG:28992 area of use 3.20-7.22 E, 50.75-53.70 N (onshore NL,
# Waddenzee and the 12-mile coastal zone).
NL_BOUNDS_WGS84 = (3.2, 50.75, 7.22, 53.7)
# (minx, miny, maxx, maxy) in RD metres: that area projected (x 646-284 347, y 306 671-637 111; pyproj,
# tests/test_facts_once.py) and rounded outwards to whole 100 km / 10 km.
NL_BOUNDS_RD = (0.0, 300_000.0, 300_000.0, 640_000.0)


def _inside(bounds: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    minx, miny, maxx, maxy = bounds
    return box[0] <= minx and box[1] <= miny and maxx <= box[2] and maxy <= box[3]


def _swapped(bounds: np.ndarray) -> np.ndarray:
    minx, miny, maxx, maxy = bounds
    return np.array([miny, minx, maxy, maxx])


def check_bounds(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """Return ``gdf`` unchanged if its coordinates lie in the Netherlands; raise CoordinateError otherwise.

    RD New frames are checked against ``NL_BOUNDS_RD``, WGS84 frames against ``NL_BOUNDS_WGS84``, any other
    CRS after reprojection to WGS84. Swapped axes (lat/lon instead of lon/lat, or y/x in RD) are recognised
    and named as such. An empty frame passes; a frame without CRS is refused.
    """
    if len(gdf) == 0 or gdf.geometry.is_empty.all():
        return gdf
    if gdf.crs is None:
        raise CoordinateError(
            "De geometrie heeft geen coördinatenstelsel (CRS); geef EPSG:28992 (RD) of EPSG:4326 (WGS84) op.",
            "The geometry has no coordinate reference system; set EPSG:28992 (RD) or EPSG:4326 (WGS84).",
        )
    epsg = gdf.crs.to_epsg()
    if epsg == 28992:
        box, name = NL_BOUNDS_RD, "RD New (EPSG:28992)"
        bounds = np.asarray(gdf.total_bounds)
    else:
        box, name = NL_BOUNDS_WGS84, "WGS84 (EPSG:4326)"
        bounds = np.asarray((gdf if epsg == 4326 else gdf.to_crs(WGS84)).total_bounds)
    if not np.all(np.isfinite(bounds)):
        raise CoordinateError(
            "De geometrie bevat ongeldige (oneindige of lege) coördinaten.",
            "The geometry contains non-finite coordinates.",
        )
    if _inside(bounds, box):
        return gdf
    shown = ", ".join(f"{v:.6g}" for v in bounds)
    if _inside(_swapped(bounds), box):
        raise CoordinateError(
            f"De x- en y-coördinaten lijken verwisseld (grenzen {shown} in {name}); "
            "verwacht x=oost/lengtegraad eerst, y=noord/breedtegraad daarna.",
            f"The x and y coordinates look swapped (bounds {shown} in {name}); "
            "expected x=east/longitude first, y=north/latitude second.",
        )
    raise CoordinateError(
        f"De coördinaten liggen buiten Nederland (grenzen {shown} in {name}); "
        "controleer het coördinatenstelsel van de bron.",
        f"The coordinates lie outside the Netherlands (bounds {shown} in {name}); "
        "check the coordinate reference system of the source.",
    )


def to_rd(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """Reproject to RD New (no copy if already there); a frame without CRS is refused."""
    if gdf.crs is None:
        check_bounds(gdf)  # raises the no-CRS error (or passes for an empty frame)
        return gdf
    return gdf if gdf.crs.to_epsg() == 28992 else gdf.to_crs(RD_NEW)


def require_rd(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str = "geometrie") -> None:
    """Raise CoordinateError unless ``gdf`` is in RD New metres (needed for metric operations)."""
    if gdf.crs is None or gdf.crs.to_epsg() != 28992:
        raise CoordinateError(
            f"De {what} moet in RD New (EPSG:28992, meters) staan, niet in {gdf.crs}; gebruik core.crs.to_rd().",
            f"The {what} must be in RD New (EPSG:28992, metres), not {gdf.crs}; use core.crs.to_rd().",
        )
