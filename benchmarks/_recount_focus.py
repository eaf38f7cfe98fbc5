"""The recount of ``python -m indicators focus`` (issue 21): focus areas, their gemeente and Nederland, from
``../shared/data`` and the method text ('Focusgebied. Som van de tellers gedeeld door de som van de noemers van
de leden. Mist een lid een waarde, dan telt de rest alleen als de leden met een waarde samen minstens 90 % van de
noemer hebben en van elk lid de noemer bekend is')."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from benchmarks import _recount_calc as c
from benchmarks._recount_score import score_areas

# the preset zaanstad-kansengelijkheid (as the Vergelijken page lists it) and the defined Zaandam-Zuid
FOCUS = {
    "zaandam-zuid": ["WK047911"],
    "poelenburg": ["WK047912"],
    "peldersveld": ["WK047913"],
    "rosmolenwijk": ["WK047914"],
    "kogerveldwijk": ["WK047915"],
    "zaandam-zuid-2": ["WK047911", "WK047912"],
}
GEMEENTE = "GM0479"
COVERAGE = 0.9


def _scale(ind: str) -> float:
    return 1000.0 if ind == "bijstand_per_1000" else 100.0


def _weighted(members: pd.DataFrame, ind: str, kind: str) -> pd.Series:
    """The numerator a member adds: its count, or value x base for a share or a mean."""
    if kind == "count":
        return members[f"{ind}__num"]
    return members[ind] * members[f"{ind}__den"]


def aggregate(members: pd.DataFrame) -> tuple[dict, dict]:
    """One area's values from its members (the focus rule), and the reason codes where there is none."""
    row: dict = {"population": members["population"].sum(min_count=1), "gemeente_code": GEMEENTE}
    why: dict = {}
    for ind, _dom, _d, kind, mind in c.INDICATORS:
        has = members[ind].notna()
        den = members[f"{ind}__den"]
        lacking = members.index[~has | den.isna()]
        if len(members) == 1 and c.STATED["rules"]:  # one member: its own value (and reason)
            m = members.iloc[0]
            row[ind], row[f"{ind}__num"], row[f"{ind}__den"] = m[ind], m[f"{ind}__num"], m[f"{ind}__den"]
            row[f"{ind}__year"], why[ind] = m[f"{ind}__year"], m[f"{ind}__why0"]
            continue
        share = 0.0 if den.isna().any() else float(den[has].sum() / den.sum())
        ok = has.any() and not den.isna().any() and (has.all() or share >= COVERAGE)
        num = _weighted(members[has], ind, kind).sum()
        d = den[has].sum()
        value = (_scale(ind) * num / d if kind == "count" else num / d) if ok else np.nan
        if ok and mind > 0 and d < mind:
            value, why[ind] = np.nan, "den_small"
        elif not ok:
            why[ind] = f"members:{share:.4f}:{','.join(lacking)}"
        else:
            why[ind] = ""
        row[ind], row[f"{ind}__num"], row[f"{ind}__den"] = value, num if ok else np.nan, d if ok else np.nan
        row[f"{ind}__year"] = members[f"{ind}__year"].max() if value == value else np.nan
    return row, why


def _gemeenten(kwb: pd.DataFrame, inc: pd.DataFrame) -> pd.DataFrame:
    g = json.loads((c.DATA / "derived" / "pdok_wbk2024" / "gemeenten.crs84.geojson").read_text())
    pdok = pd.DataFrame([f["properties"] for f in g["features"]]).set_index("gemeentecode")
    pdok = pdok.apply(lambda s: c._num(s) if s.dtype != object else s)
    codes = kwb.index[kwb.index.str.startswith("GM")]
    out = c.values(kwb, pdok, inc, codes)
    out["gemeente_code"] = codes
    return out


def recount_focus() -> pd.DataFrame:
    kwb, pdok, inc = c.kwb_table(), c.pdok_wijken(), c.income()
    wijken = c.values(kwb, pdok, inc, pd.Index(sorted(x for x in pdok.index if x.startswith("WK" + GEMEENTE[2:]))))
    wijken["gemeente_code"] = GEMEENTE
    nat_codes = kwb.index[kwb.index.str.startswith("WK")]
    nat = c.values(kwb, None, inc, nat_codes)
    nat["gemeente_code"] = kwb.reindex(nat_codes)["gemeente_code"]
    rows, whys = {}, {}
    for fid, members in FOCUS.items():
        rows[fid], whys[fid] = aggregate(wijken.loc[members])
    gms = _gemeenten(kwb, inc)
    rows[GEMEENTE] = gms.loc[GEMEENTE].to_dict()
    whys[GEMEENTE] = {ind: gms.at[GEMEENTE, f"{ind}__why0"] for ind, *_ in c.INDICATORS}
    rows["NL00"], _ = aggregate(gms.assign(population=np.nan))
    whys["NL00"] = {ind: "" if rows["NL00"][ind] == rows["NL00"][ind] else "no_value" for ind, *_ in c.INDICATORS}
    for ind, dom, *_ in c.INDICATORS:
        if dom in c.ABSENT_DOMAINS:
            whys["NL00"][ind] = c.absent_why("NL00")
    for ind in c.INCOME_COLS:  # Nederland's income figures: the file's own NL00 row
        rows["NL00"][ind] = inc.at["NL00", c.INCOME_COLS[ind]]
        rows["NL00"][f"{ind}__year"], whys["NL00"][ind] = 2020, ""
    areas = pd.DataFrame.from_dict(rows, orient="index")
    for ind, *_ in c.INDICATORS:
        areas[f"{ind}__why0"] = pd.Series({k: w.get(ind, "") for k, w in whys.items()})
    areas["suppressed"] = areas["population"] < c.MIN_POP
    return score_areas(areas, nat, wijken, "nl", kwb)
