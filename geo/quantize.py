"""Quantized binary geometry for the deck.gl map component: geometry travels once, as one content-hashed file.

Input: polygons in RD (EPSG:28992) that are already simplified as a coverage (:func:`prepare_geometry`
does that with :func:`geo.layer.simplify_coverage`). Output: gzip'd bytes in layout ``SKQ1``::

    b"SKQ1" | uint32 header length | header JSON (utf-8, padded to 4 bytes) |
    int32 part_area[n_parts] | int32 part_ring_offsets[n_parts + 1] | int32 ring_vertex_offsets[n_rings + 1] |
    int32 deltas[2 * n_vertices]

All integers little-endian. A *part* is one polygon of an area (a MultiPolygon has several), its first ring
the exterior, then the holes. Coordinates are integer steps of ``scale`` metres in RD from ``origin``
(the lower-left corner of the layer, snapped to the grid), delta-encoded per ring (first vertex relative to
the origin). The browser draws them in an OrthographicView in local RD metres (north up), so no
reprojection happens in the browser and the picture is the RD map that the simplification budget was
measured in. Ring closing vertices are dropped (deck.gl closes rings itself).

The header holds ``codes`` and ``names`` (one per area, in input order: the colour/tooltip arrays that
travel on every rerun are indexed the same way), ``origin``, ``scale``, ``extent`` (local units) and counts.
Names are data: the component renders them with ``textContent`` only.

Displacement: snapping to a grid of ``scale`` metres moves a vertex at most ``scale / sqrt(2)``;
:func:`prepare_geometry` gives the simplifier the budget minus that, so every boundary point stays within
``tolerance_m`` of PDOK's (measured by :func:`decode` + :func:`geo.layer.max_displacement_m` in the tests).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import struct
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.crs import RD_NEW, check_bounds, require_rd
from core.errors import GeoError
from geo.layer import DEFAULT_TOLERANCE_M, SimplifyReport, simplify_coverage

MAGIC = b"SKQ1"
DEFAULT_SCALE_M = 1.0
HASH_CHARS = 20  # hex characters of sha256 in the file name (80 bits)


@dataclass(frozen=True)
class EncodedGeometry:
    """The bytes for the browser and what the Python side needs to address them."""

    data: bytes  # gzip'd SKQ1 file
    digest: str  # content hash of ``data`` (hex, HASH_CHARS long): the file name
    codes: tuple[str, ...]  # area order of every per-rerun array
    n_vertices: int
    report: SimplifyReport | None = None

    @property
    def filename(self) -> str:
        return f"{self.digest}.skq"


def quantization_error_m(scale_m: float) -> float:
    """Largest shift (m) that snapping to a square grid of ``scale_m`` metres causes."""
    return scale_m / math.sqrt(2.0)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def _rings_of(geoms: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[int]]:
    """(part -> area index, list of ring coordinate arrays in part order, number of rings per part)."""
    parts, area_idx = shapely.get_parts(geoms, return_index=True)
    keep = shapely.get_type_id(parts) == 3  # polygons only (GeometryCollections were exploded above)
    parts, area_idx = parts[keep], area_idx[keep]
    rings: list[np.ndarray] = []
    counts: list[int] = []
    for part in parts:  # ring order inside a part matters (exterior first): kept explicit
        ext = np.asarray(part.exterior.coords)
        rs = [ext] + [np.asarray(r.coords) for r in part.interiors]
        rings.extend(rs)
        counts.append(len(rs))
    return area_idx.astype(np.int32), rings, counts


def encode(
    geoms_rd: gpd.GeoSeries,
    codes,
    names=None,
    *,
    scale_m: float = DEFAULT_SCALE_M,
    report: SimplifyReport | None = None,
) -> EncodedGeometry:
    """Quantize RD polygons (one per area, order kept) into the gzip'd SKQ1 layout."""
    require_rd(geoms_rd, "geometrie voor de kaart")
    codes = [str(c) for c in codes]
    names = ["" if pd.isna(n) else str(n) for n in (names if names is not None else codes)]
    geoms = np.asarray(geoms_rd.values)
    if not (len(geoms) == len(codes) == len(names)):
        raise GeoError(
            f"{len(geoms)} vormen, {len(codes)} codes en {len(names)} namen: niet gelijk.",
            f"{len(geoms)} shapes, {len(codes)} codes and {len(names)} names: not equal.",
        )
    if len(geoms) == 0:
        raise GeoError("Geen gebieden om te tekenen.", "No areas to draw.")
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    ox, oy = math.floor(minx / scale_m) * scale_m, math.floor(miny / scale_m) * scale_m
    part_area, rings, per_part = _rings_of(geoms)
    q = [np.rint((r[:-1] - (ox, oy)) / scale_m).astype(np.int64) for r in rings]  # drop the closing vertex
    sizes = np.fromiter((len(r) for r in q), dtype=np.int64, count=len(q))
    ring_off = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32)
    part_off = np.concatenate([[0], np.cumsum(per_part)]).astype(np.int32)
    allq = np.concatenate(q) if q else np.zeros((0, 2), np.int64)
    deltas = np.diff(allq, axis=0, prepend=np.zeros((1, 2), np.int64))
    deltas[ring_off[:-1][sizes > 0]] = allq[ring_off[:-1][sizes > 0]]  # first vertex of a ring: absolute
    header = {
        "format": "SKQ1",
        "crs": RD_NEW,
        "scale": scale_m,
        "origin": [ox, oy],
        "extent": [float(minx - ox), float(miny - oy), float(maxx - ox), float(maxy - oy)],
        "n_areas": len(codes),
        "n_parts": len(part_area),
        "n_rings": len(q),
        "n_vertices": len(allq),
        "codes": codes,
        "names": names,
    }
    hjson = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
    head = MAGIC + struct.pack("<I", len(hjson)) + hjson
    head += b"\0" * ((-len(head)) % 4)
    body = b"".join(
        np.ascontiguousarray(a, dtype="<i4").tobytes() for a in (part_area, part_off, ring_off, deltas.reshape(-1))
    )
    data = gzip.compress(head + body, compresslevel=6, mtime=0)  # mtime=0: same input, same bytes
    return EncodedGeometry(
        data=data, digest=content_hash(data), codes=tuple(codes), n_vertices=len(allq), report=report
    )


def decode(data: bytes) -> tuple[dict, gpd.GeoSeries]:
    """Header and one (Multi)Polygon per area in RD: the inverse of :func:`encode` (tests, checks)."""
    raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if raw[:4] != MAGIC:
        raise GeoError("Onbekend geometrieformaat.", "Unknown geometry format.")
    (hlen,) = struct.unpack("<I", raw[4:8])
    header = json.loads(raw[8 : 8 + hlen].decode())
    off = 8 + hlen
    off += (-off) % 4
    ints = np.frombuffer(raw[off:], dtype="<i4")
    n_p, n_r, n_v = header["n_parts"], header["n_rings"], header["n_vertices"]
    part_area = ints[:n_p]
    part_off = ints[n_p : 2 * n_p + 1]
    ring_off = ints[2 * n_p + 1 : 2 * n_p + 2 + n_r]
    deltas = ints[2 * n_p + 2 + n_r : 2 * n_p + 2 + n_r + 2 * n_v].reshape(-1, 2).astype(np.int64)
    ring_id = np.repeat(np.arange(n_r), np.diff(ring_off))
    # cumulative sum restarted at every ring: subtract the running total before each ring start
    cum = np.cumsum(deltas, axis=0)
    starts = ring_off[:-1]
    base = np.zeros((n_r, 2), np.int64)
    nonempty = np.diff(ring_off) > 0
    base[nonempty] = cum[starts[nonempty]] - deltas[starts[nonempty]]
    xy = (cum - base[ring_id]) * header["scale"] + header["origin"]
    polys_by_area: dict[int, list] = {}
    for p in range(n_p):
        rings = [xy[ring_off[r] : ring_off[r + 1]] for r in range(part_off[p], part_off[p + 1])]
        polys_by_area.setdefault(int(part_area[p]), []).append(shapely.Polygon(rings[0], rings[1:]))
    out = []
    for a in range(header["n_areas"]):
        ps = polys_by_area.get(a, [])
        out.append(ps[0] if len(ps) == 1 else shapely.MultiPolygon(ps) if ps else shapely.Polygon())
    return header, gpd.GeoSeries(out, crs=RD_NEW)


def prepare_geometry(
    gdf_rd: gpd.GeoDataFrame,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    scale_m: float = DEFAULT_SCALE_M,
    method: str = "edges",
) -> EncodedGeometry:
    """Simplify as a coverage in RD (per gemeente when the whole is not one), then quantize.

    Every boundary point stays within ``tolerance_m`` of the input (simplification budget plus grid snap).
    Needs ``code`` (and uses ``name`` when present); pure, no weights or colours involved.
    """
    require_rd(gdf_rd, "kaartlaag")
    check_bounds(gdf_rd)
    budget = max(0.0, tolerance_m - quantization_error_m(scale_m))
    simplified, report = simplify_coverage(gdf_rd, budget, method=method)
    names = gdf_rd["name"].tolist() if "name" in gdf_rd.columns else None
    return encode(simplified, gdf_rd["code"].astype(str).tolist(), names, scale_m=scale_m, report=report)
