"""Issue 21 in Chromium: Streamlit's own English in the Dutch UI. An empty multiselect list said "No results",
the uploader "Upload" / "200MB per file", the weight sliders "1.00". In the Dutch UI the reader now sees "Geen
resultaten", "Bestand kiezen" / "hoogstens 200 MB per bestand", "1", and "Enter om toe te passen" under a number
field; the English UI stays English."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests._browser import CHROMIUM, chromium, serve, settle
from tests.conftest import MIRROR_BIN, start_mirror

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)

AFTER = "e => getComputedStyle(e, '::after').content"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("st-english")
    mirror = start_mirror(tmp)
    env = dict(
        os.environ,
        STAPELKAART_CBS_URL=mirror.url,
        STAPELKAART_PDOK_URL=mirror.url,
        STAPELKAART_CACHE_DIR=str(tmp / "cache"),
        STAPELKAART_HTTP_BACKOFF="0.05",
    )
    try:
        yield from serve(env)
    finally:
        mirror.proc.terminate()
        mirror.proc.wait(10)


@pytest.fixture(scope="module")
def page(server):
    for b in chromium():
        pg = b.new_page(viewport={"width": 1280, "height": 900})
        yield pg
        pg.close()


def _empty_list(page, url: str):
    page.goto(url)
    settle(page)
    box = page.locator(".st-key-w_filter_gm input").first
    box.click()
    box.type("xyzq")
    option = page.locator('[role="listbox"][data-empty="true"] [role="option"] > span').first
    option.wait_for(state="attached", timeout=30_000)
    return option


def test_dutch_ui_shows_no_streamlit_english(page, server):
    option = _empty_list(page, server + "/prioriteren")
    assert option.evaluate(AFTER) == '"Geen resultaten"'
    assert "No results" not in page.inner_text("body")
    page.keyboard.press("Escape")
    # the weight sliders (Prioriteren shows them): the UI's number format, "1" for 1
    thumbs = page.locator('[data-testid="stSliderThumbValue"]')
    thumbs.first.wait_for(timeout=30_000)
    values = thumbs.all_inner_texts()
    assert values and set(values) == {"1"}, values
    assert "1.00" not in page.inner_text("body")
    # a number field being typed in: Streamlit's "Press Enter to apply" under it
    field = page.locator(".st-key-w_min_pop input").first
    field.click()
    field.press("End")
    field.type("5")
    hint = page.locator('.st-key-w_min_pop [data-testid="InputInstructions"] > span').first
    hint.wait_for(state="attached", timeout=30_000)
    assert hint.evaluate(AFTER) == '"Enter om toe te passen"'
    assert "Press Enter" not in page.inner_text("body")
    # the uploader on Gegevens
    page.goto(server + "/gegevens")
    settle(page)
    zone = page.locator('.st-key-w_upload [data-testid="stFileUploaderDropzone"]')
    zone.wait_for(timeout=30_000)
    assert zone.locator('button [data-testid="stMarkdownContainer"] p').first.evaluate(AFTER) == '"Bestand kiezen"'
    limit = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').first.evaluate(AFTER)
    assert "MB per bestand" in limit, limit
    text = page.inner_text("body")
    assert "per file" not in text and "Drag and drop" not in text and "Upload\n" not in text + "\n"
    # while a file is dragged over the zone
    drag = page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.csv', {type: 'text/csv'})); return d; }"
    )
    sel = '.st-key-w_upload [data-testid="stFileUploaderDropzone"]'
    page.dispatch_event(sel, "dragenter", {"dataTransfer": drag})
    page.dispatch_event(sel, "dragover", {"dataTransfer": drag})
    over = zone.locator(":scope > div:not([data-testid]) > span").first
    over.wait_for(state="attached", timeout=10_000)
    assert over.evaluate(AFTER) == '"Sleep een bestand hierheen"'
    assert "Drag and drop" not in page.inner_text("body")


def test_english_ui_keeps_streamlit_english(page, server):
    option = _empty_list(page, server + "/prioriteren?lang=en")
    assert option.evaluate(AFTER) in ("none", "normal")  # no Dutch text put over it
    assert "No results" in page.inner_text("body")
    page.keyboard.press("Escape")
    values = page.locator('[data-testid="stSliderThumbValue"]').all_inner_texts()
    assert values and set(values) == {"1"}, values
