"""serve.py (app.py as st.App with the map routes) with one fault injected at start-up: ``STAPELKAART_FAULT_AT``
names it (tests/helpers_faults.py). For the journey that checks an unexpected error reaches the log with its id."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from serve import app  # noqa: F401 (streamlit runs the st.App found in this module)
from tests.helpers_faults import inject

inject(os.environ["STAPELKAART_FAULT_AT"])
