"""Map layers from real Amsterdam/Zaanstad PDOK boundaries (through the mirror and data.pdok)."""

from __future__ import annotations

import html
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.crs import NL_BOUNDS_WGS84, RD_NEW, WGS84
from geo.layer import (coverage_check, focus_outlines, label_points, layer_to_geodataframe, max_displacement_m,
                       payload_bytes, prepare_map_layer, simplify_coverage)

TOL = 10.0
OUD_OOST = ["WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"]


@pytest.fixture(scope="module")
def boundaries(mirror_server, tmp_path_factory):
    """Real 2024 boundaries of Amsterdam (+ Zaanstad) from the mirror, loaded once per module."""
    from data.pdok import load_boundaries

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STAPELKAART_CACHE_DIR", str(tmp_path_factory.mktemp("geo-cache")))
        return {
            "ams_buurten": load_boundaries(["GM0363"], 2024, "buurt"),
            "ams_wijken": load_boundaries(["GM0363"], 2024, "wijk"),
            "both_buurten": load_boundaries(["GM0363", "GM0479"], 2024, "buurt"),
        }


@pytest.fixture(scope="module")
def buurt_layer(boundaries):
    return prepare_map_layer(boundaries["ams_buurten"], tolerance_m=TOL, properties=["code", "name"])


def test_amsterdam_buurten_form_a_valid_coverage_and_use_shared_edges(boundaries, buurt_layer):
    assert len(boundaries["ams_buurten"]) == 518
    assert buurt_layer.report.coverage_valid
    assert buurt_layer.report.method == "edges"


def test_simplified_layer_is_valid_and_complete(boundaries, buurt_layer):
    back = layer_to_geodataframe(buurt_layer)
    assert len(back) == 518
    assert back.geometry.is_valid.all()
    assert list(back["code"]) == list(boundaries["ams_buurten"]["code"])


def test_no_gaps_or_overlaps_introduced_between_neighbours(boundaries, buurt_layer):
    before = coverage_check(boundaries["ams_buurten"])
    after = coverage_check(layer_to_geodataframe(buurt_layer))
    assert after.overlap_m2 - before.overlap_m2 < 1.0  # m², i.e. floating-point noise only
    assert after.gap_m2 - before.gap_m2 < 1.0
    assert buurt_layer.report.introduced_overlap_m2 < 1.0
    assert buurt_layer.report.introduced_gap_m2 < 1.0


def test_displacement_stays_within_tolerance_rounding_included(boundaries, buurt_layer):
    measured = max_displacement_m(boundaries["ams_buurten"], layer_to_geodataframe(buurt_layer))
    assert 0 < measured <= TOL
    assert buurt_layer.report.max_displacement_m == pytest.approx(measured)


def test_payload_is_much_smaller_than_naive_geojson(boundaries, buurt_layer):
    naive = boundaries["ams_buurten"][["code", "name", "geometry"]].to_crs(WGS84).to_json()
    assert payload_bytes(buurt_layer) < 0.25 * len(naive.encode())
    assert buurt_layer.report.n_vertices_after < 0.5 * buurt_layer.report.n_vertices_before


def test_all_coordinates_within_nl_wgs84_bounds(buurt_layer):
    coords = shapely.get_coordinates(layer_to_geodataframe(buurt_layer).geometry.values)
    lon_min, lat_min, lon_max, lat_max = NL_BOUNDS_WGS84
    assert ((coords[:, 0] >= lon_min) & (coords[:, 0] <= lon_max)).all()
    assert ((coords[:, 1] >= lat_min) & (coords[:, 1] <= lat_max)).all()
    text = json.dumps(buurt_layer.data)
    assert "4.89" in text and "52.3" in text  # lon first, lat second


def test_invalid_coverage_falls_back_per_geometry_and_says_so(boundaries):
    # The mirror's Amsterdam wijk outlines were simplified by their source without topology: not a coverage.
    wijken = boundaries["ams_wijken"]
    layer = prepare_map_layer(wijken, tolerance_m=TOL)
    assert not layer.report.coverage_valid
    assert layer.report.method == "per-geometry"
    assert any("not a valid coverage" in n for n in layer.report.notes)
    assert layer.report.max_displacement_m <= TOL
    assert layer_to_geodataframe(layer).geometry.is_valid.all()


def test_two_gemeenten_from_unmatched_sources_are_simplified_per_gemeente(boundaries):
    both = boundaries["both_buurten"]
    simplified, report = simplify_coverage(both, 5.0)
    assert report.method == "edges"  # each gemeente is a valid coverage of its own
    assert any("per gemeente_code" in n for n in report.notes)
    assert len(simplified) == len(both) and simplified.is_valid.all()


def test_vw_method_uses_shapely_coverage_simplify(boundaries):
    simplified, report = simplify_coverage(boundaries["ams_buurten"], 5.0, method="vw")
    assert report.method == "vw"
    assert shapely.coverage_is_valid(simplified.values)


def test_metric_operations_refuse_degrees(boundaries):
    from geo.errors import CoordinateError

    with pytest.raises(CoordinateError, match="EPSG:28992"):
        prepare_map_layer(boundaries["ams_buurten"].to_crs(WGS84))


@pytest.mark.parametrize("name", ["<img src=x onerror=alert(1)>", 'A & B "quoted"', "Buurt 't Hoekje"])
def test_text_properties_are_html_escaped_and_decode_back(boundaries, name):
    frame = boundaries["ams_buurten"].head(3).copy()
    frame["name"] = name
    layer = prepare_map_layer(frame, tolerance_m=TOL)
    sent = layer.data["features"][0]["properties"]["name"]
    assert "<" not in sent and '"' not in sent and "'" not in sent
    assert html.unescape(sent) == name  # what the browser shows after decoding the entities
    if name.startswith("<img"):
        assert sent == "&lt;img src=x onerror=alert(1)&gt;"
    if name.startswith("A &"):
        assert sent == "A &amp; B &quot;quoted&quot;"


def test_properties_are_json_safe_and_arrays_become_lists(boundaries):
    frame = boundaries["ams_buurten"].head(4).copy()
    frame["score"] = [1.23456, np.nan, 3.0, None]
    rgba = np.array([[255, 0, 0, 255]] * 4, dtype=np.uint8)
    layer = prepare_map_layer(frame, properties=["code", "score"], arrays={"fill": rgba})
    props = [f["properties"] for f in layer.data["features"]]
    assert [p["score"] for p in props] == [1.235, None, 3.0, None]
    assert props[0]["fill"] == [255, 0, 0, 255]
    json.dumps(layer.data, allow_nan=False)


def test_focus_outline_is_the_dissolve_of_its_wijken(boundaries):
    wijken = boundaries["ams_wijken"]
    outlines = focus_outlines(wijken, {"oud_oost": OUD_OOST + ["WK0363ZZ"]}, names={"oud_oost": "Oud-Oost"})
    row = outlines.iloc[0]
    members = wijken[wijken["code"].isin(OUD_OOST)]
    assert row["n_members"] == 4 and row["missing_codes"] == ("WK0363ZZ",)
    assert row.geometry.area == pytest.approx(shapely.union_all(members.geometry.values).area)
    assert outlines.crs == RD_NEW


def test_label_points_lie_inside_their_shape_and_are_escaped(boundaries):
    wijken = boundaries["ams_wijken"].head(5).copy()
    wijken.loc[wijken.index[0], "name"] = "<b>x</b>"
    labels = label_points(wijken)
    pts = gpd.GeoSeries(gpd.points_from_xy(*zip(*[lab["position"] for lab in labels])), crs=WGS84).to_crs(RD_NEW)
    assert all(geom.buffer(2).contains(p) for geom, p in zip(wijken.geometry, pts))
    assert labels[0]["name"] == "&lt;b&gt;x&lt;/b&gt;" and labels[0]["label_plain"] == "<b>x</b>"


def test_view_state_centres_on_amsterdam(buurt_layer):
    view = buurt_layer.view_state()
    assert 4.8 < view["longitude"] < 5.0 and 52.3 < view["latitude"] < 52.45
    assert 9 < view["zoom"] < 13
