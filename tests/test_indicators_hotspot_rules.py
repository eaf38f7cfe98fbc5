"""The hotspot rule in words and its cut-off (``indicators/hotspots.py``), on a small grid of squares.

Mirror-free and fast: part of the mutation selection (``benchmarks/mutation.py``). The rule sentences are
written out by hand; cut-offs follow the Benjamini-Hochberg / Bonferroni definitions in the module docstring.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box

from indicators.hotspots import (
    NOT_SIGNIFICANT,
    benjamini_hochberg,
    local_moran,
    rule_text,
    significance_cutoff,
)


def _grid(k: int = 6) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": [f"BU{i:04d}" for i in range(k * k)]},
        geometry=[box(i % k * 100, i // k * 100, i % k * 100 + 100, i // k * 100 + 100) for i in range(k * k)],
        crs="EPSG:28992",
    )


def test_rule_text_in_english_names_the_count_and_the_areas_tested():
    assert rule_text(0.05, "bonferroni", "en", permutations=9999) == (
        "local Moran's I, 9,999 permutations; significant at p ≤ 0.05 / number of areas tested "
        "(Bonferroni over the areas tested (with a value and at least one neighbour))"
    )
    assert rule_text(0.1, "fdr", "en", n_tested=30) == (
        "local Moran's I, 999 permutations; significant at a false discovery rate of 0.1 "
        "(Benjamini-Hochberg over the 30 areas tested (with a value and at least one neighbour))"
    )


def test_cutoff_defaults_and_edges():
    # default alpha 0.05: p_(2) = 0.02 <= 2 x 0.05 / 3, p_(3) = 0.5 > 0.05 -> cut-off 2 x 0.05 / 3
    assert benjamini_hochberg(np.array([0.5, 0.01, 0.02])) == 2 * 0.05 / 3
    assert benjamini_hochberg(np.array([np.nan])) == 0.0  # no p-value: nothing significant
    assert significance_cutoff(np.array([0.5, 0.01, 0.02])) == 2 * 0.05 / 3
    assert significance_cutoff(np.array([0.01])) == 0.05  # one area tested: k = 1, 1 x 0.05 / 1
    assert significance_cutoff(np.array([0.01]), correction="bonferroni") == 0.05


def test_too_few_areas_say_none_were_tested_with_the_defaults():
    g = _grid(2)
    out = local_moran(g, pd.Series([1.0, 2.0, 3.0, 4.0], index=g["code"].to_numpy()))
    assert out.attrs["n_tested"] == 0 and out.attrs["permutations"] == 999
    assert out.attrs["rule"] == (
        "lokale Moran's I, 999 permutaties; significant bij een false discovery rate van 0,05 "
        "(Benjamini-Hochberg over de 0 getoetste gebieden (met een waarde en minstens één buur))"
    )
    other = local_moran(
        g, pd.Series([1.0, 2.0, 3.0, 4.0], index=g["code"].to_numpy()), correction="none", permutations=99
    )
    assert other.attrs["rule"] == (
        "lokale Moran's I, 99 permutaties; p ≤ 0,05 per gebied, zonder correctie voor het aantal getoetste "
        "gebieden: ook op een kaart zonder patroon is een deel 'significant'"
    )


def test_flat_map_tests_every_area_and_says_how_many():
    g = _grid(3)
    flat = pd.Series(4.0, index=g["code"].to_numpy())
    out = local_moran(g, flat, alpha=0.1, correction="bonferroni", permutations=99)
    assert (out["label"] == NOT_SIGNIFICANT).all() and out.attrs["n_tested"] == 9
    assert out.attrs["rule"] == (
        "lokale Moran's I, 99 permutaties; significant bij p ≤ 0,1 / aantal getoetste gebieden "
        "(Bonferroni over de 9 getoetste gebieden (met een waarde en minstens één buur))"
    )


def test_full_run_labels_and_rule_with_the_permutations_used():
    g = _grid(6)
    rng = np.random.default_rng(3)
    v = pd.Series(rng.normal(0, 1, 36), index=g["code"].to_numpy())
    v.iloc[[0, 1, 6, 7]] += 6.0  # a planted high corner
    out = local_moran(g, v, permutations=99)
    assert out.attrs["rule"] == (
        "lokale Moran's I, 99 permutaties; significant bij een false discovery rate van 0,05 "
        "(Benjamini-Hochberg over de 36 getoetste gebieden (met een waarde en minstens één buur))"
    )
    ns = ~out["significant"]
    assert ns.any() and (out.loc[ns, "label"] == NOT_SIGNIFICANT).all()
    # the documented default seed is 12345: the default run is the seeded one
    assert local_moran(g, v)["p_sim"].tolist() == local_moran(g, v, seed=12345)["p_sim"].tolist()
