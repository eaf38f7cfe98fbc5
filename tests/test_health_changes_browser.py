"""Issue 23 in Chromium, national mode: on the Buurtprofiel of a buurt in Eindhoven the user picks "Twee jaren" and the
survey years 2020 -> 2024 in "Wat is er veranderd" and sees the health row with the values of the raw 50150NED file
(100 - % goed), in Dutch and, after the language switch, in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests._browser import CHROMIUM, chromium, no_exception, open_titled, settle
from tests.conftest import MIRROR_BIN
from tests.helpers_national import pct_text, raw_goed

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)

BUURT = "BU07723350"  # 't Hofke, Oud-Tongelre (Eindhoven)


@pytest.fixture(scope="module")
def server(national_server):
    return national_server


@pytest.fixture(scope="module")
def browser(server):
    yield from chromium()


def _cells(pg) -> str:
    """The last table's cells ("Wat is er veranderd" ends the page; the mirror has no KWB 2020, so no KWB table
    follows). The grid draws on a canvas: its cells are read back from the accessible table beside it."""
    return " ".join(pg.locator('[data-testid="stDataFrame"]').last.locator('[role="gridcell"]').all_inner_texts())


def test_buurtprofiel_two_survey_years_show_the_health_row_in_both_languages(browser, server):
    v = {y: 100 - x for y, x in raw_goed(BUURT).items()}  # % niet goed
    pg = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    open_titled(pg, f"{server}/buurtprofiel?gm=GM0772&level=buurt&area={BUURT}", "health_changes")
    pg.get_by_text("Wat is er veranderd").first.wait_for(timeout=60_000)

    pg.locator('[data-testid="stRadio"] label', has_text="Twee jaren").first.click()
    settle(pg)
    pg.locator('[data-testid="stSelectbox"]', has_text="Eerder jaar").locator("input").first.click()
    pg.get_by_role("option", name="2020", exact=True).first.click()
    settle(pg)
    pg.get_by_text("Gezondheid 2020 → 2024").first.wait_for(timeout=60_000)
    no_exception(pg)
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "foutcode" not in main and "buurten met beide jaren (2020 en 2024)" in main, main[-3000:]
    cells = _cells(pg)
    assert f"'t Hofke ({BUURT})" in cells, cells[-800:]
    assert pct_text(v[2020], "nl") in cells and pct_text(v[2024], "nl") in cells
    assert pct_text(v[2024] - v[2020], "nl") in cells, (v, cells[-800:])

    pg.locator('[data-testid="stSidebar"] label', has_text="English").first.click()
    settle(pg)
    pg.get_by_text("Health 2020 → 2024").first.wait_for(timeout=60_000)
    no_exception(pg)
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "neighbourhoods with both years (2020 and 2024)" in main and "Gezondheid 2020" not in main
    cells = _cells(pg)
    assert pct_text(v[2020], "en") in cells and pct_text(v[2024] - v[2020], "en") in cells
    assert "lang=en" in pg.evaluate("location.href")
