"""The pydeck way of drawing the map, kept only as the benchmarks' "before" baseline.

The app draws with its own deck.gl component (components/deckmap, geo.quantize). The benchmarks compare it with
what ``st.pydeck_chart`` would send: a GeoJSON FeatureCollection (simplified in RD, WGS84, rounded, text
HTML-escaped for pydeck tooltips) in a :class:`CompactDeck`. Nothing in the app imports this module.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from core.crs import NL_BOUNDS_WGS84, RD_NEW, WGS84, check_bounds, require_rd
from core.errors import GeoError
from geo.layer import (
    DEFAULT_TOLERANCE_M,
    SimplifyReport,
    coverage_check,
    max_displacement_m,
    round_coordinates,
    rounding_error_m,
    simplify_coverage,
)


class CompactDeck(pdk.Deck):
    """``pdk.Deck`` whose ``to_json`` has no indentation, no spaces after separators and no ``\\uXXXX``
    escapes (the text goes to the browser as UTF-8)."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


@dataclass
class MapLayer:
    """A prepared layer: ``data`` goes to pydeck, the rest is for legends, checks and the view."""

    data: dict  # GeoJSON FeatureCollection (WGS84, rounded, escaped properties)
    report: SimplifyReport
    bounds: tuple[float, float, float, float]  # WGS84 (min lon, min lat, max lon, max lat)

    def view_state(self, width_px: int = 800, height_px: int = 600) -> dict:
        """``latitude``, ``longitude``, ``zoom`` that fit the layer (for ``pydeck.ViewState(**...)``)."""
        return view_state_for_bounds(self.bounds, width_px, height_px)


def escape_text(value: object) -> object:
    """HTML-escape a string for a pydeck tooltip (``&<>"'`` become entities); other values pass through."""
    return html.escape(value, quote=True) if isinstance(value, str) else value


def _json_value(value: object, float_decimals: int | None) -> object:
    """A JSON-safe scalar: NaN/NA -> None, numpy -> Python, floats rounded, arrays -> lists, text escaped."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_json_value(v, float_decimals) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            return None
        return round(float(value), float_decimals) if float_decimals is not None else float(value)
    if isinstance(value, str):
        return escape_text(value)
    return escape_text(str(value))


def feature_properties(
    frame: pd.DataFrame,
    columns: Sequence[str],
    *,
    arrays: Mapping[str, np.ndarray] | None = None,
    float_decimals: int | None = 3,
) -> list[dict]:
    """One JSON-safe, HTML-escaped property dict per row (``arrays``: extra per-row values, e.g. RGBA)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GeoError(
            f"Kolommen ontbreken voor de kaartlaag: {', '.join(missing)}.",
            f"Columns missing for the map layer: {', '.join(missing)}.",
        )
    data = {c: frame[c].tolist() for c in columns}
    for name, given in (arrays or {}).items():
        arr = np.asarray(given)
        if len(arr) != len(frame):
            raise GeoError(
                f"'{name}' heeft {len(arr)} waarden voor {len(frame)} gebieden.",
                f"'{name}' has {len(arr)} values for {len(frame)} areas.",
            )
        data[name] = arr.tolist()
    names = list(data)
    return [{k: _json_value(v, float_decimals) for k, v in zip(names, row)} for row in zip(*data.values())]


# --------------------------------------------------------------------------------------------- layer


def prepare_map_layer(
    gdf_rd: gpd.GeoDataFrame,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    decimals: int = 5,
    properties: Sequence[str] | None = None,
    arrays: Mapping[str, np.ndarray] | None = None,
    method: str = "edges",
    float_decimals: int | None = 3,
    check: bool = True,
) -> MapLayer:
    """Simplify (RD, topology kept), reproject to WGS84, round, escape; return a pydeck-ready MapLayer.

    ``properties``: columns to send (default ``code`` and ``name`` where present: send only what the
    tooltip and colours need). ``arrays``: per-row arrays such as ``{"fill": rgba}`` (n x 4 uint8).
    ``check``: also measure displacement and introduced gaps/overlaps (costs ~0.1-0.5 s for 600 buurten).
    """
    require_rd(gdf_rd, "kaartlaag")
    check_bounds(gdf_rd)
    if properties is None:
        properties = [c for c in ("code", "name") if c in gdf_rd.columns]
    budget = max(0.0, tolerance_m - rounding_error_m(decimals))
    simplified, report = simplify_coverage(gdf_rd, budget, method=method)
    wgs = round_coordinates(np.asarray(simplified.to_crs(WGS84).values), decimals)
    out_series = gpd.GeoSeries(wgs, crs=WGS84)
    props = feature_properties(gdf_rd, list(properties), arrays=arrays, float_decimals=float_decimals)
    features = [
        {"type": "Feature", "geometry": g.__geo_interface__ if g is not None else None, "properties": p}
        for g, p in zip(wgs, props)
    ]
    data = {"type": "FeatureCollection", "features": features}
    minx, miny, maxx, maxy = (float(v) for v in out_series.total_bounds) if len(out_series) else (math.nan,) * 4
    extra = {"tolerance_m": float(tolerance_m), "simplify_tolerance_m": budget}
    if check:
        before, after = coverage_check(gdf_rd), coverage_check(out_series)
        extra.update(
            max_displacement_m=max_displacement_m(gdf_rd, out_series),
            introduced_overlap_m2=max(0.0, after.overlap_m2 - before.overlap_m2),
            introduced_gap_m2=max(0.0, after.gap_m2 - before.gap_m2),
        )
    fields = {**report.__dict__, **extra}
    return MapLayer(data=data, report=SimplifyReport(**fields), bounds=(minx, miny, maxx, maxy))


def layer_to_geodataframe(layer: MapLayer | dict) -> gpd.GeoDataFrame:
    """The features of a prepared layer back as a GeoDataFrame in WGS84 (properties as columns)."""
    data = layer.data if isinstance(layer, MapLayer) else layer
    return gpd.GeoDataFrame.from_features(data["features"], crs=WGS84)


def payload_bytes(layer: MapLayer | dict | str, *, pydeck: bool = False) -> int:
    """Bytes of the layer data as JSON.

    ``pydeck=False``: compact JSON (what a minified transport sends). ``pydeck=True``: the way
    ``pydeck.Deck.to_json()`` (and so ``st.pydeck_chart``) serialises it: sorted keys, indent=2.
    """
    if isinstance(layer, str):
        return len(layer.encode("utf-8"))
    data = layer.data if isinstance(layer, MapLayer) else layer
    if pydeck:
        return len(json.dumps(data, sort_keys=True, indent=2).encode("utf-8"))
    return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def view_state_for_bounds(bounds: tuple[float, float, float, float], width_px: int = 800, height_px: int = 600) -> dict:
    """Web-Mercator centre and zoom that fit WGS84 ``bounds`` into a ``width_px`` x ``height_px`` map."""
    minx, miny, maxx, maxy = bounds
    if not all(math.isfinite(v) for v in bounds):
        minx, miny, maxx, maxy = NL_BOUNDS_WGS84

    def merc_y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    dx = max(maxx - minx, 1e-6) / 360.0
    dy = max(merc_y(maxy) - merc_y(miny), 1e-6) / (2 * math.pi)
    zoom = min(math.log2(width_px / 512.0 / dx), math.log2(height_px / 512.0 / dy))
    return {"longitude": (minx + maxx) / 2, "latitude": (miny + maxy) / 2, "zoom": round(min(zoom, 16.0), 2)}


def label_points(gdf_rd: gpd.GeoDataFrame, *, text_column: str = "name", decimals: int = 5) -> list[dict]:
    """Label positions for a pydeck TextLayer: a point inside each shape (representative_point in RD).

    Each dict has ``position`` ([lon, lat]), ``name`` (HTML-escaped, safe in a tooltip) and ``label_plain``
    (raw text for ``getText``: TextLayer draws glyphs, so entities would show literally; never put
    ``{label_plain}`` in a tooltip template).
    """
    require_rd(gdf_rd, "geometrie voor labels")
    points = gpd.GeoSeries(gdf_rd.geometry.representative_point().values, crs=RD_NEW).to_crs(WGS84)
    xy = np.round(np.column_stack([points.x.to_numpy(), points.y.to_numpy()]), decimals)
    texts = gdf_rd[text_column].tolist()
    return [
        {"position": [float(x), float(y)], "name": escape_text(str(t)), "label_plain": str(t)}
        for (x, y), t in zip(xy, texts)
    ]
