"""The per-area score columns: indicator values and ranks against their bases, why a value or rank is missing,
domain scores, ranks and bands, stacking and the composite (split from ``indicators.engine``, which orchestrates).

Pure functions over resolved indicator parts (``rates``) and the bases of ``indicators.reference``:

* :func:`indicator_columns`: per indicator value, interval, smoothed value, rank (one draw of the array kernel
  ``scores.rank_kernel``), base size and label, and the ``why`` code (``WHY_CODES``);
* :func:`domain_columns`: domain score (mean indicator rank), rank in its base, band (worst ``worst_band`` %);
* :func:`stacking_columns` / :func:`stacking_from_bands`: "k van n bekend (m domeinen)";
* :func:`composite_columns`: the weighted composite, n of m, the minimum that applied and a note code;
* :func:`score_parts`: all of these for rows with resolved parts (the engine, focus areas, sensitivity draws).

Codes and numbers only; the page layer words them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.thresholds import MIN_REFERENCE_AREAS
from indicators.ranks import exponential_transform, sorted_reference
from indicators.reference import REF, Base, IndicatorBases, gemeente_of, rank_by_key
from indicators.registry import INDICATORS, Indicator, scored_indicators
from indicators.result import COMPOSITE, STACKING, domain_column, indicator_column
from indicators.scores import DOMAIN_IDS, composite_matrix, domain_scores, rank_kernel, validate_weights, weight_vector
from indicators.smoothing import Prior, global_eb, rate_interval


def absent_domains(settings: Mapping) -> dict[str, str]:
    """Domains that cannot have a value in this view, with why (``rates.SOURCE_WHY``: ``source_absent`` -- the
    service has no such table --, ``level_absent`` -- the table has no values at this level): left out of the
    composite's m and of stacking's denominator, unlike a domain that merely lacks data (schooluitval without a
    file still counts in m)."""
    return dict(settings.get("absent_domains") or ())


def counted_weights(weights: Mapping[str, float], settings: Mapping) -> dict[str, float]:
    """``weights`` with the :func:`absent_domains` at 0 (what composite and stacking count; the view keeps its
    weights)."""
    absent = absent_domains(settings)
    return {d: 0.0 if d in absent else float(w) for d, w in weights.items()}


def has_data(settings: Mapping) -> np.ndarray | None:
    """(D,) bool: the domains with a domain score somewhere in the reference (``settings['domains_with_data']``)."""
    known = settings.get("domains_with_data")
    return None if known is None else np.array([d in known for d in DOMAIN_IDS], dtype=bool)


def composite_need(weights: Mapping[str, float], min_domains: int, data: np.ndarray | None) -> int:
    """How many weighted domains a composite needs: min(min_domains, domains with weight > 0 that have data)."""
    w = weight_vector(weights) > 0
    return int(min(min_domains, int((w & (np.ones_like(w) if data is None else data)).sum())))


#: The columns ``ScoreResult.reweight`` recomputes (a weight changes the composite and, through weight 0, stacking):
#: caches of unweighted scores must take these from the reweighted table.
REWEIGHTED_COLUMNS = (*COMPOSITE.values(), *STACKING.values())


#: ``Composite.note``: "" (a composite), "withheld" (fewer than ``Composite.need`` weighted domains known),
#: "suppressed" (the area is below the minimum population). Codes, never words: the page layer words them.
COMPOSITE_NOTES = ("", "withheld", "suppressed")


def composite_columns(
    domain_x: pd.DataFrame,
    weights: Mapping[str, float],
    min_domains: int,
    suppressed: pd.Series,
    data: np.ndarray | None = None,
) -> pd.DataFrame:
    """The ``Composite`` columns: value, n, m, need (the minimum that applied: see ``scores.composite_matrix``;
    ``data`` = :func:`has_data`) and a note code (``COMPOSITE_NOTES``; words are the page layer's)."""
    comp, n, m = composite_matrix(domain_x[list(DOMAIN_IDS)].to_numpy(), weight_vector(weights), min_domains, data)
    need = composite_need(weights, min_domains, data)
    supp = suppressed.to_numpy(dtype=bool)
    comp = np.where(supp, np.nan, comp)
    codes = np.where(supp, 2, np.where(np.isnan(comp), 1, 0))
    note = pd.Categorical.from_codes(codes, list(COMPOSITE_NOTES))
    return pd.DataFrame(
        {COMPOSITE[f]: v for f, v in (("value", comp), ("n", n), ("m", m), ("need", need), ("note", note))},
        index=domain_x.index,
    )


def domain_members() -> dict[str, list[str]]:
    """Registry indicator ids per domain (the scored ones): what a domain score averages."""
    return {d: [i.id for i in scored_indicators(d)] for d in DOMAIN_IDS}


def ranked_value(ind: Indicator, p: pd.DataFrame, prior: Prior | None, smoothing: str) -> np.ndarray:
    """The value that is ranked: the EB-smoothed rate for count-based rates (``smoothing="eb"``), else the value."""
    value = p["value"].to_numpy(dtype="float64")
    if smoothing != "eb" or not ind.count_based or prior is None or not np.isfinite(prior.m):
        return value
    return global_eb(value, p["den"].to_numpy(dtype="float64"), prior, ind.scale)


def indicator_columns(
    parts: Mapping[str, pd.DataFrame],
    suppressed: pd.Series,
    ref_sorted: Mapping[str, np.ndarray],
    settings: Mapping,
    *,
    row_gemeente: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """Per indicator value, interval, smoothed value, rank, base size and label; then the domain scores."""
    index = suppressed.index
    keys_gm = row_gemeentes(index) if row_gemeente is None else np.asarray(row_gemeente, dtype=object)
    bases = getattr(ref_sorted, "bases", None) or {
        k: IndicatorBases("ref", {REF: Base(REF, np.asarray(v), {"nl": "", "en": ""})}) for k, v in ref_sorted.items()
    }
    supp = suppressed.to_numpy(dtype=bool)
    cols: dict[str, object] = {}
    ranks = {}
    for ind in INDICATORS.values():
        p = parts[ind.id]
        ib = bases.get(ind.id, IndicatorBases("none"))
        keys = np.full(len(index), REF, dtype=object) if ib.mode == "ref" else keys_gm
        value = p["value"].to_numpy(dtype="float64")
        smoothed, rank = rank_kernel(
            value[:, None],
            p["den"].to_numpy(dtype="float64"),
            keys,
            {k: b.sorted for k, b in ib.bases.items()},
            ib.priors,
            direction=ind.direction,
            scale=ind.scale,
            smooth=ind.count_based and settings.get("smoothing", "eb") == "eb",
            skip=supp,
        )  # the array kernel with one draw (``sensitivity.data_draws`` runs it with N)
        ranked, r = smoothed[:, 0], rank[:, 0]
        ranks[ind.id] = pd.Series(r, index=index)
        ref_n = np.full(len(index), np.nan)
        label = np.full(len(index), None, dtype=object)
        for key, b in ib.bases.items():
            rows = (keys == key) & np.isfinite(r)
            ref_n[rows] = b.n
            label[rows] = b.label["nl"]
        cols[ind.id] = p["value"]
        cols[indicator_column(ind.id, "rank")] = r
        cols[indicator_column(ind.id, "year")] = p["year"]
        cols[indicator_column(ind.id, "source")] = p["source"]
        ref_n_col = pd.array(np.where(np.isnan(ref_n), 0, ref_n).astype("int64"), dtype="Int64")
        ref_n_col[np.isnan(ref_n)] = pd.NA
        cols[indicator_column(ind.id, "base_n")] = ref_n_col
        cols[indicator_column(ind.id, "base_label")] = pd.Categorical(label)
        cols[indicator_column(ind.id, "why")] = pd.Categorical(
            why_codes(ind, p, r, keys, ib, supp, settings.get("min_reference_values", MIN_REFERENCE_AREAS))
        )
        if not ind.scored:
            cols[indicator_column(ind.id, "ref_value")] = np.full(len(index), ib.ref_value)
        if ind.count_based:
            lo, hi = rate_interval(
                p["num"].to_numpy("float64"), p["den"].to_numpy("float64"), ind.scale, ind.count_rounding
            )
            cols[indicator_column(ind.id, "low")], cols[indicator_column(ind.id, "high")] = lo, hi
            cols[indicator_column(ind.id, "smoothed")] = (
                np.where(np.isfinite(value), ranked, np.nan)
                if settings.get("smoothing", "eb") == "eb"
                else np.full(len(index), np.nan)
            )
    dscore, dn, dm = domain_scores(pd.DataFrame(ranks, index=index), domain_members(), settings["min_indicator_share"])
    dscore = dscore.mask(suppressed, axis=0)
    out = pd.DataFrame(cols, index=index)
    out["suppressed"] = supp
    return out, dscore, dn, dm


#: Why an indicator has no value or no rank (``IndicatorScores.why``; codes, the page layer words them):
#: ``suppressed`` (area below the minimum population), ``den_small`` (value withheld: denominator below the
#: indicator's minimum), ``boundary_changed`` (rule D2: a value of an earlier year or imported file exists, but the
#: area's code or boundaries changed since), ``no_value``, ``members:<share>:<codes>`` (a focus area whose members
#: with a value hold less than the coverage minimum of its base; ``codes`` lack a value), ``base_small:<n>:<min>``
#: (rule D1: the own gemeente has only n areas with a value, min needed), ``no_base`` (no base at all);
#: "" where there is a rank (or, for context indicators, a value).
#: ``level_absent`` / ``source_absent``: a second table's value cannot exist here (``rates.SOURCE_WHY``).
WHY_CODES = (
    "suppressed",
    "den_small",
    "boundary_changed",
    "no_value",
    "members",
    "base_small",
    "no_base",
    "level_absent",
    "source_absent",
)


def why_codes(
    ind: Indicator,
    p: pd.DataFrame,
    rank: np.ndarray,
    keys: np.ndarray,
    ib: IndicatorBases,
    supp: np.ndarray,
    min_values: int = MIN_REFERENCE_AREAS,
) -> np.ndarray:
    """The ``IndicatorScores.why`` code per row (see ``WHY_CODES``)."""
    n = len(p)
    value = p["value"].to_numpy(dtype="float64")
    out = np.full(n, "", dtype=object)
    missing = np.isnan(value)
    out[missing] = "no_value"
    if "dropped" in p.columns:
        out[missing & p["dropped"].fillna(False).to_numpy(dtype=bool)] = "boundary_changed"
    if "why" in p.columns:
        given = p["why"].fillna("").astype(str).to_numpy(dtype=object)
        out = np.where(missing & (given != ""), given, out)
    den = p["den"].to_numpy(dtype="float64")
    if ind.min_denominator > 0:
        out[missing & (den < ind.min_denominator)] = "den_small"
    if ind.scored:
        unranked = ~missing & ~np.isfinite(rank)
        out[unranked] = "no_base"
        for key, have in ib.small.items():
            out[unranked & (keys == key)] = f"base_small:{have}:{min_values}"
    out[supp] = "suppressed"
    return out


def domain_columns(
    dscore: pd.DataFrame,
    dn: pd.DataFrame,
    dm: Mapping[str, int],
    suppressed: pd.Series,
    ref_domains: Mapping[str, np.ndarray],
    settings: Mapping,
    row_gemeente: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Domain score, rank in its base, band, base size/label; stacking; the matrix for the composite.

    ``ref_domains``: a ``RefDomains`` (or a plain dict of sorted reference domain scores).
    """
    index = dscore.index
    keys_gm = row_gemeentes(index) if row_gemeente is None else np.asarray(row_gemeente, dtype=object)
    by_key = getattr(ref_domains, "by_key", None) or {d: {REF: np.asarray(v)} for d, v in ref_domains.items()}
    labels = getattr(ref_domains, "labels", None) or {d: {} for d in ref_domains}
    modes = getattr(ref_domains, "mode", None) or {}
    cut = 100.0 - settings["worst_band"]
    cols: dict[str, object] = {}
    bands, known, x = {}, {}, {}
    for d in DOMAIN_IDS:
        keys = keys_gm if modes.get(d) == "gemeente" else np.full(len(index), REF, dtype=object)
        score = dscore[d].to_numpy(dtype="float64")
        bk = {k: v for k, v in by_key.get(d, {}).items() if np.asarray(v).size}
        rank = rank_by_key(score, keys, bk, 1, strict=True)
        ok = np.isfinite(rank)
        band = pd.array(np.where(ok, rank >= cut, False), dtype="boolean")
        band[~ok] = pd.NA
        ref_n = np.full(len(index), np.nan)
        label = np.full(len(index), None, dtype=object)
        for key, v in bk.items():
            rows = (keys == key) & ok
            ref_n[rows] = np.asarray(v).size
            label[rows] = labels.get(d, {}).get(key, {}).get("nl")
        cols[domain_column(d)] = dscore[d]
        cols[domain_column(d, "n")] = dn[d]
        cols[domain_column(d, "m")] = dm[d]
        cols[domain_column(d, "rank")] = rank
        cols[domain_column(d, "band")] = band
        n_col = pd.array(np.where(np.isnan(ref_n), 0, ref_n).astype("int64"), dtype="Int64")
        n_col[np.isnan(ref_n)] = pd.NA
        cols[domain_column(d, "base_n")] = n_col
        cols[domain_column(d, "base_label")] = pd.Categorical(label)
        bands[d], known[d] = np.where(ok, rank >= cut, False), ok
        if settings["transform"] == "exp":
            x[d] = exponential_transform(rank_by_key(score, keys, bk, 1)) if bk else np.full(len(index), np.nan)
        else:
            x[d] = score
    out = pd.DataFrame(cols, index=index)
    count, names, n_known = stacking_from_bands(
        pd.DataFrame(bands, index=index), pd.DataFrame(known, index=index), suppressed
    )
    out[STACKING["k"]], out[STACKING["which"]], out[STACKING["n"]] = count, names, n_known
    out[STACKING["m"]] = len(DOMAIN_IDS)
    return out, pd.DataFrame(x, index=index)


#: ``suppressed_reason`` codes, ``;``-joined (the page layer words them): ``population:<min>`` (fewer inhabitants
#: than the minimum), ``population_unknown``, ``den_small:<indicator id>:<min>`` (a value withheld: denominator below
#: the indicator's minimum).
SUPPRESSED_CODES = ("population", "population_unknown", "den_small")


def population_reason(min_population: float) -> str:
    """The ``suppressed_reason`` code of an area below ``min_population`` inhabitants."""
    return f"population:{min_population:g}"


def suppress_small(ind: Indicator, p: pd.DataFrame, reasons: pd.Series) -> tuple[pd.DataFrame, pd.Series]:
    """Withhold values whose denominator is below ``ind.min_denominator`` (publication rule) and say why (a code;
    the value's ``IndicatorScores.why`` is ``den_small``, which the page words beside the source)."""
    small = (p["den"] < ind.min_denominator) & p["value"].notna()
    if ind.min_denominator <= 0 or not small.any():
        return p, reasons
    why = f"den_small:{ind.id}:{ind.min_denominator:g}"
    reasons = reasons.where(~small, reasons + np.where(reasons == "", "", ";") + why)
    p = p.copy()
    p.loc[small, ["value", "num"]] = np.nan
    return p, reasons


def score_parts(
    parts: Mapping[str, pd.DataFrame],
    suppressed: pd.Series,
    ref_sorted: Mapping[str, np.ndarray],
    weights: Mapping[str, float],
    settings: Mapping,
    *,
    in_ref: np.ndarray | None = None,
    ref_domains: Mapping[str, np.ndarray] | None = None,
    row_gemeente: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, Mapping[str, np.ndarray]]:
    """Indicator values/ranks, domain scores and ranks, stacking and composite for rows with resolved ``parts``.

    Ranks are against the bases of ``ref_sorted`` (a ``RefSorted`` from a ScoreResult; a plain dict of sorted
    arrays is one "ref" base per indicator). Domain ranks against ``ref_domains`` (a ``RefDomains``, e.g. the
    ScoreResult's); without it, the domain scores of the rows flagged ``in_ref`` are the base. Rows whose
    indicators use the gemeente base need ``row_gemeente`` (GM code per row; default: derived from the codes,
    so a focus area id like "zuidoost" gets no rank for such indicators unless its gemeente is passed).
    """
    cols, dscore, dn, dm = indicator_columns(parts, suppressed, ref_sorted, settings, row_gemeente=row_gemeente)
    if ref_domains is None:
        mask = np.zeros(len(suppressed), dtype=bool) if in_ref is None else np.asarray(in_ref, dtype=bool)
        ref_domains = {d: sorted_reference(dscore[d][mask], 1) for d in DOMAIN_IDS}
    dom_cols, domain_x = domain_columns(dscore, dn, dm, suppressed, ref_domains, settings, row_gemeente)
    out = pd.concat([cols, dom_cols], axis=1)
    counted = counted_weights(validate_weights(weights), settings)
    stack = stacking_columns(out, counted)
    out[stack.columns] = stack
    comp = composite_columns(domain_x, counted, settings["min_domains"], out["suppressed"], has_data(settings))
    out[comp.columns] = comp
    return out, domain_x, ref_domains


def row_gemeentes(index: pd.Index, known: Mapping[str, str] | None = None) -> np.ndarray:
    """GM code per row id: from the region code (WK0363MC -> GM0363), else from ``known`` (row id -> GM code, e.g.
    a focus area's one gemeente, passed by the caller: the engine knows no focus areas), else "" (no gemeente
    base: indicators ranked against the own gemeente get no rank)."""
    gm = gemeente_of(index)
    known = known or {}
    return np.array([g or known.get(str(c), "") for c, g in zip(index, gm)], dtype=object)


def stacking_columns(frame: pd.DataFrame, weights: Mapping[str, float] | None) -> pd.DataFrame:
    """The ``Stacking`` columns (k, which, n, m) over the domains with a
    weight above 0 (from the domain bands and ranks of ``frame``): a weight of 0 takes a domain out of the
    stacking count as out of the composite; its own rank and band stay in its columns. All weights 0 (every
    weighted domain absent, :func:`counted_weights`) counts no domain."""
    w = validate_weights(weights) if weights is None or any(float(v) > 0 for v in weights.values()) else weights
    on = [d for d in DOMAIN_IDS if w[d] > 0]
    index = frame.index
    bands = pd.DataFrame(
        {
            d: (
                pd.array(frame[domain_column(d, "band")], dtype="boolean").fillna(False).to_numpy(bool)
                if d in on
                else np.zeros(len(index), dtype=bool)
            )
            for d in DOMAIN_IDS
        },
        index=index,
    )
    known = pd.DataFrame(
        {
            d: (
                np.isfinite(pd.to_numeric(frame[domain_column(d, "rank")], errors="coerce").to_numpy(dtype="float64"))
                if d in on
                else np.zeros(len(index), dtype=bool)
            )
            for d in DOMAIN_IDS
        },
        index=index,
    )
    count, names, n_known = stacking_from_bands(bands, known, frame["suppressed"].astype(bool))
    return pd.DataFrame(
        {STACKING["k"]: count, STACKING["which"]: names, STACKING["n"]: n_known, STACKING["m"]: len(on)},
        index=index,
    )


def stacking_from_bands(
    bands: pd.DataFrame, known: pd.DataFrame, suppressed: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """k (domains in the band), their ``;``-joined ids and n (domains with a domain rank): "k van n bekend".

    k and the list are NA for suppressed areas and where no domain is known (unknown is not zero).
    """
    k = bands.sum(axis=1).astype("Int64")
    n = known.sum(axis=1).astype("Int64")
    names = np.full(len(bands), "", dtype=object)
    for d in DOMAIN_IDS:
        names = names + np.where(bands[d].to_numpy(dtype=bool), d + ";", "")
    labels = pd.Series(names, index=bands.index, dtype="string").str.rstrip(";")
    hide = suppressed.to_numpy(dtype=bool) | (n.to_numpy(dtype="int64", na_value=0) == 0)
    n = n.mask(suppressed.to_numpy(dtype=bool))
    return k.mask(hide), labels.mask(hide), n
