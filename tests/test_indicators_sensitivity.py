"""Sensitivity of ranks to the domain weights, on SYNTHETIC domain scores (made-up numbers)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators.scores import DOMAIN_IDS
from indicators.sensitivity import dirichlet_weights, rank_intervals, rank_positions


def synthetic_domains(n=30, seed=3):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        rng.uniform(0, 100, (n, len(DOMAIN_IDS))), columns=list(DOMAIN_IDS), index=[f"A{i}" for i in range(n)]
    )
    x.loc["A0", "schooluitval"] = np.nan
    x.loc["A1", :] = np.nan
    return x


def test_dirichlet_weights_centre_and_zero():
    w = dirichlet_weights({"armoede": 2, "jeugd": 0}, n=4000, concentration=20, seed=1)
    assert np.allclose(w.sum(axis=1), 1) and (w[:, DOMAIN_IDS.index("jeugd")] == 0).all()
    others = len(DOMAIN_IDS) - 2  # every domain but armoede (2) and jeugd (0) at its default weight 1
    assert w[:, 0].mean() == pytest.approx(2 / (2 + others), abs=0.01)  # armoede 2 of 2+1+...+1


def test_rank_intervals_reproducible_and_contain_the_rank():
    x = synthetic_domains()
    a = rank_intervals(x, n=300, seed=7)
    b = rank_intervals(x, n=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    ok = a["rank"].notna()
    assert (a.loc[ok, "rank_min"] <= a.loc[ok, "rank_max"]).all()
    assert (a.loc[ok, "rank_low"] <= a.loc[ok, "rank_high"]).all()
    assert np.isnan(a.loc["A1", "rank"]) and np.isnan(a.loc["A1", "rank_low"])  # no composite, no interval
    assert a.loc[ok, "rank"].sort_values().tolist() == list(range(1, ok.sum() + 1))


def test_rank_positions_by_column():
    pos = rank_positions(np.array([[1.0, 3.0], [2.0, np.nan], [3.0, 1.0]]))
    assert pos[:, 0].tolist() == [3.0, 2.0, 1.0] and pos[0, 1] == 1.0 and np.isnan(pos[1, 1])


def test_bad_weights_rejected():
    with pytest.raises(UserInputError):
        dirichlet_weights({"armoede": -1})
