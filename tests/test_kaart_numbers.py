"""The Kaart's legend counts are numbers of the page's language (fmt.fmt_num, core.numbers): the national view's
"(n = 3 393)" in Dutch with U+202F, "(n = 3,393)" in English — not a bare "3393"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _legend(lang: str) -> str:
    def app(lang):
        from pages._common import widgets

        widgets.legend([{"hex": "#112233", "label": "Hoog", "n": 3393}], "Score", "bijschrift", lang=lang)

    at = AppTest.from_function(app, kwargs={"lang": lang}, default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    return at.get("html")[0].proto.body


def test_legend_counts_in_the_page_language():
    assert "(n = 3\u202f393)" in _legend("nl")
    assert "(n = 3,393)" in _legend("en")
