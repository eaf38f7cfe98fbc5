"""The ranking table of pages/_common/tables.py over indicators.tables.rank_table (no Streamlit session needed)."""

import numpy as np
import pandas as pd

from pages._common.tables import ranked


def test_only_areas_with_a_composite_get_a_rank_number():
    """Suppressed or incomplete areas are listed, but never numbered as if they were ranked."""
    table = pd.DataFrame({  # synthetic
        "code": ["WK1", "WK2", "WK3", "WK4"], "name": ["A", "B", "C", "D"], "gemeente_code": ["GM1"] * 4,
        "composite": [50.0, np.nan, 90.0, np.nan], "stacking_count": [1, pd.NA, 2, 0],
        "population": [1000, 5, 2000, 800],
    })
    out = ranked(table, ["GM1"], 0, 0, "nl")
    numbers = dict(zip(out["code"], out["#"]))
    assert numbers["WK3"] == 1 and numbers["WK1"] == 2
    assert pd.isna(numbers["WK2"]) and pd.isna(numbers["WK4"])
    assert list(out["code"][:2]) == ["WK3", "WK1"]
