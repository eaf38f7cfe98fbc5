"""Synthetic KWB-shaped frames for the engine tests, and scoring them against their own gemeente."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.engine import make_reference, score_areas


def synthetic_frame(n: int = 40, seed: int = 1, gemeente: str = "GM9001", year: int = 2024) -> pd.DataFrame:
    """SYNTHETIC tidy frame: one gemeente row + n wijken WK9001xx with made-up counts and percentages."""
    rng = np.random.default_rng(seed)
    num = gemeente[2:]
    codes = [f"WK{num}{i:02d}" for i in range(n)]
    inw = rng.integers(300, 12000, n).astype(float)
    frame = pd.DataFrame(
        {
            "code": codes,
            "level": "wijk",
            "name": [f"Synthetische wijk {i}" for i in range(n)],
            "gemeente_code": gemeente,
            "year": year,
            "aantal_inwoners": inw,
            "huishoudens_totaal": np.round(inw / 2.1),
            "woningvoorraad": np.round(inw / 2.0),
            "huishoudens_met_een_laag_inkomen": rng.uniform(2, 25, n).round(1),
            "huish_onder_of_rond_sociaal_minimum": rng.uniform(2, 20, n).round(1),
            "k_40_huishoudens_met_laagste_inkomen": rng.uniform(20, 70, n).round(1),
            "gemiddeld_inkomen_per_inwoner": rng.uniform(18, 45, n).round(1),
            "personen_per_soort_uitkering_bijstand": np.round(inw * rng.uniform(0.005, 0.08, n), -1),
            "personen_per_soort_uitkering_ww": np.round(inw * rng.uniform(0.005, 0.03, n), -1),
            "personen_per_soort_uitkering_ao": np.round(inw * rng.uniform(0.02, 0.07, n), -1),
            "k_0_tot_15_jaar": np.round(inw * 0.16),
            "k_15_tot_25_jaar": np.round(inw * 0.12),
            "k_25_tot_45_jaar": np.round(inw * 0.28),
            "k_45_tot_65_jaar": np.round(inw * 0.26),
            "basisonderwijs_vmbo_mbo_1": np.round(inw * rng.uniform(0.1, 0.4, n)),
            "havo_vwo_mbo_24": np.round(inw * 0.3),
            "hbo_wo": np.round(inw * rng.uniform(0.1, 0.4, n)),
            "in_bezit_woningcorporatie": rng.uniform(5, 70, n).round(0),
            "gemiddelde_woz_waarde_van_woningen": rng.uniform(180, 700, n).round(0),
            "percentage_jongeren_met_jeugdzorg": rng.uniform(5, 20, n).round(1),
            "buiten_europa__herkomstland": np.round(inw * rng.uniform(0.05, 0.6, n)),
        }
    )
    gm = frame.drop(columns=["code", "level", "name", "gemeente_code", "year"]).sum().to_frame().T
    for col in (
        "huishoudens_met_een_laag_inkomen",
        "huish_onder_of_rond_sociaal_minimum",
        "k_40_huishoudens_met_laagste_inkomen",
        "gemiddeld_inkomen_per_inwoner",
        "in_bezit_woningcorporatie",
        "gemiddelde_woz_waarde_van_woningen",
        "percentage_jongeren_met_jeugdzorg",
    ):
        gm[col] = frame[col].mean()
    gm.insert(0, "code", gemeente)
    gm.insert(1, "level", "gemeente")
    gm.insert(2, "name", "Synthetische gemeente")
    gm.insert(3, "gemeente_code", gemeente)
    gm.insert(4, "year", year)
    out = pd.concat([gm, frame], ignore_index=True)
    out.attrs["source"] = {"table_id": "SYNTH", "year": year}
    return out


def score(frame, **kw):
    """Score a synthetic frame against its own gemeente GM9001 (wijk level, 2024)."""
    ref = make_reference(frame, "selection", "wijk", 2024, ["GM9001"])
    return score_areas({2024: frame}, 2024, level="wijk", reference=ref, **kw)


def age_shares(codes) -> pd.DataFrame:
    """Wijk- en Buurtkaart attributes with fixed age shares (15-25: 12 %, 25-45: 28 %, 45-65: 26 %, so 66 % of the
    inhabitants are 15-65): the %-fallback of the 15-65 denominator when the counts are dropped from a frame."""
    return pd.DataFrame(
        {
            "code": codes,
            "percentage_personen_15_tot_25_jaar": 12,
            "percentage_personen_25_tot_45_jaar": 28,
            "percentage_personen_45_tot_65_jaar": 26,
        }
    )
