"""Real-value tests: indicators computed by hand from ../shared/data files (read at run time) must equal the
engine output with data loaded through the real loaders (data.cbs, data.pdok, data.userfiles) from the
cbs-mirror. One area per focus area: WK047912 (Poelenburg), WK0363MC (Oosterparkbuurt), WK0363TD (H-buurt).
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import REPO, SHARED_DATA, needs_shared
from tests.helpers_cli import run_main

pytestmark = needs_shared

WIJK_STATS = SHARED_DATA / "kwb" / "cbs_wijkbuurtkaart2024v2_wijk_stats_GM0363_GM0479.csv"
INCOME = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
AREAS = ("WK047912", "WK0363MC", "WK0363TD")


@pytest.fixture(scope="module")
def scored(mirror_server, tmp_path_factory):
    """Score GM0363 + GM0479 wijken (2024) against all wijken of NL, via the real loaders and the income file."""
    import os

    from data.cbs import load_kwb, load_kwb_national
    from data.pdok import load_boundaries
    from data.userfiles import load_indicator_file
    from indicators.engine import make_reference, score_areas
    from indicators.rates import user_values_from_file

    mirror_server.reset()  # default page size, no faults left by earlier tests
    old_cache = os.environ.get("STAPELKAART_CACHE_DIR")
    os.environ["STAPELKAART_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    gm = ["GM0363", "GM0479"]
    selection = load_kwb(gm, 2024, levels=("gemeente", "wijk"))
    frame = pd.concat([selection, load_kwb_national(2024, "wijk")]).drop_duplicates("code")
    frame.attrs = selection.attrs  # table id and fetch details travel into the per-value source
    attrs = pd.DataFrame(load_boundaries(gm, 2024, "wijk").drop(columns="geometry"))
    user = user_values_from_file(load_indicator_file(INCOME))
    ref = make_reference(frame, "nl", "wijk", 2024)
    result = score_areas(
        {2024: frame}, 2024, level="wijk", reference=ref, gemeenten=gm, user_values=user, attributes={2024: attrs}
    )
    if old_cache is None:
        os.environ.pop("STAPELKAART_CACHE_DIR", None)
    else:
        os.environ["STAPELKAART_CACHE_DIR"] = old_cache
    return result, frame


@pytest.fixture(scope="module")
def stats():
    return pd.read_csv(WIJK_STATS).set_index("wijkcode")


@pytest.fixture(scope="module")
def income():
    return pd.read_csv(INCOME).drop_duplicates("regiocode").set_index("regiocode")


def _na(v):
    return v is None or (isinstance(v, float) and np.isnan(v)) or v == -99997


def test_reference_is_all_wijken_of_nl(scored):
    result, _ = scored
    assert result.reference.kind == "nl" and result.reference.n_areas == 3393
    cov = result.coverage.set_index("indicator")
    assert cov.loc["laagste_40_huishoudens", "n_reference_with_value"] > 3000  # income file covers NL
    assert cov.loc["laag_inkomen", "note"] == "geen gegevens op dit niveau"  # KWB 2024 income is null
    assert cov.loc["bijstand_per_1000", "n_reference_with_value"] < 200  # mirror: 115 wijken filled


@pytest.mark.parametrize("code", AREAS)
def test_income_indicators_from_the_income_file(scored, income, code):
    table = scored[0].table
    assert table.loc[code, "laagste_40_huishoudens"] == pytest.approx(
        income.loc[code, "pct_hh_40pct_laagste_besteedbaar_inkomen"]
    )
    assert table.loc[code, "inkomen_per_inwoner"] == pytest.approx(
        income.loc[code, "gem_persoonlijk_inkomen_per_inwoner_x1000eur"]
    )
    assert table.loc[code, "laagste_40_huishoudens__year"] == 2020
    assert "CBS maatwerk 2023/35" in table.loc[code, "laagste_40_huishoudens__source"]
    # rank against every wijk of NL with >= 200 inhabitants (suppression) and a value in the file
    frame = scored[1]
    # ... whose code and boundaries did not change since the file's area division (2023 -> 2024 flag 2 or 3)
    flag = pd.to_numeric(frame["indelingswijziging_gemeente_wijk_buurt"].astype("string").str.strip(), errors="coerce")
    nl_wijken = set(
        frame.loc[(frame["level"] == "wijk") & (frame["aantal_inwoners"] >= 200) & ~flag.isin([2, 3]), "code"]
    )
    ref = income.loc[income.index.isin(nl_wijken), "gem_persoonlijk_inkomen_per_inwoner_x1000eur"].dropna()
    expected = 100 * (ref >= income.loc[code, "gem_persoonlijk_inkomen_per_inwoner_x1000eur"]).sum() / len(ref)
    assert table.loc[code, "inkomen_per_inwoner__rank"] == pytest.approx(expected)


@pytest.mark.parametrize("code", ["WK0363MC", "WK0363TD"])
def test_kwb_indicators_recomputed_from_the_wijk_file(scored, stats, code):
    table = scored[0].table
    s = stats.loc[code]
    inw = s["aantal_inwoners"]
    assert table.loc[code, "bijstand_per_1000"] == pytest.approx(
        1000 * s["aantal_personen_met_een_alg_bijstandsuitkering_tot"] / inw
    )
    # working age from the PDOK rounded percentages: marked fallback
    work = (
        inw
        * (
            s["percentage_personen_15_tot_25_jaar"]
            + s["percentage_personen_25_tot_45_jaar"]
            + s["percentage_personen_45_tot_65_jaar"]
        )
        / 100
    )
    assert table.loc[code, "ww_werkleeftijd"] == pytest.approx(
        100 * s["aantal_personen_met_een_ww_uitkering_totaal"] / work
    )
    assert table.loc[code, "ao_werkleeftijd"] == pytest.approx(
        100 * s["aantal_personen_met_een_ao_uitkering_totaal"] / work
    )
    assert table.loc[code, "bijstand_werkleeftijd"] == pytest.approx(
        100 * s["aantal_personen_met_een_alg_bijstandsuitkering_tot"] / work
    )
    assert "PDOK), afgeleid uit afgerond %" in table.loc[code, "ww_werkleeftijd__source"]
    assert table.loc[code, "sociale_huur"] == pytest.approx(s["perc_huurwoningen_in_bezit_woningcorporaties"])
    assert table.loc[code, "woz_waarde"] == pytest.approx(s["gemiddelde_woningwaarde"])
    assert table.loc[code, "herkomst_buiten_europa"] == pytest.approx(
        s["percentage_met_herkomstland_buiten_europa"], abs=0.01
    )
    assert table.loc[code, "bijstand_per_1000__year"] == 2024
    assert "85984NED" in table.loc[code, "bijstand_per_1000__source"]


def test_poelenburg_only_has_income_values(scored):
    """The 2024 map release has no stats for WK047912: everything but the income file is missing, not 0."""
    row = scored[0].table.loc["WK047912"]
    assert row["name"] == "Poelenburg"
    for ind in ("bijstand_per_1000", "ww_werkleeftijd", "sociale_huur", "woz_waarde"):
        assert np.isnan(row[ind])
    # Issue 10: armoede is income-based only (4 indicators; bijstand counts in werk), so the two income-file ranks
    # are half of the domain and give it a score; it is the only known domain, so 1 of 6 known, no composite.
    assert row["domain__armoede__n"] == 2 and row["domain__armoede__m"] == 4
    assert row["domain__armoede"] == pytest.approx(
        np.mean([row["laagste_40_huishoudens__rank"], row["inkomen_per_inwoner__rank"]])
    )
    assert row["stacking_known"] == 1 and row["stacking_m"] == 6
    assert np.isnan(row["composite"]) and row["composite__note"] == "withheld" and row["composite__need"] == 3


def test_domain_and_composite_of_h_buurt(scored):
    row = scored[0].table.loc["WK0363TD"]
    # Issue 10: bijstand is no longer in armoede (it counts once, in werk)
    ranks = [row[f"{i}__rank"] for i in ("laagste_40_huishoudens", "inkomen_per_inwoner")]
    assert row["domain__armoede"] == pytest.approx(np.mean(ranks)) and row["domain__armoede__n"] == 2
    domains = [row[f"domain__{d}"] for d in ("armoede", "werk", "wonen")]
    assert row["composite"] == pytest.approx(np.mean(domains))
    assert (row["composite__n"], row["composite__m"]) == (3, 6)
    # Issue 10: stacking = domains whose domain *rank* in its base is >= 80 (in de zwakste 20 %), not score >= 80
    stacked = [d for d in ("armoede", "werk", "wonen") if row[f"domain__{d}__rank"] >= 80]
    assert row["stacking_domains"] == ";".join(stacked) and row["stacking_count"] == len(stacked)
    assert row["stacking_known"] == 3


def test_focus_oud_oost_sums_counts(scored, stats):
    from indicators.focusscore import score_focus

    focus = score_focus(scored[0])
    members = stats.loc[["WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"]]
    assert focus.loc["oud_oost", "bijstand_per_1000"] == pytest.approx(
        1000 * members["aantal_personen_met_een_alg_bijstandsuitkering_tot"].sum() / members["aantal_inwoners"].sum()
    )
    assert focus.loc["oud_oost", "woz_waarde"] == pytest.approx(
        (members["gemiddelde_woningwaarde"] * members["woningvoorraad"]).sum() / members["woningvoorraad"].sum()
    )
    assert focus.loc["GM0363", "kind"] == "gemeente"


def test_cli_focus_against_the_mirror(mirror_server, tmp_path):
    env = {
        "STAPELKAART_CBS_URL": mirror_server.url,
        "STAPELKAART_PDOK_URL": mirror_server.url,
        "STAPELKAART_DATADERDEN_URL": mirror_server.url,
        "STAPELKAART_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "indicators",
            "focus",
            "--year",
            "2024",
            "--format",
            "json",
            "--history",
            "0",
            "--income-file",
            str(INCOME),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    rows = {r["id"]: r for r in json.loads(out.stdout)}
    assert set(rows) == {"poelenburg", "oud_oost", "zuidoost", "GM0479", "GM0363", "NL00"}
    assert rows["poelenburg"]["laagste_40_huishoudens"] == pytest.approx(54.4)
    assert rows["NL00"]["inkomen_per_inwoner"] == pytest.approx(27.9)


def test_cli_errors_are_one_line(mirror, cache_dir, capsys):
    """Through ``indicators.__main__.main`` in this process (tests.helpers_cli.run_main; the mirror's URLs are in
    the environment); test_cli_focus_against_the_mirror runs the real entry point."""
    from indicators.__main__ import main

    for args, needle in (
        (
            [
                "score",
                "--gemeente",
                "GM0479",
                "--year",
                "2024",
                "--weights",
                "armoede=0,werk=0,onderwijs=0,schooluitval=0,wonen=0,jeugd=0,gezondheid=0",
            ],
            "Alle gewichten zijn 0",
        ),
        (["score", "--gemeente", "GM0479", "--year", "2024", "--weights", "veiligheid=1"], "moet een van"),
        (
            [
                "score",
                "--gemeente",
                "GM0479",
                "--year",
                "2024",
                "--level",
                "gemeente",
                "--reference",
                "selection",
                "--history",
                "0",
            ],
            "minimaal 10",
        ),
    ):
        out = run_main(main, args, capsys)
        assert out.returncode == 2, out.stderr
        lines = out.stderr.strip().splitlines()
        assert lines[-1].startswith("fout: ") and needle in lines[-1] and "Traceback" not in out.stderr


def test_hotspots_on_real_boundaries(scored, mirror_server):
    from data.pdok import load_boundaries
    from indicators.hotspots import local_moran

    gdf = load_boundaries(["GM0363", "GM0479"], 2024, "wijk")
    comp = scored[0].table.set_index("code")["composite"]
    lisa = local_moran(gdf, comp, permutations=199, seed=1)
    assert set(lisa["label"]) <= {"HH", "LL", "HL", "LH", "niet significant", "geen buren", "geen gegevens"}
    assert (lisa.loc[lisa["code"] == "WK047912", "label"] == "geen gegevens").all()  # no composite
    again = local_moran(gdf, comp, permutations=199, seed=1)
    pd.testing.assert_frame_equal(lisa, again)  # fixed seed
    assert lisa["p"].dropna().between(0, 1).all()
