"""Checks on the values of an imported indicator file that need more than the cell itself (issue 22).

* Finite numbers only: ``1e999`` reads as infinity in Python; it is refused with its row and column instead of
  being stored as ``inf`` (and shown as "inf" on Buurtprofiel).
* Ranges per indicator kind (``indicators.registry``): a column that feeds a registry indicator (the known
  file's mapping, or a column named after the indicator id) must hold values the indicator can have:
  percentages (kind ``share``, or a unit that starts with ``%``) 0–100, rates (kind ``ratio``) >= 0.
  Means (``mean``: income, WOZ) are not bounded here.
* Ragged rows: a CSV row with more cells than the header row is refused with its row number (its values would
  otherwise shift into other columns, or be ignored).
"""

from __future__ import annotations

import math

import numpy as np

from core.numbers import format_number

#: the (low, high) bounds of an indicator kind; None = unbounded
PERCENT = (0.0, 100.0)
RATE = (0.0, math.inf)


def bounds(indicator_id: str) -> tuple[float, float] | None:
    """(low, high) the values of registry indicator ``indicator_id`` must lie in; None when not bounded or unknown."""
    # at call time: data/ is below indicators/ in the layering
    from indicators.registry import INDICATORS

    ind = INDICATORS.get(indicator_id)
    if ind is None:
        return None
    unit = ind.unit.get("nl", "")
    if ind.kind == "share" or unit.startswith("%"):
        return PERCENT
    if ind.kind == "ratio":
        return RATE
    return None


def is_infinite_text(value: object) -> bool:
    """True for a cell that reads as a number too large for a float (``1e999``, ``-1E400``, ``inf``)."""
    try:
        return math.isinf(float(str(value).strip().replace(",", ".")))
    except ValueError:
        return False


def range_problems(label: str, indicator_id: str, values: np.ndarray, rows: list[int]) -> list[str]:
    """One problem per value of column ``label`` outside the bounds of ``indicator_id`` (``rows``: the file's
    row numbers, in the order of ``values``)."""
    b = bounds(indicator_id)
    if b is None:
        return []
    low, high = b
    what = "een percentage ligt tussen 0 en 100" if b == PERCENT else "een aantal per inwoners is niet negatief"
    out = []
    for v, row in zip(values, rows):
        if not math.isnan(v) and not (low <= v <= high):
            out.append(f"rij {row}, kolom '{label}': {format_number(v, None, 'nl')} kan niet voor {indicator_id} ({what})")
    return out


def ragged_problem(row_number: int, n_cells: int, header_width: int) -> str:
    return (f"rij {row_number} heeft {n_cells} cellen, de kopregel {header_width}: een rij met meer cellen dan "
            "kolomnamen verschuift de waarden (controleer scheidingstekens en aanhalingstekens in die rij)")
