"""Domain weights as text: the one parser and formatter, for the share link (``w=armoede:2,werk:1``) and the CLI
(``--weights armoede=2,werk=1``), and the limits the URL and the weight sliders share.

Pure Python (no streamlit). Values are checked here for form and range only; the engine
(``indicators.scores.validate_weights``) completes them (missing domains weigh 1) and refuses all-zero weights.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from core.errors import UserInputError

WEIGHT_MIN = 0.0
WEIGHT_MAX = 5.0  # the slider's end and the highest weight a link may carry
WEIGHT_STEP = 0.5  # slider step (a link may hold any value with up to 3 decimals)
WEIGHT_DEFAULT = 1.0  # equal weights

_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
_NUMBER_RE = re.compile(r"^\d{1,4}(\.\d{1,3})?$")  # no sign, exponent, nan or inf


def _error(nl: str, en: str) -> UserInputError:
    return UserInputError(nl, en)


def parse_weights(
    text: str, domains: Collection[str] | None = None, *, maximum: float | None = None
) -> dict[str, float]:
    """``"armoede=2,werk=1"`` or ``"armoede:2,werk:1"`` -> ``{"armoede": 2.0, "werk": 1.0}``.

    ``domains``: the allowed ids (``None``: any id of the form ``[a-z][a-z0-9_]*``). ``maximum``: the highest
    weight (``None``: no upper limit; the share link passes ``WEIGHT_MAX``). Raises ``UserInputError`` naming
    the part that is wrong. An empty text gives ``{}`` (equal weights).
    """
    out: dict[str, float] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        sep = "=" if "=" in item else ":" if ":" in item else None
        if sep is None:
            raise _error(
                f"Gewicht '{item}' heeft niet de vorm domein=getal (bv. armoede=2).",
                f"Weight '{item}' is not of the form domain=number (e.g. armoede=2).",
            )
        key, _, raw = (s.strip() for s in item.partition(sep))
        if not _ID_RE.match(key) or (domains is not None and key not in domains):
            allowed = ", ".join(domains) if domains is not None else "[a-z][a-z0-9_]*"
            raise _error(
                f"Onbekend domein '{key}' in de gewichten; moet een van de volgende zijn: {allowed}.",
                f"Unknown domain '{key}' in weights; must be one of: {allowed}.",
            )
        if not _NUMBER_RE.match(raw):
            raise _error(
                f"Gewicht van '{key}' is geen niet-negatief getal: {raw!r}.",
                f"Weight of '{key}' is not a non-negative number: {raw!r}.",
            )
        value = float(raw)
        if value < WEIGHT_MIN or (maximum is not None and value > maximum):
            raise _error(
                f"Gewicht van '{key}' moet tussen {WEIGHT_MIN:g} en {maximum:g} liggen ({value:g}).",
                f"Weight of '{key}' must be between {WEIGHT_MIN:g} and {maximum:g} ({value:g}).",
            )
        out[key] = value
    return out


def normalise_weights(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """Sorted tuple of the weights that differ from the default 1.0; () means equal weights."""
    return tuple(
        sorted((str(k), round(float(v), 3)) for k, v in weights.items() if round(float(v), 3) != WEIGHT_DEFAULT)
    )


def format_weights(weights: Mapping[str, float] | tuple[tuple[str, float], ...], sep: str = ":") -> str:
    """``(("armoede", 2.0),)`` -> ``"armoede:2"`` (``sep="="`` gives the CLI form); parse_weights reads both."""
    items = weights.items() if isinstance(weights, Mapping) else weights
    return ",".join(f"{k}{sep}{v:g}" for k, v in items)
