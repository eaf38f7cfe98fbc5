"""Issue 21: Streamlit's own English in the Dutch UI. The multiselects said "Choose options" (placeholder), the
weight sliders "1.00" (printf, no decimal comma); the Dutch UI now says "Typ of kies een gemeente…" and "1" /
"1,5", the English UI "1" / "1.5". (The uploader texts and "No results": tests/test_streamlit_english_browser.py,
CSS that only a browser shows.)"""

from __future__ import annotations

import pytest

from indicators import registry as reg
from indicators.weights import WEIGHT_MAX, WEIGHT_MIN, WEIGHT_STEP
from tests.helpers_app import run_app

PLACEHOLDER = {"nl": "Typ of kies een gemeente…", "en": "Type or choose a municipality…"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_prioriteren_multiselect_and_weights_speak_the_ui_language(mirror, warm_cache, lang):
    at = run_app({"lang": lang, "w": "armoede:1.25"}, page="prioriteren")
    for m in at.multiselect:
        assert m.proto.placeholder == PLACEHOLDER[lang], (m.label, m.proto.placeholder)
    sliders = [s for s in at.select_slider if s.key and s.key.startswith("w_weight_")]
    assert len(sliders) == len(reg.DOMAINS)
    stops = [WEIGHT_MIN + i * WEIGHT_STEP for i in range(round((WEIGHT_MAX - WEIGHT_MIN) / WEIGHT_STEP) + 1)]
    for s in sliders:
        shown = list(s.proto.options)
        want = [f"{w:g}".replace(".", "," if lang == "nl" else ".") for w in stops]
        if s.key == "w_weight_armoede":  # the link's weight between two stops is a stop of its own, shown as is
            want.insert(3, "1,25" if lang == "nl" else "1.25")
            assert s.value == 1.25
        assert shown == want, (s.key, shown)


def test_sidebar_gemeente_picker_has_a_dutch_placeholder(mirror, warm_cache):
    at = run_app({})
    at.session_state["x_gemeenten"] = True  # open "Gemeenten kiezen" (as a click does)
    at.run()
    pickers = [m for m in at.sidebar.multiselect]
    assert pickers and all(m.proto.placeholder == PLACEHOLDER["nl"] for m in pickers)
