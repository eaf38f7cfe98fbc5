"""Formatting for the screen: numbers in the user's language, and text from the URL, files and data made inert at
the sink where it lands.

One escaping policy per sink (issue 22), applied where the text is written, never earlier:

- ``md_text(s)`` — Markdown sinks: st.markdown/st.write/st.caption/st.title/st.header/st.subheader, st.info/
  st.warning/st.error/st.success text, and every widget *label* (Streamlit renders labels as Markdown).
  Every character that can start inline Markdown is backslash-escaped (``\\ ` * _ [ ] < > & ~ $ | : !``; a
  backslash-escaped character is always literal in CommonMark), and so is a block marker at the start
  (``#``, ``-``, ``+``, ``=``, ``1.``): no link, image, emphasis, heading, list, HTML, entity, ``$math$`` or
  Streamlit directive (``:red[...]``) can start. Other punctuation (``-`` inside a name, ``.``, ``(``) stays
  as it is, so the Markdown source of "Noord-Zaandam" is "Noord-Zaandam". Three patterns are
  matched on the raw or the already-decoded text, where a backslash does not help, and are broken by an invisible
  WORD JOINER (U+2060): GitHub's autolink literals (``http://…`` -> between ``:`` and ``//``; ``www.…`` -> between
  ``www`` and the dot; ``a@b.nl`` -> before ``@``) and Streamlit's ``:material/`` icon rewrite. Policy for URLs
  in messages: errors and notices go through ``md_message``, which puts every URL and file path in a code span
  (``code``: fenced so a backtick inside cannot close it) and escapes the rest with ``md_text``; elsewhere (names)
  a URL or e-mail address from data is shown as *plain text that is not a link*, with no visible
  backslash (the escapes only exist in the Markdown source; inside a would-be autolink they used to be shown,
  ``https://opendata\\.cbs\\.nl``).
  Line breaks and other control characters become spaces (a name stays one line, never a block).
- ``label(s)`` — widget labels, st.pills/st.segmented_control/st.radio options (their ``format_func``), tab and
  expander labels, st.table column headers *and cells*: Streamlit renders all of these as Markdown (checked in
  Chromium, Streamlit 1.67), so ``label = md_text``.
  NOT for plain-text sinks (st.selectbox/st.multiselect options, st.dataframe headers, st.column_config
  labels, download file names): those show text as text, and an escaped string would show its backslashes there.
- st.html and HTML attribute values: the standard library's ``html.escape(s, quote=True)`` at the sink.

``md`` is the older name of ``md_text`` and does the same.
"""

from __future__ import annotations

import re

from core.numbers import format_number

_MD_INLINE = frozenset("\\`*_[]<>&~$|:!")  # characters that can open inline Markdown, HTML, math or a directive
_MD_BLOCK_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")  # a block marker at the start (no line breaks left)
_WJ = "\u2060"  # WORD JOINER: zero width, not a space, breaks the autolink patterns in decoded text
_AUTOLINK_BREAKS = (
    (re.compile(r":(?=//|material/)"), ":" + _WJ),  # http://, https://, ftp://; Streamlit's :material/ rewrite
    (re.compile(r"(?i)(www)(?=\.)"), r"\1" + _WJ),  # www.example
    (re.compile(r"@"), _WJ + "@"),  # a@b.nl, mailto:a@b.nl
)


def fmt_num(value: object, decimals: int | None = 1, lang: str = "nl") -> str:
    """The page layer's number formatter: ``core.numbers.format_number`` (the one rule per language, documented
    there): ``1234.5`` -> ``"1\u202f234,5"`` (nl) or ``"1,234.5"`` (en); missing or not a number -> ``"–"``."""
    return format_number(value, decimals, lang)


def _plain(text: object) -> str:
    """``str(text)`` on one line: CR, LF, tab and other C0 controls become spaces."""
    return re.sub(r"[\x00-\x1f\x7f]", " ", str(text))


def md_text(text: object) -> str:
    """Text from the URL, files or data made inert for a Markdown sink (see the module docstring)."""
    s = _plain(text)
    for pattern, repl in _AUTOLINK_BREAKS:
        s = pattern.sub(repl, s)
    s = "".join("\\" + ch if ch in _MD_INLINE else ch for ch in s.lstrip())
    return _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" if m.group(1)[0].isdigit() else "\\" + m.group(1), s)


md = md_text
label = md_text


def code(text: object) -> str:
    """``text`` as one Markdown code span (a URL or a file path in a message): shown as it is, never a link, no
    escapes; the fence is one backtick longer than the longest run inside, padded with a space where the text
    starts or ends with a backtick (CommonMark), so nothing inside can close it. Line breaks become spaces."""
    s = _plain(text)
    run = max((len(m) for m in re.findall(r"`+", s)), default=0)
    fence = "`" * (run + 1)
    pad = " " if s[:1] == "`" or s[-1:] == "`" or (s[:1] == " " and s[-1:] == " " and s.strip()) else ""
    return f"{fence}{pad}{s}{pad}{fence}"


#: A URL (http, https, ftp) or an absolute file path (/…, ~/…, C:\…) in a message; trailing punctuation of
#: the sentence is not part of it.
_URL_OR_PATH = re.compile(
    r"(?:(?:https?|ftp)://|(?<![\w/.:~])(?:~?/|[A-Za-z]:\\)(?=[\w.~-]))[^\s<>\"'`]*?(?=[).,;:!?\]]*(?:\s|$|[<>\"'`]))"
)


def md_message(text: object) -> str:
    """A message for a Markdown sink (errors, notices): :func:`md_text`, except that every URL and file path in
    it is a :func:`code` span (issue 21: no ``https://opendata\\.cbs\\.nl`` or ``cache\\_noinet`` escapes)."""
    s = _plain(text)

    def part(seg: str) -> str:  # md_text drops leading spaces: keep them between a span and the text after it
        body = seg.lstrip()
        return seg[: len(seg) - len(body)] + (md_text(body) if body else "")

    out, i = [], 0
    for m in _URL_OR_PATH.finditer(s):
        if m.group(0):
            out += [part(s[i : m.start()]), code(m.group(0))]
            i = m.end()
    out.append(part(s[i:]))
    return "".join(out)


def area_name(name: object, code: str) -> str:
    """An area as users read it: "Poelenburg (WK047912)"; the code alone only when there is no name (plain
    text: pass it through :func:`label` for a Markdown sink)."""
    text = "" if name is None or _missing(name) else str(name).strip()
    return f"{text} ({code})" if text and text != code else str(code)


def year_text(value: object) -> str:
    """A year column's cell: ``2020`` or ``"–"``."""
    return "–" if value is None or _missing(value) else str(int(value))


def source_text(value: object) -> str:
    """A source column's cell: the text, or ``"–"`` when there is none."""
    return "–" if value is None or _missing(value) or not value else str(value)


def _missing(value: object) -> bool:
    try:
        return bool(value != value)  # NaN, pd.NA
    except TypeError:  # pd.NA comparisons raise in a bool context
        return True
