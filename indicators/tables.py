"""Tables derived from a ScoreResult for the pages and exports: the ranking, absolute counts, row facts.

Pure pandas (never imports streamlit). Column names here are the engine's ids; readable (i18n) column names
are given by the page layer (pages/_common/tables.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from indicators import registry as reg
from indicators.focusscore import aggregate_parts
from indicators.result import scores

# Map classes of the stacking count: 0, 1, 2, 3 and "4 or more" (up to every domain of the registry).
STACKING_BREAKS = (0.5, 1.5, 2.5, 3.5, float(len(reg.DOMAINS)))
STACKING_LABELS = ("0", "1", "2", "3", "4+")


def rank_table(
    table: pd.DataFrame, gemeenten: Collection[str] | None, min_population: float, min_stacking: int
) -> pd.DataFrame:
    """Filtered (gemeenten, population, stacking count), ranked like with like, with ``#``.

    Rule (``RANK_RULE``): areas with more known domains in the composite (``Composite.n``) come first; within the
    same ``n`` by composite, then stacking count. Only areas with a composite get a rank number (``#``, Int64);
    suppressed areas and areas with too few known domains are listed, unnumbered, after them. The stacking filter
    counts only known domains: ``Stacking.k`` is k of the n known (unknown is never counted, and an area with
    no known domain has no count, so it passes only a filter of 0).
    """
    df = table.copy()
    if "gemeente_code" in df and gemeenten:
        df = df[df["gemeente_code"].isin(list(gemeenten))]
    if "population" in df:
        df = df[pd.to_numeric(df["population"], errors="coerce").fillna(0) >= min_population]
    k = scores(df).stacking.k
    if k is not None and min_stacking > 0:
        df = df[pd.to_numeric(k, errors="coerce").fillna(-1) >= min_stacking]
    view = scores(df)
    comp, k = view.composite, view.stacking.k
    has_score = (
        pd.to_numeric(comp.value, errors="coerce").notna()
        if comp.value is not None
        else pd.Series(False, index=df.index)
    )
    keys = pd.DataFrame({"_scored": has_score.astype(int)}, index=df.index)
    if comp.n is not None:
        keys["_n"] = pd.to_numeric(comp.n, errors="coerce").where(has_score)
    for name, col in (("composite", comp.value), ("stacking", k)):
        if col is not None:
            keys["_" + name] = pd.to_numeric(col, errors="coerce")
    order = keys.sort_values(list(keys.columns), ascending=False, na_position="last", kind="stable").index
    df = df.loc[order]
    has = has_score.loc[order].to_numpy()
    number = pd.array(np.where(has, np.cumsum(has), 0), dtype="Int64")
    number[~has] = pd.NA
    return df.assign(**{"#": number}).reset_index(drop=True)


RANK_RULE = {
    "nl": "Volgorde: eerst de gebieden met de meeste bekende domeinen in de samengestelde score (n), daarbinnen op "
    "samengestelde score, dan op stapeling. Alleen gebieden met een samengestelde score krijgen een nummer; "
    "onderdrukte gebieden en gebieden met te weinig bekende domeinen staan onderaan zonder nummer.",
    "en": "Order: first the areas with the most known domains in the composite score (n), within that by composite "
    "score, then by stacking. Only areas with a composite score get a number; suppressed areas and areas with "
    "too few known domains are listed last, unnumbered.",
}


def absolute_counts(
    parts: Mapping[str, pd.DataFrame], codes_by_row: Mapping[str, Sequence[str]]
) -> dict[str, dict[str, float]]:
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
    view = scores(row)
    for ind in reg.scored_indicators():
        f = view.indicator(ind.id)
        y = f.year
        if y is not None and not pd.isna(y) and int(y) < year and not pd.isna(f.value):
            out.add(int(y))
    return sorted(out)


def stacked(row: pd.Series) -> list[str]:
    """The stacking domains of a score row (``;``-joined; NA/empty = none), registry ids only."""
    value = scores(row).stacking.which
    if not isinstance(value, str):
        return []
    return [d for d in value.split(";") if d in reg.DOMAINS]


def domain_ranks(row: pd.Series) -> dict[str, float | None]:
    """Domain score per registry domain (None = no score)."""
    out = {}
    for d, dom in scores(row).domains.items():
        v = dom.score
        out[d] = None if v is None or pd.isna(v) else float(v)
    return out


def shown_indicators(basis: str = "households") -> list:
    """Registry indicators for a table: household forms (default) or, with ``basis="persons"``, the person-based
    variant in place of each household indicator that has one (``Indicator.variant_of``)."""
    swap = reg.variants() if basis == "persons" else {}
    return [swap.get(i.id, i) for i in reg.INDICATORS.values() if not i.variant_of]


def num(value: Any) -> float:
    """``value`` as a float; NaN when it is missing or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
