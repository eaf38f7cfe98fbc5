"""Shared fixtures: the real CBS/PDOK emulator from ../shared/cbs-mirror, a private cache per test.

Tests read real data from ``../shared/data`` at run time (never copied into the repository). They are
skipped with a clear reason only when ``../shared`` is absent (outside the Stapelkaart workplace).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

# fixtures shared through tests/ modules (issue 20), never imported from another test file
pytest_plugins = ["tests.helpers_storage", "tests.helpers_versions", "tests.helpers_national", "tests._browser"]


def _scan_component_manifests_once() -> None:
    """Each ``AppTest`` scans every installed package for Streamlit component manifests when it first runs (0.27 s
    of CPU: 379 package metadata files parsed). The installed packages do not change during a test run, so the
    tests scan once per process; each caller gets its own copy of the list."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = functools.cache(manifest_scanner.scan_component_manifests)
    manifest_scanner.scan_component_manifests = lambda *a, **k: list(scan(*a, **k))


_scan_component_manifests_once()

REPO = Path(__file__).resolve().parents[1]
SHARED = (REPO / ".." / "shared").resolve()
SHARED_DATA = SHARED / "data"
MIRROR_BIN = SHARED / "cbs-mirror" / "cbs-mirror"
ARTIFACTS = REPO / "tests" / "artifacts"

needs_shared = pytest.mark.skipif(
    not MIRROR_BIN.exists(), reason="../shared (cbs-mirror and real data) is absent: only outside the workplace"
)


class Mirror:
    """Handle on a running cbs-mirror: base URL, fault API, request log."""

    def __init__(self, url: str, proc: subprocess.Popen | None = None) -> None:
        self.url = url
        self.proc = proc
        self.since = 0.0  # requests that started before the last reset belong to an earlier test

    def _call(self, method: str, path: str, body: object | None = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.url + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def fault(self, **spec) -> dict:
        return self._call("POST", "/__mirror__/faults", spec)

    def clear_faults(self) -> None:
        self._call("DELETE", "/__mirror__/faults")

    def requests(self, match: str | None = None) -> list[dict]:
        """Requests that started since the last reset. A request an earlier test abandoned (a timeout) is
        logged when the mirror finishes it, possibly after the reset; its start time says it is not ours."""
        q = "" if match is None else "?match=" + urllib.parse.quote(match)
        return [
            r
            for r in self._call("GET", "/__mirror__/requests" + q)["requests"]
            if r.get("time", self.since) >= self.since
        ]

    def clear_requests(self) -> None:
        self._call("DELETE", "/__mirror__/requests")

    def config(self, **settings) -> dict:
        return (
            self._call("POST", "/__mirror__/config", settings) if settings else self._call("GET", "/__mirror__/config")
        )

    def reset(self) -> None:
        self.clear_faults()
        self.config(page_size=10000, api_limit=10000, filter_topics=False)
        self.clear_requests()
        self.since = round(time.time(), 3) - 0.001  # the mirror logs start times rounded to 1 ms


def start_mirror(tmp_dir: Path, *extra: str) -> Mirror:
    """Start another cbs-mirror (e.g. with ``--tables``) on a free port; the caller terminates it."""
    from benchmarks._mirror import start

    proc, url = start(tmp_dir, *extra)
    return Mirror(url, proc)


import urllib.parse  # noqa: E402  (used by Mirror.requests)

#: the app's base URLs of its three services (CBS opendata, PDOK, CBS dataderden): a test points all of them at a mirror
SERVICES = ("STAPELKAART_CBS_URL", "STAPELKAART_PDOK_URL", "STAPELKAART_DATADERDEN_URL")


def use_cache(mp: pytest.MonkeyPatch, d: Path) -> None:
    """Point the app at the cache folder ``d``, with fast retry settings (a short backoff and timeout)."""
    mp.setenv("STAPELKAART_CACHE_DIR", str(d))
    mp.setenv("STAPELKAART_HTTP_BACKOFF", "0.05")
    mp.setenv("STAPELKAART_HTTP_TIMEOUT", "5")


@pytest.fixture(scope="session")
def mirror_server(tmp_path_factory):
    if not MIRROR_BIN.exists():
        pytest.skip("../shared/cbs-mirror is absent: only outside the Stapelkaart workplace")
    m = start_mirror(tmp_path_factory.mktemp("mirror"))
    old = {k: os.environ.get(k) for k in SERVICES}
    for k in SERVICES:  # every service on the mirror: a test never asks the real dataderden.cbs.nl
        os.environ[k] = m.url
    yield m
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    m.proc.terminate()
    m.proc.wait(10)


@pytest.fixture
def mirror(mirror_server):
    """The session mirror with faults cleared, default settings and an empty request log."""
    mirror_server.reset()
    yield mirror_server
    mirror_server.reset()  # no fault or small page size may leak into module-scoped fixtures


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """A private, empty cache for one test, plus fast retry settings."""
    d = tmp_path / "cache"
    use_cache(monkeypatch, d)
    _clear_streamlit_caches()  # the page loaders' caches (cache_data and the shared cache_resource) are per process
    return d


@pytest.fixture(scope="session")
def default_view_cache(mirror_server, tmp_path_factory):
    """A cache filled once per test process by the default view (the Kaart of Amsterdam and Zaanstad, wijken, and
    the same at buurt level) from the session mirror; ``warm_cache`` gives each test its own copy."""
    from tests.helpers_app import run_app

    d = tmp_path_factory.mktemp("default-view") / "cache"
    mirror_server.reset()
    with pytest.MonkeyPatch.context() as mp:
        use_cache(mp, d)
        _clear_streamlit_caches()
        run_app()
        run_app({"level": "buurt"})
        _clear_streamlit_caches()
    return d


@pytest.fixture
def warm_cache(cache_dir, default_view_cache):
    """``cache_dir`` holding its own copy of what the default view fetched (what the test writes stays its own),
    as on a server that has shown the Kaart once. For tests of what pages show; tests of how data arrive, of an
    empty cache, of requests or of faults use ``cache_dir``."""
    import shutil

    shutil.copytree(default_view_cache, cache_dir)
    return cache_dir


def _clear_streamlit_caches() -> None:
    import sys

    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    caches = sys.modules.get("pages._common.loaders_caches")
    if caches is not None:
        caches.clear_caches()  # also what the process counts as loaded (how loading is shown)
