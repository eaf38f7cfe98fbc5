"""Presentation mode at 1280x720 in a real browser (Chromium via Playwright against serve.py and cbs-mirror).

With the user's seven focus areas in the link (``fa=``, the Zaanstad preset plus Oud-Oost and Zuidoost) and
``present=1``: the map (component frame and its canvas) and the legend end above the fold (bottom <= 720 px), the
focus-area labels do not overlap each other, the low-coverage notice is one line with a link to the method page,
and next/previous and a click on a label run over the user's focus areas. Screenshot:
``tests/artifacts/presentatie_focus_1280x720.png``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests._browser import map_frame, settle
from tests.conftest import ARTIFACTS, MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

W, H = 1280, 720
FA = (
    "Zaandam-Zuid:WK047911;Poelenburg:WK047912;Pelders- en Hoornseveld:WK047913;Rosmolenwijk:WK047914;"
    "Kogerveldwijk:WK047915;Oud-Oost:WK0363MB+WK0363MC+WK0363MD+WK0363ME;"
    "Zuidoost:" + "+".join(f"WK0363T{c}" for c in "ABCDEFGHJKLM")
)
NAMES = [
    "Zaandam-Zuid",
    "Poelenburg",
    "Pelders- en Hoornseveld",
    "Rosmolenwijk",
    "Kogerveldwijk",
    "Oud-Oost",
    "Zuidoost",
]
MAP = 'iframe[title="components.deckmap.deckmap"]'
LABELS = ".st-key-w_present_focus button"

if not Path("/usr/bin/chromium").exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


@pytest.fixture(scope="module")
def app_url(app_server):
    return app_server


def _settled(page, title: str) -> None:
    page.wait_for_function(
        "t => { const h = document.querySelector('h1'); return h && h.innerText.trim() === t; }",
        arg=title,
        timeout=240_000,
    )
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=180_000)
    map_frame(page)  # drawn: the component set its frame height before it drew
    settle(page, quiet=0.5)  # and Streamlit gave the frame that height


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box, "not rendered"
    return box


def _intersect(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _assert_above_the_fold(page) -> None:
    assert page.evaluate("() => window.innerHeight") == H
    frame, canvas = _box(page.locator(MAP).first), _box(page.frame_locator(MAP).locator("canvas").first)
    legend = _box(page.locator(".sk-legend").first)
    assert frame["y"] >= 0 and frame["y"] + frame["height"] <= H, f"map frame {frame}"
    assert canvas["y"] + canvas["height"] <= H, f"map canvas {canvas}"
    assert legend["y"] + legend["height"] <= H, f"legend {legend}"
    assert frame["x"] + frame["width"] <= legend["x"], "legend beside the map, not under it"


def test_presentation_1280x720_map_legend_above_the_fold_labels_apart(browser, app_url):
    ctx = browser.new_context(viewport={"width": W, "height": H})
    page = ctx.new_page()
    page.goto(f"{app_url}/kaart?present=1&fa={quote(FA, safe=':;+')}")
    _settled(page, NAMES[0])
    _assert_above_the_fold(page)

    labels = page.locator(LABELS)
    assert [x.strip() for x in labels.all_inner_texts()] == NAMES  # the user's focus areas, in their order
    boxes = [_box(labels.nth(i)) for i in range(labels.count())]
    for i, a in enumerate(boxes):
        assert a["x"] >= 0 and a["x"] + a["width"] <= W and a["y"] + a["height"] <= H, (NAMES[i], a)
        for j in range(i + 1, len(boxes)):
            assert not _intersect(a, boxes[j]), (NAMES[i], NAMES[j], a, boxes[j])

    # the low-coverage notice: one line, with a link to the method page
    notice = page.get_by_text("Lage dekking").first
    n_box = _box(notice)
    line = float(
        notice.evaluate(
            "e => parseFloat(getComputedStyle(e).lineHeight) || 1.5 * parseFloat(getComputedStyle(e).fontSize)"
        )
    )
    assert n_box["height"] < 1.8 * line, (n_box, line)
    link = page.locator('a[href*="methode"]').first
    l_box = _box(link)
    assert abs((l_box["y"] + l_box["height"] / 2) - (n_box["y"] + n_box["height"] / 2)) < line, (l_box, n_box)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentatie_focus_1280x720.png"))

    # next / previous / a label run over the user's focus areas
    page.get_by_role("button", name="Volgend focusgebied").click()
    _settled(page, NAMES[1])
    _assert_above_the_fold(page)
    page.get_by_role("button", name="Vorig focusgebied").click()
    _settled(page, NAMES[0])
    page.get_by_role("button", name="Vorig focusgebied").click()
    _settled(page, NAMES[-1])  # previous of the first is the last
    page.locator(LABELS).filter(has_text="Oud-Oost").click()
    _settled(page, "Oud-Oost")
    assert "focus=5" in page.url
    _assert_above_the_fold(page)
    page.screenshot(path=str(ARTIFACTS / "presentatie_oud_oost_1280x720.png"))
    ctx.close()


def test_presentation_map_grows_with_a_taller_window(browser, app_url):
    """A 1080p projector gets a large map (the frame fills the window down to its bottom), 720p still fits."""
    heights = {}
    for h in (720, 1080):
        ctx = browser.new_context(viewport={"width": 1920 if h == 1080 else W, "height": h})
        page = ctx.new_page()
        page.goto(f"{app_url}/kaart?present=1&fa={quote(FA, safe=':;+')}")
        _settled(page, NAMES[0])
        frame = _box(page.locator(MAP).first)
        assert frame["y"] + frame["height"] <= h, (h, frame)
        heights[h] = frame["height"]
        if h == 1080:
            page.set_viewport_size({"width": 1920, "height": 900})  # a resize follows the window
            page.wait_for_function(
                f"() => document.querySelector('{MAP}').getBoundingClientRect().bottom <= 900", timeout=30_000
            )
        ctx.close()
    assert heights[1080] >= heights[720] + 300, heights  # 360 px more window, ~360 px more map
