"""Fixtures of the national emulator (``cbs-mirror --national``), shared through conftest's ``pytest_plugins``:
``national`` (one mirror per test process), ``nat`` (every service URL of the app on it, faults and the request
log cleared, no remembered 50150NED absence from an earlier test, a fresh cache) and ``nat_warm`` (the same, but
one disk cache for the whole test process: its first test fills it, the others read it, as a user's second visit
does)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SERVICES, SHARED_DATA, start_mirror, use_cache


@pytest.fixture(scope="session")
def national(tmp_path_factory):
    m = start_mirror(tmp_path_factory.mktemp("national-mirror"), "--national")
    yield m
    m.proc.terminate()
    m.proc.wait(10)


def _on_national(national, monkeypatch) -> None:
    """Every service URL of the app on ``national``, its faults and request log cleared, no remembered 50150NED
    absence from an earlier test."""
    from data import health

    for var in SERVICES:
        monkeypatch.setenv(var, national.url)
    national.reset()
    health.forget_absent()


@pytest.fixture
def nat(national, cache_dir, monkeypatch):
    _on_national(national, monkeypatch)
    return national


@pytest.fixture(scope="session")
def nat_disk_cache(tmp_path_factory):
    """The disk cache of the ``nat_warm`` tests of every module of a test process: only they write it, always from
    ``national`` (one mirror per process). A cold 50150NED load costs the national mirror 12 s of CPU (8 pages of
    10,000 rows filtered from the whole table) and KWB's national buurten 5 s more; one per process, not per module."""
    return tmp_path_factory.mktemp("national-cache") / "cache"


@pytest.fixture(scope="module")
def nat_module_cache(nat_disk_cache):
    """The process's national disk cache for a module's ``nat_warm`` tests; the process's in-memory frames of earlier
    modules are dropped (they may come from another mirror)."""
    from tests.conftest import _clear_streamlit_caches

    _clear_streamlit_caches()
    return nat_disk_cache


@pytest.fixture
def nat_warm(national, nat_module_cache, monkeypatch):
    """``nat`` for tests that only read figures: the national tables are fetched and prepared once per test process
    (disk cache kept between modules, in-memory frames between a module's tests), not once per test. Tests that count
    requests, inject faults or need an empty cache use ``nat``."""
    _on_national(national, monkeypatch)
    use_cache(monkeypatch, nat_module_cache)
    return national


def raw_goed(code: str) -> dict[int, float]:
    """% "goed ervaren gezondheid" of buurt ``code`` per survey year, read from the raw 50150NED file of its gemeente
    in ../shared/data (years without a value left out)."""
    gm = json.loads((SHARED_DATA / "national" / "woonikveilig" / "gemeente" / f"GM{code[2:6]}.json").read_text())
    (b,) = [b for b in gm["buurten"] if b["code"] == code]
    return {int(y): float(v) for y, v in b["gezondheid"]["trend"].items() if v is not None}


def pct_text(x: float, lang: str) -> str:
    """A percentage with one decimal as the page writes it: decimal comma in Dutch, point in English."""
    text = f"{x:.1f}"
    return text.replace(".", ",") if lang == "nl" else text
