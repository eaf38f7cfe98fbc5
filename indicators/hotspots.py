"""Hotspots: local Moran's I (LISA) of the composite on Queen contiguity.

    I_i = (z_i / m2) * sum_j w_ij z_j,   z = x - mean(x),  m2 = sum(z^2) / n,

with row-standardised Queen weights (areas sharing at least one boundary point are neighbours). Significance
by conditional permutation (``permutations`` draws, fixed ``seed``), pseudo p-value
(count of permuted |I| at least as extreme + 1) / (permutations + 1), as in ``esda.Moran_Local``.
Quadrant labels: HH (high composite among high neighbours: a hotspot of stacked disadvantage), LL, HL, LH;
"niet significant" when p >= ``alpha``. Areas without a composite get "geen gegevens" and are left out of the
weights (their neighbours are computed without them); areas without neighbours get "geen buren".
Reference: Anselin, L. (1995), "Local Indicators of Spatial Association - LISA", Geographical Analysis 27(2),
93-115.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

RD_NEW = "EPSG:28992"
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
NO_DATA = "geen gegevens"
NO_NEIGHBOURS = "geen buren"
NOT_SIGNIFICANT = "niet significant"
MIN_AREAS = 5


def local_moran(boundaries, values: pd.Series, *, permutations: int = 999, seed: int = 12345,
                alpha: float = 0.05) -> pd.DataFrame:
    """LISA per area of ``boundaries`` (GeoDataFrame with ``code``, in EPSG:28992) for ``values`` (index code).

    Returns columns ``code, value, I, p, significant, quadrant, label`` (label: HH/LL/HL/LH, "niet
    significant", "geen buren" or "geen gegevens").
    """
    from esda.moran import Moran_Local
    from libpysal.weights import Queen

    if boundaries.crs is None or boundaries.crs.to_string() != RD_NEW:
        raise ValueError(f"boundaries must be in {RD_NEW} (RD New), not {boundaries.crs}")
    gdf = boundaries[["code", "geometry"]].drop_duplicates("code").reset_index(drop=True)
    x = pd.to_numeric(values.reindex(gdf["code"]), errors="coerce").to_numpy(dtype="float64")
    out = pd.DataFrame({"code": gdf["code"], "value": x, "I": np.nan, "p": np.nan, "significant": False,
                        "quadrant": pd.NA, "label": NO_DATA})
    ok = np.isfinite(x)
    if ok.sum() < MIN_AREAS:
        return out
    sub = gdf[ok].reset_index(drop=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # libpysal warns about islands; they are labelled below
        w = Queen.from_dataframe(sub, use_index=False)
    islands = np.zeros(len(sub), dtype=bool)
    islands[list(w.islands)] = True
    idx = np.flatnonzero(ok)
    out.loc[idx[islands], "label"] = NO_NEIGHBOURS
    keep = ~islands
    if keep.sum() < MIN_AREAS:
        return out
    if islands.any():
        sub = sub[keep].reset_index(drop=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = Queen.from_dataframe(sub, use_index=False)
    w.transform = "r"
    y = x[idx[keep]]
    if np.nanstd(y) == 0:
        out.loc[idx[keep], "label"] = NOT_SIGNIFICANT
        return out
    lisa = Moran_Local(y, w, permutations=permutations, seed=seed)
    rows = idx[keep]
    sig = lisa.p_sim < alpha
    out.loc[rows, "I"] = lisa.Is
    out.loc[rows, "p"] = lisa.p_sim
    out.loc[rows, "significant"] = sig
    out.loc[rows, "quadrant"] = [QUADRANTS[int(q)] for q in lisa.q]
    out.loc[rows, "label"] = np.where(sig, out.loc[rows, "quadrant"].astype(str), NOT_SIGNIFICANT)
    return out
