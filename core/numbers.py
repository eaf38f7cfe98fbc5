"""The one number format per language (issue 20): every number a user reads — screen tables, map legend and
tooltip, sentences, method text, PNG/PDF — is written by :func:`format_number`.

The rule, per language:

- ``nl``: decimal comma; thousands grouped by a NARROW NO-BREAK SPACE (U+202F), the small space of SI/NEN
  and of CBS's own tables ("17 942 942"), which never breaks a number over two lines: ``1 234,5``.
- ``en``: decimal point, thousands comma: ``1,234.5``.

Grouping starts at four digits (``1 234`` / ``1,234``). Missing, not a number or not finite: ``–`` (an en dash;
never ``0``, ``nan`` or ``None``). Machine formats (CSV/JSON/XLSX cells, URLs) keep plain numbers and do not use
this. Pure standard library, so every layer (pages, render, data, geo, indicators) can use it.
"""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["MISSING", "NUMBER_FORMAT", "format_number"]

#: {language: {"group": thousands separator, "decimal": decimal mark}}; another language is written as Dutch.
NUMBER_FORMAT = {"nl": {"group": "\u202f", "decimal": ","}, "en": {"group": ",", "decimal": "."}}
MISSING = "–"


def format_number(value: object, decimals: int | None = 1, lang: str = "nl") -> str:
    """``1234.5`` -> ``"1\\u202f234,5"`` (nl) or ``"1,234.5"`` (en); missing or not a number -> ``"–"``.

    ``decimals``: fixed number of decimals; ``None``: as many as the value has (up to 15 significant digits),
    e.g. a value from an imported file shown as it was written, or a setting such as 0.05.

    >>> format_number(1234.5, 1, "en"), format_number(0.125, None, "nl"), format_number(float("nan"))
    ('1,234.5', '0,125', '–')
    >>> format_number(17942942, 0, "nl") == "17\\u202f942\\u202f942"
    True
    """
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return MISSING
    if math.isnan(v) or math.isinf(v):
        return MISSING
    # decimals=None: 15 significant digits (no float noise such as 0.30000000000000004), written out, no e-notation
    text = format(Decimal(f"{v:.15g}"), ",f") if decimals is None else f"{v:,.{decimals}f}"
    sep = NUMBER_FORMAT.get(lang, NUMBER_FORMAT["nl"])
    return "".join(sep["group"] if ch == "," else sep["decimal"] if ch == "." else ch for ch in text)
