"""Shared helpers of the Streamlit AppTest tests (issue 20: shared through a tests/ module, never imported from
another test file)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SHARED_DATA

INCOME = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"


def _fresh_app(params: dict | None, timeout: int) -> AppTest:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    return at


def new_app(params: dict | None = None) -> AppTest:
    """The app with ``params`` in its URL and empty Streamlit caches, not yet run."""
    return _fresh_app(params, 180)


def run_app(params: dict | None = None, page: str | None = None) -> AppTest:
    """The app run with ``params`` in its URL (then switched to ``pages/<page>.py``), asserted free of exceptions."""
    at = _fresh_app(params, 240)
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def import_income(cache_dir) -> str:
    """The real CBS income file, imported as the Gegevens page does (stored under its digest in the cache dir's
    userstore); returns the digest a view names in ``files=`` to include it."""
    import streamlit as st

    from pages._common import loaders

    digest = loaders.import_user_file(INCOME.read_bytes(), INCOME.name)
    st.cache_data.clear()
    st.cache_resource.clear()
    return digest


def map_args(at: AppTest) -> dict:
    """The arguments the Kaart page gave the map component (components.deckmap), bytes decoded."""
    import numpy as np

    comps = [c for c in at.get("component_instance") if c.proto.component_name == "components.deckmap.deckmap"]
    assert len(comps) == 1
    args = json.loads(comps[0].proto.json_args)
    special = {a.key: a.bytes for a in comps[0].proto.special_args}
    args["fill"] = np.frombuffer(special["fill"], dtype=np.uint8)
    return args


def map_data(view, scored, gemeenten: tuple[str, ...], focus_areas=()):
    """What the Kaart draws of ``scored`` (a ``loaders.Scored``, e.g. with imported files) for ``view``: the
    frame ``loaders.map_frame`` would give for these scores, then ``mapview.build``. Returns (MapData, geometry)."""
    from pages._common import loaders_frames, loaders_map, mapview

    gdf = loaders_frames.boundaries(gemeenten, view.year, view.level)
    geometry = loaders_map.map_geometry(gemeenten, view.year, view.level)
    joined = loaders_map.map_join(scored, gdf, view.year)
    frame = loaders_map.MapFrame(tuple(gemeenten), scored, gdf, geometry, joined, list(focus_areas), [])
    return mapview.build(view, frame), geometry
