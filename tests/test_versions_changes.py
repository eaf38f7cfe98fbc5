"""Table versions in the cache and "Wat is er veranderd", against versions of 85984NED served by cbs-mirror: the
SYNTHETIC versions 1-3 of tests/helpers_versions.py (generated at test time into tmp, never stored in the
repository), served by its ``serve`` fixture.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from data import cache
from indicators import changes as C
from indicators.focus import FocusArea
from tests.conftest import needs_shared
from tests.helpers_versions import GM, LEVELS, MODIFIED, cache_keys, expected_differences, version_rows

pytestmark = needs_shared


def _load(refresh=False):
    from data.cbs import load_kwb

    return load_kwb(GM, 2024, levels=LEVELS, refresh=refresh)


def test_versions_kept_changes_listed_restored_and_never_lost(serve):
    serve(1)
    v1 = _load()
    assert [len(cache.versions(k)) for k in cache_keys()] == [1, 1, 1, 1]
    assert v1.attrs["source"]["modified"] == MODIFIED[1]

    serve(2)
    v2 = _load(refresh=True)
    for k in cache_keys():
        vs = cache.versions(k)
        assert [v["modified"] for v in vs] == [MODIFIED[1], MODIFIED[2]] and vs[-1]["current"]
        assert all(v["fetched_at"] for v in vs)

    # "what changed" lists exactly the variables that differ between the two served versions
    found = C.figure_changes(v1, v2)
    listed = set(zip(found["member"], found["variable"], found["status"]))
    expected = expected_differences(v2)
    assert listed == expected
    assert {v for _, v, s in expected if s == "appeared"} >= {
        "personen_per_soort_uitkering_bijstand",
        "gemiddelde_woz_waarde_van_woningen",
    }
    row = found[(found["member"] == "WK047911") & (found["variable"] == "aantal_inwoners")].iloc[0]
    assert (row["old"], row["new"], row["difference"]) == (13795, 13820, 25)

    # go back to the previous version: no request, the old values again
    m = serve(2)
    for k in cache_keys():
        cache.restore(k, cache.previous_version(k))
    m.clear_requests()
    back = _load()
    assert m.requests() == []
    pd.testing.assert_frame_equal(back.reset_index(drop=True), v1.reset_index(drop=True), check_like=True)
    assert back.attrs["source"]["modified"] == MODIFIED[1]

    # refreshing again brings back CBS's current version; the same content is no new version
    again = _load(refresh=True)
    assert again.attrs["source"]["modified"] == MODIFIED[2]
    assert [[v["modified"] for v in cache.versions(k)] for k in cache_keys()] == [[MODIFIED[1], MODIFIED[2]]] * 4

    # a refresh that fails half-way (new Modified, TypedDataSet 503) loses no version and keeps the current one
    before = {k.slug: cache.versions(k) for k in cache_keys()}
    m3 = serve(3)
    m3.fault(match="TypedDataSet", status=503)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        stale = _load(refresh=True)
    assert stale.attrs["source"]["stale"] and any("Gecachte gegevens" in str(w.message) for w in caught)
    assert {k.slug: cache.versions(k) for k in cache_keys()} == before
    for k in cache_keys():
        for v in cache.versions(k):
            assert cache.get(k, version=v["version"]) is not None


def test_what_changed_per_area_and_focus_area_with_ranks_and_stacking(serve):
    from indicators.engine import make_reference, score_areas
    from indicators.focusscore import score_focus

    serve(1)
    v1 = _load()
    serve(2)
    v2 = _load(refresh=True)
    area = FocusArea.make("Zaandam-Zuid + De Aker", ["WK047911", "WK0363FG"])
    tables = []
    for frame in (v1, v2):
        ref = make_reference(frame, "selection", "wijk", 2024, GM)
        res = score_areas({2024: frame}, 2024, level="wijk", reference=ref, gemeenten=GM)
        tables.append(pd.concat([res.table, score_focus(res, [area], comparators=False)]))
    c = C.what_changed(v1, v2, ["WK047911", "WK0363MC"], focus_areas=[area], old_scores=tables[0], new_scores=tables[1])
    assert (c.old.modified, c.new.modified) == (MODIFIED[1], MODIFIED[2]) and c.not_comparable == {}
    focus_figs = c.figures[c.figures["area"] == area.id]
    assert set(focus_figs["member"]) == {"WK047911", "WK0363FG"}
    assert ("WK0363FG", "woningvoorraad", "changed") in set(
        zip(focus_figs["member"], focus_figs["variable"], focus_figs["status"])
    )
    ind = c.indicators.set_index(["area", "indicator"])
    # bijstand appeared (version 1 left it empty), recomputed from the served rows
    rows = {r["WijkenEnBuurten"].strip(): r for r in version_rows(2)}
    bij = (
        1000
        * sum(rows[x]["PersonenPerSoortUitkeringBijstand_94"] for x in area.codes)
        / sum(rows[x]["AantalInwoners_5"] for x in area.codes)
    )
    assert ind.loc[(area.id, "bijstand_per_1000"), "status"] == "appeared"
    assert ind.loc[(area.id, "bijstand_per_1000"), "new"] == pytest.approx(bij)
    assert np.isnan(ind.loc[(area.id, "bijstand_per_1000"), "rank_old"])
    woz = ind.loc[("WK0363MC", "woz_waarde")]
    assert woz["status"] == "appeared" and not np.isnan(woz["rank_new"])
    areas = c.areas.set_index("area")
    assert list(areas.index) == ["WK047911", "WK0363MC", area.id]
    for a in areas.index:
        assert areas.loc[a, "stacking_new"] == tables[1].loc[a, "stacking_count"] or (
            pd.isna(areas.loc[a, "stacking_new"]) and pd.isna(tables[1].loc[a, "stacking_count"])
        )


def _year_frame(year: int, flags: dict[str, float]) -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "code": list(flags),
            "level": "wijk",
            "name": list(flags),
            "gemeente_code": "GM9001",
            "year": year,
            "aantal_inwoners": [100.0 + year - 2020] * len(flags),
            "indelingswijziging_gemeente_wijk_buurt": [str(int(v)) if v == v else None for v in flags.values()],
        }
    )
    f.attrs = {"source": {"table_id": f"T{year}", "year": year, "modified": f"{year}-06-01", "fetched_at": None}}
    return f


def test_two_years_refuse_areas_whose_boundaries_changed():
    old = _year_frame(2023, {"WK900101": 1, "WK900102": 1, "WK900103": 1})
    new = _year_frame(2024, {"WK900101": 1, "WK900102": 3, "WK900103": np.nan})
    c = C.what_changed(old, new, ["WK900101", "WK900102", "WK900103"])
    assert set(c.figures["member"]) == {"WK900101"}
    assert "grenzen gewijzigd in 2024" in c.not_comparable["WK900102"]
    assert "onbekend" in c.not_comparable["WK900103"]
    with pytest.raises(UserInputError, match="WK900102: grenzen gewijzigd in 2024"):
        C.what_changed(old, new, ["WK900102"])
    with pytest.raises(UserInputError, match="geen gegevens voor 2023"):
        C.what_changed(_year_frame(2022, {"WK900101": 1}), new, ["WK900101"])
    area = FocusArea.make("F", ["WK900101", "WK900102"])
    c = C.what_changed(old, new, ["WK900101"], focus_areas=[area])
    assert area.id in c.not_comparable and area.id not in set(c.figures["area"])


def test_selection_versions_load_and_restore_through_data_cbs(serve):
    from data.cbs import kwb_versions, load_kwb_version, restore_kwb_version

    serve(1)
    v1 = _load()
    serve(2)
    _load(refresh=True)
    vs = kwb_versions(GM, 2024, levels=LEVELS)
    assert [v["modified"] for v in vs] == [MODIFIED[1], MODIFIED[2]] and [v["current"] for v in vs] == [False, True]
    old = load_kwb_version(GM, 2024, MODIFIED[1], levels=LEVELS)
    pd.testing.assert_frame_equal(old.reset_index(drop=True), v1.reset_index(drop=True), check_like=True)
    with pytest.raises(UserInputError, match="2020-01-01"):
        restore_kwb_version(GM, 2024, "2020-01-01", levels=LEVELS)
    assert kwb_versions(GM, 2024, levels=LEVELS)[-1]["current"]  # nothing switched
    restore_kwb_version(GM, 2024, MODIFIED[1], levels=LEVELS)
    assert [v["current"] for v in kwb_versions(GM, 2024, levels=LEVELS)] == [True, False]
    assert _load().attrs["source"]["modified"] == MODIFIED[1]


def test_a_snapshot_carries_every_kept_version(serve, tmp_path, monkeypatch):
    from data.cbs import kwb_versions, load_kwb_version
    from data.snapshot import export_snapshot, import_snapshot

    serve(1)
    v1 = _load()
    serve(2)
    _load(refresh=True)
    zip_path = tmp_path / "snap.zip"
    export_snapshot(zip_path)
    before = {k.slug: [(v["version"], v["modified"], v["current"]) for v in cache.versions(k)] for k in cache_keys()}
    assert all(len(v) == 2 for v in before.values())
    monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "other-cache"))
    report = import_snapshot(zip_path)
    assert set(report.imported) >= {k.slug for k in cache_keys()}
    assert {
        k.slug: [(v["version"], v["modified"], v["current"]) for v in cache.versions(k)] for k in cache_keys()
    } == before
    assert [v["modified"] for v in kwb_versions(GM, 2024, levels=LEVELS)] == [MODIFIED[1], MODIFIED[2]]
    old = load_kwb_version(GM, 2024, MODIFIED[1], levels=LEVELS)
    pd.testing.assert_frame_equal(old.reset_index(drop=True), v1.reset_index(drop=True), check_like=True)
