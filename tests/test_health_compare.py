"""Issue 23, the seeds' areas side by side: Vergelijken in national mode shows the health trend 2020 -> 2024 of
Poelenburg, Oud-Oost, Zuidoost, Tongelre and Gestel with their gemeenten and Nederland; every figure is recomputed
from the raw files (../shared/data/national/woonikveilig) with the method stated on the page; the Buurtprofiel of
one focus area shows its own trend."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import MIRROR_BIN, SHARED_DATA
from tests.helpers_app import run_app

pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")

RAW = SHARED_DATA / "national" / "woonikveilig" / "gemeente"
SEEDS = ("poelenburg", "oud_oost", "zuidoost", "tongelre", "gestel")


def _raw(gm: str) -> dict:
    return json.loads((RAW / f"{gm}.json").read_text())


def _fa():
    from indicators.focus import PRESETS
    from indicators.focuscodec import format_focus_param

    areas = [a for a in PRESETS["praktijkgebieden"].areas if a.id in SEEDS]
    return areas, format_focus_param(areas)


def _expected(area, y1=2020, y2=2024):
    """Adults-weighted mean over the area's buurten with a value in both years (raw files only)."""
    gm = _raw("GM" + area.codes[0][2:6])
    num1 = num2 = den = 0.0
    for b in gm["buurten"]:
        if not any(b["code"].startswith("BU" + w[2:8]) for w in area.codes):
            continue
        tr = (b.get("gezondheid") or {}).get("trend") or {}
        if tr.get(str(y1)) is None or tr.get(str(y2)) is None:
            continue
        d = b["demografie"]
        w = d["inwoners"] - d["inwoners0tot15"]
        num1, num2, den = num1 + w * (100 - tr[str(y1)]), num2 + w * (100 - tr[str(y2)]), den + w
    return num1 / den, num2 / den


def _nl(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


def test_vergelijken_shows_the_seeds_health_side_by_side_with_gemeente_and_nederland(nat_warm):
    areas, fa = _fa()
    at = run_app({"fa": fa}, page="vergelijken")
    heads = [h.value for h in at.subheader]
    assert "Gezondheid tussen peiljaren (ervaren gezondheid niet goed, % volwassenen)" in heads
    frames = [d.value for d in at.dataframe if {"Gebied", "2024 (%)"} <= set(d.value.columns)]
    assert len(frames) == 2  # 2020 -> 2024 and 2022 -> 2024
    first = frames[0].set_index("Gebied")
    printed = []
    for area in areas:
        v1, v2 = _expected(area)
        row = first.loc[area.name]
        assert (row["2020 (%)"], row["2024 (%)"]) == (_nl(v1), _nl(v2)), area.name
        assert (
            row["Verandering (procentpunt)"] == _nl(v2 - v1)
            or abs(float(row["Verandering (procentpunt)"].replace(",", ".")) - (v2 - v1)) < 0.051
        )
        printed.append(f"{area.name}: {_nl(v1)} -> {_nl(v2)}")
    for gm, name in (("GM0479", "Zaanstad"), ("GM0363", "Amsterdam"), ("GM0772", "Eindhoven")):
        tr = _raw(gm)["gezondheid"]["trend"]
        row = first.loc[f"{name} ({gm})"]
        assert (row["2020 (%)"], row["2024 (%)"]) == (_nl(100 - tr["2020"]), _nl(100 - tr["2024"])), gm
    nl = first.loc["Nederland"]
    # Nederland: every gemeente with both years, weighted by adults (KWB 2024 inhabitants - 0-15)
    from data import cbs

    kwb = cbs.load_kwb_national(2024, "gemeente").set_index("code")
    w = kwb["aantal_inwoners"] - kwb["k_0_tot_15_jaar"]
    vals = {p.stem: _raw(p.stem)["gezondheid"]["trend"] for p in RAW.glob("GM*.json")}
    both = [g for g, tr in vals.items() if tr.get("2020") is not None and tr.get("2024") is not None]
    exp = [np.average([100 - vals[g][y] for g in both], weights=[w[g] for g in both]) for y in ("2020", "2024")]
    assert (nl["2020 (%)"], nl["2024 (%)"]) == (_nl(exp[0]), _nl(exp[1]))
    captions = " ".join(c.value for c in at.caption)
    assert "11\u202f697 buurten met beide jaren (2020 en 2024)" in captions, captions
    print("\n" + "; ".join(printed) + f"; Nederland: {_nl(exp[0])} -> {_nl(exp[1])}")


def test_the_buurtprofiel_of_a_focus_area_shows_its_trend_in_english(nat_warm):
    areas, fa = _fa()
    tongelre = next(a for a in areas if a.id == "tongelre")
    at = run_app({"fa": fa, "fopen": "tongelre-eindhoven", "lang": "en"}, page="buurtprofiel")  # the link's id
    assert "Health between survey years (self-rated health not good, % adults)" in [h.value for h in at.subheader]
    frames = [d.value for d in at.dataframe if {"Area", "2020 (%)"} <= set(d.value.columns)]
    first = frames[0].set_index("Area")
    v1, v2 = _expected(tongelre)
    assert (first.loc[tongelre.name, "2020 (%)"], first.loc[tongelre.name, "2024 (%)"]) == (f"{v1:.1f}", f"{v2:.1f}")
    assert "Eindhoven (GM0772)" in first.index and "Nederland" in first.index
