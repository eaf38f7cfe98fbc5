"""benchmarks/_national_map_app.py served as st.App with the map component's routes (as serve.py does for app.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from components.deckmap import server

app = st.App(
    str(Path(__file__).with_name("_national_map_app.py")), routes=server.routes(), middleware=server.middleware()
)
