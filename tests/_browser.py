"""What every real-browser test shares: Debian Chromium as the brief prescribes, and a freshly started server."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks._mirror import USER_ENTRY, start_streamlit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking"]


def serve(env: dict, entry: Path = USER_ENTRY, **kw):
    """A freshly started ``streamlit run <entry> --server.headless true`` (``make run`` starts serve.py); yields its
    URL and stops it afterwards. ``kw`` go to ``benchmarks._mirror.start_streamlit`` (timeout, log)."""
    try:
        proc, url = start_streamlit(entry, env, **kw)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


def chromium():
    """One Chromium for a module (yield from it in a fixture)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
