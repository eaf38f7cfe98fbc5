"""The loaders share their big frames between sessions (st.cache_resource, no copy per call): a page run must
never change them, and the map's cached join must equal a fresh join for every weight set and the hotspots."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers_app import assert_ok, new_app

GM = ("GM0363", "GM0479")


def _digest(frame: pd.DataFrame) -> int:
    """A content hash of a frame (values, index and column names; geometry as WKB)."""
    plain = pd.DataFrame(frame).copy()
    if "geometry" in plain:
        plain["geometry"] = frame.geometry.to_wkb(hex=True)
    for c in plain.columns:
        if plain[c].dtype == object:
            plain[c] = plain[c].astype(str)
    return int(pd.util.hash_pandas_object(plain, index=True).sum()) ^ hash(tuple(map(str, plain.columns)))


def _shared_frames():
    from pages._common import loaders_frames

    result, sel = loaders_frames._score(GM, 2024, "wijk", "nl", (), None)
    gdf = loaders_frames.boundaries(GM, 2024, "wijk")
    from pages._common.loaders_map import _base_join

    joined = _base_join(("selection", GM, 2024, "wijk", "nl", (), None))
    return {"table": result.table, "universe": result.universe, "kwb": sel, "boundaries": gdf, "map join": joined}


def test_page_runs_never_change_the_shared_frames(mirror, warm_cache):
    at = new_app({"gm": ",".join(GM), "level": "wijk", "w": "armoede:3,werk:0,wonen:2", "colour": "stacking"})
    before = _shared_frames()  # filled by the test itself: equal weights, before any page ran
    digests = {k: _digest(v) for k, v in before.items()}
    at.run()
    assert_ok(at)
    at.query_params["hotspots"] = "1"
    at.run()
    for page in ("vergelijken", "prioriteren", "buurtprofiel"):
        at.switch_page(f"pages/{page}.py").run()
        assert_ok(at)
    after = _shared_frames()
    assert all(after[k] is before[k] for k in before), "the loaders no longer share one object per input"
    assert {k: _digest(v) for k, v in after.items()} == digests


@pytest.mark.parametrize(
    "weights", [None, {"armoede": 3, "werk": 0, "onderwijs": 1, "schooluitval": 1, "wonen": 2, "jeugd": 5}]
)
@pytest.mark.parametrize("hotspots", [False, True])
def test_cached_map_join_equals_a_fresh_join(mirror, warm_cache, weights, hotspots):
    from geo.join import join_scores
    from pages._common import loaders
    from pages._common.state import ViewState

    view = ViewState(gemeenten=GM, weights=tuple((weights or {}).items()), hotspots=hotspots)
    frame = loaders.map_frame(view)  # the Kaart's join: the cached unweighted join + this view's columns
    s, gdf, got = frame.scored, frame.boundaries, frame.joined
    want = join_scores(gdf, s.table, stats_year=2024, boundary_year=2024).frame
    assert list(got["code"]) == list(want["code"]) and set(got.columns) == set(want.columns)
    for col in ("composite", "composite__n", "composite__m", *(["lisa"] if hotspots else [])):
        pd.testing.assert_series_equal(
            got[col].reset_index(drop=True).astype(object),
            want[col].reset_index(drop=True).astype(object),
            check_names=False,
        )
    pd.testing.assert_frame_equal(
        pd.DataFrame(got[want.columns]).drop(columns="geometry").astype(object),
        pd.DataFrame(want).drop(columns="geometry").astype(object),
    )
    assert got.geometry.equals(want.geometry)
