"""Exports: formula-safe CSV/XLSX tables (metadata beside them: a second sheet, a file in the zip), a map PNG of the right size, one PDF page per focus area."""

from __future__ import annotations

import csv
import doctest
import io
import re
import zipfile
from datetime import date

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from PIL import Image
from shapely.geometry import box

import render.export as export
from render.export import (
    CBS_ATTRIBUTION,
    MAP_SOURCE,
    DomainScore,
    ExportHeader,
    FocusReport,
    LegendEntry,
    csv_zip,
    focus_report_pdf,
    map_png,
    metadata_text,
    neutralise,
    table_to_csv,
    table_to_xlsx,
)
from tests.conftest import SHARED_DATA

ZAANSTAD_WIJKEN = SHARED_DATA / "zaanstad" / "zaanstad_wijken_2017_cbs_wijkbuurtkaart_rd.geojson"

RISKY = ["=1+1", "+31 75 123", "-2+3", "@SUM(A1)", "\t=cmd", "\rfoo", '  =HYPERLINK("http://x")', "\u00a0-1", "＝1"]
HEADER = ExportHeader(
    title="Stapelkaart Zaanstad wijken",
    year=2024,
    reference="Nederland (alle wijken)",
    weights={"armoede": 1.0, "werk": 0.5},
    sources=("CBS Kerncijfers wijken en buurten 2024 (85984NED)", "CBS maatwerk 2023/35"),
    export_date=date(2026, 11, 25),
)


@pytest.fixture
def hostile_table() -> pd.DataFrame:
    """Synthetic table: risky text in a text column and in headers, numbers incl. negatives and NaN."""
    n = len(RISKY)
    return pd.DataFrame(
        {
            "code": [f"WK0479{i:02d}" for i in range(n)],
            "name": RISKY,
            "=SUM(A1:A9)": ["Poelenburg"] * n,
            "-verschil": np.linspace(-4.5, 3.5, n),
            "@bijstand": pd.array([-3, 0, 7, None, 1, 2, 3, 4, 5], dtype="Int64"),
            "composite": [np.nan] + [12.25] * (n - 1),
        }
    )


@pytest.fixture(scope="module")
def zaanstad_wijken() -> gpd.GeoDataFrame:
    if not ZAANSTAD_WIJKEN.exists():
        pytest.skip(f"{ZAANSTAD_WIJKEN} is absent: ../shared exists only inside the Stapelkaart workplace")
    return gpd.read_file(ZAANSTAD_WIJKEN)


@pytest.fixture
def synthetic_wijken() -> gpd.GeoDataFrame:
    """Synthetic: a 3 x 2 grid of 1 km squares in RD New near Zaandam, with hostile names."""
    cells = [
        box(116000 + 1000 * i, 495000 + 1000 * j, 117000 + 1000 * i, 496000 + 1000 * j)
        for j in range(2)
        for i in range(3)
    ]
    names = ["$\\notacommand$", "=Oost", "Noord $ 5 $", "Zuid", "West", "Midden"]
    return gpd.GeoDataFrame(
        {"code": [f"WK0479{i:02d}" for i in range(6)], "name": names}, geometry=cells, crs="EPSG:28992"
    )


# ---------------------------------------------------------------------------------------------- XLSX


def _sheet(xlsx: bytes):
    return openpyxl.load_workbook(io.BytesIO(xlsx)).active


def _meta(xlsx: bytes):
    return openpyxl.load_workbook(io.BytesIO(xlsx))["Metadata"]


def _table_start(ws) -> int:
    """Row number of the table's header row: the first row (the metadata is on its own sheet, issue 21)."""
    assert ws.cell(row=1, column=1).value not in (None, ""), "the table starts in row 1"
    return 1


def test_xlsx_has_no_formula_cells_and_risky_text_starts_with_apostrophe(hostile_table):
    wb = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(hostile_table, HEADER)))
    ws = wb.active
    start = _table_start(ws)
    cells = [c for sheet in wb.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    headers = [c.value for c in ws[start]]
    assert headers == ["code", "name", "'=SUM(A1:A9)", "'-verschil", "'@bijstand", "composite"]
    names = [ws.cell(row=r, column=2) for r in range(start + 1, start + 1 + len(RISKY))]
    # XML parsers read a bare "\r" back as "\n" (line-end normalisation); the apostrophe is what counts
    assert [c.value for c in names] == ["'" + s.replace("\r", "\n") for s in RISKY]
    assert all(c.data_type == "s" for c in names)


def test_xlsx_raw_xml_holds_no_formula_element(hostile_table):
    with zipfile.ZipFile(io.BytesIO(table_to_xlsx(hostile_table, HEADER))) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) == 2
    assert all("<f>" not in sheet and "<f " not in sheet for sheet in sheets)


def test_xlsx_numbers_stay_numeric_including_negatives(hostile_table):
    ws = _sheet(table_to_xlsx(hostile_table, HEADER))
    start = _table_start(ws)
    verschil = [ws.cell(row=r, column=4) for r in range(start + 1, start + 1 + len(RISKY))]
    assert [c.value for c in verschil] == pytest.approx(hostile_table["-verschil"].tolist())
    assert all(c.data_type == "n" and isinstance(c.value, float) for c in verschil)
    assert verschil[0].value == -4.5
    bijstand = [ws.cell(row=r, column=5).value for r in range(start + 1, start + 5)]
    assert bijstand == [-3, 0, 7, None]  # missing stays empty, never 0
    assert ws.cell(row=start + 1, column=6).value is None  # NaN composite is an empty cell


def test_xlsx_header_block_names_year_reference_weights_sources_date_and_attribution(hostile_table):
    ws = _meta(table_to_xlsx(hostile_table, HEADER))  # the second sheet
    block = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1)}
    assert block["Titel"] == "Stapelkaart Zaanstad wijken"
    assert block["Jaar"] == 2024
    assert block["Referentie"] == "Nederland (alle wijken)"
    assert block["Gewichten"] == "armoede=1; werk=0.5"
    assert (ws["A1"].value, ws["B1"].value) == ("veld", "waarde")  # a header row: pd.read_excel reads a table
    sources = [
        ws.cell(row=r, column=2).value for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Bronnen"
    ]
    assert sources == list(HEADER.sources)  # every source row carries its label
    assert block["Exportdatum"] == "2026-11-25"
    assert CBS_ATTRIBUTION in block


def test_xlsx_table_header_is_bold_and_frozen(hostile_table):
    ws = _sheet(table_to_xlsx(hostile_table, HEADER))
    start = _table_start(ws)
    assert all(c.font.b for c in ws[start])
    assert ws.freeze_panes == f"A{start + 1}"
    assert ws.column_dimensions["A"].width >= 8


def test_header_values_from_data_are_neutralised_too(hostile_table):
    hostile = ExportHeader(title="=cmd|'/C calc'!A0", year=2024, reference="@ref", sources=("-src",))
    ws = _meta(table_to_xlsx(hostile_table, hostile))
    assert ws["B2"].value == "'=cmd|'/C calc'!A0" and ws["B2"].data_type == "s"  # row 1: veld / waarde
    lines = metadata_text(hostile).splitlines()
    assert lines[0] == "Titel: '=cmd|'/C calc'!A0"
    assert "Referentie: '@ref" in lines and "Bronnen: '-src" in lines
    assert "Gewichten: gelijk (standaard)" in lines


# ----------------------------------------------------------------------------------------------- CSV


def _csv_rows(raw: bytes, sep: str = ",") -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so Excel reads the encoding"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=sep))


def test_csv_neutralises_risky_text_and_headers_but_not_numbers(hostile_table):
    rows = _csv_rows(table_to_csv(hostile_table))
    start = 0  # the table alone: its header is the first line
    assert rows[start] == ["code", "name", "'=SUM(A1:A9)", "'-verschil", "'@bijstand", "composite"]
    body = rows[start + 1 :]
    assert [r[1] for r in body] == ["'" + s for s in RISKY]
    assert [float(r[3]) for r in body] == pytest.approx(hostile_table["-verschil"].tolist())
    assert body[0][3] == "-4.5"  # a negative number is written as a number, no apostrophe
    assert [r[4] for r in body[:4]] == ["-3", "0", "7", ""]
    assert body[0][5] == "" and body[1][5] == "12.25"


def test_csv_semicolon_option_for_dutch_excel_keeps_decimal_point(hostile_table):
    raw = table_to_csv(hostile_table, sep=";")
    rows = _csv_rows(raw, sep=";")
    start = 0
    assert len(rows[start]) == 6
    assert rows[start + 2][5] == "12.25"
    table = pd.DataFrame({"note": ["armoede=1; werk=0.5"]})
    assert _csv_rows(table_to_csv(table, sep=";"), sep=";")[1] == ["armoede=1; werk=0.5"]  # quoted: one field


def test_csv_metadata_is_a_file_beside_the_table_in_one_zip(hostile_table):
    with zipfile.ZipFile(io.BytesIO(csv_zip(hostile_table, HEADER, "stapelkaart_2024_wijk"))) as z:
        assert sorted(z.namelist()) == ["stapelkaart_2024_wijk.csv", "stapelkaart_2024_wijk_metadata.txt"]
        table = z.read("stapelkaart_2024_wijk.csv")
        block = z.read("stapelkaart_2024_wijk_metadata.txt").decode("utf-8").splitlines()
    assert table == table_to_csv(hostile_table)
    assert "Jaar: 2024" in block
    assert "Referentie: Nederland (alle wijken)" in block
    assert "Gewichten: armoede=1; werk=0.5" in block
    assert "Exportdatum: 2026-11-25" in block
    assert CBS_ATTRIBUTION in block
    assert "  CBS maatwerk 2023/35" in block  # second source on its own line


def test_csv_decimal_comma_is_opt_in_and_must_differ_from_sep(hostile_table):
    rows = _csv_rows(table_to_csv(hostile_table, sep=";", decimal=","), sep=";")
    assert rows[3][5] == "12,25"
    with pytest.raises(ValueError, match="differ"):
        table_to_csv(hostile_table, decimal=",")


def test_named_index_is_exported_as_first_column(hostile_table):
    rows = _csv_rows(table_to_csv(hostile_table.set_index("code")))
    assert rows[0][0] == "code"


def test_control_characters_cannot_hide_a_formula(hostile_table):
    table = pd.DataFrame({"name": ["\x01=cmd|' /C calc'!A0", "ok\x00"]})
    ws = _sheet(table_to_xlsx(table, HEADER))
    start = _table_start(ws)
    assert ws.cell(row=start + 1, column=1).value == "'=cmd|' /C calc'!A0"
    assert ws.cell(row=start + 2, column=1).value == "ok"
    rows = _csv_rows(table_to_csv(table))
    assert rows[-2:] == [["'=cmd|' /C calc'!A0"], ["ok"]]


def test_index_that_repeats_a_column_is_not_exported_twice(hostile_table):
    rows = _csv_rows(table_to_csv(hostile_table.set_index("code", drop=False)))
    assert rows[0].count("code") == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Poelenburg", "Poelenburg"),
        ("a-b", "a-b"),
        ("", ""),
        ("'=x", "'=x"),
        ("=x", "'=x"),
        (" \u200b@x", "' \u200b@x"),
        ("\nx", "'\nx"),
    ],
)
def test_neutralise_only_prefixes_formula_starts(text, expected):
    assert neutralise(text) == expected


# ----------------------------------------------------------------------------------------------- PNG


def test_map_png_of_real_zaanstad_wijken_has_expected_size(zaanstad_wijken):
    rgba = np.array([[165, 15, 21, 255], [251, 106, 74, 255], [254, 229, 217, 255]])[
        np.arange(len(zaanstad_wijken)) % 3
    ]
    focus = zaanstad_wijken[zaanstad_wijken["wk_naam"].str.contains("Poelenburg|Pelders")]
    assert len(focus) == 2
    png = map_png(
        zaanstad_wijken.to_crs("EPSG:4326"),
        rgba,
        [LegendEntry("3+ domeinen", rgba[0], 7), ("2 domeinen", rgba[1], 6), ("0–1 domein", rgba[2], 6)],
        title="Stapeling van achterstand, Zaanstad",
        subtitle="2024 · referentie: Nederland",
        focus=focus,
        focus_labels="wk_naam",
        export_date=date(2026, 11, 25),
    )
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1600, 1000)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 50, "a drawn map, not a blank canvas"
    assert any(rgb == (165, 15, 21) for _, rgb in colours), "the class colour is on the map"


@pytest.mark.parametrize("size, dpi", [((1600, 1000), 150), ((1600, 1000), 110), ((1234, 777), 72), ((800, 600), 300)])
def test_map_png_is_exactly_the_requested_pixel_size(synthetic_wijken, size, dpi):
    png = map_png(synthetic_wijken, ["#a50f15"] * 6, [], title="synthetisch", size=size, dpi=dpi)
    assert Image.open(io.BytesIO(png)).size == size


def test_map_png_draws_dollar_names_as_plain_text(synthetic_wijken):
    # "$\notacommand$" would raise a mathtext ParseError if it were interpreted
    png = map_png(
        synthetic_wijken,
        [(0.2, 0.3, 0.6, 1.0)] * 5 + [None],
        [("$\\notacommand$", "#336699", 5), ("geen gegevens", None, 1)],
        title="$\\notacommand$ title",
        subtitle="Noord $ 5 $",
        focus=synthetic_wijken.iloc[:2],
        focus_labels="name",
        legend_title="$x$",
    )
    assert Image.open(io.BytesIO(png)).size == (1600, 1000)


def test_long_dollar_names_survive_line_wrapping(synthetic_wijken):
    # wrapping must never split an escaped "\\$" into "\\" + newline + "$" (that could re-enable mathtext)
    name = " ".join(["$\\notacommand$"] * 30)
    png = map_png(synthetic_wijken, ["#336699"] * 6, [(name, "#336699", 6)], title=name, subtitle=name, source=name)
    assert Image.open(io.BytesIO(png)).size == (1600, 1000)
    report = _report(synthetic_wijken, synthetic_wijken.iloc[:1], name)
    assert _pdf_pages(focus_report_pdf([report])) == 1
    assert export._wrap("ab$ cd$", 3).count("\\$") == 2


def test_exports_ignore_a_global_usetex_setting(synthetic_wijken):
    import matplotlib

    with matplotlib.rc_context({"text.usetex": True}):  # no LaTeX here: drawing with TeX would fail
        png = map_png(synthetic_wijken, ["#336699"] * 6, [("Wijk $5$", "#336699", 6)], title="Wijk $5$")
        pdf = focus_report_pdf([_report(synthetic_wijken, synthetic_wijken.iloc[:1], "Wijk $5$")])
    assert Image.open(io.BytesIO(png)).size == (1600, 1000) and _pdf_pages(pdf) == 1


def test_map_png_accepts_legend_rows_with_american_color_attribute(synthetic_wijken):
    from types import SimpleNamespace

    row = SimpleNamespace(label="hoog", color=(165, 15, 21, 255), n=6)  # the shape of geo.classify.LegendEntry
    png = map_png(synthetic_wijken, np.tile(np.array([165, 15, 21, 255], dtype=np.uint8), (6, 1)), [row], title="x")
    assert Image.open(io.BytesIO(png)).size == (1600, 1000)


def test_map_png_rejects_colour_count_mismatch_and_missing_crs(synthetic_wijken):
    with pytest.raises(ValueError, match="one colour per row"):
        map_png(synthetic_wijken, ["red"] * 5, [], title="x")
    with pytest.raises(ValueError, match="no CRS"):
        map_png(synthetic_wijken.set_crs(None, allow_override=True), ["red"] * 6, [], title="x")


def test_plain_escapes_dollars_for_matplotlib():
    from matplotlib.text import Text

    shown, is_math = Text(text=export.plain("Wijk $5$"))._preprocess_math(export.plain("Wijk $5$"))
    assert (shown, is_math) == ("Wijk $5$", False)


def test_default_map_source_line():
    assert MAP_SOURCE == "Bron: CBS Kerncijfers wijken en buurten 2024 (85984NED), PDOK; bewerking Stapelkaart"


# ----------------------------------------------------------------------------------------------- PDF


def _pdf_pages(pdf: bytes) -> int:
    """Count page objects (``/Type /Page``, not ``/Pages``); matplotlib writes object dicts uncompressed."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def _report(areas, focus, name: str) -> FocusReport:
    return FocusReport(
        name=name,
        gemeente="Zaanstad",
        areas=areas,
        focus=focus,
        domains={
            "Armoede": {"score": 92.0, "n": 3, "m": 3},
            "Werk": DomainScore(71.0, 2, 3),
            "Gezondheid": DomainScore(None, 0, 2),
            "Wonen": {"score": float("nan"), "n": 0, "m": 2},
        },
        key_figures=[
            {"label": "Inwoners", "value": 8505, "year": 2024, "source": "CBS KWB 2024 (85984NED)"},
            {
                "label": "Huishoudens met laag inkomen",
                "value": 12.3,
                "unit": "%",
                "year": 2020,
                "source": "CBS maatwerk 2023/35, Inkomen per gemeente en wijk 2020",
            },
            {"label": "Bijstand", "value": None, "year": None, "source": "CBS"},
        ],
        sentence=f"{name} valt in 2 van 4 domeinen in de slechtste 20% van Nederland.",
        reference="Nederland (alle wijken)",
        year=2024,
        export_date=date(2026, 11, 25),
    )


def test_focus_report_pdf_has_one_page_per_focus_area_with_real_wijken(zaanstad_wijken):
    names = zaanstad_wijken["wk_naam"]
    reports = [
        _report(zaanstad_wijken, zaanstad_wijken[names.str.contains("Poelenburg|Pelders")], "Oud-Oost"),
        _report(zaanstad_wijken, zaanstad_wijken[names.str.contains("Kogerveld")], "Kogerveld"),
        _report(zaanstad_wijken.to_crs("EPSG:4326"), zaanstad_wijken.iloc[:0], "Leeg focusgebied"),
    ]
    pdf = focus_report_pdf(reports)
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    assert _pdf_pages(pdf) == 3
    assert b"/MediaBox [0 0 595.44 841.68]" in pdf or b"/MediaBox [ 0 0 595.44 841.68 ]" in pdf  # A4


def test_focus_report_pdf_page_count_follows_report_count(synthetic_wijken):
    for k in (1, 2):
        reports = [_report(synthetic_wijken, synthetic_wijken.iloc[:2], f"synthetisch {i}") for i in range(k)]
        assert _pdf_pages(focus_report_pdf(reports)) == k


def test_focus_report_pdf_takes_dollar_names_as_plain_text(synthetic_wijken):
    report = _report(synthetic_wijken, synthetic_wijken.iloc[:1], "$\\notacommand$ wijk")
    assert _pdf_pages(focus_report_pdf([report])) == 1


def test_focus_report_pdf_needs_a_report():
    with pytest.raises(ValueError, match="at least one"):
        focus_report_pdf([])


def test_domain_score_marks_missing_domains():
    assert DomainScore.coerce({"score": None, "n": 0, "m": 2}).missing
    assert DomainScore.coerce(float("nan")).missing
    assert not DomainScore.coerce({"score": 40.0, "n": 1, "m": 2}).missing


def test_doctests():
    assert doctest.testmod(export).failed == 0


# ------------------------------------------------------------------------------ issue 21: exports are tables


def test_plain_pandas_reads_csv_and_xlsx_into_numeric_columns_at_full_precision(hostile_table):
    table = hostile_table.assign(composite=[np.nan] + [61.856190476190477] * (len(RISKY) - 1))
    csv_read = pd.read_csv(io.BytesIO(table_to_csv(table)))
    xlsx_read = pd.read_excel(io.BytesIO(table_to_xlsx(table, HEADER)))
    for read in (csv_read, xlsx_read):  # (61.856190476190477 has 17 digits but "%.16g" gives the same double)
        assert list(read.columns) == ["code", "name", "'=SUM(A1:A9)", "'-verschil", "'@bijstand", "composite"]
        assert len(read) == len(table)
        for col in ("'-verschil", "'@bijstand", "composite"):
            assert pd.api.types.is_numeric_dtype(read[col]), col
        assert read["composite"].iloc[1] == 61.856190476190477  # every bit: no rounding in the file
        assert np.isnan(read["composite"].iloc[0])  # missing stays missing
    with zipfile.ZipFile(io.BytesIO(csv_zip(table, HEADER, "x"))) as z:
        assert pd.read_csv(z.open("x.csv"))["composite"].iloc[1] == 61.856190476190477


def _texts_inside(fig) -> list[str]:
    """Texts of a figure whose drawn extent leaves the canvas (the legend's entries included)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    w, h = canvas.get_width_height()
    out = []
    for text in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent")):
        if not text.get_visible() or not text.get_text():
            continue
        bb = text.get_window_extent(renderer)
        if bb.x0 < -0.5 or bb.x1 > w + 0.5 or bb.y0 < -0.5 or bb.y1 > h + 0.5:
            out.append(text.get_text())
    return out


def test_map_png_legend_is_complete_inside_the_image(synthetic_wijken):
    legend = [
        ("geen gegevens / onderdrukt", None, 129),
        ("3 of meer domeinen in de zwakste 20 %", "#a50f15", 12),
        ("Samengestelde score 80–100 (zwakste 20 % van alle wijken van Nederland, 2024)", "#fb6a4a", 7),
    ]
    fig = export.map_figure(
        synthetic_wijken,
        ["#336699"] * 6,
        legend,
        title="Stapeling",
        legend_title="Aantal gestapelde domeinen (referentie: alle wijken van Nederland)",
    )
    assert _texts_inside(fig) == []
    texts = (
        " ".join(t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts())
        if fig.legends
        else " ".join(
            t.get_text().replace("\n", " ") for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()
        )
    )
    assert "(n = 129)" in texts and "(n = 12)" in texts and "(n = 7)" in texts


def test_pdf_profile_value_labels_are_not_under_the_comparator_marks(synthetic_wijken):
    from matplotlib.figure import Figure

    report = _report(synthetic_wijken, synthetic_wijken.iloc[:1], "Oost")
    report = FocusReport(
        **{
            **report.__dict__,
            "comparators": {
                "gemeente": ("Zaanstad", {"Armoede": 93.0, "Werk": 72.0}),
                "land": ("Nederland", {"Armoede": 50.0}),
            },
        }
    )
    ax = Figure().add_subplot()
    export._draw_profile(ax, report)
    labels = [t for t in ax.texts if t.get_text().isdigit()]
    assert sorted(t.get_text() for t in labels) == ["71", "92"]
    marks = [x for coll in ax.collections for x, _ in coll.get_offsets()]
    assert marks and max(marks) <= 100
    assert all(t.get_position()[0] > 100 for t in labels)  # their own column right of the 0–100 axis
