"""The Nederland row of werk (issue 10): WW/AO/bijstand per 100 inhabitants aged 15-65, summed over every
gemeente of the Wijk- en Buurtkaart where the data have no NL00 row.

The shared mirror's PDOK ``gemeenten`` layer holds only GM0363 and GM0479 (its README), and its 85984NED has no
age groups, so over that mirror the Nederland row of werk must say "niet beschikbaar" with the coverage. The
CBS Wijk- en Buurtkaart 2024 gemeente table (``../shared/data/kwb/cbs_wijkbuurtkaart2024v2_gemeente_stats_all.csv``,
PROVENANCE.md) has all 342 gemeenten (plus 81 water-only rows). ``national_mirror`` serves that table as the
``gemeenten`` layer of a second mirror (``--data``, built in a temporary directory at test time; OData, wijken
and buurten are the shared mirror's files): the real loaders then fetch it over HTTP. That table has no
outlines of the other 340 gemeenten, so their features carry a point at Amersfoort (the RD origin) as a stand-in
geometry; the loader reads attributes only (asserted below), so the stand-in never reaches a figure.
The expected figures are recomputed here from the CSV (the issue quotes 1.372 / 6.798 / 3.511).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from indicators import focus as F
from indicators import focusscore as FS
from tests.conftest import REPO, SHARED_DATA, needs_shared, start_mirror

GEMEENTE_STATS = SHARED_DATA / "kwb" / "cbs_wijkbuurtkaart2024v2_gemeente_stats_all.csv"
DERIVED = SHARED_DATA / "derived"
WERK = {
    "ww_werkleeftijd": "aantal_personen_met_een_ww_uitkering_totaal",
    "ao_werkleeftijd": "aantal_personen_met_een_ao_uitkering_totaal",
    "bijstand_werkleeftijd": "aantal_personen_met_een_alg_bijstandsuitkering_tot",
}
AGES = (
    "percentage_personen_15_tot_25_jaar",
    "percentage_personen_25_tot_45_jaar",
    "percentage_personen_45_tot_65_jaar",
)
AMERSFOORT = {"crs84": [5.3872035, 52.1551744], "rd": [155000.0, 463000.0]}  # RD origin, stand-in geometry


def expected_werk() -> tuple[dict[str, float], int]:
    """Sum over the land rows of the CSV: 100 x sum(count) / sum(inwoners x (15-25 + 25-45 + 45-65 %) / 100)."""
    g = pd.read_csv(GEMEENTE_STATS)
    g = g[g["water"] == "NEE"].replace(-99997, np.nan)
    work = g["aantal_inwoners"] * g[list(AGES)].sum(axis=1, min_count=3) / 100
    out = {}
    for ind, col in WERK.items():
        has = g[col].notna() & work.notna()
        assert has.all()  # every gemeente has both: no partial sum hides in the expected value
        out[ind] = 100 * g.loc[has, col].sum() / work[has].sum()
    return out, len(g)


def _json_value(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        return None if math.isnan(v) else float(v)
    return v


def build_national_data(dst):
    """A mirror data folder whose gemeenten layer is the whole gemeente table of the Wijk- en Buurtkaart 2024."""
    src = DERIVED / "pdok_wbk2024"
    (dst / "pdok_wbk2024").mkdir(parents=True)
    os.symlink(DERIVED / "odata", dst / "odata")
    meta = json.loads((src / "collections.json").read_text(encoding="utf-8"))
    for coll in meta["collections"]:
        if coll["id"] != "gemeenten":
            for name in coll["files"].values():
                os.symlink(src / name, dst / "pdok_wbk2024" / name)
            continue
        coll["description"] = "all gemeenten of the Wijk- en Buurtkaart 2024 gemeente table (test fixture)"
        real = {}
        for crs in ("crs84", "rd"):
            for f in json.loads((src / coll["files"][crs]).read_text(encoding="utf-8"))["features"]:
                real.setdefault(f["properties"]["gemeentecode"] if crs == "crs84" else f["id"], {})[crs] = f
        real_by_code = {code: v for code, v in real.items() if code.startswith("GM")}
        rd_by_id = {fid: v["rd"] for fid, v in real.items() if not fid.startswith("GM")}
        table = pd.read_csv(GEMEENTE_STATS).sort_values(["gemeentecode", "water"], ascending=[True, False])
        feats = {"crs84": [], "rd": []}
        for i, row in enumerate(table.to_dict("records"), start=1):
            props = {k: _json_value(row[k]) for k in coll["properties"]}
            own = real_by_code.get(row["gemeentecode"]) if row["water"] == "NEE" else None
            for crs in feats:
                if own is not None:
                    geom = own["crs84"]["geometry"] if crs == "crs84" else rd_by_id[own["crs84"]["id"]]["geometry"]
                else:
                    geom = {"type": "Point", "coordinates": AMERSFOORT[crs]}
                feats[crs].append(
                    {
                        "type": "Feature",
                        "id": str(i),
                        "geometry": geom,
                        **({"properties": props} if crs == "crs84" else {"properties": {}}),
                    }
                )
        for crs in feats:
            (dst / "pdok_wbk2024" / coll["files"][crs]).write_text(
                json.dumps({"type": "FeatureCollection", "features": feats[crs]}), encoding="utf-8"
            )
    (dst / "pdok_wbk2024" / "collections.json").write_text(json.dumps(meta), encoding="utf-8")
    return dst


@pytest.fixture(scope="module")
def national_mirror(tmp_path_factory):
    if not GEMEENTE_STATS.exists():
        pytest.skip("../shared/data is absent: only outside the Stapelkaart workplace")
    data = build_national_data(tmp_path_factory.mktemp("national-data") / "derived")
    m = start_mirror(tmp_path_factory.mktemp("national-mirror"), "--data", str(data))
    yield m
    m.proc.terminate()
    m.proc.wait(10)


@pytest.fixture
def at(monkeypatch, tmp_path):
    """Point the loaders at a mirror with a private cache."""

    def point(m):
        monkeypatch.setenv("STAPELKAART_CBS_URL", m.url)
        monkeypatch.setenv("STAPELKAART_PDOK_URL", m.url)
        monkeypatch.setenv("STAPELKAART_DATADERDEN_URL", m.url)
        monkeypatch.setenv("STAPELKAART_CACHE_DIR", str(tmp_path / "cache"))
        monkeypatch.setenv("STAPELKAART_HTTP_BACKOFF", "0.05")
        return m

    return point


def _poelenburg_result():
    from data.cbs import load_kwb
    from indicators.engine import make_reference, score_areas

    gm = ["GM0479"]
    frame = load_kwb(gm, 2024, levels=("gemeente", "wijk"))
    ref = make_reference(frame, "selection", "wijk", 2024, gm)
    return score_areas({2024: frame}, 2024, level="wijk", reference=ref, gemeenten=gm)


# ------------------------------------------------------------------------------------------- loader
@needs_shared
def test_loader_reads_every_gemeente_of_the_layer_over_http(national_mirror, at):
    from data.pdok import load_gemeente_attributes

    m = at(national_mirror)
    m.clear_requests()
    g = pd.read_csv(GEMEENTE_STATS)
    land = g[g["water"] == "NEE"].set_index("gemeentecode")
    attrs = load_gemeente_attributes(2024)
    assert attrs.attrs["source"]["n_gemeenten"] == len(land) == 342
    assert attrs.attrs["source"]["n_water"] == int((g["water"] == "JA").sum()) == 81
    assert attrs.attrs["source"]["table_id"] == "wijken-en-buurten-2024/gemeenten"
    assert sorted(attrs["code"]) == sorted(land.index) and attrs["code"].is_unique
    assert "geometry" not in attrs.columns and (attrs["level"] == "gemeente").all()
    got = attrs.set_index("code")
    for col in (*AGES, *WERK.values(), "aantal_inwoners"):
        want = land[col].where(land[col] != -99997).astype(float)
        pd.testing.assert_series_equal(got[col].reindex(want.index), want, check_names=False)
    # the whole layer in pages of 1 000 (423 features: one request), not one request per gemeente
    items = m.requests("collections/gemeenten/items")
    assert len(items) == 1 and "gemeentecode" not in items[0]["query"] and "limit=1000" in items[0]["query"]
    m.clear_requests()
    again = load_gemeente_attributes(2024)
    assert m.requests() == [] and again.attrs["source"]["from_cache"] is True
    assert again.attrs["source"]["n_gemeenten"] == 342


@needs_shared
def test_loader_over_the_shared_mirror_has_two_gemeenten_and_the_row_says_so(mirror, at):
    """The shared mirror's layer has GM0363 and GM0479 only: the sum would be 2 of 342 gemeenten, so the
    Nederland row of werk says 'niet beschikbaar' with the coverage, never a two-gemeente figure."""
    from data.cbs import load_kwb_national
    from data.pdok import load_gemeente_attributes

    at(mirror)
    attrs = load_gemeente_attributes(2024)
    assert sorted(attrs["code"]) == ["GM0363", "GM0479"] and attrs.attrs["source"]["n_gemeenten"] == 2
    national = load_kwb_national(2024, "gemeente")
    nl = FS.score_focus(
        _poelenburg_result(), [F.FOCUS_AREAS["poelenburg"]], national=national, national_attributes=attrs
    ).loc["NL00"]
    share = national.set_index("code")["aantal_inwoners"]
    cover = share.reindex(["GM0363", "GM0479"]).sum() / share.sum()
    for ind in WERK:
        assert np.isnan(nl[ind])
        assert nl[f"{ind}__source"] == f"niet beschikbaar (dekking {cover:.0%} van de inwoners)"


# ------------------------------------------------------------------------------------------- Nederland row
@needs_shared
def test_nederland_row_of_werk_through_the_loaders_equals_the_gemeente_table(national_mirror, at):
    from data.cbs import load_kwb_national
    from data.pdok import load_gemeente_attributes

    at(national_mirror)
    want, n = expected_werk()
    national = load_kwb_national(2024, "gemeente")
    attrs = load_gemeente_attributes(2024)
    table = FS.score_focus(
        _poelenburg_result(), [F.FOCUS_AREAS["poelenburg"]], national=national, national_attributes=attrs
    )
    nl = table.loc["NL00"]
    for ind, value in want.items():
        assert nl[ind] == pytest.approx(value, rel=1e-12)
        source = nl[f"{ind}__source"]
        assert source.startswith(f"som over {n} gemeenten") and "Wijk- en Buurtkaart 2024" in source
    # the figures, rounded as it quotes them (a check of the recomputation above, not the truth)
    assert [round(want[k], 3) for k in WERK] == [1.372, 6.798, 3.511]
    assert nl["kind"] == "land" and nl["name"] == "Nederland"


@needs_shared
def test_focus_table_loader_shows_the_nederland_werk_row(national_mirror, at):
    """pages/_common/loaders_focus.focus_table (what Vergelijken and the focus profile show)."""
    import streamlit as st

    from pages._common import loaders_focus
    from pages._common.state import ViewState

    at(national_mirror)
    st.cache_data.clear()
    want, n = expected_werk()
    view = ViewState(gemeenten=("GM0479",), year=2024, reference="selection")
    table = loaders_focus.focus_table(view, None, [F.FOCUS_AREAS["poelenburg"]])
    nl = table.loc["NL00"]
    for ind, value in want.items():
        assert nl[ind] == pytest.approx(value, rel=1e-12)
        assert nl[f"{ind}__source"].startswith(f"som over {n} gemeenten")
    st.cache_data.clear()


@needs_shared
def test_focus_cli_prints_the_same_nederland_row(national_mirror, tmp_path):
    want, n = expected_werk()
    env = {
        **os.environ,
        "STAPELKAART_CBS_URL": national_mirror.url,
        "STAPELKAART_PDOK_URL": national_mirror.url,
        "STAPELKAART_DATADERDEN_URL": national_mirror.url,
        "STAPELKAART_CACHE_DIR": str(tmp_path / "cache"),
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "focus",
            "--year",
            "2024",
            "--history",
            "0",
            "--define",
            "Poelenburg=WK047912",
            "--format",
            "json",
            "--full",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    nl = rows["NL00"]
    for ind, value in want.items():
        assert nl[ind] == pytest.approx(value, rel=1e-9)
        assert nl[f"{ind}__source"].startswith(f"som over {n} gemeenten")
