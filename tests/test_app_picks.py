"""What a user picks to fix or extend a view: a gemeente the link named wrongly (issue 11: named, dropped, and a
picker of the year's gemeenten with the likely ones first) and the map's area into a focus area (issue 12)."""

from __future__ import annotations

from pages._common.links import gemeente_suggestions
from tests.helpers_app import assert_ok as _ok
from tests.helpers_app import new_app as _app

OPTIONS = {"GM0479": "Zaanstad", "GM0363": "Amsterdam", "GM0772": "Eindhoven", "GM0497": "Zuid-Testland"}


def test_suggestions_come_from_the_list_for_typos_and_names():
    assert gemeente_suggestions(["GM0749"], OPTIONS)[0] in {"GM0479", "GM0497"}  # one transposition away
    assert gemeente_suggestions(["ZAANSTAD"], OPTIONS) == ["GM0479"]
    assert gemeente_suggestions(["zaanstd"], OPTIONS) == ["GM0479"]
    assert gemeente_suggestions(["<script>alert(1)</script>"], OPTIONS) == []
    assert set(gemeente_suggestions(["amsterdm", "eindhovn"], OPTIONS)) == {"GM0363", "GM0772"}


def test_a_written_out_name_is_suggested_and_picking_it_adds_it(mirror, warm_cache):
    at = _app({"gm": "GM0363,zaanstad", "level": "wijk"})
    at.run()
    _ok(at)
    assert at.warning[0].value.replace("\\", "") == (
        "Een deel van de gemeenten in de link (gm) is geen gemeentecode "
        "van 2024 en is weggelaten; de andere worden getoond."
    )  # text: never
    hint = [c.value for c in at.caption if "Bedoelde u misschien" in c.value]
    assert hint == ["Bedoelde u misschien: Zaanstad (GM0479)?"]
    picker = at.selectbox(key="w_gm_fix")
    assert picker.options[0] == "Zaanstad (GM0479)" and len(picker.options) > 300  # every gemeente of 2024
    assert "zaanstad" not in " ".join(w.value for w in at.warning)  # nothing from the URL is echoed
    picker.select("GM0479").run()
    _ok(at)
    assert set(at.session_state["_view"].gemeenten) == {"GM0363", "GM0479"}  # the default pair: no gm= in the URL
    assert "Gemeenten: Amsterdam, Zaanstad" in [c.value for c in at.sidebar.caption]  # the sidebar says what is chosen
    assert not [k for k in ("w_gm_fix",) if any(s.key == k for s in at.selectbox)]  # the fix is done: gone
    assert not any("gm" in w.value for w in at.warning)


def test_an_unknown_code_alone_is_replaced_by_the_pick(mirror, warm_cache):
    at = _app({"gm": "GM9999", "level": "wijk"})
    at.run()
    _ok(at)
    assert any("GM9999" in w.value for w in at.warning)
    at.selectbox(key="w_gm_fix").select("GM0479").run()
    _ok(at)
    assert at.session_state["_view"].gemeenten == ("GM0479",) and at.query_params["gm"] == "GM0479"


def test_an_area_picked_on_the_kaart_goes_into_a_focus_area(mirror, warm_cache):
    """Issue 12: the area selected on the map (click or list) is added to a focus area from the Kaart itself."""
    at = _app({"gm": "GM0363,GM0479", "level": "wijk", "area": "WK047913", "fa": "Zaandam-Zuid:WK047911+WK047912"})
    at.run()
    _ok(at)
    at.button(key="b_kaart_add_focus").click().run()
    _ok(at)
    assert at.session_state["_view"].fa == "Zaandam-Zuid:WK047911+WK047912+WK047913"
    assert at.session_state["_view"].area == "WK047913"  # the selection stays


def test_gegevens_cache_table_speaks_the_users_language(mirror, cache_dir):
    """The cache table on Gegevens: column names, kinds and statuses in Dutch and in English (no raw keys)."""
    for lang, cols, kind in (
        (
            "nl",
            ["Soort", "Jaar", "Niveau", "Gemeenten", "Opgehaald (UTC)", "Leeftijd (dagen)", "Status", "Bron"],
            "Kerncijfers (KWB)",
        ),
        (
            "en",
            ["Kind", "Year", "Level", "Municipalities", "Fetched (UTC)", "Age (days)", "Status", "Source"],
            "Key figures (KWB)",
        ),
    ):
        at = _app({"lang": lang, "level": "wijk"})
        at.run()  # Kaart fills the cache
        at.switch_page("pages/gegevens.py").run()
        _ok(at)
        table = at.dataframe[0].value
        assert list(table.columns) == cols
        assert kind in set(table[cols[0]]) and "kwb" not in set(table[cols[0]])
        assert set(table[cols[6]]) <= {
            "in orde",
            "ok",
            "onvolledig",
            "incomplete",
            "beschadigd (niet gebruikt)",
            "damaged (not used)",
        }
