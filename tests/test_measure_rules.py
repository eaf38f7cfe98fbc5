"""Rules of the measure stated in the module docstrings, checked on small SYNTHETIC data (made-up numbers, fast,
mirror-free): part of the mutation selection (``benchmarks/mutation.py``). Every expected value is recomputed
here from the formula the docstring states, never copied from an output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators import focus as F
from indicators import focuscodec as FC
from indicators import focusscore as FS

# --- focus areas: CLI definitions, presets, ids ----------------------------------------------------------


def test_parse_define_takes_name_and_codes_in_every_separator():
    a = FC.parse_define("Zaandam-Zuid=wk047911, WK047912+WK047913 WK047911")
    assert (a.name, a.codes, a.source) == ("Zaandam-Zuid", ("WK047911", "WK047912", "WK047913"), "zelf gedefinieerd")
    assert a.id == "zaandam-zuid" and a.level == "wijk" and a.gemeenten == ("GM0479",)
    with pytest.raises(UserInputError, match=r"heeft de vorm \"Naam=WK047911,WK047912\""):
        FC.parse_define("Zaandam-Zuid WK047911")
    with pytest.raises(UserInputError, match="heeft de vorm") as exc:
        FC.parse_define("  =WK047911")
    assert "must look like" in exc.value.message_en
    with pytest.raises(UserInputError, match="GM0479 is geen wijk- of buurtcode"):
        FC.parse_define("X=GM0479")


def test_preset_by_id_name_or_slug_and_unknown_lists_all():
    p = F.PRESETS["zaanstad-kansengelijkheid"]
    assert F.preset("zaanstad-kansengelijkheid") is p
    assert F.preset("  Zaanstad – Kansengelijkheid ") is p  # the name, any case and spaces
    assert F.preset("ZAANSTAD – KANSENGELIJKHEID") is p
    assert F.preset("Eindhoven – Tongelre en Gestel") is F.PRESETS["eindhoven-tongelre-gestel"]
    with pytest.raises(UserInputError) as exc:
        F.preset("bestaat-niet")
    for pid, pp in F.PRESETS.items():
        assert f"{pid} ({pp.name})" in exc.value.message and f"{pid} ({pp.name})" in exc.value.message_en
    assert exc.value.message.startswith("Voorinstelling 'bestaat-niet' bestaat niet; kies uit: ")
    assert exc.value.message_en.startswith("Preset 'bestaat-niet' does not exist; must be one of: ")


def test_slug_and_unique_ids():
    assert F.slug("Zaanstad – Kansengelijkheid") == "zaanstad-kansengelijkheid"
    assert F.slug("  Ñoño / Oud-Oost!! ") == "nono-oud-oost"
    assert F.slug("東京") == "focusgebied"
    a = F.FocusArea("x", "X", ("WK047911",))
    b = F.FocusArea("x", "X twee", ("WK047912",))
    c = F.FocusArea("x", "X drie", ("WK047913",), "bron", "X three")
    out = F.unique_ids([a, b, c])
    assert [o.id for o in out] == ["x", "x-2", "x-3"]
    assert out[0] is a  # an id already unique is kept as is
    assert (out[2].name, out[2].codes, out[2].source, out[2].name_en) == ("X drie", ("WK047913",), "bron", "X three")
    no_id = F.unique_ids([F.FocusArea("", "Oud Oost", ("WK0363MB",))])
    assert no_id[0].id == "oud-oost"


def test_focus_area_make_normalises_name_codes_and_keeps_source():
    a = F.FocusArea.make(
        "  Oud\x07-Oost\u200b  ",
        ["wk0363mb", " ", "", "WK0363MB", " wk0363mc "],
        source="programma X",
        name_en="Old East",
    )
    assert a.name == "Oud-Oost" and a.codes == ("WK0363MB", "WK0363MC")  # control/format characters dropped
    assert (a.id, a.source, a.name_en) == ("oud-oost", "programma X", "Old East")
    assert a.label == {"nl": "Oud-Oost", "en": "Old East"} and a.note == "programma X"
    b = F.FocusArea.make("Zuid", ["WK047911"])
    assert (b.id, b.source, b.name_en, b.label["en"]) == ("zuid", "", "", "Zuid")
    assert F.clean_name(None) == "" and F.clean_name("a\tb\n c   d ") == "ab c d"
    assert F.clean_name("x" * 80) == "x" * F.MAX_NAME


def test_focus_errors_carry_both_languages():
    with pytest.raises(UserInputError) as exc:
        FC.parse_focus_param("zonder dubbele punt")
    assert "geen ':'" in exc.value.message and "no ':'" in exc.value.message_en
    with pytest.raises(UserInputError) as exc:
        F.preset("x")
    assert exc.value.message != exc.value.message_en and exc.value.message_en.startswith("Preset 'x'")


# --- focus scoring on synthetic data: comparators, Nederland row ------------------------------------------


def _synthetic_result(n=40, **kw):
    from indicators.engine import make_reference, score_areas
    from tests.helpers_engine import synthetic_frame

    frame = synthetic_frame(n)
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    return frame, score_areas({2024: frame}, 2024, level="wijk", reference=ref, **kw)


def test_score_focus_rows_columns_and_duplicate_ids():
    _frame, res = _synthetic_result()
    a = F.FocusArea("same", "Een", ("WK900101", "WK900102"))
    b = F.FocusArea("same", "Twee", ("WK900103",))
    out = FS.score_focus(res, [a, b])
    assert out.index.tolist() == ["same", "same-2", "GM9001", "NL00"]
    assert out.loc["same", "gemeenten"] == "GM9001" and out.loc["same", "level"] == "wijk"
    assert out.loc["same-2", "members"] == "WK900103" and out.loc["GM9001", "level"] == "gemeente"
    assert out.loc["GM9001", "kind"] == "gemeente" and out.loc["NL00", "level"] == "land"
    # the gemeente row is the gemeente's own value, not a sum of the selected wijken
    gm = res.universe.loc["GM9001"]
    for ind in ("woz_waarde", "bijstand_werkleeftijd", "sociale_huur"):
        assert out.loc["GM9001", ind] == pytest.approx(gm[ind]) or (
            np.isnan(gm[ind]) and np.isnan(out.loc["GM9001", ind])
        )
    # population of a focus area = sum of its members
    assert out.loc["same", "population"] == pytest.approx(
        res.universe.loc[["WK900101", "WK900102"], "population"].sum()
    )


def test_score_focus_names_missing_members_in_both_languages_ten_at_most():
    _, res = _synthetic_result()
    codes = [f"WK9999{i:02d}" for i in range(12)]
    with pytest.raises(UserInputError) as exc:
        FS.score_focus(res, [F.FocusArea.make("Ver weg", codes)])
    shown = ", ".join(codes[:10])
    assert f"'Ver weg': {shown}." in exc.value.message and codes[10] not in exc.value.message
    assert exc.value.message_en.startswith("Focus-area members are not in the scored data (wijk, 2024): ")
    assert f"'Ver weg': {shown}." in exc.value.message_en
    with pytest.raises(UserInputError) as exc:
        FS.score_focus(res, [F.FocusArea.make("A", ["WK999901"]), F.FocusArea.make("B", ["WK999902"])])
    assert "'A': WK999901; 'B': WK999902" in exc.value.message


def _national(frame, **changes):
    g = frame[frame["level"] == "wijk"].copy()
    for col, val in changes.items():
        g[col] = val
    return g


def test_nederland_row_uses_attributes_for_missing_age_counts():
    """Working age from the %-fallback: 100 x sum(WW) / sum(inwoners x (15-25 + 25-45 + 45-65 %) / 100)."""
    frame, res = _synthetic_result()
    ages = ["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"]
    nat = _national(frame, **{c: np.nan for c in ages})
    rng = np.random.default_rng(5)
    attrs = pd.DataFrame(
        {
            "code": nat["code"].to_numpy(),
            "percentage_personen_15_tot_25_jaar": rng.uniform(8, 15, len(nat)).round(),
            "percentage_personen_25_tot_45_jaar": rng.uniform(20, 35, len(nat)).round(),
            "percentage_personen_45_tot_65_jaar": rng.uniform(20, 30, len(nat)).round(),
        }
    )
    parts, note = FS.national_parts(res, nat, (), attrs)
    work = nat["aantal_inwoners"].to_numpy() * attrs.iloc[:, 1:].sum(axis=1).to_numpy() / 100
    ww = nat["personen_per_soort_uitkering_ww"].to_numpy()
    assert parts["ww_werkleeftijd"].loc["NL00", "value"] == pytest.approx(100 * ww.sum() / work.sum())
    assert parts["ww_werkleeftijd"].loc["NL00", "source"].startswith(f"som over {len(nat)} wijken: ")
    assert "afgeleid uit afgerond %" in parts["ww_werkleeftijd"].loc["NL00", "source"]
    assert note == "som over het landelijke bestand"
    without, _ = FS.national_parts(res, nat)  # no attributes: not available, and says so
    assert np.isnan(without["ww_werkleeftijd"].loc["NL00", "value"])
    assert without["ww_werkleeftijd"].loc["NL00", "source"] == "niet beschikbaar (dekking 0% van de inwoners)"


def test_nederland_row_coverage_is_at_least_99_percent_of_inhabitants():
    frame, res = _synthetic_result(100)
    nat = _national(frame, aantal_inwoners=1000.0)
    nat.loc[nat.index[0], "gemiddelde_woz_waarde_van_woningen"] = np.nan  # exactly 1 % of the inhabitants lack it
    parts, _ = FS.national_parts(res, nat)
    ok = nat.iloc[1:]
    assert parts["woz_waarde"].loc["NL00", "value"] == pytest.approx(
        (ok["gemiddelde_woz_waarde_van_woningen"] * ok["woningvoorraad"]).sum() / ok["woningvoorraad"].sum()
    )
    assert parts["woz_waarde"].loc["NL00", "source"].startswith(f"som over {len(ok)} wijken: ")
    nat.loc[nat.index[1], "gemiddelde_woz_waarde_van_woningen"] = np.nan  # 2 %: below the rule
    parts, _ = FS.national_parts(res, nat)
    assert np.isnan(parts["woz_waarde"].loc["NL00", "value"])
    assert parts["woz_waarde"].loc["NL00", "source"] == "niet beschikbaar (dekking 98% van de inwoners)"
    empty = _national(frame, aantal_inwoners=0.0)  # no inhabitants at all: coverage 0
    parts, _ = FS.national_parts(res, empty)
    assert parts["woz_waarde"].loc["NL00", "source"] == "niet beschikbaar (dekking 0% van de inwoners)"


def test_nederland_row_from_imported_nl00_values_names_each():
    from indicators.rates import UserValues

    frame, res = _synthetic_result()
    uv = [
        UserValues("woz_waarde", pd.Series({"NL00": 350.0}), 2024, "bestand A"),
        UserValues("sociale_huur", pd.Series({"NL00": 29.0}), 2024, "bestand B"),
    ]
    parts, note = FS.national_parts(res, _national(frame), uv)
    assert note == "sociale_huur: NL00 uit bestand B; woz_waarde: NL00 uit bestand A"
    assert parts["woz_waarde"].loc["NL00", "value"] == 350.0 and parts["sociale_huur"].loc["NL00", "value"] == 29.0
    # a user file that covers the national frame's areas is summed like the KWB values
    nat = _national(frame)
    vals = pd.Series(np.linspace(10, 50, len(nat)), index=nat["code"].to_numpy())
    own = UserValues("jeugdzorg", vals, 2024, "eigen jeugdzorgbestand")
    parts, _ = FS.national_parts(res, nat, [own])
    assert np.isfinite(parts["jeugdzorg"].loc["NL00", "value"])
    assert "eigen jeugdzorgbestand" in parts["jeugdzorg"].loc["NL00", "source"]


def test_nederland_row_from_an_nl00_row_in_the_data():
    from indicators.engine import make_reference, score_areas
    from tests.helpers_engine import synthetic_frame

    frame = synthetic_frame(40)
    nl = frame[frame["level"] == "gemeente"].copy()
    nl["code"], nl["level"], nl["name"], nl["gemeente_code"] = "NL00", "land", "Nederland", ""
    both = pd.concat([frame, nl], ignore_index=True)
    both.attrs = frame.attrs
    ref = make_reference(both, "selection", "wijk", 2024, ["GM9001"])
    res = score_areas({2024: both}, 2024, level="wijk", reference=ref)
    if "NL00" not in res.universe.index:
        pytest.skip("the engine keeps no NL00 row in this frame")
    parts, note = FS.national_parts(res, None)
    assert note == "NL00-rij uit de gegevens"
    assert parts["woz_waarde"].loc["NL00", "value"] == pytest.approx(res.universe.loc["NL00", "woz_waarde"])


# --- hotspots -------------------------------------------------------------------------------------------


def _grid(k):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"code": [f"c{i}" for i in range(k * k)]},
        geometry=[box(i % k * 100, i // k * 100, i % k * 100 + 100, i // k * 100 + 100) for i in range(k * k)],
        crs="EPSG:28992",
    )


@pytest.mark.parametrize("sign, expected", [(1, "HL"), (-1, "LH")])
def test_outlier_among_opposite_neighbours(sign, expected):
    """A high value among low neighbours is HL (a low one among high neighbours LH): I_i < 0, quadrant by z_i."""
    from indicators.hotspots import local_moran

    g = _grid(9)
    v = pd.Series(np.random.default_rng(4).normal(0, 0.3, len(g)), index=g["code"].to_numpy())
    block = [f"c{r * 9 + c}" for r in range(2, 7) for c in range(2, 7)]
    v[block] -= sign * 3  # a low (high) block
    v["c40"] = sign * 6.0  # its centre high (low)
    o = local_moran(g, v, seed=3, correction="none").set_index("code")
    assert o.loc["c40", "quadrant"] == expected and o.loc["c40", "I"] < 0
    assert o.loc["c40", "lisa"] == expected and o.loc["c40", "significant"]


def test_p_sim_is_count_plus_one_over_permutations_plus_one_and_at_most_the_cutoff():
    """Issue 21: every rule is "p <= cut-off" (the textbook form; BH's own is <=). A permutation p-value
    (k + 1) / (n + 1) is valid under <=: P(p_sim <= a) <= a when there is no pattern."""
    from indicators.hotspots import local_moran

    g = _grid(8)
    v = pd.Series(np.random.default_rng(7).normal(0, 1, len(g)), index=g["code"].to_numpy())
    v[[f"c{r * 8 + c}" for r in range(3) for c in range(3)]] += 3
    for perms in (19, 99):
        o = local_moran(g, v, permutations=perms, seed=5, correction="none", alpha=0.05)
        k = o["p_sim"] * (perms + 1)
        assert np.allclose(k, k.round()) and (k >= 1).all()
        assert (o["significant"] == (o["p_sim"] <= 0.05)).all()
    # with 19 permutations the smallest p_sim is 1/20 = 0.05: significant exactly where p_sim = 0.05
    o19 = local_moran(g, v, permutations=19, seed=5, correction="none", alpha=0.05)
    assert o19["p_sim"].min() == pytest.approx(0.05)
    assert (o19["significant"] == (o19["p_sim"] <= 0.05)).all() and o19["significant"].any()
    assert (o19.loc[~o19["significant"], "lisa"] == "ns").all()
    assert o19["significant"].dtype == bool


def test_lisa_is_by_code_not_by_row_order_and_non_numbers_are_missing():
    from indicators.hotspots import local_moran

    g = _grid(6)
    v = pd.Series(np.random.default_rng(2).normal(0, 1, len(g)), index=g["code"].to_numpy())
    v[["c0", "c1", "c6", "c7"]] += 4
    a = local_moran(g, v, seed=9).set_index("code")
    b = local_moran(g, v.sample(frac=1, random_state=1), seed=9).set_index("code")
    pd.testing.assert_frame_equal(a, b)
    text = v.astype(object)
    text["c35"] = "geheim"
    c = local_moran(g, text, seed=9).set_index("code")
    assert c.loc["c35", "label"] == "geen gegevens" and np.isnan(c.loc["c35", "value"])
    # a code twice in the boundaries (e.g. two parts) is one area
    twice = pd.concat(
        [g, g.iloc[[3]].assign(geometry=g.geometry.iloc[[3]].translate(0, 0).buffer(-10))], ignore_index=True
    )
    d = local_moran(twice.set_crs(g.crs, allow_override=True), v, seed=9)
    assert d["code"].is_unique and len(d) == len(g)


def test_fdr_cutoff_is_benjamini_hochberg_at_the_given_alpha():
    from indicators.hotspots import significance_cutoff

    p = np.array([0.001, 0.008, 0.012, 0.02, 0.03, 0.2, 0.5, 0.9, np.nan])
    for alpha in (0.05, 0.1, 0.2):
        q = np.sort(p[np.isfinite(p)])
        n = q.size
        k = [i for i in range(1, n + 1) if q[i - 1] < i * alpha / n]
        want = max(k) * alpha / n if k else alpha / n
        assert significance_cutoff(p, alpha, "fdr") == pytest.approx(want)
    assert significance_cutoff([0.01, 0.02], 0.05, "bonferroni") == pytest.approx(0.025)
    assert significance_cutoff(np.array([np.nan]), 0.05, "fdr") == 0.0
    with pytest.raises(ValueError, match="alpha"):
        significance_cutoff(p, 1.0)


def test_too_few_areas_after_islands_are_left_out():
    import geopandas as gpd
    from shapely.geometry import box

    from indicators.hotspots import local_moran

    g = _grid(2)  # 4 touching squares
    far = gpd.GeoDataFrame(
        {"code": ["f1", "f2"]},
        geometry=[box(9_000, 9_000, 9_100, 9_100), box(20_000, 20_000, 20_100, 20_100)],
        crs="EPSG:28992",
    )
    g = gpd.GeoDataFrame(pd.concat([g, far], ignore_index=True), crs="EPSG:28992")
    v = pd.Series(np.arange(6.0), index=g["code"].to_numpy())
    o = local_moran(g, v).set_index("code")  # 6 values, 2 islands: 4 < 5 left
    assert o.loc[["f1", "f2"], "label"].eq("geen buren").all()
    assert o.loc[["c0", "c1", "c2", "c3"], "label"].eq("geen gegevens").all() and not o["significant"].any()
    assert list(o.reset_index().columns) == [
        "code",
        "value",
        "I",
        "p",
        "p_sim",
        "significant",
        "quadrant",
        "lisa",
        "label",
    ]


# --- weights and data uncertainty -----------------------------------------------------------------------


def test_dirichlet_weights_spread_as_stated():
    """E[w] = w0 / sum(w0), sd = sqrt(p (1 - p) / (kappa + 1)) (the module docstring)."""
    from indicators.scores import DOMAIN_IDS
    from indicators.sensitivity import dirichlet_weights

    w = {d: 1.0 for d in DOMAIN_IDS}
    w[DOMAIN_IDS[0]] = 3.0
    for kappa in (5.0, 20.0):
        draws = dirichlet_weights(w, n=20000, concentration=kappa, seed=1)
        p = np.array([w[d] for d in DOMAIN_IDS]) / sum(w.values())
        assert np.allclose(draws.mean(axis=0), p, atol=0.005)
        assert np.allclose(draws.std(axis=0), np.sqrt(p * (1 - p) / (kappa + 1)), rtol=0.05)
    one = dirichlet_weights({d: (1.0 if d == "werk" else 0.0) for d in DOMAIN_IDS}, n=5)
    assert (one[:, DOMAIN_IDS.index("werk")] == 1).all() and one.sum() == 5
    with pytest.raises(ValueError, match="concentration"):
        dirichlet_weights(w, concentration=0)


def test_rank_positions_break_ties_by_row_order():
    from indicators.sensitivity import rank_positions

    x = np.r_[np.full(40, 100.0), np.arange(40.0)][:, None]
    pos = rank_positions(x)[:, 0]
    assert pos[:40].tolist() == list(range(1, 41))  # ties: earlier rows first (stable)
    assert pos[40:].tolist() == list(range(80, 40, -1))
    assert pos.dtype == np.float64


def test_rank_intervals_are_percentiles_of_the_positions():
    from indicators.scores import DOMAIN_IDS, composite_matrix, validate_weights, weight_vector
    from indicators.sensitivity import dirichlet_weights, rank_intervals, rank_positions

    rng = np.random.default_rng(3)
    x = pd.DataFrame(
        rng.uniform(0, 100, (30, len(DOMAIN_IDS))), columns=list(DOMAIN_IDS), index=[f"a{i}" for i in range(30)]
    )
    x.iloc[0, 3:] = np.nan  # exactly 3 domains: still ranked (min 3)
    x.iloc[1, 2:] = np.nan  # 2 domains: no composite, no interval
    w = {d: 1.0 for d in DOMAIN_IDS}
    iv = rank_intervals(x, w, n=400, seed=11, interval=(10.0, 90.0))
    comps, _, _ = composite_matrix(x.to_numpy(), dirichlet_weights(w, 400, 20.0, 11), 3)
    pos = rank_positions(comps)
    ok = ~np.isnan(composite_matrix(x.to_numpy(), weight_vector(validate_weights(w)), 3)[0])
    assert ok[0] and not ok[1]
    lo, med, hi = np.percentile(pos[ok], [10.0, 50.0, 90.0], axis=1)
    np.testing.assert_allclose(iv["rank_low"].to_numpy()[ok], lo)
    np.testing.assert_allclose(iv["rank_median"].to_numpy()[ok], med)
    np.testing.assert_allclose(iv["rank_high"].to_numpy()[ok], hi)
    np.testing.assert_allclose(iv["rank_min"].to_numpy()[ok], pos[ok].min(axis=1))
    np.testing.assert_allclose(iv["rank_max"].to_numpy()[ok], pos[ok].max(axis=1))
    assert iv.loc["a1", ["rank", "rank_low", "rank_min", "rank_max"]].isna().all()
    assert (iv["n_ranked"] == ok.sum()).all() and (iv["source"] == "gewichten").all()
    for col in ("rank", "rank_low", "rank_median", "rank_high", "rank_min", "rank_max"):
        assert iv[col].dtype == np.float64, col  # NaN where no composite, never None
    # other weights move the interval: the draws are centred on the weights asked for
    hw = {**w, DOMAIN_IDS[0]: 5.0}
    heavy = rank_intervals(x, hw, n=400, seed=11)
    assert not np.allclose(heavy["rank_median"].to_numpy()[ok], iv["rank_median"].to_numpy()[ok])
    own = rank_positions(composite_matrix(x.to_numpy(), weight_vector(validate_weights(hw)), 3)[0][:, None])[:, 0]
    np.testing.assert_array_equal(heavy["rank"].to_numpy(), own)  # the rank uses the weights asked for
    # min_domains reaches both the point composite and every draw: with 2, the area with 2 domains is ranked
    two = rank_intervals(x, w, n=50, seed=11, min_domains=2)
    assert np.isfinite(two.loc["a1", ["rank", "rank_low", "rank_high"]].astype(float)).all()
    assert (two["n_ranked"] == ok.sum() + 1).all()
    draws = np.repeat(x.to_numpy()[:, :, None], 50, axis=2)
    two_d = rank_intervals(x, w, n=50, seed=11, min_domains=2, domain_draws=draws)
    assert np.isfinite(two_d.loc["a1", "rank_low"]) and (two_d["n_ranked"] == ok.sum() + 1).all()


def test_draw_composites_count_only_weighted_domains():
    from indicators.scores import DOMAIN_IDS
    from indicators.sensitivity import draw_composites

    d = len(DOMAIN_IDS)
    x = np.full((3, d, 2), np.nan)
    x[0, :2, :] = [[10.0, 20.0], [30.0, 40.0]]  # 2 weighted domains known
    x[1, :2, :] = [[10.0, 20.0], [30.0, 40.0]]
    x[1, 5, :] = 99.0  # + an unweighted domain
    x[2, :3, :] = 50.0
    w = np.zeros((2, d))
    w[:, :3] = [[1.0, 1.0, 2.0], [2.0, 1.0, 1.0]]  # 3 domains carry weight
    comp = draw_composites(x, w, min_domains=3)
    assert np.isnan(comp[0]).all() and np.isnan(comp[1]).all()  # 2 of 3 weighted domains: withheld
    assert comp[2].tolist() == [50.0, 50.0]
    w2 = np.zeros((2, d))
    w2[:, :2] = [[1.0, 3.0], [1.0, 1.0]]  # only 2 domains carry weight: 2 suffice
    comp2 = draw_composites(x, w2, min_domains=3)
    assert comp2[0].tolist() == pytest.approx([(10 + 3 * 30) / 4, (20 + 40) / 2])
    assert comp2[1].tolist() == pytest.approx(comp2[0].tolist())  # the unweighted domain does not count


def test_data_draws_widen_the_interval_beyond_weights_alone():
    """With (almost) fixed weights the weights-only interval is the rank itself; data draws add spread."""
    from indicators.sensitivity import data_draws, rank_intervals

    _, res = _synthetic_result(40)
    x = res.domain_x.loc[res.table.index]
    fixed = rank_intervals(x, res.weights, n=200, concentration=1e9, seed=3)
    same = (fixed["rank_low"] == fixed["rank"]) & (fixed["rank_high"] == fixed["rank"])
    assert same[fixed["rank"].notna()].mean() > 0.9  # (near-ties may still swap)
    both = rank_intervals(x, res.weights, n=200, concentration=1e9, seed=3, domain_draws=data_draws(res, n=200, seed=3))
    width = (both["rank_high"] - both["rank_low"]).dropna()
    assert (width > 0).mean() > 0.5 and (width > 0).mean() > 2 * (1 - same[fixed["rank"].notna()].mean())
    assert (both["source"] == "gewichten en gegevens").all()


# --- focus areas: every message in both languages, every bound exactly -----------------------------------


def _msgs(call, *args, **kw):
    with pytest.raises(UserInputError) as exc:
        call(*args, **kw)
    return exc.value.message, exc.value.message_en


def test_link_bounds_are_inclusive_and_messages_exact():
    ok = "A:WK047911" + " " * (FC.MAX_PARAM - 18) + "WK047912"
    assert len(ok) == FC.MAX_PARAM and FC.parse_focus_param(ok)[0].codes == ("WK047911", "WK047912")
    long = ok + "3"
    assert _msgs(FC.parse_focus_param, long) == (
        f"De focusgebieden in de link zijn te lang ({FC.MAX_PARAM + 1} tekens, maximaal {FC.MAX_PARAM}).",
        f"The focus areas in the link are too long ({FC.MAX_PARAM + 1} characters, at most {FC.MAX_PARAM}).",
    )
    twelve = ";".join(f"A{i}:WK047911" for i in range(12))
    assert len(FC.parse_focus_param(twelve)) == 12
    assert _msgs(FC.parse_focus_param, twelve + ";A12:WK047911") == (
        "13 focusgebieden in de link; maximaal 12.",
        "13 focus areas in the link; at most 12.",
    )
    members = "+".join(f"WK0479{i:02d}" for i in range(50)) + "+" + "+".join(f"BU0479{i:04d}" for i in range(0))
    assert len(FC.parse_focus_param("A:" + members)[0].codes) == 50
    many = "+".join(f"BU{i:08d}" for i in range(F.MAX_MEMBERS))
    assert len(FC.parse_focus_param("Veel:" + many)[0].codes) == F.MAX_MEMBERS
    assert _msgs(FC.parse_focus_param, "Veel:" + many + "+BU99999999") == (
        f"Focusgebieden in de link: 'Veel' heeft {F.MAX_MEMBERS + 1} leden (maximaal {F.MAX_MEMBERS}).",
        f"Focus areas in the link: 'Veel' has {F.MAX_MEMBERS + 1} members (at most {F.MAX_MEMBERS}).",
    )


def test_link_problems_are_all_named_in_order():
    long_name = "N" * 40
    text = f"Goed:WK047911;{long_name};:WK047912;Veel:" + "+".join(f"BU{i:08d}" for i in range(251)) + ";Ook:WK047913"
    nl, en = _msgs(FC.parse_focus_param, text)
    assert nl == (
        "Focusgebieden in de link: focusgebied 2 ('" + "N" * 30 + "') heeft geen ':' tussen naam en codes; "
        "focusgebied 3 heeft geen naam; 'Veel' heeft 251 leden (maximaal 250)."
    )
    assert en == (
        "Focus areas in the link: focus area 2 ('" + "N" * 30 + "') has no ':' between name and codes; "
        "focus area 3 has no name; 'Veel' has 251 members (at most 250)."
    )
    # the first ':' separates name and codes: a second one makes the codes invalid
    nl, en = _msgs(FC.parse_focus_param, "A:WK047911:X")
    assert nl == "Ongeldige focusgebieden: 'A': WK047911:X is geen wijk- of buurtcode (WK047912, BU04791201)."
    assert FC.parse_focus_param("A%3AB:WK047911")[0].name == "A:B"
    assert FC.parse_focus_param("A:WK047911")[0].source == "zelf gedefinieerd"
    assert FC.parse_focus_param("A:WK047911", source="programma")[0].source == "programma"


def test_syntax_check_messages_exact():
    empty = F.FocusArea("e", "Leeg", ())
    one_bad = F.FocusArea("b", "Fout", ("GM0479",))
    bad = F.FocusArea("m", "Veel fout", tuple(f"XX{i:02d}" for i in range(11)))
    mixed = F.FocusArea("x", "Mix", tuple(f"WK04791{i}" for i in range(6)) + tuple(f"BU047910{i}1" for i in range(6)))
    nl, en = _msgs(FC.syntax_check, [empty, one_bad, bad, mixed])
    ten = ", ".join(f"XX{i:02d}" for i in range(10))
    wk = ", ".join(f"WK04791{i}" for i in range(5))
    bu = ", ".join(f"BU047910{i}1" for i in range(5))
    assert nl == (
        "Ongeldige focusgebieden: 'Leeg' heeft geen leden; "
        "'Fout': GM0479 is geen wijk- of buurtcode (WK047912, BU04791201); "
        f"'Veel fout': {ten} zijn geen wijk- of buurtcode (WK047912, BU04791201); "
        f"'Mix' mengt wijken ({wk}) en buurten ({bu}); kies één niveau."
    )
    assert en == (
        "Invalid focus areas: 'Leeg' has no members; "
        "'Fout': GM0479 is not a wijk or buurt code(s) (WK047912, BU04791201); "
        f"'Veel fout': {ten} are not wijk or buurt code(s) (WK047912, BU04791201); "
        f"'Mix' mixes wijken ({wk}) and buurten ({bu}); choose one level."
    )
    two = F.FocusArea("t", "Twee", ("GM0479", "GM0363"))
    assert _msgs(FC.syntax_check, [two])[0] == (
        "Ongeldige focusgebieden: 'Twee': GM0479, GM0363 zijn geen wijk- of buurtcode (WK047912, BU04791201)."
    )
    FC.syntax_check([F.FocusArea("w", "Wijken", ("WK047911", "WK047912"))])  # fine: no error


def test_define_messages_exact():
    text = "Zonder gelijkteken " + "x" * 60
    assert _msgs(FC.parse_define, text) == (
        f"--define '{text[:60]}' heeft de vorm \"Naam=WK047911,WK047912\".",
        f"--define '{text[:60]}' must look like \"Name=WK047911,WK047912\".",
    )
    nl, _ = _msgs(FC.parse_define, "A=B=WK047911")  # the first '=' separates name and codes
    assert nl == "Ongeldige focusgebieden: 'A': B=WK047911 is geen wijk- of buurtcode (WK047912, BU04791201)."


def test_validate_messages_and_bounds_exact():
    twelve = [F.FocusArea.make(f"A{i}", ["WK047911"]) for i in range(12)]
    FC.validate(twelve, {"wijk": {"WK047911"}})
    assert _msgs(FC.validate, [*twelve, F.FocusArea.make("A12", ["WK047911"])], {"wijk": {"WK047911"}}) == (
        "13 focusgebieden; maximaal 12.",
        "13 focus areas; at most 12.",
    )
    area = F.FocusArea.make("Zuid", [f"WK04791{i}" for i in range(7)])
    nl, en = _msgs(FC.validate, [area], {"buurt": {"BU04791101"}}, level="buurt")  # no wijk codes known at all
    codes = ", ".join(f"WK04791{i}" for i in range(7))
    five = ", ".join(f"WK04791{i}" for i in range(5))
    assert nl == (
        f"Ongeldige focusgebieden: 'Zuid': {codes} niet gevonden in de gegevens (wijk); "
        f"'Zuid' bestaat uit wijken ({five}), maar er wordt op buurtniveau gescoord."
    )
    assert en == (
        f"Invalid focus areas: 'Zuid': {codes} not found in the data (wijk); "
        f"'Zuid' consists of wijk codes ({five}) but scoring is at buurt level."
    )


def test_json_file_format_and_every_refusal_exact():
    import json

    areas = [
        F.FocusArea.make("Ñoño – “wijk”", ["WK047911"], source="bron"),
        F.FocusArea.make("B", ["WK047912"], source="eigen"),
    ]
    text = FC.focus_to_json(areas)
    assert "Ñoño – “wijk”" in text and '\n "format": "stapelkaart-focusgebieden"' in text  # UTF-8, indent 1
    doc = json.loads(text)
    assert doc["focus_areas"][0] == {
        "id": "nono-wijk",
        "name": "Ñoño – “wijk”",
        "codes": ["WK047911"],
        "source": "bron",
    }
    back = FC.focus_from_json(text)
    assert [(a.id, a.name, a.codes, a.source) for a in back] == [(a.id, a.name, a.codes, a.source) for a in areas]
    head = {"format": FC.JSON_FORMAT, "version": FC.JSON_VERSION}

    def file(items, **extra):
        return json.dumps({**head, **extra, "focus_areas": items})

    # no id -> slug of the name; no source -> "zelf gedefinieerd"; a long source kept to 500 characters
    got = FC.focus_from_json(file([{"name": "Oud Oost", "codes": ["WK0363MB"], "source": "s" * 600}]))[0]
    assert got.id == "oud-oost" and got.source == "s" * 500
    got = FC.focus_from_json(file([{"id": "Eigen Id", "name": "X", "codes": ["WK0363MB"]}]))[0]
    assert got.id == "eigen-id" and got.source == "zelf gedefinieerd"
    padded = file([{"name": "A", "codes": ["WK047911"]}])
    padded = padded + " " * (FC.MAX_JSON_BYTES - len(padded))
    assert len(padded) == FC.MAX_JSON_BYTES and FC.focus_from_json(padded)[0].name == "A"
    assert _msgs(FC.focus_from_json, padded + " ") == (
        f"Focusgebiedenbestand is te groot ({FC.MAX_JSON_BYTES + 1} bytes, maximaal {FC.MAX_JSON_BYTES}).",
        f"Focus-area file is too large ({FC.MAX_JSON_BYTES + 1} bytes, at most {FC.MAX_JSON_BYTES}).",
    )
    nl, en = _msgs(FC.focus_from_json, "{niet json")
    assert nl.startswith("Focusgebiedenbestand is geen geldige JSON (") and en.startswith(
        "Focus-area file is not valid JSON ("
    )
    other = (
        'Geen Stapelkaart-focusgebiedenbestand (verwacht "format": "stapelkaart-focusgebieden" en een lijst '
        '"focus_areas").',
        'Not a Stapelkaart focus-area file (expected "format": "stapelkaart-focusgebieden" and a list "focus_areas").',
    )
    assert _msgs(FC.focus_from_json, "[1, 2]") == other
    assert _msgs(FC.focus_from_json, json.dumps({"format": "iets anders", "focus_areas": []})) == other
    assert _msgs(FC.focus_from_json, json.dumps({**head, "focus_areas": ["tekst"]})) == other
    assert _msgs(FC.focus_from_json, json.dumps({"format": FC.JSON_FORMAT, "version": 2, "focus_areas": []})) == (
        "Focusgebiedenbestand heeft versie 2; deze Stapelkaart leest versie 1.",
        "Focus-area file has version 2; this Stapelkaart reads version 1.",
    )
    twelve = [{"name": f"A{i}", "codes": ["WK047911"]} for i in range(12)]
    assert len(FC.focus_from_json(file(twelve))) == 12
    assert _msgs(FC.focus_from_json, file([*twelve, {"name": "A12", "codes": ["WK047911"]}])) == (
        "13 focusgebieden in het bestand; maximaal 12.",
        "13 focus areas in the file; at most 12.",
    )
    codes_msg = (
        "Focusgebied 2 in het bestand: 'codes' moet een lijst van hoogstens 250 codes zijn.",
        "Focus area 2 in the file: 'codes' must be a list of at most 250 codes.",
    )
    first = {"name": "A", "codes": ["WK047911"]}
    for bad in ("WK047911", ["WK047911", 7], [f"BU{i:08d}" for i in range(251)]):
        assert _msgs(FC.focus_from_json, file([first, {"name": "B", "codes": bad}])) == codes_msg
    assert len(FC.focus_from_json(file([{"name": "B", "codes": [f"BU{i:08d}" for i in range(250)]}]))[0].codes) == 250
    assert _msgs(FC.focus_from_json, file([first, {"name": " ", "codes": ["WK047911"]}])) == (
        "Focusgebied 2 in het bestand heeft geen naam.",
        "Focus area 2 in the file has no name.",
    )


def test_own_gemeente_base_leaves_suppressed_areas_out():
    """Fallback base (own gemeente): every area of the level in that gemeente with a value, minus suppressed ones."""
    from indicators.engine import make_reference, score_areas
    from tests.helpers_engine import age_shares, synthetic_frame

    a = synthetic_frame(40, seed=1, gemeente="GM9001")
    b = synthetic_frame(30, seed=2, gemeente="GM9002")
    nat = pd.concat([a, b], ignore_index=True)
    nat.attrs = a.attrs
    nat = nat.drop(columns=["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"])
    small = ["WK900103", "WK900117"]
    nat.loc[nat["code"].isin(small), "aantal_inwoners"] = 190  # < 200: suppressed; 15-65 = 125 >= min_denominator
    attrs = age_shares(nat["code"])
    ref = make_reference(nat, "nl", "wijk", 2024)
    t = score_areas(
        {2024: nat},
        2024,
        level="wijk",
        reference=ref,
        gemeenten=["GM9001"],
        attributes={2024: attrs[attrs["code"].str.startswith(("WK9001", "GM9001"))]},
        national=nat,
    ).table
    assert t["ww_werkleeftijd__ref"].dropna().str.contains("geen landelijke gegevens").all()
    assert (t["ww_werkleeftijd__ref_n"].dropna() == 38).all()  # 40 wijken - 2 suppressed
    assert t.loc[small, "ww_werkleeftijd__rank"].isna().all() and t.loc[small, "ww_werkleeftijd"].notna().all()
    base = t.loc[~t.index.isin(small) & t.index.str.startswith("WK9001"), "ww_werkleeftijd"]
    x = t.loc["WK900110", "ww_werkleeftijd"]
    assert t.loc["WK900110", "ww_werkleeftijd__rank"] == pytest.approx(100 * (base <= x).sum() / 38)


# --- data draws on a hand-built result: every step of the stated recipe ------------------------------------

DENSE = np.linspace(0.0, 20.0, 200_001)  # a fine base of ww rates (per 100): rank -> rate by inversion


def _fake_result(
    y, den, *, smoothing="none", prior=None, mode="ref", fixed=None, suppressed=None, bases=None, codes=None
):
    """The parts of a ScoreResult that data_draws reads: ww_werkleeftijd is the only drawn indicator; ao and
    bijstand (werk) keep fixed ranks, so the werk domain score is (r_ww + r_ao + r_bij) / 3."""
    from types import SimpleNamespace

    from indicators.reference import REF, Base, IndicatorBases
    from indicators.registry import INDICATORS

    codes = codes or [f"WK9001{i:02d}" for i in range(len(y))]
    uni = pd.DataFrame(index=pd.Index(codes, name="code"))
    for ind in INDICATORS.values():
        if ind.scored:
            uni[f"{ind.id}__rank"] = 50.0
    for col, val in (fixed or {}).items():
        uni[col] = val
    uni["suppressed"] = suppressed if suppressed is not None else False
    if bases is None:
        bases = {REF: DENSE} if mode == "ref" else {}
    ib = IndicatorBases(
        mode,
        {k: Base(k, v, {"nl": k, "en": k}) for k, v in bases.items()},
        {k: prior for k in bases} if prior is not None else {},
    )
    parts = {
        "ww_werkleeftijd": pd.DataFrame({"num": np.asarray(y, float), "den": np.asarray(den, float)}, index=uni.index)
    }
    ref_sorted = SimpleNamespace(bases={"ww_werkleeftijd": ib, "ao_werkleeftijd": None})
    settings = {"min_indicator_share": 0.5}
    if smoothing is not None:
        settings["smoothing"] = smoothing
    return SimpleNamespace(
        table=pd.DataFrame(index=uni.index), universe=uni, ref_sorted=ref_sorted, parts=parts, settings=settings
    )


def _ww_rates(res, n=20000, seed=1):
    from indicators.scores import DOMAIN_IDS
    from indicators.sensitivity import data_draws

    d = data_draws(res, n=n, seed=seed)
    werk = d[:, DOMAIN_IDS.index("werk"), :]
    r_ww = (
        3 * werk
        - res.universe["ao_werkleeftijd__rank"].to_numpy()[:, None]
        - res.universe["bijstand_werkleeftijd__rank"].to_numpy()[:, None]
    )
    return d, r_ww / 100 * 20.0  # invert the rank against DENSE


def test_data_draws_follow_the_rounding_range_and_the_jeffreys_posterior():
    """Count y rounded to tens: c ~ U(y - 5, y + 5) clipped at 0, lambda ~ Gamma(c + 1/2, 1), rate = 100 lambda / den."""
    from indicators.smoothing import Prior

    res = _fake_result([10.0, 0.0, 30.0], [1000.0, 1000.0, 1000.0], prior=Prior(0.05, 1e-4, 100))  # smoothing "none"
    _, rate = _ww_rates(res)
    lam = rate * 1000 / 100
    # y = 10: E = 10 + 1/2, Var = (10 + 1/2) + 10^2 / 12 (Poisson-Gamma plus the uniform rounding)
    assert lam[0].mean() == pytest.approx(10.5, abs=0.1)
    assert lam[0].var() == pytest.approx(10.5 + 100 / 12, rel=0.05)
    # y = 0: half of the rounding range lies below 0 and is clipped: E[c] = 1/2 x 5/2, E[lambda] = 1.25 + 0.5
    assert lam[1].mean() == pytest.approx(1.75, abs=0.05)
    assert lam[2].mean() == pytest.approx(30.5, abs=0.15)
    assert lam[2].var() == pytest.approx(30.5 + 100 / 12, rel=0.05)


def test_data_draws_shrink_like_the_engine_when_smoothing_is_eb():
    """EB_i = m + w_i (r_i - m), w_i = s2 / (s2 + m / n_i) on every drawn rate (per 1, then x 100)."""
    from indicators.smoothing import Prior

    prior = Prior(0.05, 2e-5, 100)
    w = prior.s2 / (prior.s2 + prior.m / 1000.0)
    for smoothing in ("eb", None):  # None: the setting is absent -> the engine default, eb
        res = _fake_result([10.0], [1000.0], smoothing=smoothing, prior=prior)
        _, rate = _ww_rates(res)
        want = 100 * (prior.m + w * (10.5 / 1000 - prior.m))
        assert rate[0].mean() == pytest.approx(want, abs=0.01)
    raw = _fake_result([10.0], [1000.0], smoothing="none", prior=prior)
    assert _ww_rates(raw)[1][0].mean() == pytest.approx(1.05, abs=0.01)


def test_data_draws_rank_against_the_own_gemeente_base():
    """mode "gemeente": each area against the base of its own gemeente; a base without rows is skipped."""
    codes = ["WK900101", "WK900201"]
    bases = {"GM9003": DENSE, "GM9001": DENSE, "GM9002": DENSE * 2}  # GM9003 has no area here
    res = _fake_result([10.0, 10.0], [1000.0, 1000.0], mode="gemeente", bases=bases, codes=codes)
    _, rate = _ww_rates(res, n=4000)
    assert rate[0].mean() == pytest.approx(1.05, abs=0.03)
    assert rate[1].mean() == pytest.approx(1.05 / 2, abs=0.03)  # the same rate ranks lower in GM9002


def test_data_draws_domain_rule_half_of_the_members_and_suppression():
    from indicators.scores import DOMAIN_IDS

    fixed = {
        "ao_werkleeftijd__rank": [60.0, np.nan, 60.0],
        "laag_inkomen__rank": [10.0, 10.0, 10.0],
        "sociaal_minimum__rank": [30.0, np.nan, 30.0],
        "laagste_40_huishoudens__rank": [np.nan, np.nan, 20.0],
        "inkomen_per_inwoner__rank": [np.nan, np.nan, np.nan],
    }
    res = _fake_result([10.0, 10.0, 10.0], [1000.0] * 3, fixed=fixed, suppressed=[False, False, True])
    d, _ = _ww_rates(res, n=4000)
    arm = d[:, DOMAIN_IDS.index("armoede"), :]
    assert np.allclose(arm[0], 20.0)  # 2 of 4 ranks = half: mean of the two known (10, 30)
    assert np.isnan(arm[1]).all()  # 1 of 4: withheld
    assert np.isnan(d[2]).all()  # suppressed area: nothing
    werk = d[:, DOMAIN_IDS.index("werk"), :]
    # ao missing: the mean of the two known ranks (ww drawn, bijstand 50), so the ww rank is 2 x werk - 50
    rate = (2 * werk[1] - 50.0) / 100 * 20.0
    assert rate.mean() == pytest.approx(1.05, abs=0.03) and ((2 * werk[1] - 50.0) >= 0).all()
    assert np.allclose(d[0, DOMAIN_IDS.index("wonen"), :], 50.0)  # no count-based member: the point score


# --- small rules: plural of the base, stacking band, exponential transform -------------------------------


def test_plural_names_what_the_national_frame_holds():
    assert FS._plural(pd.DataFrame({"level": ["gemeente", "gemeente"]})) == "gemeenten"
    assert FS._plural(pd.DataFrame({"level": ["wijk", None]})) == "wijken"
    assert FS._plural(pd.DataFrame({"level": ["buurt"]})) == "buurten"
    assert FS._plural(pd.DataFrame({"level": ["gemeente", "wijk"]})) == "gebieden"
    assert FS._plural(pd.DataFrame({"level": ["land"]})) == "gebieden"
    assert FS._plural(pd.DataFrame({"code": ["GM0363"]})) == "gebieden"


def test_stacking_band_default_and_bounds():
    from indicators.scores import DOMAIN_IDS, stacking

    scores = pd.DataFrame({d: [79.9, 80.0] for d in DOMAIN_IDS}, index=["a", "b"])
    count, labels = stacking(scores)  # default: the worst 20 %, score >= 80
    assert count.tolist() == [0, len(DOMAIN_IDS)] and labels.tolist() == ["", ";".join(DOMAIN_IDS)]
    assert labels.dtype == "string"
    narrow, _ = stacking(scores, 0.5)  # any band in (0, 100] is allowed
    assert narrow.tolist() == [0, 0]
    for bad in (0, -1, 100.5):
        with pytest.raises(UserInputError, match="tussen 0 en 100"):
            stacking(scores, bad)
    assert stacking(scores, 100)[0].tolist() == [len(DOMAIN_IDS)] * 2


def test_exponential_transform_keeps_a_series_a_series():
    import math

    from indicators.ranks import exponential_transform

    r = pd.Series([0.0, 50.0, 90.0, 100.0], index=list("abcd"))
    x = exponential_transform(r)
    assert isinstance(x, pd.Series) and x.index.tolist() == list("abcd")
    want = [-23 * math.log(1 - v / 100 * (1 - math.exp(-100 / 23))) for v in r]
    assert x.tolist() == pytest.approx(want) and x["d"] == pytest.approx(100.0)
    assert exponential_transform(np.array([90, 50], dtype=np.int64)).tolist() == pytest.approx(want[2:0:-1])


# --- smoothing: the formulas of the module docstring ----------------------------------------------------


def test_count_and_rate_interval_formulas():
    from scipy.stats import chi2

    from indicators.smoothing import count_interval, rate_interval

    y = np.array([0.0, 3.0, 10.0, 40.0, np.nan])
    for conf in (0.95, 0.8):
        for r in (0.0, 10.0):
            lo, hi = count_interval(y, r, conf)
            a = (1 - conf) / 2
            c_lo, c_hi = np.maximum(y - r / 2, 0), y + r / 2
            want_lo = np.where(c_lo > 0, chi2.ppf(a, 2 * np.where(c_lo > 0, c_lo, 1)) / 2, 0.0)
            want_hi = chi2.ppf(1 - a, 2 * (c_hi + 1)) / 2
            np.testing.assert_allclose(lo[:4], want_lo[:4])
            np.testing.assert_allclose(hi[:4], want_hi[:4])
            assert np.isnan(lo[4]) and np.isnan(hi[4])
    lo, hi = rate_interval(y, np.array([415.0, 415.0, 0.0, -5.0, 415.0]), 100.0, 10.0, 0.9)
    clo, chi_ = count_interval(y, 10.0, 0.9)
    assert lo[:2] == pytest.approx(100 * clo[:2] / 415) and hi[:2] == pytest.approx(100 * chi_[:2] / 415)
    assert np.isnan(lo[2:]).all() and np.isnan(hi[2:]).all()  # no positive denominator, no count
    d_lo, d_hi = rate_interval(np.array([10.0]), np.array([415.0]), 100.0)  # defaults: no rounding, 95 %
    assert d_lo[0] == pytest.approx(100 * count_interval(np.array([10.0]))[0][0] / 415)
    assert d_hi[0] == pytest.approx(100 * count_interval(np.array([10.0]))[1][0] / 415)


def test_eb_prior_weight_and_smoothed_rate_formulas():
    from indicators.smoothing import Prior, eb_prior, eb_weight, global_eb

    y = np.array([5.0, 30.0, 12.0, 80.0, np.nan, 7.0, 3.0])
    n = np.array([400.0, 1500.0, 900.0, 3000.0, 500.0, 0.0, np.nan])
    p = eb_prior(y, n)
    ok = np.isfinite(y) & np.isfinite(n) & (n > 0)
    yy, nn = y[ok], n[ok]
    m = yy.sum() / nn.sum()
    s2 = (nn * (yy / nn - m) ** 2).sum() / nn.sum() - m / nn.mean()
    assert (p.m, p.n_areas) == (pytest.approx(m), 4) and p.s2 == pytest.approx(max(s2, 0.0))
    empty = eb_prior(np.array([1.0]), np.array([0.0]))  # no area with a positive base
    assert np.isnan(empty.m) and np.isnan(empty.s2) and empty.n_areas == 0
    flat = eb_prior(np.array([10.0, 10.0, 10.0]), np.array([1000.0, 1000.0, 1000.0]))
    assert flat.s2 == 0.0 and flat.m == pytest.approx(0.01)  # negative moment estimate clipped to 0
    prior = Prior(0.02, 1e-4, 10)
    den = np.array([100.0, 1000.0, 0.0, np.nan])
    w = eb_weight(den, prior)
    assert w[:2] == pytest.approx(1e-4 / (1e-4 + 0.02 / den[:2])) and np.isnan(w[2:]).all()
    assert eb_weight(np.array([100.0]), Prior(0.02, 0.0, 10))[0] == 0.0
    rate = np.array([5.0, 1.0])  # per 100
    got = global_eb(rate, den[:2], prior, 100.0)
    assert got == pytest.approx(100 * (0.02 + w[:2] * (rate / 100 - 0.02)))
    assert global_eb(np.array([0.05]), np.array([1000.0]), prior)[0] == pytest.approx(0.02 + w[1] * 0.03)


# --- focus aggregation: sum over sum, the 90 % rule --------------------------------------------------------


def test_aggregate_parts_sum_over_sum_and_the_member_rule():
    part = pd.DataFrame(
        {
            "value": [10.0, 20.0, np.nan, 5.0, 8.0, 30.0],
            "num": [1.0, 4.0, np.nan, 0.5, 2.0, 6.0],
            "den": [10.0, 20.0, 2.0, 10.0, np.nan, 20.0],
            "year": [2024, 2023, 2024, 2022, 2024, 2024],
            "source": ["KWB", "KWB", "KWB", "bestand", "KWB", np.nan],
        },
        index=["a", "b", "c", "d", "e", "f"],
    )
    groups = {
        "one": ["d"],
        "ab": ["a", "b"],
        "abc": ["a", "b", "c"],
        "ac": ["a", "c"],
        "ae": ["a", "e"],
        "ad": ["a", "d"],
        "bf": ["b", "f"],
    }
    out = FS.aggregate_parts(part, groups, 100.0)
    assert out.index.tolist() == list(groups)
    assert out.columns.tolist() == ["value", "num", "den", "year", "source", "why", "dropped"]  # + reasons (issue 21)
    assert (out["value"].dtype, str(out["year"].dtype), str(out["source"].dtype)) == ("float64", "Int64", "string")
    assert out.loc["one"].tolist()[:5] == [5.0, 0.5, 10.0, 2022, "bestand"]  # one member: that member
    assert out.loc["ab", "value"] == pytest.approx(100 * 5 / 30) and out.loc["ab", "den"] == 30.0
    assert out.loc["ab", "num"] == 5.0 and out.loc["ab", "year"] == 2024 and out.loc["ab", "source"] == "KWB"
    # c has no value but only 2 of 32 of the base (6 %): left out, and named
    assert out.loc["abc", "value"] == pytest.approx(100 * 5 / 30)
    assert out.loc["abc", "source"] == "KWB (zonder c: 6% van de noemer)"
    # c without a value holds 2 of 12 (17 %): no silent partial sum
    assert np.isnan(out.loc["ac", "value"]) and pd.isna(out.loc["ac", "source"]) and pd.isna(out.loc["ac", "year"])
    assert np.isnan(out.loc["ac", "num"]) and np.isnan(out.loc["ac", "den"])
    # e's base is unknown: its share cannot be known, so no value
    assert np.isnan(out.loc["ae", "value"])
    assert out.loc["ad", "source"] == "KWB | bestand" and out.loc["ad", "year"] == 2024
    assert out.loc["bf", "source"] == "KWB" and out.loc["bf", "value"] == pytest.approx(100 * 10 / 40)
    # the rule's threshold is a parameter: at 0.95 the 94 % of 'abc' is not enough; exactly at it is
    assert np.isnan(FS.aggregate_parts(part, {"abc": ["a", "b", "c"]}, 1.0, 0.95).loc["abc", "value"])
    exact = part.assign(den=[9.0, 9.0, 2.0, 10.0, 1.0, 20.0])
    assert FS.aggregate_parts(exact, {"abc": ["a", "b", "c"]}, 1.0, 0.9).loc["abc", "value"] == pytest.approx(5 / 18)
    assert np.isnan(FS.aggregate_parts(part.assign(den=0.0), {"ab": ["a", "b"]}, 1.0).loc["ab", "value"])
    none = FS.aggregate_parts(part, {"cc": ["c", "c"]}, 1.0)
    assert np.isnan(none.loc["cc", "value"])


def test_preset_message_lists_presets_and_cuts_long_names():
    long = "p" * 70
    nl, en = _msgs(F.preset, long)
    known = "; ".join(f"{p.id} ({p.name})" for p in F.PRESETS.values())
    assert nl == f"Voorinstelling '{'p' * 60}' bestaat niet; kies uit: {known}."
    assert en == f"Preset '{'p' * 60}' does not exist; must be one of: {known}."


def test_focus_profile_is_the_aggregate_row_and_the_members_in_order():
    _, res = _synthetic_result()
    area = F.FocusArea.make("Twee", ["WK900105", "WK900102"])
    row, members = FS.focus_profile(res, area)
    table = FS.score_focus(res, [area])
    pd.testing.assert_series_equal(row, table.loc[area.id])
    assert members.index.tolist() == ["WK900105", "WK900102"]
    pd.testing.assert_frame_equal(members, res.universe.loc[["WK900105", "WK900102"]])
    row2, _ = FS.focus_profile(res, area, comparators=False)
    assert row2["population"] == pytest.approx(res.universe.loc[list(area.codes), "population"].sum())


def _two_gemeenten():
    """Synthetic wijken of two gemeenten (40 + 30) without KWB age groups (15-65 from the PDOK-style
    percentages in ``attrs``), scored against their own national frame: (nat, attrs, ref, res)."""
    from indicators.engine import make_reference, score_areas
    from tests.helpers_engine import age_shares, synthetic_frame

    a = synthetic_frame(40, seed=1, gemeente="GM9001")
    b = synthetic_frame(30, seed=2, gemeente="GM9002")
    nat = pd.concat([a, b], ignore_index=True)
    nat.attrs = a.attrs
    nat = nat.drop(columns=["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"])
    attrs = age_shares(nat["code"])
    ref = make_reference(nat, "nl", "wijk", 2024)
    res = score_areas(
        {2024: nat},
        2024,
        level="wijk",
        reference=ref,
        gemeenten=["GM9001", "GM9002"],
        attributes={2024: attrs},
        national=nat,
    )
    return nat, attrs, ref, res


def test_focus_area_over_two_gemeenten_gets_no_own_gemeente_rank():
    """An indicator ranked against the own gemeente: a focus area in one gemeente is ranked there; one over two
    gemeenten has no single own gemeente and gets no rank for it (the gemeente rows are ranked in their own)."""
    from indicators.engine import score_areas

    nat, attrs, ref, res = _two_gemeenten()
    one = F.FocusArea.make("Een", ["WK900101", "WK900102"])
    both = F.FocusArea.make("Twee", ["WK900101", "WK900201"])
    small = F.FocusArea.make("Klein", ["WK900103"])
    out = FS.score_focus(res, [one, both])
    assert np.isfinite(out.loc[one.id, "ww_werkleeftijd__rank"]) and np.isnan(out.loc[both.id, "ww_werkleeftijd__rank"])
    assert np.isfinite(out.loc[both.id, "ww_werkleeftijd"])  # the value itself is shown
    u = res.universe
    base = u.loc[u.index.str.startswith("WK9001") & ~u["suppressed"].astype(bool), "ww_werkleeftijd__eb"].dropna()
    assert out.loc[one.id, "ww_werkleeftijd__ref"] == u.loc["WK900101", "ww_werkleeftijd__ref"]
    assert out.loc["GM9002", "gemeenten"] == "GM9002" and out.loc[both.id, "gemeenten"] == "GM9001;GM9002"
    assert len(base) == int(u.loc["WK900101", "ww_werkleeftijd__ref_n"])
    # a focus area below the minimum population is suppressed like any area, with the reason
    res2 = score_areas(
        {2024: nat.assign(aantal_inwoners=np.where(nat["code"] == "WK900103", 150, nat["aantal_inwoners"]))},
        2024,
        level="wijk",
        reference=ref,
        gemeenten=["GM9001"],
        attributes={2024: attrs},
        national=nat,
    )
    o2 = FS.score_focus(res2, [small, one], comparators=False)
    assert bool(o2.loc[small.id, "suppressed"]) and o2.loc[small.id, "suppressed_reason"] == "population:200"
    assert not bool(o2.loc[one.id, "suppressed"]) and pd.isna(o2.loc[one.id, "suppressed_reason"])
    assert o2.loc[small.id, "population"] == 150 and pd.isna(o2.loc[small.id, "stacking_count"])


def test_domain_scores_mean_of_known_ranks_withheld_below_half():
    from indicators.scores import DOMAIN_IDS, domain_scores

    ranks = pd.DataFrame(
        {
            "a1": [10.0, np.nan, np.nan],
            "a2": [30.0, 50.0, np.nan],
            "a3": [np.nan, np.nan, np.nan],
            "a4": [20.0, np.nan, np.nan],
            "w1": [70.0, np.nan, 40.0],
        },
        index=["x", "y", "z"],
    )
    members = {"armoede": ["a1", "a2", "a3", "a4"], "werk": ["w1"]}  # other domains: no member here
    scores, n, m = domain_scores(ranks, members)  # default: at least half
    assert scores.loc["x", "armoede"] == pytest.approx(20.0) and n.loc["x", "armoede"] == 3
    assert np.isnan(scores.loc["y", "armoede"]) and n.loc["y", "armoede"] == 1  # 1 of 4 < half
    ranks.loc["y", "a1"] = 10.0
    scores, n, m = domain_scores(ranks, members)
    assert scores.loc["y", "armoede"] == pytest.approx(30.0)  # exactly half (2 of 4): kept
    assert np.isnan(scores.loc["z", "armoede"]) and scores.loc["z", "werk"] == 40.0
    assert m == {d: (4 if d == "armoede" else 1 if d == "werk" else 0) for d in DOMAIN_IDS}
    for d in DOMAIN_IDS:
        if d not in members:
            assert scores[d].isna().all() and (n[d] == 0).all() and n[d].index.tolist() == ["x", "y", "z"]
    strict, _, _ = domain_scores(ranks, members, min_share=0.75)
    assert np.isnan(strict.loc["y", "armoede"]) and strict.loc["x", "armoede"] == pytest.approx(20.0)


def test_domain_rank_against_the_own_gemeente_domain_scores():
    """A domain with an indicator on the gemeente base is ranked against the domain scores of the own gemeente
    (strictly lower = doing better), labelled with that gemeente, never as 'van Nederland'."""
    nat, _attrs, _ref, res = _two_gemeenten()
    t = res.table
    assert res.ref_domains.mode["werk"] == "gemeente" and set(res.ref_domains.by_key["werk"]) == {"GM9001", "GM9002"}
    assert res.ref_domains.national["werk"] == {"GM9001": False, "GM9002": False}
    for gm, n in (("GM9001", 40), ("GM9002", 30)):
        rows = t[t.index.str.startswith("WK" + gm[2:])]
        scores = rows["domain__werk"].dropna().to_numpy()
        assert len(scores) == n == res.ref_domains.by_key["werk"][gm].size
        code = rows.index[7]
        x = rows.loc[code, "domain__werk"]
        assert rows.loc[code, "domain__werk__rank"] == pytest.approx(100 * (scores < x).sum() / n)
        label = res.ref_domains.labels["werk"][gm]
        name = nat.set_index("code").loc[gm, "name"]
        assert label["nl"] == f"t.o.v. {n} wijken van {name} met gegevens (geen landelijke gegevens)"
        assert label["en"] == f"vs {n} districts of {name} with data (no national data)"
    # wonen has national values: ranked against the national domain scores, a fixed set of 70
    assert res.ref_domains.mode["wonen"] == "ref" and res.ref_domains["wonen"].size == 70
    assert (
        res.ref_domains.national["wonen"] == {"ref": True}
        and "van Nederland" in res.ref_domains.labels["wonen"]["ref"]["nl"]
    )
