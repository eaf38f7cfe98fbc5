"""serve.py's app (app.py as st.App with the map routes and the clear_cache guard) with one fault injected at
start-up: ``STAPELKAART_FAULT_AT`` names it (tests/helpers_faults.py). For the journey that checks an unexpected
error reaches the log with the id the page shows."""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402 (after the path line, as in tests/apps/deckmap_app.py)
from starlette.middleware import Middleware  # noqa: E402

from components.deckmap import server  # noqa: E402
from serve import NoClearCache  # noqa: E402
from tests.helpers_faults import inject  # noqa: E402

inject(os.environ["STAPELKAART_FAULT_AT"])
# as in serve.py, with app.py's full path (a relative one is taken from this file's folder)
app = st.App(str(REPO / "app.py"), routes=server.routes(), middleware=[*server.middleware(), Middleware(NoClearCache)])
