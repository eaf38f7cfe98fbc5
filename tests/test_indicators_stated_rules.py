"""Issue 21: the rules that decide whether a value, rank, domain or composite exists are stated, and the engine
depends on no global focus-area set."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd

from tests.conftest import REPO


def test_the_engine_does_not_import_the_focus_module():
    code = (
        "import sys, indicators.engine, indicators.columns as e; e.row_gemeentes(__import__('pandas').Index(['zuidoost'])); "
        "assert not {'indicators.focus', 'indicators.focuscodec', 'indicators.focusscore'} & set(sys.modules), "
        "'engine imports focus'"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode == 0, out.stderr


def test_row_gemeentes_take_the_callers_focus_areas_not_a_global_default():
    from indicators.columns import row_gemeentes

    idx = pd.Index(["WK0363MC", "zuidoost", "mijn-wijk"])
    assert list(row_gemeentes(idx)) == ["GM0363", "", ""]  # the default set is not consulted
    assert list(row_gemeentes(idx, {"mijn-wijk": "GM0479"})) == ["GM0363", "", "GM0479"]
    assert isinstance(row_gemeentes(idx), np.ndarray)


def test_method_rules_are_generated_from_the_settings():
    from indicators import method

    s = {"min_reference_values": 12, "min_population": 250, "min_indicator_share": 0.5, "min_domains": 4}
    rules = dict(method.availability_rules(s, "nl"))
    assert "minder dan 12 gebieden" in rules["D1 · Rang t.o.v. de eigen gemeente"]
    assert "minimaal 12" in rules["D1 · Rang t.o.v. de eigen gemeente"]
    assert "IndelingswijzigingGemeenteWijkBuurt" in rules["D2 · Gewijzigde indeling"]
    assert "3 (grenzen gewijzigd)" in rules["D2 · Gewijzigde indeling"]
    assert "minder dan 250 inwoners" in rules["Onderdrukking"]
    assert "min(4, aantal domeinen met gewicht boven 0" in rules["Samengestelde score en gewicht 0"]
    assert "90 %" in rules["Focusgebied"] and "50 %" in rules["Domeinscore"]
    en = dict(method.availability_rules(s, "en"))
    assert len(en) == len(rules) and "fewer than 12 areas" in en["D1 · Rank vs the own municipality"]


def test_the_readme_example_weights_give_composites(mirror, warm_cache):
    """README: `w=armoede:2,werk:0` on Zaanstad + Amsterdam. Before: no composite for any of the 128 wijken (the
    minimum counted 3 of the 5 weighted domains, of which only wonen (and armoede with the income file) have data)."""
    from pages._common import loaders_frames

    result, _ = loaders_frames._score(("GM0363", "GM0479"), 2024, "wijk", "nl", ())
    w = result.reweight({"armoede": 2, "werk": 0}).table
    have = w["composite"].notna()
    assert have.sum() >= 100, int(have.sum())
    data = set(result.settings["domains_with_data"])
    need = min(3, len({"armoede", "onderwijs", "schooluitval", "wonen", "jeugd"} & data))
    assert (w["composite__need"] == need).all()
    assert (w.loc[have, "composite__n"] >= need).all() and (
        w.loc[~have & ~w["suppressed"], "composite__n"] < need
    ).all()
    assert (w["stacking_m"] == 5).all() and not w["stacking_domains"].fillna("").str.contains("werk").any()


def _parts(values, dens, dropped=None, why=None):
    p = pd.DataFrame(
        {"value": values, "num": values, "den": dens}, index=[f"WK0479{i:02d}" for i in range(len(values))]
    )
    if dropped is not None:
        p["dropped"] = dropped
    if why is not None:
        p["why"] = why
    return p


def test_why_codes_one_per_rule():
    from indicators.columns import why_codes
    from indicators.reference import IndicatorBases
    from indicators.registry import INDICATORS

    ind = INDICATORS["ww_werkleeftijd"]  # scored, min_denominator 100
    p = _parts(
        [np.nan, np.nan, np.nan, 5.0, 6.0, 7.0, np.nan, np.nan],
        [500, 50, 500, 500, 500, 500, 500, 500],
        dropped=[False, False, True, False, False, False, False, False],
        why=["", "", "", "", "", "", "members:0.5000:WK047901", ""],
    )
    rank = np.array([np.nan, np.nan, np.nan, 40.0, np.nan, np.nan, np.nan, np.nan])
    keys = np.array(["GM0479"] * 4 + ["GM0479", "GM0363", "GM0479", "GM0479"], dtype=object)
    ib = IndicatorBases("gemeente", small={"GM0479": 5})
    supp = np.array([False] * 7 + [True])
    got = list(why_codes(ind, p, rank, keys, ib, supp, 12))
    assert got == [
        "no_value",
        "den_small",
        "boundary_changed",
        "",
        "base_small:5:12",
        "no_base",
        "members:0.5000:WK047901",
        "suppressed",
    ]


def test_why_codes_of_context_indicators_never_claim_a_missing_rank():
    from indicators.columns import why_codes
    from indicators.reference import IndicatorBases
    from indicators.registry import INDICATORS

    ind = INDICATORS["herkomst_buiten_europa"]  # context: no rank by design
    p = _parts([12.0, np.nan], [900, 900])
    got = why_codes(
        ind,
        p,
        np.array([np.nan, np.nan]),
        np.array(["GM0479"] * 2, dtype=object),
        IndicatorBases("none"),
        np.array([False, False]),
    )
    assert list(got) == ["", "no_value"]


def test_rates_flag_a_value_dropped_for_changed_boundaries():
    """Rule D2: the imported 2020 value of a wijk whose KWB 2024 flag says 3 (boundaries changed) is not used and
    the part says so (``dropped``); flag 1 keeps it; a wijk without a file value is not 'dropped'."""
    from indicators.rates import UserValues, resolve_indicator
    from indicators.registry import INDICATORS

    ind = INDICATORS["laagste_40_huishoudens"]
    codes = pd.Index(["WK047911", "WK047912", "WK047913"])
    frames = {
        y: pd.DataFrame(
            {
                "code": codes,
                "huishoudens_totaal": [1000.0, 1000.0, 1000.0],
                "indelingswijziging_gemeente_wijk_buurt": ["1", "1", "1"],
            }
        )
        for y in (2021, 2022, 2023)
    }
    frames[2024] = pd.DataFrame(
        {
            "code": codes,
            "huishoudens_totaal": [1000.0, 1000.0, 1000.0],
            "indelingswijziging_gemeente_wijk_buurt": ["3", "1", "1"],
        }
    )
    uv = UserValues(
        ind.id, pd.Series([55.0, 60.0, np.nan], index=codes), 2020, "CBS maatwerk 2023/35", boundary_year=2023
    )
    p = resolve_indicator(frames, 2024, ind, codes, user_values=[uv])
    assert np.isnan(p.loc["WK047911", "value"]) and p.loc["WK047912", "value"] == 60.0
    assert p["dropped"].tolist() == [True, False, False]


def test_focus_group_without_enough_coverage_names_its_members_without_a_value():
    from indicators.focusscore import aggregate_parts

    part = pd.DataFrame(
        {
            "value": [10.0, np.nan, 30.0],
            "num": [100.0, np.nan, 300.0],
            "den": [1000.0, 1000.0, 9000.0],
            "year": [2024, 2024, 2024],
            "source": ["KWB", "KWB", "KWB"],
        },
        index=["WK047911", "WK047912", "WK047913"],
    )
    out = aggregate_parts(part, {"a": ["WK047911", "WK047912"], "b": ["WK047912", "WK047913"], "c": ["WK047912"]}, 100)
    assert np.isnan(out.loc["a", "value"]) and out.loc["a", "why"] == "members:0.5000:WK047912"
    assert out.loc["b", "value"] == 100 * 300 / 9000 and out.loc["b", "why"] == ""  # 90 % covered: used
    assert np.isnan(out.loc["c", "value"]) and out.loc["c", "why"] == ""  # one member: its own reason


def test_reweight_changes_only_the_reweighted_columns():
    """Caches of unweighted scores (loaders_map.map_join) copy exactly ``REWEIGHTED_COLUMNS`` per run."""
    from indicators.columns import REWEIGHTED_COLUMNS
    from tests.helpers_engine import score, synthetic_frame

    res = score(synthetic_frame())
    other = res.reweight({"werk": 0, "armoede": 3}).table
    changed = {c for c in res.table.columns if not res.table[c].astype(object).equals(other[c].astype(object))}
    assert changed and changed <= set(REWEIGHTED_COLUMNS)
    assert {"composite", "stacking_count", "stacking_m"} <= changed
