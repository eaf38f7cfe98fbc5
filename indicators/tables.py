"""Tables derived from a ScoreResult for the pages and exports: the ranking, absolute counts, row facts.

Pure pandas (never imports streamlit). Column names here are the engine's ids; readable (i18n) column names
are given by the page layer (pages/_common/tables.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from indicators import registry as reg
from indicators.focus import aggregate_parts

# Map classes of the stacking count: 0, 1, 2, 3 and "4 or more" (up to every domain of the registry).
STACKING_BREAKS = (0.5, 1.5, 2.5, 3.5, float(len(reg.DOMAINS)))
STACKING_LABELS = ("0", "1", "2", "3", "4+")


def rank_table(table: pd.DataFrame, gemeenten: Collection[str] | None, min_population: float,
               min_stacking: int) -> pd.DataFrame:
    """Filtered (gemeenten, population, stacking count), sorted by composite then stacking count, with ``#``.

    Only areas with a composite get a rank number (``#``, Int64); suppressed or incomplete areas are listed,
    unnumbered, after them.
    """
    df = table.copy()
    if "gemeente_code" in df and gemeenten:
        df = df[df["gemeente_code"].isin(list(gemeenten))]
    if "population" in df:
        df = df[pd.to_numeric(df["population"], errors="coerce").fillna(0) >= min_population]
    if "stacking_count" in df:
        df = df[pd.to_numeric(df["stacking_count"], errors="coerce").fillna(0) >= min_stacking]
    sort = [c for c in ("composite", "stacking_count") if c in df]
    if sort:
        df = df.sort_values(sort, ascending=False, na_position="last")
    has_score = pd.to_numeric(df["composite"], errors="coerce").notna().to_numpy() if "composite" in df \
        else np.zeros(len(df), dtype=bool)
    number = pd.array(np.where(has_score, np.cumsum(has_score), 0), dtype="Int64")
    number[~has_score] = pd.NA
    return df.assign(**{"#": number}).reset_index(drop=True)


def absolute_counts(parts: Mapping[str, pd.DataFrame], codes_by_row: Mapping[str, Sequence[str]]) \
        -> dict[str, dict[str, float]]:
    """Counts behind each rate (persons, households, dwellings), summed over members: {indicator: {row id: n}}.

    ``parts``: ``ScoreResult.parts``. ratio: the numerator itself; share (a %): % x base / 100; mean (WOZ,
    income): no count (absent).
    """
    out: dict[str, dict[str, float]] = {}
    for ind in reg.INDICATORS.values():
        if ind.kind not in ("ratio", "share") or ind.id not in parts:
            continue
        agg = aggregate_parts(parts[ind.id], codes_by_row, ind.scale)
        div = 100.0 if ind.kind == "share" else 1.0
        out[ind.id] = {rid: float(agg.loc[rid, "num"]) / div for rid in agg.index}
    return out


def older_years(row: pd.Series, year: int) -> list[int]:
    """Years before ``year`` that the row's indicator values come from (e.g. the 2020 income file)."""
    out = set()
    for ind in reg.scored_indicators():
        y = row.get(f"{ind.id}__year")
        if y is not None and not pd.isna(y) and int(y) < year and not pd.isna(row.get(ind.id)):
            out.add(int(y))
    return sorted(out)


def stacked(row: pd.Series) -> list[str]:
    """The stacking domains of a score row (``;``-joined; NA/empty = none), registry ids only."""
    value = row.get("stacking_domains")
    if not isinstance(value, str):
        return []
    return [d for d in value.split(";") if d in reg.DOMAINS]


def domain_ranks(row: pd.Series) -> dict[str, float | None]:
    """Domain score per registry domain (None = no score)."""
    out = {}
    for d in reg.DOMAINS:
        v = row.get(f"domain__{d}")
        out[d] = None if v is None or pd.isna(v) else float(v)
    return out


def shown_indicators(basis: str = "households") -> list:
    """Registry indicators for a table: household forms (default) or, with ``basis="persons"``, the person-based
    variant in place of each household indicator that has one (``Indicator.variant_of``)."""
    swap = reg.variants() if basis == "persons" else {}
    return [swap.get(i.id, i) for i in reg.INDICATORS.values() if not i.variant_of]


def num(value: object) -> float:
    """``value`` as a float; NaN when it is missing or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
