"""Year-on-year comparability of an area's figures (CBS *Indelingswijziging*).

KWB carries, per region and year, whether its code and boundaries changed since the previous year
(``IndelingswijzigingGemeenteWijkBuurt`` in 2024, ``IndelingswijzigingWijkenEnBuurten`` in older tables):

* ``1`` — code and boundaries unchanged: comparable with the previous year;
* ``2`` — code changed, boundaries unchanged: comparable only after re-linking the old code, which
  Stapelkaart does not do, so it is shown as *not comparable*;
* ``3`` — boundaries changed: not comparable.

A trend is only drawn over the years after the most recent break; earlier values are listed but
marked ``comparable=False`` with the reason. Missing flags are never assumed to mean "unchanged".
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: Canonical names of the flag in the KWB tables, newest first.
CHANGE_COLUMNS = ("indelingswijziging_gemeente_wijk_buurt", "indelingswijziging_wijken_en_buurten")
REASONS = {
    "ok": {"nl": "vergelijkbaar met het jaar ervoor", "en": "comparable with the year before"},
    "first": {"nl": "eerste jaar van de reeks", "en": "first year of the series"},
    "code": {
        "nl": "code gewijzigd t.o.v. het jaar ervoor (indelingswijziging 2): begin van een nieuwe reeks",
        "en": "code changed since the year before (indelingswijziging 2): start of a new series",
    },
    "boundary": {
        "nl": "grenzen gewijzigd t.o.v. het jaar ervoor (indelingswijziging 3): begin van een nieuwe reeks",
        "en": "boundaries changed since the year before (indelingswijziging 3): start of a new series",
    },
    "unknown": {
        "nl": "indelingswijziging onbekend: begin van een nieuwe reeks",
        "en": "change of boundaries unknown: start of a new series",
    },
    "before_break": {
        "nl": "vóór een indelingswijziging; niet vergelijkbaar met latere jaren",
        "en": "before a boundary change; not comparable with later years",
    },
}


def change_flag(frame: pd.DataFrame, code: str) -> float:
    """The Indelingswijziging value (1, 2, 3) of ``code`` in one KWB frame, NaN when absent."""
    column = next((c for c in CHANGE_COLUMNS if c in frame.columns), None)
    if column is None:
        return np.nan
    rows = frame.loc[frame["code"] == code, column]
    if rows.empty:
        return np.nan
    value = pd.to_numeric(pd.Series([rows.iloc[0]]).astype("string").str.strip(), errors="coerce").iloc[0]
    return float(value) if pd.notna(value) else np.nan


def trend(
    frames: Mapping[int, pd.DataFrame], code: str, values: Mapping[int, float], *, lang: str = "nl"
) -> pd.DataFrame:
    """One row per year with ``year, value, change, comparable, reason`` for area ``code``.

    ``values`` maps year -> the indicator value of ``code`` in that year (NaN allowed). A year is
    comparable with the one before only when the flag of the later year is 1; every year before the
    latest break is marked not comparable; the break year itself starts the comparable series.
    """
    years = sorted(set(values) | set(frames))
    flags = {y: change_flag(frames[y], code) if y in frames else np.nan for y in years}
    kind: dict[int, str] = {}
    last_break = years[0] if years else None
    for i, y in enumerate(years):
        if i == 0:
            kind[y] = "first"
            continue
        f = flags[y]
        if f == 1:
            kind[y] = "ok"
        else:
            kind[y] = {2.0: "code", 3.0: "boundary"}.get(f, "unknown")
            last_break = y
    rows = []
    for y in years:
        if last_break is not None and y < last_break:
            comparable, reason = False, "before_break"
        else:  # from the latest break on, the series is comparable; the break year starts it
            comparable, reason = True, kind[y]
        rows.append(
            {
                "year": y,
                "value": float(values.get(y, np.nan)),
                "change": flags[y],
                "comparable": comparable,
                "reason": REASONS[reason][lang],
            }
        )
    return pd.DataFrame(rows, columns=["year", "value", "change", "comparable", "reason"])
