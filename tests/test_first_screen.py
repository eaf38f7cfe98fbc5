"""First screen without internet and without a cache (issue 23): said at once, with what works instead.

CBS and PDOK point at a closed port, the cache is empty and the network policy is the production one (4
retries with backoff): the first page used to wait out the retries (35-80 s on "Kerncijfers ... ophalen...")
and then claimed "gecachte gegevens worden gebruikt als die er zijn" while there were none.
"""

from __future__ import annotations

import socket
import time

import pytest

from tests.helpers_app import assert_ok, map_args, new_app


def _closed_port_url() -> str:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def offline(tmp_path, monkeypatch):
    url = _closed_port_url()
    for var in ("STAPELKAART_CBS_URL", "STAPELKAART_PDOK_URL", "STAPELKAART_DATADERDEN_URL"):
        monkeypatch.setenv(var, url)
    for var in ("STAPELKAART_HTTP_TIMEOUT", "STAPELKAART_HTTP_RETRIES", "STAPELKAART_HTTP_BACKOFF"):
        monkeypatch.delenv(var, raising=False)  # the production policy: what made the old screen wait
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STAPELKAART_ADMIN_TOKEN", raising=False)
    return url


def _texts(at) -> str:
    parts = (
        [e.value for e in at.title]
        + [e.value for e in at.subheader]
        + [e.value for e in at.error]
        + [e.value for e in at.markdown]
        + [e.value for e in at.info]
    )
    parts += [e.value for e in at.code] + [e.value for e in at.warning] + [e.value for e in at.caption]
    return "\n".join(str(p) for p in parts)


def _run_timed(params: dict) -> tuple[object, float]:
    """The app's first run, timed from a process that has imported the app's modules (as a running server has:
    importing them took 3.5 s on the busy test machine, online or offline alike)."""
    import pages._common.shell  # noqa: F401

    at = new_app(params)
    at.default_timeout = 150  # the old screen needed up to 80 s: fail on the assertion, not on the timeout
    t0 = time.monotonic()
    at.run()
    return at, time.monotonic() - t0


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_first_page_says_no_connection_at_once(offline, lang):
    at, seconds = _run_timed({"lang": lang} if lang == "en" else {})
    assert_ok(at)
    text = _texts(at)
    title = "geen verbinding met cbs en pdok" if lang == "nl" else "no connection to cbs and pdok"
    assert title in text.lower(), text[:2000]
    print(f"first screen offline ({lang}): {seconds:.2f} s to the message")
    assert seconds < 4.0, f"{seconds:.1f} s to the message"
    assert "gecachte gegevens worden gebruikt" not in text and "cached data is used" not in text
    # what works instead: the exact commands of README / python -m data, and who may import
    assert "python -m data import-snapshot stapelkaart.zip" in text
    assert "python -m data export-snapshot stapelkaart.zip" in text
    assert "STAPELKAART_ADMIN_TOKEN" in text
    assert "../shared/cbs-mirror/cbs-mirror --port 8765" in text
    assert "export STAPELKAART_CBS_URL=http://127.0.0.1:8765" in text
    assert "export STAPELKAART_PDOK_URL=http://127.0.0.1:8765" in text
    shown = text.replace("\\", "")  # Markdown escapes of the host name
    assert "- CBS: 127.0.0.1:" in shown and "- PDOK: 127.0.0.1:" in shown
    nothing = "Er staan nog geen gegevens in de cache" if lang == "nl" else "The cache holds no data yet"
    assert nothing in text
    # no spinner text of a fetch that cannot succeed
    assert "ophalen…" not in text and "Fetching" not in text


@pytest.mark.parametrize("page", ["methode", "gegevens"])
def test_pages_without_the_gate_do_not_wait_either(offline, page):
    """Methode and Gegevens show what they can without data; their loads fail at once instead of after the
    retries (data.firstscreen.fail_fast in the frame loaders)."""
    import pages._common.shell  # noqa: F401

    at = new_app({"page": page})
    at.default_timeout = 150
    t0 = time.monotonic()
    at.run()
    seconds = time.monotonic() - t0
    assert_ok(at)
    print(f"{page} offline: {seconds:.2f} s")
    assert seconds < 4.0, f"{seconds:.1f} s"
    assert at.title[0].value == {"methode": "Methode & bronnen", "gegevens": "Gegevens"}[page]


def test_cached_gemeente_is_offered_as_a_link(offline, mirror_server, monkeypatch):
    """With one gemeente in the cache (fetched from the emulator before going offline) the screen links to it."""
    from data.cbs import list_gemeenten, load_kwb
    from data.pdok import load_boundaries

    monkeypatch.setenv("STAPELKAART_CBS_URL", mirror_server.url)
    monkeypatch.setenv("STAPELKAART_PDOK_URL", mirror_server.url)
    list_gemeenten(2024)
    load_kwb(["GM0479"], 2024)
    load_boundaries(["GM0479"], 2024, "wijk")
    url = _closed_port_url()
    monkeypatch.setenv("STAPELKAART_CBS_URL", url)
    monkeypatch.setenv("STAPELKAART_PDOK_URL", url)

    at, seconds = _run_timed({"gm": "GM0363"})  # Amsterdam: not cached
    assert_ok(at)
    assert seconds < 4.0, f"{seconds:.1f} s"
    text = _texts(at)
    assert "geen verbinding met cbs en pdok" in text.lower()
    links = [pl for pl in at.get("page_link") if "GM0479" in pl.proto.label]
    assert len(links) == 1, [pl.proto.label for pl in at.get("page_link")]
    link = links[0].proto
    assert link.label.startswith("Zaanstad (GM0479)") and "2024" in link.label and "wijken" in link.label
    assert "gm=GM0479" in link.page or "gm=GM0479" in str(link), link

    # following it opens the cached gemeente without the notice, from the cache (the port is closed)
    at2, _ = _run_timed({"gm": "GM0479", "ref": "gemeente"})
    assert_ok(at2)
    assert "geen verbinding" not in _texts(at2).lower()
    assert "Laden mislukt" not in [s.proto.label for s in at2.get("expandable")]
    drawn = map_args(at2)
    assert len(drawn["fill"]) > 0  # the cached wijken are drawn


def test_no_answer_without_cache_claims_no_cached_data(mirror, cache_dir):
    """The loaders' error after their retries said "gecachte gegevens worden gebruikt als die er zijn" also
    when there were none; when it reaches the user no cached copy was used (else the copy is shown, stale)."""
    from core.errors import FetchError
    from data import cbs

    mirror.fault(status=503)
    with pytest.raises(FetchError) as info:
        cbs.load_kwb(["GM0479"], 2024, levels=("wijk",))
    assert "gecachte" not in info.value.message and "cached" not in info.value.message_en
    assert "probeer later opnieuw" in info.value.message


def test_a_partly_cached_selection_is_not_refused_at_once(mirror_server, cache_dir, monkeypatch):
    """fail_fast only when nothing of the selection is cached: with Zaanstad cached and Amsterdam not, the loader
    still shows Zaanstad's boundaries and names Amsterdam as missing (issue 23: partially if need be)."""
    from data.pdok import load_boundaries
    from pages._common import loaders_frames

    monkeypatch.setenv("STAPELKAART_PDOK_URL", mirror_server.url)
    load_boundaries(["GM0479"], 2024, "wijk")
    monkeypatch.setenv("STAPELKAART_PDOK_URL", _closed_port_url())
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    gdf = loaders_frames.boundaries(("GM0363", "GM0479"), 2024, "wijk")
    assert set(gdf["gemeente_code"]) == {"GM0479"}
