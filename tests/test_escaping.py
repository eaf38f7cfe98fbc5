"""Issue 22: text from the URL, files and data is text wherever it lands (unit level and AppTest).

The browser half (no a/img/script in the DOM from hostile names) is tests/test_escaping_browser.py.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from indicators import focus, focuscodec
from pages._common import fmt, tables
from tests.conftest import REPO, needs_shared
from tests.helpers_markdown import opens_markdown

HOSTILE = [
    "[XSSMARK klik](https://evil.example/phish)",
    "![x](https://evil.example/p.png)",
    "http://2130706433/XSSMARK",
    "www.evil.example#x.csv",
    "a@evil.example",
    "<img src=x onerror=alert(1)>",
    ":red[rood] :material/home:",
    "<https://evil.example/auto>",
    "`code` **vet** $x$",
    "# kop",
    "1. punt",
    "- lijst",
    "&lt;b&gt;",
    "[x]: https://evil.example",
    "x\n\n# kop\n<script>alert(1)</script>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_leaves_nothing_that_opens_markdown_and_shows_the_same_text(text):
    out = fmt.md_text(text)
    assert not opens_markdown(out), out
    shown = re.sub(r"\\(.)", r"\1", out).replace("\u2060", "")  # what the reader sees
    assert shown == " ".join(text.split("\n")).lstrip()


def test_a_url_in_a_message_shows_no_backslash_and_is_no_link():
    out = fmt.md_text("Zie https://opendata.cbs.nl/ODataApi/odata/85984NED voor cache_noinet")
    decoded = re.sub(r"\\(.)", r"\1", out)
    assert "\\" not in decoded and "opendata.cbs.nl/ODataApi/odata/85984NED" in decoded
    assert "https:\u2060//" in decoded  # no autolink literal left


def test_st_table_frame_escapes_headers_row_labels_and_cells():
    df = pd.DataFrame({HOSTILE[0]: [HOSTILE[1]], "Noord-Zaandam": ["12,3"]}, index=[HOSTILE[2]])
    out = tables.for_st_table(df)
    assert [c for c in out.columns if opens_markdown(c)] == []
    assert list(out.columns)[1] == "Noord-Zaandam"  # ordinary names unchanged
    assert not opens_markdown(out.iloc[0, 0]) and not opens_markdown(out.index[0])


# --- the share link: a focus name with <> survives for the recipient; JSON depth ---------------------------


def test_a_name_with_angle_brackets_round_trips_through_the_link_text():
    area = focus.FocusArea.make("Wijk <Noord> & Zuid", ["WK047912"])
    param = focuscodec.format_focus_param([area])
    assert "<" not in param and ">" not in param  # the link's fa= is accepted as is
    assert focuscodec.parse_focus_param(param)[0].name == "Wijk <Noord> & Zuid"


@needs_shared
def test_the_recipient_of_a_share_link_gets_the_focus_area_named_with_angle_brackets(mirror, warm_cache):
    import streamlit as st

    st.cache_data.clear()
    name = "<Poelenburg> [klik](https://evil.example)"
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    at.query_params["fa"] = focuscodec.format_focus_param([focus.FocusArea.make(name, ["WK047912"])])
    at.query_params["page"] = "vergelijken"
    at.run()
    at.switch_page("pages/vergelijken.py").run()
    assert not at.exception, [e.value for e in at.exception]
    side = at.table[-1].value
    assert next(iter(side.columns)) == fmt.label(name)  # the recipient's own area, escaped
    assert "Poelenburg" in next(iter(side.columns)) and "Zuidoost" not in " ".join(side.columns)  # not the defaults
    heads = [h.value for h in at.subheader]
    assert fmt.md_text(name) in heads


def test_deeply_nested_json_is_refused_with_a_clear_message_not_a_recursion_error():
    data = b"[" * 100_000 + b"]" * 100_000  # 200 KB, under the size limit
    assert len(data) < focuscodec.MAX_JSON_BYTES
    with pytest.raises(focus.UserInputError, match="dieper genest") as exc:
        focuscodec.focus_from_json(data)
    assert "nested deeper" in exc.value.message_en
    nested = {
        "format": focuscodec.JSON_FORMAT,
        "version": focuscodec.JSON_VERSION,
        "focus_areas": [{"name": "A", "codes": ["WK047912"], "x": [[[[[[[1]]]]]]]}],
    }
    with pytest.raises(focus.UserInputError, match="dieper genest"):
        focuscodec.focus_from_json(json.dumps(nested).encode())
    ok = focuscodec.focus_to_json([focus.FocusArea.make('A "[{x', ["WK047912"])])  # brackets inside strings
    assert focuscodec.focus_from_json(ok.encode("utf-16"))[0].name == 'A "[{x'
