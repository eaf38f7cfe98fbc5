"""Map layers for pydeck: topology-keeping simplification in RD, WGS84 output, escaped properties.

Pipeline of :func:`prepare_map_layer` (all metric work in EPSG:28992):

1. simplify the polygons as a *coverage*: neighbours keep sharing their edges, so no gaps or overlaps
   appear between them (:func:`simplify_coverage`);
2. reproject to EPSG:4326 and round to ``decimals`` (5 decimals = at most 0.66 m in NL);
3. escape every text property with ``html.escape(quote=True)`` (tooltips are HTML; the browser decodes
   the entities again, so ``A & B "x"`` displays unchanged and ``<img ...>`` displays as text);
4. return a compact GeoJSON FeatureCollection for ``pydeck.Layer("GeoJsonLayer", data=layer.data)``.

The simplification tolerance is a *displacement budget*: every boundary point stays within
``tolerance_m`` metres of where PDOK put it (Hausdorff distance), rounding included. The default
(10 m) is below one screen pixel up to zoom 13 (a pixel is ~11.7 m at 52.4 N), i.e. invisible at
wijk/buurt overview scales.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import NL_BOUNDS_WGS84, RD_NEW, WGS84, check_bounds, require_rd
from geo.errors import GeoError

DEFAULT_TOLERANCE_M = 10.0
METHODS = ("edges", "vw")
_M_PER_DEGREE = 111_320.0


# --------------------------------------------------------------------------------------------- reports


@dataclass(frozen=True)
class CoverageCheck:
    """Gaps and overlaps inside one set of polygons, in m² (RD)."""

    overlap_m2: float  # sum of pairwise intersection areas
    gap_m2: float  # area of holes in the union of all polygons
    n_overlapping_pairs: int
    n_gaps: int


@dataclass(frozen=True)
class SimplifyReport:
    """How a set of polygons was simplified and what it cost in geometry."""

    method: str  # "edges", "vw", "per-geometry" (fallback), "none", or "mixed: ..." per gemeente
    tolerance_m: float  # displacement budget asked for (rounding included)
    simplify_tolerance_m: float  # tolerance given to the simplifier (budget minus rounding error)
    coverage_valid: bool
    n_vertices_before: int
    n_vertices_after: int
    max_displacement_m: float | None = None
    introduced_overlap_m2: float | None = None
    introduced_gap_m2: float | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass
class MapLayer:
    """A prepared layer: ``data`` goes to pydeck, the rest is for legends, checks and the view."""

    data: dict  # GeoJSON FeatureCollection (WGS84, rounded, escaped properties)
    report: SimplifyReport
    bounds: tuple[float, float, float, float]  # WGS84 (min lon, min lat, max lon, max lat)

    def view_state(self, width_px: int = 800, height_px: int = 600) -> dict:
        """``latitude``, ``longitude``, ``zoom`` that fit the layer (for ``pydeck.ViewState(**...)``)."""
        return view_state_for_bounds(self.bounds, width_px, height_px)


# --------------------------------------------------------------------------------------------- checks


def rounding_error_m(decimals: int) -> float:
    """Largest shift (m) that rounding lon/lat to ``decimals`` can cause inside the Netherlands."""
    half = 0.5 * 10.0 ** (-decimals) * _M_PER_DEGREE
    return math.hypot(half, half * math.cos(math.radians(NL_BOUNDS_WGS84[1])))


def _as_rd_array(geoms: gpd.GeoSeries | gpd.GeoDataFrame | MapLayer | dict) -> np.ndarray:
    """Geometry array in RD from a GeoSeries/GeoDataFrame (any CRS) or a prepared layer (WGS84)."""
    if isinstance(geoms, (MapLayer, dict)):
        geoms = layer_to_geodataframe(geoms)
    series = geoms.geometry if isinstance(geoms, gpd.GeoDataFrame) else geoms
    if series.crs is None:
        raise GeoError("Geometrie zonder CRS kan niet gemeten worden.", "Geometry without CRS cannot be measured.")
    return np.asarray(series.to_crs(RD_NEW).values if series.crs.to_epsg() != 28992 else series.values)


def displacement_m(original_rd, simplified, densify: float | None = None) -> np.ndarray:
    """Hausdorff distance in metres per area between original and simplified geometry (same order)."""
    a, b = _as_rd_array(original_rd), _as_rd_array(simplified)
    if len(a) != len(b):
        raise GeoError(f"{len(a)} originele tegen {len(b)} vereenvoudigde vormen: niet vergelijkbaar.",
                       f"{len(a)} original vs {len(b)} simplified shapes: not comparable.")
    return shapely.hausdorff_distance(a, b, densify=densify)


def max_displacement_m(original_rd, simplified, densify: float | None = None) -> float:
    """Largest boundary displacement (Hausdorff, m) over all areas; 0.0 for an empty set."""
    d = displacement_m(original_rd, simplified, densify)
    return float(np.nanmax(d)) if len(d) else 0.0


def coverage_check(geoms) -> CoverageCheck:
    """Overlaps (sum of pairwise intersection areas) and gaps (holes in the union) in m².

    Accepts a GeoSeries/GeoDataFrame in any CRS or a prepared layer; measures in RD.
    """
    arr = _as_rd_array(geoms)
    arr = arr[~shapely.is_empty(arr) & ~shapely.is_missing(arr)]
    if len(arr) == 0:
        return CoverageCheck(0.0, 0.0, 0, 0)
    tree = shapely.STRtree(arr)
    i, j = tree.query(arr, predicate="intersects")
    keep = i < j
    inter = shapely.area(shapely.intersection(arr[i[keep]], arr[j[keep]]))
    union = shapely.union_all(shapely.make_valid(arr))
    holes = [shapely.Polygon(ring) for poly in shapely.get_parts(union)
             if isinstance(poly, shapely.Polygon) for ring in poly.interiors]
    return CoverageCheck(
        overlap_m2=float(inter.sum()),
        gap_m2=float(sum(h.area for h in holes)),
        n_overlapping_pairs=int((inter > 0).sum()),
        n_gaps=len(holes),
    )


# --------------------------------------------------------------------------------------------- simplify


def _faces_to_polygons(faces: np.ndarray, originals: np.ndarray) -> np.ndarray | None:
    """Give every polygonized face to the original polygon it overlaps most (faces of gaps are dropped).

    Returns one geometry per original, or None if some original received no face (then the caller falls back).
    """
    tree = shapely.STRtree(originals)
    fi, gi = tree.query(faces, predicate="intersects")
    if len(fi) == 0:
        return None
    share = shapely.area(shapely.intersection(faces[fi], originals[gi]))
    best = pd.DataFrame({"face": fi, "geom": gi, "share": share}).sort_values("share").drop_duplicates("face", keep="last")
    best = best[best["share"] >= 0.5 * shapely.area(faces[best["face"].to_numpy()])]
    out = np.empty(len(originals), dtype=object)
    for g, rows in best.groupby("geom")["face"]:
        parts = faces[rows.to_numpy()]
        out[g] = parts[0] if len(parts) == 1 else shapely.multipolygons(parts)
    if any(o is None for o in out):
        return None
    return out


def _simplify_edges(geoms: np.ndarray, tolerance: float) -> np.ndarray | None:
    """Douglas-Peucker on the shared-edge network of a valid coverage (TopoJSON-style).

    Every shared edge is simplified once (topology-preserving, endpoints kept), so neighbours stay
    edge-matched and each boundary point moves at most ``tolerance``. None if faces cannot be matched.
    """
    edges = shapely.line_merge(shapely.union_all(shapely.boundary(geoms)))
    simple = shapely.simplify(edges, tolerance, preserve_topology=True)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(simple)))
    if len(faces) == 0:
        return None
    return _faces_to_polygons(faces, geoms)


def _simplify_group(geoms: np.ndarray, tolerance: float, method: str) -> tuple[np.ndarray, str, bool]:
    """Simplify one set of polygons; returns (result, method used, input was a valid coverage)."""
    valid = bool(shapely.coverage_is_valid(geoms))
    if tolerance <= 0:
        return geoms, "none", valid
    if not valid:
        return shapely.simplify(geoms, tolerance, preserve_topology=True), "per-geometry", False
    if method == "edges":
        result = _simplify_edges(geoms, tolerance)
        if result is not None:
            return result, "edges", True
    return shapely.coverage_simplify(geoms, tolerance), "vw", True


def simplify_coverage(gdf_rd: gpd.GeoDataFrame | gpd.GeoSeries, tolerance_m: float, *, method: str = "edges",
                      group_column: str | None = "gemeente_code") -> tuple[gpd.GeoSeries, SimplifyReport]:
    """Simplify polygons in RD so that neighbours keep sharing their boundaries.

    * ``method="edges"`` (default): Douglas-Peucker per shared edge; every point stays within ``tolerance_m``.
    * ``method="vw"``: ``shapely.coverage_simplify`` (Visvalingam-Whyatt; ``tolerance_m`` ~ sqrt of the
      removed triangle area, so displacement can exceed it).
    * Not a valid coverage (overlaps, unmatched edges): each gemeente (``group_column``) is tried as a
      coverage of its own; what is still invalid gets topology-preserving simplification per geometry,
      which can open small gaps between neighbours. The report says which method ran and why.
    """
    if method not in METHODS:
        raise GeoError(f"Onbekende methode '{method}'; kies uit: {', '.join(METHODS)}.",
                       f"Unknown method '{method}'; must be one of: {', '.join(METHODS)}.")
    require_rd(gdf_rd, "geometrie voor vereenvoudiging")
    series = gdf_rd.geometry if isinstance(gdf_rd, gpd.GeoDataFrame) else gdf_rd
    geoms = np.asarray(series.values)
    valid_all = bool(shapely.coverage_is_valid(geoms))
    notes: list[str] = []
    if valid_all or group_column is None or not isinstance(gdf_rd, gpd.GeoDataFrame) \
            or group_column not in gdf_rd.columns:
        out, used, _ = _simplify_group(geoms, tolerance_m, method)
        if not valid_all:
            notes.append("input is not a valid coverage; simplified per geometry")
    else:
        notes.append(f"input is not a valid coverage as a whole; simplified per {group_column}")
        out = np.empty(len(geoms), dtype=object)
        used_by_group = {}
        for key, idx in gdf_rd.groupby(gdf_rd[group_column].astype(str), sort=True).indices.items():
            out[idx], used_by_group[key], ok = _simplify_group(geoms[idx], tolerance_m, method)
            if not ok:
                notes.append(f"{key}: not a valid coverage; simplified per geometry")
        kinds = set(used_by_group.values())
        used = kinds.pop() if len(kinds) == 1 else "mixed: " + ", ".join(f"{k}={v}" for k, v in used_by_group.items())
    result = gpd.GeoSeries(out, index=series.index, crs=series.crs)
    report = SimplifyReport(
        method=used, tolerance_m=float(tolerance_m), simplify_tolerance_m=float(tolerance_m),
        coverage_valid=valid_all, n_vertices_before=int(shapely.get_num_coordinates(geoms).sum()),
        n_vertices_after=int(shapely.get_num_coordinates(out).sum()), notes=tuple(notes),
    )
    return result, report


def round_coordinates(geoms: np.ndarray, decimals: int) -> np.ndarray:
    """Round every coordinate to ``decimals``; shared vertices stay shared (same input, same output)."""
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


# --------------------------------------------------------------------------------------------- properties


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


def feature_properties(frame: pd.DataFrame, columns: Sequence[str], *, arrays: Mapping[str, np.ndarray] | None = None,
                       float_decimals: int | None = 3) -> list[dict]:
    """One JSON-safe, HTML-escaped property dict per row (``arrays``: extra per-row values, e.g. RGBA)."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise GeoError(f"Kolommen ontbreken voor de kaartlaag: {', '.join(missing)}.",
                       f"Columns missing for the map layer: {', '.join(missing)}.")
    data = {c: frame[c].tolist() for c in columns}
    for name, arr in (arrays or {}).items():
        arr = np.asarray(arr)
        if len(arr) != len(frame):
            raise GeoError(f"'{name}' heeft {len(arr)} waarden voor {len(frame)} gebieden.",
                           f"'{name}' has {len(arr)} values for {len(frame)} areas.")
        data[name] = arr.tolist()
    names = list(data)
    return [{k: _json_value(v, float_decimals) for k, v in zip(names, row)} for row in zip(*data.values())]


# --------------------------------------------------------------------------------------------- layer


def prepare_map_layer(gdf_rd: gpd.GeoDataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int = 5,
                      properties: Sequence[str] | None = None, arrays: Mapping[str, np.ndarray] | None = None,
                      method: str = "edges", float_decimals: int | None = 3, check: bool = True) -> MapLayer:
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
    features = [{"type": "Feature", "geometry": g.__geo_interface__ if g is not None else None, "properties": p}
                for g, p in zip(wgs, props)]
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


def view_state_for_bounds(bounds: tuple[float, float, float, float], width_px: int = 800,
                          height_px: int = 600) -> dict:
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


# --------------------------------------------------------------------------------------------- focus areas


def focus_outlines(gdf_rd: gpd.GeoDataFrame, groups: Mapping[str, Iterable[str]], *, code_column: str = "code",
                   names: Mapping[str, str] | None = None, close_gaps_m: float = 0.0) -> gpd.GeoDataFrame:
    """One outline per focus area: the dissolve (union) of its member areas, in RD.

    Columns ``focus_id``, ``name``, ``n_members``, ``missing_codes`` (members not in ``gdf_rd``), ``geometry``.
    ``close_gaps_m`` > 0 closes slivers narrower than twice that width between members (for sources whose
    boundaries do not meet exactly). A focus area without any member present raises GeoError.
    """
    require_rd(gdf_rd, "geometrie voor focusgebieden")
    codes = gdf_rd[code_column].astype(str).str.strip()
    rows = []
    for focus_id, members in groups.items():
        members = [str(m).strip() for m in members]
        present = codes.isin(members).to_numpy()
        if not present.any():
            raise GeoError(f"Focusgebied '{focus_id}': geen van de {len(members)} gebieden staat op de kaart.",
                           f"Focus area '{focus_id}': none of its {len(members)} areas is on the map.")
        shape = shapely.union_all(np.asarray(gdf_rd.geometry.values)[present])
        if close_gaps_m > 0:
            shape = shape.buffer(close_gaps_m, join_style="mitre").buffer(-close_gaps_m, join_style="mitre")
        rows.append({"focus_id": focus_id, "name": (names or {}).get(focus_id, focus_id),
                     "n_members": int(present.sum()),
                     "missing_codes": tuple(sorted(set(members) - set(codes[present]))), "geometry": shape})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=gdf_rd.crs)


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
    return [{"position": [float(x), float(y)], "name": escape_text(str(t)), "label_plain": str(t)}
            for (x, y), t in zip(xy, texts)]
