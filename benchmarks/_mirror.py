"""Local servers for benchmarks and tests: ../shared/cbs-mirror (real CBS/PDOK data over HTTP on 127.0.0.1)
and ``streamlit run`` of the app."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIRROR_BIN = (REPO / ".." / "shared" / "cbs-mirror" / "cbs-mirror").resolve()
USER_ENTRY = REPO / "serve.py"  # what users run (make run, Dockerfile, deploy): app.py as st.App with the map routes


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


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_range(n: int, *, avoid: tuple[int, ...] = ()) -> int:
    """The first of ``n`` consecutive free TCP ports on 127.0.0.1, none of them in ``avoid`` (deploy/run-replicas.sh
    starts replicas on BASE_PORT, BASE_PORT + 1, ...: a port after a free one may be taken, and a replica that
    cannot bind stops the whole script)."""
    for _ in range(200):
        base = free_port()
        ports = range(base, base + n)
        if any(p in avoid or p > 65535 for p in ports):
            continue
        socks = []
        try:
            for p in ports:
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise RuntimeError(f"no {n} consecutive free ports on 127.0.0.1")


def start_streamlit(
    script: Path, env: dict, *, timeout: float = 60, log: Path | None = None
) -> tuple[subprocess.Popen, str]:
    """``streamlit run script`` on a free localhost port; returns once ``/_stcore/health`` answers 200.

    ``log``: a file that receives the server's stdout and stderr (the server log); otherwise both are discarded.
    The caller terminates the process. Raises RuntimeError (and kills the process) when it does not start.
    """
    port = free_port()
    out = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115 (the child keeps it open)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
        ],
        cwd=REPO,
        env=env,
        stdout=out,
        stderr=out,
    )
    if log is not None:
        out.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).status == 200:
                return proc, url
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"streamlit did not start ({script})")
