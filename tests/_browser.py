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


# --- journeys: waiting on conditions, the view in the address bar and the share link, the map's pixels ---------

_IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
                && !document.querySelector('[data-stale="true"]')"""


def settle(pg, timeout: float = 180, quiet: float = 1.5) -> None:
    """Wait until the script run is over: no running indicator and no stale element, for ``quiet`` s in a row."""
    import time

    pg.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=90_000)
    deadline, since = time.time() + timeout, None
    while time.time() < deadline:
        if pg.evaluate(_IDLE):
            since = since or time.time()
            if time.time() - since >= quiet:
                return
        else:
            since = None
        pg.wait_for_timeout(200)
    raise AssertionError(f"the app did not finish its run within {timeout} s")


def view_of(url: str) -> tuple[str, dict]:
    """(page, query) of a link: the path names the page ('/' is Kaart, the default page); a ``page=`` agrees."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url)
    path = parts.path.strip("/") or "kaart"
    query = dict(parse_qsl(parts.query))
    assert query.pop("page", path) == path, url
    return path, query


def share_link(pg) -> str:
    """The link in the sidebar's 'Kopieer link' field (opened first, as a user does)."""
    import re

    field = pg.locator("input.sk-share")
    if not field.first.is_visible():
        pg.locator('[data-testid="stSidebar"] summary', has_text=re.compile("Kopieer link|Copy link")).first.click()
        field.first.wait_for(state="visible", timeout=30_000)
    return field.first.get_attribute("value")


def address_equals_share(pg) -> tuple[str, dict]:
    """The view in the address bar, asserted equal to the share link's (the same run wrote both)."""
    here, share = view_of(pg.evaluate("location.href")), view_of(share_link(pg))
    assert here == share, (here, share)
    return here


MAP_FRAME = 'iframe[title="components.deckmap.deckmap"]'
_DRAWN = """() => { const m = document.getElementById('map');
    return !!m && !!m.dataset.drawnVersion && m.dataset.drawnVersion === m.dataset.argsVersion
           && document.querySelectorAll('#map canvas').length === 1; }"""


def map_frame(pg):
    """The map component's frame once it drew the arguments it holds (one canvas, its version drawn)."""
    pg.wait_for_selector(MAP_FRAME, timeout=120_000)
    if pg.locator(MAP_FRAME).count() != 1:
        raise AssertionError(f"{pg.locator(MAP_FRAME).count()} map frames")
    frame = pg.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(_DRAWN, timeout=120_000)
    return frame


def map_pixels(pg):
    """What the user sees of the map: a screenshot of its frame, as an (h, w, 3) uint8 array."""
    import io

    import numpy as np
    from PIL import Image

    png = pg.locator(MAP_FRAME).first.screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


#: the page menu in the sidebar (links.nav_links: page links that carry the view), and its text
NAV_LINK = '[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"]'


def nav_text(pg) -> str:
    """The menu's page names; Streamlit's own menu (legacy pages/ mode, "app") must not be there."""
    assert pg.locator('[data-testid="stSidebarNav"]').count() == 0
    return "\n".join(pg.locator(NAV_LINK).all_inner_texts())


def gpu_processes() -> set[int]:
    """Pids of the Chromium GPU processes (``--type=gpu-process``) this test process started (its descendants)."""
    import os
    from pathlib import Path

    parent: dict[int, int] = {}
    gpu: set[int] = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            cmd = (d / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])  # field 4, after "(comm)"
        if b"--type=gpu-process" in cmd:
            gpu.add(int(d.name))
    me = os.getpid()

    def ours(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == me:
                return True
        return False

    return {p for p in gpu if ours(p)}
