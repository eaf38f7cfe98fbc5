"""Bytes sent to the browser for all Amsterdam + Zaanstad wijken and buurten: prepared layer vs naive GeoJSON.

Naive = ``GeoDataFrame.to_crs(EPSG:4326).to_json()`` of the same PDOK geometry and the same properties
(code, name). Prepared = ``geo.layer.prepare_map_layer`` (coverage simplification in RD, 5 decimals).
Boundaries come from ``data.pdok.load_boundaries`` against a cbs-mirror started here as a subprocess.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd

from benchmarks import _mirror

REPO = Path(__file__).resolve().parents[1]
MIRROR_BIN = (REPO / ".." / "shared" / "cbs-mirror" / "cbs-mirror").resolve()
GEMEENTEN = ["GM0363", "GM0479"]  # Amsterdam, Zaanstad
TOLERANCE_M = 10.0


def _page_map_bytes(level: str) -> int:
    """Bytes the Kaart page really sends for its map on a first load, via Streamlit's AppTest: the map
    component's message (colour indices, palette, tooltip fields, outlines, the geometry file's address) plus
    the content-hashed geometry file the browser fetches once (components.deckmap)."""
    import logging

    from streamlit.testing.v1 import AppTest

    from pages._common import loaders_map

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    at.query_params["gm"] = ",".join(GEMEENTEN)
    at.query_params["level"] = level
    at.run()
    maps = [e for e in at.main if getattr(e, "type", "") == "component_instance"]
    if at.exception or not maps:
        raise RuntimeError(f"Kaart page did not draw a map for level {level}: {[e.value for e in at.exception]}")
    return len(maps[0].proto.SerializeToString()) + len(loaders_map.map_geometry(tuple(GEMEENTEN), 2024, level).data)


def _measure(frames: list[gpd.GeoDataFrame]) -> dict:
    """Prepare each frame, compare with the naive GeoJSON, collect the checks."""
    from benchmarks._pydeck_baseline import coverage_check, layer_to_geodataframe, payload_bytes, prepare_map_layer

    out = {
        "simplified": 0,
        "naive": 0,
        "simplified_pydeck": 0,
        "naive_pydeck": 0,
        "displacement": 0.0,
        "within_overlap": 0.0,
        "within_gap": 0.0,
        "all_overlap": 0.0,
        "all_gap": 0.0,
        "methods": [],
        "by_level": [],
    }
    for frame in frames:
        layer = prepare_map_layer(frame, tolerance_m=TOLERANCE_M, properties=["code", "name"])
        naive = frame[["code", "name", "geometry"]].to_crs("EPSG:4326").to_json()
        out["simplified"] += payload_bytes(layer)
        out["naive"] += len(naive.encode())
        out["simplified_pydeck"] += payload_bytes(layer, pydeck=True)
        out["naive_pydeck"] += payload_bytes(json.loads(naive), pydeck=True)
        out["displacement"] = max(out["displacement"], layer.report.max_displacement_m)
        out["all_overlap"] += layer.report.introduced_overlap_m2
        out["all_gap"] += layer.report.introduced_gap_m2
        out["methods"].append(f"{frame['level'].iloc[0]}: {layer.report.method}")
        back = layer_to_geodataframe(layer)
        gap0, overlap0 = out["within_gap"], out["within_overlap"]
        for _gm, idx in frame.groupby("gemeente_code").indices.items():  # neighbours inside one gemeente
            before, after = coverage_check(frame.iloc[idx]), coverage_check(back.iloc[idx])
            out["within_overlap"] += max(0.0, after.overlap_m2 - before.overlap_m2)
            out["within_gap"] += max(0.0, after.gap_m2 - before.gap_m2)
        out["by_level"].append(
            f"{frame['level'].iloc[0]} {out['within_gap'] - gap0:.1f} / {out['within_overlap'] - overlap0:.1f} m²"
        )
    return out


def main() -> None:
    """Print the payload ratio, displacement and gap/overlap lines."""
    if not MIRROR_BIN.exists():
        print("payload: skipped (../shared/cbs-mirror absent)")
        return
    with tempfile.TemporaryDirectory() as tmp, _mirror.running(Path(tmp), cache_dir=Path(tmp) / "cache"):
        from data.pdok import load_boundaries

        frames = [load_boundaries(GEMEENTEN, 2024, level) for level in ("wijk", "buurt")]
        wire = {level: _page_map_bytes(level) for level in ("wijk", "buurt")}
    t0 = time.perf_counter()
    m = _measure(frames)
    n = sum(len(f) for f in frames)
    print(
        f"payload ratio: {m['simplified'] / m['naive']:.3f} (simplified {m['simplified']} bytes / naive "
        f"{m['naive']} bytes), max displacement {m['displacement']:.1f} m, gaps/overlaps: "
        f"{m['within_gap']:.1f} / {m['within_overlap']:.1f} m² introduced between neighbours within a gemeente ({'; '.join(m['by_level'])})"
    )
    print(
        f"payload detail: {n} areas ({', '.join(m['methods'])}), tolerance {TOLERANCE_M:.0f} m, "
        f"prepared in {time.perf_counter() - t0:.2f} s incl. checks; as pydeck.to_json (indent=2): "
        f"{m['simplified_pydeck'] / m['naive_pydeck']:.3f} ({m['simplified_pydeck']} / {m['naive_pydeck']} bytes)"
    )
    naive_by_level = {
        f["level"].iloc[0]: len(f[["code", "name", "geometry"]].to_crs("EPSG:4326").to_json().encode()) for f in frames
    }
    sent, naive_total = sum(wire.values()), sum(naive_by_level.values())
    print(
        f"payload wire ratio: {sent / naive_total:.3f} (Kaart page's map on a first load: component message + "
        f"geometry file, wijk {wire['wijk']} + buurt {wire['buurt']} bytes incl. colours, tooltip fields, focus "
        f"outlines / "
        f"naive {naive_total} bytes)"
    )
    print(
        f"payload note: Amsterdam-Zaanstad border (sources not edge-matched in the mirror): gaps/overlaps "
        f"{m['all_gap'] - m['within_gap']:.0f} / {m['all_overlap'] - m['within_overlap']:.0f} m² introduced"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
