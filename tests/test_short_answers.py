"""Issue 22: a short answer from CBS is never cached as complete; a refresh never replaces a good version by a
worse one unconfirmed; with CBS down a damaged or missing entry degrades to what is intact, and says so.

Server faults through the cbs-mirror's fault API (real HTTP, real 85984NED rows from ../shared/data): the fault
bodies below are real rows the mirror serves, cut short. GM0479 (Zaanstad) has 19 wijken in 85984NED, GM0363
(Amsterdam) 110; both numbers are recomputed from the mirror in the tests that need them.
"""

from __future__ import annotations

import json

import pytest
import requests

from tests.conftest import needs_shared

pytestmark = needs_shared

TABLE = "85984NED"
ZAANSTAD_WIJKEN = "startswith(WijkenEnBuurten,'WK0479')"


def _rows(mirror, flt: str) -> list[dict]:
    """The real TypedDataSet rows the mirror serves for ``flt`` (to build short answers from)."""
    url = f"{mirror.url}/ODataFeed/odata/{TABLE}/TypedDataSet"
    resp = requests.get(url, params={"$format": "json", "$filter": flt}, timeout=10)
    resp.raise_for_status()
    return resp.json()["value"]


def _answer(rows: list[dict], count: int | None) -> str:
    body = {
        "odata.metadata": f"http://x/ODataFeed/OData/{TABLE}/$metadata#Cbs.OData.WebAPI.TypedDataSet",
        "value": rows,
    }
    if count is not None:
        body["odata.count"] = str(count)
    return json.dumps(body)


def _short_fault(mirror, body: str, **kw) -> dict:
    mirror.clear_requests()  # from here on the log holds only the loader's requests
    return mirror.fault(match=r"TypedDataSet.*WK0479", status=200, body=body, content_type="application/json", **kw)


def _key(level="wijk", gm="GM0479"):
    from data import cache

    return cache.CacheKey.make("kwb", 2024, level, [gm])


def _load(gemeenten=("GM0479",), levels=("wijk",), **kw):
    from data.cbs import load_kwb

    return load_kwb(list(gemeenten), 2024, levels=list(levels), **kw)


# --------------------------------------------------------------------------- 1. short answers are errors
@pytest.mark.parametrize(
    "case", ["empty_value_count_19", "empty_value_no_count", "half_page_count_19", "empty_value_count_0"]
)
def test_a_short_answer_is_an_error_never_cached_and_a_healthy_server_then_gives_fresh_data(mirror, cache_dir, case):
    """value: [] with odata.count 19, no count at all (asked with $inlinecount), 10 of 19 rows without a next
    link, or an empty answer that agrees with itself (count 0) where a gemeente always has wijken: FetchError
    naming what is short, retried, nothing in the cache; after that a healthy server gives all 19 rows."""
    from core.errors import FetchError
    from data import cache

    real = _rows(mirror, ZAANSTAD_WIJKEN)
    assert len(real) == 19
    body, said = {
        "empty_value_count_19": (_answer([], 19), "19 rijen (odata.count) maar stuurde er 0"),
        "empty_value_no_count": (_answer([], None), "geen odata.count"),
        "half_page_count_19": (_answer(real[:10], 19), "19 rijen (odata.count) maar stuurde er 10"),
        "empty_value_count_0": (_answer([], 0), "geen enkele rij op niveau wijk"),
    }[case]
    _short_fault(mirror, body)
    with pytest.raises(FetchError) as info:
        _load()
    assert said in info.value.message and "niets opgeslagen" in info.value.message
    assert len(mirror.requests("TypedDataSet")) == 3  # the first answer and two more attempts
    assert cache.get(_key()) is None and cache.versions(_key()) == []
    # "restart": the service is healthy again; the next load reads the disk, finds nothing and fetches
    mirror.reset()
    frame = _load()
    assert sorted(frame["code"]) == sorted(r["WijkenEnBuurten"].strip() for r in real)
    assert frame.attrs["source"]["from_cache"] is False
    assert len(mirror.requests("TypedDataSet")) == 1
    assert cache.get(_key())[1]["rows"] == 19


def test_a_short_gemeente_list_is_an_error_never_cached(mirror, cache_dir):
    """The list of gemeenten: 10 of the 342 that odata.count announces, no next link: FetchError, not cached
    (a short list would later refuse real gemeenten as unknown)."""
    from core.errors import FetchError
    from data import cache
    from data.cbs import list_gemeenten

    url = f"{mirror.url}/ODataFeed/odata/{TABLE}/WijkenEnBuurten"
    real = requests.get(url, params={"$format": "json", "$filter": "startswith(Key,'GM')"}, timeout=10).json()["value"]
    assert len(real) == 342
    mirror.clear_requests()
    mirror.fault(
        match=r"WijkenEnBuurten\?.*startswith\(Key,'GM'\)",
        status=200,
        content_type="application/json",
        body=json.dumps({"odata.count": "342", "value": real[:10]}),
    )
    with pytest.raises(FetchError, match=r"342 rijen .* stuurde er 10"):
        list_gemeenten(2024)
    assert cache.get(cache.CacheKey.make("gemeenten", 2024, "gemeente", "NL")) is None
    mirror.reset()
    assert len(list_gemeenten(2024)) == 342


def test_short_area_names_are_an_error_never_cached(mirror, cache_dir):
    """The names of the wijken (WijkenEnBuurten dimension): 5 of the 19 announced: FetchError, nothing stored
    (the rows would otherwise be cached with 14 names missing)."""
    from core.errors import FetchError
    from data import cache

    url = f"{mirror.url}/ODataFeed/odata/{TABLE}/WijkenEnBuurten"
    names = requests.get(url, params={"$format": "json", "$filter": "startswith(Key,'WK0479')"}, timeout=10).json()[
        "value"
    ]
    assert len(names) == 19
    mirror.fault(
        match=r"WijkenEnBuurten\?.*startswith\(Key,'WK0479'\)",
        status=200,
        content_type="application/json",
        body=json.dumps({"odata.count": "19", "value": names[:5]}),
    )
    with pytest.raises(FetchError, match=r"19 rijen .* stuurde er 5"):
        _load()
    assert cache.get(_key()) is None


def test_a_short_answer_once_is_retried_and_the_complete_answer_kept(mirror, cache_dir):
    """CBS answers short once (10 of 19, no next link), then completely: the load has all 19 wijken."""
    real = _rows(mirror, ZAANSTAD_WIJKEN)
    _short_fault(mirror, _answer(real[:10], 19), times=1)
    frame = _load()
    assert len(frame) == 19 and frame["code"].is_unique
    assert [r["status"] for r in mirror.requests("TypedDataSet")] == [200, 200]


def test_a_page_that_ends_early_without_next_link_is_short(mirror, cache_dir):
    """Paging by 5: the third page (rows 11-15) comes back empty and without odata.nextLink: 10 of 19 rows
    would have looked complete; it is a FetchError and nothing is stored."""
    from core.errors import FetchError
    from data import cache

    mirror.config(page_size=5)
    mirror.fault(match=r"TypedDataSet.*\$skip=10", status=200, body=_answer([], 19), content_type="application/json")
    with pytest.raises(FetchError, match="maar stuurde er 10"):
        _load()
    assert cache.get(_key()) is None


def test_a_short_refresh_keeps_the_good_cache_and_serves_it_marked_stale(mirror, cache_dir):
    """A refresh whose answer is short (count 19, 0 rows) replaces nothing: the 19 cached wijken are served,
    marked stale, and the cache still holds exactly the one good version."""
    from data import cache

    _older_copy_of_zaanstad(mirror)
    before = cache.versions(_key())
    _short_fault(mirror, _answer([], 19))
    with pytest.warns(RuntimeWarning, match="onvolledig antwoord"):
        frame = _load(refresh=True)
    assert len(frame) == 19 and frame.attrs["source"]["stale"] is True
    assert cache.versions(_key()) == before and cache.get(_key())[1]["rows"] == 19


# --------------------------------------------------------------------- 2. fewer rows need a confirmation
def _older_copy_of_zaanstad(mirror):
    """A cached GM0479 wijk entry of 19 rows under an older CBS Modified (so a refresh fetches rows again)."""
    from data import cache

    frame = _load()
    man = cache.get(_key())[1]
    cache.put(_key(), frame.reset_index(drop=True), dict(man, modified="2024-01-01T00:00:00"))
    mirror.clear_requests()


def test_a_refresh_with_fewer_rows_is_refused_naming_both_counts_until_confirmed(mirror, cache_dir):
    """CBS now says (consistently: count 10, 10 rows) it has 10 Zaanstad wijken where the kept version has 19:
    FewerRowsError naming 19 and 10, the 19-row version stays current; allow_fewer=True stores the 10."""
    from core.errors import FewerRowsError, StapelkaartError
    from data import cache

    _older_copy_of_zaanstad(mirror)
    versions_before = cache.versions(_key())
    real = _rows(mirror, ZAANSTAD_WIJKEN)
    _short_fault(mirror, _answer(real[:10], 10))
    with pytest.raises(FewerRowsError) as info:
        _load(refresh=True)
    err = info.value
    assert isinstance(err, StapelkaartError) and (err.old, err.new) == (19, 10)
    assert "10 rijen, de bewaarde versie 19" in err.message and "10 rows, the kept version 19" in err.message_en
    assert "kwb 2024 wijk GM0479" in err.message
    assert cache.versions(_key()) == versions_before and cache.get(_key())[1]["rows"] == 19
    frame = _load(refresh=True, allow_fewer=True)  # the administrator confirms
    assert len(frame) == 10 and cache.get(_key())[1]["rows"] == 10
    assert len([v for v in cache.versions(_key()) if v["status"] == "ok"]) == len(versions_before) + 1


def test_refresh_selection_refuses_fewer_rows_and_says_what_it_did_refresh(mirror, cache_dir):
    """The Gegevens refresh: the KWB step is refused (19 -> 10 wijken), the other steps still run and are
    named in the message; the kept KWB version stays current."""
    from core.errors import FewerRowsError
    from data import cache
    from data.refresh import refresh_selection

    gm_rows = _rows(mirror, "WijkenEnBuurten eq 'GM0479    '")
    levels3 = ("gemeente", "wijk", "buurt")
    _load(levels=levels3)
    for lv in levels3:
        hit = cache.get(_key(lv))
        cache.put(_key(lv), hit[0], dict(hit[1], modified="2024-01-01T00:00:00"))
    real = _rows(mirror, ZAANSTAD_WIJKEN)
    _short_fault(mirror, _answer(gm_rows + real[:10], 11))
    with pytest.raises(FewerRowsError) as info:
        refresh_selection(["GM0479"], 2024, ("wijk",), lambda f, text: None)
    assert (info.value.old, info.value.new) == (19, 10)
    assert "Wel ververst: KWB 2024 NL, PDOK wijk" in info.value.message
    assert cache.get(_key())[1]["rows"] == 19


# ------------------------------------------------------------------------------- 3. degrade, don't fail
def _cbs_down(mirror, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    mirror.fault(status=503)


def _damage_current(key) -> None:
    from data import cache

    man = cache.get(key)[1]
    path = cache.cache_dir() / "entries" / key.slug / man["data_file"]
    path.write_bytes(b"kapot" + path.read_bytes()[5:])


def test_damaged_entry_with_cbs_down_falls_back_to_the_older_intact_version(mirror, cache_dir, monkeypatch):
    """The current Zaanstad entry is damaged and CBS is down: the older intact kept version (one changed
    value, so another data file) is shown, marked stale, and the notice names it."""
    from data import cache

    frame = _load()
    man = cache.get(_key())[1]
    older = frame.copy()
    older.loc[0, "aantal_inwoners"] = 1234.0
    older.attrs = dict(frame.attrs)
    cache.put(_key(), older, dict(man, modified="2024-01-01T00:00:00", attrs=man["attrs"]))
    cache.restore(_key(), cache.versions(_key())[-1]["version"])  # 2025 current again, 2024 kept
    _damage_current(_key())
    assert cache.get(_key()) is None
    _cbs_down(mirror, monkeypatch)
    with pytest.warns(RuntimeWarning):
        got = _load()
    src = got.attrs["source"]
    assert len(got) == 19 and src["stale"] is True and got["aantal_inwoners"].iloc[0] == 1234.0
    assert src["older"] == ["kwb 2024 wijk GM0479 (CBS-versie 2024-01-01)"] and src["missing"] == []
    assert "eerdere intacte versie" in src["notices"][0]["nl"] and "earlier intact" in src["notices"][0]["en"]


def test_damaged_entry_without_older_version_names_it_and_shows_the_intact_gemeente(mirror, cache_dir, monkeypatch):
    """Amsterdam intact, Zaanstad damaged (no older version), CBS down: Amsterdam's 110 wijken are shown and
    Zaanstad is named as not shown (the whole view used to fail)."""
    amsterdam = len(_rows(mirror, "startswith(WijkenEnBuurten,'WK0363')"))
    _load(("GM0363", "GM0479"))
    _damage_current(_key())
    _cbs_down(mirror, monkeypatch)
    with pytest.warns(RuntimeWarning):
        got = _load(("GM0363", "GM0479"))
    src = got.attrs["source"]
    assert len(got) == amsterdam == 110 and set(got["gemeente_code"]) == {"GM0363"}
    assert src["missing"] == ["kwb 2024 wijk GM0479"] and src["stale"] is True
    assert "Niet getoond" in src["notices"][0]["nl"] and "GM0479" in src["notices"][0]["en"]


def test_deleted_manifest_with_cbs_down_uses_the_intact_kept_version(mirror, cache_dir, monkeypatch):
    """manifest.json deleted, CBS down: versions() still lists the intact version (19 rows) and it is used."""
    from data import cache

    _load()
    (cache.cache_dir() / "entries" / _key().slug / "manifest.json").unlink()
    assert cache.get(_key()) is None
    assert [(v["status"], v["rows"]) for v in cache.versions(_key())] == [("ok", 19)]
    _cbs_down(mirror, monkeypatch)
    with pytest.warns(RuntimeWarning):
        got = _load()
    assert len(got) == 19 and got.attrs["source"]["stale"] is True
    assert got.attrs["source"]["older"] == ["kwb 2024 wijk GM0479 (CBS-versie 2025-03-27)"]


def test_nothing_usable_with_cbs_down_is_still_the_fetch_error(mirror, cache_dir, monkeypatch):
    """Degrading never invents data: nothing cached and CBS down is the FetchError, as before."""
    from core.errors import FetchError

    _cbs_down(mirror, monkeypatch)
    with pytest.raises(FetchError):
        _load()


def test_kaart_names_the_gemeente_it_cannot_show_with_cbs_down(mirror, cache_dir, monkeypatch):
    """The Kaart (defaults: Amsterdam + Zaanstad, wijk, national reference) after a healthy first visit; then
    Zaanstad's cached wijken are damaged and CBS is down: no foutcode; the stale warning and a notice naming the
    entry that is not shown (the whole view used to fail)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import REPO

    def visit():
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    assert not visit().error  # warms every cache entry the Kaart needs
    _damage_current(_key())
    _cbs_down(mirror, monkeypatch)
    at = visit()
    warnings_ = [w.value for w in at.warning]
    assert not [e.value for e in at.error if "foutcode" in e.value], [e.value for e in at.error]
    assert any("Gecachte gegevens van" in w for w in warnings_), warnings_
    assert any("Niet getoond" in w and "GM0479" in w for w in warnings_), warnings_


def test_cli_refresh_refuses_fewer_rows_and_allow_fewer_confirms(mirror, cache_dir):
    """`python -m data fetch --refresh`: the refusal is one line naming 19 and 10 (exit 4, no traceback);
    `--allow-fewer` is the administrator's confirmation and stores the 10."""
    from data import cache
    from tests.helpers_cli import assert_one_line_error, run

    _older_copy_of_zaanstad(mirror)
    _short_fault(mirror, _answer(_rows(mirror, ZAANSTAD_WIJKEN)[:10], 10))
    args = ("fetch", "--gemeente", "GM0479", "--year", "2024", "--level", "wijk", "--refresh", "-q")
    line = assert_one_line_error(run(*args), 4)
    assert "10 rijen, de bewaarde versie 19" in line and "--allow-fewer" in line
    assert cache.get(_key())[1]["rows"] == 19
    ok = run(*args, "--allow-fewer")
    assert ok.returncode == 0, ok.stderr
    assert "statistiek wijken    85984NED:    10 rijen" in ok.stdout and cache.get(_key())[1]["rows"] == 10


def test_v4_count_is_checked_too(mirror, cache_dir, monkeypatch):
    """OData v4 (2025, datasets.cbs.nl; no v4 emulator, so the answers are fault bodies on the mirror): 2
    observations where @odata.count says 5 is a short answer, never stored."""
    from core.errors import FetchError
    from data import cache
    from data.cbs import load_kwb

    monkeypatch.setenv("STAPELKAART_CBS_V4_URL", mirror.url)
    js = {"status": 200, "content_type": "application/json"}
    mirror.fault(
        match="86165NED/WijkenEnBuurtenCodes",
        body=json.dumps({"value": [{"Identifier": "GM0479", "Title": "Zaanstad"}]}),
        **js,
    )
    mirror.fault(
        match="86165NED/MeasureCodes",
        body=json.dumps({"value": [{"Identifier": "T001036", "Title": "Aantal inwoners"}]}),
        **js,
    )
    obs = [{"WijkenEnBuurten": f"WK04791{i}", "Measure": "T001036", "Value": 100.0 + i} for i in (1, 2)]
    mirror.fault(match="86165NED/Observations", body=json.dumps({"@odata.count": 5, "value": obs}), **js)
    with pytest.raises(FetchError, match=r"5 rijen \(@odata.count\) maar stuurde er 2"):
        load_kwb(["GM0479"], 2025, levels=["wijk"])
    assert cache.get(cache.CacheKey.make("kwb", 2025, "wijk", ["GM0479"])) is None
