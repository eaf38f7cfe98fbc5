"""Fixtures of the national emulator (``cbs-mirror --national``), shared through conftest's ``pytest_plugins``:
``national`` (one mirror per test module) and ``nat`` (every service URL of the app on it, faults and the request
log cleared, no remembered 50150NED absence from an earlier test, a fresh cache)."""

from __future__ import annotations

import pytest

from tests.conftest import start_mirror

SERVICES = ("STAPELKAART_CBS_URL", "STAPELKAART_PDOK_URL", "STAPELKAART_DATADERDEN_URL")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    m = start_mirror(tmp_path_factory.mktemp("national-mirror"), "--national")
    yield m
    m.proc.terminate()
    m.proc.wait(10)


@pytest.fixture
def nat(national, cache_dir, monkeypatch):
    from data import health

    for var in SERVICES:
        monkeypatch.setenv(var, national.url)
    national.reset()
    health.forget_absent()
    return national
