"""Issue 10, command line against the cbs-mirror: ``score`` columns and full precision, ``hotspots``, ``list``."""

from __future__ import annotations

import io
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


def _run(mirror_server, tmp_path, *args):
    env = {
        "STAPELKAART_CBS_URL": mirror_server.url,
        "STAPELKAART_PDOK_URL": mirror_server.url,
        "STAPELKAART_DATADERDEN_URL": mirror_server.url,
        "STAPELKAART_CACHE_DIR": str(tmp_path / "cache"),
        "PATH": "/usr/bin:/bin",
    }
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def _main(capsys, *args):
    """The same command through ``indicators.__main__.main`` in this process (tests.helpers_cli.run_main): the
    mirror's URLs are in the environment, the ``cache_dir`` fixture points the cache at the test's folder. The
    module's fixture ``score_csv`` runs the real ``python -m indicators`` entry point."""
    from indicators.__main__ import main

    return run_main(main, args, capsys)


@pytest.fixture(scope="module")
def score_csv(mirror_server, tmp_path_factory):
    mirror_server.reset()
    out = _run(
        mirror_server,
        tmp_path_factory.mktemp("cli"),
        "score",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--level",
        "wijk",
        "--history",
        "0",
        "--format",
        "csv",
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_score_csv_keeps_full_precision(score_csv):
    frame = pd.read_csv(io.StringIO(score_csv), dtype={"code": str})
    stats = pd.read_csv(WIJK_STATS).set_index("wijkcode")
    assert "e+0" not in score_csv
    code = "WK0363TD"
    s = stats.loc[code]
    row = frame.set_index("code").loc[code]
    work = (
        s["aantal_inwoners"]
        * (
            s["percentage_personen_15_tot_25_jaar"]
            + s["percentage_personen_25_tot_45_jaar"]
            + s["percentage_personen_45_tot_65_jaar"]
        )
        / 100
    )
    assert row["bijstand_werkleeftijd"] == pytest.approx(
        100 * s["aantal_personen_met_een_alg_bijstandsuitkering_tot"] / work, rel=1e-12
    )


def test_score_csv_has_the_new_columns(score_csv):
    frame = pd.read_csv(io.StringIO(score_csv), dtype={"code": str}).set_index("code")
    for col in (
        "ww_werkleeftijd__ref_n",
        "ww_werkleeftijd__low",
        "ww_werkleeftijd__high",
        "domain__werk__rank",
        "domain__werk__band",
        "composite__n",
        "composite__m",
        "stacking_known",
        "stacking_domains",
        "stacking_count",
        "composite",
        "laagste_40_huishoudens__ref_n",
    ):
        assert col in frame.columns, col
    row = frame.loc["WK0363TD"]
    assert row["ww_werkleeftijd__low"] <= row["ww_werkleeftijd"] <= row["ww_werkleeftijd__high"]
    flagged = [
        d
        for d in ("armoede", "werk", "onderwijs", "schooluitval", "wonen", "jeugd")
        if str(row[f"domain__{d}__band"]) == "True"
    ]
    assert (row["stacking_domains"] if isinstance(row["stacking_domains"], str) else "") == ";".join(flagged)
    assert row["stacking_count"] == len(flagged)


def test_list_json_keeps_its_keys(mirror, cache_dir, capsys):
    out = _main(capsys, "list", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert {"id", "domain", "scored", "numerator", "denominator"} <= set(rows[0])


def test_hotspots_from_a_user_file_with_fdr(mirror, cache_dir, tmp_path, capsys):
    from data.pdok import load_boundaries  # noqa: F401  (the CLI loads the boundaries itself)

    stats = pd.read_csv(WIJK_STATS)
    codes = stats.loc[stats["gemeentecode"] == "GM0363", "wijkcode"]
    path = tmp_path / "vsv.csv"
    values = np.random.default_rng(11).uniform(0, 10, len(codes))
    pd.DataFrame({"code": codes, "voortijdig_schoolverlaten": values}).to_csv(path, index=False)
    out = _main(
        capsys,
        "hotspots",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--level",
        "wijk",
        "--indicator",
        "voortijdig_schoolverlaten",
        "--file",
        str(path),
        "--seed",
        "3",
        "--format",
        "csv",
    )
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout))
    assert list(frame.columns[:5]) == ["code", "value", "lisa", "p_sim", "significant"]
    assert set(frame["lisa"].dropna()) <= {"HH", "LL", "HL", "LH", "ns"}
    assert frame["significant"].sum() <= 2  # random values, FDR 0.05
    assert "false discovery rate" in out.stderr
    raw = _main(
        capsys,
        "hotspots",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--indicator",
        "voortijdig_schoolverlaten",
        "--file",
        str(path),
        "--seed",
        "3",
        "--correction",
        "none",
        "--format",
        "json",
    )
    assert raw.returncode == 0, raw.stderr
    rows = json.loads(raw.stdout)
    assert sum(r["significant"] for r in rows) >= frame["significant"].sum()
    bad = _main(
        capsys,
        "hotspots",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--indicator",
        "geen_kolom",
        "--file",
        str(path),
    )
    assert bad.returncode == 2 and bad.stderr.strip().splitlines()[-1].startswith("fout: ")


def test_hotspots_of_the_composite(mirror, cache_dir, capsys):
    out = _main(
        capsys,
        "hotspots",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--indicator",
        "composite",
        "--history",
        "0",
        "--format",
        "json",
        "--permutations",
        "199",
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 110 and all(r["lisa"] in ("HH", "LL", "HL", "LH", "ns", None) for r in rows)


def test_score_json_keeps_every_bit_and_whole_percentages_print_whole(mirror, cache_dir, capsys, score_csv):
    """Issue 21: JSON was cut to 10 decimals (pandas' default); the same run as the CSV fixture, as JSON, holds
    the same doubles. A percentage published whole (herkomst from the PDOK %) prints whole, not 26.000000000000004."""
    out = _main(
        capsys,
        "score",
        "--gemeente",
        "GM0363",
        "--year",
        "2024",
        "--level",
        "wijk",
        "--history",
        "0",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    rows = {r["code"]: r for r in json.loads(out.stdout)}
    frame = pd.read_csv(io.StringIO(score_csv), dtype={"code": str}).set_index("code")
    compared = 0
    for code, row in frame.iterrows():
        for col in ("composite", "domain__werk", "domain__wonen", "ww_werkleeftijd", "bijstand_werkleeftijd__eb"):
            if col in frame.columns and pd.notna(row[col]):
                assert rows[code][col] == row[col], (code, col)  # exact: no decimals cut
                compared += 1
    assert compared > 100
    long = [
        rows[c]["composite"]
        for c in rows
        if isinstance(rows[c].get("composite"), float) and len(repr(rows[c]["composite"]).split(".")[-1]) > 10
    ]
    assert long, "some composite needs more than 10 decimals"
    herkomst = [r["herkomst_buiten_europa"] for r in rows.values() if r.get("herkomst_buiten_europa") is not None]
    assert herkomst and all(v == round(v) for v in herkomst if abs(v - round(v)) < 1e-9)
    assert not any(0 < abs(v - round(v)) < 1e-9 for v in herkomst)
