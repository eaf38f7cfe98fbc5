"""Issue 21 in Chromium: Streamlit's own English in the Dutch UI. An empty multiselect list said "No results",
the uploader "Upload" / "200MB per file", the weight sliders "1.00". In the Dutch UI the reader now sees "Geen
resultaten", "Bestand kiezen" / "hoogstens 200 MB per bestand", "1", and "Enter om toe te passen" under a number
field; the English UI stays English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._browser import CHROMIUM, chromium, settle
from tests.conftest import MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)

AFTER = "e => getComputedStyle(e, '::after').content"


@pytest.fixture(scope="module")
def server(app_server):
    return app_server


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


_CELLS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]'))
    .slice(0, 14).map(e => e.innerText)"""
_MENU_WORDS = ("Sort ascending", "Sort descending", "Statistics", "Autosize", "Pin column", "Hide column")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_table_column_menu_offers_no_streamlit_english_and_a_header_click_still_sorts(page, server, lang):
    """Streamlit's column menu of a table (the three dots at a header's right edge) has only English items ("Sort
    ascending", "Pin column", ...) and no parameter for their texts: it is not shown, in either language, like its
    table toolbar. Sorting stays where users find it: a click on the header sorts the rows."""
    page.goto(f"{server}/prioriteren?lang={lang}")
    settle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for(timeout=60_000)
    box = table.bounding_box()
    header_y = box["y"] + 18
    first_name = page.evaluate(_CELLS)[1]  # the first row's cells: #, name, code, gemeente, ...
    page.mouse.move(box["x"] + 150, header_y)  # over the header of the area name: its menu icon appears
    page.wait_for_timeout(300)
    page.mouse.click(box["x"] + 186, header_y)  # the icon, at the right edge of that header cell
    page.wait_for_timeout(500)
    menus = page.locator('[data-testid="stDataFrameColumnMenu"]')
    assert all(not m.is_visible() for m in menus.all()), "the column menu is shown"
    body = page.inner_text("body")
    assert not [w for w in _MENU_WORDS if w in body]
    page.keyboard.press("Escape")
    page.mouse.click(box["x"] + 120, header_y)  # the header itself: sort by area name, A to Z
    page.wait_for_function(
        f"old => {{ const c = ({_CELLS})(); return c.length > 1 && c[1] !== old; }}", arg=first_name, timeout=10_000
    )
    cells = page.evaluate(_CELLS)
    names = [cells[1], cells[8]]  # column "Gebied" of the first two rows (7 columns per row)
    assert names == sorted(names, key=str.casefold), names
