"""Issue 22 in Chromium: hostile focus-area names (from the link) and imported-file names and region names
(from a ``files=`` link) go through Kaart (presentation mode), Vergelijken, Buurtprofiel, Prioriteren and
Gegevens; the DOM gets no ``a``/``img``/``script`` element and no external ``href``/``src`` from them, and no
injected handler runs.

A Hypothesis property, kept small (``max_examples`` 3, no deadline): each example is 5 page loads on one
`streamlit run serve.py` with the cbs-mirror. The names are drawn from the constructs that became live in the
adversarial run (Markdown links and images, GFM autolinks ``http://…``/``www.…``/e-mail, raw HTML, Streamlit
directives) mixed with plain text. The pages have no external ``a``/``img``/``script``/``iframe`` of their own,
so none is allowed; in-page heading anchors (``href="#…"``) are; ``<link>`` elements (Streamlit's font
preconnects come and go) are checked for the markers only.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode, urljoin, urlparse

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as hs

from indicators import focus, focuscodec
from pages._common.state import PAGES
from tests._browser import CHROMIUM, chromium
from tests.conftest import MIRROR_BIN

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not Path(CHROMIUM).exists() or not MIRROR_BIN.exists():
    pytest.skip("needs /usr/bin/chromium and ../shared/cbs-mirror", allow_module_level=True)

MARKERS = ("XSSMARK", "evil.example", "2130706433", "javascript:")
FRAGMENTS = [
    "[XSSMARK](https://evil.example/p)",
    "![XSSMARK](https://evil.example/i.png)",
    "http://2130706433/XSSMARK",
    "www.evil.example#XSSMARK",
    "XSSMARK@evil.example",
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    ":red[XSSMARK] :material/home:",
    "<https://evil.example/a>",
    "[XSSMARK]: https://evil.example",
    "**XSSMARK**",
    "Noord-Zaandam",
    "Oud <Oost>",
    "1. XSSMARK",
]
FILE_FRAGMENTS = [f for f in FRAGMENTS if "/" not in f] + ["www.evil.example#x", "[XSSMARK](evil.example)"]

_words = hs.text(alphabet="abcdefghij XYZ-é", min_size=0, max_size=6)
NAMES = hs.tuples(hs.sampled_from(FRAGMENTS), _words, hs.sampled_from(FRAGMENTS)).map(lambda t: " ".join(t).strip())
FILE_NAMES = hs.tuples(hs.sampled_from(FILE_FRAGMENTS), _words).map(lambda t: f"{t[0]}{t[1].strip()}.csv")

DOM = """() => {
  const els = [...document.querySelectorAll('a,img,script,iframe,object,embed,video,audio,source,link')];
  return {els: els.map(e => [e.tagName, e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('data') || '',
                              (e.textContent || e.getAttribute('alt') || '').slice(0, 120)]),
          xss: !!window.__xss};
}"""


@pytest.fixture(scope="module")
def env(app_env):
    """The shared journey server's environment: imports are stored in its cache folder, signed with its secret."""
    return app_env


class _App(str):
    """The server's URL (a str) carrying its environment without printing it (Hypothesis prints arguments)."""

    env: dict

    def __repr__(self) -> str:
        return f"_App({str(self)!r})"


@pytest.fixture(scope="module")
def server(app_server, env):
    app = _App(app_server)
    app.env = env
    return app


@pytest.fixture(scope="module")
def page(server):
    for b in chromium():
        pg = b.new_page(viewport={"width": 1280, "height": 900})
        yield pg
        pg.close()


def _import(env: dict, filename: str, region_name: str) -> str:
    """A hostile-named file with hostile region names, stored as the app stores an import (same secret/cache)."""
    from data import userstore

    data = (
        "regiocode,naam,jaar,voortijdig_schoolverlaten\n"
        f'WK047912,"{region_name.replace(chr(34), "")}",2024,3.5\nWK047911,Zaandam Zuid,2024,2.5\n'
    ).encode()
    with mock.patch.dict(os.environ, {"STAPELKAART_CACHE_DIR": env["STAPELKAART_CACHE_DIR"]}):
        if userstore.SECRET_ENV not in env:  # then the server's secret is the one kept in its cache folder
            os.environ.pop(userstore.SECRET_ENV, None)
        return userstore.put(data, filename)


def _load(page, url: str) -> dict:
    page.goto(str(url))
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=60_000)
    page.wait_for_selector("h1", timeout=120_000)
    return _load_settled(page)


def _load_settled(page) -> dict:
    """Wait until the page settled, then what its frames hold: a/img/script/... elements and the XSS flag."""
    last, deadline = None, time.time() + 180
    while time.time() < deadline:  # settled: no run, no spinner, the same text 1 s apart
        now = page.evaluate("""() => [!!document.querySelector('[data-testid="stStatusWidget"]'),
                                       /laden…|Loading…/.test(document.body.innerText),
                                       document.body.innerText.length]""")
        if not now[0] and not now[1] and now == last:
            break
        last = now
        time.sleep(1.0)
    out = {"els": [], "xss": False}
    for frame in page.frames:
        try:
            got = frame.evaluate(DOM)
        except Exception:  # noqa: BLE001 (a frame that navigated away meanwhile has nothing to check)
            continue
        out["els"] += got["els"]
        out["xss"] |= got["xss"]
    return out


def _external(els, origin: str) -> set[tuple[str, str]]:
    out = set()
    for tag, url, _ in els:
        host = urlparse(url).netloc
        if tag != "LINK" and url and not url.startswith("#") and host and host != urlparse(origin).netloc:
            out.add((tag, host))
    return out


def _menu_link(el, origin: str) -> bool:
    """A same-origin link to one of the app's pages (the sidebar menu, links.nav_links), carrying the view."""
    tag, url, _ = el
    target = urlparse(urljoin(origin + "/", url))
    return tag == "A" and target.netloc == urlparse(origin).netloc and target.path.strip("/") in {"", *PAGES}


@pytest.fixture(scope="module")
def warm(page, server):
    """The first page load fetches from the mirror; the examples then time the pages, not the fetch."""
    _load(page, server + "/vergelijken")


HEADINGS = '[data-testid="stHeading"], h3'
_HEADING_HOLDS = """([selector, text]) => [...document.querySelectorAll(selector)]
    .some(h => h.innerText.replaceAll('\\u2060', '').includes(text))"""


def _wait_for_heading(page, text: str, timeout_ms: int = 60_000) -> None:
    """Until a heading holds ``text`` (word joiners ignored) or ``timeout_ms`` passed; the caller asserts."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(_HEADING_HOLDS, arg=[HEADINGS, text], timeout=timeout_ms)


def _urls(server: str, fa: str, fopen: str, files: str) -> list[str]:
    q = {"fa": fa, "files": files}
    return [
        f"{server}/?{urlencode({**q, 'present': 1})}",
        f"{server}/vergelijken?{urlencode(q)}",
        f"{server}/buurtprofiel?{urlencode({**q, 'fopen': fopen})}",
        f"{server}/prioriteren?{urlencode(q)}",
        f"{server}/gegevens?{urlencode(q)}",
    ]


@settings(
    max_examples=3,
    deadline=None,
    phases=[Phase.generate],
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(names=hs.tuples(NAMES, NAMES), filename=FILE_NAMES, region=NAMES)
def test_hostile_names_become_no_link_image_or_script_on_any_page(page, server, warm, names, filename, region):
    areas = [focus.FocusArea.make(names[0], ["WK047912"]), focus.FocusArea.make(names[1], ["WK047911", "WK047913"])]
    fa = focuscodec.format_focus_param(areas)
    ids = [a.id for a in focuscodec.parse_focus_param(fa)]
    digest = _import(server.env, filename, region)
    for url in _urls(server, fa, ids[0], digest):
        got = _load(page, url)
        want = names[1].split()[0].replace("\u2060", "")  # Vergelijken's heading of the second focus area
        if "/vergelijken" in url:  # the names arrive as headings; a busy machine can look settled before the run
            _wait_for_heading(page, want)
            got = _load_settled(page)
        assert not got["xss"], url
        # a marker in an element's text means the name became an element; in its URL, that it links somewhere,
        # except the page menu: its same-origin links carry the whole view, hostile names percent-encoded
        live = [
            e
            for e in got["els"]
            if not e[1].startswith("#")
            and (any(m in e[2] for m in MARKERS) or (any(m in e[1] for m in MARKERS) and not _menu_link(e, server)))
        ]
        assert live == [], (url, live)
        assert _external(got["els"], server) == set(), url  # the pages link nowhere else at all
        assert page.locator("h1").count() >= 1, url  # the page ran (its title is there)
        if "/vergelijken" in url:  # and the names arrived, as text
            heads = [h.replace("\u2060", "") for h in page.locator(HEADINGS).all_inner_texts()]
            assert any(want in h for h in heads), heads


def test_gegevens_speaks_dutch_and_shows_no_server_path(page, server, warm):
    """Issue 21/22: the uploader's own texts in the UI language; the cache folder only for an admin."""
    _load(page, server + "/gegevens")
    zone = page.locator('.st-key-w_upload [data-testid="stFileUploaderDropzone"]')
    button = zone.locator("button p").evaluate("p => getComputedStyle(p, '::after').content")
    limit = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').evaluate(
        "s => getComputedStyle(s, '::after').content"
    )
    assert button == '"Bestand kiezen"' and limit == '"hoogstens 20 MB per bestand · CSV, XLSX"'
    assert zone.locator("button p").evaluate("p => getComputedStyle(p).visibility") == "hidden"  # "Upload"
    assert server.env["STAPELKAART_CACHE_DIR"] not in page.inner_text("body")


def test_a_text_field_hint_speaks_the_ui_language(page, server, warm):
    """Issue 21: typing a focus-area name showed Streamlit's "Press Enter to submit form" in the Dutch UI."""
    _load(page, server + "/vergelijken")
    page.locator('[data-testid="stExpander"] summary', has_text="Focusgebieden").first.click()
    field = page.locator(".st-key-w_fa_new_name input")
    field.fill("Noord")
    hint = page.locator('.st-key-w_fa_new_name [data-testid="InputInstructions"] > span').first
    hint.wait_for(state="attached", timeout=30_000)
    assert hint.evaluate("s => getComputedStyle(s, '::after').content") == '"Enter om het formulier te versturen"'
    assert hint.evaluate("s => getComputedStyle(s).visibility") == "hidden"  # "Press Enter to submit form"
    assert "Press Enter" not in page.inner_text("body")


def test_an_import_error_quoting_a_url_cell_shows_it_as_plain_text(page, server, warm, tmp_path):
    """A cell value 'http://…' in an imported file is quoted in the refusal: as text, no link, no backslash."""
    bad = tmp_path / "www.evil.example#x.csv"
    bad.write_text(
        "regiocode,jaar,voortijdig_schoolverlaten\nWK047912,2024,3\nWK047911,2024,4\n"
        "WK047913,2024,http://2130706433/XSSMARK\n"
    )
    _load(page, server + "/gegevens")
    page.locator('.st-key-w_upload input[type="file"]').set_input_files(str(bad))
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_selector('[data-testid="stAlert"]', timeout=60_000)
    got = _load_settled(page)
    text = page.inner_text("body").replace("\u2060", "")
    assert "'http://2130706433/XSSMARK' is geen getal" in text and "www.evil.example#x.csv" in text
    assert "\\" not in text.split("Het bestand is niet geïmporteerd", 1)[-1]  # no escape shown
    live = [e for e in got["els"] if not e[1].startswith("#") and any(m in e[1] + e[2] for m in MARKERS)]
    assert live == [] and _external(got["els"], server) == set() and not got["xss"]
