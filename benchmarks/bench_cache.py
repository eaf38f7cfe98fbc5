"""Cold vs warm fetch of GM0363 + GM0479 (wijk + buurt, statistics + boundaries) from the cbs-mirror.

Cold: an empty cache, every table and collection fetched over HTTP. Warm: the same calls again; they must
be answered from the cache with zero requests (the mirror's request log proves it).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks import _mirror

GEMEENTEN = ["GM0363", "GM0479"]
LEVELS = ["wijk", "buurt"]
YEAR = 2024


def _fetch_all() -> int:
    from data.cbs import load_kwb
    from data.pdok import load_boundaries

    rows = len(load_kwb(GEMEENTEN, YEAR, levels=["gemeente", *LEVELS]))
    for level in LEVELS:
        rows += len(load_boundaries(GEMEENTEN, YEAR, level))
    return rows


def measure() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        with _mirror.running(tmp_path, cache_dir=tmp_path / "cache") as url:
            _mirror.clear_requests(url)
            t0 = time.perf_counter()
            cold_rows = _fetch_all()
            cold_s = time.perf_counter() - t0
            cold_requests = _mirror.request_count(url)
            _mirror.clear_requests(url)
            t0 = time.perf_counter()
            warm_rows = _fetch_all()
            warm_s = time.perf_counter() - t0
            warm_requests = _mirror.request_count(url)
    return {
        "cold_s": cold_s,
        "warm_s": warm_s,
        "cold_requests": cold_requests,
        "warm_requests": warm_requests,
        "rows": cold_rows,
        "same_rows": cold_rows == warm_rows,
        "ratio": cold_s / warm_s if warm_s else float("inf"),
    }


def main() -> list[str]:
    r = measure()
    lines = [
        f"cache: cold {r['cold_s'] * 1000:.0f} ms / {r['cold_requests']} requests, "
        f"warm {r['warm_s'] * 1000:.0f} ms / {r['warm_requests']} requests "
        f"({r['rows']} rows, identical: {r['same_rows']})",
        f"cache ratio (cold/warm): {r['ratio']:.1f}x; warm requests: {r['warm_requests']} (target 0)",
    ]
    for line in lines:
        print(line)
    return lines


if __name__ == "__main__":
    main()
