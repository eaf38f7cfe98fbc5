"""Gegevens: a refresh that brings a new CBS version opens 'Wat is er veranderd' on the two versions, and the
kept-version parameter ``kv`` stays on the page and its links.

Versions 1 and 2 of 85984NED are the SYNTHETIC fixtures of tests/helpers_versions.py (served by cbs-mirror
``--tables``: version 2 fills two variables version 1 left empty and has four invented edits).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from tests import helpers_versions as V
from tests.conftest import REPO, needs_shared

pytestmark = needs_shared
TOKEN = "test-admin-token-0123456789"
LEVELS3 = ("gemeente", "wijk", "buurt")


@pytest.fixture
def versions(serve, monkeypatch):
    """serve(n): a mirror with SYNTHETIC version n of 85984NED (helpers_versions.serve), admin token set."""
    monkeypatch.setenv("STAPELKAART_ADMIN_TOKEN", TOKEN)
    yield serve


def _gegevens(params: dict):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page("pages/gegevens.py").run()
    at.text_input[0].set_value(TOKEN)
    next(b for b in at.button if b.label == "Beheer openen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _links(at) -> list[dict]:
    return [
        {"page": p.proto.page, **{k: v[0] for k, v in parse_qs(p.proto.query_string).items()}}
        for p in at.get("page_link")
    ]


def test_a_refresh_with_a_new_version_opens_what_changed_on_the_two_versions(versions):
    from data.cbs import load_kwb

    versions(1)
    load_kwb(V.GM, 2024, levels=LEVELS3)
    at = _gegevens({"page": "gegevens", "area": "WK047911", "ref": "gemeente"})
    assert not [d for d in at.dataframe if "variable" in d.value.columns]  # nothing before a refresh
    versions(2)
    at.button(key="b_refresh").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("2025-03-27 → 2025-10-01" in s.value for s in at.success)
    assert at.radio(key="w_changed_mode").value == "versions"
    assert (at.selectbox(key="w_changed_old").value, at.selectbox(key="w_changed_new").value) == (
        V.MODIFIED[1],
        V.MODIFIED[2],
    )
    v2 = load_kwb(V.GM, 2024, levels=LEVELS3)
    listed = [d.value for d in at.dataframe if "variable" in d.value.columns]
    status = {"gewijzigd": "changed", "nieuw": "appeared", "verdwenen": "disappeared"}
    assert {(v, status[s]) for v, s in zip(listed[0]["variable"], listed[0]["Status"])} == {
        (v, s) for c, v, s in V.expected_differences(v2) if c == "WK047911"
    }
    assert any(lk["page"].endswith("buurtprofiel") and lk.get("area") == "WK047911" for lk in _links(at)), _links(at)
    at.run()  # still there on the next rerun (no hunting)
    assert at.selectbox(key="w_changed_new").value == V.MODIFIED[2]
    # a refresh that brings nothing new says so and opens no comparison
    at.button(key="b_refresh").click().run()
    assert any("geen nieuwe versie" in i.value and "2025-10-01" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "variable" in d.value.columns]


def test_gegevens_keeps_the_kept_version_on_the_page_and_its_links(versions):
    from data.cbs import load_kwb

    versions(1)
    load_kwb(V.GM, 2024, levels=LEVELS3)
    versions(2)
    load_kwb(V.GM, 2024, levels=LEVELS3, refresh=True)
    at = _gegevens({"page": "gegevens", "kv": V.MODIFIED[1], "area": "WK047911"})
    assert dict(at.query_params)["kv"] == V.MODIFIED[1]
    assert any("2025-03-27" in w.value and "niet de nieuwste" in w.value for w in at.warning)
    versions(3)  # version 3: a new Modified; the refresh brings it and links to the profile
    at.button(key="b_refresh").click().run()
    links = [lk for lk in _links(at) if lk["page"].endswith("buurtprofiel")]
    assert links and all(lk.get("kv") == V.MODIFIED[1] for lk in links), _links(at)
    assert dict(at.query_params)["kv"] == V.MODIFIED[1]


def test_a_refresh_with_cbs_down_says_only_what_is_true(versions, monkeypatch):
    """Issue 22: CBS down during a refresh: the stale warning, and NOT "CBS heeft geen nieuwe versie ... er is dus
    niets veranderd" (nobody asked CBS); instead that whether there is a new version could not be checked."""
    from data.cbs import load_kwb

    m = versions(1)
    load_kwb(V.GM, 2024, levels=LEVELS3)
    at = _gegevens({"page": "gegevens", "area": "WK047911"})
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    m.fault(status=503)  # CBS (and PDOK) down for good
    at.button(key="b_refresh").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Gecachte gegevens van" in w.value for w in at.warning), [w.value for w in at.warning]
    infos = [i.value for i in at.info]
    assert not any("geen nieuwe versie" in i or "niets veranderd" in i for i in infos), infos
    assert any("niet na te gaan" in i and "2025-03-27" in i for i in infos), infos
