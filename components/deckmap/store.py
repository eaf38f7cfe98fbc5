"""Disk cache of prepared map geometry, keyed by the hash of its input (shared by all sessions and processes).

``<cache_dir>/geometry/<digest>.skq``    the gzip'd SKQ1 file (geo.quantize), named by its content hash: what
                                        the browser fetches, cacheable forever (the name changes with the bytes)
``<cache_dir>/geometry/index/<key>.json``  input hash -> digest, codes count, vertices, simplification report

The input hash covers the geometry (WKB), codes, names and the preparation parameters; weights and colours
never enter it, so a weight change never re-simplifies anything. Writes are atomic (data.cache).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import asdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from core.crs import RD_NEW
from core.errors import StorageError
from data.cache import atomic_write_bytes, cache_dir
from geo.layer import DEFAULT_TOLERANCE_M
from geo.quantize import DEFAULT_SCALE_M, EncodedGeometry, prepare_geometry

_DIGEST = re.compile(r"^[0-9a-f]{20}\.skq$")
log = logging.getLogger(__name__)
FORMAT_VERSION = "SKQ1-edges-2"  # bump when geo.quantize or the simplification changes their output


def geometry_dir() -> Path:
    """``<cache_dir>/geometry``, or when the shared cache is read-only (deploy/run-replicas.sh) a writable
    per-user directory beside the temp dir: prepared geometry for a new selection must go somewhere."""
    d = cache_dir() / "geometry"
    try:
        (d / "index").mkdir(parents=True, exist_ok=True)
        if os.access(d, os.W_OK) and os.access(d / "index", os.W_OK):
            return d
    except OSError:
        pass
    own = Path(tempfile.gettempdir()) / f"stapelkaart-geometry-{os.getuid()}"
    (own / "index").mkdir(parents=True, exist_ok=True)
    return own


def _dirs() -> list[Path]:
    """Where prepared files are looked up: the shared cache first, then the writable fallback."""
    shared = cache_dir() / "geometry"
    return list(dict.fromkeys([shared, geometry_dir()]))


def _crs_label(gdf: gpd.GeoDataFrame) -> str:
    """The CRS as its EPSG code (``EPSG:28992``, core.crs.RD_NEW for RD): ``str(crs)`` is the WKT/PROJJSON
    text, which differs after a parquet round trip for the same CRS and would re-prepare the same geometry."""
    if gdf.crs is None:
        return "none"
    epsg = gdf.crs.to_epsg()
    return RD_NEW if epsg == 28992 else (f"EPSG:{epsg}" if epsg is not None else gdf.crs.to_string())


def input_key(gdf_rd: gpd.GeoDataFrame, *, tolerance_m: float, scale_m: float) -> str:
    """Hash of what determines the prepared geometry: shapes, codes, names, parameters (never weights)."""
    h = hashlib.sha256(FORMAT_VERSION.encode())
    h.update(json.dumps([tolerance_m, scale_m, _crs_label(gdf_rd)]).encode())
    h.update("\x1f".join(gdf_rd["code"].astype(str)).encode())
    if "name" in gdf_rd.columns:
        h.update("\x1f".join("" if n is None else str(n) for n in gdf_rd["name"].astype(object)).encode())
    for wkb in shapely.to_wkb(np.asarray(gdf_rd.geometry.values)):
        h.update(wkb)
    return h.hexdigest()[:32]


def path_of(filename: str) -> Path | None:
    """The stored file for a served name (``<digest>.skq``), or None for anything else (no traversal)."""
    if not _DIGEST.match(filename):
        return None
    return next((p for p in (d / filename for d in _dirs()) if p.is_file()), None)


def prepared_geometry(
    gdf_rd: gpd.GeoDataFrame, *, tolerance_m: float = DEFAULT_TOLERANCE_M, scale_m: float = DEFAULT_SCALE_M
) -> tuple[EncodedGeometry, bool]:
    """The encoded geometry for these boundaries, from disk when prepared before; (geometry, from_cache)."""
    key = input_key(gdf_rd, tolerance_m=tolerance_m, scale_m=scale_m)
    for d in _dirs():
        index = d / "index" / f"{key}.json"
        if index.is_file():
            meta = json.loads(index.read_text())
            f = d / f"{meta['digest']}.skq"
            if f.is_file():
                return EncodedGeometry(
                    data=f.read_bytes(),
                    digest=meta["digest"],
                    codes=tuple(meta["codes"]),
                    n_vertices=int(meta["n_vertices"]),
                ), True
    d = geometry_dir()
    index = d / "index" / f"{key}.json"
    enc = prepare_geometry(gdf_rd, tolerance_m=tolerance_m, scale_m=scale_m)
    meta = {
        "digest": enc.digest,
        "codes": list(enc.codes),
        "n_vertices": enc.n_vertices,
        "report": asdict(enc.report) if enc.report else None,
    }
    try:
        atomic_write_bytes(d / enc.filename, enc.data)
        atomic_write_bytes(index, json.dumps(meta, default=str).encode())
    except StorageError as exc:  # full disk: prepared again next time; stored() says so if the map needs the file
        log.warning("Voorbereide geometrie niet opgeslagen: %s", exc.message)
    return enc, False


def map_geometry_for(boundaries_rd: gpd.GeoDataFrame, stats=None) -> EncodedGeometry:
    """The map's geometry for PDOK boundaries: tooltip titles ``name (code)``, the name from the statistics
    (``stats``: code, name; as the tables show it) where they have one, else PDOK's."""
    codes = boundaries_rd["code"].astype(str)
    name = codes.map(stats.drop_duplicates("code").set_index("code")["name"]) if stats is not None else codes.map({})
    name = name.fillna(boundaries_rd["name"]).fillna(codes).astype(str)
    return prepared_geometry(boundaries_rd.assign(name=name + " (" + codes + ")"))[0]


def stored(geometry: EncodedGeometry) -> EncodedGeometry:
    """``geometry`` with its file present on disk (written again when the cache directory lost it)."""
    if path_of(geometry.filename) is None:
        atomic_write_bytes(geometry_dir() / geometry.filename, geometry.data)
    return geometry
