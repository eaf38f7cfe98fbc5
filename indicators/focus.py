"""Focus areas (named groups of wijken, configured as data) and their gemeente / Nederland comparators.

A focus area is aggregated from its member areas by **summing numerators and denominators**, never by
averaging percentages or ranks:

    value(group) = scale x sum_i num_i / sum_i den_i

For "already a percentage" indicators num_i = pct_i x base_i (the population the percentage refers to), for
averages (WOZ, income per inhabitant) num_i = mean_i x base_i (a base-weighted mean). A member without a
value makes the group value missing (never a silent partial sum), unless the members with a value hold at
least ``MIN_MEMBER_COVERAGE`` (90 %) of the group's base population: then the sum runs over those members and
the source names the missing ones (CBS keeps e.g. the income of WK0363TA Amstel III/Bullewijk secret). A
group of one member is that member's value.
The aggregate is then ranked against the **same reference** as the areas (``ScoreResult.ref_sorted``) and
scored with the same domain/stacking/composite rules.

Comparators: each focus area's gemeente row (the CBS value for the whole gemeente, as published) and
Nederland: the ``NL00`` row when the data have one (an imported file may supply it), otherwise the sum over a
national frame (e.g. all gemeenten) when its areas with a value hold at least ``NL_MIN_COVERAGE`` of the
inhabitants; otherwise "niet beschikbaar".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.engine import ScoreResult, population, score_parts, suppress_small
from indicators.rates import UserValues, _indexed, resolve_indicator
from indicators.registry import INDICATORS

NL_CODE = "NL00"
NL_MIN_COVERAGE = 0.99
MIN_MEMBER_COVERAGE = 0.9
NOT_AVAILABLE = "niet beschikbaar"


@dataclass(frozen=True)
class FocusArea:
    """A named group of wijken (or buurten) in one gemeente."""

    id: str
    label: dict[str, str]
    gemeente_code: str
    codes: tuple[str, ...]
    note: str = ""


FOCUS_AREAS: dict[str, FocusArea] = {
    f.id: f
    for f in (
        FocusArea("poelenburg", {"nl": "Poelenburg (Zaanstad)", "en": "Poelenburg (Zaanstad)"}, "GM0479",
                  ("WK047912",), "Wijk 12 Poelenburg."),
        FocusArea("oud_oost", {"nl": "Oud-Oost (Amsterdam)", "en": "Oud-Oost (Amsterdam)"}, "GM0363",
                  ("WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"),
                  "GGW-gebied Oud-Oost: Weesperzijde, Oosterparkbuurt, Transvaalbuurt, Dapperbuurt."),
        FocusArea("zuidoost", {"nl": "Zuidoost (Amsterdam)", "en": "Zuidoost (Amsterdam)"}, "GM0363",
                  tuple(f"WK0363T{c}" for c in "ABCDEFGHJKLM"),
                  "Stadsdeel Zuidoost: Bijlmer-West, Bijlmer-Centrum, Bijlmer-Oost, Gaasperdam."),
    )
}


def aggregate_parts(part: pd.DataFrame, groups: Mapping[str, Sequence[str]], scale: float,
                    min_member_coverage: float = MIN_MEMBER_COVERAGE) -> pd.DataFrame:
    """Sum numerators and denominators of member areas per group: value = scale x sum(num) / sum(den).

    ``part``: ``value, num, den, year, source`` indexed by code. A group of one member is that member.
    Members without a value are left out only when the members *with* a value hold at least
    ``min_member_coverage`` of the group's denominator (base population) and every member's base is known;
    the source then names the missing members. Otherwise the group value is NaN (never a silent partial sum).
    ``year`` is the latest member year used, ``source`` the distinct member sources.
    """
    rows = {}
    for gid, codes in groups.items():
        sub = part.reindex(list(codes))
        if len(sub) == 1:
            rows[gid] = sub.iloc[0].to_dict()
            continue
        has = sub["value"].notna() & sub["num"].notna() & sub["den"].notna()
        total = sub["den"].sum(min_count=len(sub))          # NaN when a member's base is unknown
        used = sub["den"][has].sum()
        coverage = used / total if total > 0 else 0.0
        if not has.any() or not coverage >= min_member_coverage:
            rows[gid] = {"value": np.nan, "num": np.nan, "den": np.nan, "year": pd.NA, "source": pd.NA}
            continue
        source = " | ".join(sorted({str(s) for s in sub["source"][has].dropna()}))
        missing = list(sub.index[~has])
        if missing:
            source += f" (zonder {', '.join(missing)}: {1 - coverage:.0%} van de noemer)"
        rows[gid] = {"value": scale * sub["num"][has].sum() / used, "num": sub["num"][has].sum(), "den": used,
                     "year": int(sub["year"][has].max()), "source": source}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "num", "den", "year", "source"])
    out["value"] = out["value"].astype("float64")
    out["year"] = out["year"].astype("Int64")
    out["source"] = out["source"].astype("string")
    return out


def national_parts(result: ScoreResult, national: pd.DataFrame | None,
                   user_values: Sequence[UserValues] = ()) -> tuple[dict[str, pd.DataFrame], str]:
    """Indicator parts of Nederland (one row ``NL00``) and a note on how they were obtained."""
    year = result.settings["year"]
    nl_index = pd.Index([NL_CODE])
    if NL_CODE in result.universe.index:
        return {k: p.loc[[NL_CODE]] for k, p in result.parts.items()}, "NL00-rij uit de gegevens"
    parts = {}
    notes = set()
    frame = _indexed(national) if national is not None else None
    for ind in INDICATORS.values():
        own = resolve_indicator({}, year, ind, nl_index, user_values=user_values)
        if own["value"].notna().all():
            parts[ind.id] = own
            notes.add(f"{ind.id}: NL00 uit {own['source'].iloc[0]}")
            continue
        if frame is None:
            parts[ind.id] = own
            continue
        p = resolve_indicator({year: frame}, year, ind, frame.index, user_values=user_values)
        pop = population({year: frame}, year, frame.index)
        has = p["num"].notna() & p["den"].notna()
        coverage = pop[has].sum() / pop.sum() if pop.sum() > 0 else 0.0
        agg = aggregate_parts(p[has], {NL_CODE: list(p.index[has])}, ind.scale) if has.any() else own
        if coverage < NL_MIN_COVERAGE:
            agg = own.copy()
            agg["source"] = f"{NOT_AVAILABLE} (dekking {coverage:.0%} van de inwoners)" if has.any() else pd.NA
        parts[ind.id] = agg.reindex(nl_index)
    return parts, "; ".join(sorted(notes)) or "som over het landelijke bestand"


def score_focus(result: ScoreResult, focus_areas: Mapping[str, FocusArea] | None = None, *,
                comparators: bool = True, national: pd.DataFrame | None = None,
                user_values: Sequence[UserValues] = ()) -> pd.DataFrame:
    """One row per focus area (plus gemeente and Nederland comparators), scored against ``result.reference``.

    ``national``: a national tidy frame of the same year (e.g. all gemeenten) for the Nederland row when the
    data have no ``NL00`` row. Columns: ``id, name, kind (focus|gemeente|land), members`` followed by the same
    value/rank/domain/stacking/composite columns as ``ScoreResult.table``.
    """
    focus_areas = FOCUS_AREAS if focus_areas is None else focus_areas
    groups = {f.id: f.codes for f in focus_areas.values()}
    parts = {k: aggregate_parts(p, groups, INDICATORS[k].scale) for k, p in result.parts.items()}
    info = [{"id": f.id, "name": f.label["nl"], "kind": "focus", "members": ";".join(f.codes)}
            for f in focus_areas.values()]
    if comparators:
        gms = list(dict.fromkeys(f.gemeente_code for f in focus_areas.values()))
        have = [g for g in gms if g in result.universe.index]
        for k in parts:
            parts[k] = pd.concat([parts[k], result.parts[k].reindex(have)])
        for g in gms:
            name = result.universe["name"].get(g, g) if g in have else g
            info.append({"id": g, "name": name if isinstance(name, str) else g, "kind": "gemeente",
                         "members": g if g in have else NOT_AVAILABLE})
        nl, note = national_parts(result, national, user_values)
        for k in parts:
            parts[k] = pd.concat([parts[k], nl[k]])
        info.append({"id": NL_CODE, "name": "Nederland", "kind": "land", "members": note})
    ids = [r["id"] for r in info]
    parts = {k: p.reindex(ids) for k, p in parts.items()}
    # A focus area is a sum of its members: below the minimum population it is suppressed like any area.
    pop = result.universe["population"] if "population" in result.universe.columns else pd.Series(dtype=float)
    focus_pop = pd.Series({f.id: pop.reindex(list(f.codes)).sum(min_count=len(f.codes))
                           for f in focus_areas.values()}, dtype="float64").reindex(ids)
    small = (focus_pop < result.settings["min_population"]).fillna(False)
    suppressed = pd.Series(small.to_numpy(dtype=bool), index=pd.Index(ids))
    reasons = pd.Series(np.where(suppressed, f"minder dan {result.settings['min_population']:g} inwoners", ""),
                        index=suppressed.index, dtype=object)
    for ind in INDICATORS.values():
        parts[ind.id], reasons = suppress_small(ind, parts[ind.id], reasons)
    cols, _, _ = score_parts(parts, suppressed, result.ref_sorted, result.weights, result.settings,
                             ref_domains=result.ref_domains)
    head = pd.DataFrame(info, index=suppressed.index)
    head["year"] = result.settings["year"]
    head["reference"] = result.reference.text("nl")
    out = pd.concat([head, cols], axis=1)
    out["suppressed_reason"] = reasons.replace("", pd.NA).astype("string")
    return out
