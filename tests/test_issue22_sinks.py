"""Issue 22 audit, escaping cases that had no test of their own (AppTest; the Chromium property test in
tests/test_escaping_browser.py holds the same sinks in the DOM, but is slow and marked ``browser``).

- the presentation mode's focus-area labels (``st.pills`` options, Markdown) for an image-named focus area;
- the focus-area warning (``st.warning``) that quotes a hostile name with a bad member: ``exc.text`` was put in
  the Markdown unescaped (``focusui.py``).
"""

from __future__ import annotations

import re

from indicators import focus
from pages._common import fmt
from tests.conftest import needs_shared
from tests.test_app_focus import _app
from tests.test_escaping import _md_link_or_markup

pytestmark = needs_shared

IMAGE = "![XSSMARK](https://evil.example/p.png)"
LINK = "[XSSMARK klik](https://evil.example/phish)"


def test_the_presentation_labels_show_an_image_named_focus_area_as_text(mirror, cache_dir):
    fa = focus.format_focus_param([focus.FocusArea.make(IMAGE, ["WK047912"]),
                                   focus.FocusArea.make("Zaandam-Zuid", ["WK047911"])])
    at = _app({"present": "1", "fa": fa})
    labels = [o.content for o in at.get("button_group")[0].proto.options]
    assert labels == [fmt.label(IMAGE), "Zaandam-Zuid"]
    assert IMAGE not in labels[0] and not _md_link_or_markup(labels[0]), labels[0]
    assert re.sub(r"\\(.)", r"\1", labels[0]).replace("\u2060", "") == IMAGE      # the reader sees the name


def test_a_focus_warning_quoting_a_hostile_name_shows_it_as_text(mirror, cache_dir):
    fa = focus.format_focus_param([focus.FocusArea.make(LINK, ["WK047999"]), focus.FocusArea.make(IMAGE, ["BU04791201"])])
    at = _app({"fa": fa, "page": "vergelijken"}, "vergelijken")
    text = " ".join(w.value for w in at.warning)
    assert "WK047999" in text and "buurt" in text                      # the bad members are still named
    assert LINK not in text and IMAGE not in text                      # ... but the names are not Markdown
    assert "](https://evil.example" not in text
    assert fmt.md_text(LINK) in text and fmt.md_text(IMAGE) in text
