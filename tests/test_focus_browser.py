"""Focus areas in a real browser (Chromium via Playwright against `streamlit run app.py`).

A focus area defined only through the URL (``fa=``) reproduces in a fresh browser context: names, members and
the comparison columns. (Presentation mode over the link's focus areas at 1280x720: tests/test_presentation_browser.py.) Screenshots into tests/artifacts/: ``vergelijken_zaanstad_preset.png`` (the Zaanstad
preset with Oud-Oost and Zuidoost, 1280 px wide) and ``veranderd.png`` (what changed between two served
versions of 85984NED; the versions are the SYNTHETIC fixtures of tests/helpers_versions.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from tests._browser import CHROMIUM, mirror_env, serve, settle
from tests.conftest import ARTIFACTS, MIRROR_BIN, REPO, start_mirror

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ZAANSTAD_PLUS = (
    "Zaandam-Zuid:WK047911;Poelenburg:WK047912;Pelders- en Hoornseveld:WK047913;"
    "Rosmolenwijk:WK047914;Kogerveldwijk:WK047915;Oud-Oost:WK0363MB+WK0363MC+WK0363MD+WK0363ME;"
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

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


def _wait(page, text: str | None = None):
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    if text:
        page.get_by_text(text).first.wait_for(timeout=240_000)
    settle(page)


def _serve_with(envs):
    """``streamlit run app.py`` on the env a :func:`tests._browser.mirror_env` yields; the URL, then both stop."""
    for env in envs:
        yield from serve(env, REPO / "app.py")


def _headings(page) -> list[str]:
    return [h.strip() for h in page.locator("h3").all_inner_texts()]


def test_url_focus_areas_reproduce_in_a_fresh_browser_and_fit_1280(browser, tmp_path):
    for url in _serve_with(mirror_env(tmp_path)):
        link = f"{url}/vergelijken?fa={quote(ZAANSTAD_PLUS, safe=':;+')}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        seen = []
        for _ in range(2):  # two fresh contexts: nothing but the link carries the areas
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(link)
            _wait(page, "Naast elkaar")
            heads = _headings(page)
            heads = [h for h in heads if h != "Naast elkaar"]
            assert heads[:7] == NAMES, heads
            assert "fa=" in page.url and "Zaandam-Zuid" in page.url
            # every facet of the chart and every comparator of the legend is drawn (vega-lite, svg/canvas text)
            chart = page.locator('[data-testid="stVegaLiteChart"]').first
            box = chart.bounding_box()
            assert box and box["x"] + box["width"] <= 1280, box
            seen.append(heads[:7])
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "vergelijken_zaanstad_preset_1280x800.png"))
            page.set_viewport_size({"width": 1280, "height": 3200})  # the whole page, still 1280 px wide
            settle(page, quiet=0.5)
            page.screenshot(path=str(ARTIFACTS / "vergelijken_zaanstad_preset.png"))
            ctx.close()
        assert seen[0] == seen[1]


def test_what_changed_screenshot(browser, tmp_path, monkeypatch):
    from data.cbs import load_kwb
    from tests import helpers_versions as V

    cache = tmp_path / "cache"
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(cache))
    mirrors = []
    for n in (1, 2):
        run = tmp_path / f"m{n}"
        run.mkdir()
        m = start_mirror(run, "--tables", str(V.write_table(tmp_path / f"v{n}", n)))
        mirrors.append(m)
        monkeypatch.setenv("STAPELKAART_CBS_URL", m.url)
        monkeypatch.setenv("STAPELKAART_PDOK_URL", m.url)
        monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", m.url)
        load_kwb(V.GM, 2024, levels=("gemeente", "wijk", "buurt"), refresh=n == 2)
    env = dict(
        os.environ,
        STAPELKAART_CBS_URL=mirrors[-1].url,
        STAPELKAART_PDOK_URL=mirrors[-1].url,
        STAPELKAART_DATADERDEN_URL=mirrors[-1].url,
        STAPELKAART_CACHE_DIR=str(cache),
        STAPELKAART_HTTP_BACKOFF="0.05",
    )
    try:
        for url in serve(env, REPO / "app.py"):
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            page = ctx.new_page()
            page.goto(
                f"{url}/buurtprofiel?fa=Zaandam-Zuid%20en%20De%20Aker:WK047911+WK0363FG&fopen=zaandam-zuid-en-de-aker"
                "&ref=gemeente"
            )
            _wait(page, "Wat is er veranderd")
            page.set_viewport_size({"width": 1280, "height": 1200})
            page.get_by_text("cijfers gewijzigd, nieuw of verdwenen").first.scroll_into_view_if_needed()
            page.mouse.wheel(0, 250)
            settle(page, quiet=0.5)
            assert page.get_by_text("2025-03-27").count() and page.get_by_text("2025-10-01").count()
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "veranderd.png"))
            ctx.close()
    finally:
        for m in mirrors:
            m.proc.terminate()
            m.proc.wait(10)


def test_what_changed_between_two_years_screenshot(browser, tmp_path):
    """'Wat is er veranderd' between KWB 2023 (the SYNTHETIC 85618NED of tests/test_year_changes.py) and the real
    2024 table, for the focus area Oud-Oost: the user picks 'Twee jaren'. Screenshot ``veranderd_jaren.png``."""
    from tests import test_year_changes as Y

    run = tmp_path / "m"
    run.mkdir()
    for url in _serve_with(mirror_env(run, "--tables", str(Y.write_2023(tmp_path / "tables")))):
        ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
        page = ctx.new_page()
        fa = "Oud-Oost:WK0363MB+WK0363MC+WK0363MD+WK0363ME;Met nieuwe wijk:WK0363AB+WK0363AA"
        page.goto(f"{url}/buurtprofiel?fa={quote(fa, safe=':;+')}&fopen=oud-oost&ref=gemeente")
        _wait(page, "Wat is er veranderd")
        page.get_by_text("Twee jaren").first.click()
        _wait(page, "85618NED 2023")
        assert page.get_by_text("CBS-versie van 2024-11-01").count()
        page.set_viewport_size({"width": 1280, "height": 1400})
        page.get_by_text("Wat is er veranderd").first.evaluate("e => e.scrollIntoView({block: 'start'})")
        settle(page, quiet=0.5)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "veranderd_jaren.png"))
        ctx.close()
