"""The recount of ``python -m indicators hotspots --indicator composite`` (issue 21): local Moran's I of the
recounted composite, from the method text ('lokale Moran's I, 999 permutaties; significant bij een false discovery
rate van 0,05 (Benjamini-Hochberg over de getoetste gebieden (met een waarde en minstens één buur))') and the rules
stated beside it: neighbours share a border or corner (queen contiguity of the boundaries), row-standardised
weights, pseudo-p from conditional permutations (esda) with seed 12345."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from benchmarks._recount_calc import DATA

ALPHA = 0.05
PERMUTATIONS = 999
SEED = 12345
QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


def _boundaries() -> gpd.GeoDataFrame:
    folder = DATA / "derived" / "pdok_wbk2024"
    geom = gpd.read_file(folder / "wijken.rd.geojson")
    names = gpd.read_file(folder / "wijken.crs84.geojson")[["id", "wijkcode"]]
    geom["id"], names["id"] = geom["id"].astype(str), names["id"].astype(str)
    return geom.merge(names, on="id").set_index("wijkcode")


def bh_significant(p: pd.Series, alpha: float = ALPHA) -> pd.Series:
    """Textbook Benjamini-Hochberg: all p at most the largest p_(k) with p_(k) <= k * alpha / m."""
    s = np.sort(p.to_numpy())
    m = len(s)
    ok = s <= alpha * np.arange(1, m + 1) / m
    cut = s[np.nonzero(ok)[0].max()] if ok.any() else -1.0
    return p <= cut


def recount_hotspots(values: pd.Series) -> pd.DataFrame:
    """``values``: the composite per wijk (the recount's ``nl`` view)."""
    import esda
    from libpysal.weights import Queen

    geo = _boundaries()
    has = geo.loc[[c for c in geo.index if pd.notna(values.get(c))]]
    w = Queen.from_dataframe(has, use_index=True, silence_warnings=True)
    tested = has.loc[[i for i in w.id_order if w.cardinalities[i] > 0]]
    w = Queen.from_dataframe(tested, use_index=True, silence_warnings=True)
    w.transform = "r"
    y = values.loc[w.id_order].to_numpy(dtype=float)
    m = esda.Moran_Local(y, w, permutations=PERMUTATIONS, seed=SEED)
    out = pd.DataFrame(index=values.index)
    out["value"] = values
    out["I"] = pd.Series(m.Is, w.id_order)
    out["p_sim"] = pd.Series(m.p_sim, w.id_order)
    out["quadrant"] = pd.Series([QUADRANTS[q] for q in m.q], w.id_order)
    sig = bh_significant(out["p_sim"].dropna())
    out["significant"] = sig.reindex(out.index, fill_value=False).astype(bool)
    out["lisa"] = out["quadrant"].where(out["significant"], "ns").where(out["I"].notna())
    return out
