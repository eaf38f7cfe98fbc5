"""Focus areas as data: URL/JSON round trips, validation naming every bad member, presets checked against the
CBS files, aggregates recomputed from ../shared/data, the Nederland row of werk, and the ``focus`` CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd
import pytest

from core.errors import UserInputError
from indicators import focus as F
from indicators import focuscodec as FC
from indicators import focusscore as FS
from tests.conftest import REPO, SHARED_DATA, needs_shared
from tests.helpers_cli import run_main

WIJK_STATS = SHARED_DATA / "kwb" / "cbs_wijkbuurtkaart2024v2_wijk_stats_GM0363_GM0479.csv"
GEMEENTE_STATS = SHARED_DATA / "kwb" / "cbs_wijkbuurtkaart2024v2_gemeente_stats_all.csv"
INCOME = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
DIMENSION = SHARED_DATA / "derived" / "odata" / "85984NED" / "WijkenEnBuurten.json"

TRICKY = ["Zaandam-Zuid", "Oud:Oost; 50% + meer", "Ñoño – “wijk” 東京 👍", "a&b=c?d#e/f", "  spaties   rond  "]


# ------------------------------------------------------------------------------------------- URL form
def test_url_param_round_trips_any_name_through_a_real_query_string():
    areas = [F.FocusArea.make(n, ["WK047911", "WK047912"] if i % 2 else ["BU03630001"]) for i, n in enumerate(TRICKY)]
    value = FC.format_focus_param(areas)
    # what a browser sends and Streamlit's st.query_params decodes (urlencode + parse_qs: '+' <-> space)
    decoded = parse_qs(urlencode({"fa": value}))["fa"][0]
    back = FC.parse_focus_param(decoded)
    assert [a.name for a in back] == [F.clean_name(n) for n in TRICKY]
    assert [a.codes for a in back] == [a.codes for a in areas]
    assert FC.format_focus_param(back) == value
    assert len({a.id for a in back}) == len(back)  # ids unique


def test_compact_form_typed_by_hand():
    # '+' in a raw link becomes a space after decoding: both separate codes
    raw = parse_qs("fa=Zaandam-Zuid:WK047911+WK047912;Oud-Oost:WK0363MB,wk0363mc")["fa"][0]
    a, b = FC.parse_focus_param(raw)
    assert (a.name, a.codes, a.level, a.gemeenten) == ("Zaandam-Zuid", ("WK047911", "WK047912"), "wijk", ("GM0479",))
    assert b.codes == ("WK0363MB", "WK0363MC") and b.id == "oud-oost"
    assert FC.parse_focus_param("") == []


def test_param_bounds_and_syntax_errors_name_the_problem():
    with pytest.raises(UserInputError, match="maximaal 12"):
        FC.parse_focus_param(";".join(f"A{i}:WK047911" for i in range(13)))
    with pytest.raises(UserInputError, match=r"WK0479\b|GM0479 is geen wijk- of buurtcode"):
        FC.parse_focus_param("X:GM0479")
    with pytest.raises(UserInputError, match="'Leeg' heeft geen leden"):
        FC.parse_focus_param("Leeg:")
    with pytest.raises(UserInputError, match=r"mengt wijken \(WK047911\) en buurten \(BU04790101\)"):
        FC.parse_focus_param("Mix:WK047911+BU04790101")
    with pytest.raises(UserInputError, match="geen ':'"):
        FC.parse_focus_param("zonder dubbele punt")
    assert len(FC.parse_focus_param("N" * 500 + ":WK047911")[0].name) == F.MAX_NAME


def test_validate_names_every_bad_member_and_drops_nothing():
    known = {"wijk": {"WK047911", "WK047912"}, "buurt": {"BU04790101"}}
    areas = [
        F.FocusArea.make("Goed", ["WK047911", "WK047912"]),
        F.FocusArea.make("Fout", ["WK047911", "WK047999", "WK047998"]),
        F.FocusArea.make("Buurt", ["BU04790101"]),
    ]
    with pytest.raises(UserInputError) as exc:
        FC.validate(areas, known, level="wijk")
    msg = exc.value.message
    assert "'Fout': WK047999, WK047998 niet gevonden" in msg
    assert "'Buurt' bestaat uit buurten (BU04790101)" in msg and "Goed" not in msg
    FC.validate(areas[:1], known, level="wijk")  # a good set passes


def test_json_export_import_round_trip_and_rejects_other_files():
    areas = [F.FocusArea.make(n, ["WK047911"], source="test") for n in TRICKY[:3]]
    back = FC.focus_from_json(FC.focus_to_json(areas))
    assert [(a.id, a.name, a.codes, a.source) for a in back] == [(a.id, a.name, a.codes, a.source) for a in areas]
    for bad in (
        "{",
        json.dumps({"format": "iets"}),
        json.dumps({"format": FC.JSON_FORMAT, "version": 1, "focus_areas": [{"name": "X", "codes": "WK047911"}]}),
    ):
        with pytest.raises(UserInputError):
            FC.focus_from_json(bad)


# ------------------------------------------------------------------------------------------- presets
@needs_shared
def test_preset_codes_carry_the_names_cbs_gives_them():
    """Zaanstad, Eindhoven and De Aker: the codes were looked up by name; the CBS files must agree."""
    income = pd.read_csv(INCOME).set_index("regiocode")["regionaam"]
    dim = {r["Key"].strip(): r["Title"] for r in json.loads(DIMENSION.read_text())}
    zaan = F.preset("Zaanstad – Kansengelijkheid")
    assert [a.codes for a in zaan.areas] == [(f"WK04791{i}",) for i in range(1, 6)]
    assert [dim[a.codes[0]] for a in zaan.areas] == [
        "Zaandam Zuid",
        "Poelenburg",
        "Pelders- en Hoornseveld",
        "Rosmolenwijk",
        "Kogerveldwijk",
    ]
    for p in (F.PRESETS["eindhoven-tongelre-gestel"], F.PRESETS["amsterdam-de-aker"]):
        for code, name in p.codes_found.items():
            assert income[code] == name and dim[code] == name
        assert {c for a in p.areas for c in a.codes} == set(p.codes_found)
    assert F.preset("eindhoven-tongelre-gestel").areas[0].gemeenten == ("GM0772",)
    with pytest.raises(UserInputError, match="zaanstad-kansengelijkheid"):
        F.preset("bestaat niet")


NATIONAL_DIMENSION = SHARED_DATA / "derived-national" / "odata" / "85984NED" / "WijkenEnBuurten.json.gz"
NATIONAL_WIJKEN = SHARED_DATA / "derived-national" / "pdok_wbk2024" / "wijken.features.tsv.gz"


@needs_shared
def test_praktijkgebieden_holds_every_seed_area_with_its_gemeente():
    """Issue 23: Tongelre and Gestel next to Poelenburg, the Zaanstad programme areas, Oud-Oost, Zuidoost and
    De Aker, in one preset; names and codes checked against the national 85984NED and PDOK wijken of the mirror."""
    import gzip

    p = F.preset("praktijkgebieden")
    assert [a.name for a in p.areas] == [
        "Zaandam-Zuid",
        "Poelenburg (Zaanstad)",
        "Pelders- en Hoornseveld",
        "Rosmolenwijk",
        "Kogerveldwijk",
        "Oud-Oost (Amsterdam)",
        "Zuidoost (Amsterdam)",
        "De Aker (Amsterdam)",
        "Tongelre (Eindhoven)",
        "Gestel (Eindhoven)",
    ]
    assert len({a.id for a in p.areas}) == len(p.areas) <= F.MAX_FOCUS_AREAS
    others = {a.id: a.codes for q in F.PRESETS.values() if q.id != p.id for a in q.areas}
    assert {a.id: a.codes for a in p.areas} == {k: v for k, v in others.items() if k in {a.id for a in p.areas}}
    assert {a.id for a in p.areas} >= {"poelenburg", "oud_oost", "zuidoost", "de-aker", "tongelre", "gestel"}
    by_id = {a.id: a for a in p.areas}
    assert by_id["tongelre"].gemeenten == by_id["gestel"].gemeenten == ("GM0772",)
    assert {g for a in p.areas for g in a.gemeenten} == {"GM0479", "GM0363", "GM0772"}
    FC.syntax_check(list(p.areas))
    assert [a.codes for a in FC.parse_focus_param(FC.format_focus_param(p.areas))] == [a.codes for a in p.areas]
    with gzip.open(NATIONAL_DIMENSION) as fh:
        dim = {r["Key"].strip(): r["Title"] for r in json.load(fh)}
    served = {}
    with gzip.open(NATIONAL_WIJKEN, "rt", encoding="utf-8") as fh:
        for line in fh:
            props = json.loads(line.split("\t")[1])
            served[props["wijkcode"]] = (props["wijknaam"], props["gemeentecode"])
    for code, name in p.codes_found.items():
        assert dim[code] == name and served[code] == (name, "GM" + code[2:6])
    assert all(c in served for a in p.areas for c in a.codes)  # every member has national boundaries
    assert "zonder kaart" in p.note and "Eindhoven" not in p.note  # no claim about one data source's gaps


# ------------------------------------------------------------------------------------------- scoring
@pytest.fixture(scope="module")
def scored(mirror_server, tmp_path_factory):
    """GM0363 + GM0479 wijken (2024) through the real loaders, reference = the selection."""
    from data.cbs import load_kwb, load_kwb_national
    from data.pdok import load_boundaries
    from indicators.engine import make_reference, score_areas

    mirror_server.reset()
    old = os.environ.get("STAPELKAART_CACHE_DIR")
    os.environ["STAPELKAART_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        gm = ["GM0363", "GM0479"]
        frame = load_kwb(gm, 2024, levels=("gemeente", "wijk"))
        attrs = pd.concat(
            [pd.DataFrame(load_boundaries(gm, 2024, lv).drop(columns="geometry")) for lv in ("gemeente", "wijk")]
        )
        ref = make_reference(frame, "selection", "wijk", 2024, gm)
        result = score_areas({2024: frame}, 2024, level="wijk", reference=ref, gemeenten=gm, attributes={2024: attrs})
        national = load_kwb_national(2024, "gemeente")
    finally:
        if old is None:
            os.environ.pop("STAPELKAART_CACHE_DIR", None)
        else:
            os.environ["STAPELKAART_CACHE_DIR"] = old
    return result, national


@needs_shared
def test_aggregate_of_two_wijken_in_two_gemeenten_is_sum_over_sum(scored):
    """WK047911 (Zaanstad) + WK0363FG (De Aker, Amsterdam) recomputed from the Wijk- en Buurtkaart file."""
    result, _ = scored
    s = pd.read_csv(WIJK_STATS).set_index("wijkcode").loc[["WK047911", "WK0363FG"]].replace(-99997, np.nan)
    area = F.FocusArea.make("Twee", ["WK047911", "WK0363FG"])
    table = FS.score_focus(result, [area])
    row = table.loc[area.id]
    inw, won = s["aantal_inwoners"], s["woningvoorraad"]
    work = (
        inw
        * (
            s["percentage_personen_15_tot_25_jaar"]
            + s["percentage_personen_25_tot_45_jaar"]
            + s["percentage_personen_45_tot_65_jaar"]
        )
        / 100
    )
    assert row["bijstand_per_1000"] == pytest.approx(
        1000 * s["aantal_personen_met_een_alg_bijstandsuitkering_tot"].sum() / inw.sum()
    )
    assert row["ww_werkleeftijd"] == pytest.approx(
        100 * s["aantal_personen_met_een_ww_uitkering_totaal"].sum() / work.sum()
    )
    assert row["woz_waarde"] == pytest.approx((s["gemiddelde_woningwaarde"] * won).sum() / won.sum())
    assert row["sociale_huur"] == pytest.approx(
        (s["perc_huurwoningen_in_bezit_woningcorporaties"] * won).sum() / won.sum()
    )
    # not the mean of the two rates
    assert row["bijstand_per_1000"] != pytest.approx(
        (1000 * s["aantal_personen_met_een_alg_bijstandsuitkering_tot"] / inw).mean()
    )
    assert set(table.loc[table["kind"] == "gemeente", "id"]) == {"GM0479", "GM0363"}
    assert row["gemeenten"] == "GM0479;GM0363" and row["members"] == "WK047911;WK0363FG"


@needs_shared
def test_member_outside_the_scored_data_is_named(scored):
    with pytest.raises(UserInputError, match="WK077233"):
        FS.score_focus(scored[0], [F.FocusArea.make("Tongelre", ["WK077233"])])


@needs_shared
def test_nederland_row_of_werk_is_the_sum_over_all_gemeenten(scored):
    """No NL00 row: WW/AO/bijstand per 100 aged 15-65 = sum over the 342 gemeenten (working age from the %)."""
    result, national = scored
    g = pd.read_csv(GEMEENTE_STATS)
    g = g[g["water"] == "NEE"].replace(-99997, np.nan)
    work = (
        g["aantal_inwoners"]
        * (
            g["percentage_personen_15_tot_25_jaar"]
            + g["percentage_personen_25_tot_45_jaar"]
            + g["percentage_personen_45_tot_65_jaar"]
        )
        / 100
    )
    expected = {
        "ww_werkleeftijd": "aantal_personen_met_een_ww_uitkering_totaal",
        "ao_werkleeftijd": "aantal_personen_met_een_ao_uitkering_totaal",
        "bijstand_werkleeftijd": "aantal_personen_met_een_alg_bijstandsuitkering_tot",
    }
    attrs = g.rename(columns={"gemeentecode": "code"})
    table = FS.score_focus(result, [F.FOCUS_AREAS["poelenburg"]], national=national, national_attributes=attrs)
    nl = table.loc["NL00"]
    for ind, col in expected.items():
        assert nl[ind] == pytest.approx(100 * g[col].sum() / work.sum())
    assert (
        round(nl["ww_werkleeftijd"], 3),
        round(nl["ao_werkleeftijd"], 3),
        round(nl["bijstand_werkleeftijd"], 3),
    ) == (1.372, 6.798, 3.511)
    without = FS.score_focus(result, [F.FOCUS_AREAS["poelenburg"]], national=national).loc["NL00"]
    assert np.isnan(without["ww_werkleeftijd"]) and "niet beschikbaar" in without["ww_werkleeftijd__source"]


# ------------------------------------------------------------------------------------------- CLI
def _cli(*args, env):
    return subprocess.run(
        [sys.executable, "-m", "indicators", "focus", "--year", "2024", "--history", "0", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _focus_main(*args, capsys):
    """``_cli``'s command through ``indicators.__main__.main`` in this process (the mirror's URLs are in the
    environment; ``cache_dir`` points the cache at the test's folder)."""
    from indicators.__main__ import main

    return run_main(main, ["focus", "--year", "2024", "--history", "0", *args], capsys)


@pytest.fixture
def cli_env(mirror, cache_dir):
    return {
        **os.environ,
        "STAPELKAART_CBS_URL": mirror.url,
        "STAPELKAART_PDOK_URL": mirror.url,
        "STAPELKAART_DATADERDEN_URL": mirror.url,
        "STAPELKAART_CACHE_DIR": str(cache_dir),
    }


@needs_shared
def test_cli_defines_focus_areas_and_names_bad_members(cli_env, capsys):
    out = _cli(
        "--define",
        "Zaandam-Zuid=WK047911,WK047912",
        "--define",
        "Oud-Oost=WK0363MB+WK0363MC",
        "--format",
        "json",
        env=cli_env,
    )
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert rows["zaandam-zuid"]["members"] == "WK047911;WK047912" and rows["oud-oost"]["kind"] == "focus"
    assert {"GM0479", "GM0363", "NL00"} <= set(rows)
    # the bad definitions through main() in this process (tests.helpers_cli.run_main), on the same mirror and cache
    bad = _focus_main("--define", "Fout=WK047911,WK047999,GM0479", capsys=capsys)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("fout:") and "GM0479" in bad.stderr
    bad = _focus_main("--define", "Fout=WK047911,WK047999", "--define", "Leeg=", capsys=capsys)
    assert bad.returncode == 2 and "Leeg" in bad.stderr and "Traceback" not in bad.stderr
    bad = _focus_main("--define", "Fout=WK047911,WK047999,WK999901", capsys=capsys)
    assert bad.returncode == 2 and "WK047999, WK999901 niet gevonden" in bad.stderr


@needs_shared
def test_cli_preset_without_boundaries_still_compares(cli_env, capsys):
    """Eindhoven has no boundaries in the mirror: the comparison runs and says so on stderr."""
    args = ("--preset", "eindhoven-tongelre-gestel", "--income-file", str(INCOME), "--format", "json")
    out = _focus_main(*args, capsys=capsys)
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert "geen PDOK-grenzen" in out.stderr and "GM0772" in out.stderr
    inc = pd.read_csv(INCOME).set_index("regiocode")
    kwb = pd.read_csv(SHARED_DATA / "kwb" / "kwb2024_85984NED_GM_WK_stripped.csv").set_index("code")
    members = ["WK077231", "WK077232", "WK077233"]
    w = kwb.loc[members, "AantalInwoners_5"]
    expected = (inc.loc[members, "gem_persoonlijk_inkomen_per_inwoner_x1000eur"] * w).sum() / w.sum()
    assert rows["tongelre"]["inkomen_per_inwoner"] == pytest.approx(expected)
    assert rows["GM0772"]["kind"] == "gemeente"


@needs_shared
def test_profile_of_a_focus_area_lists_its_members(scored):
    result, _ = scored
    area = F.PRESETS["voorbeelden"].areas[1]  # Oud-Oost
    row, members = FS.focus_profile(result, area, comparators=False)
    assert list(members.index) == list(area.codes) and row["name"] == area.name
    assert row["population"] == pytest.approx(members["population"].sum())
