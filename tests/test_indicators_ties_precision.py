"""Issue 21, ties and precision: equal domain scores in exact arithmetic share a rank, the CLI's JSON keeps every
bit of a double, and a percentage published whole prints whole."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pandas as pd

from indicators.columns import domain_columns
from indicators.ranks import sorted_reference
from indicators.scores import DOMAIN_IDS, SCORE_DECIMALS, domain_scores

# ranks k x 100 / 327 whose float mean depends on the order of summation (found by search; exact means equal)
A, B, C = 100 * 108 / 327, 100 * 49 / 327, 100 * 250 / 327


def test_the_constructed_ranks_really_differ_as_floats_and_not_as_rationals():
    assert (A + B + C) / 3 != (C + B + A) / 3
    exact = [sum(Fraction(x) for x in p) / 3 for p in ((A, B, C), (C, B, A))]
    assert abs(exact[0] - exact[1]) < Fraction(1, 10**12)


def _ranks() -> pd.DataFrame:
    # X and Y hold the same three ranks in another column order; Z is the next value up
    return pd.DataFrame(
        {"i1": [A, C, A, 10.0], "i2": [B, B, B, 20.0], "i3": [C, A, C + 1e-6, 30.0]}, index=["X", "Y", "Z", "W"]
    )


def test_equal_domain_scores_in_exact_arithmetic_are_equal_floats():
    scores, _, _ = domain_scores(_ranks(), {"armoede": ["i1", "i2", "i3"]})
    s = scores["armoede"]
    assert s["X"] == s["Y"]
    assert s["Z"] > s["X"]  # a real difference (1e-6 / 3) is kept
    assert s["X"] == round(float(Fraction(A) / 3 + Fraction(B) / 3 + Fraction(C) / 3), SCORE_DECIMALS)


def test_exact_ties_share_a_domain_rank():
    ranks = _ranks()
    scores, n, m = domain_scores(ranks, {"armoede": ["i1", "i2", "i3"]})
    ref = {d: (sorted_reference(scores[d], 1) if d == "armoede" else np.array([])) for d in DOMAIN_IDS}
    out, _ = domain_columns(
        scores, n, m, pd.Series(False, index=ranks.index), ref, {"worst_band": 20.0, "transform": "rank"}
    )
    r = out["domain__armoede__rank"]
    assert r["X"] == r["Y"] == 25.0  # strictly better score (lower): W only, 1 of 4
    assert r["Z"] == 75.0  # W, X and Y


def test_cli_json_records_keep_full_double_precision():
    from indicators.__main__ import json_records

    frame = pd.DataFrame(
        {
            "composite": [61.856190476190477, np.nan],
            "n": pd.array([3, pd.NA], dtype="Int64"),
            "band": pd.array([True, pd.NA], dtype="boolean"),
            "name": ["Oost", None],
        }
    )
    back = json.loads(json.dumps(json_records(frame)))
    assert back[0] == {"composite": 61.856190476190477, "n": 3, "band": True, "name": "Oost"}
    assert back[1] == {"composite": None, "n": None, "band": None, "name": None}
    assert json.loads(frame.to_json(orient="records"))[0]["composite"] != 61.856190476190477  # pandas' 10 decimals


def test_a_share_derived_from_a_whole_published_percentage_is_that_percentage():
    from indicators.rates import indicator_parts
    from indicators.registry import INDICATORS

    ind = INDICATORS["herkomst_buiten_europa"]
    codes = pd.Index([f"WK{i:06d}" for i in range(1, 101)])
    frame = pd.DataFrame({"code": codes, "aantal_inwoners": np.arange(1001.0, 1101.0)})
    attrs = pd.DataFrame({"code": codes, "percentage_met_herkomstland_buiten_europa": np.arange(100) % 60 + 1.0})
    p = indicator_parts(frame, ind, codes, attrs)
    assert p["value"].tolist() == attrs["percentage_met_herkomstland_buiten_europa"].tolist()
    assert (100 * p["num"] / p["den"] != p["value"]).any()  # the old computation left float noise on some
