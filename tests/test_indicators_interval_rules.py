"""Rank intervals under random weights (``indicators/sensitivity.py``) on a handful of constructed areas.

Mirror-free and fast: part of the mutation selection (``benchmarks/mutation.py``). Positions are counted by hand:
position 1 is the highest composite; a domain without data anywhere never makes a composite impossible
(``scores.composite_matrix``'s ``has_data`` rule).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.registry import DOMAINS
from indicators.sensitivity import data_draws, draw_composites, rank_intervals, rank_positions
from tests.helpers_engine import score, synthetic_frame

IDS = list(DOMAINS)
NAN = np.nan


def _domain_x() -> pd.DataFrame:
    """Four areas; armoede decides the order (40 > 30 > 20 > 10), schooluitval has no data anywhere, the other
    domains are ordered otherwise, so a composite that took the wrong column would order differently."""
    cols = {d: [40.0, 10.0, 20.0, 30.0] for d in IDS}
    cols["armoede"] = [10.0, 40.0, 30.0, 20.0]
    cols["schooluitval"] = [NAN] * 4
    return pd.DataFrame(cols, index=["WK000101", "WK000102", "WK000103", "WK000104"])


ONLY_ARMOEDE_AND_SCHOOLUITVAL = {d: (1.0 if d in ("armoede", "schooluitval") else 0.0) for d in IDS}


def test_interval_follows_the_named_domain_whatever_the_column_order():
    x = _domain_x()
    shuffled = x[list(reversed(IDS))]
    out = rank_intervals(shuffled, ONLY_ARMOEDE_AND_SCHOOLUITVAL, n=20)
    # schooluitval has no data: the composite is armoede alone, in every draw
    expected = [4.0, 1.0, 2.0, 3.0]
    for col in ("rank", "rank_low", "rank_median", "rank_high", "rank_min", "rank_max"):
        assert out[col].tolist() == expected, col
    assert out["n_ranked"].iloc[0] == 4 and out["source"].iloc[0] == "gewichten"


def test_with_data_draws_the_same_rule_holds():
    x = _domain_x()
    draws = np.repeat(x[IDS].to_numpy()[:, :, None], 20, axis=2)
    out = rank_intervals(x, ONLY_ARMOEDE_AND_SCHOOLUITVAL, n=20, domain_draws=draws)
    assert out["rank_low"].tolist() == [4.0, 1.0, 2.0, 3.0] and out["rank_high"].tolist() == [4.0, 1.0, 2.0, 3.0]
    assert out["source"].iloc[0] == "gewichten en gegevens"


def test_explicit_has_data_counts_a_domain_with_data_elsewhere():
    x = _domain_x()
    has = np.ones(len(IDS), dtype=bool)  # schooluitval has data elsewhere in the reference: two domains needed
    out = rank_intervals(x, ONLY_ARMOEDE_AND_SCHOOLUITVAL, n=20, has_data=has)
    assert out["rank"].isna().all() and out["rank_low"].isna().all() and out["n_ranked"].iloc[0] == 0


def test_tied_composites_take_positions_in_row_order():
    comp = np.array([[1.0 if i % 2 == 0 else 0.0] for i in range(20)] + [[NAN]])
    pos = rank_positions(comp)[:, 0]
    # the ten 1s first, in row order (rows 0, 2, ..., 18 -> 1..10), then the ten 0s (rows 1, 3, ... -> 11..20)
    assert pos[:20:2].tolist() == list(range(1, 11)) and pos[1:20:2].tolist() == list(range(11, 21))
    assert np.isnan(pos[20])


def test_draw_composites_default_minimum_and_domains_without_data():
    d = len(IDS)
    x = np.full((2, d, 1), NAN)
    x[0, :3, 0] = [10.0, 20.0, 60.0]
    x[1, :2, 0] = [10.0, 20.0]
    comp = draw_composites(x, np.ones((1, d)))
    assert comp[0, 0] == 30.0 and np.isnan(comp[1, 0])  # three domains needed by default
    w = np.array([[ONLY_ARMOEDE_AND_SCHOOLUITVAL[k] for k in IDS]])
    a = IDS.index("armoede")
    one = np.full((1, d, 1), NAN)
    one[0, a, 0] = 25.0
    no_school = np.array([k != "schooluitval" for k in IDS])
    assert draw_composites(one, w, 3, no_school)[0, 0] == 25.0
    assert np.isnan(draw_composites(one, w, 3, np.ones(d, dtype=bool))[0, 0])


def test_drawn_domain_scores_follow_the_minimum_share_of_the_scores():
    """With min_indicator_share = 1 a domain needs all its indicators: an area without its WOZ value has no wonen
    score, and none of its drawn wonen scores exists either."""
    frame = synthetic_frame(30)
    frame.loc[frame["code"] == "WK900103", "gemiddelde_woz_waarde_van_woningen"] = NAN
    res = score(frame, min_indicator_share=1.0)
    draws = data_draws(res, n=10)
    i, j = list(res.table.index).index("WK900103"), IDS.index("wonen")
    assert np.isnan(res.domain_x.loc["WK900103", "wonen"]) and np.isnan(draws[i, j]).all()
    assert np.isfinite(draws[i, IDS.index("armoede")]).all()  # the other domains are drawn
