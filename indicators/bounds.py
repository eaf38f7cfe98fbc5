"""The values a registry indicator can have, for checks below this layer (issue 20).

``data/`` may not import ``indicators/``, so the import check of a user file (``data.userchecks``) gets these
bounds from its caller: the page layer (``pages/_common/loaders_files.py``) and the command line build them here.
"""

from __future__ import annotations

import math

from indicators.registry import INDICATORS

#: the (low, high) bounds of an indicator kind
PERCENT = (0.0, 100.0)  # kind "share", or a unit that starts with "%"
RATE = (0.0, math.inf)  # kind "ratio": a count per inhabitants is not negative


def value_bounds() -> dict[str, tuple[float, float]]:
    """{indicator id: (low, high)} for every bounded registry indicator; means (income, WOZ) are not bounded."""
    out: dict[str, tuple[float, float]] = {}
    for ind in INDICATORS.values():
        if ind.kind == "share" or ind.unit.get("nl", "").startswith("%"):
            out[ind.id] = PERCENT
        elif ind.kind == "ratio":
            out[ind.id] = RATE
    return out
