"""A page that ends early still gets its page menu and share link, written once after the page (issue 20).

Pages end with ``shell.end_page()``, never ``st.stop()``: after ``st.stop()`` nothing more is drawn in that run,
so the shell used to draw the menu and the link twice, before the page as a fallback and after it. Now each
sidebar slot has one writer per run (the shell after the page; on the Kaart its map section). These journeys
open pages that end early (nothing to show yet) and change the view there, as a user does: the menu is there,
in the page's language, and the link equals the address bar after every change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests._browser import CHROMIUM, NAV_LINK, address_equals_share, open_titled, settle, view_of
from tests.conftest import MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


MENU = {"nl": ["Kaart", "Vergelijken"], "en": ["Map", "Compare"]}


def _menu_and_link(pg, lang: str) -> dict:
    names = pg.locator(NAV_LINK).all_inner_texts()
    assert len(names) == 6, names  # every page, once
    assert all(any(w in n for n in names) for w in MENU[lang]), (lang, names)
    return address_equals_share(pg)[1]


@pytest.mark.parametrize(
    "path, says",
    [
        ("/buurtprofiel?level=wijk", "Kies hierboven een gebied."),  # no area chosen: ends there
        ("/buurtprofiel?fopen=poelenburg", re.compile("Focusgebied: Poelenburg")),  # a focus area: ends
    ],
)
def test_a_page_that_ends_early_has_its_menu_and_a_link_equal_to_the_address(page, app_server, path, says):
    open_titled(page, app_server + path)
    settle(page)
    assert page.get_by_text(says).count() >= 1
    query = _menu_and_link(page, "nl")
    page.locator('[data-testid="stSidebar"] label', has_text="English").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'en'", timeout=60_000)
    settle(page)
    after = _menu_and_link(page, "en")
    assert after == {**query, "lang": "en"}, (query, after)  # the change, and nothing else lost
    assert view_of(page.evaluate("location.href"))[0] == path.split("?")[0].strip("/")
