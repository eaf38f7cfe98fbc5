"""Health between survey years: "ervaren gezondheid niet goed", its trend and rank movement (pure, no I/O).

Input is the tidy frame of :func:`data.health.load_health` (one row per region and survey year, the
percentage of adults 18+ with good self-rated health in ``goed_ervaren_gezondheid``).

* **niet goed** = 100 - % goed (``complement`` of the registry's ``ervaren_gezondheid_niet_goed``); a missing
  value stays missing (NaN), it never becomes 0 or 100.
* **trend** between two survey years y1 -> y2 (2020 -> 2024, 2022 -> 2024): change = v(y2) - v(y1) in
  percentage points, per buurt (or gemeente), NaN unless both years have a value.
* **rank movement**: the percentile rank (:func:`indicators.ranks.percentile_rank`, 100 = most "niet goed")
  in y1 and in y2 against the **same reference in both years**: every region of the level in the whole
  country with a value in both y1 and y2 (its size is ``attrs["reference_n"]``). movement = rank(y2) - rank(y1):
  positive = moved towards the worse end of the country.
* **focus area** (a set of buurten): the population-weighted mean of its buurten,

      v_area(y) = sum_i w_i * v_i(y) / sum_i w_i     over the buurten i with a value in both y1 and y2,

  where w_i is the number of adults in buurt i. The value is computed **only when w_i is known for every such
  buurt**; otherwise it is NaN (reason ``"bevolking onbekend"``) -- never an unweighted average of
  percentages. The same buurten (those with both years) and the same weights are used for y1 and y2, so the
  change is not an artefact of buurten entering or leaving. KWB has no count of adults 18+ per buurt; the
  nearest is :func:`adult_weights` = inhabitants - inhabitants aged 0-15 (the 15-17-year-olds are counted
  too), from one KWB year for both survey years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from core.codes import PREFIX_OF_LEVEL, level_of_code
from indicators.ranks import percentile_rank

MEASURE = "goed_ervaren_gezondheid"
COMPLEMENT = 100.0


def niet_goed(goed: pd.Series | np.ndarray | float) -> pd.Series | np.ndarray | float:
    """% adults whose health is *not* good: 100 - % goed (NaN stays NaN).

    >>> niet_goed(pd.Series([75.0, np.nan])).tolist()
    [25.0, nan]
    """
    return COMPLEMENT - goed


def by_year(frame: pd.DataFrame, level: str = "buurt", measure: str = MEASURE) -> pd.DataFrame:
    """ "niet goed" per region (index ``code``) and survey year (columns), NaN where a year has no value."""
    part = frame[frame["level"] == level]
    out = part.pivot(index="code", columns="year", values=measure)
    out.columns.name = None
    return niet_goed(out.astype("float64"))


def adult_weights(inhabitants: pd.Series, aged_0_15: pd.Series) -> pd.Series:
    """Adults per region, as near as KWB gets: inhabitants - aged 0-15 (NaN if either is missing or < 0)."""
    w = inhabitants.astype("float64") - aged_0_15.reindex(inhabitants.index).astype("float64")
    return w.where(w >= 0)


def trend(values: pd.DataFrame, y1: int, y2: int) -> pd.DataFrame:
    """Per region: value in y1 and y2, change (pp), percentile rank in both years and its movement.

    ``values``: :func:`by_year` of **every** region of the level in the country (it is the reference).
    """
    a, b = values[y1], values[y2]
    both = a.notna() & b.notna()
    ref_a, ref_b = a[both], b[both]
    out = pd.DataFrame(
        {
            f"value_{y1}": a,
            f"value_{y2}": b,
            "change": b - a,
            f"rank_{y1}": percentile_rank(a, ref_a),
            f"rank_{y2}": percentile_rank(b, ref_b),
        }
    )
    out["rank_change"] = out[f"rank_{y2}"] - out[f"rank_{y1}"]
    out.loc[~both, ["change", "rank_change"]] = np.nan
    out.attrs = {
        "y1": y1,
        "y2": y2,
        "reference_n": int(both.sum()),
        "reference": "alle regio's van dit niveau in Nederland met een waarde in beide jaren",
    }
    return out


def area_trend(
    values: pd.DataFrame, weights: pd.Series, areas: Mapping[str, Sequence[str]], y1: int, y2: int
) -> pd.DataFrame:
    """Per focus area: population-weighted value in y1 and y2, change, rank against the buurt reference.

    ``values``: :func:`by_year` of all buurten of the country; ``weights``: adults per buurt (see
    :func:`adult_weights`); ``areas``: area name -> buurt codes. See the module docstring for the formula.
    """
    a, b = values[y1], values[y2]
    both = a.notna() & b.notna()
    ref_a, ref_b = a[both], b[both]
    rows = []
    for name, members in areas.items():
        codes = pd.Index(list(dict.fromkeys(members)))
        used = codes[both.reindex(codes, fill_value=False).to_numpy()]
        w = weights.reindex(used).astype("float64")
        unknown = int(w.isna().sum())
        row = {
            "area": name,
            "n_buurten": len(codes),
            "n_used": len(used),
            "n_weight_unknown": unknown,
            "weight": float(w.sum()) if unknown == 0 else np.nan,
            "reason": None,
        }
        if len(used) == 0:
            row["reason"] = "geen buurt met een waarde in beide jaren"
        elif unknown:
            row["reason"] = "bevolking onbekend"
        elif w.sum() <= 0:
            row["reason"] = "geen volwassenen"
        for y, v in ((y1, a), (y2, b)):
            row[f"value_{y}"] = float((w * v.reindex(used)).sum() / w.sum()) if row["reason"] is None else np.nan
        rows.append(row)
    out = pd.DataFrame(rows).set_index("area")
    out["change"] = out[f"value_{y2}"] - out[f"value_{y1}"]
    out[f"rank_{y1}"] = percentile_rank(out[f"value_{y1}"], ref_a)
    out[f"rank_{y2}"] = percentile_rank(out[f"value_{y2}"], ref_b)
    out["rank_change"] = out[f"rank_{y2}"] - out[f"rank_{y1}"]
    out.attrs = {
        "y1": y1,
        "y2": y2,
        "reference_n": int(both.sum()),
        "reference": "alle buurten van Nederland met een waarde in beide jaren",
    }
    return out


def buurten_of(codes: Sequence[str], buurt_codes: Sequence[str]) -> list[str]:
    """The buurten of ``codes`` among ``buurt_codes``: a buurt itself, a wijk's buurten (``BU`` + the wijk's digits +
    2), a gemeente's buurten (``BU`` + its 4 digits), ``NL00`` every buurt; in ``buurt_codes`` order.

    >>> buurten_of(["WK047912", "BU03630000"], ["BU04791201", "BU04791301", "BU03630000"])
    ['BU04791201', 'BU03630000']
    """
    wanted = set()
    prefixes = []
    bu = PREFIX_OF_LEVEL["buurt"]
    for code in map(str, codes):
        level = level_of_code(code)
        if level == "buurt":
            wanted.add(code)
        elif level == "wijk":
            prefixes.append(bu + code[2:8])
        elif level == "gemeente":
            prefixes.append(bu + code[2:6])
        elif level == "land":  # NL00: every buurt
            prefixes.append(bu)
    pre = tuple(prefixes)
    return [b for b in buurt_codes if b in wanted or (pre and str(b).startswith(pre))]


def comparator_trend(
    buurt_values: pd.DataFrame,
    gemeente_values: pd.DataFrame,
    gemeente_weights: pd.Series,
    gemeenten: Sequence[str],
    y1: int,
    y2: int,
    nl_name: str = "Nederland",
) -> pd.DataFrame:
    """The comparators of a focus-area trend: each gemeente's own 50150NED value and Nederland = the mean of every
    gemeente with both years weighted by adults (``gemeente_weights``; NaN with a reason when one is unknown), ranked
    like the focus areas against the buurten of NL with both years (``buurt_values``, :func:`area_trend`)."""
    a, b = buurt_values[y1], buurt_values[y2]
    both = a.notna() & b.notna()
    nl = area_trend(gemeente_values, gemeente_weights, {nl_name: list(gemeente_values.index)}, y1, y2)
    rows = gemeente_values.reindex(list(gemeenten))[[y1, y2]]
    out = pd.DataFrame(
        {
            f"value_{y1}": [*rows[y1], nl[f"value_{y1}"].iloc[0]],
            f"value_{y2}": [*rows[y2], nl[f"value_{y2}"].iloc[0]],
            "n_used": [*([1] * len(rows)), int(nl["n_used"].iloc[0])],
            "reason": [*([None] * len(rows)), nl["reason"].iloc[0]],
        },
        index=pd.Index([*rows.index, nl_name], name="area"),
    )
    out["change"] = out[f"value_{y2}"] - out[f"value_{y1}"]
    out[f"rank_{y1}"] = percentile_rank(out[f"value_{y1}"], a[both])
    out[f"rank_{y2}"] = percentile_rank(out[f"value_{y2}"], b[both])
    out["rank_change"] = out[f"rank_{y2}"] - out[f"rank_{y1}"]
    out.attrs = {"y1": y1, "y2": y2, "reference_n": int(both.sum())}
    return out
