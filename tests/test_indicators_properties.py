"""Property tests (hypothesis) of the indicator engine on SYNTHETIC frames (see test_indicators_engine)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.engine import make_reference, score_areas
from indicators.focus import FocusArea
from indicators.focusscore import score_focus
from indicators.ranks import percentile_rank
from indicators.scores import composite_matrix, stacking
from tests.helpers_engine import synthetic_frame

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENGINE_SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # ~0.3 s each
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def _score(frame, **kw):
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    return score_areas({2024: frame}, 2024, level="wijk", reference=ref, **kw)


@SETTINGS
@given(
    values=st.lists(st.one_of(finite, st.just(np.nan)), min_size=1, max_size=50),
    reference=st.lists(finite, min_size=1, max_size=50),
    direction=st.sampled_from([1, -1]),
)
def test_ranks_within_0_100(values, reference, direction):
    r = percentile_rank(pd.Series(values), pd.Series(reference), direction)
    ok = r.dropna()
    assert ((ok >= 0) & (ok <= 100)).all()
    assert r.isna().tolist() == pd.Series(values).isna().tolist()  # missing stays missing


@SETTINGS
@given(
    values=st.lists(st.integers(-10_000, 10_000), min_size=10, max_size=40),
    shift=st.integers(-10_000, 10_000),
    direction=st.sampled_from([1, -1]),
)
def test_adding_a_constant_leaves_ranks_unchanged(values, shift, direction):
    s = pd.Series(values, dtype="float64")
    a = percentile_rank(s, s, direction)
    b = percentile_rank(s + shift, s + shift, direction)
    pd.testing.assert_series_equal(a, b)


@ENGINE_SETTINGS
@given(seed=st.integers(0, 10_000), shift=st.floats(1, 500))
def test_engine_ranks_invariant_under_shift(seed, shift):
    frame = synthetic_frame(seed=seed)
    a = _score(frame).table
    shifted = frame.copy()
    shifted["gemiddelde_woz_waarde_van_woningen"] += shift
    b = _score(shifted).table
    pd.testing.assert_series_equal(a["woz_waarde__rank"], b["woz_waarde__rank"])
    pd.testing.assert_series_equal(a["composite"], b["composite"])


@SETTINGS
@given(
    scores=st.lists(
        st.lists(st.one_of(st.floats(0, 100), st.just(np.nan)), min_size=6, max_size=6), min_size=1, max_size=30
    ),
    band=st.floats(1, 100),
)
def test_stacking_count_equals_length_of_domain_list(scores, band):
    frame = pd.DataFrame(scores, columns=["armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd"])
    count, names = stacking(frame, band)
    known = count.notna()
    lengths = names[known].map(lambda s: len([x for x in s.split(";") if x]))
    assert count[known].astype(int).tolist() == lengths.tolist()
    # unknown (no domain score at all) is never reported as 0 stacked domains
    assert (~known).tolist() == frame.isna().all(axis=1).tolist()
    assert names[~known].isna().all()


@ENGINE_SETTINGS
@given(seed=st.integers(0, 10_000), pick=st.integers(1, 40))
def test_focus_of_one_region_equals_that_region(seed, pick):
    frame = synthetic_frame(seed=seed)
    res = _score(frame)
    code = frame.loc[pick, "code"]
    focus = score_focus(res, {"een": FocusArea("een", "Een", (code,), name_en="One")}, comparators=False)
    cols = [
        c
        for c in res.table.columns
        if c.startswith(("domain__", "composite", "stacking"))
        or c.endswith("__rank")
        or c in ("bijstand_per_1000", "woz_waarde", "ww_werkleeftijd")
    ]
    for c in cols:
        a, b = focus.loc["een", c], res.table.loc[code, c]
        assert (pd.isna(a) and pd.isna(b)) or a == b or np.isclose(a, b), c


@ENGINE_SETTINGS
@given(
    seed=st.integers(0, 10_000),
    holes=st.lists(st.integers(1, 40), min_size=1, max_size=10),
    column=st.sampled_from(
        [
            "personen_per_soort_uitkering_ww",
            "k_25_tot_45_jaar",
            "gemiddelde_woz_waarde_van_woningen",
            "in_bezit_woningcorporatie",
            "hbo_wo",
            "aantal_inwoners",
        ]
    ),
)
def test_missing_never_turns_into_zero(seed, holes, column):
    frame = synthetic_frame(seed=seed)
    frame.loc[holes, column] = np.nan
    table = _score(frame).table
    codes = frame.loc[holes, "code"]
    affected = {
        "personen_per_soort_uitkering_ww": "ww_werkleeftijd",
        "k_25_tot_45_jaar": "ao_werkleeftijd",
        "gemiddelde_woz_waarde_van_woningen": "woz_waarde",
        "in_bezit_woningcorporatie": "sociale_huur",
        "hbo_wo": "laag_opgeleid",
        "aantal_inwoners": "bijstand_per_1000",
    }[column]
    assert table.loc[codes, affected].isna().all()


@SETTINGS
@given(
    x=st.lists(
        st.lists(st.one_of(st.floats(0, 100), st.just(np.nan)), min_size=6, max_size=6), min_size=1, max_size=20
    ),
    w=st.lists(st.floats(0, 10, allow_subnormal=False), min_size=6, max_size=6).filter(lambda v: sum(v) > 0),
)
def test_composite_is_a_weighted_mean_of_available_domains(x, w):
    arr = np.array(x, dtype="float64")
    comp, _n, _ = composite_matrix(arr, np.array(w), min_domains=1)
    for row, c in zip(arr, comp):
        avail = np.isfinite(row) & (np.array(w) > 0)
        if not avail.any():
            assert np.isnan(c)
        else:  # never below the smallest available score (a missing domain is not a 0)
            assert row[avail].min() - 1e-9 <= c <= row[avail].max() + 1e-9
