"""Focus areas scored: the members' values aggregated, the gemeente and Nederland comparators, the profile.

Aggregation sums numerators and denominators, never averages percentages or ranks:

    value(group) = scale x sum_i num_i / sum_i den_i

For "already a percentage" indicators num_i = pct_i x base_i (the population the percentage refers to), for
averages (WOZ, income per inhabitant) num_i = mean_i x base_i (a base-weighted mean). A member without a
value makes the group value missing (never a silent partial sum), unless the members with a value hold at
least ``MIN_MEMBER_COVERAGE`` (90 %) of the group's base population: then the sum runs over those members and
the source names the missing ones (CBS keeps e.g. the income of WK0363TA Amstel III/Bullewijk secret). A
group of one member is that member's value. The aggregate is ranked against the **same reference** as the
areas (``ScoreResult.ref_sorted``) and scored with the same domain/stacking/composite rules (the registry
drives everything, so new indicators or domains need no change here).

Comparators: the gemeente row of every gemeente a focus area lies in (the CBS value for the whole gemeente,
as published) and Nederland: the ``NL00`` row when the data have one (an imported file may supply it),
otherwise the sum over a national frame (all gemeenten) when its areas with a value hold at least
``NL_MIN_COVERAGE`` of the inhabitants (the source then says "som over N gemeenten: ..." and names the
sources, e.g. the Wijk- en Buurtkaart for working-age groups derived from its %); otherwise "niet beschikbaar".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from indicators.columns import population_reason, score_parts, suppress_small
from indicators.engine import ScoreResult, population
from indicators.focus import FOCUS_AREAS, FocusArea, _raise, unique_ids
from indicators.rates import UserValues, _indexed, resolve_indicator, resolve_source_indicator
from indicators.registry import INDICATORS

NL_CODE = "NL00"
NL_MIN_COVERAGE = 0.99
MIN_MEMBER_COVERAGE = 0.9
NOT_AVAILABLE = "niet beschikbaar"


def aggregate_parts(
    part: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    scale: float,
    min_member_coverage: float = MIN_MEMBER_COVERAGE,
) -> pd.DataFrame:
    """Sum numerators and denominators of member areas per group: value = scale x sum(num) / sum(den).

    ``part``: ``value, num, den, year, source`` indexed by code. A group of one member is that member.
    Members without a value are left out only when the members *with* a value hold at least
    ``min_member_coverage`` of the group's denominator (base population) and every member's base is known;
    the source then names the missing members. Otherwise the group value is NaN (never a silent partial sum).
    ``year`` is the latest member year used, ``source`` the distinct member sources; ``why`` the reason code of a
    missing group value (``engine.WHY_CODES``: ``members:<share>:<codes without a value>``), ``dropped`` a single
    member's rule-D2 flag (``rates.resolve_indicator``).
    """
    rows = {}
    for gid, codes in groups.items():
        sub = part.reindex(list(codes))
        if len(sub) == 1:
            rows[gid] = sub.iloc[0].to_dict()
            continue
        has = sub["value"].notna() & sub["num"].notna() & sub["den"].notna()
        total = sub["den"].sum(min_count=len(sub))  # NaN when a member's base is unknown
        used = sub["den"][has].sum()
        coverage = used / total if total > 0 else 0.0
        if not has.any() or not coverage >= min_member_coverage:
            # the reason as a code (engine.WHY_CODES): share of the base with a value, members without one
            share = f"{coverage:.4f}" if np.isfinite(coverage) else "nan"
            rows[gid] = {
                "value": np.nan,
                "num": np.nan,
                "den": np.nan,
                "year": pd.NA,
                "source": pd.NA,
                "why": f"members:{share}:{','.join(sub.index[~has])}",
            }
            continue
        source = " | ".join(sorted({str(s) for s in sub["source"][has].dropna()}))
        missing = list(sub.index[~has])
        if missing:
            source += f" (zonder {', '.join(missing)}: {1 - coverage:.0%} van de noemer)"
        rows[gid] = {
            "value": scale * sub["num"][has].sum() / used,
            "num": sub["num"][has].sum(),
            "den": used,
            "year": int(sub["year"][has].max()),
            "source": source,
        }
    out = pd.DataFrame.from_dict(
        rows, orient="index", columns=["value", "num", "den", "year", "source", "why", "dropped"]
    )
    out["why"] = out["why"].fillna("").astype(object)
    out["dropped"] = out["dropped"].fillna(False).astype(bool)
    out["value"] = out["value"].astype("float64")
    out["year"] = out["year"].astype("Int64")
    out["source"] = out["source"].astype("string")
    return out


def national_parts(
    result: ScoreResult,
    national: pd.DataFrame | None,
    user_values: Sequence[UserValues] = (),
    attributes: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], str]:
    """Indicator parts of Nederland (one row ``NL00``) and a note on how they were obtained.

    Without an ``NL00`` row: per indicator the sum of numerators over the sum of denominators of
    ``national`` (e.g. all gemeenten), with ``attributes`` (Wijk- en Buurtkaart attributes of the same
    areas: ``code`` + e.g. ``percentage_personen_15_tot_25_jaar``) for the marked %-fallback of missing KWB
    counts (the working-age denominators of WW/AO/bijstand). Coverage below ``NL_MIN_COVERAGE`` of the
    inhabitants -> "niet beschikbaar".
    """
    year = result.settings["year"]
    nl_index = pd.Index([NL_CODE])
    if NL_CODE in result.universe.index:
        return {k: p.loc[[NL_CODE]] for k, p in result.parts.items()}, "NL00-rij uit de gegevens"
    parts = {}
    notes = set()
    frame = _indexed(national) if national is not None else None
    attrs = {year: _indexed(attributes)} if attributes is not None else None
    for ind in INDICATORS.values():
        if ind.source_id:  # a second table: the pooled rate over the national frame's areas (adults as weights)
            parts[ind.id] = _national_source(result, frame, ind, nl_index)
            continue
        own = resolve_indicator({}, year, ind, nl_index, user_values=user_values)
        if own["value"].notna().all():
            parts[ind.id] = own
            notes.add(f"{ind.id}: NL00 uit {own['source'].iloc[0]}")
            continue
        if frame is None:
            parts[ind.id] = own
            continue
        p = resolve_indicator({year: frame}, year, ind, frame.index, user_values=user_values, attributes=attrs)
        pop = population({year: frame}, year, frame.index)
        has = p["num"].notna() & p["den"].notna()
        coverage = pop[has].sum() / pop.sum() if pop.sum() > 0 else 0.0
        agg = aggregate_parts(p[has], {NL_CODE: list(p.index[has])}, ind.scale) if has.any() else own
        if coverage < NL_MIN_COVERAGE:
            agg = own.copy()
            agg["source"] = f"{NOT_AVAILABLE} (dekking {coverage:.0%} van de inwoners)"
        else:
            agg["source"] = f"som over {int(has.sum())} {_plural(frame)}: " + agg["source"].astype(str)
        parts[ind.id] = agg.reindex(nl_index)
    return parts, "; ".join(sorted(notes)) or "som over het landelijke bestand"


def _national_source(result: ScoreResult, frame: pd.DataFrame | None, ind, nl_index: pd.Index) -> pd.DataFrame:
    """Nederland of a second-table indicator: sum(value x adults) / sum(adults) over the national frame's areas
    that have both (``rates.resolve_source_indicator``), all of them needed (else "niet beschikbaar")."""
    year = result.settings["year"]
    source = result.sources.get(str(ind.source_id))
    if frame is None or source is None:
        own = resolve_source_indicator({}, year, ind, nl_index, source)
        own["source"] = pd.array([NOT_AVAILABLE], dtype="string")
        return own
    p = resolve_source_indicator({year: frame}, year, ind, frame.index, source)
    has = p["num"].notna() & p["den"].notna()
    if not has.any() or not (p["den"].notna() | ~p["value"].notna()).all():
        own = resolve_source_indicator({}, year, ind, nl_index, None)
        own["source"] = pd.array([f"{NOT_AVAILABLE} (volwassenen onbekend)"], dtype="string")
        return own
    agg = aggregate_parts(p[has], {NL_CODE: list(p.index[has])}, ind.scale)
    agg["source"] = f"som over {int(has.sum())} {_plural(frame)}: " + agg["source"].astype(str)
    return agg.reindex(nl_index)


_PLURAL = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def _plural(frame: pd.DataFrame) -> str:
    """What the national frame's rows are, in the plural ("gemeenten"); "gebieden" for a mix or no level."""
    levels = set(frame["level"].dropna()) if "level" in frame.columns else set()
    return _PLURAL.get(levels.pop(), "gebieden") if len(levels) == 1 else "gebieden"


def _as_mapping(focus_areas: Mapping[str, FocusArea] | Sequence[FocusArea] | None) -> dict[str, FocusArea]:
    if focus_areas is None:
        return dict(FOCUS_AREAS)
    if isinstance(focus_areas, Mapping):
        return dict(focus_areas)
    return {f.id: f for f in unique_ids(list(focus_areas))}


def score_focus(
    result: ScoreResult,
    focus_areas: Mapping[str, FocusArea] | Sequence[FocusArea] | None = None,
    *,
    comparators: bool = True,
    national: pd.DataFrame | None = None,
    user_values: Sequence[UserValues] = (),
    national_attributes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per focus area (plus gemeente and Nederland comparators), scored against ``result.reference``.

    ``focus_areas``: a mapping id -> FocusArea or a list (ids made unique); any number, members from any
    gemeenten of ``result`` at its level (a member not scored in ``result`` -> UserInputError naming it).
    ``national``: a national tidy frame of the same year (e.g. all gemeenten) for the Nederland row when the
    data have no ``NL00`` row; ``national_attributes`` its Wijk- en Buurtkaart attributes (%-fallback).
    Columns: ``id, name, kind (focus|gemeente|land), members, gemeenten, level`` followed by the same
    value/rank/domain/stacking/composite columns as ``ScoreResult.table``; index = ``id``.
    """
    focus_areas = _as_mapping(focus_areas)
    missing = {f.name: [c for c in f.codes if c not in result.universe.index] for f in focus_areas.values()}
    missing = {k: v for k, v in missing.items() if v}
    if missing:
        text = "; ".join(f"'{k}': {', '.join(v[:10])}" for k, v in missing.items())
        _raise(
            f"Leden van focusgebieden zitten niet in de berekende gegevens ({result.settings['level']}, "
            f"{result.settings['year']}): {text}. Kies de gemeenten van deze leden of het juiste niveau.",
            f"Focus-area members are not in the scored data ({result.settings['level']}, "
            f"{result.settings['year']}): {text}. Select their gemeenten or the right level.",
        )
    groups = {f.id: f.codes for f in focus_areas.values()}
    parts = {k: aggregate_parts(p, groups, INDICATORS[k].scale) for k, p in result.parts.items()}
    info = [
        {
            "id": f.id,
            "name": f.name,
            "kind": "focus",
            "members": ";".join(f.codes),
            "gemeenten": ";".join(f.gemeenten),
            "level": f.level,
        }
        for f in focus_areas.values()
    ]
    if comparators:
        gms = list(dict.fromkeys(g for f in focus_areas.values() for g in f.gemeenten))
        have = [g for g in gms if g in result.universe.index]
        for k in parts:
            parts[k] = pd.concat([parts[k], result.parts[k].reindex(have)])
        for g in gms:
            name = result.universe["name"].get(g, g) if g in have else g
            info.append(
                {
                    "id": g,
                    "name": name if isinstance(name, str) else g,
                    "kind": "gemeente",
                    "members": g if g in have else NOT_AVAILABLE,
                    "gemeenten": g,
                    "level": "gemeente",
                }
            )
        nl, note = national_parts(result, national, user_values, national_attributes)
        for k in parts:
            parts[k] = pd.concat([parts[k], nl[k]])
        info.append(
            {"id": NL_CODE, "name": "Nederland", "kind": "land", "members": note, "gemeenten": "", "level": "land"}
        )
    ids = [str(r["id"]) for r in info]
    parts = {k: p.reindex(ids) for k, p in parts.items()}
    # A focus area is a sum of its members: below the minimum population it is suppressed like any area.
    pop = result.universe["population"] if "population" in result.universe.columns else pd.Series(dtype=float)
    focus_pop = pd.Series(
        {f.id: pop.reindex(list(f.codes)).sum(min_count=len(f.codes)) for f in focus_areas.values()}, dtype="float64"
    ).reindex(ids)
    small = (focus_pop < result.settings["min_population"]).fillna(False)
    suppressed = pd.Series(small.to_numpy(dtype=bool), index=pd.Index(ids))
    reasons = pd.Series(
        np.where(suppressed, population_reason(result.settings["min_population"]), ""),
        index=suppressed.index,
        dtype=object,
    )
    for ind in INDICATORS.values():
        parts[ind.id], reasons = suppress_small(ind, parts[ind.id], reasons)
    # The gemeente base (indicators ranked against the own gemeente) of each row: a focus area's only gemeente;
    # a focus area over several gemeenten has no single own gemeente and gets no rank there ("").
    row_gm = {f.id: (f.gemeenten[0] if len(f.gemeenten) == 1 else "") for f in focus_areas.values()}
    row_gm.update({str(r["id"]): str(r["gemeenten"]) for r in info if r["kind"] == "gemeente"})
    row_gemeente = np.array([row_gm.get(i, "") for i in ids], dtype=object)
    cols, _, _ = score_parts(
        parts,
        suppressed,
        result.ref_sorted,
        result.weights,
        result.settings,
        ref_domains=result.ref_domains,
        row_gemeente=row_gemeente,
    )
    head = pd.DataFrame(info, index=suppressed.index)
    head["year"] = result.settings["year"]
    head["reference"] = result.reference.text("nl")
    head["population"] = focus_pop.combine_first(pop.reindex(ids)).to_numpy()
    out = pd.concat([head, cols], axis=1)
    out["suppressed_reason"] = reasons.replace("", pd.NA).astype("string")
    return out


def focus_profile(result: ScoreResult, area: FocusArea, **score_kw) -> tuple[pd.Series, pd.DataFrame]:
    """Buurtprofiel of a focus area: its aggregated score row (as for one wijk, from :func:`score_focus`
    with comparators) and its members' own rows from ``result.universe`` (in member order)."""
    table = score_focus(result, [area], **score_kw)
    return table.loc[area.id], result.universe.reindex(list(area.codes))
