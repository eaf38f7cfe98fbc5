"""Issue 11 journeys in a real browser: safe to serve and share (Chromium through Playwright, `streamlit run app.py`).

Each journey is what a visitor does: open a deep link, leave presentation mode by its button, copy the share link
after changing a weight and picking an area, open a link carrying Markdown/HTML, import a file while another
visitor works on the same server, hit a bug (an injected fault) and read its error id in the server log.
The share link is read from the sidebar's "Kopieer link" field; the address bar from ``location.href``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from benchmarks._mirror import USER_ENTRY
from tests._browser import (
    CHROMIUM,
    NAV_LINK,
    address_equals_share,
    choose,
    new_page,
    no_exception,
    open_titled,
    serve,
    settle,
    share_link,
    view_of,
)
from tests.conftest import MIRROR_BIN, REPO, SHARED_DATA

pytestmark = [pytest.mark.browser, pytest.mark.slow]

INCOME = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
PAGES = ("kaart", "vergelijken", "buurtprofiel", "prioriteren", "methode", "gegevens")
TITLES_EN = {
    "kaart": "Where do disadvantages stack up?",
    "vergelijken": "Compare",
    "buurtprofiel": "Area profile",
    "prioriteren": "Prioritise",
    "methode": "Method & sources",
    "gegevens": "Data",
}

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)


@pytest.fixture(scope="module")
def env(app_env):
    return app_env


def _serve(env: dict, log: Path | None = None, entry: Path = USER_ENTRY):
    yield from serve(env, entry, timeout=90, log=log)  # serve.py, as make run starts it


@pytest.fixture(scope="module")
def server(app_server):
    return app_server  # serve.py, as make run starts it


# --- 1. deep links -------------------------------------------------------------------------------


@pytest.mark.parametrize("slug", PAGES)
def test_deep_link_to_every_page_opens_it_without_a_dialog_and_its_link_reopens_it(page, server, slug):
    open_titled(page, f"{server}/{slug}?lang=en&gm=GM0479&year=2024")
    body = page.locator("body").inner_text()
    assert "Page not found" not in body and page.dialogs == [], page.dialogs
    assert page.locator("h1").first.inner_text().strip() in (TITLES_EN[slug], "Poelenburg")
    no_exception(page)
    view = address_equals_share(page)
    assert view == (slug, {"gm": "GM0479", "lang": "en"})


# --- 2. presentation mode ------------------------------------------------------------------------------


def test_leaving_presentation_mode_by_its_button_brings_the_sidebar_back(page, server):
    open_titled(page, server + "/?present=1")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    page.get_by_role("button", name="Presentatiemodus verlaten").click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=90_000)
    settle(page)
    no_exception(page)
    assert "StreamlitWidgetAlreadyInstantiatedError" not in page.locator("body").inner_text()
    assert "present" not in page.url
    assert page.locator(NAV_LINK).first.is_visible()
    assert page.get_by_role("button", name="Presentatiemodus verlaten").count() == 0
    # and back in by the sidebar toggle, out again by the URL
    page.get_by_text("Presentatiemodus", exact=True).first.click()
    page.wait_for_selector('[data-testid="stSidebar"]', state="hidden", timeout=90_000)
    settle(page)
    assert "present=1" in page.url
    open_titled(page, server + "/?present=0")
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    no_exception(page)


# --- 3. the share link equals the address bar after every change -----------------------------------------


def test_share_link_on_vergelijken_after_a_weight_change_and_an_area_pick_equals_the_address_bar(page, server):
    open_titled(page, server + "/")
    # pick an area from the list (the keyboard way of clicking the map): open "Gebied bekijken", then choose
    page.locator('[data-testid="stExpander"] summary', has_text="Gebied bekijken").first.click()
    settle(page)  # the list arrives with the map section's rerun
    choose(page, "Gebied bekijken", "Poelenburg", re.compile("^Poelenburg"))
    settle(page)
    page.wait_for_function("() => location.search.includes('area=WK047912')", timeout=60_000)
    assert address_equals_share(page)[1]["area"] == "WK047912"
    # a weight on Prioriteren (slider by keyboard: one step of 0.5 down)
    page.locator(NAV_LINK, has_text="Prioriteren").click()
    settle(page)
    slider = page.get_by_role("slider").first
    slider.focus()
    slider.press("ArrowLeft")
    settle(page)
    page.wait_for_function("() => location.search.includes('w=')", timeout=60_000)
    view = address_equals_share(page)
    assert view[0] == "prioriteren" and view[1]["w"].endswith(":0.5") and view[1]["area"] == "WK047912"
    slider.press("ArrowLeft")  # down to 0: "not counted", kept in the link
    settle(page)
    page.wait_for_function("() => /w=[a-z_]+(:|%3A)0(&|$)/.test(location.search)", timeout=60_000)
    weights = address_equals_share(page)[1]["w"]
    assert weights.endswith(":0")
    # Vergelijken: the link names Vergelijken, the weight and the area
    page.locator(NAV_LINK, has_text="Vergelijken").click()
    settle(page)
    page.wait_for_selector("h2", timeout=90_000)
    view = address_equals_share(page)
    assert view[0] == "vergelijken" and view[1]["w"] == weights and view[1]["area"] == "WK047912"
    no_exception(page)


# --- 4. markup in a link creates no element ----------------------------------------------------------

EVIL = "https://evil.example/x"
PAYLOADS = (
    f"[Klik hier]({EVIL})",
    f'<a href="{EVIL}">Klik</a>',
    f'<img src="{EVIL}.png" id="skinj">',
    f"![i]({EVIL}.png)",
    f'"><a id="skinj" href="{EVIL}">x</a>',
    f"<{EVIL}>",
    f"[x]: {EVIL}\n\n[x]",
)


def test_markup_in_a_parameter_name_or_value_creates_no_element(browser, server):
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    names = st.one_of(
        st.sampled_from(PAYLOADS), st.sampled_from(("gm", "area", "colour", "w", "files", "page", "year", "lang"))
    )
    values = st.one_of(st.sampled_from(PAYLOADS), st.text(alphabet="[]()<>!*_`#ab:/.", max_size=12))
    ctx, pg = new_page(browser)
    seen = []

    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
    )  # no shrinking: each example is a page load
    @given(name=names, value=values, extra=st.sampled_from(PAYLOADS))
    def journey(name, value, extra):
        query = f"{quote(name, safe='')}={quote(value, safe='')}&{quote(extra, safe='')}=1"
        open_titled(pg, f"{server}/methode?{query}")
        seen.append(query)
        injected = pg.evaluate("""() => [...document.querySelectorAll(
            'a[href*="evil.example"], img[src*="evil.example"], #skinj, [href^="javascript"]')].map(e => e.outerHTML)""")
        assert injected == [], (query, injected)
        assert pg.dialogs == []
        warning = pg.locator('[data-testid="stAlert"]').all_inner_texts()
        assert any("instelling" in w for w in warning), (query, warning)  # the link's problems are said, as text
        assert not any("evil.example" in w for w in warning)  # and no part of the URL is echoed
        no_exception(pg)

    try:
        journey()
    finally:
        ctx.close()
    assert len(seen) == 8


# --- 5. imports belong to the view that names them ---------------------------------------------------


def test_an_import_by_visitor_a_is_invisible_to_b_and_visible_through_as_link(browser, server):
    ctx_a, a = new_page(browser)
    ctx_b, b = new_page(browser)
    ctx_c, c = new_page(browser)
    try:
        open_titled(a, server + "/gegevens")
        a.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(INCOME))
        a.get_by_role("button", name="Importeren").click()
        settle(a)
        a.wait_for_selector("text=geïmporteerd", timeout=120_000)
        a.wait_for_function("() => location.search.includes('files=')", timeout=60_000)
        _, query = address_equals_share(a)
        digest = query["files"]
        assert re.fullmatch(r"[0-9a-f]{12}", digest)
        link = share_link(a)
        listed = lambda pg: pg.locator('[data-testid="stMarkdownContainer"]').all_inner_texts()  # noqa: E731
        assert any(INCOME.name in t and digest in t for t in listed(a))

        open_titled(b, server + "/gegevens")  # B, same server, a link without the file
        assert not any(INCOME.name in t or digest in t for t in listed(b))
        assert b.get_by_text("Deze weergave gebruikt geen geïmporteerde bestanden").count() == 1
        assert "files=" not in share_link(b)

        open_titled(c, link)  # A's link, a third visitor
        assert any(INCOME.name in t and digest in t for t in listed(c))
        assert view_of(c.evaluate("location.href")) == view_of(link)
        for pg in (a, b, c):
            no_exception(pg)
    finally:
        for ctx in (ctx_a, ctx_b, ctx_c):
            ctx.close()


# --- 6. no internals on any page ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_streamlit_internals_on_any_page(page, server, lang):
    for slug in PAGES:
        open_titled(page, f"{server}/{slug}?lang={lang}")
        body = page.locator("body").inner_text()
        for leak in ("DeltaGenerator", "Creator of Delta protobuf", "python -m data", "Traceback"):
            assert leak not in body, (slug, leak)


#: Streamlit's own English (placeholders, the toolbar over tables and charts and its tooltips): none of it in the
#: Dutch UI. Before: "Choose an option" on every page (the year box), and over Prioriteren's, Gegevens' and the
#: Methode's tables and Vergelijken's chart "Download as CSV", "Search", "Fullscreen", "Show data", …
STREAMLIT_ENGLISH = (
    "Choose an option",
    "Choose options",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Show/hide columns",
    "Show data",
    "Download as PNG",
    "Copy Vega-Lite spec",
)
_OFFERED = """(words) => {
    const out = [];
    for (const el of document.querySelectorAll('input[placeholder]')) {
        if (words.includes(el.placeholder)) out.push('placeholder ' + el.placeholder); }
    for (const el of document.querySelectorAll('[aria-label],[title]')) {
        const v = el.getAttribute('aria-label') || el.getAttribute('title');
        if (words.includes(v) && el.checkVisibility()) out.push('shown ' + v); }
    return out; }"""


def test_the_dutch_ui_offers_none_of_streamlits_english(page, server):
    for slug in PAGES:
        open_titled(page, f"{server}/{slug}?lang=nl")
        for el in page.locator('[data-testid="stDataFrame"], [data-testid="stVegaLiteChart"]').all():
            el.hover()  # the toolbar appears on hover
            page.wait_for_timeout(300)
        assert page.evaluate(_OFFERED, list(STREAMLIT_ENGLISH)) == [], slug


# --- 7. an unexpected failure is logged with the id the page shows ---------------------------------------


@pytest.mark.parametrize("fault, path", [("page:methode", "/methode"), ("scored", "/kaart")])
def test_an_injected_unexpected_exception_is_logged_with_the_id_shown(browser, env, tmp_path, fault, path):
    log = tmp_path / "server.log"
    # serve.py with the fault injected from the test side (tests/apps/fault_serve.py, tests/helpers_faults.py)
    for url in _serve(dict(env, STAPELKAART_FAULT_AT=fault), log=log, entry=REPO / "tests" / "apps" / "fault_serve.py"):
        ctx, pg = new_page(browser)
        try:
            pg.goto(url + path)
            settle(pg)
            pg.wait_for_selector("text=foutcode", timeout=120_000)
            shown = re.search(r"foutcode ([0-9a-f]{8})", pg.locator("body").inner_text()).group(1)
            no_exception(pg)
            assert "Traceback" not in pg.locator("body").inner_text()
        finally:
            ctx.close()
        deadline = time.time() + 10
        while f"fout-id {shown}" not in log.read_text(errors="replace") and time.time() < deadline:
            time.sleep(0.3)
    text = log.read_text(errors="replace")
    at = text.index(f"fout-id {shown}")
    block = text[at : at + 6000]
    assert "Traceback (most recent call last)" in block and f"KeyError: 'injected fault at {fault}'" in block


# --- 8. long lists travel only while the user chooses (issue 13), and choosing works ------------------------


def test_gemeente_list_opens_on_demand_and_a_removed_gemeente_leaves_the_map(page, server):
    open_titled(page, server + "/?level=wijk")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert sidebar.locator('[data-testid="stMultiSelect"]').count() == 0  # not sent on first load
    assert page.locator('[data-testid="stSelectbox"]', has_text="Gebied bekijken").count() == 0
    chosen = sidebar.locator('[data-testid="stCaptionContainer"]', has_text="Gemeenten:")
    assert re.search(r"Gemeenten: (Amsterdam, Zaanstad|Zaanstad, Amsterdam)", chosen.inner_text())
    sidebar.locator("summary", has_text="Gemeenten kiezen").click()
    remove = sidebar.get_by_role("button", name="Remove Zaanstad (GM0479)")  # the chip's cross
    remove.wait_for(timeout=60_000)
    remove.click()
    settle(page)
    page.wait_for_function("() => new URLSearchParams(location.search).get('gm') === 'GM0363'", timeout=60_000)
    assert re.search(r"Gemeenten: Amsterdam\s*$", chosen.inner_text())
    assert sidebar.get_by_role("button", name="Remove Amsterdam (GM0363)").count() == 1  # the list stays open
    no_exception(page)


def test_kaart_changes_rerun_the_map_section_and_the_share_link_follows(page, server):
    """A colour or class change on the Kaart reruns only its map section (st.fragment); the share link in the
    sidebar (outside that section) still equals the address bar after each change."""
    open_titled(page, server + "/?level=wijk")
    page.locator('[data-testid="stSidebar"] summary', has_text="Kopieer link").first.click()
    box = page.locator('[data-testid="stNumberInput"] input').first
    for k in ("3", "7"):
        box.fill(k)
        box.press("Enter")
        settle(page)
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('k') === '{k}'", timeout=60_000)
        page.wait_for_function(
            f"() => (document.querySelector('input.sk-share') || {{}}).value?.includes('k={k}')", timeout=60_000
        )
        assert address_equals_share(page)[1]["k"] == k
    page.locator('[data-testid="stSelectbox"]', has_text="Kleur naar").locator("input").first.click()
    page.get_by_role("option", name="Samengestelde score").first.click()
    settle(page)
    page.wait_for_function("() => location.search.includes('colour=composite')", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('input.sk-share').value.includes('colour=composite')", timeout=60_000
    )
    view = address_equals_share(page)
    assert view[1]["colour"] == "composite" and view[1]["k"] == "7"
    assert page.locator("input.sk-share").count() == 1  # one link, not one per rerun
    # the weight sliders are sent only once "Gewichten per domein" is opened; a step on one goes into the link
    assert page.get_by_role("slider").count() == 0
    page.locator('[data-testid="stExpander"] summary', has_text="Gewichten per domein").first.click()
    slider = page.get_by_role("slider").first
    slider.wait_for(timeout=60_000)
    from indicators.registry import DOMAINS

    assert page.get_by_role("slider").count() == len(DOMAINS)  # one per domain, gezondheid included
    slider.focus()
    slider.press("ArrowRight")
    settle(page)
    page.wait_for_function("() => /w=[a-z_]+(:|%3A)1.5/.test(location.search)", timeout=60_000)
    view = address_equals_share(page)
    assert view[1]["w"].endswith(":1.5") and view[1]["colour"] == "composite" and view[1]["k"] == "7"
    no_exception(page)
