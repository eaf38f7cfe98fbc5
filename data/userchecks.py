"""Checks on the values of an imported indicator file that need more than the cell itself (issue 22).

* Finite numbers only: ``1e999`` reads as infinity in Python; it is refused with its row and column instead of
  being stored as ``inf`` (and shown as "inf" on Buurtprofiel).
* Ranges per indicator: a column that feeds a registry indicator (the known file's mapping, or a column named
  after the indicator id) must hold values the indicator can have. The caller passes the bounds
  ({indicator id: (low, high)}, built by ``indicators.bounds.value_bounds``: percentages 0–100, rates >= 0,
  means unbounded); ``data/`` does not import ``indicators/``.
* Ragged rows: a CSV row with more cells than the header row is refused with its row number (its values would
  otherwise shift into other columns, or be ignored).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from core.numbers import format_number


def is_infinite_text(value: object) -> bool:
    """True for a cell that reads as a number too large for a float (``1e999``, ``-1E400``, ``inf``)."""
    try:
        return math.isinf(float(str(value).strip().replace(",", ".")))
    except ValueError:
        return False


def _what(low: float, high: float) -> str:
    if (low, high) == (0.0, 100.0):
        return "een percentage ligt tussen 0 en 100"
    if low == 0.0 and math.isinf(high):
        return "een aantal per inwoners is niet negatief"
    return f"verwacht {format_number(low, None, 'nl')} tot {format_number(high, None, 'nl')}"


def range_problems(
    label: str, indicator_id: str, values: np.ndarray, rows: list[int], bounds: Mapping[str, tuple[float, float]]
) -> list[str]:
    """One problem per value of column ``label`` outside ``bounds[indicator_id]`` (``rows``: the file's row
    numbers, in the order of ``values``); none when the indicator has no bounds."""
    b = bounds.get(indicator_id)
    if b is None:
        return []
    low, high = b
    what = _what(low, high)
    out = []
    for v, row in zip(values, rows):
        if not math.isnan(v) and not (low <= v <= high):
            out.append(
                f"rij {row}, kolom '{label}': {format_number(v, None, 'nl')} kan niet voor {indicator_id} ({what})"
            )
    return out


def ragged_problem(row_number: int, n_cells: int, header_width: int) -> str:
    return (
        f"rij {row_number} heeft {n_cells} cellen, de kopregel {header_width}: een rij met meer cellen dan "
        "kolomnamen verschuift de waarden (controleer scheidingstekens en aanhalingstekens in die rij)"
    )
