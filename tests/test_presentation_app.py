"""Presentation mode (AppTest): next/previous and the labels run over the user's focus areas (``fa=``) on this map;
a focus area whose gemeente is not selected is named as not in this presentation, never skipped silently."""

from __future__ import annotations

from tests.conftest import needs_shared
from tests.helpers_app import run_app

pytestmark = needs_shared
FA = "Oud-Oost:WK0363MB+WK0363MC;Tongelre:WK077231+WK077232;Zaandam-Zuid:WK047911"


def _title(at) -> str:
    """The title as shown: its Markdown source with the escapes (a focus name is text, never Markdown) removed."""
    return at.title[0].value.replace("\\", "")


def test_next_previous_and_labels_run_over_the_users_focus_areas(mirror, warm_cache):
    at = run_app({"present": "1", "fa": FA})
    assert _title(at) == "Oud-Oost"
    labels = at.get("button_group")
    assert labels and [o.content for o in labels[0].proto.options] == ["Oud-Oost", "Zaandam-Zuid"]
    assert any(c.value == "Niet in deze presentatie (hun gemeente is niet gekozen): Tongelre." for c in at.caption)
    at.button(key="b_next").click().run()
    assert _title(at) == "Zaandam-Zuid" and dict(at.query_params)["focus"] == "1"
    assert at.session_state["w_present_focus"] == 1  # the label follows next/previous
    at.button(key="b_next").click().run()
    assert _title(at) == "Oud-Oost"
    at.button(key="b_prev").click().run()
    assert _title(at) == "Zaandam-Zuid"


def test_leaving_changes_no_style_element_only_the_marker_the_next_run_replaces(mirror, warm_cache):
    """Presentation mode is a marker element in the sidebar's first place, not a second style element: the app's
    style text is the same in both modes (a style-only st.html goes to Streamlit's event container, where an old
    one could outlive the run that left the mode, and kept the sidebar hidden), and leaving replaces the marker."""
    from pages._common import style

    def styles_and_marker(at):
        styles = [h.proto.body.strip() for h in at.get("html") if h.proto.body.lstrip().startswith("<style>")]
        marker = [h.proto.body for h in at.sidebar.get("html") if "sk-present-mode" in h.proto.body]
        return styles, marker

    at = run_app({"present": "1", "fa": FA})
    styles, marker = styles_and_marker(at)
    assert styles == [(style.BASE_CSS + style.PRESENT_CSS).strip()] and marker == [style.PRESENT_MARKER]
    at.button(key="b_exit").click().run()
    assert "present" not in dict(at.query_params)
    styles, marker = styles_and_marker(at)
    assert styles == [(style.BASE_CSS + style.PRESENT_CSS).strip()] and marker == []
