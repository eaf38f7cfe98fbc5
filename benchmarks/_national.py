"""~17,000 areas for national-scale measurements, made by REPLICATING real geometry (no national boundaries
are in ../shared): the Amsterdam + Zaanstad buurten (568 real PDOK polygons) copied ``copies`` times on a
grid of translated tiles inside the RD bounds of the Netherlands, with unique codes and names.
Every output that uses this says so ("replicated").
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

COPIES = 30  # 30 x 568 buurten = 17,040 areas (NL: ~14,800 buurten + ~3,400 wijken)


def replicate(gdf_rd: gpd.GeoDataFrame, copies: int = COPIES, columns: int = 6) -> gpd.GeoDataFrame:
    """``copies`` translated copies of ``gdf_rd`` (RD) side by side, codes/names suffixed ``~k``."""
    minx, miny, maxx, maxy = gdf_rd.total_bounds
    w, h = maxx - minx + 2_000, maxy - miny + 2_000
    geoms = np.asarray(gdf_rd.geometry.values)
    parts = []
    for k in range(copies):
        dx = 10_000 - minx + (k % columns) * w
        dy = 300_000 - miny + (k // columns) * h
        part = gdf_rd.drop(columns="geometry").copy()
        part["code"] = part["code"].astype(str) + f"~{k}"
        part["name"] = part["name"].astype(str) + f" ({k})"
        part["gemeente_code"] = part["gemeente_code"].astype(str) + f"~{k}"
        part["geometry"] = shapely.transform(geoms, lambda xy, dx=dx, dy=dy: xy + np.array((dx, dy)))
        parts.append(part)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=gdf_rd.crs)
