"""Issue 10 on SYNTHETIC data (made-up numbers, fast): the band rule, bases, EB, intervals, hotspots, CLI helpers.

These tests are also the fast selection of the mutation run (``benchmarks/mutation.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.engine import make_reference, score_areas
from indicators.reference import gemeente_of, rank_by_key, ref_label
from indicators.smoothing import count_interval, eb_prior, eb_weight, global_eb, rate_interval
from tests.test_indicators_engine import synthetic_frame

DOMAINS = ("armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd")


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
    frame.loc[frame["code"] == "WK900103", [c for c in frame.columns if c not in (
        "code", "level", "name", "gemeente_code", "year", "aantal_inwoners")]] = np.nan
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
    attrs = pd.DataFrame({"code": nat["code"], "percentage_personen_15_tot_25_jaar": 12,
                          "percentage_personen_25_tot_45_jaar": 28, "percentage_personen_45_tot_65_jaar": 26})
    ref = make_reference(nat, "nl", "wijk", 2024)

    def run(gms):
        a = attrs[attrs["code"].str[2:6].isin([g[2:] for g in gms])]
        return score_areas({2024: nat}, 2024, level="wijk", reference=ref, gemeenten=gms,
                           attributes={2024: a}, national=nat).table

    one, two = run(["GM9001"]), run(["GM9001", "GM9002"])
    codes = [c for c in one.index if c.startswith("WK9001")]
    for col in ("ww_werkleeftijd__rank", "domain__werk__rank", "domain__werk__band", "woz_waarde__rank",
                "stacking_count"):
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
        "GM0363", "GM0363", "GM0479", ""]


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
    assert lo[0] == 0.0 and hi[0] == pytest.approx(3.6889, abs=1e-3)           # Garwood, y = 0
    assert lo[1] == pytest.approx(4.7954, abs=1e-3) and hi[1] == pytest.approx(18.3904, abs=1e-3)
    rlo, rhi = count_interval(np.array([10.0]), 10.0)                         # 5..15 persons
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
    assert ((eb["ww_werkleeftijd__low"] <= eb["ww_werkleeftijd"]) & (eb["ww_werkleeftijd"] <= eb["ww_werkleeftijd__high"])).all()
    assert not np.allclose(eb["ww_werkleeftijd__rank"], raw["ww_werkleeftijd__rank"])


# --- hotspots -------------------------------------------------------------------------------------------

def _grid(k=26):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame({"code": [f"c{i}" for i in range(k * k)]},
                            geometry=[box(i % k * 100, i // k * 100, i % k * 100 + 100, i // k * 100 + 100)
                                      for i in range(k * k)], crs="EPSG:28992")


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
