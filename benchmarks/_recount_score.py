"""The recount's scoring of a set of areas (issue 21): indicator ranks, domain scores and ranks, stacking,
composite, intervals and reference values, then the words (``_recount_labels``); for ``indicators score``
(``recount_score``) and for focus areas (``_recount_focus``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks._recount_calc import (
    ABSENT_DOMAINS,
    D1_MIN,
    DOMAINS,
    INDICATORS,
    STATED,
    domain_ranks,
    domain_scores,
    income,
    indicator_ranks,
    kwb_table,
    pdok_wijken,
    poisson_interval,
    values,
)
from benchmarks._recount_labels import labels


def context(sel: pd.DataFrame, ref: pd.DataFrame) -> pd.DataFrame:
    """Intervals for rates from counts and the reference value beside the context indicators (pooled: the sum of
    the numerators over the sum of the denominators of the reference areas with a value, at least 10 of them)."""
    out = pd.DataFrame(index=sel.index)
    for ind, dom, _d, kind, _m in INDICATORS:
        scale = 1000.0 if ind == "bijstand_per_1000" else 100.0
        if kind == "count":
            lo, hi = poisson_interval(sel[f"{ind}__num"], sel[f"{ind}__den"], scale)
            out[f"{ind}__low"], out[f"{ind}__high"] = lo.where(sel[ind].notna()), hi.where(sel[ind].notna())
        if dom is None:
            r = ref[~ref["suppressed"] & ref[ind].notna()]
            val = scale * r[f"{ind}__num"].sum() / r[f"{ind}__den"].sum() if len(r) >= D1_MIN else np.nan
            out[f"{ind}__ref_value"] = val
    return out


def stacking_composite(
    dom: pd.DataFrame, ranks: pd.DataFrame, suppressed: pd.Series, ref_has: dict[str, bool], w: dict[str, float]
) -> pd.DataFrame:
    """'k van n bekend (m domeinen)' and the weighted mean over known weighted domains, needing
    min(3, weighted domains with data in the reference)."""
    out = pd.DataFrame(index=dom.index)
    weighted = [d for d in DOMAINS if w.get(d, 1.0) > 0 and d not in ABSENT_DOMAINS]
    banded = pd.DataFrame({d: ranks[f"domain__{d}__band"] == True for d in weighted})  # noqa: E712
    known = pd.DataFrame({d: dom[f"domain__{d}"].notna() for d in weighted})
    out["stacking_count"] = banded.sum(axis=1)
    out["stacking_domains"] = banded.apply(lambda r: ";".join(d for d in weighted if r[d]), axis=1)
    out["stacking_known"], out["stacking_m"] = known.sum(axis=1), len(weighted)
    for col in ("stacking_count", "stacking_domains", "stacking_known"):  # suppressed: no stacking
        out[col] = out[col].where(~suppressed)
    for col in ("stacking_count", "stacking_domains"):  # no domain known: no count either
        out[col] = out[col].where((known.sum(axis=1) > 0) | (not STATED["rules"]))
    need = min(3, sum(1 for d in weighted if ref_has[d]))
    num = sum(w.get(d, 1.0) * dom[f"domain__{d}"].fillna(0) for d in weighted)
    den = sum(w.get(d, 1.0) * dom[f"domain__{d}"].notna() for d in weighted)
    out["composite"] = (num / den).where(known.sum(axis=1) >= need)
    out["composite__n"], out["composite__m"], out["composite__need"] = known.sum(axis=1), len(weighted), need
    return out


def score_areas(
    areas: pd.DataFrame, nat: pd.DataFrame | None, local: pd.DataFrame, reference: str, kwb: pd.DataFrame
) -> pd.DataFrame:
    """All figures of ``areas`` against ``nat`` (Nederland) or, ``nat`` None, the selection ``local``; D1 falls
    back to the areas of ``local`` in the same gemeente."""
    same = areas is local
    ranks = indicator_ranks(areas, nat, None if same else local)
    dom = domain_scores(ranks)
    local_dom = (dom if same else domain_scores(indicator_ranks(local, nat))).assign(
        gemeente_code=local["gemeente_code"]
    )
    local_dom = local_dom[~local["suppressed"]].drop(columns=[] if not same else ["gemeente_code"])
    if nat is not None:
        ref_dom = domain_scores(indicator_ranks(nat, nat))[~nat["suppressed"]]
        ref_has = {d: ref_dom[f"domain__{d}"].notna().any() or local_dom[f"domain__{d}"].notna().any() for d in DOMAINS}
    else:
        ref_dom = local_dom
        ref_has = {d: ref_dom[f"domain__{d}"].notna().any() for d in DOMAINS}
    dranks = domain_ranks(dom, ref_dom, areas, None if same else local_dom)
    full = pd.concat([areas, ranks, dom, dranks, context(areas, nat if nat is not None else local)], axis=1)
    full = pd.concat([full, stacking_composite(dom, dranks, areas["suppressed"], ref_has, {})], axis=1)
    full["gemeente_code"] = areas["gemeente_code"]
    return pd.concat([full, labels(full, reference, kwb)], axis=1)


def recount_score(reference: str) -> pd.DataFrame:
    """Every figure of ``indicators score --gemeente GM0363 GM0479 --level wijk --year 2024`` with the income
    file, recomputed."""
    kwb, pdok, inc = kwb_table(), pdok_wijken(), income()
    sel_codes = pd.Index(sorted(pdok.index))
    sel = values(kwb, pdok, inc, sel_codes)
    sel["gemeente_code"] = kwb.reindex(sel_codes)["gemeente_code"]
    nat = None
    if reference == "nl":
        nat_codes = kwb.index[kwb.index.str.startswith("WK")]
        nat = values(kwb, None, inc, nat_codes)
        nat["gemeente_code"] = kwb.reindex(nat_codes)["gemeente_code"]
    return score_areas(sel, nat, sel, reference, kwb)
