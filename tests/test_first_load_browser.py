"""Issue 20: now and then a journey found a blank page -- "the app view never came up", "no h1 within 90 s",
"the map never reported drawn" -- once per full-suite run, a different journey each time, never alone.

The evidence that tests/_browser.py now saves when a wait runs out named the cause: the browser's console said
``Error: Cannot set a node at a delta path`` one second after the websocket opened, and Streamlit's whole app
unmounted (no ``stApp`` element left). On a fresh server loaded by other work, 4 of 60 first loads of
``/?level=wijk`` blanked that way. The Kaart wrote its two sidebar slots (page menu, share link) twice in one
run: first from the shell, then again from its map section, an ``st.fragment`` that writes them from outside
its own container on every run. With one write per run (the fragment's) 0 of 60 loads blanked; with none from
the fragment, 0 of 60 too.

The journey: ten first loads of the Kaart by new visitors, each must end with the app on screen and no such
error in the console.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._browser import CHROMIUM, new_page, settle
from tests.conftest import MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)

LOADS = 10  # 45 s; the crash hit 4 of 60 loads under load before the fix (issue 20: the suite must stay short)


@pytest.fixture(scope="module")
def server(app_server):
    return app_server  # first loads by new visitors: each in a new browser context


def test_first_loads_of_the_kaart_never_blank_the_app(browser, server):
    blanked = []
    for i in range(LOADS):
        ctx, pg = new_page(browser)
        try:
            pg.goto(server + "/?level=wijk")
            try:
                settle(pg)
            except AssertionError as exc:  # the evidence is saved by settle; the count is what this test asserts
                blanked.append((i, str(exc)[:200]))
                continue
            broken = [m for m in pg.console if "Cannot set a node" in m]
            if broken or not pg.locator('[data-testid="stApp"]').count():
                blanked.append((i, broken[:1]))
        finally:
            ctx.close()
    assert blanked == [], f"{len(blanked)} of {LOADS} first loads blanked the app: {blanked[:2]}"
