"""Entry point that serves app.py as an st.App with the map component's routes (``streamlit run serve.py``).

Adds ``/_stapelkaart/geo/<digest>.skq`` (prepared geometry by content hash) and immutable cache headers for
the map component's content-hashed bundle; see components/deckmap/server.py. ``streamlit run app.py`` keeps
working (the map then falls back to Streamlit's component file route and the browser's Cache Storage).
"""

import streamlit as st

from components.deckmap import server

app = st.App("app.py", routes=server.routes(), middleware=server.middleware())
