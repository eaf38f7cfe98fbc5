"""Issue 21 in Chromium: the Buurtprofiel of every focus area of every preset opens without an error box
("foutcode"), the flagged domains as ranks with their base (it raised KeyError 'base' for Zuidoost)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests._browser import CHROMIUM, address_equals_share, choose, settle
from tests.conftest import MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


@pytest.fixture(scope="module")
def server(app_server):
    return app_server


def _presets():
    """(preset id, its ``fa=`` value, [(area id, area name), ...]) for every preset."""
    from indicators.focus import PRESETS
    from indicators.focuscodec import format_focus_param, parse_focus_param

    out = []
    for pid, preset in PRESETS.items():
        fa = format_focus_param(preset.areas)
        out.append((pid, fa, [(a.id, a.name) for a in parse_focus_param(fa)]))
    return out


def test_every_preset_focus_profile_opens_in_chromium(browser, server):
    """Each preset's link opens its first focus area's profile; its other areas are then picked in the page's list
    (one page load per preset, not per area): every profile shows its name, no error, a domain rank only with its
    base, and the address bar names the area shown (``fopen``) and equals the share link."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    failures = []
    for pid, fa, areas in _presets():
        page.goto(f"{server}/buurtprofiel?fa={quote(fa)}&fopen={areas[0][0]}")
        page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
        for i, (fid, name) in enumerate(areas):
            if i:
                choose(page, "Kies een wijk of buurt", name, f"Focusgebied: {name}")  # as a user does
            settle(page, quiet=0.5)
            page.wait_for_selector("h2", timeout=60_000)
            body = page.locator('[data-testid="stMain"]').inner_text()
            heads = page.locator("h2").all_inner_texts()
            if "foutcode" in body or "Traceback" in body or not any(name in h for h in heads):
                failures.append((pid, fid, heads, body[:300]))
            elif "domeinrang" in body:
                assert "t.o.v." in body.split("domeinrang", 1)[1][:200], (pid, fid)
            here = address_equals_share(page)
            assert here[0] == "buurtprofiel" and here[1].get("fopen") == fid, (pid, fid, here)
    ctx.close()
    assert failures == []
