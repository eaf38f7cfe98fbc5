"""Issue 23 in Chromium, national mode: Eindhoven at buurt level coloured by gezondheid (the legend names the survey
year), the Buurtprofiel of a buurt shows its health trend 2020 -> 2024 with the values of the raw 50150NED file, and
the same in English after the language switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests._browser import CHROMIUM, NAV_LINK, chromium, map_frame, settle
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


def test_buurt_map_coloured_by_health_then_its_profile_trend_in_both_languages(browser, server):
    goed = raw_goed(BUURT)
    pg = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    pg.goto(f"{server}/kaart?gm=GM0772&level=buurt&colour=domain:gezondheid&area={BUURT}")
    settle(pg, timeout=400)
    map_frame(pg)
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "foutcode" not in main and "Gezondheid: RIVM-peiling 2024" in main, main[:2000]

    pg.locator(NAV_LINK, has_text="Buurtprofiel").first.click()
    pg.wait_for_url(re.compile(r"/buurtprofiel\?"), timeout=60_000)
    settle(pg, timeout=300)
    pg.get_by_text("Gezondheid tussen peiljaren").first.wait_for(timeout=60_000)
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "foutcode" not in main and "2020 → 2024" in main and "2022 → 2024" in main
    assert "buurten met beide jaren" in main
    table = pg.locator('[data-testid="stDataFrame"]').last
    table.wait_for(timeout=30_000)
    # the grid draws on a canvas: its cells are read back from the accessible table Streamlit keeps beside it
    cells = " ".join(pg.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts())
    for year in (2020, 2022, 2024):
        assert pct_text(100 - goed[year], "nl") in cells, (year, cells[:500])

    pg.locator('[data-testid="stSidebar"] label', has_text="English").first.click()
    settle(pg, timeout=300)
    pg.get_by_text("Health between survey years").first.wait_for(timeout=60_000)
    main = pg.locator('[data-testid="stMain"]').inner_text()
    assert "foutcode" not in main and "neighbourhoods with both years" in main
    cells = " ".join(pg.locator('[data-testid="stDataFrame"] [role="gridcell"]').all_inner_texts())
    assert pct_text(100 - goed[2024], "en") in cells and pct_text(100 - goed[2020], "en") in cells
    assert "lang=en" in pg.evaluate("location.href")
