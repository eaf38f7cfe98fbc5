"""Hotspots: local Moran's I (LISA) on Queen contiguity, with a stated error rate.

    I_i = (z_i / m2) * sum_j w_ij z_j,   z = x - mean(x),  m2 = sum(z^2) / n,

with row-standardised Queen weights (areas sharing at least one boundary point are neighbours). Significance
by conditional permutation (``permutations`` draws, fixed ``seed``), pseudo p-value ``p_sim`` =
(count of permuted I_i at least as extreme + 1) / (permutations + 1), as ``esda.moran.Moran_Local`` computes it.

One test per area means many tests: at ``p_sim <= 0.05`` without correction about 5-10 % of the areas of a
map of pure noise come out "significant". The default is therefore a **multiple-testing correction** over the
n areas *tested* (areas with a value and at least one neighbour; ``attrs['n_tested']``):

* ``"fdr"`` (default): Benjamini-Hochberg (1995) at level ``alpha``, textbook form: sort p_(1) <= ... <= p_(n),
  k* = max{k : p_(k) <= k alpha / n}; significant are the areas with p <= k* alpha / n (none when no k exists).
  Expected share of false hotspots among those shown <= alpha (:func:`benjamini_hochberg`);
* ``"bonferroni"``: p <= alpha / n (chance of even one false hotspot <= alpha);
* ``"none"``: p <= alpha (per-area error rate only; shown as such, with no claim of how many to expect).

Quadrant labels (``lisa``): HH (high value among high neighbours: a hotspot), LL, HL, LH; ``ns`` when not
significant under the rule. Areas without a value get ``geen gegevens`` and are left out of the weights (their
neighbours are computed without them); areas without neighbours get ``geen buren``.
References: Anselin, L. (1995), "Local Indicators of Spatial Association - LISA", Geographical Analysis 27(2),
93-115; Benjamini, Y. & Hochberg, Y. (1995), J. R. Stat. Soc. B 57(1), 289-300; Castro, M. C. & Singer, B. H.
(2006), "Controlling the false discovery rate: a new application to account for multiple and dependent tests
in local statistics of spatial association", Geographical Analysis 38(2), 180-208.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from pyproj import CRS

from core.crs import RD_NEW
from core.numbers import format_number

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
NO_DATA = "geen gegevens"
NO_NEIGHBOURS = "geen buren"
NOT_SIGNIFICANT = "niet significant"
NS = "ns"
MIN_AREAS = 5
CORRECTIONS = ("fdr", "bonferroni", "none")


#: The map's hotspot rule (pages: the Kaart's hotspot layer; its legend and the method page word it with
#: ``rule_text(**MAP_RULE)``): significance level and multiple-testing correction of local Moran's I.
MAP_RULE = {"alpha": 0.05, "correction": "fdr"}


def rule_text(
    alpha: float = 0.05,
    correction: str = "fdr",
    lang: str = "nl",
    *,
    permutations: int = 999,
    n_tested: int | None = None,
) -> str:
    """The significance rule in words (legend, method page, CLI): the same sentence everywhere. ``permutations``:
    the setting used; ``n_tested``: the number of areas tested (named when given)."""
    a = format_number(alpha, None, lang)
    n = format_number(int(permutations), 0, lang)
    if lang == "nl":
        tested = (
            f"de {n_tested} getoetste gebieden" if n_tested is not None else "de getoetste gebieden"
        ) + " (met een waarde en minstens één buur)"
    else:
        tested = (
            f"the {n_tested} areas tested" if n_tested is not None else "the areas tested"
        ) + " (with a value and at least one neighbour)"
    texts = {
        "fdr": {
            "nl": f"lokale Moran's I, {n} permutaties; significant bij een false discovery rate van {a} "
            f"(Benjamini-Hochberg over {tested})",
            "en": f"local Moran's I, {n} permutations; significant at a false discovery rate of {a} "
            f"(Benjamini-Hochberg over {tested})",
        },
        "bonferroni": {
            "nl": f"lokale Moran's I, {n} permutaties; significant bij p ≤ {a} / aantal getoetste "
            f"gebieden (Bonferroni over {tested})",
            "en": f"local Moran's I, {n} permutations; significant at p ≤ {a} / number of areas tested "
            f"(Bonferroni over {tested})",
        },
        "none": {
            "nl": f"lokale Moran's I, {n} permutaties; p ≤ {a} per gebied, zonder correctie voor het aantal "
            f"getoetste gebieden: ook op een kaart zonder patroon is een deel 'significant'",
            "en": f"local Moran's I, {n} permutations; p ≤ {a} per area, not corrected for the number of "
            f"areas tested: even a map without pattern shows some 'significant' areas",
        },
    }
    return texts[check_correction(correction)][lang]


def check_correction(correction: str) -> str:
    if correction not in CORRECTIONS:
        raise ValueError(f"correction '{correction}' does not exist; must be one of: {', '.join(CORRECTIONS)}")
    return correction


def benjamini_hochberg(p: np.ndarray, alpha: float = 0.05) -> float:
    """The Benjamini-Hochberg cut-off: significant are the p <= the returned value.

    With p_(1) <= ... <= p_(n) the n finite p-values sorted, k* = max{k : p_(k) <= k alpha / n} and the cut-off is
    k* alpha / n; 0.0 when no k qualifies (no p-value of a permutation test is 0, so nothing is significant).
    Benjamini, Y. & Hochberg, Y. (1995), "Controlling the false discovery rate", J. R. Stat. Soc. B 57(1),
    289-300, step-up procedure (1). ``esda.fdr`` uses ``<`` instead of ``<=`` and misses p_(k) = k alpha / n.

    >>> round(benjamini_hochberg(np.array([0.01, 0.02, 0.03, 0.5]), 0.05), 12)   # p_(3) = 0.03 <= 3 x 0.05 / 4
    0.0375
    """
    p = np.sort(np.asarray(p, dtype="float64")[np.isfinite(p)])
    n = p.size
    if n == 0:
        return 0.0
    line = alpha * np.arange(1, n + 1) / n
    ok = np.flatnonzero(p <= line)
    return float(line[ok[-1]]) if ok.size else 0.0


def significance_cutoff(p: np.ndarray, alpha: float = 0.05, correction: str = "fdr") -> float:
    """The p_sim cut-off: an area is significant when p_sim <= cut-off (see the module docstring)."""
    check_correction(correction)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie between 0 and 1, not {alpha}")
    p = np.asarray(p, dtype="float64")
    p = p[np.isfinite(p)]
    if p.size == 0:
        return 0.0
    if correction == "none":
        return float(alpha)
    if correction == "bonferroni":
        return float(alpha) / p.size
    return benjamini_hochberg(p, alpha)


def _queen(gdf):
    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are labelled below
        return Queen.from_dataframe(gdf, use_index=False)


def local_moran(
    boundaries,
    values: pd.Series,
    *,
    permutations: int = 999,
    seed: int = 12345,
    alpha: float = 0.05,
    correction: str = "fdr",
) -> pd.DataFrame:
    """LISA per area of ``boundaries`` (GeoDataFrame with ``code``, in EPSG:28992) for ``values`` (index code).

    Returns columns ``code, value, I, p, p_sim, significant, quadrant, lisa, label`` (``lisa``: HH/LL/HL/LH or
    ``ns``; ``label``: HH/LL/HL/LH, "niet significant", "geen buren" or "geen gegevens"), with the rule in
    ``attrs['rule']``, the cut-off in ``attrs['cutoff']`` (significant: ``p_sim <= cutoff``), the number of areas
    tested in ``attrs['n_tested']`` and ``attrs['permutations']``.
    """
    from esda.moran import Moran_Local

    check_correction(correction)
    if boundaries.crs is None or CRS.from_user_input(boundaries.crs) != CRS.from_user_input(RD_NEW):
        raise ValueError(f"boundaries must be in {RD_NEW} (RD New), not {boundaries.crs}")
    gdf = boundaries[["code", "geometry"]].drop_duplicates("code").reset_index(drop=True)
    x = pd.to_numeric(values.reindex(gdf["code"]), errors="coerce").to_numpy(dtype="float64")
    out = pd.DataFrame(
        {
            "code": gdf["code"],
            "value": x,
            "I": np.nan,
            "p": np.nan,
            "significant": False,
            "quadrant": pd.NA,
            "lisa": pd.NA,
            "label": NO_DATA,
        }
    )
    out.attrs.update(
        rule=rule_text(alpha, correction, permutations=permutations, n_tested=0),
        alpha=alpha,
        correction=correction,
        cutoff=np.nan,
        n_tested=0,
        permutations=permutations,
    )
    ok = np.isfinite(x)
    if ok.sum() < MIN_AREAS:
        return _finish(out)
    sub = gdf[ok].reset_index(drop=True)
    w = _queen(sub)
    islands = np.zeros(len(sub), dtype=bool)
    islands[list(w.islands)] = True
    idx = np.flatnonzero(ok)
    out.loc[idx[islands], "label"] = NO_NEIGHBOURS
    keep = ~islands
    if keep.sum() < MIN_AREAS:
        return _finish(out)
    if islands.any():
        w = _queen(sub[keep].reset_index(drop=True))
    w.transform = "r"
    rows = idx[keep]
    y = x[rows]
    out.attrs.update(
        n_tested=len(rows), rule=rule_text(alpha, correction, permutations=permutations, n_tested=len(rows))
    )
    if np.nanstd(y) == 0:
        out.loc[rows, "label"] = NOT_SIGNIFICANT
        out.loc[rows, "lisa"] = NS
        return _finish(out)
    lisa = Moran_Local(y, w, permutations=permutations, seed=seed)
    cutoff = significance_cutoff(lisa.p_sim, alpha, correction)
    sig = lisa.p_sim <= cutoff
    quadrant = np.array([QUADRANTS[int(q)] for q in lisa.q], dtype=object)
    out.loc[rows, "I"] = lisa.Is
    out.loc[rows, "p"] = lisa.p_sim
    out.loc[rows, "significant"] = sig
    out.loc[rows, "quadrant"] = quadrant
    out.loc[rows, "lisa"] = np.where(sig, quadrant, NS)
    out.loc[rows, "label"] = np.where(sig, quadrant, NOT_SIGNIFICANT)
    out.attrs.update(
        cutoff=cutoff,
        n_tested=len(rows),
        rule=rule_text(alpha, correction, permutations=permutations, n_tested=len(rows)),
    )
    return _finish(out)


def _finish(out: pd.DataFrame) -> pd.DataFrame:
    out["p_sim"] = out["p"]
    out["significant"] = out["significant"].astype(bool)
    return out[["code", "value", "I", "p", "p_sim", "significant", "quadrant", "lisa", "label"]]
