"""The map component on the real national geometry, for benchmarks/_national_browser.py (not part of the app).

tests/apps/deckmap_app.py with every wijk or buurt of the Netherlands (``data.pdok_national.load_boundaries_national``
from ``cbs-mirror --national``; query parameter ``level``: wijk|buurt, default buurt): coloured in 5 classes by a
weighted mix of the ranks of two real per-area quantities (the land area in ha and the east-west position of the
centroid, RD x), the weight a number input, so that every change recolours the map. The caption
``run N script ms: X`` is what benchmarks/bench_deckmap.py reads.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import streamlit as st

from components.deckmap import deck_map, field
from components.deckmap.store import prepared_geometry
from data.pdok_national import load_boundaries_national

PALETTE = [
    [237, 248, 233, 255],
    [186, 228, 179, 255],
    [116, 196, 118, 255],
    [49, 163, 84, 255],
    [0, 109, 44, 255],
    [200, 200, 200, 255],
]  # 5 classes + no data


@st.cache_resource(show_spinner=False)
def _layer(level: str):
    gdf = load_boundaries_national(2024, level)
    geometry, _ = prepared_geometry(gdf)
    a = gdf.area.to_numpy() / 1e4
    b = gdf.geometry.centroid.x.to_numpy()
    ra = (np.argsort(np.argsort(a)) + 0.5) / len(a)
    rb = (np.argsort(np.argsort(b)) + 0.5) / len(b)
    return geometry, ra, rb


t0 = time.perf_counter()
level = st.query_params.get("level", "buurt")
geometry, ra, rb = _layer(level)
weight = st.number_input("Gewicht oppervlakte (%)", min_value=0, max_value=100, value=0, step=10)
score = (weight / 100.0) * ra + (1 - weight / 100.0) * rb
classes = np.minimum((score * 5).astype(np.uint8), 4)
deck_map(
    geometry,
    classes,
    PALETTE,
    fields=[field("Score", score * 100, decimals=1)],
    label=f"Kaart van {len(geometry.codes)} gebieden",
    key="map",
)
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.caption(f"run {st.session_state['runs']} script ms: {(time.perf_counter() - t0) * 1000:.1f}")
