"""Region codes of CBS: gemeente GM0479, wijk WK047912 / WK0363MC, buurt BU04791201.

Codes arrive padded with spaces to 10 characters from CBS OData; everything here strips them.
"""

from __future__ import annotations

import re

from core.errors import UserInputError

LEVELS = ("gemeente", "wijk", "buurt")
PREFIX_OF_LEVEL = {"gemeente": "GM", "wijk": "WK", "buurt": "BU", "land": "NL"}
LEVEL_OF_PREFIX = {v: k for k, v in PREFIX_OF_LEVEL.items()}

_GM_RE = re.compile(r"^(?:GM)?(\d{1,4})$", re.IGNORECASE)
_CODE_RE = re.compile(r"^(NL00|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")


def strip_code(value: object) -> str | None:
    """Strip CBS space padding; ``None``/empty stays ``None``."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def is_valid_code(code: str) -> bool:
    """True for NL00, GMdddd, WKdddd + 2, BUdddd + 4 (digits or capitals)."""
    return bool(_CODE_RE.match(code or ""))


def level_of(code: str) -> str:
    """``WK047912`` -> ``"wijk"``; raises UserInputError for something that is no region code."""
    prefix = (code or "")[:2].upper()
    if prefix not in LEVEL_OF_PREFIX:
        raise UserInputError(
            f"'{code}' is geen regiocode; verwacht GMxxxx, WKxxxxxx of BUxxxxxxxx.",
            f"'{code}' is not a region code; expected GMxxxx, WKxxxxxx or BUxxxxxxxx.",
        )
    return LEVEL_OF_PREFIX[prefix]


def gemeente_of(code: str) -> str | None:
    """The gemeente a wijk/buurt code belongs to: ``BU04791201`` -> ``GM0479``."""
    if not code or code.startswith("NL"):
        return None
    return "GM" + code[2:6]


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
