"""Before: the same map and weight input drawn the pydeck way (st.pydeck_chart re-sends the whole deck, geometry
included, on every rerun). Geometry is prepared once (cache_resource); only the colours change per weight."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import pydeck as pdk
import streamlit as st

from benchmarks._pydeck_baseline import CompactDeck, prepare_map_layer
from data.pdok import load_boundaries

PALETTE = np.array(
    [
        [237, 248, 233, 255],
        [186, 228, 179, 255],
        [116, 196, 118, 255],
        [49, 163, 84, 255],
        [0, 109, 44, 255],
        [200, 200, 200, 255],
    ],
    dtype=np.uint8,
)


@st.cache_resource(show_spinner=False)
def _layer(level: str):
    gdf = load_boundaries(["GM0363", "GM0479"], 2024, level)
    layer = prepare_map_layer(gdf, check=False)
    # the same two real per-area quantities as tests/apps/deckmap_app.py
    a = gdf["aantal_inwoners"].to_numpy(float) if gdf["aantal_inwoners"].notna().all() else gdf.area.to_numpy() / 1e4
    b = gdf.geometry.centroid.x.to_numpy()
    ra = (np.argsort(np.argsort(a)) + 0.5) / len(a)
    rb = (np.argsort(np.argsort(b)) + 0.5) / len(b)
    return layer, ra, rb, np.isnan(a) | np.isnan(b)


t0 = time.perf_counter()
layer, ra, rb, missing = _layer(st.query_params.get("level", "buurt"))
weight = st.number_input("Gewicht inwoners (%)", min_value=0, max_value=100, value=0, step=10)
score = (weight / 100.0) * ra + (1 - weight / 100.0) * rb
classes = np.minimum((score * 5).astype(np.uint8), 4)
classes[missing] = 5
fill = PALETTE[classes]
features = [
    {**f, "properties": {**f["properties"], "fill": fill[i].tolist(), "score": round(float(score[i]) * 100, 1)}}
    for i, f in enumerate(layer.data["features"])
]
st.pydeck_chart(
    CompactDeck(
        layers=[
            pdk.Layer(
                "GeoJsonLayer",
                data={"type": "FeatureCollection", "features": features},
                get_fill_color="properties.fill",
                stroked=True,
                get_line_color=[255, 255, 255],
                line_width_min_pixels=1,
                pickable=True,
            )
        ],
        map_style=None,
        map_provider=None,
        initial_view_state=pdk.ViewState(**layer.view_state()),
        tooltip={"text": "{name}: {score}"},
    )
)
st.session_state["runs"] = st.session_state.get("runs", 0) + 1
st.caption(f"run {st.session_state['runs']} script ms: {(time.perf_counter() - t0) * 1000:.1f}")
