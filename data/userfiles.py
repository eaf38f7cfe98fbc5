"""User indicator files: CSV or XLSX with one row per region code and numeric columns.

``load_indicator_file`` reads a file (path or uploaded bytes), finds the header row and the region-code
column, parses the numbers and validates everything before it returns. Every problem is collected with
its row and column; if any problem is an error, ``UserFileError(message, problems=[...])`` is raised and
nothing is imported (the function has no side effects, so there is never a half-imported file).

Supported:

* CSV, comma or semicolon separated (semicolon: a column with commas uses decimal comma, ``1.234,5``;
  a column without commas keeps the decimal point, as StatLine exports do), in UTF-8
  (with or without BOM) or Windows-1252. Title lines above the header are skipped.
* XLSX (openpyxl, read-only). Title rows above the table and header text spread over several rows or
  merged cells are combined into one column name per column. Formula cells are refused with the cell
  reference (formulas are never evaluated; cached results are not trusted).
* Hierarchical layouts where gemeente rows carry their code in another column than wijk rows (the CBS
  maatwerk income XLSX: ``Gemeentecode`` + ``Wijkcode`` = "Totaal"); a code cell ``Nederland`` is ``NL00``.

Missing values: every "no figure" sign of :mod:`core.values` (empty, ``.``, ``..``, ``-``, ``x``, ``?``,
``geheim`` and CBS's numeric placeholders) becomes NaN (not an error); text that is no number is an error.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
import pandas as pd
from defusedxml import ElementTree  # entity expansion and external references refused (XML bombs)

from core.codes import CODE_RE, CODEISH_RE  # CODEISH: looks like it meant to be a code
from core.errors import UserFileError
from core.numbers import format_number
from core.values import MISSING_TOKENS, parse_numbers
from data import userchecks

__all__ = [
    "KNOWN_FILES",
    "MAX_BYTES",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MISSING_TOKENS",
    "KnownFile",
    "UserIndicatorFile",
    "load_indicator_file",
]

MAX_BYTES = 5_000_000
#: Largest table we read (rows incl. title/header rows, columns). NL has ~14 600 buurten and a KWB table
#: ~120 columns, so these only stop files that are not indicator tables (or are built to exhaust memory).
MAX_ROWS = 50_000
MAX_COLUMNS = 200
#: An XLSX is a zip: its parts together may unpack to at most this, and no part may unpack to more than
#: MAX_XLSX_RATIO times its compressed size (real CBS files: ~8x). Checked before openpyxl opens it.
MAX_XLSX_UNPACKED = 20 * MAX_BYTES
MAX_XLSX_RATIO = 100
MAX_LISTED_PROBLEMS = 12  # problems named in the one-line message; all are in ``.problems``
MAX_PROBLEMS = 1000  # stop collecting after this many (the file is clearly not usable)

CODE_COLUMN_NAMES = (
    "regiocode",
    "code",
    "gwb_code",
    "gwbcode",
    "gwb_code_10",
    "wijkenenbuurten",
    "wijken_en_buurten",
    "buurtcode",
    "wijkcode",
    "gemeentecode",
    "bu_code",
    "wk_code",
    "gm_code",
    "codering",
    "statcode",
    "regio_code",
)
TOTAL_WORDS = frozenset({"totaal", "total", "gemeente", "gemeentetotaal", "totaal gemeente"})
COUNTRY_WORDS = {"nederland": "NL00", "nl": "NL00", "nl00": "NL00"}
YEAR_COLUMN_NAMES = frozenset({"jaar", "year", "perioden", "periode", "jaar_inkomen", "peiljaar"})


# --------------------------------------------------------------------------------------------------
# Known files
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownFile:
    """A published file we recognise by its columns, with registry ids for its columns."""

    key: str
    identify: tuple[str, ...]  # normalised column names that must all be present
    mapping: Mapping[str, str]  # column (after ``rename``) -> registry indicator id
    year: int
    source: str
    rename: Mapping[str, str] = field(default_factory=dict)  # normalised header -> column name
    drop: tuple[str, ...] = ()  # metadata columns not to keep as values
    year_column: str | None = None  # column that must hold ``year`` in every row
    boundary_year: int | None = None  # area division (gebiedsindeling) the codes refer to


_INCOME_SOURCE = "CBS maatwerk 2023/35, Inkomen per gemeente en wijk 2020 (indeling 2023)"
_INCOME_MAPPING = {
    "pct_hh_40pct_laagste_besteedbaar_inkomen": "laagste_40_huishoudens",
    "gem_persoonlijk_inkomen_per_inwoner_x1000eur": "inkomen_per_inwoner",
}

KNOWN_FILES: dict[str, KnownFile] = {
    # ../shared/data/income/cbs_inkomen_2020_gemeente_wijk_indeling2023_clean.csv
    "cbs_inkomen_2020_wb2023": KnownFile(
        key="cbs_inkomen_2020_wb2023",
        identify=(
            "gem_persoonlijk_inkomen_per_inwoner_x1000eur",
            "pct_hh_40pct_laagste_besteedbaar_inkomen",
            "pct_hh_20pct_hoogste_besteedbaar_inkomen",
        ),
        mapping=_INCOME_MAPPING,
        year=2020,
        source=_INCOME_SOURCE,
        drop=("jaar_inkomen", "gebiedsindeling"),
        year_column="jaar_inkomen",
        boundary_year=2023,
    ),
    # ../shared/data/income/cbs_maatwerk_inkomen_per_gemeente_en_wijk_2020_wb2023.xlsx (the original):
    # header text spread over rows 5-12, combined per column by the header detection below.
    "cbs_inkomen_2020_wb2023_xlsx": KnownFile(
        key="cbs_inkomen_2020_wb2023_xlsx",
        identify=(
            "gemiddeld persoonlijk inkomen per inwoner x 1000 euro",
            "40% huishoudens met laagste besteedbaar inkomen %",
            "20% huishoudens met hoogste besteedbaar inkomen",
        ),
        rename={
            "gemiddeld persoonlijk inkomen per inwoner x 1000 euro": "gem_persoonlijk_inkomen_per_inwoner_x1000eur",
            "40% huishoudens met laagste besteedbaar inkomen %": "pct_hh_40pct_laagste_besteedbaar_inkomen",
            "20% huishoudens met hoogste besteedbaar inkomen": "pct_hh_20pct_hoogste_besteedbaar_inkomen",
        },
        mapping=_INCOME_MAPPING,
        year=2020,
        source=_INCOME_SOURCE,
        boundary_year=2023,
    ),
}


@dataclass(frozen=True)
class UserIndicatorFile:
    """A validated indicator file.

    ``frame``: index ``code`` (str), one float64 column per numeric column of the file (NaN = missing).
    ``columns``: frame column -> original header text. ``mapping``: frame column -> registry indicator id
    (filled for KNOWN_FILES, empty otherwise). ``citation``: what to show as the source of the values.
    """

    frame: pd.DataFrame
    source: str
    year: int | None
    columns: dict[str, str]
    mapping: dict[str, str] = field(default_factory=dict)
    known: str | None = None
    citation: str = ""
    names: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    boundary_year: int | None = None  # the area division of the codes (None: the same as ``year``)


# --------------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------------


class _Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, text: str) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(text)

    def warn(self, text: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(text)

    def raise_if_errors(self, filename: str) -> None:
        if not self.errors:
            return
        n = len(self.errors)
        shown = "; ".join(self.errors[:MAX_LISTED_PROBLEMS])
        more = f" (en nog {n - MAX_LISTED_PROBLEMS})" if n > MAX_LISTED_PROBLEMS else ""
        more_en = f" (and {n - MAX_LISTED_PROBLEMS} more)" if n > MAX_LISTED_PROBLEMS else ""
        raise UserFileError(
            f"Bestand '{filename}' is niet ingelezen ({n} {'probleem' if n == 1 else 'problemen'}): {shown}{more}. "
            "Verbeter het bestand en probeer opnieuw; er is niets geïmporteerd.",
            f"File '{filename}' was not imported ({n} problem{'s' if n != 1 else ''}): {shown}{more_en}. "
            "Fix the file and try again; nothing was imported.",
            problems=self.errors + [f"waarschuwing: {w}" for w in self.warnings],
        )


def _fail(filename: str, nl: str, en: str) -> UserFileError:
    return UserFileError(f"Bestand '{filename}': {nl}", f"File '{filename}': {en}", problems=[nl])


# --------------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """The base name of an uploaded file name; refuses ``..`` and empty names.

    >>> safe_filename("C:\\\\Users\\\\x\\\\inkomen.csv"), safe_filename("/tmp/a/b.xlsx")
    ('inkomen.csv', 'b.xlsx')
    """
    text = str(name).strip()
    parts = [p for p in re.split(r"[\\/]+", text) if p]
    if any(p == ".." for p in parts):
        raise UserFileError(
            f"Bestandsnaam '{text[:80]}' bevat '..'; geef alleen een bestandsnaam op.",
            f"File name '{text[:80]}' contains '..'; give a plain file name.",
            problems=[f"bestandsnaam '{text[:80]}' bevat '..'"],
        )
    base = PureWindowsPath(PurePosixPath(parts[-1]).name).name if parts else ""
    base = "".join(ch for ch in base if ch.isprintable())
    if not base or base in {".", ".."}:
        raise UserFileError("Lege bestandsnaam.", "Empty file name.", problems=["lege bestandsnaam"])
    return base


def _norm_header(text: object) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


def _norm_code(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip().upper().replace(" ", "")
    return text or None


def _col_letter(idx: int) -> str:
    name = ""
    idx += 1
    while idx:
        idx, rem = divmod(idx - 1, 26)
        name = chr(65 + rem) + name
    return name


# --------------------------------------------------------------------------------------------------
# Reading bytes into a grid of cells
# --------------------------------------------------------------------------------------------------


@dataclass
class _Grid:
    rows: list[list[object]]  # cell values; row i is file row ``row_numbers[i]``
    row_numbers: list[int]
    kind: str  # "csv" | "xlsx"
    decimal_comma: bool = False

    def cell_ref(self, i: int, col: int) -> str:
        if self.kind == "xlsx":
            return f"cel {_col_letter(col)}{self.row_numbers[i]}"
        return f"rij {self.row_numbers[i]}"


def _utf16(data: bytes) -> str | None:
    """The encoding of UTF-16 text: by its BOM, or (no BOM) by every other byte of the start being 0."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    head = data[:4096]
    if len(head) >= 4 and len(head) % 2 == 0:
        if head[1::2].count(0) == len(head) // 2 and head[0::2].count(0) == 0:
            return "utf-16-le"
        if head[0::2].count(0) == len(head) // 2 and head[1::2].count(0) == 0:
            return "utf-16-be"
    return None


def _decode(data: bytes, filename: str) -> str:
    encoding = _utf16(data)
    if encoding is not None:  # Excel's "Unicode-tekst" and some exports: read, or refused by name
        try:
            return data.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError:
            raise _fail(
                filename,
                "het bestand is UTF-16-tekst maar niet als UTF-16 te lezen; sla het op als "
                "'CSV UTF-8 (met scheidingstekens)'.",
                "the file is UTF-16 text but cannot be decoded as UTF-16; save it as 'CSV UTF-8'.",
            ) from None
    if b"\x00" in data[:4096]:
        raise _fail(
            filename,
            "dit is geen tekstbestand (CSV) en geen XLSX; sla het op als CSV of XLSX.",
            "this is neither a text (CSV) file nor XLSX; save it as CSV or XLSX.",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(
        filename,
        "de tekens zijn niet te lezen als UTF-8 of Windows-1252; sla het bestand op als "
        "'CSV UTF-8 (met scheidingstekens)'.",
        "the characters cannot be decoded as UTF-8 or Windows-1252; save the file as 'CSV UTF-8'.",
    )


def _read_csv(data: bytes, filename: str) -> _Grid:
    text = _decode(data, filename)
    lines = text.splitlines()
    sample = [ln for ln in lines[:50] if ln.strip()]
    if not sample:
        raise _fail(filename, "het bestand is leeg.", "the file is empty.")
    # The delimiter is the one that splits the most lines consistently; ';' wins a tie (Dutch Excel).
    best, best_score = ",", -1
    for delim in (";", ",", "\t"):
        counts = [ln.count(delim) for ln in sample]
        top = max(counts)
        score = sum(1 for c in counts if c == top and c > 0) * 1000 + top if top else 0
        if score > best_score:
            best, best_score = delim, score
    reader = csv.reader(io.StringIO(text), delimiter=best)
    rows: list[list[object]] = []
    numbers: list[int] = []
    for lineno, row in enumerate(reader, start=1):
        if lineno > MAX_ROWS:
            raise _too_many_rows(filename)
        values: list[object] = [c.strip() if c.strip() else None for c in row]
        width = next((n for n in range(len(values), 0, -1) if values[n - 1] is not None), 0)
        if width > MAX_COLUMNS:
            raise _too_many_columns(filename, f"rij {lineno}", f"row {lineno}", width)
        rows.append(values)
        numbers.append(lineno)
    return _Grid(rows, numbers, "csv", decimal_comma=(best == ";"))


def _merged_ranges(archive: zipfile.ZipFile, sheet_path: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col), 1-based, of the merged cells of one sheet XML."""
    from openpyxl.utils.cell import range_boundaries

    out = []
    with archive.open(sheet_path) as fh:
        for _, elem in ElementTree.iterparse(fh):
            if elem.tag.endswith("}mergeCell") and elem.get("ref"):
                min_col, min_row, max_col, max_row = range_boundaries(elem.get("ref"))
                out.append((min_row, min_col, max_row, max_col))
            elem.clear()
    return out


def _too_many_rows(filename: str) -> UserFileError:
    return _fail(
        filename,
        f"het bestand heeft meer dan {format_number(MAX_ROWS, 0, 'nl')} rijen (de grens); het is gestopt met lezen. "
        + "Een indicatorbestand heeft één rij per gebied: laat overbodige rijen weg.",
        f"the file has more than {format_number(MAX_ROWS, 0, 'en')} rows (the limit); reading stopped there. An indicator "
        "file has one row per area: remove unneeded rows.",
    )


def _too_many_columns(filename: str, where_nl: str, where_en: str, n: int) -> UserFileError:
    return _fail(
        filename,
        f"{where_nl} heeft {n} kolommen; de grens is {MAX_COLUMNS}. Laat overbodige kolommen weg.",
        f"{where_en} has {n} columns; the limit is {MAX_COLUMNS}. Remove unneeded columns.",
    )


def _check_xlsx_archive(data: bytes, filename: str) -> None:
    """Refuse an XLSX whose zip parts unpack to more than the limits (an XML/zip bomb), before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(
            filename,
            f"het XLSX-bestand is beschadigd of geen echt XLSX ({type(exc).__name__}).",
            f"the XLSX file is damaged or not a real XLSX ({type(exc).__name__}).",
        ) from exc
    total = sum(i.file_size for i in infos)
    worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
    ratio = worst.file_size / max(worst.compress_size, 1) if worst is not None else 0
    part = worst.filename if worst is not None else "-"
    if total > MAX_XLSX_UNPACKED or (worst is not None and worst.file_size > 1_000_000 and ratio > MAX_XLSX_RATIO):
        n = {
            lang: (
                format_number(total / 1e6, 0, lang),
                format_number(ratio, 0, lang),
                format_number(MAX_XLSX_UNPACKED / 1e6, 0, lang),
                format_number(MAX_XLSX_RATIO, 0, lang),
            )
            for lang in ("nl", "en")
        }
        raise _fail(
            filename,
            f"het XLSX-bestand pakt uit tot {n['nl'][0]} MB (onderdeel {part}: "
            f"{n['nl'][1]}x gecomprimeerd); de grens is {n['nl'][2]} MB en "
            f"{n['nl'][3]}x. Sla het op als CSV of laat overbodige bladen weg.",
            f"the XLSX file unpacks to {n['en'][0]} MB (part {part}: {n['en'][1]}x "
            f"compressed); the limit is {n['en'][2]} MB and {n['en'][3]}x. Save it "
            "as CSV or remove unneeded sheets.",
        )


def _read_xlsx(data: bytes, filename: str, problems: _Problems) -> _Grid:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_xlsx_archive(data, filename)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _fail(
            filename,
            f"het XLSX-bestand is beschadigd of geen echt XLSX ({type(exc).__name__}).",
            f"the XLSX file is damaged or not a real XLSX ({type(exc).__name__}).",
        ) from exc
    try:
        ws = wb.worksheets[0]
        if len(wb.worksheets) > 1:
            problems.warn(f"alleen het eerste werkblad '{ws.title}' is gelezen")
        ws.reset_dimensions()  # some files claim 16 384 columns (A1:XFD...)
        rows: list[list[object]] = []
        numbers: list[int] = []
        for cells in ws.iter_rows():
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(filename)
            values, row_no = _xlsx_row(cells, problems)
            if len(values) > MAX_COLUMNS:
                ref = f"rij {row_no}" if row_no is not None else f"rij {len(rows) + 1}"
                raise _too_many_columns(filename, ref, ref.replace("rij", "row"), len(values))
            if row_no is None:
                row_no = (numbers[-1] + 1) if numbers else 1
            rows.append(values)
            numbers.append(row_no)
        sheet_path = getattr(ws, "_worksheet_path", None)
        merges = _merged_ranges(wb._archive, sheet_path) if sheet_path else []
    finally:
        wb.close()
    _fill_merged(rows, numbers, merges)
    return _Grid(rows, numbers, "xlsx")


def _xlsx_row(cells, problems: _Problems) -> tuple[list[object], int | None]:
    """(cell values without trailing empties, sheet row number or None for an all-empty row); a formula
    is reported and read as empty, text is stripped."""
    values: list[object] = []
    row_no = None
    for cell in cells:
        if getattr(cell, "row", None) is None:  # EmptyCell
            values.append(None)
            continue
        row_no = cell.row
        value = cell.value
        if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
            problems.error(
                f"cel {cell.coordinate} bevat een formule ({str(value)[:40]}); formules worden "
                "niet uitgerekend: plak de waarden (Plakken speciaal > Waarden)"
            )
            value = None
        elif isinstance(value, str):
            value = value.strip() or None
        values.append(value)
    while values and values[-1] is None:
        values.pop()
    return values, row_no


def _fill_merged(rows: list[list[object]], numbers: list[int], merges) -> None:
    """Fill merged cells with the value of their top-left cell, so a merged header names every column."""
    index = {n: i for i, n in enumerate(numbers)}
    for min_row, min_col, max_row, max_col in merges:
        top = index.get(min_row)
        if top is None or len(rows[top]) < min_col:
            continue
        value = rows[top][min_col - 1]
        for r in range(min_row, max_row + 1):
            i = index.get(r)
            if i is None:
                continue
            row = rows[i]
            if len(row) < max_col:
                row.extend([None] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                if row[c] is None:
                    row[c] = value


# --------------------------------------------------------------------------------------------------
# Interpreting the grid
# --------------------------------------------------------------------------------------------------


def _cell(row: list[object], col: int) -> object:
    return row[col] if col < len(row) else None


def _find_code_columns(grid: _Grid, code_column: str | None, filename: str) -> tuple[int, list[int], int | None]:
    """(primary column, fallback code columns, header row index or None)."""
    width = max((len(r) for r in grid.rows), default=0)
    if code_column is not None:
        return _named_code_column(grid, code_column, filename)
    distinct = _codes_per_column(grid, width)
    header_names = _code_header_names(grid)
    candidates = [c for c in range(width) if len(distinct[c]) > 0]
    if not candidates:
        if header_names:  # a code column by name whose values are all malformed
            c = min(header_names, key=lambda k: header_names[k][0])
            return c, [], header_names[c][1]
        raise UserFileError(
            f"Bestand '{filename}': geen kolom met regiocodes gevonden (GM0479, WK047912, BU04791201 of NL00). "
            "Zet de codes in een kolom 'regiocode' of kies de codekolom.",
            f"File '{filename}': no column with region codes found (GM0479, WK047912, BU04791201 or NL00). "
            "Put the codes in a column 'regiocode' or choose the code column.",
            problems=["geen kolom met regiocodes"],
        )
    primary = max(candidates, key=lambda c: (len(distinct[c]), -header_names.get(c, (99, 0))[0], -c))
    fallbacks = sorted((c for c in candidates if c != primary), key=lambda c: -len(distinct[c]))
    return primary, fallbacks, None


def _named_code_column(grid: _Grid, code_column: str, filename: str) -> tuple[int, list[int], int | None]:
    """The column whose header is ``code_column`` (first match, any row); absent -> UserFileError."""
    wanted = _norm_header(code_column)
    for i, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if value is not None and _norm_header(value) == wanted:
                return c, [], i
    headers = [str(v) for v in (grid.rows[0] if grid.rows else []) if v is not None]
    raise UserFileError(
        f"Bestand '{filename}': kolom '{code_column}' niet gevonden; kolommen in de eerste rij: "
        f"{', '.join(headers[:20]) or '(geen)'}.",
        f"File '{filename}': column '{code_column}' not found; columns in the first row: "
        f"{', '.join(headers[:20]) or '(none)'}.",
        problems=[f"kolom '{code_column}' ontbreekt"],
    )


def _codes_per_column(grid: _Grid, width: int) -> list[set[str]]:
    """Per column, the distinct well-formed region codes in it."""
    distinct: list[set[str]] = [set() for _ in range(width)]
    for row in grid.rows:
        for c, value in enumerate(row):
            code = _norm_code(value)
            if code and CODE_RE.match(code):
                distinct[c].add(code)
    return distinct


def _code_header_names(grid: _Grid) -> dict[int, tuple[int, int]]:
    """Columns whose header (first 200 rows) is a known code-column name: column -> (name rank, row index)."""
    name_rank = {n: i for i, n in enumerate(CODE_COLUMN_NAMES)}
    header_names: dict[int, tuple[int, int]] = {}  # column -> (name rank, row index)
    for i, row in enumerate(grid.rows[:200]):
        for c, value in enumerate(row):
            if isinstance(value, str):
                key = re.sub(r"[\s\-]+", "_", value.strip().lower())
                if key in name_rank and c not in header_names:
                    header_names[c] = (name_rank[key], i)
    return header_names


def _code_of_row(row: list[object], primary: int, fallbacks: list[int]) -> tuple[str | None, str | None]:
    """(valid code or None, the raw primary text when it is not a code)."""
    raw = _norm_code(_cell(row, primary))
    if raw and CODE_RE.match(raw):
        return raw, None
    for c in fallbacks:
        code = _norm_code(_cell(row, c))
        if code and CODE_RE.match(code):
            return code, raw
    for c in [primary, *fallbacks]:
        value = _cell(row, c)
        if isinstance(value, str) and value.strip().lower() in COUNTRY_WORDS:
            return "NL00", None
    return None, raw


def _is_header_like(row: list[object]) -> bool:
    filled = [c for c, v in enumerate(row) if v is not None]
    return len(filled) >= 2 or (len(filled) == 1 and filled[0] > 0)


def _interpret(grid: _Grid, filename: str, code_column: str | None, problems: _Problems):
    primary, fallbacks, header_idx = _find_code_columns(grid, code_column, filename)
    first_data = None
    for i, row in enumerate(grid.rows):
        if header_idx is not None and i <= header_idx:
            continue
        code, _ = _code_of_row(row, primary, fallbacks)
        if code is not None:
            first_data = i
            break
    if first_data is None:
        if header_idx is None:
            raise _fail(filename, "het bestand bevat geen gegevensrijen.", "the file contains no data rows.")
        first_data = header_idx + 1
    if first_data >= len(grid.rows):
        raise _fail(
            filename,
            "het bestand bevat alleen een kopregel en geen gegevensrijen.",
            "the file has a header but no data rows.",
        )
    # Header block: the header-like rows above the first data row (title rows with one text in column A,
    # like "Tabel 1", are skipped). Text of all block rows is joined per column.
    block = [header_idx] if header_idx is not None else [i for i in range(first_data) if _is_header_like(grid.rows[i])]
    width = max(len(r) for r in grid.rows)
    names: list[str] = []
    for c in range(width):
        parts: list[str] = []
        for i in block:
            value = _cell(grid.rows[i], c)
            if value is None:
                continue
            text = re.sub(r"\s+", " ", str(value)).strip()
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" ".join(parts))
    header_width = max((c + 1 for i in block for c, v in enumerate(grid.rows[i]) if v is not None), default=0)
    return primary, fallbacks, first_data, names, header_width


def _parse(
    grid: _Grid,
    filename: str,
    *,
    code_column: str | None,
    valid_codes: Collection[str] | None,
    unknown_codes: str,
    problems: _Problems,
):
    primary, fallbacks, first_data, names, header_width = _interpret(grid, filename, code_column, problems)
    code_cols = {primary, *fallbacks}
    code_label = names[primary] or (_col_letter(primary) if grid.kind == "xlsx" else f"kolom {primary + 1}")

    records = _code_rows(grid, first_data, primary, fallbacks, code_label, header_width, problems)
    if not records and not problems.errors:
        raise _fail(
            filename, "het bestand bevat geen rijen met een regiocode.", "the file has no rows with a region code."
        )
    records = _check_codes(records, grid, code_label, valid_codes, unknown_codes, problems)
    rows = [grid.row_numbers[i] for i, _, _ in records]
    columns, text_columns = _numeric_columns(grid, records, names, code_cols, problems)
    name_col = next((lbl for lbl in text_columns if re.search(r"naam|name|regio", lbl, re.I)), None)
    return records, columns, text_columns, name_col, names, code_label, rows


def _code_rows(
    grid: _Grid,
    first_data: int,
    primary: int,
    fallbacks: list[int],
    code_label: str,
    header_width: int,
    problems: _Problems,
) -> list[tuple[int, str, list[object]]]:
    """The data rows with a region code: (grid index, code, row). A row that looks like data but has no valid
    code is an error; blank lines, footnotes and section titles are skipped."""
    code_cols = {primary, *fallbacks}
    records: list[tuple[int, str, list[object]]] = []  # (grid index, code, row)
    for i in range(first_data, len(grid.rows)):
        row = grid.rows[i]
        code, raw = _code_of_row(row, primary, fallbacks)
        value_cells = [v for c, v in enumerate(row) if c not in code_cols and v is not None]
        if code is None:
            if not value_cells and not (raw and CODEISH_RE.match(raw)):
                continue  # blank line, footnote ("Bron: CBS ..."), section title
            problems.error(f"rij {grid.row_numbers[i]}, kolom '{code_label}': {_code_problem(raw)}")
            continue
        filled = next((n for n in range(len(row), 0, -1) if row[n - 1] is not None), 0)
        if grid.kind == "csv" and header_width and filled > header_width:
            problems.error(userchecks.ragged_problem(grid.row_numbers[i], filled, header_width))
        records.append((i, code, row))
    return records


def _code_problem(raw: str | None) -> str:
    """Why a row's code cell (``raw``) is not a region code."""
    if raw is None:
        return "regiocode ontbreekt"
    if CODEISH_RE.match(raw):
        return f"misvormde regiocode '{raw[:20]}' (verwacht GM0479, WK047912, BU04791201 of NL00)"
    if raw.lower() in TOTAL_WORDS:
        return f"'{raw[:20]}' zonder gemeentecode"
    return f"'{raw[:20]}' is geen regiocode (verwacht GM0479, WK047912, BU04791201 of NL00)"


def _check_codes(
    records: list[tuple[int, str, list[object]]],
    grid: _Grid,
    code_label: str,
    valid_codes: Collection[str] | None,
    unknown_codes: str,
    problems: _Problems,
) -> list[tuple[int, str, list[object]]]:
    """Duplicate codes are errors; codes outside ``valid_codes`` are errors or (``"skip"``) left out."""
    seen: dict[str, int] = {}
    valid = None if valid_codes is None else {str(c).strip().upper() for c in valid_codes}
    kept, skipped = [], []
    for rec in records:
        i, code, _ = rec
        rowno = grid.row_numbers[i]
        if code in seen:
            problems.error(f"rij {rowno}, kolom '{code_label}': code {code} komt dubbel voor (ook in rij {seen[code]})")
        else:
            seen[code] = rowno
        if valid is not None and code not in valid:
            if unknown_codes == "skip":
                skipped.append(code)
                continue
            problems.error(
                f"rij {rowno}, kolom '{code_label}': onbekende code {code} "
                "(niet in de gekozen gemeenten/het gekozen jaar)"
            )
        kept.append(rec)
    if skipped:
        problems.warn(
            f"{len(skipped)} rijen met codes buiten de selectie overgeslagen (bijv. {', '.join(skipped[:3])})"
        )
    if skipped and not kept:
        problems.error(
            f"geen enkele code hoort bij de selectie ({len(skipped)} rijen overgeslagen, "
            f"bijv. {', '.join(skipped[:3])})"
        )
    return kept


def _numeric_columns(
    grid: _Grid,
    records: list[tuple[int, str, list[object]]],
    names: list[str],
    code_cols: set[int],
    problems: _Problems,
) -> tuple[list[tuple[int, str, np.ndarray]], list[str]]:
    """(numeric columns as (column, label, values), labels of text columns, which are ignored)."""
    used_names: dict[str, int] = {}
    columns: list[tuple[int, str, np.ndarray]] = []
    text_columns: list[str] = []
    for c in range(len(names)):
        if c in code_cols:
            continue
        name = names[c] or ""
        cells = [_cell(row, c) for _, _, row in records]
        if not name and all(v is None for v in cells):
            continue
        label = name or (f"kolom {_col_letter(c)}" if grid.kind == "xlsx" else f"kolom {c + 1}")
        # Semicolon CSV: a column with a comma in any cell uses decimal comma (then '.' groups thousands);
        # a column without commas keeps '.' as decimal point (StatLine exports: ';' and "-0.100").
        column_comma = grid.decimal_comma and any(isinstance(v, str) and "," in v for v in cells)
        values, oks = parse_numbers(cells, decimal_comma=column_comma)  # the one cleaner (core.values)
        n_num = int((oks & ~np.isnan(values)).sum())
        n_bad = int((~oks).sum())
        if n_bad and n_num < n_bad:
            text_columns.append(label)
            continue
        if label in used_names:
            problems.error(f"kolom '{label}' komt twee keer voor (kolommen {used_names[label] + 1} en {c + 1})")
            continue
        used_names[label] = c
        for k, (ok, (i, _, _)) in enumerate(zip(oks, records)):
            if not ok:
                where = grid.cell_ref(i, c) if grid.kind == "xlsx" else f"rij {grid.row_numbers[i]}"
                if userchecks.is_infinite_text(cells[k]):
                    problems.error(
                        f"{where}, kolom '{label}': '{str(cells[k])[:30]}' is geen eindig getal "
                        "(te groot om te rekenen)"
                    )
                else:
                    problems.error(f"{where}, kolom '{label}': '{str(cells[k])[:30]}' is geen getal")
        columns.append((c, label, values))
    if not columns:
        problems.error("geen kolom met getallen gevonden naast de codekolom")
    return columns, text_columns


# --------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------


def load_indicator_file(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    code_column: str | None = None,
    valid_codes: Collection[str] | None = None,
    year: int | None = None,
    max_bytes: int = MAX_BYTES,
    unknown_codes: str = "error",
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> UserIndicatorFile:
    """Read and validate a CSV/XLSX indicator file; raise ``UserFileError`` listing every problem.

    ``source`` is a path or the uploaded bytes (then ``filename`` names it; a path-like name is reduced to
    its base name, ``..`` is refused). ``valid_codes``: codes that may occur (others are errors).
    ``year``: the year of the values (default: the known file's year or a single-valued ``jaar`` column).
    ``unknown_codes``: ``"error"`` (default) or ``"skip"`` (rows with codes outside ``valid_codes`` are left
    out and counted in ``warnings``; useful for national files such as the CBS income file).
    ``bounds``: {indicator id: (low, high)} the values of a column that feeds that indicator must lie in
    (``indicators.bounds.value_bounds()``, passed by the caller: data/ does not import indicators/); None: no
    range check.
    """
    if unknown_codes not in ("error", "skip"):
        raise ValueError(f"unknown_codes must be 'error' or 'skip', not {unknown_codes!r}")
    name, data = _read_source(source, filename, max_bytes)

    problems = _Problems()
    grid = _read_grid(data, name, problems)

    records, columns, text_columns, name_col, names, code_label, row_numbers = _parse(
        grid, name, code_column=code_column, valid_codes=valid_codes, unknown_codes=unknown_codes, problems=problems
    )

    known, rename, drop, file_year = _known_file(columns, year, problems)
    for _, lbl, values in columns:  # values an indicator cannot have (percentages 0-100, rates >= 0)
        out = rename.get(lbl, lbl)
        indicator = known.mapping.get(out) if known is not None else out
        for problem in userchecks.range_problems(lbl, indicator or "", values, row_numbers, bounds or {}):
            problems.error(problem)
    problems.raise_if_errors(name)

    codes = [code for _, code, _ in records]
    data_cols = {}
    original: dict[str, str] = {}
    for _, lbl, values in columns:
        if lbl in drop:
            continue
        out = rename.get(lbl, lbl)
        data_cols[out] = values
        original[out] = lbl
    frame = pd.DataFrame(data_cols, index=pd.Index(codes, name="code", dtype=object), dtype="float64")
    if text_columns:
        problems.warn(f"tekstkolommen genegeerd: {', '.join(text_columns[:10])}")
    c = names.index(name_col) if name_col is not None and name_col in names else None
    region_names = (
        {code: str(_cell(row, c)) for _, code, row in records if _cell(row, c) is not None} if c is not None else {}
    )
    mapping = {col: ind for col, ind in (known.mapping.items() if known else ()) if col in frame.columns}
    frame.attrs["source"] = {
        "file": name,
        "year": file_year,
        "known": known.key if known else None,
        "citation": known.source if known else name,
        "code_column": code_label,
    }
    return UserIndicatorFile(
        frame=frame,
        source=name,
        year=None if file_year is None else int(file_year),
        columns=original,
        mapping=mapping,
        known=known.key if known else None,
        citation=known.source if known else name,
        names=region_names,
        warnings=problems.warnings,
        boundary_year=known.boundary_year if known else None,
    )


def _read_source(source: str | Path | bytes, filename: str | None, max_bytes: int) -> tuple[str, bytes]:
    """(safe file name, bytes) of an upload or a path; too large, missing or empty -> UserFileError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        name = safe_filename(filename or "upload")
        size = len(source)
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        data = bytes(source)
    else:
        path = Path(source)
        name = safe_filename(filename or path.name)
        if not path.is_file():
            raise _fail(name, f"niet gevonden ({path}).", f"not found ({path}).")
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        data = path.read_bytes()
    if not data.strip():
        raise _fail(name, "het bestand is leeg.", "the file is empty.")
    return name, data


def _read_grid(data: bytes, name: str, problems: _Problems) -> _Grid:
    """The cell grid of an XLSX (recognised by its bytes) or CSV file; .xls, a fake .xlsx or no cells -> error."""
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        grid = _read_xlsx(data, name, problems)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix == ".xls":
        raise _fail(
            name,
            "het oude Excel-formaat (.xls) wordt niet gelezen; sla het op als .xlsx of CSV.",
            "the old Excel format (.xls) is not supported; save it as .xlsx or CSV.",
        )
    elif suffix in {".xlsx", ".xlsm"}:
        raise _fail(name, "heeft de extensie .xlsx maar is geen XLSX-bestand.", "has extension .xlsx but is not XLSX.")
    else:
        grid = _read_csv(data, name)
    if not any(any(v is not None for v in row) for row in grid.rows):
        raise _fail(name, "het bestand is leeg.", "the file is empty.")
    return grid


def _known_file(
    columns: list[tuple[int, str, np.ndarray]], year: int | None, problems: _Problems
) -> tuple[KnownFile | None, dict[str, str], set[str], int | float | None]:
    """(known file matched on the column names, its renames, columns to drop, the year of the values)."""
    labels = {_norm_header(lbl): lbl for _, lbl, _ in columns}
    known = next((k for k in KNOWN_FILES.values() if all(col in labels for col in k.identify)), None)
    rename: dict[str, str] = {}
    drop: set[str] = set()
    file_year = year
    if known is not None:
        rename = {labels[h]: new for h, new in known.rename.items() if h in labels}
        drop = {labels[d] for d in known.drop if d in labels}
        if known.year_column and known.year_column in labels:
            col = next(v for _, lbl, v in columns if lbl == labels[known.year_column])
            bad = sorted({int(x) for x in col if not math.isnan(x) and int(x) != known.year})
            if bad:
                problems.error(f"kolom '{known.year_column}' bevat {bad[:3]}; verwacht {known.year}")
        if file_year is None:
            file_year = known.year
    elif file_year is None:
        for _, lbl, values in columns:
            if _norm_header(lbl) in YEAR_COLUMN_NAMES:
                found = {int(x) for x in values if not math.isnan(x)}
                if len(found) == 1:
                    file_year = found.pop()
                    drop.add(lbl)
    if isinstance(file_year, float) or (file_year is not None and not 1900 <= int(file_year) <= 2100):
        problems.error(f"jaar {file_year!r} is ongeldig")
    return known, rename, drop, file_year


def _too_large(name: str, size: int, limit: int) -> UserFileError:
    return _fail(
        name,
        f"het bestand is {format_number(size / 1e6, 1, 'nl')} MB; de grens is "
        f"{format_number(limit / 1e6, 1, 'nl')} MB. "
        "Laat overbodige kolommen en rijen weg.",
        f"the file is {format_number(size / 1e6, 1, 'en')} MB; the limit is "
        f"{format_number(limit / 1e6, 1, 'en')} MB. Remove unneeded columns and rows.",
    )
