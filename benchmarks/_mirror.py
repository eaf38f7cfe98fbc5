"""Start ../shared/cbs-mirror for a benchmark run (real CBS/PDOK data over HTTP on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[1]
MIRROR_BIN = (REPO / ".." / "shared" / "cbs-mirror" / "cbs-mirror").resolve()


class MirrorUnavailable(RuntimeError):
    """../shared is absent (outside the Stapelkaart workplace)."""


def start(tmp: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start cbs-mirror on a free port (``extra``: more mirror options); return the process and its base URL.

    Shared by the benchmarks and the test fixtures (tests/conftest.py).
    """
    if not MIRROR_BIN.exists():
        raise MirrorUnavailable(f"{MIRROR_BIN} not found: benchmarks need ../shared/cbs-mirror")
    port_file = tmp / "url"
    proc = subprocess.Popen([sys.executable, str(MIRROR_BIN), "--port-file", str(port_file), "--quiet", *extra])
    deadline = time.time() + 15
    while not port_file.exists():
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError("cbs-mirror did not start")
        time.sleep(0.05)
    return proc, port_file.read_text().strip()


@contextmanager
def running(tmp: Path, *, cache_dir: Path | None = None) -> Iterator[str]:
    """Run the mirror and point the Stapelkaart env vars (and optionally the cache) at it."""
    proc, url = start(tmp)
    names = ("STAPELKAART_CBS_URL", "STAPELKAART_PDOK_URL", "STAPELKAART_CACHE_DIR")
    old = {k: os.environ.get(k) for k in names}
    os.environ["STAPELKAART_CBS_URL"] = url
    os.environ["STAPELKAART_PDOK_URL"] = url
    if cache_dir is not None:
        os.environ["STAPELKAART_CACHE_DIR"] = str(cache_dir)
    try:
        yield url
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        proc.terminate()
        proc.wait(10)


def request_count(url: str) -> int:
    """Requests the mirror logged since the last clear."""
    with urllib.request.urlopen(url + "/__mirror__/requests", timeout=10) as resp:
        return int(json.loads(resp.read())["count"])


def clear_requests(url: str) -> None:
    req = urllib.request.Request(url + "/__mirror__/requests", method="DELETE")
    urllib.request.urlopen(req, timeout=10).read()
