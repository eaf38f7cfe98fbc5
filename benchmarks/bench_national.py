"""National scale, first-load bytes and server preparation: ~17,000 areas, pydeck GeoJSON vs the map component.

No national boundaries are in ../shared, so the 568 real Amsterdam + Zaanstad buurten are REPLICATED 30x
(benchmarks/_national.py: 17,040 areas, translated copies inside the RD bounds of NL). Measured in one run:

* before: ``geo.layer.prepare_map_layer`` (the pydeck path; compact deck JSON bytes) and the naive
  ``to_crs(4326).to_json()``;
* after: ``components.deckmap.store.prepared_geometry`` (geo.quantize SKQ1 file, gzip'd): cold (empty disk cache) and
  warm (cached prepared layer: input hash + file read), plus the whole warm path a rerun would take (boundaries
  from the disk cache, replicate, prepared geometry);
* the displacement budget (<= 10 m) on the real (non-replicated) buurten of the same file format.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import _mirror
from benchmarks._national import COPIES, replicate

GOAL_BYTES = 3_000_000
GOAL_WARM_S = 1.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with _mirror.running(tmp_path, cache_dir=tmp_path / "cache"):
            from components.deckmap.store import prepared_geometry
            from data.pdok import load_boundaries
            from benchmarks._pydeck_baseline import max_displacement_m, payload_bytes, prepare_map_layer
            from geo.quantize import decode

            real = load_boundaries(["GM0363", "GM0479"], 2024, "buurt")
            nat = replicate(real)
            t0 = time.perf_counter()
            layer = prepare_map_layer(nat, check=False)
            before_s = time.perf_counter() - t0
            before_bytes = payload_bytes(layer)
            naive_bytes = len(nat[["code", "name", "geometry"]].to_crs("EPSG:4326").to_json().encode())
            del layer
            t0 = time.perf_counter()
            enc, cached = prepared_geometry(nat)
            cold_s = time.perf_counter() - t0
            assert not cached
            hits = []
            for _ in range(3):
                t0 = time.perf_counter()
                again, cached = prepared_geometry(nat)
                hits.append(time.perf_counter() - t0)
                assert cached and again.digest == enc.digest
            paths = []
            for _ in range(3):
                t0 = time.perf_counter()
                g, _ = prepared_geometry(replicate(load_boundaries(["GM0363", "GM0479"], 2024, "buurt")))
                paths.append(time.perf_counter() - t0)
            header, _ = decode(enc.data)
            real_enc, _ = prepared_geometry(real)
            _, real_back = decode(real_enc.data)
            disp = max_displacement_m(real, real_back)
    n = header["n_areas"]
    per_change = n * 1 + n * 4  # class index (uint8) + one float32 tooltip field per area, before framing
    warm = statistics.median(hits)
    path = statistics.median(paths)
    print(f"payload national: {n:,} areas (REPLICATED: the 568 real Amsterdam + Zaanstad buurten x {COPIES}; no "
          f"national boundaries available), {header['n_vertices']:,} vertices after simplification")
    print(f"payload national: first-load geometry {len(enc.data) / 1e6:.2f} MB (component file, gzip'd SKQ1; "
          f"goal <= 3 MB, ratio {len(enc.data) / GOAL_BYTES:.2f}) vs {before_bytes / 1e6:.2f} MB pydeck GeoJSON "
          f"layer ({len(enc.data) / before_bytes:.3f}) and {naive_bytes / 1e6:.2f} MB naive to_json() "
          f"({len(enc.data) / naive_bytes:.3f}); per colour change ~{per_change / 1e3:.0f} KB of arguments "
          f"(class index + one float32 field per area)")
    print(f"payload national: preparation warm (cached prepared layer) {warm * 1000:.0f} ms (median of 3; goal "
          f"<= {GOAL_WARM_S:.0f} s, ratio {warm / GOAL_WARM_S:.2f}); whole warm path incl. boundaries from the "
          f"disk cache and replication {path * 1000:.0f} ms; cold {cold_s:.1f} s; pydeck layer preparation "
          f"{before_s:.1f} s (not cached by content before this change)")
    print(f"payload national: max boundary displacement on the real buurten {disp:.2f} m (budget 10 m incl. the "
          f"1 m grid); file format header {json.dumps({k: header[k] for k in ('format', 'crs', 'scale')})}")


if __name__ == "__main__":
    main()
