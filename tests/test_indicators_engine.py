"""Unit tests of the indicator engine on SYNTHETIC frames (made up numbers, not CBS data).

``synthetic_frame`` builds a tidy KWB-like frame (same canonical column names as ``data.cbs.load_kwb``)
with random but plausible counts; it is only for checking the arithmetic and the rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators.engine import Reference, make_reference, score_areas
from indicators.focus import FocusArea
from indicators.focusscore import aggregate_parts, score_focus
from indicators.ranks import exponential_transform, percentile_rank
from indicators.rates import UserValues, resolve_indicator
from indicators.registry import DOMAINS, INDICATORS, METHOD_TEXT, get_domain, get_indicator, scored_indicators
from indicators.scores import composite_matrix, parse_weights, stacking, validate_weights
from tests.helpers_engine import score, synthetic_frame


@pytest.fixture
def synth():
    return synthetic_frame()


def test_unknown_indicator_lists_valid_ids():
    with pytest.raises(KeyError, match=r"must be one of: .*bijstand_per_1000.*woz_waarde"):
        get_indicator("bijstand")


def test_unknown_domain_lists_valid_ids():
    with pytest.raises(KeyError, match="must be one of: armoede, gezondheid, jeugd"):
        get_domain("veiligheid")


def test_registry_is_complete_and_consistent():
    assert set(DOMAINS) == {"armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd", "gezondheid"}
    for ind in INDICATORS.values():
        assert ind.label["nl"] and ind.label["en"] and ind.description["nl"] and ind.description["en"]
        assert ind.direction in (-1, 1)
        assert ind.domain is None or ind.domain in DOMAINS
        assert ind.kind == "external" or ind.numerator
    assert {i.id for i in scored_indicators("armoede")} == {
        "laag_inkomen",
        "sociaal_minimum",
        "laagste_40_huishoudens",
        "inkomen_per_inwoner",
    }  # bijstand: werk only
    assert get_indicator("inkomen_per_inwoner").direction == -1 and get_indicator("woz_waarde").direction == -1
    assert "taalachterstand" in get_indicator("laag_opgeleid").description["nl"]


def test_migration_background_is_context_only():
    ind = get_indicator("herkomst_buiten_europa")
    assert ind.scored is False and ind.domain is None
    assert all(i.id != ind.id for i in scored_indicators())
    assert "stigmatis" in METHOD_TEXT["nl"] and "stigmatise" in METHOD_TEXT["en"]


# --- ranks ------------------------------------------------------------------------------------------------


def test_percentile_rank_formula_and_direction():
    ref = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan])
    assert percentile_rank(pd.Series([1.0, 3.0, np.nan]), ref).tolist()[:2] == [25.0, 75.0]
    assert np.isnan(percentile_rank(pd.Series([np.nan]), ref).iloc[0])
    assert percentile_rank(pd.Series([1.0]), ref, direction=-1).iloc[0] == 100.0


def test_exponential_transform_endpoints():
    x = exponential_transform(np.array([0.0, 50.0, 90.0, 100.0]))
    assert x[0] == pytest.approx(0.0) and x[-1] == pytest.approx(100.0)
    assert x[2] == pytest.approx(-23 * np.log(1 - 0.9 * (1 - np.exp(-100 / 23))))
    assert np.all(np.diff(x) > 0)


# --- rates --------------------------------------------------------------------------------------------------


def test_ratio_rate_and_missing_part_is_nan(synth):
    synth.loc[5, "k_25_tot_45_jaar"] = np.nan
    res = score(synth)
    row = synth.iloc[3]
    expected = (
        100
        * row["personen_per_soort_uitkering_ww"]
        / (row["k_15_tot_25_jaar"] + row["k_25_tot_45_jaar"] + row["k_45_tot_65_jaar"])
    )
    assert res.table.loc[row["code"], "ww_werkleeftijd"] == pytest.approx(expected)
    assert np.isnan(res.table.loc[synth.loc[5, "code"], "ww_werkleeftijd"])  # never 0


def test_zero_denominator_gives_nan(synth):
    synth.loc[4, ["basisonderwijs_vmbo_mbo_1", "havo_vwo_mbo_24", "hbo_wo"]] = 0.0
    res = score(synth)
    assert np.isnan(res.table.loc[synth.loc[4, "code"], "laag_opgeleid"])


def test_year_fallback_and_user_file_priority(synth):
    old = synth.copy()
    old["year"] = 2022
    new = synth.copy()
    new.loc[3, "gemiddelde_woz_waarde_van_woningen"] = np.nan
    index = pd.Index(new["code"])
    woz = resolve_indicator({2022: old, 2024: new}, 2024, INDICATORS["woz_waarde"], index)
    code = new.loc[3, "code"]
    assert woz.loc[code, "year"] == 2022 and woz.loc[code, "value"] == old.loc[3, "gemiddelde_woz_waarde_van_woningen"]
    assert woz.loc[new.loc[4, "code"], "year"] == 2024
    assert "SYNTH" in woz.loc[code, "source"]
    uv = UserValues("woz_waarde", pd.Series({code: 123.0, new.loc[4, "code"]: 999.0}), 2023, "eigen bestand")
    woz = resolve_indicator({2022: old, 2024: new}, 2024, INDICATORS["woz_waarde"], index, user_values=[uv])
    assert woz.loc[code, "value"] == 123.0 and woz.loc[code, "year"] == 2023
    # the synthetic frames carry no Indelingswijziging flag: used, and the source says the change is unknown
    assert woz.loc[code, "source"] == "eigen bestand; indelingswijziging sinds 2023 onbekend"
    assert woz.loc[new.loc[4, "code"], "year"] == 2024  # a more recent KWB value wins over an older file


def test_values_from_before_a_boundary_change_are_not_used(synth):
    """An earlier year's value (or an imported file of an older area division) is not carried across
    a boundary change (Indelingswijziging 3) or a code change (2); where nothing changed (1) it is."""
    old = synth.copy()
    new = synth.copy()
    new["gemiddelde_woz_waarde_van_woningen"] = np.nan
    new["indelingswijziging_gemeente_wijk_buurt"] = "1"
    changed, renamed, same = new.loc[3, "code"], new.loc[4, "code"], new.loc[5, "code"]
    new.loc[new["code"] == changed, "indelingswijziging_gemeente_wijk_buurt"] = "3"
    new.loc[new["code"] == renamed, "indelingswijziging_gemeente_wijk_buurt"] = "2"
    index = pd.Index(new["code"])
    woz = resolve_indicator({2023: old, 2024: new}, 2024, INDICATORS["woz_waarde"], index)
    assert np.isnan(woz.loc[changed, "value"]) and np.isnan(woz.loc[renamed, "value"])
    assert woz.loc[same, "year"] == 2023 and "onbekend" not in woz.loc[same, "source"]
    uv = UserValues("woz_waarde", pd.Series({changed: 1.0, same: 2.0}), 2020, "bestand", boundary_year=2023)
    woz = resolve_indicator({2024: new}, 2024, INDICATORS["woz_waarde"], index, user_values=[uv])
    assert np.isnan(woz.loc[changed, "value"]) and woz.loc[same, "value"] == 2.0


def test_pdok_percentage_fallback_is_marked(synth):
    synth[["k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar"]] = np.nan
    attrs = pd.DataFrame(
        {
            "code": synth["code"],
            "percentage_personen_15_tot_25_jaar": 10,
            "percentage_personen_25_tot_45_jaar": 30,
            "percentage_personen_45_tot_65_jaar": 25,
        }
    )
    res = score(synth, attributes={2024: attrs})
    row = synth.iloc[2]
    assert res.table.loc[row["code"], "ao_werkleeftijd"] == pytest.approx(
        100 * row["personen_per_soort_uitkering_ao"] / (row["aantal_inwoners"] * 0.65)
    )
    assert "PDOK), afgeleid uit afgerond %" in res.table.loc[row["code"], "ao_werkleeftijd__source"]
    assert "PDOK" not in res.table.loc[row["code"], "woz_waarde__source"]


def test_external_indicator_counts_in_m_without_data(synth):
    res = score(synth)
    assert res.table["domain__schooluitval"].isna().all()
    assert (res.table["composite__m"] == 6).all() and (res.table["composite__n"] == 5).all()
    cov = res.coverage.set_index("indicator")
    assert cov.loc["voortijdig_schoolverlaten", "note"] == "geen gegevens op dit niveau"
    vsv = UserValues(
        "voortijdig_schoolverlaten",
        pd.Series(np.linspace(0.5, 5, 40), index=synth["code"][1:].to_numpy()),
        2023,
        "DUO VSV 2023",
    )
    res = score(synth, user_values=[vsv])
    assert res.table["domain__schooluitval"].notna().all() and (res.table["composite__n"] == 6).all()


# --- suppression, reference ---------------------------------------------------------------------------------


def test_small_areas_are_suppressed_and_excluded(synth):
    synth.loc[2, "aantal_inwoners"] = 150
    res = score(synth)
    row = res.table.loc[synth.loc[2, "code"]]
    assert bool(row["suppressed"]) and "population:200" in row["suppressed_reason"].split(";")  # < 200 inhabitants
    assert np.isnan(row["composite"]) and pd.isna(row["stacking_count"]) and np.isnan(row["woz_waarde__rank"])
    assert row["woz_waarde"] == synth.loc[2, "gemiddelde_woz_waarde_van_woningen"]  # CBS value stays visible
    # excluded from the reference: the best area now has rank 100 * 1/(n-1) ... at most 100
    assert res.table["woz_waarde__rank"].max() == 100.0


def test_min_denominator_withholds_value(synth):
    synth.loc[6, "woningvoorraad"] = 20  # < 50
    res = score(synth)
    row = res.table.loc[synth.loc[6, "code"]]
    assert np.isnan(row["sociale_huur"]) and "den_small:sociale_huur:50" in row["suppressed_reason"].split(";")
    # the reason is a code (the page words it beside the source: test_score_result), never Dutch in the source
    assert row["sociale_huur__why"] == "den_small" and "onderdrukt" not in str(row["sociale_huur__source"])


def test_reference_needs_ten_areas():
    small = synthetic_frame(n=9)
    with pytest.raises(UserInputError, match="minimaal 10"):
        make_reference(small, "selection", "wijk", 2024, ["GM9001"])
    with pytest.raises(UserInputError, match="minimaal 10"):
        score_areas(
            {2024: small},
            2024,
            level="wijk",
            reference=Reference("selection", "wijk", 2024, {"nl": "x", "en": "x"}, 5, ("GM9001",)),
        )


def test_reference_travels_with_the_result(synth):
    res = score(synth)
    assert res.reference.n_areas == 40 and res.reference.kind == "selection"
    assert (res.table["reference"] == res.reference.label["nl"]).all()


# --- weights, composite, stacking ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weights, match",
    [
        ({d: 0 for d in DOMAINS}, "Alle gewichten zijn 0"),
        ({"armoede": -1}, "niet negatief"),
        ({"armoede": float("inf")}, "eindig"),
        ({"veiligheid": 1}, "moet een van"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(UserInputError, match=match):
        validate_weights(weights)


def test_bad_weights_english_message_says_must_be_one_of():
    with pytest.raises(UserInputError) as err:
        parse_weights("armoede=2,veiligheid=1")
    assert "must be one of: armoede, werk, onderwijs, schooluitval, wonen, jeugd, gezondheid" in err.value.message_en


def test_composite_renormalises_over_available_domains():
    x = np.array([[80.0, 60.0, np.nan], [80.0, np.nan, np.nan]])
    comp, n, m = composite_matrix(x, np.array([1.0, 3.0, 1.0]), min_domains=1)
    assert comp[0] == pytest.approx((80 + 180) / 4) and comp[1] == pytest.approx(80.0)
    assert n.tolist() == [2, 1] and m == 3
    comp, _, _ = composite_matrix(x, np.array([1.0, 3.0, 1.0]), min_domains=2)
    assert np.isnan(comp[1])  # withheld, not shrunk towards 0


def test_composite_withheld_below_min_domains(synth):
    """Issue 21 (rule changed and stated): the minimum is min(3, weighted domains with data in the reference).
    Werk and onderwijs have data in half the wijken: those without them have 2 domains and get no composite."""
    half = synth.index[synth["code"].str[-2:].astype(int) % 2 == 0]
    synth.loc[
        half,
        [
            "personen_per_soort_uitkering_ww",
            "personen_per_soort_uitkering_ao",
            "personen_per_soort_uitkering_bijstand",
            "basisonderwijs_vmbo_mbo_1",
        ],
    ] = np.nan
    synth["percentage_jongeren_met_jeugdzorg"] = np.nan
    res = score(synth)  # every wijk: armoede, wonen; odd wijken also werk and onderwijs
    odd = res.table["code"].str[-2:].astype(int) % 2 == 1
    assert res.table.loc[~odd, "composite"].isna().all() and res.table.loc[odd, "composite"].notna().all()
    assert (res.table.loc[~odd, "composite__note"] == "withheld").all()  # a code; need = 3 says "fewer than 3"
    assert (res.table["composite__need"] == 3).all()
    assert res.reweight(None).table.loc[~odd, "composite"].isna().all()
    res = score(synth, min_domains=2)
    assert res.table["composite"].notna().all()


def test_composite_minimum_counts_only_weighted_domains_with_data(synth):
    """Only armoede and wonen have data anywhere: the minimum is 2 (not 3 of 6 that can never be met); a weight of
    0 on one of them lowers it to 1; a domain without data anywhere does not raise it."""
    synth[
        [
            "personen_per_soort_uitkering_ww",
            "personen_per_soort_uitkering_ao",
            "personen_per_soort_uitkering_bijstand",
            "basisonderwijs_vmbo_mbo_1",
            "percentage_jongeren_met_jeugdzorg",
        ]
    ] = np.nan
    res = score(synth)
    assert set(res.settings["domains_with_data"]) == {"armoede", "wonen"}
    assert res.table["composite"].notna().all() and (res.table["composite__need"] == 2).all()
    assert (res.table["composite__n"] == 2).all() and (res.table["composite__m"] == 6).all()
    one = res.reweight({"wonen": 0})
    assert (one.table["composite__need"] == 1).all() and (one.table["composite__n"] == 1).all()
    assert np.allclose(one.table["composite"], one.table["domain__armoede"])
    assert (one.table["composite__m"] == 5).all()


def test_weight_zero_takes_a_domain_out_of_stacking_and_composite(synth):
    res = score(synth)
    base = res.table
    assert (base["stacking_m"] == 6).all()
    w0 = res.reweight({"werk": 0}).table
    assert (w0["stacking_m"] == 5).all()
    known = sum(
        np.isfinite(base[f"domain__{d}__rank"].astype(float))
        for d in ("armoede", "onderwijs", "schooluitval", "wonen", "jeugd")
    )
    assert (w0["stacking_known"].astype(int) == known).all()
    flagged = sum(
        base[f"domain__{d}__band"].fillna(False).astype(bool)
        for d in ("armoede", "onderwijs", "schooluitval", "wonen", "jeugd")
    )
    assert (w0["stacking_count"].astype(int) == flagged).all()
    assert not w0["stacking_domains"].fillna("").str.contains("werk").any()
    assert base["stacking_domains"].fillna("").str.contains("werk").any()  # werk did stack before
    assert (w0["domain__werk__band"].astype(object) == base["domain__werk__band"].astype(object)).all()  # kept
    # the same through score_areas(weights=) as through reweight
    direct = score(synth, weights={"werk": 0}).table
    for c in ("stacking_count", "stacking_known", "stacking_m", "composite", "composite__n", "composite__need"):
        assert direct[c].astype(float).equals(w0[c].astype(float)), c


def test_stacking_threshold_is_inclusive():
    scores = pd.DataFrame({d: [80.0, 79.9] for d in DOMAINS})
    count, names = stacking(scores, 20.0)
    assert count.tolist() == [7, 0]
    assert names.iloc[0] == "armoede;werk;onderwijs;schooluitval;wonen;jeugd;gezondheid"


def test_reweight_equals_fresh_score(synth):
    w = {"armoede": 3, "werk": 0.5, "wonen": 0}
    a = score(synth).reweight(w).table
    b = score(synth, weights=w).table
    pd.testing.assert_series_equal(a["composite"], b["composite"])


def test_exp_transform_changes_only_composite(synth):
    a = score(synth).table
    b = score(synth, transform="exp").table
    pd.testing.assert_series_equal(a["domain__armoede"], b["domain__armoede"])
    assert not np.allclose(a["composite"], b["composite"])
    assert b["composite"].between(0, 100).all()


# --- focus ---------------------------------------------------------------------------------------------------


def test_focus_sums_numerators_not_rates(synth):
    res = score(synth)
    members = tuple(synth["code"].iloc[1:5])
    focus = score_focus(res, {"f": FocusArea("f", "F", tuple(members))})
    wijken = synth.set_index("code").loc[list(members)]
    assert focus.loc["f", "bijstand_per_1000"] == pytest.approx(
        1000 * wijken["personen_per_soort_uitkering_bijstand"].sum() / wijken["aantal_inwoners"].sum()
    )
    assert focus.loc["f", "sociale_huur"] == pytest.approx(
        (wijken["in_bezit_woningcorporatie"] * wijken["woningvoorraad"]).sum() / wijken["woningvoorraad"].sum()
    )
    assert focus.loc["GM9001", "kind"] == "gemeente" and focus.loc["NL00", "kind"] == "land"


def test_focus_member_missing_makes_group_missing():
    part = pd.DataFrame(
        {
            "value": [10.0, np.nan],
            "num": [1.0, np.nan],
            "den": [10.0, 100.0],
            "year": pd.array([2024, pd.NA], dtype="Int64"),
            "source": ["a", pd.NA],
        },
        index=["A", "B"],
    )
    out = aggregate_parts(part, {"g": ["A", "B"]}, 100.0)
    assert np.isnan(out.loc["g", "value"])
    part.loc["B", "den"] = 1.0  # B holds < 10 % of the base: left out, and said so
    out = aggregate_parts(part, {"g": ["A", "B"]}, 100.0)
    assert out.loc["g", "value"] == pytest.approx(10.0) and "zonder B" in out.loc["g", "source"]


def test_nl_row_not_available_without_national_data(synth):
    res = score(synth)
    focus = score_focus(res, {"f": FocusArea("f", "F", (synth.loc[1, "code"],))})
    assert np.isnan(focus.loc["NL00", "woz_waarde"])
    focus = score_focus(
        res, {"f": FocusArea("f", "F", (synth.loc[1, "code"],))}, national=synth[synth["level"] == "wijk"]
    )
    wijken = synth[synth["level"] == "wijk"]
    assert focus.loc["NL00", "bijstand_per_1000"] == pytest.approx(
        1000 * wijken["personen_per_soort_uitkering_bijstand"].sum() / wijken["aantal_inwoners"].sum()
    )


def test_fixed_classes_put_exactly_80_in_the_worst_band():
    """The map's fixed classes and stacking agree: a domain score of exactly 80 is in the worst band."""
    from geo.classify import classify

    c = classify(np.array([79.99, 80.0, 100.0, 0.0]), "fixed")
    worst = c.highlight
    assert c.classes[1] == worst and c.classes[2] == worst and c.classes[0] != worst


def test_composite_needs_no_more_domains_than_carry_weight():
    """Weights on two domains only: two scored domains are enough (min_domains is capped at 2)."""
    from indicators.scores import composite_matrix

    x = np.array([[90.0, 70.0, np.nan, np.nan, np.nan, np.nan]])
    comp, n, m = composite_matrix(x, np.array([1.0, 1.0, 0, 0, 0, 0]), min_domains=3)
    assert comp[0] == pytest.approx(80.0) and n[0] == 2 and m == 2
    comp_all, _, _ = composite_matrix(x, np.ones(6), min_domains=3)
    assert np.isnan(comp_all[0])
