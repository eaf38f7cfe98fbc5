"""Issue 22: storage that takes no new data is said plainly, and what is cached keeps serving.

A read-only cache (deploy/run-replicas.sh's documented replica mode), a read-only user store and a full disk
are real filesystems here: tmpfs mounts (tests run as root, so ``chmod`` alone would not stop a write). Each
test is skipped, with the reason, where the machine cannot mount; every mount is unmounted in teardown.
"""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tests.helpers_storage import PLAIN_EN, PLAIN_NL, files_under, load_kwb_2024, remount_ro

pytestmark = needs_shared


def test_read_only_cache_serves_what_is_cached_and_shows_a_new_gemeente_unstored(mirror, cache_dir, tmpfs):
    """Replica mode: Zaanstad is cached, then the cache is made read-only. Zaanstad still loads from disk with
    no request; Amsterdam (not cached) is fetched and shown with a plain notice that it was not stored (was:
    OSError [Errno 30] shown as 'Er ging iets mis ... (foutcode ...)')."""
    from data import cache

    tmpfs(cache_dir)
    load_kwb_2024(["GM0479"])
    remount_ro(cache_dir)
    before = files_under(cache_dir)
    mirror.clear_requests()
    zaanstad = load_kwb_2024(["GM0479"])
    assert len(zaanstad) == 20 and mirror.requests() == []
    amsterdam = load_kwb_2024(["GM0363"])
    src = amsterdam.attrs["source"]
    assert len(amsterdam) == 111 and set(amsterdam["gemeente_code"]) == {"GM0363"}
    assert src["not_stored"] is True and src["from_cache"] is False
    note = src["notices"][0]
    assert note["nl"].startswith(PLAIN_NL) and "alleen-lezen" in note["nl"] and "beheerder" in note["nl"]
    assert note["en"].startswith(PLAIN_EN) and "read-only" in note["en"]
    assert str(cache_dir) not in note["nl"] + note["en"]  # no server paths in messages
    assert files_under(cache_dir) == before and cache.get(cache.CacheKey.make("kwb", 2024, "wijk", ["GM0363"])) is None


def test_full_disk_returns_the_fetched_data_with_a_notice_and_leaves_nothing_partial(mirror, cache_dir, tmpfs):
    """A 64 KB cache filled up (Errno 28): the Amsterdam load is shown, with 'de schijf is vol'; no temp file,
    data file or manifest is left behind."""
    tmpfs(cache_dir, size="64k")
    filler = cache_dir / "filler"
    with open(filler, "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()
        except OSError as exc:
            assert exc.errno == 28
    frame = load_kwb_2024(["GM0363"])
    src = frame.attrs["source"]
    assert len(frame) == 111 and src["not_stored"] is True
    assert "de schijf is vol" in src["notices"][0]["nl"] and "the disk is full" in src["notices"][0]["en"]
    assert [f for f in files_under(cache_dir) if f != "filler"] == []


def test_full_disk_on_put_is_a_storage_error_and_the_old_entry_stays(cache_dir, tmpfs):
    """data.cache.put on a full disk: StorageError (a StapelkaartError with errno 28), never a bare OSError,
    and the entry written before is still read intact."""
    import pandas as pd

    from core.errors import StapelkaartError, StorageError
    from data import cache

    tmpfs(cache_dir, size="256k")
    key = cache.CacheKey.make("kwb", 2024, "wijk", ["GM0479"])
    small = pd.DataFrame({"code": ["WK047911"], "v": [1.0]})
    cache.put(key, small)
    big = pd.DataFrame({"code": [f"WK{i:06d}" for i in range(20000)], "v": range(20000)}).astype({"v": float})
    big["noise"] = pd.util.hash_pandas_object(big, index=False).astype(str)  # incompressible: > 256 KB
    with pytest.raises(StorageError) as info:
        cache.put(key, big)
    assert isinstance(info.value, StapelkaartError) and info.value.errno == 28
    assert info.value.message.startswith(PLAIN_NL)
    got, man = cache.get(key)
    assert man["rows"] == 1 and got["v"].tolist() == [1.0]
    assert not [f for f in files_under(cache_dir) if "/.tmp-" in f]


def test_read_only_user_store_is_a_plain_error(cache_dir, tmpfs, tmp_path, monkeypatch):
    """Importing a file into a read-only user store: the store's own plain refusal ('kan geen bestanden opslaan
    ... er is niets geïmporteerd', data.userstore), no path, nothing written."""
    from core.errors import UserFileError
    from data import userstore

    store = tmpfs(tmp_path / "store")
    remount_ro(store)
    monkeypatch.setenv("STAPELKAART_USERSTORE_DIR", str(store))
    with pytest.raises(UserFileError) as info:
        userstore.put(b"regiocode,waarde\nGM0479,3.5\nGM0363,4\n", "eigen.csv", year=2021)
    assert info.value.message.startswith("Deze server kan geen bestanden opslaan (de opslag is alleen-lezen of vol)")
    assert "er is niets geïmporteerd" in info.value.message and "nothing was imported" in info.value.message_en
    assert str(store) not in info.value.message + info.value.message_en
    assert files_under(store) == []


def test_kaart_with_a_read_only_cache_shows_the_notice_not_a_bug(mirror, cache_dir, tmpfs):
    """The Kaart for a gemeente that is not cached, in replica mode (read-only cache): no 'Er ging iets mis'
    (the unexpected-error message with a foutcode); the page says plainly that the server cannot store."""
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
    assert not any("Er ging iets mis" in s for s in shown), shown
    assert any(PLAIN_NL in s for s in shown), shown
