"""Issue 23: the Gezondheidsmonitor's other measures (loneliness, ...) are declared so that a real 50150NED fills
them, and shown as "niet in deze gegevens" until then -- on the method page, per level, in both languages. Expected
statuses are derived from the table the national emulator serves (../shared/data/derived-national/odata/50150NED)."""

from __future__ import annotations

import gzip
import json

import pytest

from data import health
from data.kwb_schema import key_prefix
from data.sources import GEZONDHEID
from tests.conftest import SHARED_DATA, needs_shared
from tests.helpers_app import assert_ok, new_app

pytestmark = needs_shared

TABLE = SHARED_DATA / "derived-national" / "odata" / "50150NED" / "table.json"


def _served() -> dict[str, dict[str, bool]]:
    """Per name part of a measure (Topic key) the emulator's copy of 50150NED has: whether any buurt / gemeente row
    holds a value for it."""
    props = json.loads(TABLE.read_text())["DataProperties"]
    keys = [p["Key"] for p in props if p.get("Type") == "Topic"]
    rows = json.loads(gzip.decompress((TABLE.parent / "TypedDataSet.json.gz").read_bytes()))
    has = {k: {"buurt": False, "gemeente": False} for k in keys}
    for row in rows:
        level = {"BU": "buurt", "GM": "gemeente"}.get(row["WijkenEnBuurten"][:2])
        for k in keys:
            if level and row.get(k) is not None:
                has[k][level] = True
    return {key_prefix(k).lower(): v for k, v in has.items()}


def _clear():
    from pages._common import loaders_health

    health.forget_absent()
    loaders_health._health.clear()


@pytest.fixture
def default_mode(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", mirror.url)
    _clear()
    yield mirror
    _clear()


def test_every_declared_measure_has_its_status_from_the_served_table(nat):
    from pages._common import healthui, loaders
    from pages._common.state import ViewState

    _clear()  # the shared @st.cache_resource may hold an absence from a default-mode test
    try:
        _check_statuses(loaders.method(ViewState.from_params({"gm": "GM0772"})).health_measures, healthui)
    finally:
        _clear()  # leave no national frame cached for a later default-mode test


def _check_statuses(measures, healthui):

    served = _served()
    rows = {r["id"]: r for r in measures}
    assert list(rows) == [m.id for m in GEZONDHEID.measures]  # every declared measure, in declared order
    assert "eenzaamheid" in rows
    for m in GEZONDHEID.measures:
        key = next((n.lower() for n in m.names if n.lower() in served), None)
        for level in ("buurt", "gemeente"):
            want = "absent" if key is None else "ok" if served[key][level] else "empty"
            status = rows[m.id]["status"][level]["status"]
            assert status == want, (m.id, level, status)
    assert rows["goed_ervaren_gezondheid"]["status"]["buurt"]["status"] == "ok"
    assert rows["eenzaamheid"]["status"]["buurt"]["status"] == "absent"  # the copy has no loneliness
    for lang, absent, ok in (
        ("nl", "niet in deze gegevens", "in deze gegevens"),
        ("en", "not in this data", "in this data"),
    ):
        table = healthui.measures_table(measures, lang)
        lonely = table.iloc[[m.id for m in GEZONDHEID.measures].index("eenzaamheid")]
        assert lonely.iloc[0] == ("Eenzaam" if lang == "nl" else "Lonely") and set(lonely.iloc[1:]) == {absent}
        good = table.iloc[0]
        assert set(good.iloc[1:]) == {ok}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_method_page_lists_the_measures_and_says_the_table_is_absent(default_mode, lang):
    at = new_app({"lang": lang})
    at.run()
    at.switch_page("pages/methode.py").run()
    assert_ok(at)
    title = "Maten van de Gezondheidsmonitor (50150NED)" if lang == "nl" else "Health Monitor measures (50150NED)"
    assert any(title in m.value for m in at.markdown)
    first = "Maat (% volwassenen 18+)" if lang == "nl" else "Measure (% adults 18+)"
    (frame,) = [d.value for d in at.dataframe if first in d.value.columns]
    (status,) = [c.value for c in at.caption if c.value.startswith(("Nu: ", "Now: "))]
    assert status.endswith("domeinen." if lang == "nl" else "domains.") and not status.endswith(".."), status
    labels = [m.label[lang] for m in GEZONDHEID.measures]
    assert frame.iloc[:, 0].tolist() == labels
    missing = "tabel niet beschikbaar" if lang == "nl" else "table not available"
    assert set(frame.iloc[:, 1:].to_numpy().ravel()) == {missing}  # the default emulator serves no 50150NED
    assert list(frame.columns[1:]) == (
        ["Buurten", "Gemeenten"] if lang == "nl" else ["Neighbourhoods", "Municipalities"]
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_vergelijken_says_why_the_health_panel_is_empty(default_mode, lang):
    at = new_app({"lang": lang})
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    assert_ok(at)
    captions = [c.value for c in at.caption]
    words = "Gezondheid telt hier niet mee" if lang == "nl" else "Health does not count here"
    (line,) = [c for c in captions if words in c]  # default view: wijk level, no wijk figures in 50150NED
    assert "50150NED" in line and ("6 domeinen" in line or "6 domains" in line)
