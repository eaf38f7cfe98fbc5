"""The view's one owner (pages/_common/session.py) in AppTest: the Kaart reads the kept KWB version its link names
(``kv=``), a crafted map-component value is ignored and logged with an error id, a focus name in the presentation
title is text, and a widget value that is not the view's (a select box's shown text after a language switch)
never reaches the view."""

from __future__ import annotations

import logging

import numpy as np

from pages._common.state import ViewState
from tests import test_versions_changes as V
from tests.conftest import needs_shared
from tests.helpers_app import assert_ok as _ok
from tests.helpers_app import map_args as _map_args
from tests.helpers_app import new_app as _app

pytestmark = needs_shared
LEVELS3 = ("gemeente", "wijk", "buurt")


def test_the_kaart_reads_the_kept_version_its_link_names(serve):
    """Version 1 of the synthetic KWB has no WOZ values; version 2 (the current one) has them. Coloured by WOZ, the
    Kaart of a link with kv=<version 1> is all no-data grey and says it reads an older version; without kv it is not."""
    from data.cbs import load_kwb

    serve(1)
    load_kwb(V.GM, 2024, levels=LEVELS3)
    serve(2)
    load_kwb(V.GM, 2024, levels=LEVELS3, refresh=True)
    grey = {}
    for kv in (None, V.MODIFIED[1]):
        at = _app({"colour": "ind:woz_waarde", **({"kv": kv} if kv else {})})
        at.run()
        _ok(at)
        args = _map_args(at)
        grey[kv] = bool((args["fill"] == len(args["palette"]) - 1).all())
        said = any("2025-03-27" in w.value and "niet de nieuwste" in w.value for w in at.warning)
        assert said == bool(kv), [w.value for w in at.warning]
        assert at.query_params.get("kv") == kv
    assert grey == {None: False, V.MODIFIED[1]: True}


def test_a_crafted_map_value_is_ignored_and_logged_with_an_error_id(mirror, warm_cache, caplog):
    from streamlit.testing.v1 import AppTest

    def app():
        import streamlit as st

        from pages._common import session

        st.session_state["kaart_map_x"] = st.session_state.get("value")
        session.map_click("kaart_map_x")()
        st.write(f"area={session.current().area}")

    for value, area in (
        ([1, 2], None),
        ("WK047912", None),
        ({"code": ["WK047912"]}, None),
        ({"code": "<b>x</b>", "seq": 1}, None),
        ({"code": "wk047912", "seq": 2}, "WK047912"),
    ):
        at = AppTest.from_function(app)
        at.session_state["value"] = value
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            at.run()
        assert not at.exception, (value, [e.value for e in at.exception])
        assert at.markdown[0].value == f"area={area}", value
        if area is None:
            assert any("error id" in r.getMessage() for r in caplog.records), (value, caplog.text)


def test_a_focus_name_in_the_presentation_title_is_text(mirror, warm_cache):
    """A focus area named like a Markdown link is shown as its text: every Markdown special escaped in the title's
    source (fmt.md: brackets and asterisks escaped, GitHub's autolinks broken by a word joiner)."""
    name = "[Klik](https://evil.example) **vet**"
    at = _app({"present": "1", "fa": "[Klik](https%3A//evil.example) **vet**:WK047912"})
    at.run()
    _ok(at)
    title = at.title[0].value
    assert title.replace("\\", "").replace("\u2060", "") == name  # the visible text is the name
    assert all(title[i - 1] == "\\" for i, ch in enumerate(title) if ch in "[]*"), title  # no link, no bold
    assert "://" not in title  # no autolink either


def test_a_select_box_text_is_never_a_value_of_the_view(mirror, warm_cache):
    """After a language switch a radio hands back its shown text when that text changed under it (the level came
    back as "Wijken" and the map failed to load): the binding refuses what is not the view's."""
    from streamlit.testing.v1 import AppTest

    def app():
        import streamlit as st

        from pages._common import session

        session.init()
        name, text = st.session_state["case"]
        st.session_state[session.WIDGETS[name].key] = text  # what the widget handed back
        session._changed(name)  # its on_change callback
        st.write(repr(getattr(session.current(), name)))

    for name, text, good in (
        ("level", "Neighbourhoods (buurten)", "buurt"),
        ("colour", "Domain: Work", "domain:werk"),
        ("year", 1900, 2023),
        ("lang", "Engels", "en"),
        ("k", 99, 7),
        ("gemeenten", ["<b>"], ["GM0479"]),
    ):
        seen = []
        for value in (text, good):
            at = AppTest.from_function(app)
            at.session_state["case"] = (name, value)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            seen.append(at.markdown[0].value)
        default = repr(getattr(ViewState(), name))
        assert seen[0] == default and seen[1] != default, (name, seen)


def test_every_weight_at_zero_gives_equal_weights_and_says_so(mirror, warm_cache):
    """The one rule (state.usable_weights): a composite needs a weight above 0; the sliders then show the weights used."""
    from indicators import registry as reg

    at = _app({"page": "prioriteren", "w": ",".join(f"{d}:0" for d in list(reg.DOMAINS)[:-1])})
    at.switch_page("pages/prioriteren.py").run()
    _ok(at)
    last = list(reg.DOMAINS)[-1]
    at.select_slider(key=f"w_weight_{last}").set_value(0.0).run()
    _ok(at)
    assert any("Alle gewichten zijn 0" in w.value for w in at.warning)
    assert "w" not in at.query_params and at.session_state["_view"].weights == ()
    assert np.all([at.select_slider(key=f"w_weight_{d}").value == 1.0 for d in reg.DOMAINS])
