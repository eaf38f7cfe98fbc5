"""Replica mode (read-only cache, deploy/run-replicas.sh) for PDOK boundaries: a gemeente whose boundaries are
not cached is fetched and drawn, with the plain "kan geen nieuwe gegevens opslaan" notice, never a foutcode.

Real read-only tmpfs mounts (fixtures of tests/helpers_storage.py), the CBS/PDOK mirror.
"""

from __future__ import annotations

from tests.conftest import needs_shared
from tests.helpers_storage import PLAIN_EN, PLAIN_NL, files_under, load_kwb_2024, remount_ro

pytestmark = needs_shared


def _wijken(gm, tmp_path, monkeypatch):
    """How many wijken PDOK (the mirror) gives for ``gm`` in 2024: loaded into a separate writable cache."""
    from data.pdok import load_boundaries

    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "reference-cache"))
    n = len(load_boundaries([gm], 2024, "wijk"))
    return n


def test_read_only_cache_boundaries_of_a_new_gemeente_are_returned_unstored(
    mirror, cache_dir, tmpfs, tmp_path, monkeypatch
):
    """Zaanstad's boundaries cached, then the cache read-only: Zaanstad from disk with no request; Amsterdam's
    wijken fetched and returned, ``not_stored`` with the plain notice (was: StorageError, no boundaries)."""
    from data import cache
    from data.pdok import load_boundaries

    n_zaan, n_ams = _wijken("GM0479", tmp_path, monkeypatch), _wijken("GM0363", tmp_path, monkeypatch)
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(cache_dir))
    assert n_zaan > 10 and n_ams > 50
    tmpfs(cache_dir)
    load_boundaries(["GM0479"], 2024, "wijk")
    remount_ro(cache_dir)
    before = files_under(cache_dir)
    mirror.clear_requests()
    assert len(load_boundaries(["GM0479"], 2024, "wijk")) == n_zaan and mirror.requests() == []
    gdf = load_boundaries(["GM0363"], 2024, "wijk")
    src = gdf.attrs["source"]
    assert len(gdf) == n_ams and set(gdf["gemeente_code"]) == {"GM0363"}
    assert src["not_stored"] is True and src["from_cache"] is False and src["version"] is None
    note = src["notices"][0]
    assert note["nl"].startswith(PLAIN_NL) and "alleen-lezen" in note["nl"]
    assert note["en"].startswith(PLAIN_EN) and str(cache_dir) not in note["nl"] + note["en"]
    both = load_boundaries(["GM0479", "GM0363"], 2024, "wijk")  # combined: the notice stays, once
    assert len(both) == n_zaan + n_ams and both.attrs["source"]["not_stored"] is True
    assert [n["nl"] for n in both.attrs["source"]["notices"]] == [note["nl"]]
    assert files_under(cache_dir) == before
    assert cache.get(cache.CacheKey.make("boundaries", 2024, "wijk", ["GM0363"])) is None


def test_read_only_cache_gemeente_attributes_are_returned_unstored(mirror, cache_dir, tmpfs):
    """The PDOK gemeente attributes (the Nederland row) on a read-only cache: returned, with the notice."""
    from data.pdok import load_gemeente_attributes

    tmpfs(cache_dir)
    remount_ro(cache_dir)
    frame = load_gemeente_attributes(2024)
    assert {"GM0363", "GM0479"} <= set(frame["code"]) and frame.attrs["source"]["not_stored"] is True
    assert frame.attrs["source"]["notices"][0]["nl"].startswith(PLAIN_NL)


def test_kaart_draws_a_new_gemeente_on_a_read_only_cache(mirror, cache_dir, tmpfs):
    """The Kaart for Amsterdam (nothing of it cached) in replica mode: the map component is drawn (its label
    names Amsterdam's wijken), the page says plainly that the server cannot store, and there is no 'Er ging iets mis' / foutcode."""
    import json

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    tmpfs(cache_dir)
    load_kwb_2024(["GM0479"])
    remount_ro(cache_dir)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.query_params["gm"] = "GM0363"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [e.value for e in at.error] + [w.value for w in at.warning]
    assert not at.error, shown
    assert not any("Er ging iets mis" in s or "foutcode" in s for s in shown), shown
    assert any(PLAIN_NL in s for s in shown), shown
    comps = [c for c in at.get("component_instance") if c.proto.component_name == "components.deckmap.deckmap"]
    assert len(comps) == 1
    assert "Amsterdam" in json.loads(comps[0].proto.json_args)["label"]
