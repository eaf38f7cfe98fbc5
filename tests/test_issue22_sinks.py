"""Issue 22 audit, escaping cases that had no test of their own (AppTest; the Chromium property test in
tests/test_escaping_browser.py holds the same sinks in the DOM, but is slow and marked ``browser``).

- the presentation mode's focus-area labels (``st.pills`` options, Markdown) for an image-named focus area;
- the focus-area warning (``st.warning``) that quotes a hostile name with a bad member: ``exc.text`` was put in
  the Markdown unescaped (``focusui.py``);
- the file list on Gegevens that everyone opening a ``files=`` link sees, for a file named like a URL (GFM autolink).
"""

from __future__ import annotations

import re

from indicators import focus, focuscodec
from pages._common import fmt
from tests.conftest import needs_shared
from tests.helpers_app import run_app
from tests.helpers_markdown import opens_markdown

pytestmark = needs_shared

IMAGE = "![XSSMARK](https://evil.example/p.png)"
LINK = "[XSSMARK klik](https://evil.example/phish)"
AUTOLINK = "http://2130706433/XSSMARK"


def test_the_presentation_labels_show_an_image_named_focus_area_as_text(mirror, warm_cache):
    fa = focuscodec.format_focus_param(
        [focus.FocusArea.make(IMAGE, ["WK047912"]), focus.FocusArea.make("Zaandam-Zuid", ["WK047911"])]
    )
    at = run_app({"present": "1", "fa": fa})
    labels = [o.content for o in at.get("button_group")[0].proto.options]
    assert labels == [fmt.label(IMAGE), "Zaandam-Zuid"]
    assert IMAGE not in labels[0] and not opens_markdown(labels[0]), labels[0]
    assert re.sub(r"\\(.)", r"\1", labels[0]).replace("\u2060", "") == IMAGE  # the reader sees the name


def test_a_focus_warning_quoting_a_hostile_name_shows_it_as_text(mirror, warm_cache):
    fa = focuscodec.format_focus_param(
        [
            focus.FocusArea.make(LINK, ["WK047999"]),
            focus.FocusArea.make(IMAGE, ["BU04791201"]),
            focus.FocusArea.make(AUTOLINK, ["WK047998"]),
        ]
    )
    at = run_app({"fa": fa, "page": "vergelijken"}, "vergelijken")
    text = " ".join(w.value for w in at.warning)
    assert "WK047999" in text and "WK047998" in text and "buurt" in text  # the bad members are still named
    assert LINK not in text and IMAGE not in text  # ... but the names are not Markdown
    # issue 21: a URL in a message is a code span (shown as it is, never a link); everything else is escaped text
    outside = re.sub(r"`[^`]*`", "", text)
    assert "](https://evil.example" not in text and not re.search(r"https?://", re.sub(r"\\(.)", r"\1", outside))
    assert f"`{AUTOLINK}`" in text and "`https://evil.example/phish`" in text
    assert all(fmt.md_message(n) in text for n in (LINK, IMAGE, AUTOLINK))


def test_the_file_list_of_a_files_link_shows_a_url_like_file_name_as_text(mirror, warm_cache):
    """Everyone opening a ``files=`` link sees the file's name on Gegevens: 'www.evil.example#x.csv' was a GFM
    autolink there (fmt.md stopped Markdown, not autolinks)."""
    from data import userstore

    name = "www.evil.example#x.csv"
    digest = userstore.put(
        b"regiocode,jaar,voortijdig_schoolverlaten\nWK047912,2024,3.5\nWK047911,2024,2.5\n", name, year=2024
    )
    at = run_app({"files": digest, "page": "gegevens"}, "gegevens")
    shown = [m.value for m in at.markdown if "evil" in m.value]
    assert shown, [m.value for m in at.markdown]
    for src in shown:
        assert not opens_markdown(src), src  # no autolink 'www.' left, escaped or not
        assert name in re.sub(r"\\(.)", r"\1", src).replace("\u2060", "")  # the reader sees the name
