"""The base of every rank in words and numbers (``indicators/reference.py``), on small constructed inputs.

Mirror-free and fast: part of the mutation selection (``benchmarks/mutation.py``). Each expected label is
written out by hand from the rule in the module docstring (a rank's base names its size and what it is, Dutch
and English; a low national base names the gemeenten it lies in; a fallback to the own gemeente says so); each
expected rank is counted by hand from the definition (share of the base at or below, or strictly below).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators.engine import Reference
from indicators.ranks import rank_against, sorted_reference
from indicators.reference import (
    REF,
    base_gemeenten,
    domain_bases,
    gemeente_label,
    gemeente_names,
    gemeente_of,
    level_words,
    rank_by_key,
    ref_label,
)

NNBSP = "\u202f"  # the Dutch thousands separator (core.numbers)


def _nl(n_areas: int, level: str = "wijk") -> Reference:
    return Reference(kind="nl", level=level, year=2024, label={"nl": "", "en": ""}, n_areas=n_areas)


def _selection(n_areas: int) -> Reference:
    return Reference(
        kind="selection",
        level="wijk",
        year=2024,
        label={"nl": "wijken van Amsterdam, Zaanstad, 2024", "en": "districts of Amsterdam, Zaanstad, 2024"},
        n_areas=n_areas,
    )


# --- ref_label: size and kind of the base, in both languages ---------------------------------------------


def test_exactly_half_of_the_country_is_still_called_national():
    """The rule is "below half of the named reference": 1 503 of 3 006 wijken (exactly half) is national."""
    half = ref_label(_nl(3006), 1503)
    assert half == (
        {
            "nl": f"t.o.v. 1{NNBSP}503 wijken van Nederland met gegevens (50 % van alle 3{NNBSP}006)",
            "en": "vs 1,503 districts of the Netherlands with data (50 % of all 3,006)",
        },
        True,
    )
    below = ref_label(_nl(3006), 1502)  # 49.97 %: below half, the true base is named instead
    assert below == (
        {
            "nl": f"t.o.v. 1{NNBSP}502 wijken met gegevens (50 % van Nederland)",
            "en": "vs 1,502 districts with data (50 % of the Netherlands)",
        },
        False,
    )


def test_low_national_base_names_the_gemeenten_it_lies_in_sorted_and_once():
    ref = _nl(3006)  # 114 of 3 006 = 3.8 %
    cases = {
        ("Amsterdam",): (", landelijk alleen in Amsterdam", ", nationally only in Amsterdam"),
        ("Zaanstad", "Amsterdam", "Zaanstad"): (
            ", landelijk alleen in Amsterdam en Zaanstad",
            ", nationally only in Amsterdam and Zaanstad",
        ),
        ("Zaanstad", "Almere", "Amsterdam"): (
            ", landelijk alleen in Almere, Amsterdam en Zaanstad",
            ", nationally only in Almere, Amsterdam and Zaanstad",
        ),
        ("Zaanstad", "Almere", "Amsterdam", "Utrecht"): ("", ""),  # more than three: not named
        (): ("", ""),
    }
    for gemeenten, (where_nl, where_en) in cases.items():
        label, national = ref_label(ref, 114, gemeenten)
        assert label == {
            "nl": f"t.o.v. 114 wijken met gegevens (4 % van Nederland){where_nl}",
            "en": f"vs 114 districts with data (4 % of the Netherlands){where_en}",
        }, gemeenten
        assert national is False


def test_selection_base_at_half_and_below_half_in_both_languages():
    ref = _selection(116)
    assert ref_label(ref, 58) == (
        {
            "nl": "t.o.v. 58 wijken van Amsterdam, Zaanstad met gegevens",
            "en": "vs 58 districts of Amsterdam, Zaanstad with data",
        },
        False,
    )
    assert ref_label(ref, 57) == (  # 57 / 116 = 49.1 %
        {
            "nl": "t.o.v. 57 wijken met gegevens (49 % van wijken van Amsterdam, Zaanstad)",
            "en": "vs 57 districts with data (49 % of districts of Amsterdam, Zaanstad)",
        },
        False,
    )


def test_a_reference_without_areas_gives_zero_percent_not_a_division_by_zero():
    label, _ = ref_label(_nl(0), 0)
    assert label["nl"].endswith("(0 % van alle 0)") and label["en"].endswith("(0 % of all 0)")


# --- the own-gemeente fallback says so ------------------------------------------------------------------


def test_gemeente_label_says_no_national_data_with_grouped_counts():
    assert gemeente_label("wijk", 1234, "Amsterdam") == {
        "nl": f"t.o.v. 1{NNBSP}234 wijken van Amsterdam met gegevens (geen landelijke gegevens)",
        "en": "vs 1,234 districts of Amsterdam with data (no national data)",
    }
    assert gemeente_label("buurt", 12, "Zaanstad") == {
        "nl": "t.o.v. 12 buurten van Zaanstad met gegevens (geen landelijke gegevens)",
        "en": "vs 12 neighbourhoods of Zaanstad with data (no national data)",
    }


def test_level_words_of_an_unknown_level_is_the_level_itself():
    assert level_words("gemeente") == ("gemeenten", "municipalities")
    assert level_words("regio") == ("regio", "regio")


# --- which gemeenten a base lies in, and their names -----------------------------------------------------


def test_base_gemeenten_names_each_gemeente_once_and_a_nameless_one_by_code():
    codes = ["WK047912", "BU036301", "WK036305", "WK999901"]
    names = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
    assert base_gemeenten(codes, names) == ("Amsterdam", "GM9999", "Zaanstad")
    assert base_gemeenten(pd.Index(["NL00", "zuidoost"]), names) == ()


def test_gemeente_names_from_a_kwb_frame():
    frame = pd.DataFrame(
        {
            "gemeente_code": ["GM0363", "GM0363", "GM0479", "GM0001", "GM0002", None],
            "gemeentenaam": [" Amsterdam ", " Amsterdam ", "Zaanstad", "   ", None, "Nergens"],
        }
    )
    # stripped; a blank or missing name and a row without a code are left out
    assert gemeente_names(frame) == {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
    assert gemeente_names(frame.drop(columns="gemeentenaam")) == {}
    assert gemeente_names(frame.drop(columns="gemeente_code")) == {}


def test_gemeente_of_only_reads_the_four_digits_after_a_region_prefix():
    codes = pd.Index(["NL00", "WK036", "PC101112", "WKX12345", "BU04790101", "GM0363"])
    # the country, a cut-off code, a postcode and a code without four digits lie in no gemeente
    assert gemeente_of(codes).tolist() == ["", "", "", "", "GM0479", "GM0363"]


# --- rank_by_key: each row ranked against the base of its key --------------------------------------------


def _keys(*k):
    return np.array(k, dtype=object)


def test_rank_by_key_defaults_to_higher_is_worse_at_or_below():
    base = {REF: np.array([1.0, 2.0, 3.0, 4.0])}
    # at or below 2: 2 of 4; strictly below 2: 1 of 4
    assert rank_by_key(np.array([2.0]), _keys(REF), base).tolist() == [50.0]
    assert rank_by_key(np.array([2.0]), _keys(REF), base, strict=True).tolist() == [25.0]


def test_rank_by_key_lower_is_worse_counts_the_base_at_or_above():
    base = {REF: np.sort(-np.array([1.0, 2.0, 3.0]))}  # oriented: -r
    got = rank_by_key(np.array([1.0, 2.0, 3.0]), _keys(REF, REF, REF), base, -1)
    # x = 1: all three are >= 1; x = 2: two; x = 3: one
    np.testing.assert_allclose(got, [100.0, 200.0 / 3, 100.0 / 3])


def test_a_missing_value_has_no_strict_rank():
    got = rank_by_key(
        np.array([1.0, None, 3.0], dtype=object),
        _keys(REF, REF, REF),
        {REF: np.array([1.0, 2.0, 3.0, 4.0])},
        1,
        strict=True,
    )
    assert got[0] == 0.0 and np.isnan(got[1]) and got[2] == 50.0


def test_every_key_with_a_base_is_ranked_also_after_an_unused_one_and_a_base_of_one():
    bases = {"GM0001": np.array([1.0, 2.0]), "GM0002": np.array([5.0]), "GM0003": np.array([])}
    keys = _keys("GM0002", "GM0002", "GM0002", "GM0003", "GM0004")
    x = np.array([4.0, 5.0, 6.0, 1.0, 1.0])
    le = rank_by_key(x, keys, bases)
    lt = rank_by_key(x, keys, bases, 1, strict=True)
    assert le[:3].tolist() == [0.0, 100.0, 100.0] and lt[:3].tolist() == [0.0, 0.0, 100.0]
    assert np.isnan(le[3:]).all() and np.isnan(lt[3:]).all()  # an empty base and a key without a base: no rank


# --- domain_bases: per domain, the reference or each own gemeente ----------------------------------------


def _domain_inputs():
    ams = [f"WK0363{i:02d}" for i in range(12)]
    zaan = [f"WK0479{i:02d}" for i in range(6)]
    other = [f"WK0777{i:02d}" for i in range(10)]
    codes = ["XX000001", *ams, *zaan, *other]  # first a row in no gemeente
    keys = np.array(["", *["GM0363"] * 12, *["GM0479"] * 6, *["GM0777"] * 10], dtype=object)
    rng = np.random.default_rng(7)
    g = pd.Series(rng.uniform(0, 100, len(codes)), index=codes)
    nan = np.nan
    ref = pd.DataFrame(
        {
            "a": [nan, *range(10), nan, nan, *[nan] * 6, *[nan] * 10],  # exactly 10 values, all in Amsterdam
            "b": [nan, *range(9), *[nan] * 3, *[nan] * 6, *[nan] * 10],  # 9 values: one too few
            "g": g.to_numpy(),
        },
        index=codes,
        dtype="float64",
    )
    alls = ref.assign(d=1.0)  # "d": scored, but not in the reference frame
    return codes, keys, g, ref, alls


def test_domain_bases_reference_mode_at_exactly_the_minimum_and_below():
    codes, keys, _, ref, alls = _domain_inputs()
    names = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
    out = domain_bases(ref, alls, {"g": "gemeente"}, keys, np.ones(len(codes), bool), _nl(100), names, 10)
    assert out.mode == {"a": "ref", "b": "ref", "d": "ref", "g": "gemeente"}  # ref unless said otherwise
    assert out["a"].tolist() == [float(v) for v in range(10)]
    assert out.by_key["a"][REF].tolist() == out["a"].tolist()
    assert out.labels["a"] == {
        REF: {
            "nl": "t.o.v. 10 wijken met gegevens (10 % van Nederland), landelijk alleen in Amsterdam",
            "en": "vs 10 districts with data (10 % of the Netherlands), nationally only in Amsterdam",
        }
    }
    assert out.national["a"] == {REF: False}
    for d in ("b", "d"):  # below the minimum, or no reference scores at all: no base, no label
        assert out[d].size == 0 and out.by_key[d] == {} and out.labels[d] == {}, d


def test_domain_without_reference_scores_has_no_base_even_with_a_minimum_of_one():
    codes, keys, _, ref, alls = _domain_inputs()
    out = domain_bases(ref[[]], alls[["d"]], {}, keys, np.ones(len(codes), bool), _nl(100), {}, 1)
    assert out["d"].size == 0 and out.by_key["d"] == {} and out.labels["d"] == {}


def test_domain_bases_own_gemeente_mode_from_exactly_the_minimum_and_names_a_nameless_one_by_code():
    codes, keys, g, ref, alls = _domain_inputs()
    names = {"GM0363": "Amsterdam", "GM0479": "Zaanstad"}
    out = domain_bases(ref, alls, {"g": "gemeente"}, keys, np.ones(len(codes), bool), _nl(100), names, 10)
    # Amsterdam (12) and GM0777 (exactly 10) have a base; Zaanstad (6) not; the row without a gemeente none
    assert set(out.by_key["g"]) == {"GM0363", "GM0777"}
    assert out.by_key["g"]["GM0363"].tolist() == sorted(g[codes[1:13]].tolist())
    assert out.by_key["g"]["GM0777"].tolist() == sorted(g[codes[19:]].tolist())
    assert out.labels["g"] == {
        "GM0363": {
            "nl": "t.o.v. 12 wijken van Amsterdam met gegevens (geen landelijke gegevens)",
            "en": "vs 12 districts of Amsterdam with data (no national data)",
        },
        "GM0777": {
            "nl": "t.o.v. 10 wijken van GM0777 met gegevens (geen landelijke gegevens)",
            "en": "vs 10 districts of GM0777 with data (no national data)",
        },
    }
    assert out["g"].size == 0 and out.national["g"] == {"GM0363": False, "GM0777": False}


# --- ranks.py: the oriented reference and the rank against it -------------------------------------------


def test_sorted_reference_and_rank_against_defaults_and_missing_values():
    ref = sorted_reference(np.array([3.0, None, 1.0, 2.0], dtype=object))  # null is not a reference value
    assert ref.tolist() == [1.0, 2.0, 3.0]
    got = rank_against(np.array([2.0, None, 0.5], dtype=object), ref)
    # at or below 2: two of three; 0.5: none; null: no rank
    assert got[0] == pytest.approx(200.0 / 3) and np.isnan(got[1]) and got[2] == 0.0


def test_a_reference_of_one_value_ranks():
    assert rank_against(np.array([0.0, 5.0, 9.0]), np.array([5.0])).tolist() == [0.0, 100.0, 100.0]
