"""Formatting for the screen: numbers in the user's language and data-derived text made inert for Markdown."""

from __future__ import annotations

import math

_MD_SPECIAL = set("\\`*_{}[]()#+-.!<>|~$")


def fmt_num(value: object, decimals: int = 1, lang: str = "nl") -> str:
    """``1234.5`` -> ``"1 234,5"`` (nl, thin space) or ``"1,234.5"`` (en); missing or not a number -> ``"–"``."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(v):
        return "–"
    text = f"{v:,.{decimals}f}"
    if lang == "nl":
        text = text.replace(",", "\u2009").replace(".", ",")
    return text


def md(text: object) -> str:
    """Data-derived text (region names, file names, problems) made inert for st.markdown/st.header:
    every Markdown control character is backslash-escaped, so a name can never become a link or an image."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))


def year_text(value: object) -> str:
    """A year column's cell: ``2020`` or ``"–"``."""
    return "–" if value is None or _missing(value) else str(int(value))


def source_text(value: object) -> str:
    """A source column's cell: the text, or ``"–"`` when there is none."""
    return "–" if value is None or _missing(value) or not value else str(value)


def _missing(value: object) -> bool:
    try:
        return bool(value != value)  # NaN, pd.NA
    except TypeError:               # pd.NA comparisons raise in a bool context
        return True
