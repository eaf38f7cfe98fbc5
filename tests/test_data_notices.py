"""Stale and degraded data is said on every page that shows data, not only on the Kaart:
``loaders.data_notices(view)`` gives the notice texts of the frames behind the view's page.

Scenario on the mirror: Zaanstad (GM0479) is cached, then CBS and PDOK answer 503 to everything and the view
asks Zaanstad + Amsterdam (GM0363). The KWB frame is then Zaanstad's cached copy (stale, today's date) with
Amsterdam named as not shown; the Kaart also names Amsterdam as having no boundaries. Read-only cache: the
fetched data is shown with the plain "cannot store" notice, once.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import needs_shared
from tests.helpers_data import prime_zaanstad
from tests.helpers_storage import PLAIN_NL, remount_ro

pytestmark = needs_shared
DATA_PAGES = ("kaart", "buurtprofiel", "prioriteren", "vergelijken", "gegevens")


def _notices_script(page: str, gemeenten: tuple, reference: str, lang: str) -> None:
    import streamlit as st

    from pages._common import loaders_notices
    from pages._common.state import ViewState

    view = ViewState(gemeenten=gemeenten, year=2024, level="wijk", reference=reference, page=page, lang=lang)
    for text in loaders_notices.data_notices(view):
        st.warning(text)
    st.text("done")


def _notices(page, gemeenten=("GM0363", "GM0479"), reference="selection", lang="nl") -> list[str]:
    at = AppTest.from_function(_notices_script, args=(page, gemeenten, reference, lang), default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.text] == ["done"]
    return [w.value for w in at.warning]


@pytest.mark.parametrize("page", DATA_PAGES)
def test_every_data_page_gets_the_stale_and_missing_notices(mirror, cache_dir, page):
    from data import http

    prime_zaanstad()
    today = http.utc_now_iso()[:10]
    mirror.fault(status=503)
    shown = _notices(page)
    assert f"Gecachte gegevens van {today} worden getoond (ophalen lukte niet)." in shown, shown
    assert any("Niet getoond" in s and "GM0363" in s for s in shown), shown
    assert len(shown) == len(set(shown))
    if page == "kaart":  # the map: Amsterdam has no boundaries, said so
        assert any(s.startswith("Geen grenzen voor GM0363") for s in shown), shown
    en = _notices(page, lang="en")
    assert f"Cached data from {today} is shown (fetching failed)." in en, en


def test_fresh_data_has_no_notices(mirror, cache_dir):
    for page in DATA_PAGES:
        assert _notices(page) == [], page


def test_methode_shows_no_data_and_gets_no_notices(mirror, cache_dir):
    prime_zaanstad()
    mirror.fault(status=503)
    assert _notices("methode") == []


def test_read_only_cache_notice_reaches_every_data_page_once(mirror, cache_dir, tmpfs):
    """Replica mode: Amsterdam is fetched but cannot be stored; each page says so once (KWB and boundaries
    give the same text)."""
    tmpfs(cache_dir)
    remount_ro(cache_dir)
    for page in ("kaart", "prioriteren", "gegevens"):
        shown = _notices(page, ("GM0363",))
        assert [s for s in shown if s.startswith(PLAIN_NL)] == [shown[0]] and len(shown) == 1, (page, shown)
