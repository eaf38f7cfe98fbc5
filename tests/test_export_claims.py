"""Issue 21, exports are tables: the Prioriteren CSV (in its zip) and XLSX read with plain pandas into numeric
columns at full precision, with every domain's rank and band beside its score; the PDF profile's comparators on
the measure of the bars (the domain rank); the figures' source line names the year's own table."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from tests.conftest import needs_shared

pytestmark = needs_shared
GM = ("GM0363", "GM0479")


def _scored():
    from pages._common import loaders_frames

    result, sel = loaders_frames._score(GM, 2024, "wijk", "nl", ())
    return loaders_frames.Scored(result, result.table, sel, source=dict(sel.attrs.get("source", {})))


def test_prioriteren_exports_read_as_typed_tables_with_domain_ranks_and_bands(mirror, warm_cache):
    from indicators import registry as reg
    from pages._common import reports, tables
    from pages._common.i18n import label
    from pages._common.state import ViewState

    s = _scored()
    ranked = tables.ranked(s.table, GM, 0, 0, "nl")
    csv_zip, xlsx = reports.exports(ranked, ViewState(), s.result.reference.text("nl"), None, s)
    with zipfile.ZipFile(io.BytesIO(csv_zip)) as z:
        names = sorted(z.namelist())
        assert names == ["stapelkaart_2024_wijk.csv", "stapelkaart_2024_wijk_metadata.txt"]
        from_csv = pd.read_csv(z.open(names[0]))
        meta = z.read(names[1]).decode("utf-8")
    from_xlsx = pd.read_excel(io.BytesIO(xlsx))
    assert "CBS Kerncijfers wijken en buurten 2024 (85984NED)" in meta and "Referentie: " in meta
    engine = s.table.set_index("code", drop=False)
    # CSV: every bit (repr); XLSX: 16 significant digits (openpyxl writes "%.16g"; Excel itself keeps 15)
    for got, same in (
        (from_csv, lambda a, b: np.array_equal(a, b, equal_nan=True)),
        (from_xlsx, lambda a, b: np.allclose(a, b, rtol=1e-15, atol=0, equal_nan=True)),
    ):
        assert len(got) == len(ranked) and list(got["Code"]) == list(ranked["Code"])
        assert pd.api.types.is_numeric_dtype(got["Samengestelde score"])
        want = engine.loc[got["Code"], "composite"].to_numpy(dtype=float)
        assert same(got["Samengestelde score"].to_numpy(dtype=float), want)  # not rounded to 1 decimal
        for d in reg.DOMAINS:
            name = label(reg.DOMAINS[d], "nl")
            score, rank = got[f"{name}: score"], got[f"{name}: rang"]
            band = got[f"{name}: in zwakste 20 % (1 = ja)"]
            for col in (score, rank, band, got[f"{name}: rang t.o.v. aantal gebieden"]):
                assert pd.api.types.is_numeric_dtype(col), col.name
            assert same(score.to_numpy(float), engine.loc[got["Code"], f"domain__{d}"].to_numpy(float))
            assert same(rank.to_numpy(float), engine.loc[got["Code"], f"domain__{d}__rank"].to_numpy(float))
            known = rank.notna()
            # the flag is decided on the rank: in the band exactly when rank >= 80 (never on the score)
            assert ((band[known] == 1) == (rank[known] >= 80)).all(), d
            assert band[~known].isna().all()
    # the case of issue 21: flagged domains whose SCORE is below 80 are in the band by their rank
    flagged_low = sum(
        int(
            (
                (from_csv[f"{label(reg.DOMAINS[d], 'nl')}: in zwakste 20 % (1 = ja)"] == 1)
                & (from_csv[f"{label(reg.DOMAINS[d], 'nl')}: score"] < 80)
            ).sum()
        )
        for d in reg.DOMAINS
    )
    assert flagged_low > 0


def test_pdf_comparators_are_domain_ranks_like_the_bars_and_the_screen(mirror, warm_cache):
    from indicators import registry as reg
    from pages._common import loaders_focus
    from pages._common.state import ViewState
    from render.report import focus_report

    view = ViewState()
    table = loaders_focus.focus_table(view, view.weight_map(tuple(reg.DOMAINS)))
    row, gm = table.loc["zuidoost"], table.loc["GM0363"]
    land = table[table["kind"] == "land"].iloc[0]
    rep = focus_report(
        row,
        name="Zuidoost",
        gemeente="Amsterdam",
        areas=None,
        focus_codes=[],
        domains={d: d for d in reg.DOMAINS},
        figures=[],
        sentence="",
        reference="",
        year=2024,
        worst_band=20.0,
        lang="nl",
        comparators={"gemeente": ("Amsterdam", gm), "land": ("Nederland", land)},
    )
    for kind, src in (("gemeente", gm), ("land", land)):
        marks = rep.comparators[kind][1]
        for d in reg.DOMAINS:  # Vergelijken's chart plots domain__<d>__rank for every row (pages/vergelijken.py)
            want = src[f"domain__{d}__rank"]
            assert (pd.isna(marks[d]) and pd.isna(want)) or marks[d] == want, (kind, d)
    assert any(
        pd.notna(rep.comparators[k][1][d]) and rep.comparators[k][1][d] != src[f"domain__{d}"]
        for k, src in (("gemeente", gm), ("land", land))
        for d in reg.DOMAINS
    )  # a rank, not the score


def test_figure_source_names_the_table_of_the_year_and_every_imported_file():
    from pages._common.reports import source_line

    line = source_line(2023, "85618NED", ["CBS maatwerk 2023/35, inkomen 2020 (indeling 2023)"])
    assert "wijken en buurten 2023 (85618NED)" in line and "2024" not in line.replace("2023/35", "")
    assert "CBS maatwerk 2023/35, inkomen 2020 (indeling 2023)" in line


def test_each_download_has_one_label_for_making_and_another_for_downloading(mirror, warm_cache):
    from tests.helpers_app import assert_ok as _ok
    from tests.helpers_app import new_app as _app

    at = _app()
    at.run()
    at.button(key="b_png").click().run()
    _ok(at)
    made = at.button(key="b_png").label
    dl = [d.proto.label for d in at.get("download_button")]
    assert made == "Kaart als PNG maken" and dl == ["Kaart-PNG downloaden"]
    at.switch_page("pages/vergelijken.py").run()
    at.button(key="b_pdf").click().run()
    _ok(at)
    assert at.button(key="b_pdf").label == "PDF per focusgebied maken"
    assert "PDF per focusgebied downloaden" in [d.proto.label for d in at.get("download_button")]
