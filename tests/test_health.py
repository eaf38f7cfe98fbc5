"""50150NED (RIVM health per buurt) against ``cbs-mirror --national``, checked against the raw source files.

The raw files are the woonikveilig copy named in ../shared/data/PROVENANCE.md (section national/woonikveilig):
``gemeente/GMxxxx.json`` with ``gezondheid.trend`` (year -> % goed ervaren gezondheid, 18+) for the gemeente
and each of its buurten; a year without a value is absent there. Expected values are recomputed from them.
"""

from __future__ import annotations

import os
import time

import numpy as np
import pandas as pd
import pytest

from core.errors import FetchError
from data import cache, health
from indicators import health as ih
from tests.conftest import SHARED_DATA, needs_shared, start_mirror

pytestmark = needs_shared

RAW = SHARED_DATA / "national" / "woonikveilig" / "gemeente"
YEARS = (2012, 2016, 2020, 2022, 2024)
TONGELRE = ("WK077231", "WK077232", "WK077233")


@pytest.fixture(scope="module")
def raw():
    """(code, level, year, goed) of every value in the raw files, and adults (inwoners - 0-15) per buurt."""
    rows, adults = [], {}
    for path in sorted(RAW.glob("GM*.json")):
        gm = pd.read_json(path, typ="series")
        for code, level, gz in [(gm["code"], "gemeente", gm["gezondheid"])] + [
            (b["code"], "buurt", b.get("gezondheid")) for b in gm["buurten"]
        ]:
            for year, value in ((gz or {}).get("trend") or {}).items():
                if value is not None:
                    rows.append((code, level, int(year), float(value)))
        for b in gm["buurten"]:
            d = b.get("demografie") or {}
            if d.get("inwoners") is not None and d.get("inwoners0tot15") is not None:
                adults[b["code"]] = d["inwoners"] - d["inwoners0tot15"]
    return pd.DataFrame(rows, columns=["code", "level", "year", "goed"]), pd.Series(adults, dtype="float64")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    m = start_mirror(tmp_path_factory.mktemp("mirror"), "--national")
    env = {
        "STAPELKAART_DATADERDEN_URL": m.url,
        "STAPELKAART_CBS_URL": m.url,
        "STAPELKAART_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
        "STAPELKAART_HTTP_BACKOFF": "0.05",
        "STAPELKAART_HTTP_RETRIES": "1",
    }
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    t0 = time.perf_counter()
    frame = health.load_health(levels=("gemeente", "wijk", "buurt"))
    first = time.perf_counter() - t0
    m.first_pages = [r["query"] for r in m.requests("50150NED/TypedDataSet")]
    print(f"\n50150NED national first load {first:.2f} s, {len(frame)} rows, {len(m.first_pages)} pages")
    yield m, frame
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    m.proc.terminate()
    m.proc.wait(10)


def test_every_value_equals_the_raw_file(national, raw):
    _, frame = national
    expected, _ = raw
    got = frame.dropna(subset=["goed_ervaren_gezondheid"])
    merged = expected.merge(got, on=["code", "level", "year"], how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert np.allclose(merged["goed"], merged["goed_ervaren_gezondheid"], rtol=0, atol=1e-9)
    sample = frame.set_index(["code", "year"])["goed_ervaren_gezondheid"]
    assert sample[("BU07723350", 2020)] == 72.7 and sample[("BU07723350", 2022)] == 61.8  # 't Hofke, Eindhoven
    assert sample[("GM0772", 2024)] == 71.9


def test_every_region_and_year_is_there_and_missing_values_are_nan(national, raw):
    """All 10 000-row pages followed: 342 gemeenten + 14 574 buurten x 5 survey years, no wijk rows."""
    mirror, frame = national
    assert len(frame) == (342 + 14574) * 5 == 74580
    assert len(mirror.first_pages) == 8 and "skip=70000" in mirror.first_pages[-1]  # ceil(74 580 / 10 000)
    assert frame.groupby("level")["code"].nunique().to_dict() == {"buurt": 14574, "gemeente": 342}
    assert sorted(frame["year"].unique()) == list(YEARS)
    expected, _ = raw
    per_year = frame.groupby(["level", "year"])["goed_ervaren_gezondheid"].count()
    assert per_year.to_dict() == expected.groupby(["level", "year"])["code"].nunique().to_dict()
    assert per_year[("gemeente", 2024)] == 342 and per_year[("buurt", 2024)] == 11734
    buurt = frame[frame["level"] == "buurt"]
    with_any = buurt.groupby("code")["goed_ervaren_gezondheid"].count()
    assert (with_any > 0).sum() == 11750 and (with_any == 0).sum() == 2824  # PROVENANCE.md figures
    assert not (frame["goed_ervaren_gezondheid"] == 0).any()  # missing is NaN, never 0


def test_no_wijk_values_where_the_table_has_none(national):
    _, frame = national
    assert not frame["code"].str.startswith("WK").any()
    assert frame.attrs["absent_levels"] == ["wijk"]
    assert health.measure_status(frame, "goed_ervaren_gezondheid", "wijk")["status"] == "empty"
    assert health.measure_status(frame, "goed_ervaren_gezondheid", "buurt") == {"status": "ok", "text": None}


def test_declared_monitor_measures_the_copy_lacks_are_reported_not_in_this_data(national):
    _, frame = national
    assert frame.attrs["measure_keys"] == {
        "goed_ervaren_gezondheid": "GoedErvarenGezondheid_4",
        "langdurige_aandoeningen": "EenOfMeerLangdurigeAandoeningen_5",
    }
    assert {"eenzaamheid", "ernstig_eenzaam", "moeite_met_rondkomen"} <= set(frame.attrs["absent_measures"])
    assert frame["eenzaamheid"].isna().all()
    assert health.measure_status(frame, "eenzaamheid", "buurt")["text"] == {
        "nl": "niet in deze gegevens",
        "en": "not in this data",
    }
    # declared and in the table, but the copy has values only for NL01 (not loaded): empty at buurt level
    assert health.measure_status(frame, "langdurige_aandoeningen", "buurt")["status"] == "empty"
    assert frame.attrs["source"]["service"] == "dataderden" and "50150NED" in frame.attrs["source"]["citation"]


def test_a_cached_load_makes_no_request_and_keeps_a_version(national):
    mirror, frame = national
    mirror.clear_requests()
    t0 = time.perf_counter()
    again = health.load_health(levels=("gemeente", "wijk", "buurt"))
    print(f"\n50150NED national cached load {time.perf_counter() - t0:.3f} s")
    assert mirror.requests() == []
    assert again.attrs["source"]["from_cache"] is True
    pd.testing.assert_frame_equal(again.reset_index(drop=True), frame.reset_index(drop=True))
    key = cache.CacheKey.make("gezondheid", 2024, "buurt", "NL")
    kept = cache.versions(key)
    assert len(kept) == 1 and kept[0]["current"] and kept[0]["rows"] == 14574 * 5 and kept[0]["table_id"] == "50150NED"


def test_when_the_service_fails_the_cached_copy_is_used_and_marked_stale(national):
    mirror, frame = national
    mirror.fault(match="50150NED", status=503, times=20)
    try:
        stale = health.load_health(levels=("gemeente", "wijk", "buurt"), refresh=True)
    finally:
        mirror.clear_faults()
    assert stale.attrs["source"]["stale"] is True and len(stale) == len(frame)


def test_a_feed_that_stops_before_odata_count_is_refused_and_nothing_is_cached(national, tmp_path, monkeypatch):
    """The third page answers an empty last page: 20 000 of 74 580 rows is not the table."""
    mirror, _ = national
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "c"))
    mirror.fault(
        match=r"50150NED/TypedDataSet.*skip=20000",
        status=200,
        content_type="application/json",
        body='{"odata.count": "74580", "value": []}',
    )
    try:
        with pytest.raises(FetchError) as err:
            health.load_health()
    finally:
        mirror.clear_faults()
    assert "74580" in err.value.message and "20000" in err.value.message
    assert cache.get(cache.CacheKey.make("gezondheid", 2024, "buurt", "NL")) is None
    assert not (tmp_path / "c" / "entries").exists() or not any((tmp_path / "c" / "entries").iterdir())


def test_one_gemeente_equals_its_part_of_the_national_load(national, tmp_path, monkeypatch):
    _, frame = national
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "c"))
    ehv = health.load_health("GM0772")
    part = frame[frame["gemeente_code"] == "GM0772"].reset_index(drop=True)
    assert len(ehv) == 117 * 5
    pd.testing.assert_frame_equal(ehv.reset_index(drop=True), part, check_like=True)


# --------------------------------------------------------------------------- trends (indicators.health)
def _raw_by_year(expected: pd.DataFrame, level: str = "buurt") -> pd.DataFrame:
    return 100.0 - expected[expected["level"] == level].pivot(index="code", columns="year", values="goed")


def _pct_rank(x: float, ref: np.ndarray) -> float:
    return 100.0 * float((ref <= x).sum()) / ref.size


@pytest.mark.parametrize("y1", [2020, 2022])
def test_buurt_trend_and_rank_movement_recomputed_from_the_raw_file(national, raw, y1):
    _, frame = national
    expected, _ = raw
    values = ih.by_year(frame, "buurt")
    out = ih.trend(values, y1, 2024)
    exp = _raw_by_year(expected)
    both = exp[[y1, 2024]].dropna()
    assert out.attrs["reference_n"] == len(both)
    ref1, ref2 = both[y1].to_numpy(), both[2024].to_numpy()
    for code in ("BU07723350", "BU07723330", both.index[0], both.index[len(both) // 2], both.index[-1]):
        row = out.loc[code]
        assert row["change"] == pytest.approx(both.loc[code, 2024] - both.loc[code, y1], abs=1e-9)
        r1, r2 = _pct_rank(both.loc[code, y1], ref1), _pct_rank(both.loc[code, 2024], ref2)
        assert (row[f"rank_{y1}"], row["rank_2024"]) == (pytest.approx(r1), pytest.approx(r2))
        assert row["rank_change"] == pytest.approx(r2 - r1)
    # 't Hofke: niet goed 27.3 % (2020), 38.2 % (2022) -> 32.5 % (2024)
    assert out.loc["BU07723350", "value_2024"] == pytest.approx(32.5)
    assert out.loc["BU07723350", f"value_{y1}"] == pytest.approx({2020: 27.3, 2022: 38.2}[y1])
    only_one = exp.index[exp[y1].isna() & exp[2024].notna()]
    assert len(only_one) and out.loc[only_one, ["change", "rank_change"]].isna().all().all()


def test_focus_area_is_weighted_by_adults_never_an_unweighted_average(national, raw):
    _, frame = national
    expected, adults = raw
    values = ih.by_year(frame, "buurt")
    members = [c for c in values.index if "WK" + c[2:8] in TONGELRE]
    out = ih.area_trend(values, adults, {"Tongelre": members}, 2020, 2024)
    exp = _raw_by_year(expected)
    used = exp.loc[members, [2020, 2024]].dropna()
    w = adults.reindex(used.index)
    assert w.notna().all() and len(used) >= 10
    row = out.loc["Tongelre"]
    for y in (2020, 2024):
        weighted = float((w * used[y]).sum() / w.sum())
        assert row[f"value_{y}"] == pytest.approx(weighted, abs=1e-9)
        assert abs(weighted - used[y].mean()) > 0.05  # the weighting matters for this area
    assert row["change"] == pytest.approx(row["value_2024"] - row["value_2020"])
    both = exp[[2020, 2024]].dropna()
    assert row["rank_2024"] == pytest.approx(_pct_rank(row["value_2024"], both[2024].to_numpy()))
    assert (row["n_used"], row["n_weight_unknown"]) == (len(used), 0)
    # one buurt without a known population: no value at all, and the reason is said
    unknown = adults.drop(used.index[0])
    blank = ih.area_trend(values, unknown, {"Tongelre": members}, 2020, 2024).loc["Tongelre"]
    assert np.isnan(blank["value_2024"]) and np.isnan(blank["change"]) and blank["reason"] == "bevolking onbekend"
