"""The dashboard in a real browser: Chromium (Debian) through Playwright against `streamlit run serve.py`
(app.py as st.App with the map component's geometry route, as `make run` and the Dockerfile start it).

One cbs-mirror and one Streamlit server for the module. The mirror gets a test-defined copy of 85984NED
(``--tables``) in which Poelenburg (WK047912) is called ``<img src=x onerror=alert(1)>``: the name must show
as text everywhere (tooltip, tables, headings) and never execute. Screenshots go to tests/artifacts/.

Accessibility: axe-core (axe-playwright-python) on Kaart and Vergelijken, no serious/critical violations.
Excluded, with reason: the map component's iframe (a deck.gl canvas, a graphic; its content is also given as
text: ``aria-label``, legend,
"Gebieden in tabelvorm") and Streamlit's own hidden file-upload and toolbar internals are not on these pages.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks._deckmap import (
    FRAME_SELECTOR,
    GEO_SUFFIX,
    WsCounter,
    canvas_pixels,
    map_frame,
    map_state,
    project,
    wait_drawn,
)
from tests._browser import CHROMIUM, nav_text, new_page, open_titled, serve, settle
from tests._browser import mirror_env as module_env
from tests.conftest import ARTIFACTS, MIRROR_BIN, SHARED_DATA

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAYLOAD = "<img src=x onerror=alert(1)>"
DERIVED = SHARED_DATA / "derived" / "odata" / "85984NED"
SCHEMA = SHARED_DATA / "cbs_schema"

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


def _xss_table(folder: Path) -> Path:
    """A copy of the mirror's 85984NED whose dimension title for WK047912 is the script payload."""
    t = folder / "85984NED"
    t.mkdir(parents=True)
    dims = json.loads((DERIVED / "WijkenEnBuurten.json").read_text())
    for row in dims:
        if row["Key"].strip() == "WK047912":
            row["Title"] = PAYLOAD
    (t / "WijkenEnBuurten.json").write_text(json.dumps(dims))
    manifest = json.loads((DERIVED / "table.json").read_text())
    manifest.update(
        {
            "TableInfos": str(SCHEMA / "85984NED_TableInfos.json"),
            "DataProperties": str(SCHEMA / "85984NED_DataProperties.json"),
            "TypedDataSet": str(DERIVED / "TypedDataSet.json"),
            "dimensions": {"WijkenEnBuurten": "WijkenEnBuurten.json"},
        }
    )
    (t / "table.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture(scope="module")
def mirror_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    yield from module_env(tmp, "--tables", str(_xss_table(tmp / "tables")))


@pytest.fixture(scope="module")
def server(mirror_env):
    yield from serve(mirror_env)


@pytest.fixture
def fresh_server(mirror_env, tmp_path):
    """A new process (nothing in its memory) with its own copy of the module's disk cache, as after a restart: the
    module's server and its cache are left alone, and the new process does not fetch again what they hold."""
    import shutil

    cache = Path(mirror_env["STAPELKAART_CACHE_DIR"])
    if cache.exists():
        shutil.copytree(cache, tmp_path / "cache")
    yield from serve(dict(mirror_env, STAPELKAART_CACHE_DIR=str(tmp_path / "cache")))


def _open(page, url: str, canvas: bool = True):
    page.goto(url)
    settle(page)  # the run is over
    if canvas:
        wait_drawn(page, timeout_s=90)  # deck.gl rendered the current arguments (+ 2 animation frames)


def _shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def _canvas_box(page):
    return page.locator(FRAME_SELECTOR).bounding_box()


def _area_pixel(page, code: str) -> tuple[float, float]:
    """Page position of a point well inside ``code``'s PDOK wijk (40 m from its edges), through the
    component's own projection (local RD metres from the geometry file's origin)."""
    import geopandas as gpd

    gdf = gpd.read_file(SHARED_DATA / "derived" / "pdok_wbk2024" / "wijken.crs84.geojson").to_crs("EPSG:28992")
    gdf = gdf[gdf["gemeentecode"].isin(["GM0363", "GM0479"])] if "gemeentecode" in gdf else gdf
    shape = gdf.loc[gdf["wijkcode"] == code].geometry.iloc[0]
    inner = shape.buffer(-40)
    pt = (inner if not inner.is_empty else shape).representative_point()
    frame = map_frame(page)
    x, y = project(frame, [(pt.x, pt.y)])[0]
    box = _canvas_box(page)
    return box["x"] + x, box["y"] + y


def test_kaart_paints_the_wijken_of_amsterdam_and_zaanstad(page, server):
    external = []  # Streamlit's own navigation icons (fonts.gstatic.com) are not the map's
    page.on(
        "request",
        lambda r: (
            external.append(r.url)
            if not r.url.startswith((server, "data:", "blob:", "https://fonts.gstatic.com/"))
            else None
        ),
    )
    _open(page, server + "/")
    box = _canvas_box(page)
    assert box and box["width"] > 500 and box["height"] > 400
    _shot(page, "kaart")
    px = canvas_pixels(page).reshape(-1, 3).astype(int)
    r, g, b = px[:, 0], px[:, 1], px[:, 2]
    # YlOrRd fills (yellow/orange/red) and the grey no-data class are both painted
    warm = int(((r > 200) & (b < 190) & (np.abs(r - b) > 40)).sum())
    grey = int(((r >= 180) & (r <= 195) & (np.abs(r - g) < 4) & (np.abs(g - b) < 4)).sum())
    assert warm > 20_000 and grey > 1_000, (warm, grey)
    assert "error" not in map_state(map_frame(page))
    assert external == [], "no basemap tiles or other outside requests: the map draws offline"
    text = page.inner_text("body")
    assert "Poelenburg" in text and "Oud-Oost" in text and "Zuidoost" in text  # focus areas in the legend note


def test_tooltip_shows_for_a_hovered_area_and_a_hostile_name_stays_text(page, server):
    _open(page, server + "/")
    x, y = _area_pixel(page, "WK047912")
    frame = map_frame(page)
    page.mouse.move(x - 5, y - 5)
    page.mouse.move(x, y)
    frame.wait_for_function("() => document.getElementById('tip').style.display === 'block'", timeout=20_000)
    text = frame.evaluate("() => document.getElementById('tip').textContent")
    assert "WK047912" in text and PAYLOAD in text  # shown literally, as text
    stacked = [ln for ln in text.split("\n") if ln.startswith("Gestapelde domeinen: ")]  # which domains stack
    assert len(stacked) == 1 and stacked[0] != "Gestapelde domeinen: undefined", text
    assert frame.evaluate("() => document.querySelectorAll('#tip *').length") == 0  # no element from the name
    assert frame.evaluate("() => document.querySelectorAll('img').length") == 0
    _shot(page, "kaart_tooltip")
    # the same name on the profile page (heading, select box, table)
    _open(page, server + "/buurtprofiel?area=WK047912", canvas=False)
    page.wait_for_selector("h2", timeout=60_000)
    assert PAYLOAD in page.locator("h2").first.inner_text()
    _shot(page, "buurtprofiel_hostile_name")
    assert page.dialogs == []


def test_clicking_an_area_selects_it_and_offers_its_profile(page, server):
    _open(page, server + "/")
    x, y = _area_pixel(page, "WK047912")
    page.mouse.click(x, y)
    page.wait_for_function("() => location.search.includes('area=WK047912')", timeout=30_000)
    page.wait_for_selector("text=Open buurtprofiel van", timeout=30_000)
    # the clicked area gets its outline without another change by the user
    page.wait_for_function(
        """(sel) => (document.querySelector(sel).contentWindow.document.getElementById('map').dataset.outlines || '')
                              .split(' ').includes('WK047912')""",
        arg=FRAME_SELECTOR,
        timeout=30_000,
    )
    assert page.dialogs == []


def test_a_recolour_sends_no_geometry(page, server):
    """Changing the number of classes recolours the map; the geometry file is fetched once, and the bytes
    received for the change are a small part of it."""
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if r.url.endswith(GEO_SUFFIX) else None)
    ws = WsCounter().attach(page)
    page.goto(server + "/?colour=domain:wonen&k=3")  # wonen has values in the mirror (composite needs the income file)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=90_000)
    version = wait_drawn(page, timeout_s=90)
    before = canvas_pixels(page)
    ws.received = 0
    box = page.locator('[data-testid="stNumberInput"] input').first  # narrow column: no +/- buttons
    box.fill("4")
    box.press("Enter")
    wait_drawn(page, changed_from=version, timeout_s=60)
    page.wait_for_timeout(500)
    after = canvas_pixels(page)
    changed = float((np.abs(before.astype(int) - after.astype(int)).sum(axis=2) > 30).mean())
    assert changed > 0.005, changed
    assert len(sizes) <= 1, "the geometry file is not fetched again on a rerun"  # 0: from Cache Storage
    assert "k=4" in page.url
    assert 0 < ws.received < 0.5 * 60_000, ws.received  # the wijk geometry file is ~60 KB or more


def test_presentation_mode_hides_the_sidebar(page, server):
    _open(page, server + "/?present=1")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert page.locator("h1").first.inner_text().strip() == "Poelenburg"
    _shot(page, "presentatie")
    page.get_by_role("button", name="Volgend focusgebied ▶").click()
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText.includes('Oud-Oost')",
        timeout=60_000,
    )
    page.wait_for_function("() => location.search.includes('focus=1')", timeout=30_000)
    _shot(page, "presentatie_oud_oost")


def test_a_url_with_state_reopens_the_same_selection(page, server):
    url = server + "/kaart?colour=domain:wonen&classes=equal_interval&k=4&area=WK0363MC&lang=en"
    _open(page, url)
    body = page.inner_text("body")
    assert "Domain: Housing" in body and "Where do disadvantages stack up?" in body
    assert "Open the profile of" in body
    for part in ("colour=domain", "k=4", "area=WK0363MC", "lang=en"):
        assert part in page.url
    _shot(page, "kaart_state_en")


def test_tampered_url_shows_a_warning_and_defaults(page, server):
    _open(page, server + "/?year=1900&page=..%2F..%2Fetc&w=armoede:-1&colour=%3Cscript%3Ealert(1)%3C/script%3E")
    body = page.inner_text("body")
    assert "Niet alle instellingen uit de link waren geldig" in body
    assert page.dialogs == []


def _axe(page, name: str) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"exclude": [[FRAME_SELECTOR]]})
    violations = results.response["violations"]
    (ARTIFACTS / f"axe_{name}.json").write_text(json.dumps(violations, indent=1))
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


def test_axe_kaart(page, server):
    _open(page, server + "/")
    bad = _axe(page, "kaart")
    assert not bad, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_axe_vergelijken(page, server):
    _open(page, server + "/vergelijken", canvas=False)
    page.wait_for_selector("h2", timeout=60_000)
    _shot(page, "vergelijken")
    bad = _axe(page, "vergelijken")
    assert not bad, [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


PAGE_TITLES_EN = {
    "kaart": "Where do disadvantages stack up?",
    "vergelijken": "Compare",
    "buurtprofiel": "Area profile",
    "prioriteren": "Prioritise",
    "methode": "Method & sources",
    "gegevens": "Data",
}


@pytest.mark.parametrize("slug", list(PAGE_TITLES_EN))
def test_every_page_path_opens_on_a_freshly_started_server(browser, fresh_server, slug):
    """The first request of a new process goes straight to /{page}: that page, inside the shell (sidebar with
    the app's navigation), and no "Page not found" dialog (Streamlit's legacy pages/ mode must not take over)."""
    ctx, pg = new_page(browser)
    try:
        open_titled(pg, f"{fresh_server}/{slug}?lang=en", "fresh_no_title")
        body = pg.locator("body").inner_text()
        assert "Page not found" not in body and "not found" not in " ".join(pg.dialogs).lower(), (slug, pg.dialogs)
        assert pg.locator("h1").first.inner_text().strip() == PAGE_TITLES_EN[slug]
        nav = nav_text(pg)
        assert "Map" in nav and "Compare" in nav and "app" not in nav.split()
        assert pg.url.split("?")[0].rstrip("/").endswith("" if slug == "kaart" else "/" + slug)
    finally:
        ctx.close()
