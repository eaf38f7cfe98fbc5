"""geo.quantize and components.deckmap.store on the real Amsterdam + Zaanstad boundaries from the mirror."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo.layer import max_displacement_m
from geo.quantize import content_hash, decode, encode, prepare_geometry, quantization_error_m


@pytest.fixture(scope="module")
def boundaries(mirror_server, tmp_path_factory):
    import os

    old = os.environ.get("STAPELKAART_CACHE_DIR")
    os.environ["STAPELKAART_CACHE_DIR"] = str(tmp_path_factory.mktemp("qcache"))
    from data.pdok import load_boundaries

    out = {lvl: load_boundaries(["GM0363", "GM0479"], 2024, lvl) for lvl in ("wijk", "buurt")}
    if old is None:
        os.environ.pop("STAPELKAART_CACHE_DIR")
    else:
        os.environ["STAPELKAART_CACHE_DIR"] = old
    return out


@pytest.mark.parametrize("level", ["wijk", "buurt"])
def test_prepared_geometry_keeps_every_point_within_10_m(boundaries, level):
    gdf = boundaries[level]
    enc = prepare_geometry(gdf, tolerance_m=10.0)
    header, shapes = decode(enc.data)
    assert header["codes"] == gdf["code"].tolist()
    assert max_displacement_m(gdf, shapes) <= 10.0
    assert enc.n_vertices < 0.8 * int(shapely.get_num_coordinates(np.asarray(gdf.geometry.values)).sum())
    assert enc.digest == content_hash(enc.data)
    # same input, same bytes (gzip mtime fixed): the content-hashed name is stable across processes
    assert prepare_geometry(gdf, tolerance_m=10.0).digest == enc.digest


def test_encode_roundtrip_is_exact_on_the_grid(boundaries):
    gdf = boundaries["wijk"]
    enc = encode(gdf.geometry, gdf["code"], gdf["name"], scale_m=1.0)
    _, shapes = decode(enc.data)
    d = max_displacement_m(gdf, shapes)
    assert d <= quantization_error_m(1.0) + 1e-9
    # holes and multipolygons survive: same number of parts and rings as PDOK's polygons
    orig = np.asarray(gdf.geometry.values)
    back = np.asarray(shapes.values)
    assert (shapely.get_num_geometries(orig) == shapely.get_num_geometries(back)).all()
    assert (
        shapely.get_num_interior_rings(shapely.get_parts(orig)).sum()
        == shapely.get_num_interior_rings(shapely.get_parts(back)).sum()
    )


def test_names_are_kept_verbatim(boundaries):
    gdf = boundaries["wijk"].copy()
    gdf.loc[gdf.index[0], "name"] = '<img src=x onerror=alert(1)> & "x"'
    header, _ = decode(encode(gdf.geometry, gdf["code"], gdf["name"]).data)
    assert header["names"][0] == '<img src=x onerror=alert(1)> & "x"'  # the component renders it as text


def test_layercache_reuses_the_prepared_file(boundaries, cache_dir):
    from components.deckmap import store as layercache

    gdf = boundaries["buurt"]
    first, cached = layercache.prepared_geometry(gdf)
    assert not cached
    again, cached = layercache.prepared_geometry(gdf)
    assert cached and again.digest == first.digest and again.data == first.data
    assert layercache.path_of(first.filename).read_bytes() == first.data
    assert layercache.path_of("../" + first.filename) is None
    other = gdf.copy()
    other.loc[other.index[0], "name"] = "anders"
    changed, cached = layercache.prepared_geometry(other)
    assert not cached and changed.digest != first.digest
