"""User indicator files: the real CBS income file (CSV and original XLSX) and small synthetic files.

Synthetic files are written in ``tmp_path`` by the tests themselves (marked "synthetic" where they are
made); the real ones are read from ../shared/data at run time.
"""

from __future__ import annotations

import csv
import math

import openpyxl
import pandas as pd
import pytest

from core.errors import UserFileError
from data.userfiles import KNOWN_FILES, load_indicator_file, safe_filename
from tests.conftest import SHARED_DATA

INCOME_CSV = SHARED_DATA / "income" / "cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv"
INCOME_XLSX = SHARED_DATA / "income" / "cbs_maatwerk_inkomen_per_gemeente_en_wijk_2020_wb2023.xlsx"
needs_income = pytest.mark.skipif(not INCOME_CSV.exists(), reason="../shared/data/income is absent")


def _row_of(path, code):
    with open(path, encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["regiocode"] == code)


def _problems(excinfo) -> str:
    return "\n".join(excinfo.value.problems)


# ------------------------------------------------------------------------------------------------ real files


@needs_income
def test_real_income_csv_loads_with_registry_mapping():
    uf = load_indicator_file(INCOME_CSV)
    poelenburg = _row_of(INCOME_CSV, "WK047912")
    assert uf.known == "cbs_inkomen_2020_wb2023"
    assert uf.year == 2020 and uf.source == INCOME_CSV.name
    assert uf.citation.startswith("CBS maatwerk 2023/35, Inkomen per gemeente en wijk 2020")
    assert uf.mapping == {
        "pct_hh_40pct_laagste_besteedbaar_inkomen": "laagste_40_huishoudens",
        "gem_persoonlijk_inkomen_per_inwoner_x1000eur": "inkomen_per_inwoner",
    }
    row = uf.frame.loc["WK047912"]
    assert (
        row["gem_persoonlijk_inkomen_per_inwoner_x1000eur"]
        == float(poelenburg["gem_persoonlijk_inkomen_per_inwoner_x1000eur"])
        == 18.8
    )
    assert (
        row["pct_hh_40pct_laagste_besteedbaar_inkomen"]
        == float(poelenburg["pct_hh_40pct_laagste_besteedbaar_inkomen"])
        == 54.4
    )
    assert len(uf.frame) == 3695 and uf.frame.index.is_unique and uf.frame.index.name == "code"
    assert {"NL00", "GM0363", "WK0363MC"} <= set(uf.frame.index)
    assert all(dt == "float64" for dt in uf.frame.dtypes)
    assert "jaar_inkomen" not in uf.frame.columns  # metadata, not a value column
    assert uf.names["WK047912"] == "Wijk 12 Poelenburg"


@needs_income
def test_real_income_xlsx_with_title_and_header_rows_equals_the_csv():
    csv_file = load_indicator_file(INCOME_CSV)
    xlsx_file = load_indicator_file(INCOME_XLSX)
    assert xlsx_file.known == "cbs_inkomen_2020_wb2023_xlsx" and xlsx_file.year == 2020
    assert xlsx_file.mapping == csv_file.mapping
    # header text spread over rows 5-12 is combined per column
    assert (
        xlsx_file.columns["gem_persoonlijk_inkomen_per_inwoner_x1000eur"]
        == "Gemiddeld persoonlijk inkomen per inwoner x 1000 euro"
    )
    pd.testing.assert_frame_equal(xlsx_file.frame.sort_index(), csv_file.frame.sort_index(), check_like=True)


@needs_income
def test_income_file_values_for_the_engine():
    # what indicators.rates reads: the frame per code, the mapped columns, the file's year
    uf = load_indicator_file(INCOME_CSV)
    assert set(uf.mapping.values()) == {"laagste_40_huishoudens", "inkomen_per_inwoner"}
    col = next(c for c, ind in uf.mapping.items() if ind == "laagste_40_huishoudens")
    assert uf.frame.loc["WK047912", col] == 54.4 and uf.year == 2020
    assert uf.frame[col].isna().any()  # '.' in the file -> NaN, never 0
    assert uf.citation == KNOWN_FILES["cbs_inkomen_2020_wb2023"].source  # the source line indicators.rates shows


@needs_income
def test_unknown_codes_can_be_skipped_for_a_national_file():
    valid = {"GM0479", "WK047912", "WK047911"}
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(INCOME_CSV, valid_codes=valid)
    assert "onbekende code GM0014" in _problems(exc)
    uf = load_indicator_file(INCOME_CSV, valid_codes=valid, unknown_codes="skip")
    assert sorted(uf.frame.index) == sorted(valid)
    assert any("overgeslagen" in w for w in uf.warnings)


# ------------------------------------------------------------------------------------------------ CSV


def test_semicolon_csv_with_decimal_comma_and_missing_tokens(tmp_path):
    p = tmp_path / "eigen.csv"  # synthetic
    p.write_text(
        "regiocode;aandeel_laag;aantal\nWK047912;54,4;1.234,5\nWK047911;.;-99997\n"
        "GM0479;geheim;\nBU04791201;-99999999;12\n",
        encoding="utf-8",
    )
    uf = load_indicator_file(p)
    assert uf.frame.loc["WK047912", "aandeel_laag"] == 54.4
    assert uf.frame.loc["WK047912", "aantal"] == 1234.5
    assert uf.frame.loc[["WK047911", "GM0479", "BU04791201"], "aandeel_laag"].isna().all()
    assert math.isnan(uf.frame.loc["WK047911", "aantal"])
    assert uf.year is None and uf.mapping == {}
    assert list(uf.frame.columns) == ["aandeel_laag", "aantal"]


SES_EXPORT = SHARED_DATA / "ses" / "ses_woa_2019_amsterdam_85163NED_statline_export.csv"


@pytest.mark.skipif(not SES_EXPORT.exists(), reason="../shared/data/ses is absent")
def test_statline_export_semicolon_with_decimal_point():
    # The real StatLine export: ';' separated, UTF-8 BOM, padded codes, decimal *point* ("-0.100").
    with open(SES_EXPORT, encoding="utf-8-sig") as fh:
        raw = next(r for r in csv.reader(fh, delimiter=";") if r[2].strip() == "GM0363")
    uf = load_indicator_file(SES_EXPORT)
    assert uf.year == 2019 and len(uf.frame) == 579
    score = uf.frame.loc["GM0363", "SES-WOA/Totaalscore/Gemiddelde score (Getal)"]
    assert score == float(raw[7]) == -0.1


def test_cp1252_csv_and_year_column(tmp_path):
    data = "code;wijknaam;score;jaar\nWK047912;Poelenburg café;1,5;2022\nWK047911;Rosmolenwijk;2;2022\n"
    uf = load_indicator_file(data.encode("cp1252"), filename="ansi.csv")  # synthetic, Windows-1252
    assert uf.frame.loc["WK047912", "score"] == 1.5
    assert uf.names["WK047912"] == "Poelenburg café"
    assert uf.year == 2022 and list(uf.frame.columns) == ["score"]


def test_title_lines_above_the_header_are_skipped(tmp_path):
    data = b"Mijn tabel\n\nregiocode,waarde\nGM0479,3.5\nGM0363,4\n"  # synthetic
    uf = load_indicator_file(data, filename="t.csv", year=2021)
    assert uf.frame["waarde"].to_dict() == {"GM0479": 3.5, "GM0363": 4.0} and uf.year == 2021


def test_undecodable_bytes_say_how_to_save(tmp_path):
    with pytest.raises(UserFileError, match="UTF-8"):
        load_indicator_file(b"regiocode,x\nGM0479,1\x81\x8d\n", filename="x.csv")


def test_duplicate_codes_name_both_rows():
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(b"regiocode,x\nGM0479,1\nGM0363,2\nGM0479,3\n", filename="d.csv")
    assert "rij 4, kolom 'regiocode': code GM0479 komt dubbel voor (ook in rij 2)" in _problems(exc)


def test_unknown_and_malformed_codes_are_errors():
    data = b"regiocode,x\nGM0479,1\nWK999999,2\nWK4791,3\nGM04790,4\n"
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(data, filename="u.csv", valid_codes={"GM0479", "WK047912"})
    text = _problems(exc)
    assert "rij 3, kolom 'regiocode': onbekende code WK999999" in text
    assert "rij 4, kolom 'regiocode': misvormde regiocode 'WK4791'" in text
    assert "rij 5, kolom 'regiocode': misvormde regiocode 'GM04790'" in text


def test_non_numeric_value_names_row_and_column_and_nothing_is_imported():
    data = b"regiocode,score,andere\nGM0479,1.5,2\nGM0363,veel,3\nWK047912,2,4\n"
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(data, filename="n.csv")
    assert exc.value.problems[0] == "rij 3, kolom 'score': 'veel' is geen getal"
    assert "niets" in exc.value.message and "nothing" in exc.value.message_en


def test_all_problems_are_collected_not_only_the_first():
    data = b"regiocode,score\nGM0479,abc\nGM0479,2\nXX,3\nGM0363,y\nGM0014,4\n"
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(data, filename="m.csv")
    assert len(exc.value.problems) == 4


def test_missing_code_column():
    with pytest.raises(UserFileError, match="geen kolom met regiocodes"):
        load_indicator_file(b"naam,score\nZaanstad,1\nAmsterdam,2\n", filename="geen.csv")
    with pytest.raises(UserFileError, match="kolom 'gwb_code' niet gevonden"):
        load_indicator_file(b"regiocode,score\nGM0479,1\n", filename="g.csv", code_column="gwb_code")


def test_explicit_code_column_and_missing_code_cell():
    data = b"gemeente,buurt,score\nGM0479,BU04791201,1\nGM0479,,2\n"
    with pytest.raises(UserFileError) as exc:
        load_indicator_file(data, filename="b.csv", code_column="buurt")
    assert _problems(exc) == "rij 3, kolom 'buurt': regiocode ontbreekt"


def test_empty_and_header_only_files(tmp_path):
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    with pytest.raises(UserFileError, match="leeg"):
        load_indicator_file(empty)
    with pytest.raises(UserFileError, match="geen gegevensrijen"):
        load_indicator_file(b"regiocode,score\n", filename="kop.csv")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "groot.csv"
    big.write_bytes(b"regiocode,x\n" + b"GM0479,1\n" * 2000)
    with pytest.raises(UserFileError, match="de grens is 0,0 MB") as exc:
        load_indicator_file(big, max_bytes=1000)
    assert "limit" in exc.value.message_en
    with pytest.raises(UserFileError, match="MB"):
        load_indicator_file(b"x" * 6_000_001, filename="a.csv")


def test_path_like_file_names():
    assert safe_filename("../../etc/passwd".replace("../", "")) == "passwd"
    assert safe_filename(r"C:\Users\an\Desktop\inkomen.csv") == "inkomen.csv"
    assert safe_filename("/tmp/x/score.xlsx") == "score.xlsx"
    uf = load_indicator_file(b"regiocode,x\nGM0479,1\n", filename="/home/an/data/score.csv")
    assert uf.source == "score.csv"
    with pytest.raises(UserFileError, match=r"'\.\.'"):
        load_indicator_file(b"regiocode,x\nGM0479,1\n", filename="../../geheim.csv")
    with pytest.raises(UserFileError, match=r"'\.\.'"):
        load_indicator_file(b"regiocode,x\nGM0479,1\n", filename=r"..\boven.csv")


def test_old_xls_is_refused_clearly():
    with pytest.raises(UserFileError, match=r"\.xls"):
        load_indicator_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, filename="oud.xls")


# ------------------------------------------------------------------------------------------------ XLSX


def _xlsx(path, build):
    wb = openpyxl.Workbook()
    build(wb.active)
    wb.save(path)
    return path


def test_xlsx_with_title_rows_and_merged_header_rows(tmp_path):
    def build(ws):  # synthetic workbook, layout like a StatLine export
        ws["A1"] = "Tabel 3: kansarmoede per wijk (synthetisch testbestand)"
        ws["A2"] = "Bron: test"
        ws["A4"] = "Wijkcode"
        ws.merge_cells("A4:A5")
        ws["B4"] = "Huishoudens"
        ws.merge_cells("B4:C4")
        ws["B5"] = "laag inkomen %"
        ws["C5"] = "bijstand %"
        ws["D4"] = "Inwoners"
        ws.merge_cells("D4:D5")
        ws.append(["WK047912", 54.4, "7,5", 1000])
        ws.append(["WK047911", ".", 3, 2000])
        ws.append([])
        ws.append(["Voetnoot: . = geheim"])

    uf = load_indicator_file(_xlsx(tmp_path / "merged.xlsx", build))
    assert list(uf.frame.columns) == ["Huishoudens laag inkomen %", "Huishoudens bijstand %", "Inwoners"]
    assert uf.frame.loc["WK047912"].tolist() == [54.4, 7.5, 1000.0]
    assert math.isnan(uf.frame.loc["WK047911", "Huishoudens laag inkomen %"])


def test_xlsx_formula_cells_are_refused_naming_the_cell(tmp_path):
    def build(ws):  # synthetic
        ws.append(["regiocode", "a", "b"])
        ws.append(["GM0479", 1, 2])
        ws.append(["GM0363", 3, "=B3*2"])

    with pytest.raises(UserFileError) as exc:
        load_indicator_file(_xlsx(tmp_path / "formule.xlsx", build))
    assert "cel C3 bevat een formule (=B3*2)" in _problems(exc)


def test_xlsx_text_in_numeric_column_names_the_cell(tmp_path):
    def build(ws):  # synthetic
        ws.append(["code", "score"])
        ws.append(["BU04791201", 1.5])
        ws.append(["BU04791202", "hoog"])
        ws.append(["BU04791203", 2])

    with pytest.raises(UserFileError) as exc:
        load_indicator_file(_xlsx(tmp_path / "tekst.xlsx", build))
    assert "cel B3, kolom 'score': 'hoog' is geen getal" in _problems(exc)
