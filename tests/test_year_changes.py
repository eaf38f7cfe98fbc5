"""'Wat is er veranderd' between two YEARS (KWB 2023 -> 2024), served by cbs-mirror.

cbs-mirror serves one real KWB year (85984NED, 2024; ``../shared/cbs-mirror/README.md``). The earlier year is a
test-defined table made at test time into tmp (never stored in the repository):

* **85618NED (KWB 2023) — SYNTHETIC**: the real 85984NED rows of Amsterdam and Zaanstad (gemeente + wijken) from
  ``../shared/data/derived/odata/85984NED`` with invented edits: ``AantalInwoners_5`` x 0.98 (rounded),
  ``GemiddeldeWOZWaardeVanWoningen_39`` - 25, ``InBezitWoningcorporatie_49`` + 1, ``PersonenPerSoortUitkeringBijstand_94``
  left empty (so it *appears* in 2024); wijk WK0363AA left out (it exists only in the 2024 indeling here) and an
  invented wijk WK036399 added (only in the 2023 indeling); ``Modified`` 2024-11-01. Schema and dimension: the real
  85984NED files (plus WK036399).

The 2024 side is the mirror's real table, whose real *Indelingswijziging* flags decide comparability: 110 Amsterdam
wijken and both gemeenten ``1``, seven wijken ``3`` (e.g. WK047911 Zaandam-Zuid, WK0363SA), 14 Zaanstad wijken
without a flag.
"""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators import changes as C
from indicators.focus import FocusArea
from tests.conftest import REPO, SHARED_DATA, needs_shared, start_mirror
from tests.helpers_versions import row_differences

pytestmark = needs_shared

REAL = SHARED_DATA / "derived" / "odata" / "85984NED"
SCHEMA = SHARED_DATA / "cbs_schema"
GM = ["GM0363", "GM0479"]
MODIFIED_2023 = "2024-11-01T02:00:00"
ONLY_2024, ONLY_2023 = "WK0363AA", "WK036399"
OUD_OOST = FocusArea.make("Oud-Oost", ["WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"])


def rows_2024() -> list[dict]:
    """The real served 2024 rows of the two gemeenten (gemeente + wijken)."""
    rows = json.loads((REAL / "TypedDataSet.json").read_text())
    return [
        r
        for r in rows
        if r["WijkenEnBuurten"].strip() in GM or r["WijkenEnBuurten"].strip()[:6] in ("WK0363", "WK0479")
    ]


def rows_2023() -> list[dict]:
    """SYNTHETIC 2023 rows (see the module docstring)."""
    rows = []
    for r in copy.deepcopy(rows_2024()):
        code = r["WijkenEnBuurten"].strip()
        if code == ONLY_2024:
            continue
        r["AantalInwoners_5"] = round(r["AantalInwoners_5"] * 0.98)
        if r.get("GemiddeldeWOZWaardeVanWoningen_39") is not None:
            r["GemiddeldeWOZWaardeVanWoningen_39"] -= 25
        if r.get("InBezitWoningcorporatie_49") is not None:
            r["InBezitWoningcorporatie_49"] += 1
        r.pop("PersonenPerSoortUitkeringBijstand_94", None)
        rows.append(r)
        if code == "WK0363AB":
            extra = copy.deepcopy(r)
            extra["WijkenEnBuurten"] = extra["Codering_3"] = ONLY_2023.ljust(10)
            rows.append(extra)
    return rows


def write_2023(folder):
    """A --tables folder serving the SYNTHETIC 85618NED (KWB 2023)."""
    t = folder / "85618NED"
    t.mkdir(parents=True)
    infos = json.loads((SCHEMA / "85984NED_TableInfos.json").read_text())
    infos[0].update(
        Identifier="85618NED",
        Modified=MODIFIED_2023,
        Title="Kerncijfers wijken en buurten 2023 (SYNTHETISCH, tests/test_year_changes.py)",
    )
    dims = json.loads((REAL / "WijkenEnBuurten.json").read_text())
    dims.append(
        {
            "Key": ONLY_2023.ljust(10),
            "Title": "Synthetische wijk (alleen 2023)",
            "Description": None,
            "Municipality": "GM0363",
        }
    )
    (t / "WijkenEnBuurten.json").write_text(json.dumps(dims))
    (t / "TypedDataSet.json").write_text(json.dumps(rows_2023()))
    (t / "table.json").write_text(
        json.dumps(
            {
                "id": "85618NED",
                "TableInfos": infos,
                "DataProperties": str(SCHEMA / "85984NED_DataProperties.json"),
                "CategoryGroups": [],
                "dimensions": {"WijkenEnBuurten": "WijkenEnBuurten.json"},
                "TypedDataSet": "TypedDataSet.json",
                "synthetic": "SYNTHETIC KWB 2023 made by tests/test_year_changes.py from the real 85984NED rows",
            }
        )
    )
    return folder


def flag_2024() -> dict[str, str | None]:
    return {r["WijkenEnBuurten"].strip(): r.get("IndelingswijzigingGemeenteWijkBuurt_4") for r in rows_2024()}


def comparable() -> set[str]:
    """Codes in both served years whose real 2024 flag is 1 (recomputed from the served rows)."""
    old = {r["WijkenEnBuurten"].strip() for r in rows_2023()}
    return {c for c, f in flag_2024().items() if f == "1" and c in old}


def expected_differences(frame: pd.DataFrame, codes) -> set[tuple[str, str, str]]:
    """(code, canonical variable, status) between the two served row sets, for ``codes``."""
    canonical = {meta["key"]: name for name, meta in frame.attrs["columns"].items()}
    old = {r["WijkenEnBuurten"].strip(): r for r in rows_2023()}
    new = {r["WijkenEnBuurten"].strip(): r for r in rows_2024()}
    return row_differences(old, new, codes, canonical)  # a code missing on one side: all its values differ


@pytest.fixture
def years_mirror(tmp_path, monkeypatch, cache_dir):
    """A mirror serving the real 2024 table and the SYNTHETIC 2023 table; the loaders point at it."""
    run = tmp_path / "m"
    run.mkdir()
    m = start_mirror(run, "--tables", str(write_2023(tmp_path / "tables")))
    monkeypatch.setenv("STAPELKAART_CBS_URL", m.url)
    monkeypatch.setenv("STAPELKAART_PDOK_URL", m.url)
    yield m
    m.proc.terminate()
    m.proc.wait(10)


def _load(year):
    from data.cbs import load_kwb

    return load_kwb(GM, year, levels=("gemeente", "wijk"))


def test_two_years_list_exactly_the_differing_figures_of_comparable_areas(years_mirror):
    old, new = _load(2023), _load(2024)
    assert (old.attrs["source"]["table_id"], new.attrs["source"]["table_id"]) == ("85618NED", "85984NED")
    wijken = sorted(set(old.loc[old["level"] == "wijk", "code"]) | set(new.loc[new["level"] == "wijk", "code"]))
    c = C.what_changed(old, new, wijken)
    ok = comparable()
    assert set(c.figures["member"]) == {w for w in wijken if w in ok}
    listed = set(zip(c.figures["member"], c.figures["variable"], c.figures["status"]))
    assert listed == expected_differences(new, [w for w in wijken if w in ok])
    row = c.figures[(c.figures["member"] == "WK0363MC") & (c.figures["variable"] == "aantal_inwoners")].iloc[0]
    assert (row["old"], row["new"], row["difference"]) == (round(10715 * 0.98), 10715, 10715 - round(10715 * 0.98))
    assert ("WK0363MC", "personen_per_soort_uitkering_bijstand", "appeared") in listed
    # codes of only one year's indeling: not comparable, never "appeared"/"disappeared"
    assert "indeling van 2023" in c.not_comparable[ONLY_2024] and "alleen in 2024" in c.not_comparable[ONLY_2024]
    assert "indeling van 2024" in c.not_comparable[ONLY_2023]
    assert "2023 division" in c.reason(ONLY_2024, "en")
    # the real 2024 flags: 3 = boundaries changed, none = unknown
    assert c.not_comparable["WK047911"] == "grenzen gewijzigd in 2024 (indelingswijziging 3)"
    assert c.reason("WK047911", "en") == "boundaries changed in 2024 (indelingswijziging 3)"
    assert c.not_comparable["WK047912"] == "indelingswijziging 2024 onbekend"
    assert set(c.not_comparable) == set(wijken) - ok
    assert c.years and (c.old.modified, c.new.year) == (MODIFIED_2023, 2024)
    with pytest.raises(UserInputError, match="WK0363AA: bestaat niet in de indeling van 2023"):
        C.what_changed(old, new, [ONLY_2024])


def test_two_years_per_focus_area_with_indicator_ranks_and_stacking(years_mirror):
    from indicators.engine import make_reference, score_areas
    from indicators.focusscore import score_focus

    old, new = _load(2023), _load(2024)
    broken = FocusArea.make("Met nieuwe wijk", ["WK0363AB", ONLY_2024])
    tables = []
    for frame, year in ((old, 2023), (new, 2024)):
        ref = make_reference(frame, "selection", "wijk", year, GM)
        res = score_areas({year: frame}, year, level="wijk", reference=ref, gemeenten=GM)
        tables.append(pd.concat([res.table, score_focus(res, [OUD_OOST], comparators=False)]))
    c = C.what_changed(old, new, [], focus_areas=[OUD_OOST, broken], old_scores=tables[0], new_scores=tables[1])
    assert broken.id in c.not_comparable and ONLY_2024 in c.not_comparable[broken.id]
    figs = c.figures[c.figures["area"] == OUD_OOST.id]
    assert set(zip(figs["member"], figs["variable"], figs["status"])) == expected_differences(new, OUD_OOST.codes)
    ind = c.indicators.set_index(["area", "indicator"])
    rows = {r["WijkenEnBuurten"].strip(): r for r in rows_2024()}
    bij = (
        1000
        * sum(rows[x]["PersonenPerSoortUitkeringBijstand_94"] for x in OUD_OOST.codes)
        / sum(rows[x]["AantalInwoners_5"] for x in OUD_OOST.codes)
    )
    assert ind.loc[(OUD_OOST.id, "bijstand_per_1000"), "status"] == "appeared"
    assert ind.loc[(OUD_OOST.id, "bijstand_per_1000"), "new"] == pytest.approx(bij)
    assert np.isnan(ind.loc[(OUD_OOST.id, "bijstand_per_1000"), "rank_old"])
    woz = ind.loc[(OUD_OOST.id, "woz_waarde")]
    assert woz["rank_move"] == woz["rank_new"] - woz["rank_old"]
    a = c.areas.set_index("area").loc[OUD_OOST.id]
    for side, table in (("old", tables[0]), ("new", tables[1])):
        want = table.loc[OUD_OOST.id, "stacking_count"]
        assert a[f"stacking_{side}"] == want or (pd.isna(a[f"stacking_{side}"]) and pd.isna(want))


def _app(params: dict, page: str):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _years(at):
    at.radio(key="w_changed_mode").set_value("years").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_buurtprofiel_compares_two_years_per_area_and_per_focus_area(years_mirror):
    new = _load(2024)
    at = _years(_app({"page": "buurtprofiel", "area": "WK0363MC", "ref": "gemeente"}, "buurtprofiel"))
    assert at.selectbox(key="w_changed_old_year").value == 2023
    listed = [d.value for d in at.dataframe if "variable" in d.value.columns]
    assert listed, [i.value for i in at.info]
    status = {"gewijzigd": "changed", "nieuw": "appeared", "verdwenen": "disappeared"}
    shown = {("WK0363MC", v, status[s]) for v, s in zip(listed[0]["variable"], listed[0]["Status"])}
    assert shown == expected_differences(new, ["WK0363MC"])
    caps = " ".join(c.value for c in at.caption)
    assert "85618NED 2023, CBS-versie van 2024-11-01" in caps and "85984NED 2024" in caps
    assert any("Rang oud → nieuw" in d.value.columns[-1] for d in at.dataframe)

    at = _years(_app({"page": "buurtprofiel", "area": ONLY_2024, "ref": "gemeente"}, "buurtprofiel"))
    assert any("niet vergelijkbaar" in i.value and "indeling van 2023" in i.value for i in at.info)
    assert not [d for d in at.dataframe if "variable" in d.value.columns]
    at = _years(_app({"page": "buurtprofiel", "area": "WK047911", "ref": "gemeente", "lang": "en"}, "buurtprofiel"))
    assert any(
        "None of the selected areas is comparable" in i.value and "boundaries changed in 2024" in i.value
        for i in at.info
    )

    fa = "Oud-Oost:WK0363MB+WK0363MC+WK0363MD+WK0363ME"
    at = _years(_app({"page": "buurtprofiel", "fa": fa, "fopen": "oud-oost", "ref": "gemeente"}, "buurtprofiel"))
    listed = [d.value for d in at.dataframe if "variable" in d.value.columns]
    assert {(c, v) for c, v in zip(listed[0]["code"], listed[0]["variable"])} == {
        (c, v) for c, v, _ in expected_differences(new, OUD_OOST.codes)
    }
    assert any(m.value.startswith("Stapeling:") for m in at.markdown)
