"""Issue 21: URLs and file paths in messages are Markdown code spans (one helper, ``fmt.md_message`` with
``fmt.code``): no ``https://opendata\\.cbs\\.nl`` or ``cache\\_noinet`` escapes in the Markdown source, no
link, and a backtick inside a path cannot close the span."""

from __future__ import annotations

import re

from pages._common import fmt
from tests.helpers_app import new_app


def _spans(md: str) -> list[str]:
    """The contents of the code spans of ``md`` (CommonMark: a run of n backticks closes only on n)."""
    out, i = [], 0
    while True:
        m = re.compile(r"`+").search(md, i)
        if not m:
            return out
        fence = m.group(0)
        end = re.compile(r"(?<!`)" + fence + r"(?!`)").search(md, m.end())
        if not end:
            return out
        body = md[m.end() : end.start()]
        out.append(body[1:-1] if body.startswith(" ") and body.endswith(" ") and body.strip() else body)
        i = end.end()


def test_code_span_survives_backticks():
    for text in ("plain", "a`b", "``x``", "`start", "end`", "/tmp/a`b``c/cache_noinet"):
        span = fmt.code(text)
        assert _spans(span) == [text], (text, span)


def test_message_puts_urls_and_paths_in_code_spans_without_escapes():
    msg = "CBS antwoordt niet (https://opendata.cbs.nl/ODataFeed/odata/85984NED?$top=1). Cache: /var/cache_noinet/x_y."
    out = fmt.md_message(msg)
    assert _spans(out) == ["https://opendata.cbs.nl/ODataFeed/odata/85984NED?$top=1", "/var/cache_noinet/x_y"]
    assert "opendata\\.cbs" not in out and "cache\\_noinet" not in out
    outside = re.sub(r"`[^`]*`", "", out)
    assert outside.startswith("CBS antwoordt niet (") and outside.endswith("). Cache\\: .")
    # the rest is still escaped text: Markdown around the URL opens nothing
    hostile = fmt.md_message("*vet* [x](https://evil.example) <b>")
    assert "\\*vet\\*" in hostile and "\\[x\\]" in hostile and _spans(hostile) == ["https://evil.example"]


def test_cache_folder_caption_is_a_code_span(mirror, cache_dir, monkeypatch):
    token = "test-admin-token-0123456789"
    monkeypatch.setenv("STAPELKAART_ADMIN_TOKEN", token)  # the folder is shown to the administrator only
    at = new_app({"page": "gegevens"})
    at.run()
    at.switch_page("pages/gegevens.py").run()
    at.text_input[0].set_value(token)
    at.button[0].click().run()
    caption = next(c.value for c in at.caption if c.value.startswith("Cachemap"))
    assert _spans(caption) == [str(cache_dir)], caption


def test_fetch_failure_names_its_url_in_a_code_span(mirror, cache_dir, monkeypatch):
    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "0")
    mirror.fault(status=503)
    at = new_app()
    at.run()
    text = " ".join(e.value for e in at.error)
    assert mirror.url.split("//", 1)[1] in text, text
    assert [s for s in _spans(text) if s.startswith(mirror.url)], text
    assert "\\." not in text and "\\_" not in text and "\u2060" not in text, text
