"""Issue 10 on SYNTHETIC data (made-up numbers, fast): the band rule, bases, EB, intervals, hotspots, CLI helpers.

These tests are also the fast selection of the mutation run (``benchmarks/mutation.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import UserInputError
from indicators.engine import make_reference, score_areas
from indicators.reference import gemeente_of, rank_by_key, ref_label
from indicators.registry import DOMAINS as REGISTRY_DOMAINS
from indicators.smoothing import count_interval, eb_prior, eb_weight, global_eb, rate_interval
from tests.helpers_engine import age_shares, synthetic_frame

DOMAINS = tuple(REGISTRY_DOMAINS)  # gezondheid included: without its table it is absent (out of m)


def _two_gemeenten(n1=40, n2=30, seed=1):
    a = synthetic_frame(n1, seed=seed, gemeente="GM9001")
    b = synthetic_frame(n2, seed=seed + 1, gemeente="GM9002")
    frame = pd.concat([a, b], ignore_index=True)
    frame.attrs = a.attrs
    return frame


# --- the band: "in de zwakste 20 %" ---------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=20, max_size=200))
def test_strict_domain_rank_flags_at_most_20_percent_within_ties(values):
    x = np.array(values, dtype=float)
    srt = np.sort(x)
    rank = rank_by_key(x, np.full(x.size, "ref", dtype=object), {"ref": srt}, 1, strict=True)
    share = (rank >= 80).mean()
    ties = np.unique(x, return_counts=True)[1].max()
    assert 0.2 - (ties + 1) / x.size <= share <= 0.2 + 1e-12


def test_strict_domain_rank_without_ties_is_exactly_the_worst_fifth():
    x = np.arange(100.0)
    rank = rank_by_key(x, np.full(100, "ref", dtype=object), {"ref": x}, 1, strict=True)
    assert (rank >= 80).sum() == 20 and rank[80] == 80.0 and rank[79] == 79.0 and rank[0] == 0.0
    # the indicator rank (ties share the highest, at or below) is a different, documented rule
    le = rank_by_key(x, np.full(100, "ref", dtype=object), {"ref": x}, 1)
    assert le[0] == 1.0 and le[99] == 100.0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_engine_flags_20_percent_of_the_reference_per_domain(seed):
    frame = synthetic_frame(100, seed=seed)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    t = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table
    for d in DOMAINS:
        band = t[f"domain__{d}__band"].dropna()
        if len(band) < 20:
            continue
        ties = int(t[f"domain__{d}"].round(9).value_counts().max())
        n = len(band)
        assert 0.2 - (ties + 1) / n <= band.astype(bool).mean() <= 0.2, d
        assert (t.loc[band.index, f"domain__{d}__ref_n"] == n).all()
        # band is the rule "domain rank >= 80" and the rank is the share of the base doing strictly better
        ref_scores = t[f"domain__{d}"].dropna().to_numpy()
        for code in band.index[:5]:
            x = t.loc[code, f"domain__{d}"]
            assert t.loc[code, f"domain__{d}__rank"] == pytest.approx(100 * (ref_scores < x).sum() / ref_scores.size)
            assert bool(band[code]) == (t.loc[code, f"domain__{d}__rank"] >= 80)


def test_stacking_count_known_and_unknown_is_not_zero():
    frame = synthetic_frame(40)
    frame.loc[
        frame["code"] == "WK900103",
        [c for c in frame.columns if c not in ("code", "level", "name", "gemeente_code", "year", "aantal_inwoners")],
    ] = np.nan
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    t = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table
    row = t.loc["WK900103"]
    assert row["stacking_known"] == 0 and pd.isna(row["stacking_count"]) and pd.isna(row["stacking_domains"])
    full = t.loc["WK900104"]
    bands = [d for d in DOMAINS if full[f"domain__{d}__band"] is not pd.NA and bool(full[f"domain__{d}__band"])]
    known = [d for d in DOMAINS if full[f"domain__{d}__band"] is not pd.NA]
    assert full["stacking_known"] == len(known) == 5  # schooluitval has no data
    assert full["stacking_count"] == len(bands) and full["stacking_m"] == 6


# --- bases --------------------------------------------------------------------------------------------


def test_suppressed_areas_are_not_in_the_base():
    frame = synthetic_frame(40)
    frame.loc[frame["code"] == "WK900105", "aantal_inwoners"] = 150  # < 200: suppressed
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    t = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table
    assert (t["woz_waarde__ref_n"].dropna() == 39).all()
    assert pd.isna(t.loc["WK900105", "woz_waarde__rank"]) and pd.isna(t.loc["WK900105", "domain__wonen__band"])
    vals = t.loc[t.index != "WK900105", "woz_waarde"]
    x = t.loc["WK900110", "woz_waarde"]
    assert t.loc["WK900110", "woz_waarde__rank"] == pytest.approx(100 * (vals >= x).sum() / 39)


def test_nl_reference_ignores_selection_only_attributes_and_falls_back_to_the_own_gemeente():
    """Working-age counts only from PDOK (selection) -> werk ranked per gemeente, identical with or without the
    other gemeente; a national value present in the national frame is ranked against the national base."""
    nat = _two_gemeenten()
    nat = nat.drop(columns=["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"])
    attrs = age_shares(nat["code"])
    ref = make_reference(nat, "nl", "wijk", 2024)

    def run(gms):
        a = attrs[attrs["code"].str[2:6].isin([g[2:] for g in gms])]
        return score_areas(
            {2024: nat}, 2024, level="wijk", reference=ref, gemeenten=gms, attributes={2024: a}, national=nat
        ).table

    one, two = run(["GM9001"]), run(["GM9001", "GM9002"])
    codes = [c for c in one.index if c.startswith("WK9001")]
    for col in (
        "ww_werkleeftijd__rank",
        "domain__werk__rank",
        "domain__werk__band",
        "woz_waarde__rank",
        "stacking_count",
    ):
        pd.testing.assert_series_equal(one.loc[codes, col], two.loc[codes, col], check_names=False)
    assert one["ww_werkleeftijd__ref"].dropna().str.contains("geen landelijke gegevens").all()
    assert (one.loc[codes, "ww_werkleeftijd__ref_n"] == 40).all()
    assert (two.loc[two.index.str.startswith("WK9002"), "ww_werkleeftijd__ref_n"].dropna() == 30).all()
    assert (one["woz_waarde__ref_n"].dropna() == 70).all()  # woz is in the national frame: 70 wijken of NL
    assert one["woz_waarde__ref"].dropna().str.contains("van Nederland met gegevens").all()


def test_ref_label_names_the_true_base_below_half():
    ref = type("R", (), {"kind": "nl", "level": "wijk", "n_areas": 3393, "label": {}})()
    low, national = ref_label(ref, 114)
    assert low["nl"] == "t.o.v. 114 wijken met gegevens (3 % van Nederland)" and not national
    high, national = ref_label(ref, 3002)
    assert "van Nederland met gegevens" in high["nl"] and national
    assert ref_label(ref, 1697)[1] and not ref_label(ref, 1696)[1]  # half of 3393 = 1696.5


def test_gemeente_of_codes():
    assert gemeente_of(pd.Index(["WK0363MC", "BU036301", "GM0479", "zuidoost"])).tolist() == [
        "GM0363",
        "GM0363",
        "GM0479",
        "",
    ]


def test_context_indicator_has_reference_value_not_rank():
    frame = synthetic_frame(40)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    t = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table
    wijk = frame[frame["level"] == "wijk"]
    expected = 100 * wijk["buiten_europa__herkomstland"].sum() / wijk["aantal_inwoners"].sum()
    assert t["herkomst_buiten_europa__rank"].isna().all()
    assert t["herkomst_buiten_europa__ref_value"].iloc[0] == pytest.approx(expected)
    assert t["bijstand_per_1000__rank"].isna().all()


# --- smoothing and intervals ------------------------------------------------------------------------------


def test_global_eb_equals_esda_empirical_bayes_when_the_reference_is_everything():
    from esda.smoothing import Empirical_Bayes

    rng = np.random.default_rng(4)
    n = rng.integers(100, 5000, 60).astype(float)
    y = rng.poisson(rng.gamma(4.0, 0.05 / 4.0, 60) * n).astype(float)  # real between-area variation: s2 > 0
    prior = eb_prior(y, n)
    assert prior.s2 > 0  # (esda does not clip a negative variance estimate; we set it to 0, see the next test)
    ours = global_eb(y / n, n, prior)
    theirs = Empirical_Bayes(y.reshape(-1, 1), n.reshape(-1, 1)).r.ravel()
    np.testing.assert_allclose(ours, theirs, rtol=1e-9)


def test_eb_weight_grows_with_population_and_stays_between_0_and_1():
    prior = eb_prior(np.array([10.0, 50, 90, 20, 300]), np.array([500.0, 1000, 1500, 800, 4000]))
    w = eb_weight(np.array([100.0, 1000.0, 100000.0]), prior)
    assert 0 <= w[0] < w[1] < w[2] <= 1
    smoothed = global_eb(np.array([0.5]), np.array([10.0]), prior)
    assert prior.m < smoothed[0] < 0.5


def test_eb_without_between_area_variance_shrinks_to_the_mean():
    prior = eb_prior(np.array([10.0, 10, 10]), np.array([1000.0, 1000, 1000]))
    assert prior.s2 == 0.0
    assert global_eb(np.array([0.5]), np.array([50.0]), prior)[0] == pytest.approx(prior.m)


def test_poisson_interval_known_values_and_rounding():
    lo, hi = count_interval(np.array([0.0, 10.0]))
    assert lo[0] == 0.0 and hi[0] == pytest.approx(3.6889, abs=1e-3)  # Garwood, y = 0
    assert lo[1] == pytest.approx(4.7954, abs=1e-3) and hi[1] == pytest.approx(18.3904, abs=1e-3)
    rlo, rhi = count_interval(np.array([10.0]), 10.0)  # 5..15 persons
    assert rlo[0] == pytest.approx(count_interval(np.array([5.0]))[0][0])
    assert rhi[0] == pytest.approx(count_interval(np.array([15.0]))[1][0])
    lo, hi = rate_interval(np.array([10.0, 10.0]), np.array([415.0, 0.0]), 100.0, 10.0)
    assert lo[0] < 100 * 10 / 415 < hi[0] and np.isnan(lo[1])


def test_engine_ranks_the_smoothed_rate_and_shows_the_raw_one():
    frame = synthetic_frame(40)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    eb = score_areas({2024: frame}, 2024, level="wijk", reference=ref).table
    raw = score_areas({2024: frame}, 2024, level="wijk", reference=ref, smoothing="none").table
    pd.testing.assert_series_equal(eb["ww_werkleeftijd"], raw["ww_werkleeftijd"])
    assert eb["ww_werkleeftijd__eb"].notna().all() and raw["ww_werkleeftijd__eb"].isna().all()
    x = eb["ww_werkleeftijd__eb"]
    assert eb.loc["WK900107", "ww_werkleeftijd__rank"] == pytest.approx(100 * (x <= x["WK900107"]).sum() / len(x))
    assert (
        (eb["ww_werkleeftijd__low"] <= eb["ww_werkleeftijd"]) & (eb["ww_werkleeftijd"] <= eb["ww_werkleeftijd__high"])
    ).all()
    assert not np.allclose(eb["ww_werkleeftijd__rank"], raw["ww_werkleeftijd__rank"])


# --- hotspots -------------------------------------------------------------------------------------------


def _grid(k=26):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"code": [f"c{i}" for i in range(k * k)]},
        geometry=[box(i % k * 100, i // k * 100, i % k * 100 + 100, i // k * 100 + 100) for i in range(k * k)],
        crs="EPSG:28992",
    )


def test_fdr_keeps_noise_quiet_and_none_does_not():
    from indicators.hotspots import local_moran

    g = _grid()
    v = pd.Series(np.random.default_rng(0).random(len(g)), index=g["code"].to_numpy())
    fdr = local_moran(g, v, seed=0)
    none = local_moran(g, v, seed=0, correction="none")
    bonf = local_moran(g, v, seed=0, correction="bonferroni")
    assert fdr["significant"].sum() <= 2 and bonf["significant"].sum() <= 2
    assert none["significant"].sum() > 20
    assert (none["p_sim"] == fdr["p_sim"]).all()
    assert "false discovery rate van 0,05" in fdr.attrs["rule"] and "zonder correctie" in none.attrs["rule"]


def test_significance_cutoffs():
    from indicators.hotspots import significance_cutoff

    p = np.array([0.001, 0.002, 0.031, 0.2, 0.5])
    assert significance_cutoff(p, 0.05, "none") == 0.05
    assert significance_cutoff(p, 0.05, "bonferroni") == pytest.approx(0.01)
    assert significance_cutoff(p, 0.05, "fdr") == pytest.approx(0.02)  # BH: k = 2 -> 2 x 0.05 / 5
    with pytest.raises(ValueError, match="must be one of"):
        significance_cutoff(p, 0.05, "holm")


@pytest.mark.parametrize("sign, expected", [(1, "HH"), (-1, "LL")])
def test_planted_block_on_a_grid(sign, expected):
    from indicators.hotspots import local_moran

    g = _grid(12)
    v = pd.Series(np.random.default_rng(1).normal(0, 1, len(g)), index=g["code"].to_numpy())
    block = [f"c{r * 12 + c}" for r in range(4, 8) for c in range(4, 8)]
    v[block] += sign * 4
    out = local_moran(g, v, seed=2).set_index("code")
    inner = [f"c{r * 12 + c}" for r in (5, 6) for c in (5, 6)]
    assert (out.loc[inner, "lisa"] == expected).all() and (out.loc[inner, "quadrant"] == expected).all()
    assert out.loc[inner, "label"].eq(expected).all() and out.loc[inner, "significant"].all()
    assert set(out.loc[block, "lisa"]) <= {expected, "ns"}


def test_crs_compared_as_crs_objects():
    from indicators.hotspots import local_moran

    g = _grid(4)
    v = pd.Series(np.arange(16.0), index=g["code"].to_numpy())
    out = local_moran(g.set_crs("urn:ogc:def:crs:EPSG::28992", allow_override=True), v, permutations=9)
    assert len(out) == 16
    with pytest.raises(ValueError, match="EPSG:28992"):
        local_moran(g.to_crs("EPSG:4326"), v)


# --- hotspots: edge cases -------------------------------------------------------------------------------


def test_lisa_missing_values_islands_and_attrs():
    import geopandas as gpd
    from shapely.geometry import box

    from indicators.hotspots import NO_DATA, NO_NEIGHBOURS, local_moran

    g = _grid(6)
    island = gpd.GeoDataFrame({"code": ["far"]}, geometry=[box(10_000, 10_000, 10_100, 10_100)], crs="EPSG:28992")
    g = pd.concat([g, island, g.iloc[[0]]], ignore_index=True)  # + an island and a duplicate code
    g = gpd.GeoDataFrame(g, crs="EPSG:28992")
    v = pd.Series(np.random.default_rng(3).random(37), index=[*g["code"].iloc[:36], "far"])
    v["c7"] = np.nan
    out = local_moran(g, v, seed=1, alpha=0.1, correction="bonferroni")
    assert list(out.columns) == ["code", "value", "I", "p", "p_sim", "significant", "quadrant", "lisa", "label"]
    assert len(out) == 37 and out["code"].is_unique
    o = out.set_index("code")
    assert o.loc["c7", "label"] == NO_DATA and pd.isna(o.loc["c7", "lisa"]) and np.isnan(o.loc["c7", "p_sim"])
    assert o.loc["far", "label"] == NO_NEIGHBOURS and pd.isna(o.loc["far", "lisa"])
    tested = o.drop(index=["c7", "far"])
    assert tested["p_sim"].notna().all() and tested["I"].notna().all() and tested["quadrant"].notna().all()
    assert (tested["p"] == tested["p_sim"]).all() and tested["value"].tolist() == v.drop(["c7", "far"]).tolist()
    assert out.attrs["alpha"] == 0.1 and out.attrs["correction"] == "bonferroni"
    assert out.attrs["cutoff"] == pytest.approx(0.1 / 35)
    assert out["significant"].dtype == bool


def test_lisa_needs_five_areas_and_variation():
    from indicators.hotspots import NO_DATA, NOT_SIGNIFICANT, local_moran

    g = _grid(3)
    v = pd.Series([1.0, 2, 3, 4, np.nan, np.nan, np.nan, np.nan, np.nan], index=g["code"].to_numpy())
    out = local_moran(g, v)
    assert (out["label"] == NO_DATA).all() and not out["significant"].any() and np.isnan(out.attrs["cutoff"])
    v5 = pd.Series([1.0, 2, 3, 4, 5, np.nan, np.nan, np.nan, np.nan], index=g["code"].to_numpy())
    assert local_moran(g, v5, permutations=9)["p_sim"].notna().sum() == 5
    flat = local_moran(g, pd.Series(7.0, index=g["code"].to_numpy()))
    assert (flat["label"] == NOT_SIGNIFICANT).all() and (flat["lisa"] == "ns").all() and not flat["significant"].any()


def test_rule_texts():
    """Issue 21: the permutation count is the setting, the tested set is named (with its count when known) and
    "none" claims no expected share it did not measure (it said "ongeveer 0,05" where 9.2 % was measured)."""
    from indicators.hotspots import rule_text

    assert rule_text() == (
        "lokale Moran's I, 999 permutaties; significant bij een false discovery rate van 0,05 "
        "(Benjamini-Hochberg over de getoetste gebieden (met een waarde en minstens één buur))"
    )
    assert rule_text(n_tested=103, permutations=199) == (
        "lokale Moran's I, 199 permutaties; significant bij een false discovery rate van 0,05 "
        "(Benjamini-Hochberg over de 103 getoetste gebieden (met een waarde en minstens één buur))"
    )
    assert rule_text(0.1, "bonferroni") == (
        "lokale Moran's I, 999 permutaties; significant bij p ≤ 0,1 / aantal "
        "getoetste gebieden (Bonferroni over de getoetste gebieden (met een "
        "waarde en minstens één buur))"
    )
    none = rule_text(0.05, "none")
    assert none.startswith("lokale Moran's I, 999 permutaties; p ≤ 0,05 per gebied, zonder correctie")
    assert "verwacht" not in none and "ongeveer" not in none
    assert rule_text(0.05, "fdr", "en", n_tested=7) == (
        "local Moran's I, 999 permutations; significant at a false discovery rate of 0.05 (Benjamini-Hochberg over "
        "the 7 areas tested (with a value and at least one neighbour))"
    )
    assert "expected" not in rule_text(0.05, "none", "en")
    with pytest.raises(ValueError, match="must be one of: fdr, bonferroni, none"):
        rule_text(0.05, "holm")


def test_bh_is_the_textbook_rule_with_less_or_equal():
    """p = 0.005 = 11 x 0.05 / 110 at rank 11 of 110 is significant (esda.fdr's strict '<' missed it)."""
    from indicators.hotspots import benjamini_hochberg, significance_cutoff

    p = np.array([0.0001] * 10 + [11 * 0.05 / 110] + [0.5] * 99)
    assert p[10] == 0.005
    cut = benjamini_hochberg(p, 0.05)
    assert cut == 11 * 0.05 / 110 and (p <= cut).sum() == 11
    assert significance_cutoff(p, 0.05, "fdr") == cut
    # step-up: a later rank that qualifies lifts earlier ones above their own line
    q = np.array([0.02, 0.021, 0.022, 0.9])  # p_(3) = 0.022 <= 3 x 0.05 / 4 = 0.0375
    assert benjamini_hochberg(q, 0.05) == pytest.approx(0.0375)
    assert benjamini_hochberg(np.array([0.3, 0.6, 0.9]), 0.05) == 0.0  # nothing qualifies
    assert benjamini_hochberg(np.array([np.nan, 0.01]), 0.05) == 0.05 * 1 / 1  # NaN is not a test


def test_lisa_names_the_tested_set_and_the_permutations():
    import geopandas as gpd
    from shapely.geometry import box

    from indicators.hotspots import local_moran

    g = _grid(6)
    island = gpd.GeoDataFrame({"code": ["far"]}, geometry=[box(10_000, 10_000, 10_100, 10_100)], crs="EPSG:28992")
    g = gpd.GeoDataFrame(pd.concat([g, island], ignore_index=True), crs="EPSG:28992")
    v = pd.Series(np.random.default_rng(3).random(37), index=g["code"].to_numpy())
    v["c7"] = np.nan
    out = local_moran(g, v, seed=1, permutations=99)
    assert out.attrs["n_tested"] == 35 == int(out["p_sim"].notna().sum())  # 37 - no value - no neighbour
    assert out.attrs["permutations"] == 99
    assert "99 permutaties" in out.attrs["rule"] and "de 35 getoetste gebieden" in out.attrs["rule"]
    assert (out["significant"] == (out["p_sim"] <= out.attrs["cutoff"])).all()


def test_significance_cutoff_edges():
    from indicators.hotspots import significance_cutoff

    assert significance_cutoff(np.array([np.nan, np.nan]), 0.05) == 0.0
    assert significance_cutoff(np.array([0.5, np.nan, 0.6]), 0.05, "bonferroni") == pytest.approx(0.025)
    assert significance_cutoff(np.array([0.5, 0.6]), 0.05, "fdr") == 0.0  # none rejected: no p is <= 0
    for bad in (0.0, 1.0, -0.1):
        with pytest.raises(ValueError, match="alpha"):
            significance_cutoff(np.array([0.1]), bad)


# --- labels ---------------------------------------------------------------------------------------------


def test_gemeente_and_selection_labels():
    from indicators.reference import gemeente_label, level_words

    assert gemeente_label("wijk", 109, "Amsterdam") == {
        "nl": "t.o.v. 109 wijken van Amsterdam met gegevens (geen landelijke gegevens)",
        "en": "vs 109 districts of Amsterdam with data (no national data)",
    }
    assert level_words("buurt") == ("buurten", "neighbourhoods") and level_words("gemeente") == (
        "gemeenten",
        "municipalities",
    )
    sel = type(
        "R",
        (),
        {
            "kind": "selection",
            "level": "wijk",
            "n_areas": 115,
            "label": {"nl": "wijken van Amsterdam, Zaanstad, 2024", "en": "wijken of Amsterdam, Zaanstad, 2024"},
        },
    )()
    assert ref_label(sel, 114) == (
        {
            "nl": "t.o.v. 114 wijken van Amsterdam, Zaanstad met gegevens",
            "en": "vs 114 wijken of Amsterdam, Zaanstad with data",
        },
        False,
    )
    assert ref_label(sel, 40)[0]["nl"] == "t.o.v. 40 wijken met gegevens (35 % van wijken van Amsterdam, Zaanstad)"
    nl = type("R", (), {"kind": "nl", "level": "wijk", "n_areas": 3393, "label": {}})()
    # counts in the one number format (core.numbers): a narrow no-break space in nl, a comma in en
    assert ref_label(nl, 3002)[0] == {
        "nl": "t.o.v. 3\u202f002 wijken van Nederland met gegevens (88 % van alle 3\u202f393)",
        "en": "vs 3,002 districts of the Netherlands with data (88 % of all 3,393)",
    }
    assert ref_label(nl, 114)[0]["en"] == "vs 114 districts with data (3 % of the Netherlands)"


# --- rank intervals with data uncertainty ----------------------------------------------------------------


def test_draw_composites_equals_composite_matrix_per_draw():
    from indicators.scores import composite_matrix
    from indicators.sensitivity import dirichlet_weights, draw_composites

    rng = np.random.default_rng(2)
    x = rng.uniform(0, 100, (12, len(DOMAINS)))
    x[0, :4] = np.nan
    x[1, 2] = np.nan
    w = dirichlet_weights({"jeugd": 0}, n=7, seed=1)
    draws = np.repeat(x[:, :, None], 7, axis=2) + rng.normal(0, 1, (12, len(DOMAINS), 7))
    got = draw_composites(draws, w, 3)
    for k in range(7):
        np.testing.assert_allclose(got[:, k], composite_matrix(draws[:, :, k], w[k], 3)[0], equal_nan=True)
    assert np.isnan(got[0]).all()


def _scored(n=40, seed=1):
    frame = synthetic_frame(n, seed=seed)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    return score_areas({2024: frame}, 2024, level="wijk", reference=ref)


def test_data_draws_vary_only_count_based_indicators_and_keep_the_rank_inside_its_interval():
    from indicators.sensitivity import data_draws, rank_intervals

    res = _scored()
    d = data_draws(res, n=200, seed=4)
    assert d.shape == (40, len(DOMAINS), 200)
    ids = list(res.domain_x.columns)
    wonen, werk = ids.index("wonen"), ids.index("werk")
    # wonen has no count-based indicator: every draw is the point score; werk varies around it
    np.testing.assert_allclose(d[:, wonen, :], np.repeat(res.table["domain__wonen"].to_numpy()[:, None], 200, 1))
    assert (d[:, werk, :].std(axis=1) > 0).all()
    centre = np.median(d[:, werk, :], axis=1)
    assert np.corrcoef(centre, res.table["domain__werk"])[0, 1] > 0.9
    assert np.isnan(d[:, ids.index("schooluitval"), :]).all()
    again = data_draws(res, n=200, seed=4)
    np.testing.assert_array_equal(d, again)
    iv = rank_intervals(res.domain_x.loc[res.table.index], res.weights, n=200, seed=4, domain_draws=d)
    assert (iv["rank_low"] <= iv["rank_median"]).all() and (iv["rank_median"] <= iv["rank_high"]).all()
    assert (iv["rank_min"] <= iv["rank"]).all() and (iv["rank"] <= iv["rank_max"]).all()
    assert (iv["rank_min"] <= iv["rank_low"]).all() and (iv["rank_high"] <= iv["rank_max"]).all()
    inside = ((iv["rank_low"] <= iv["rank"]) & (iv["rank"] <= iv["rank_high"])).mean()
    assert inside >= 0.9
    assert (iv["n_ranked"] == 40).all() and (iv["source"] == "gewichten en gegevens").all()


def test_data_draws_respect_suppression():
    from indicators.sensitivity import data_draws

    frame = synthetic_frame(40)
    frame.loc[frame["code"] == "WK900102", "aantal_inwoners"] = 100
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    d = data_draws(res, ["WK900102", "WK900103"], n=20)
    assert np.isnan(d[0]).all() and np.isfinite(d[1, 1]).all()


def test_rank_interval_bounds_use_the_requested_percentiles():
    from indicators.sensitivity import rank_intervals

    rng = np.random.default_rng(9)
    x = pd.DataFrame(rng.uniform(0, 100, (30, len(DOMAINS))), columns=list(DOMAINS))
    wide = rank_intervals(x, n=400, seed=1, interval=(0.0, 100.0))
    assert (wide["rank_low"] == wide["rank_min"]).all() and (wide["rank_high"] == wide["rank_max"]).all()
    narrow = rank_intervals(x, n=400, seed=1, interval=(25.0, 75.0))
    assert ((narrow["rank_high"] - narrow["rank_low"]) <= (wide["rank_high"] - wide["rank_low"])).all()
    assert (narrow["source"] == "gewichten").all()


# --- older helpers the mutation check reaches ---------------------------------------------------------------


def test_percentile_rank_keeps_index_and_direction():
    from indicators.ranks import percentile_rank

    s = percentile_rank(pd.Series([1.0, 3.0], index=["a", "b"]), pd.Series([1.0, 2, 3, 4]), direction=-1)
    assert s.index.tolist() == ["a", "b"] and s.dtype == "float64" and s.tolist() == [100.0, 50.0]
    arr = percentile_rank(np.array([2.0]), pd.Series([1.0, 2, 3, 4]))
    assert arr.tolist() == [50.0]


def test_score_threshold_stacking_helper():
    from indicators.scores import stacking

    scores = pd.DataFrame(
        {"armoede": [85.0, 70.0, np.nan, 90.0], "werk": [80.0, np.nan, np.nan, 95.0]}, index=["a", "b", "c", "d"]
    )
    count, names = stacking(scores, 20.0, pd.Series([False, False, False, True], index=scores.index))
    assert count.dtype == "Int64" and names.dtype == "string"
    assert count.tolist()[:2] == [2, 0] and pd.isna(count["c"]) and pd.isna(count["d"])
    assert names["a"] == "armoede;werk" and names["b"] == "" and pd.isna(names["c"]) and pd.isna(names["d"])
    assert names.index.tolist() == ["a", "b", "c", "d"]
    assert stacking(scores, 100.0)[0]["b"] == 1
    for bad in (0.0, 100.5, -1):
        with pytest.raises(Exception, match="tussen 0 en 100") as err:
            stacking(scores, bad)
        assert "between 0 and 100" in err.value.message_en


def test_parse_weights_forms_and_errors():
    from core.errors import UserInputError
    from indicators.scores import parse_weights

    assert parse_weights(" armoede = 2 , werk=0.5,")["armoede"] == 2.0
    with pytest.raises(UserInputError, match="domein=getal") as err:
        parse_weights("armoede2")
    assert "domain=number" in err.value.message_en
    with pytest.raises(UserInputError, match="geen getal"):
        parse_weights("armoede=2=3")


def test_dirichlet_weights_edges():
    from indicators.sensitivity import dirichlet_weights

    only = dirichlet_weights({d: (1 if d == "werk" else 0) for d in DOMAINS}, n=5)
    assert only.shape == (5, len(DOMAINS)) and (only[:, DOMAINS.index("werk")] == 1.0).all() and only.sum() == 5
    two = dirichlet_weights({d: (1 if d in ("werk", "wonen") else 0) for d in DOMAINS}, n=500, seed=3)
    assert two.shape == (500, len(DOMAINS)) and np.allclose(two.sum(axis=1), 1) and 0 < two[:, 1].min() < 1
    assert abs(two[:, 1].mean() - 0.5) < 0.05
    with pytest.raises(ValueError, match="concentration"):
        dirichlet_weights(None, concentration=0.0)
    assert dirichlet_weights(None, n=10, concentration=0.5).shape == (10, len(DOMAINS))


def test_rank_positions_ties_keep_order_and_dtype():
    from indicators.sensitivity import rank_positions

    pos = rank_positions(np.array([[2.0], [2.0], [np.nan], [5.0]]))
    assert pos.dtype == np.float64 and pos[:, 0].tolist()[:2] == [2.0, 3.0] and pos[3, 0] == 1.0
    assert np.isnan(pos[2, 0])


def test_data_draws_follow_the_smoothing_setting_and_the_half_rule():
    from indicators.sensitivity import data_draws

    frame = synthetic_frame(40)
    # WK900104: only one of three werk indicators known -> below half, no werk score in any draw
    frame.loc[frame["code"] == "WK900104", ["personen_per_soort_uitkering_ww", "personen_per_soort_uitkering_ao"]] = (
        np.nan
    )
    # WK900105: two of three known -> a werk score in every draw
    frame.loc[frame["code"] == "WK900105", "personen_per_soort_uitkering_ww"] = np.nan
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    eb = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    raw = score_areas({2024: frame}, 2024, level="wijk", reference=ref, smoothing="none")
    werk = list(eb.domain_x.columns).index("werk")
    d_eb, d_raw = data_draws(eb, n=300, seed=1), data_draws(raw, n=300, seed=1)
    rows = list(eb.table.index)
    assert np.isnan(d_eb[rows.index("WK900104"), werk]).all()
    assert np.isfinite(d_eb[rows.index("WK900105"), werk]).all()
    assert not np.allclose(d_eb[:, werk], d_raw[:, werk], equal_nan=True)
    # the centre of the draws follows the point domain score of the same setting
    for res, d in ((eb, d_eb), (raw, d_raw)):
        point = res.table["domain__werk"].to_numpy()
        ok = np.isfinite(point)
        centre = d[ok, werk].mean(axis=1)
        assert np.abs(centre - point[ok]).mean() < 6
    # the spread comes from a count uncertainty of a few persons (rounding +/- 5 and Poisson), not more
    assert 0 < np.nanmean(d_raw[:, werk].std(axis=1)) < 15


# --- focus areas: rows, names, comparators (reached by the mutation check) -------------------------------------


def test_focus_rows_names_members_and_comparators():
    from indicators.focus import FocusArea
    from indicators.focusscore import NOT_AVAILABLE, score_focus

    frame = synthetic_frame(40)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    areas = {
        "f": FocusArea.make("Focus F", ("WK900101", "WK900102"), id="f"),
        "g": FocusArea.make("Elders", ("WK900103",), id="g"),
    }
    out = score_focus(res, areas)
    assert out.index.tolist() == ["f", "g", "GM9001", "NL00"]
    assert out.loc["f", "name"] == "Focus F" and out.loc["f", "kind"] == "focus"
    assert out.loc["f", "members"] == "WK900101;WK900102"
    assert out.loc["GM9001", "name"] == "Synthetische gemeente" and out.loc["GM9001", "members"] == "GM9001"
    # a gemeente the data do not hold is named as not available, not dropped
    other = score_focus(res, {"x": FocusArea.make("X", ("WK900103",), id="x")}, comparators=True)
    assert "GM9999" not in other.index and NOT_AVAILABLE == "niet beschikbaar"
    assert out.loc["NL00", "kind"] == "land" and out.loc["NL00", "name"] == "Nederland"
    assert out.loc["NL00", "members"] == "som over het landelijke bestand"
    assert (out["year"] == 2024).all() and (out["reference"] == res.reference.text("nl")).all()
    # the gemeente row is the published gemeente value, ranked against the same base as the wijken
    gm = frame.set_index("code").loc["GM9001"]
    assert out.loc["GM9001", "woz_waarde"] == pytest.approx(gm["gemiddelde_woz_waarde_van_woningen"])
    vals = res.table["woz_waarde"]
    assert out.loc["f", "woz_waarde__rank"] == pytest.approx(
        100 * (vals >= out.loc["f", "woz_waarde"]).sum() / vals.notna().sum()
    )
    assert out.loc["g", "woz_waarde"] == pytest.approx(res.table.loc["WK900103", "woz_waarde"])
    assert out.loc["f", "stacking_known"] >= 1 and out.loc["f", "stacking_m"] == 6
    no_comp = score_focus(res, areas, comparators=False)
    assert no_comp.index.tolist() == ["f", "g"]
    # the configured focus areas by default: their members are not in these synthetic data, and are named
    with pytest.raises(UserInputError, match="WK047912"):
        score_focus(res)


def test_focus_small_group_is_suppressed():
    from indicators.focus import FocusArea
    from indicators.focusscore import score_focus

    frame = synthetic_frame(40)
    frame.loc[frame["code"] == "WK900101", "aantal_inwoners"] = 150
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: frame}, 2024, level="wijk", reference=ref, min_population=100)
    out = score_focus(res, {"s": FocusArea.make("S", ("WK900101",), id="s")}, comparators=False)
    assert not out.loc["s", "suppressed"]
    res2 = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    out2 = score_focus(res2, {"s": FocusArea.make("S", ("WK900101",), id="s")}, comparators=False)
    assert out2.loc["s", "suppressed"] and out2.loc["s", "suppressed_reason"] == "population:200"
    assert pd.isna(out2.loc["s", "stacking_count"])


def test_nl_row_from_nl00_values_and_low_coverage():
    from indicators.focus import FocusArea
    from indicators.focusscore import national_parts, score_focus
    from indicators.rates import UserValues

    frame = synthetic_frame(40)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: frame}, 2024, level="wijk", reference=ref)
    nl = UserValues("woz_waarde", pd.Series({"NL00": 350.0}), 2024, "eigen bestand")
    parts, note = national_parts(res, None, [nl])
    assert parts["woz_waarde"].loc["NL00", "value"] == 350.0 and note == "woz_waarde: NL00 uit eigen bestand"
    wijken = frame[frame["level"] == "wijk"].copy()
    wijken.loc[wijken.index[:10], "gemiddelde_woz_waarde_van_woningen"] = np.nan  # ~25 % of inhabitants missing
    parts, _ = national_parts(res, wijken)
    assert np.isnan(parts["woz_waarde"].loc["NL00", "value"])
    assert parts["woz_waarde"].loc["NL00", "source"].startswith("niet beschikbaar (dekking ")
    full, _ = national_parts(res, frame[frame["level"] == "wijk"])
    w = frame[frame["level"] == "wijk"]
    assert full["woz_waarde"].loc["NL00", "value"] == pytest.approx(
        (w["gemiddelde_woz_waarde_van_woningen"] * w["woningvoorraad"]).sum() / w["woningvoorraad"].sum()
    )
    out = score_focus(res, {"f": FocusArea.make("F", ("WK900101",), id="f")}, user_values=[nl])
    assert out.loc["NL00", "woz_waarde"] == 350.0


def test_stacking_sentence_agrees_in_number():
    """One flagged domain lies in *its* reference ("zijn"), several in *their* ("hun")."""
    from indicators.method import stacking_sentence

    one = {
        "stacking_m": 6,
        "stacking_known": 3,
        "stacking_count": 1,
        "domain__wonen__band": True,
        "domain__wonen__ref": "t.o.v. 113 wijken",
    }
    two = {**one, "stacking_count": 2, "domain__werk__band": True, "domain__werk__ref": "t.o.v. 109 wijken"}
    assert (
        "In Z ligt 1 van de 3 bekende domeinen (van 6) in de zwakste 20 % van zijn referentie: wonen"
        in stacking_sentence(one, "Z")
    )
    assert "In Z liggen 2 van de 3 bekende domeinen (van 6) in de zwakste 20 % van hun referentie" in stacking_sentence(
        two, "Z"
    )
    assert "1 of the 3 known domains (of 6) is in the worst 20 % of its reference" in stacking_sentence(one, "Z", "en")
