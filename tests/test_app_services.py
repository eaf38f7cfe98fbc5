"""The ranking table of pages/_common/tables.py over indicators.tables.rank_table (no Streamlit session needed)."""

import numpy as np
import pandas as pd

from pages._common.tables import ranked


def test_only_areas_with_a_composite_get_a_rank_number():
    """Suppressed or incomplete areas are listed, but never numbered as if they were ranked."""
    table = pd.DataFrame(
        {  # synthetic
            "code": ["WK1", "WK2", "WK3", "WK4"],
            "name": ["A", "B", "C", "D"],
            "gemeente_code": ["GM1"] * 4,
            "composite": [50.0, np.nan, 90.0, np.nan],
            "stacking_count": [1, pd.NA, 2, 0],
            "population": [1000, 5, 2000, 800],
        }
    )
    out = ranked(table, ["GM1"], 0, 0, "nl")
    numbers = dict(zip(out["Code"], out["#"]))
    assert numbers["WK3"] == 1 and numbers["WK1"] == 2
    assert pd.isna(numbers["WK2"]) and pd.isna(numbers["WK4"])
    assert list(out["Code"][:2]) == ["WK3", "WK1"]


def test_tooltip_numbers_carry_k_n_m_with_not_enough_data_for_unknown():
    from pages._common.wording import tooltip_fields, tooltip_numbers

    table = pd.DataFrame(
        {  # synthetic: one area with 2 of 5 known, one with none known
            "code": ["WK1", "WK2"],
            "name": ["A", "B"],
            "stacking_count": pd.array([2, pd.NA], dtype="Int64"),
            "stacking_known": pd.array([5, 0], dtype="Int64"),
            "stacking_m": [6, 6],
            "stacking_domains": ["werk;wonen", pd.NA],
            "composite": [61.3, np.nan],
            "composite__n": [5, 0],
            "composite__m": [6, 6],
        }
    ).set_index("code", drop=False)
    lines = {d["label"]: d for d in tooltip_numbers(table, "nl")}
    assert list(lines["Aantal gestapelde domeinen (k)"]["values"][:1]) == [2.0]
    assert np.isnan(lines["Aantal gestapelde domeinen (k)"]["values"][1])
    assert lines["Aantal gestapelde domeinen (k)"]["missing"] == "niet genoeg gegevens"
    assert list(lines["Bekende domeinen (n)"]["values"]) == [5.0, 0.0] and list(lines["Domeinen (m)"]["values"]) == [
        6,
        6,
    ]
    words = tooltip_fields(table, "nl")
    assert words.loc["WK1", "sk_stack"] == "2 van 5 bekend (6 domeinen): Werk, Wonen"
    assert words.loc["WK2", "sk_stack"] == "niet genoeg gegevens (0 van 6 bekend)"
    assert words.loc["WK1", "sk_composite"] == "61,3 (5 van 6 domeinen)"
