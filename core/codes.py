"""Region codes of CBS: gemeente GM0479, wijk WK047912 / WK0363MC, buurt BU04791201.

Codes arrive padded with spaces to 10 characters from CBS OData; everything here strips them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from core.errors import UserInputError

LEVELS = ("gemeente", "wijk", "buurt")
#: the areas of a level in words (plural), Dutch and English: labels of references and bases
LEVEL_WORDS = {
    "gemeente": ("gemeenten", "municipalities"),
    "wijk": ("wijken", "districts"),
    "buurt": ("buurten", "neighbourhoods"),
}
PREFIX_OF_LEVEL = {"gemeente": "GM", "wijk": "WK", "buurt": "BU", "land": "NL"}
LEVEL_OF_PREFIX = {v: k for k, v in PREFIX_OF_LEVEL.items()}

_GM_RE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
#: THE region-code pattern (issue 20): NL00, GMdddd, WKdddd + 2, BUdddd + 4 (digits or capitals).
CODE_RE = re.compile(r"^(NL00|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
#: An area of a view: a code of CODE_RE without the country (NL00).
AREA_CODE_RE = re.compile(CODE_RE.pattern.replace("NL00|", ""))
#: A gemeente code exactly as the URL writes it (normalise_gemeente accepts more: ``gm479``, ``0479``).
GEMEENTE_CODE_RE = re.compile(r"^GM\d{4}$")
#: Text that looks as if it was meant to be a region code (a prefix of PREFIX_OF_LEVEL, then digits/capitals).
CODEISH_RE = re.compile(r"^(" + "|".join(sorted(LEVEL_OF_PREFIX)) + r")[0-9A-Z]*$")


def strip_code(value: object) -> str | None:
    """Strip CBS space padding; ``None``/empty stays ``None``."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_valid_code(code: str) -> bool:
    """True for NL00, GMdddd, WKdddd + 2, BUdddd + 4 (digits or capitals)."""
    return bool(CODE_RE.match(code or ""))


def level_of_code(code: object) -> str | None:
    """``WK047912`` -> ``"wijk"``, ``NL00`` -> ``"land"``; None for anything without a known prefix.

    THE prefix -> level rule: no ``code[:2] == "WK"`` or a private prefix map elsewhere (issue 20).
    """
    return LEVEL_OF_PREFIX.get(str(code)[:2]) if code is not None and code is not pd.NA else None


def levels_of(codes: Iterable[object]) -> list[str | None]:
    """:func:`level_of_code` of every code, in order."""
    return [level_of_code(c) for c in codes]


def gemeente_of(code: str) -> str | None:
    """The gemeente a wijk/buurt code belongs to: ``BU04791201`` -> ``GM0479``."""
    if not code or code.startswith("NL"):
        return None
    return "GM" + code[2:6]


def wijk_of(code: str) -> str | None:
    """The wijk a buurt code lies in: ``BU04791210`` -> ``WK047912``, ``BU0363MC01`` -> ``WK0363MC``; a wijk code
    itself; None for a gemeente or Nederland."""
    if not code or not code.startswith(("BU", "WK")) or len(code) < 8:
        return None
    return "WK" + code[2:8]


def normalise_gemeente(code: str) -> str:
    """Accept ``GM0479``, ``gm0479``, ``0479`` or ``479`` and return ``GM0479``.

    Anything else raises a UserInputError that says what a gemeente code looks like.
    """
    text = str(code).strip()
    match = _GM_RE.match(text)
    if not match:
        raise UserInputError(
            f"Gemeentecode '{text[:40]}' is ongeldig; gebruik de vorm GM0479 (Zaanstad) of GM0363 (Amsterdam).",
            f"Gemeente code '{text[:40]}' is invalid; use the form GM0479 (Zaanstad) or GM0363 (Amsterdam).",
        )
    return "GM" + match.group(1).zfill(4)


def normalise_level(level: str) -> str:
    value = str(level).strip().lower()
    if value not in LEVELS:
        raise UserInputError(
            f"Niveau '{value[:40]}' bestaat niet; kies uit: {', '.join(LEVELS)}.",
            f"Level '{value[:40]}' does not exist; must be one of: {', '.join(LEVELS)}.",
        )
    return value
