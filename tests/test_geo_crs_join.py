"""CRS sanity checks and the score join (years, unmatched regions)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from core.crs import RD_NEW, WGS84, check_bounds, to_rd
from core.errors import CoordinateError, GeoError, StapelkaartError, UserInputError, YearMismatchError
from geo.join import join_scores

DAM_WGS84 = (4.8932, 52.3731)  # lon, lat
DAM_RD = (121_400.0, 487_400.0)


def test_dutch_coordinates_pass_in_both_systems():
    check_bounds(gpd.GeoDataFrame(geometry=[Point(*DAM_WGS84)], crs=WGS84))
    check_bounds(gpd.GeoDataFrame(geometry=[Point(*DAM_RD)], crs=RD_NEW))


def test_swapped_lat_lon_is_named_as_such():
    gdf = gpd.GeoDataFrame(geometry=[Point(DAM_WGS84[1], DAM_WGS84[0])], crs=WGS84)
    with pytest.raises(CoordinateError, match="verwisseld") as err:
        check_bounds(gdf)
    assert "swapped" in err.value.message_en
    assert isinstance(err.value, (ValueError, StapelkaartError))


def test_swapped_rd_axes_are_detected():
    with pytest.raises(CoordinateError, match="verwisseld"):
        check_bounds(gpd.GeoDataFrame(geometry=[Point(DAM_RD[1], DAM_RD[0])], crs=RD_NEW))


def test_rd_numbers_labelled_as_wgs84_are_outside_nl():
    with pytest.raises(CoordinateError, match="buiten Nederland"):
        check_bounds(gpd.GeoDataFrame(geometry=[Point(*DAM_RD)], crs=WGS84))


def test_missing_crs_is_refused():
    with pytest.raises(CoordinateError, match="CRS"):
        check_bounds(gpd.GeoDataFrame(geometry=[Point(*DAM_RD)]))
    assert to_rd(gpd.GeoDataFrame(geometry=[Point(*DAM_WGS84)], crs=WGS84)).crs == RD_NEW


def _boundaries(codes, year=2024):
    geoms = [box(121_000 + 100 * i, 487_000, 121_100 + 100 * i, 487_100) for i in range(len(codes))]
    return gpd.GeoDataFrame(
        {"code": codes, "name": [f"wijk {c}" for c in codes], "year": year}, geometry=geoms, crs=RD_NEW
    )


def test_join_refuses_statistics_of_another_year():
    table = pd.DataFrame({"code": ["WK036301"], "composite": [50.0]})
    with pytest.raises(YearMismatchError, match=r"2023.*2024") as err:
        join_scores(_boundaries(["WK036301"]), table, stats_year=2023, boundary_year=2024)
    assert isinstance(err.value, UserInputError)


def test_join_refuses_a_frame_that_contradicts_its_stated_year():
    table = pd.DataFrame({"code": ["WK036301"], "composite": [50.0], "year": [2022]})
    with pytest.raises(YearMismatchError, match="2022"):
        join_scores(_boundaries(["WK036301"]), table, stats_year=2024, boundary_year=2024)


def test_unmatched_regions_are_reported_not_dropped():
    bounds = _boundaries(["WK036301", "WK036302", "WK036303"])
    table = pd.DataFrame(
        {
            "code": ["WK036301 ", "WK036302", "WK036399"],
            "composite": [10.0, 20.0, 30.0],
            "name": ["Een", "Twee", "Negen"],
        }
    )
    result = join_scores(bounds, table, stats_year=2024, boundary_year=2024)
    frame, report = result.frame, result.report
    assert len(frame) == 3 and frame.crs == RD_NEW
    assert report.boundaries_without_stats == ("WK036303",)
    assert report.stats_without_boundary == ("WK036399",)
    assert report.n_matched == 2 and not report.complete
    row = frame.set_index("code").loc["WK036303"]
    assert np.isnan(row["composite"]) and not row["has_data"]
    assert frame.set_index("code").loc["WK036301", "composite"] == 10.0
    assert "WK036303" in report.text() and "WK036399" in report.text("en")


def test_duplicate_codes_are_refused():
    table = pd.DataFrame({"code": ["WK036301", "WK036301"], "composite": [1.0, 2.0]})
    with pytest.raises(GeoError, match="dubbele"):
        join_scores(_boundaries(["WK036301"]), table, stats_year=2024, boundary_year=2024)
