"""deploy/: two replicas behind nginx share one read-only cache; one link gives the same view through either.

Runs ``deploy/run-replicas.sh`` itself (loopback ports, a temp nginx prefix, no root). The cache is prepared
by one writable instance that opens the link once; the replicas then get a CBS/PDOK address where nothing
listens, so every number they show comes from the shared cache, which the
script makes read-only. Each replica is reached through nginx (the sticky cookie picks it; the response
header ``X-Stapelkaart-Upstream`` says which one answered) over Streamlit's websocket protocol
(``benchmarks/_stclient.py``), and the rendered texts and map specs are compared.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks._mirror import free_port, free_port_range, start_streamlit
from benchmarks._stclient import open_page

REPO = Path(__file__).resolve().parents[1]
NGINX = Path("/usr/sbin/nginx")
LINK = "gm=GM0479&year=2024&level=wijk&w=armoede:2,wonen:0.5"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not NGINX.exists(), reason="/usr/sbin/nginx absent: `make test` installs Debian's nginx"),
]


def _get(url: str, cookie: str | None = None) -> tuple[int, dict]:
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=5) as resp:
        resp.read()
        return resp.status, dict(resp.headers)


@pytest.fixture
def replicas(tmp_path, mirror):
    cache = tmp_path / "cache"
    env = dict(
        os.environ,
        STAPELKAART_CBS_URL=mirror.url,
        STAPELKAART_PDOK_URL=mirror.url,
        STAPELKAART_DATADERDEN_URL=mirror.url,
        STAPELKAART_CACHE_DIR=str(cache),
    )
    # Prepare the shared cache as an operator would: one writable instance opens the view once (it also
    # caches the national reference and the other levels, which `python -m data fetch` does not).
    warm, warm_url = start_streamlit(REPO / "app.py", env)
    try:
        first = asyncio.run(open_page(warm_url, LINK))
        assert first.finished and first.errors == [], first.errors
    finally:
        warm.terminate()
        warm.wait(15)
    dead_port = free_port()
    dead = f"http://127.0.0.1:{dead_port}"  # nothing listens: the replicas can only read the cache
    nginx_port = free_port_range(1, avoid=(dead_port,))
    base = free_port_range(2, avoid=(dead_port, nginx_port))  # both replicas' ports free (one taken stops the script)
    run_dir = tmp_path / "run"
    env.update(
        STAPELKAART_CBS_URL=dead,
        STAPELKAART_PDOK_URL=dead,
        STAPELKAART_DATADERDEN_URL=dead,
        REPLICAS="2",
        BASE_PORT=str(base),
        NGINX_PORT=str(nginx_port),
        RUN_DIR=str(run_dir),
        PYTHON=sys.executable,
        STAPELKAART_USERSTORE_DIR=str(tmp_path / "userstore"),
    )
    proc = subprocess.Popen(
        ["bash", str(REPO / "deploy" / "run-replicas.sh")],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{nginx_port}"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"run-replicas.sh stopped: {proc.stdout.read()}")
            try:
                if _get(url + "/_stcore/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail("nginx in front of the replicas did not answer within 120 s")
            time.sleep(0.3)
        yield {"url": url, "ports": {base, base + 1}, "cache": cache, "run_dir": run_dir}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        subprocess.run(["chmod", "-R", "u+w", str(cache)], check=False)  # let pytest remove the tmp dir


def _cookie_per_replica(url: str, ports: set[int]) -> dict[int, str]:
    """A sticky cookie value for each replica, found by asking nginx which upstream answered."""
    found: dict[int, str] = {}
    for i in range(200):
        cookie = f"stapelkaart_replica=probe{i}"
        _, headers = _get(url + "/_stcore/health", cookie)
        port = int(headers["X-Stapelkaart-Upstream"].rsplit(":", 1)[1])
        found.setdefault(port, cookie)
        if set(found) == ports:
            return found
    pytest.fail(f"200 cookies reached only replicas {sorted(found)} of {sorted(ports)}")


def test_one_link_gives_the_same_view_through_either_replica(replicas):
    url, ports = replicas["url"], replicas["ports"]
    cookies = _cookie_per_replica(url, ports)

    # Sticky: the same cookie keeps reaching the same replica.
    for port, cookie in cookies.items():
        seen = {
            int(_get(url + "/_stcore/health", cookie)[1]["X-Stapelkaart-Upstream"].rsplit(":", 1)[1]) for _ in range(5)
        }
        assert seen == {port}
    # A new visitor is given the cookie.
    assert "stapelkaart_replica=" in _get(url + "/")[1].get("Set-Cookie", "")

    runs = {port: asyncio.run(open_page(url, LINK, headers={"Cookie": cookie})) for port, cookie in cookies.items()}
    for port, run in runs.items():
        assert run.finished and run.errors == [], (port, run.errors)
        assert run.deck_specs, f"replica {port} drew no map"
        assert any("Zaanstad" in t or "Poelenburg" in t for t in run.texts + run.deck_specs)
    a, b = runs.values()
    assert a.texts == b.texts
    assert a.deck_specs == b.deck_specs
    assert a.view_digest() == b.view_digest()

    # Both replicas read the one shared cache; it is read-only and nothing was written to it.
    entries = replicas["cache"] / "entries"
    assert entries.stat().st_mode & 0o222 == 0, "run-replicas.sh must make the shared cache read-only"
    assert not list(replicas["cache"].glob(".snapshot-staging-*"))
