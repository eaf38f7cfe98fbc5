"""The gezondheid domain wired (issue 23) against ``cbs-mirror --national``: engine values equal the raw 50150NED
file, the survey-year and level rules, m = 7 at buurt level, the national buurt reference, and the trends of the
seeds' areas recomputed from the raw files (../shared/data/national/woonikveilig, PROVENANCE.md)."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from data import cbs, health
from indicators import health as ih
from indicators.columns import absent_domains
from indicators.engine import make_reference, score_areas
from indicators.focus import PRESETS
from indicators.rates import adults, resolve_source_indicator, survey_year
from indicators.registry import INDICATORS
from tests.conftest import SHARED_DATA, needs_shared

pytestmark = needs_shared

RAW = SHARED_DATA / "national" / "woonikveilig" / "gemeente"
IND = INDICATORS["ervaren_gezondheid_niet_goed"]


def _sample(goed: dict) -> list[str]:
    """Three buurten of each of Eindhoven, Zaanstad and Amsterdam with a value in 2022 and 2024 (every 7th)."""
    out = []
    for gm in ("0772", "0479", "0363"):
        have = sorted(c for (c, y) in goed if c.startswith("BU" + gm) and y == 2024 and (c, 2022) in goed)
        out += have[::7][:3]
    return out


@pytest.fixture(scope="module")
def raw():
    """(code, year) -> % goed, and adults (inwoners - 0-15) per buurt, from the raw files."""
    goed, grown = {}, {}
    for path in sorted(RAW.glob("GM*.json")):
        gm = pd.read_json(path, typ="series")
        for code, gz in [(gm["code"], gm["gezondheid"])] + [(b["code"], b.get("gezondheid")) for b in gm["buurten"]]:
            for year, value in ((gz or {}).get("trend") or {}).items():
                if value is not None:
                    goed[(code, int(year))] = float(value)
        for b in gm["buurten"]:
            d = b.get("demografie") or {}
            if d.get("inwoners") is not None and d.get("inwoners0tot15") is not None:
                grown[b["code"]] = d["inwoners"] - d["inwoners0tot15"]
    return goed, pd.Series(grown, dtype="float64")


@pytest.fixture(scope="module")
def national(national, nat_module_cache):
    """The process's national mirror (tests.helpers_national) and its national disk cache: these tests only read
    figures (the cold load and its requests are test_health.py's)."""
    m = national
    m.reset()  # no fault or small page size left by an earlier module
    env = {
        "STAPELKAART_DATADERDEN_URL": m.url,
        "STAPELKAART_CBS_URL": m.url,
        "STAPELKAART_PDOK_URL": m.url,
        "STAPELKAART_CACHE_DIR": str(nat_module_cache),
        "STAPELKAART_HTTP_BACKOFF": "0.05",
        "STAPELKAART_HTTP_RETRIES": "1",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    health.forget_absent()
    frame, why = health.health_or_absent()
    assert why is None
    yield m, frame
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _score(frame, gemeenten, level):
    sel = cbs.load_kwb(gemeenten, 2024, levels=("gemeente", "wijk", "buurt"))
    nat = cbs.load_kwb_national(2024, level)
    both = pd.concat([sel, nat], ignore_index=True).drop_duplicates("code")
    both.attrs = dict(sel.attrs)
    ref = make_reference(nat, "nl", level, 2024)
    return score_areas(
        {2024: both},
        2024,
        level=level,
        reference=ref,
        gemeenten=gemeenten,
        national={2024: nat},
        sources={IND.source_id: frame},
    )


@pytest.fixture(scope="module")
def buurt_result(national):
    _, frame = national
    return _score(frame, ["GM0772", "GM0479", "GM0363"], "buurt")


def test_buurt_values_equal_the_raw_file_and_m_is_seven(buurt_result, raw):
    goed, _ = raw
    ind = buurt_result.indicator(IND.id)
    assert len(_sample(goed)) == 9
    for code in _sample(goed):
        assert ind.value[code] == pytest.approx(100.0 - goed[(code, 2024)], abs=1e-9), code
        assert ind.year[code] == 2024 and "50150NED" in ind.source[code] and "2024" in ind.source[code]
    missing = [c for c in ind.value.index if (c, 2024) not in goed]
    assert ind.value[missing].isna().all() and ind.why[missing].isin(["no_value", "suppressed"]).all()  # NaN, never 0
    assert absent_domains(buurt_result.settings) == {}
    assert (buurt_result.stacking.m == 7).all() and (buurt_result.composite.m == 7).all()


def test_the_national_buurt_reference_is_every_buurt_of_nl_with_a_value(buurt_result, raw):
    goed, _ = raw
    ind = buurt_result.indicator(IND.id)
    nat = cbs.load_kwb_national(2024, "buurt")
    pop = nat.set_index("code")["aantal_inwoners"]
    expected = sum(1 for c, p in pop.items() if p >= 200 and (c, 2024) in goed)
    assert expected == 10739  # buurten of NL with a 2024 value and at least 200 inhabitants
    assert set(ind.base_n.dropna()) == {expected}
    ref = np.sort([100 - goed[(c, 2024)] for c, p in pop.items() if p >= 200 and (c, 2024) in goed])
    for code in _sample(goed):
        x = 100 - goed[(code, 2024)]
        assert ind.rank[code] == pytest.approx(100 * np.searchsorted(ref, x, side="right") / ref.size, abs=1e-9)


def test_wijk_level_has_the_reason_not_an_average_and_m_is_six(national):
    _, frame = national
    res = _score(frame, ["GM0772"], "wijk")
    ind = res.indicator(IND.id)
    assert ind.value.isna().all() and (ind.why == "level_absent").all()
    assert absent_domains(res.settings) == {"gezondheid": "level_absent"}
    assert (res.stacking.m == 6).all() and (res.composite.m == 6).all()
    cov = res.coverage.set_index("indicator").loc[IND.id]
    assert cov["note"] == "geen waarden op dit niveau in deze tabel"


def test_survey_year_is_the_latest_at_or_before_the_view_year(national, raw):
    _, frame = national
    goed, _ = raw
    assert [survey_year(IND, y) for y in (2019, 2020, 2021, 2023, 2024, 2025)] == [2016, 2020, 2020, 2022, 2024, 2024]
    idx = pd.Index(_sample(goed))
    p = resolve_source_indicator({}, 2023, IND, idx, frame)
    for code in idx:
        assert p.loc[code, "value"] == pytest.approx(100 - goed[(code, 2022)]) and p.loc[code, "year"] == 2022


@pytest.mark.parametrize("y1", [2020, 2022])
def test_seed_trends_recomputed_from_the_raw_file(national, raw, y1):
    """Focus areas pool their buurten with a value in both years, weighted by adults; ranks against the same buurten
    of NL with both years. Expected from the raw files only."""
    _, frame = national
    goed, grown = raw
    values = ih.by_year(frame, "buurt")
    nat = cbs.load_kwb_national(2024, "buurt").set_index("code")
    weights = adults({2024: nat}, pd.Index(nat.index), 2024)
    areas = {a.id: a.codes for a in PRESETS["praktijkgebieden"].areas}
    members = {k: ih.buurten_of(v, list(values.index)) for k, v in areas.items()}
    got = ih.area_trend(values, weights, members, y1, 2024)
    buurten = sorted({c for (c, _y) in goed if c.startswith("BU")})
    ref = [c for c in buurten if (c, y1) in goed and (c, 2024) in goed]
    assert got.attrs["reference_n"] == len(ref) == (11697 if y1 == 2020 else got.attrs["reference_n"])
    r1 = np.array([100 - goed[(c, y1)] for c in ref])
    r2 = np.array([100 - goed[(c, 2024)] for c in ref])
    for aid, codes in areas.items():
        used = [b for b in buurten if any(b.startswith("BU" + w[2:8]) for w in codes) and b in set(ref)]
        w = grown.reindex(used)
        v1 = float((w * [100 - goed[(c, y1)] for c in used]).sum() / w.sum())
        v2 = float((w * [100 - goed[(c, 2024)] for c in used]).sum() / w.sum())
        row = got.loc[aid]
        assert row[f"value_{y1}"] == pytest.approx(v1, abs=1e-9) and row["value_2024"] == pytest.approx(v2, abs=1e-9)
        assert row["rank_change"] == pytest.approx(100 * ((r2 <= v2).mean() - (r1 <= v1).mean()), abs=1e-9)
    if y1 == 2020:
        shown = got.loc[["poelenburg", "oud_oost", "zuidoost", "tongelre", "gestel"], ["value_2020", "value_2024"]]
        print("\n" + shown.round(1).to_string())


def test_nederland_pools_the_gemeenten_by_adults(national, raw):
    _, frame = national
    goed, _ = raw
    g = ih.by_year(frame, "gemeente")
    nat = cbs.load_kwb_national(2024, "gemeente").set_index("code")
    w = adults({2024: nat}, pd.Index(nat.index), 2024)
    out = ih.comparator_trend(ih.by_year(frame, "buurt"), g, w, ["GM0479"], 2020, 2024)
    gms = [c for c in g.index if (c, 2020) in goed and (c, 2024) in goed]
    for y in (2020, 2024):
        exp = sum(w[c] * (100 - goed[(c, y)]) for c in gms) / sum(w[c] for c in gms)
        assert out.loc["Nederland", f"value_{y}"] == pytest.approx(exp, abs=1e-9)
    assert out.loc["GM0479", "value_2024"] == pytest.approx(100 - goed[("GM0479", 2024)])
