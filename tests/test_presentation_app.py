"""Presentation mode (AppTest): next/previous and the labels run over the user's focus areas (``fa=``) on this map;
a focus area whose gemeente is not selected is named as not in this presentation, never skipped silently."""

from __future__ import annotations

from tests.conftest import needs_shared
from tests.test_app_focus import _app

pytestmark = needs_shared
FA = "Oud-Oost:WK0363MB+WK0363MC;Tongelre:WK077231+WK077232;Zaandam-Zuid:WK047911"


def test_next_previous_and_labels_run_over_the_users_focus_areas(mirror, cache_dir):
    at = _app({"present": "1", "fa": FA})
    assert at.title[0].value == "Oud-Oost"
    labels = at.get("button_group")
    assert labels and [o.content for o in labels[0].proto.options] == ["Oud-Oost", "Zaandam-Zuid"]
    assert any(c.value == "Niet in deze presentatie (hun gemeente is niet gekozen): Tongelre." for c in at.caption)
    at.button(key="b_next").click().run()
    assert at.title[0].value == "Zaandam-Zuid" and dict(at.query_params)["focus"] == "1"
    assert at.session_state["w_present_focus"] == 1                      # the label follows next/previous
    at.button(key="b_next").click().run()
    assert at.title[0].value == "Oud-Oost"
    at.button(key="b_prev").click().run()
    assert at.title[0].value == "Zaandam-Zuid"
