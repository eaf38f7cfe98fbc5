"""Minimal app around the map component for tests and benchmarks: real Amsterdam + Zaanstad boundaries
from the mirror (STAPELKAART_PDOK_URL), coloured by a weighted mix of the ranks of two real per-area quantities (residents or area; centroid x).

Query parameters: ``outline`` (comma-separated codes drawn with a focus outline), ``level`` (wijk|buurt, default wijk; ``national``: the buurten REPLICATED to ~17,000
areas by benchmarks/_national.py, for national-scale measurements). Env ``DECKMAP_HOSTILE_CODE``: that area's name is
replaced by a script payload (XSS test only). The weight is a number input; each change recolours the map.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np
import streamlit as st

from components.deckmap import deck_map, field
from components.deckmap.store import prepared_geometry
from data.pdok import load_boundaries

PALETTE = [
    [237, 248, 233, 255],
    [186, 228, 179, 255],
    [116, 196, 118, 255],
    [49, 163, 84, 255],
    [0, 109, 44, 255],
    [200, 200, 200, 255],
]  # 5 classes + no data
PAYLOAD = "<img src=x onerror=alert(1)>"


@st.cache_resource(show_spinner=False)
def _layer(level: str):
    if level == "national":
        from benchmarks._national import replicate

        gdf = replicate(load_boundaries(["GM0363", "GM0479"], 2024, "buurt"))
    else:
        gdf = load_boundaries(["GM0363", "GM0479"], 2024, level)
    hostile = os.environ.get("DECKMAP_HOSTILE_CODE")
    if hostile:
        gdf.loc[gdf["code"] == hostile, "name"] = PAYLOAD
    geometry, _ = prepared_geometry(gdf)
    # two real per-area quantities that exist at every level (PDOK's buurt attributes are secret in 2024):
    # the area in ha and the east-west position of the centroid (RD x); residents where PDOK has them
    a = gdf["aantal_inwoners"].to_numpy(float) if gdf["aantal_inwoners"].notna().all() else gdf.area.to_numpy() / 1e4
    b = gdf.geometry.centroid.x.to_numpy()
    ra = (np.argsort(np.argsort(a)) + 0.5) / len(a)
    rb = (np.argsort(np.argsort(b)) + 0.5) / len(b)
    return geometry, ra, rb, np.isnan(a) | np.isnan(b)


t0 = time.perf_counter()
level = st.query_params.get("level", "wijk")
geometry, ra, rb, missing = _layer(level)
weight = st.number_input("Gewicht inwoners (%)", min_value=0, max_value=100, value=0, step=10)
score = (weight / 100.0) * ra + (1 - weight / 100.0) * rb
classes = np.minimum((score * 5).astype(np.uint8), 4)
classes[missing] = 5
score[missing] = np.nan
pending = st.session_state.get("map")  # a click reruns the app with the new value: outline it in this run
if pending and pending.get("code") != st.session_state.get("selected"):
    st.session_state["selected"] = pending["code"]
clicked = deck_map(
    geometry,
    classes,
    PALETTE,
    fields=[field("Score", score * 100, decimals=1)],
    outlines=([st.session_state.get("selected")] if st.session_state.get("selected") else [])
    + [c for c in st.query_params.get("outline", "").split(",") if c],
    label=f"Kaart van {len(geometry.codes)} gebieden",
    key="map",
)
if clicked and clicked.get("code") != st.session_state.get("selected"):
    st.session_state["selected"] = clicked["code"]
st.markdown(f"Geselecteerd: `{st.session_state.get('selected') or '-'}`")
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.caption(f"run {st.session_state['runs']} script ms: {(time.perf_counter() - t0) * 1000:.1f}")
