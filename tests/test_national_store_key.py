"""The prepared-geometry key does not change when the same boundaries come back from disk (issue 23).

``input_key`` hashed ``str(gdf.crs)``: the CRS's text form, which a parquet round trip rewrites (WKT in,
PROJJSON out) although the CRS is the same EPSG:28992, so the national geometry was prepared again.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from components.deckmap.store import input_key
from core.crs import RD_NEW


def _frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["WK077233", "WK077231"], "name": ["Oud-Tongelre", "Tongelre"]},
        geometry=[shapely.box(161000, 383000, 162000, 384000), shapely.box(162000, 383000, 163000, 384500)],
        crs=RD_NEW,
    )


def test_key_is_the_same_after_a_parquet_round_trip(tmp_path):
    before = _frame()
    before.to_parquet(tmp_path / "b.parquet")
    after = gpd.read_parquet(tmp_path / "b.parquet")
    assert str(after.crs) != str(before.crs)  # the text form does change: what the old key hashed
    assert after.crs.to_epsg() == 28992
    assert input_key(after, tolerance_m=10.0, scale_m=1.0) == input_key(before, tolerance_m=10.0, scale_m=1.0)


def test_key_still_changes_with_the_crs_and_the_shapes():
    rd = _frame()
    base = input_key(rd, tolerance_m=10.0, scale_m=1.0)
    assert input_key(rd.to_crs("EPSG:4326"), tolerance_m=10.0, scale_m=1.0) != base
    moved = rd.assign(geometry=rd.geometry.translate(1.0, 0.0))
    assert input_key(moved, tolerance_m=10.0, scale_m=1.0) != base
