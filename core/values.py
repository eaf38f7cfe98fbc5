"""Missing values: the one list of placeholders and the one number cleaner (issue 20).

The CBS convention. CBS publications do not leave a figure out; they put a sign in its place:

* ``.`` - the figure is missing (unknown, not asked, too unreliable: CBS "gegevens ontbreken");
* ``x`` - the figure is secret (CBS "geheim": too few people or businesses to publish), in words ``geheim``;
* ``-99997`` and ``-99999999`` - the same in the numeric fields of the Kerncijfers wijken en buurten (OData)
  and the PDOK Wijk- en Buurtkaart, where a sign cannot be text: a suppressed or unavailable figure, never a
  real count, amount or percentage (docs/ARCHITECTURE.md; ../shared/data/PROVENANCE.md);
* ``..``, ``?``, ``-`` - further "no figure" signs in StatLine exports and hand-made tables. ``-`` is CBS's
  sign for "nihil" (nothing); it is read as missing here, not as 0, because exports also use it for "no
  value" and a 0 that is not in the source would be ranked as a real figure;
* an empty cell, ``null``/``None``, and the spreadsheet words ``nan``, ``na``, ``n/a``, ``null``, ``none``.

Every one of them is NaN after :func:`clean_numbers`, never 0 (a 0 would be ranked as a real, very low value).
Text that is no number at all (``veel``, ``1e999``) is NaN too; :func:`parse_numbers` also says which cells
those were, for a loader that must report them (user files). This is the bottom layer: standard library,
numpy and pandas only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["MISSING_NUMBERS", "MISSING_TOKENS", "clean_number", "clean_numbers", "is_missing_token", "parse_numbers"]

#: Numeric placeholders of CBS (KWB OData) and PDOK (Wijk- en Buurtkaart): a suppressed or unavailable figure.
MISSING_NUMBERS = frozenset({-99997.0, -99999999.0})
#: Text that means "no figure" (compared stripped and lower-cased; the numeric placeholders as text too).
MISSING_TOKENS = frozenset(
    {
        "",
        ".",
        "..",
        "-",
        "x",
        "?",
        "geheim",
        "nan",
        "na",
        "n/a",
        "null",
        "none",
        "-99997",
        "-99999999",
        "-99997.0",
        "-99999999.0",
    }
)

_JSON_NUMBER = frozenset({int, float, type(None)})  # not bool: True is no figure
_NUM_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_COMMA = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$")
_NUM_TEXT_COMMA = re.compile(r"[+-]?\d+,\d+")


def is_missing_token(text: str) -> bool:
    """Whether ``text`` (stripped, any case) is one of the "no figure" signs of :data:`MISSING_TOKENS`."""
    return text.strip().replace("\u00a0", "").replace(" ", "").lower() in MISSING_TOKENS


def _one(value: Any, decimal_comma: bool) -> tuple[float, bool]:
    """(float or NaN, ok) of one raw value: ok is False for something that is no number (the value is NaN)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return math.nan, True
    if isinstance(value, (bool, np.bool_)):
        return math.nan, False
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isnan(number):
            return math.nan, True
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if text.lower() in MISSING_TOKENS:
            return math.nan, True
        if decimal_comma and _NUM_COMMA.match(text):
            number = float(text.replace(".", "").replace(",", "."))
        elif _NUM_PLAIN.match(text):
            number = float(text)
        elif not decimal_comma and _NUM_TEXT_COMMA.fullmatch(text):
            number = float(text.replace(",", "."))  # a spreadsheet text cell with a decimal comma
        else:
            return math.nan, False
    if not math.isfinite(number):  # '1e999' reads as inf: nothing to compute with
        return math.nan, False
    if number in MISSING_NUMBERS:
        return math.nan, True
    return number, True


def parse_numbers(
    values: pd.Series | np.ndarray | Iterable[Any], *, decimal_comma: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values, ok) of raw values: every placeholder of this module NaN (ok), text that is no number
    NaN with ok False (a loader can name those cells). ``decimal_comma``: ``1.234,5`` is 1234.5 (Dutch CSV);
    without it a plain ``12,5`` text is still 12.5."""
    if isinstance(values, pd.Series):
        arr = values.to_numpy()
    elif isinstance(values, np.ndarray):
        arr = values
    else:
        arr = np.asarray(list(values), dtype=object)
    arr = arr.ravel()
    if arr.dtype.kind in "iuf":  # already numbers: only the placeholders and inf
        out = arr.astype("float64")
        ok = ~np.isinf(out)
    elif set(map(type, arr)) <= _JSON_NUMBER:  # JSON numbers and nulls (CBS, PDOK): no text to read
        out = np.array([np.nan if v is None else v for v in arr], dtype="float64")
        ok = ~np.isinf(out)
    else:
        pairs = [_one(v, decimal_comma) for v in arr]
        out = np.fromiter((p[0] for p in pairs), dtype="float64", count=len(pairs))
        ok = np.fromiter((p[1] for p in pairs), dtype=bool, count=len(pairs))
    out[~ok | np.isin(out, list(MISSING_NUMBERS))] = np.nan
    return out, ok


def clean_numbers(values: pd.Series | np.ndarray | Iterable[Any], *, decimal_comma: bool = False):
    """THE number cleaner: raw values (a Series, an array, a list of JSON values) as float64, every missing
    sign of this module (``-99997``, ``-99999999``, ``.``, ``..``, ``x``, ``?``, ``geheim``, ``-``, empty,
    None) and every text that is no number NaN, never 0. A Series comes back as a Series with its index and
    name; anything else as a numpy array."""
    out, _ok = parse_numbers(values, decimal_comma=decimal_comma)
    if isinstance(values, pd.Series):
        return pd.Series(out, index=values.index, name=values.name, dtype="float64")
    return out


def clean_number(value: Any) -> float:
    """One raw value through :func:`clean_numbers` (a float, NaN for any missing sign)."""
    return float(clean_numbers([value])[0])
