"""Export builders: tables as CSV/XLSX, the map as PNG, focus-area reports as PDF. Each returns ``bytes``.

Pages hand the result to ``st.download_button``; nothing here touches Streamlit, the network or the disk.

Safety rules shared by every builder:

* **Formula injection** (OWASP "CSV injection"): every text cell and every column header whose first
  non-blank character is ``=``, ``+``, ``-``, ``@`` (or the full-width forms), or that starts with a tab,
  carriage return or line feed, gets a leading apostrophe ``'``. Real numbers stay numbers, negative
  ones too. In XLSX every text cell is written with ``data_type 's'``; no cell is ever a formula.
* **Plain text in figures**: names and labels come from data. Matplotlib draws text (no HTML), and
  :func:`plain` escapes ``$`` so a name like ``"$ Buurt $"`` is never read as mathtext; ``text.usetex``
  is forced off while rendering should anyone have switched it on.
* Figures are built on ``matplotlib.figure.Figure`` objects with the Agg/PDF canvases, never through
  ``pyplot``: no global figure state, safe in Streamlit's script threads.
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard, cast
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from core.colours import NODATA_RGBA_FLOAT
from core.crs import RD_NEW  # metres: the map is drawn in RD New so shapes are true
from core.numbers import format_number
from core.thresholds import WORST_BAND

CBS_ATTRIBUTION = "Bron: CBS (CC BY 4.0)"
NO_DATA_COLOUR = NODATA_RGBA_FLOAT
A4_PORTRAIT = (8.27, 11.69)  # inches


def map_source_line(year: int = 2024, table_id: str = "85984NED") -> str:
    """The source line under a map, e.g. for KWB 2024 (85984NED).

    >>> map_source_line()
    'Bron: CBS Kerncijfers wijken en buurten 2024 (85984NED), PDOK; bewerking Stapelkaart'
    """
    return f"Bron: CBS Kerncijfers wijken en buurten {year} ({table_id}), PDOK; bewerking Stapelkaart"


MAP_SOURCE = map_source_line()

_LABELS = {
    "nl": {
        "title": "Titel",
        "year": "Jaar",
        "reference": "Referentie",
        "weights": "Gewichten",
        "sources": "Bronnen",
        "exported": "Exportdatum",
        "equal_weights": "gelijk (standaard)",
        "no_data": "geen gegevens",
        "profile": "Domeinprofiel (rang 0–100, 100 = meest achtergesteld)",
        "worst_band": "gearceerd: zwakste {band:g}% (rang {lo:g}–100)",
        "key_figures": "Kerncijfers",
        "figure": "Kerncijfer",
        "value": "Waarde",
        "source": "Bron",
        "focus": "Focusgebied",
        "reference_short": "referentie",
        "date": "Datum",
        "no_areas": "geen gebieden om te tonen",
        "map": "Wijken van het focusgebied binnen de gemeente",
        "more_rows": "… en nog {n} kerncijfers (zie de tabelexport)",
        "meta_field": "veld",
        "meta_value": "waarde",
    },
    "en": {
        "title": "Title",
        "year": "Year",
        "reference": "Reference",
        "weights": "Weights",
        "sources": "Sources",
        "exported": "Export date",
        "equal_weights": "equal (default)",
        "no_data": "no data",
        "profile": "Domain profile (rank 0–100, 100 = most disadvantaged)",
        "worst_band": "shaded: worst {band:g}% (rank {lo:g}–100)",
        "key_figures": "Key figures",
        "figure": "Key figure",
        "value": "Value",
        "source": "Source",
        "focus": "Focus area",
        "reference_short": "reference",
        "date": "Date",
        "no_areas": "no areas to show",
        "map": "Districts of the focus area within the municipality",
        "more_rows": "… and {n} more key figures (see the table export)",
        "meta_field": "field",
        "meta_value": "value",
    },
}


def _labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang, _LABELS["nl"])


def today_amsterdam() -> date:
    """Today's date in the Netherlands (the export date printed on every file)."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()


# --------------------------------------------------------------------------------------------------
# Cell safety
# --------------------------------------------------------------------------------------------------

_FORMULA_START = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]")
_CONTROL_START = ("\t", "\r", "\n")


def neutralise(text: str) -> str:
    """Prefix ``'`` when a spreadsheet could read *text* as a formula (OWASP CSV injection).

    Triggers: first non-blank character ``= + - @`` (or full-width ``＝ ＋ － ＠``), or a leading tab,
    carriage return or line feed.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("  -1+2"), neutralise("Poelenburg")
    ('\\'=HYPERLINK("http://x")', "'  -1+2", 'Poelenburg')
    """
    if text.startswith(_CONTROL_START) or _FORMULA_START.match(text):
        return "'" + text
    return text


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XLSX XML; noise in CSV
_EXCEL_CELL_MAX = 32767


def safe_text(value: object) -> str:
    """Text for a spreadsheet cell: control characters removed, then :func:`neutralise` d, at most 32767 chars.

    Removing first matters: ``"\x01=cmd"`` must not become a bare ``"=cmd"`` after the writer drops the control.
    """
    return neutralise(_CONTROL_CHARS.sub("", _as_text(value)))[:_EXCEL_CELL_MAX]


def _is_number(value: object) -> TypeGuard[numbers.Real]:
    """Real numbers (python, numpy, Decimal), not bools."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_text(value: object) -> str:
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    return str(value)


def _cell(value: object) -> object:
    """One table value as ``None`` (missing), a finite number, a bool, or a neutralised string."""
    if _is_missing(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if _is_number(value):
        if isinstance(value, numbers.Integral):
            return int(value)
        number = float(value)
        return number if math.isfinite(number) else None
    return safe_text(value)


def _column_name(name: object) -> str:
    if isinstance(name, tuple):
        name = " / ".join(str(part) for part in name if not _is_missing(part) and str(part) != "")
    return safe_text(name)


def _table_rows(df: pd.DataFrame) -> tuple[list[str], list[list[object]]]:
    """Safe header and rows. A named index (e.g. ``code``) becomes the first column(s)."""
    names = [n for n in df.index.names if n is not None]
    if names and not any(n in df.columns for n in names):
        df = df.reset_index()
    header = [_column_name(c) for c in df.columns]
    columns = [[_cell(v) for v in df.iloc[:, i].tolist()] for i in range(df.shape[1])]
    rows = [list(r) for r in zip(*columns)] if columns else [[] for _ in range(len(df))]
    return header, rows


# --------------------------------------------------------------------------------------------------
# Table exports
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportHeader:
    """What a table export says about itself, printed above the table.

    ``weights``: domain or indicator id -> weight (``None`` = the default, equal weights).
    ``sources``: one line per source, e.g. ``"CBS Kerncijfers wijken en buurten 2024 (85984NED)"``.
    """

    title: str
    year: int
    reference: str
    weights: Mapping[str, float] | None = None
    sources: Sequence[str] = ()
    export_date: date | None = None
    lang: str = "nl"

    def weights_text(self) -> str:
        if not self.weights:
            return _labels(self.lang)["equal_weights"]
        return "; ".join(f"{k}={_format_weight(v)}" for k, v in self.weights.items())

    def rows(self) -> list[tuple[str, object]]:
        """``(label, value)`` pairs; values from data are neutralised, the year stays a number."""
        t = _labels(self.lang)
        out: list[tuple[str, object]] = [
            (t["title"], safe_text(self.title)),
            (t["year"], _cell(self.year)),
            (t["reference"], safe_text(self.reference)),
            (t["weights"], safe_text(self.weights_text())),
        ]
        for i, source in enumerate(self.sources or ()):
            out.append((t["sources"] if i == 0 else "", safe_text(source)))
        out.append((t["exported"], (self.export_date or today_amsterdam()).isoformat()))
        out.append((CBS_ATTRIBUTION, None))
        return out


def _format_weight(value: float) -> str:
    return f"{float(value):g}"


def _csv_text(value: object, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = float.__repr__(value)
        return text.replace(".", decimal) if decimal != "." else text
    return str(value)


def table_to_csv(df: pd.DataFrame, *, sep: str = ",", decimal: str = ".", bom: bool = True) -> bytes:
    """The table alone as CSV bytes: one header row, then the rows (``pd.read_csv`` reads it as it is).

    UTF-8 with a BOM so Excel detects the encoding. ``sep=";"`` for Dutch Excel. Numbers are written at full
    precision (``repr``) with a decimal point (``decimal="."``); pass ``decimal=","`` together with ``sep=";"``
    when Dutch Excel must read the numbers as numbers. Missing values are empty fields, never 0. What the table
    is (title, year, reference, weights, sources) goes beside it: :func:`metadata_text`, :func:`csv_zip`.
    """
    if len(sep) != 1 or sep in "\r\n\"'":
        raise ValueError(f"sep must be one character other than quote or newline, got {sep!r}")
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', got {decimal!r}")
    if decimal == sep:
        raise ValueError("decimal and sep must differ")
    columns, rows = _table_rows(df)
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=sep, quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_text(v, decimal) for v in row])
    return ("\ufeff" if bom else "").encode("utf-8") + buf.getvalue().encode("utf-8")


def metadata_text(header: ExportHeader) -> str:
    """The header block as plain text, one ``label: value`` line each (the file beside the CSV)."""
    lines = []
    for label, value in header.rows():
        if value is None:
            lines.append(label)
        else:
            lines.append(f"{label}: {_csv_text(value, '.')}" if label else f"  {_csv_text(value, '.')}")
    return "\n".join(lines) + "\n"


def csv_zip(df: pd.DataFrame, header: ExportHeader, stem: str, **csv_kw) -> bytes:
    """A zip with ``{stem}.csv`` (:func:`table_to_csv`, the table alone) and ``{stem}_metadata.txt``
    (:func:`metadata_text`: title, year, reference, weights, every source, export date, attribution)."""
    import zipfile

    stem = re.sub(r"[^0-9A-Za-z_\-]+", "_", stem).strip("_") or "stapelkaart"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}.csv", table_to_csv(df, **csv_kw))
        z.writestr(f"{stem}_metadata.txt", metadata_text(header).encode("utf-8"))
    return out.getvalue()


METADATA_SHEET = {"nl": "Metadata", "en": "Metadata"}


def _xlsx_put(ws, row: int, col: int, value: object, *, bold: bool = False) -> None:
    """One cell: text always stored as text (never a formula), numbers as numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # never a formula, whatever the text
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)


def _xlsx_widths(ws, samples: list[list[object]]) -> None:
    """Column widths from the longest sampled text (8..60 characters)."""
    from openpyxl.utils import get_column_letter

    for c, sample in enumerate(samples, start=1):
        width = max((len(_csv_text(v, ".")) for v in sample if v is not None), default=8)
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)


def _xlsx_table_sheet(ws, df: pd.DataFrame) -> None:
    """The table alone: bold, frozen, filterable header in row 1; missing values as empty cells."""
    from openpyxl.utils import get_column_letter

    columns, rows = _table_rows(df)
    for c, name in enumerate(columns, start=1):
        _xlsx_put(ws, 1, c, name, bold=True)
    for i, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is not None:
                _xlsx_put(ws, i, c, value)
    _xlsx_widths(ws, [[columns[c]] + [row[c] for row in rows[:1000] if c < len(row)] for c in range(len(columns))])
    ws.freeze_panes = ws.cell(row=2, column=1)
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{1 + len(rows)}"


def _xlsx_meta_sheet(ws, block: list[tuple[str, object]], lang: str = "nl") -> None:
    """The header block as a table: a header row (``field``/``value`` in ``lang``: "veld"/"waarde"), then one row
    per item, label in column A, value in column B (every source row carries its label), so
    ``pd.read_excel(..., sheet_name="Metadata")`` reads it as it is (issue 21)."""
    t = _labels(lang)
    _xlsx_put(ws, 1, 1, t["meta_field"], bold=True)
    _xlsx_put(ws, 1, 2, t["meta_value"], bold=True)
    last = ""
    for r, (label, value) in enumerate(block, start=2):
        last = label or last
        _xlsx_put(ws, r, 1, last)
        if value is not None:
            _xlsx_put(ws, r, 2, value)
    ws.freeze_panes = ws.cell(row=2, column=1)
    _xlsx_widths(ws, [[t["meta_field"], *(label for label, _ in block)], [t["meta_value"], *(v for _, v in block)]])


def table_to_xlsx(df: pd.DataFrame, header: ExportHeader, *, sheet_name: str = "Stapelkaart") -> bytes:
    """The table as an XLSX workbook: the first sheet is the table alone (bold, frozen, filterable header in row 1,
    so ``pd.read_excel`` reads it as it is), the second sheet ("Metadata") the header block (title, year,
    reference, weights, sources, export date, attribution).

    Text is always stored as text (``data_type 's'``), numbers as numbers, missing values as empty cells.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[\[\]:*?/\\]", "_", sheet_name)[:31] or "Stapelkaart"
    wb.properties.creator = "Stapelkaart"
    _xlsx_table_sheet(ws, df)
    _xlsx_meta_sheet(wb.create_sheet(METADATA_SHEET.get(header.lang, "Metadata")), header.rows(), header.lang)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def safe_filename(*parts: object, ext: str) -> str:
    """A download file name from parts: ``safe_filename("stapelkaart", "Zaanstad", 2024, ext="csv")``
    -> ``'stapelkaart_zaanstad_2024.csv'``."""
    stem = "_".join(str(p) for p in parts if p is not None and str(p) != "")
    stem = re.sub(r"[^0-9A-Za-z]+", "_", stem.lower()).strip("_") or "stapelkaart"
    return f"{stem[:80]}.{ext.lstrip('.')}"


# --------------------------------------------------------------------------------------------------
# Figures: shared helpers
# --------------------------------------------------------------------------------------------------


def plain(text: object) -> str:
    """Text from data, safe for matplotlib: ``$`` escaped so it is never mathtext.

    Matplotlib draws ``\\$`` as ``$`` when a string holds no unescaped pair of dollars.
    """
    return "" if _is_missing(text) else str(text).replace("$", r"\$")


def _no_tex():
    """``text.usetex`` off while drawing. Only touches the global rcParams when someone switched TeX on:
    ``rc_context`` is process-wide, and Streamlit renders sessions in parallel threads."""
    from contextlib import nullcontext

    from matplotlib import rc_context, rcParams

    return rc_context({"text.usetex": False}) if rcParams["text.usetex"] else nullcontext()


def _rgba_rows(colours: Any, n: int) -> np.ndarray:
    """RGBA per row as floats 0–1 from 0–255 ints (pydeck style), 0–1 floats or colour names/hex.

    A missing colour (``None``/NaN) becomes the no-data grey.
    """
    from matplotlib.colors import to_rgba

    items = list(colours.tolist() if hasattr(colours, "tolist") else colours)
    if len(items) != n:
        raise ValueError(f"need one colour per row: {len(items)} colours for {n} rows")
    out = np.empty((n, 4), dtype=float)
    for i, c in enumerate(items):
        if c is None or (isinstance(c, float) and math.isnan(c)):
            out[i] = NO_DATA_COLOUR
        elif isinstance(c, str):
            out[i] = to_rgba(c)
        else:
            arr = np.asarray(c)
            if arr.size not in (3, 4) or np.isnan(arr.astype(float)).any():
                out[i] = NO_DATA_COLOUR
                continue
            vals = arr.astype(float)
            if np.issubdtype(arr.dtype, np.integer) or vals.max() > 1.0:
                vals = vals / 255.0
            out[i, : vals.size] = vals
            if vals.size == 3:
                out[i, 3] = 1.0
    return np.clip(out, 0.0, 1.0)


def _to_rd(gdf):
    if gdf.crs is None:
        raise ValueError("the GeoDataFrame has no CRS; set EPSG:28992 (RD New) or EPSG:4326 (WGS84) first")
    return gdf if gdf.crs.equals(RD_NEW) else gdf.to_crs(RD_NEW)


def _colour(c: object) -> tuple[float, float, float, float]:
    return tuple(_rgba_rows([c], 1)[0])


def _draw_polygons(ax, gdf, facecolors, *, edgecolor="white", linewidth=0.6, zorder=1) -> None:
    """Polygons of *gdf* (RD New) as one PatchCollection: one face colour per row."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    patches, faces = [], []
    for geom, face in zip(gdf.geometry, facecolors):
        if geom is None or geom.is_empty:
            continue
        polys = getattr(geom, "geoms", [geom])
        for poly in polys:
            if poly.geom_type != "Polygon":
                continue
            verts, codes = [], []
            for ring in [poly.exterior, *poly.interiors]:
                xy = np.asarray(ring.coords)[:, :2]
                verts.append(xy)
                codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
            patches.append(PathPatch(MplPath(np.concatenate(verts), np.concatenate(codes))))
            faces.append(face)
    if patches:
        ax.add_collection(
            PatchCollection(patches, facecolors=faces, edgecolors=edgecolor, linewidths=linewidth, zorder=zorder)
        )


def _frame_extent(ax, *frames, pad: float = 0.03) -> bool:
    bounds = [f.total_bounds for f in frames if f is not None and len(f) and not f.geometry.is_empty.all()]
    ax.set_axis_off()
    if not bounds:
        return False
    b = np.array(bounds)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    dx, dy = max(x1 - x0, 1.0) * pad, max(y1 - y0, 1.0) * pad
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)
    ax.set_aspect("equal", adjustable="box")
    return True


def _label_areas(ax, gdf, labels: Sequence[object], fontsize: float) -> None:
    from matplotlib import patheffects

    for geom, label in zip(gdf.geometry, labels):
        if geom is None or geom.is_empty or _is_missing(label) or str(label) == "":
            continue
        p = geom.representative_point()
        ax.text(
            p.x,
            p.y,
            _wrap(label, 22),
            ha="center",
            va="center",
            fontsize=fontsize,
            fontweight="bold",
            color="#111111",
            zorder=5,
            clip_on=False,
            path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
        )


def _wrap(text: object, width: int) -> str:
    """Wrapped to *width* characters, then made :func:`plain` (escaping after wrapping keeps ``\\$`` whole)."""
    raw = "" if _is_missing(text) else str(text)
    return plain("\n".join(textwrap.wrap(raw, width=width, break_long_words=True)))


def _png_bytes(fig, dpi: float) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi, metadata={"Software": "Stapelkaart (matplotlib)"})
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Map PNG
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendEntry:
    """One class of the map legend: label, colour (as accepted for the map) and number of areas."""

    label: str
    colour: object
    n: int


def _legend_entry(entry: object) -> LegendEntry:
    """A legend row from ``LegendEntry``, ``geo.classify.LegendEntry`` (``.color``) or ``(label, colour, n)``."""
    if isinstance(entry, LegendEntry):
        return entry
    if hasattr(entry, "label") and hasattr(entry, "n"):
        return LegendEntry(entry.label, getattr(entry, "colour", getattr(entry, "color", None)), entry.n)
    label, colour, n = cast("tuple[str, object, int]", entry)  # the (label, colour, n) form
    return LegendEntry(label, colour, n)


def map_png(
    gdf,
    colours,
    legend: Sequence[LegendEntry | tuple[str, object, int]],
    *,
    title: str,
    subtitle: str = "",
    source: str = MAP_SOURCE,
    export_date: date | None = None,
    focus=None,
    focus_labels: str | Sequence[object] | None = None,
    legend_title: str = "",
    size: tuple[int, int] = (1600, 1000),
    dpi: int = 150,
    lang: str = "nl",
) -> bytes:
    """The choropleth as a PNG of exactly ``size`` pixels.

    ``gdf``: areas in RD New or WGS84 (drawn in EPSG:28992). ``colours``: one RGBA per row of ``gdf``
    (0–255 ints as pydeck uses, or 0–1 floats, or colour strings; ``None`` = no-data grey).
    ``legend``: per class a ``(label, colour, n)`` tuple, a :class:`LegendEntry` or a
    ``geo.classify.LegendEntry`` (as returned by ``geo.classify.legend``), shown as ``label (n = 12)``. ``subtitle``: year and
    reference, e.g. ``"2024 · referentie: Nederland"``. ``focus``: optional GeoDataFrame of focus areas
    drawn as thick outlines; ``focus_labels`` is a column of it or one label per row. ``source``: the source line of
    the year shown and every imported file (:func:`map_source_line`; the default names KWB 2024).
    """
    fig = map_figure(
        gdf,
        colours,
        legend,
        title=title,
        subtitle=subtitle,
        source=source,
        export_date=export_date,
        focus=focus,
        focus_labels=focus_labels,
        legend_title=legend_title,
        size=size,
        dpi=dpi,
        lang=lang,
    )
    with _no_tex():
        return _png_bytes(fig, dpi)


#: Legend labels are wrapped to this many characters so "label (n = 12)" stays inside the image.
LEGEND_WRAP = 30


def map_figure(
    gdf,
    colours,
    legend: Sequence[LegendEntry | tuple[str, object, int]],
    *,
    title: str,
    subtitle: str = "",
    source: str = MAP_SOURCE,
    export_date: date | None = None,
    focus=None,
    focus_labels: str | Sequence[object] | None = None,
    legend_title: str = "",
    size: tuple[int, int] = (1600, 1000),
    dpi: int = 150,
    lang: str = "nl",
):
    """The matplotlib Figure that :func:`map_png` renders (same arguments)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    width, height = (int(v) for v in size)
    if width < 200 or height < 150:
        raise ValueError(f"size must be at least 200 x 150 pixels, got {size}")
    t = _labels(lang)
    rd = _to_rd(gdf)
    faces = _rgba_rows(colours, len(rd))
    scale = min(width, height * 1.6) / 1600 * 150 / dpi  # font scale: same look at any size and dpi

    with _no_tex():
        # +0.001 px: Agg truncates the float canvas size, and w/dpi*dpi may land just below w.
        fig = Figure(figsize=((width + 1e-3) / dpi, (height + 1e-3) / dpi), dpi=dpi, facecolor="white")
        fig.text(0.02, 0.965, _wrap(title, 110), ha="left", va="top", fontsize=15 * scale, fontweight="bold")
        if subtitle:
            fig.text(0.02, 0.905, _wrap(subtitle, 140), ha="left", va="top", fontsize=10.5 * scale, color="#333333")
        date_text = f"{t['date']}: {(export_date or today_amsterdam()).isoformat()}"
        fig.text(0.02, 0.02, _wrap(source, 160), ha="left", va="bottom", fontsize=8 * scale, color="#333333")
        fig.text(0.98, 0.02, date_text, ha="right", va="bottom", fontsize=8 * scale, color="#333333")

        ax = fig.add_axes((0.02, 0.07, 0.70, 0.78))
        _draw_polygons(ax, rd, faces, linewidth=0.5)
        focus_rd = _to_rd(focus) if focus is not None and len(focus) else None
        if focus_rd is not None:
            _draw_polygons(
                ax, focus_rd, [(0, 0, 0, 0)] * len(focus_rd), edgecolor="#111111", linewidth=2.2 * scale, zorder=3
            )
            if focus_labels is not None:
                labels = focus_rd[focus_labels].tolist() if isinstance(focus_labels, str) else list(focus_labels)
                if len(labels) != len(focus_rd):
                    raise ValueError(f"need one focus label per focus area: {len(labels)} for {len(focus_rd)}")
                _label_areas(ax, focus_rd, labels, 9 * scale)
        if not _frame_extent(ax, rd, focus_rd):
            ax.text(0.5, 0.5, t["no_areas"], ha="center", va="center", transform=ax.transAxes)

        entries = [_legend_entry(e) for e in legend]
        if entries:
            handles = [
                Patch(
                    facecolor=_colour(e.colour),
                    edgecolor="#666666",
                    linewidth=0.5,
                    label=_wrap(f"{e.label} (n = {format_number(int(e.n), 0, lang)})", LEGEND_WRAP),
                )
                for e in entries
            ]
            lax = fig.add_axes((0.74, 0.07, 0.24, 0.78))
            lax.set_axis_off()
            lax.legend(
                handles=handles,
                loc="upper left",
                title=_wrap(legend_title, LEGEND_WRAP) or None,
                frameon=True,
                fontsize=9 * scale,
                title_fontsize=10 * scale,
                alignment="left",
                handlelength=1.6,
                handleheight=1.2,
                borderpad=0.8,
                labelspacing=0.7,
            )
        return fig


# --------------------------------------------------------------------------------------------------
# Focus-area report PDF
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainScore:
    """A domain's rank 0–100 (100 = most disadvantaged; ``None``/NaN = no data) from n of m indicators."""

    score: float | None
    n: int = 0
    m: int = 0

    @classmethod
    def coerce(cls, value: DomainScore | Mapping[str, Any] | float | None) -> DomainScore:
        if isinstance(value, DomainScore):
            return value
        if isinstance(value, Mapping):
            return cls(value.get("score"), int(value.get("n", 0) or 0), int(value.get("m", 0) or 0))
        return cls(value)

    @property
    def missing(self) -> bool:
        return _is_missing(self.score) or (self.m > 0 and self.n == 0)


#: One style per comparator, used by every chart (pages/vergelijken.py via loaders) and the PDF profile:
#: focus areas take ``FOCUS_COLOURS`` in their order with a circle, the gemeente a square, Nederland a diamond.
COMPARATOR_STYLE = {
    "gemeente": {"colour": "#b35806", "vega": "square", "mpl": "s"},
    "land": {"colour": "#1a1a1a", "vega": "diamond", "mpl": "D"},
}
FOCUS_COLOURS = (
    "#1f4e79",
    "#2a9d8f",
    "#7b3294",
    "#c2185b",
    "#5d4037",
    "#558b2f",
    "#3949ab",
    "#00838f",
    "#8e24aa",
    "#6d4c41",
    "#37474f",
    "#827717",
)
FOCUS_MARKER = {"vega": "circle", "mpl": "o"}


@dataclass(frozen=True)
class FocusReport:
    """One page of the focus-area report.

    ``areas``: all wijken (or buurten) of the gemeente; ``focus``: the ones in this focus area (both any
    CRS, drawn in RD New). ``domains``: domain label -> :class:`DomainScore` or ``{"score", "n", "m"}``.
    ``key_figures``: dicts with ``label``, ``value``, optional ``unit``, ``year``, ``source``.
    ``worst_band``: top share shaded on the profile (20 -> ranks 80–100), as ``score_areas(worst_band=)``.
    """

    name: str
    gemeente: str
    areas: pd.DataFrame | None  # GeoDataFrame
    focus: pd.DataFrame | None  # GeoDataFrame
    domains: Mapping[str, DomainScore | Mapping[str, Any] | float | None]
    key_figures: Sequence[Mapping[str, object]]
    sentence: str
    reference: str
    year: int
    worst_band: float = WORST_BAND
    source: str = field(default=MAP_SOURCE)
    export_date: date | None = None
    lang: str = "nl"
    #: kind ("gemeente"/"land") -> (name, {domain label: score}): reference marks in the profile chart
    comparators: Mapping[str, tuple[str, Mapping[str, object]]] = field(default_factory=dict)


def _format_value(value: object, unit: object, lang: str) -> str:
    if _is_missing(value):
        return _labels(lang)["no_data"]
    if _is_number(value):
        v = float(value)
        text = format_number(v, 0 if abs(v) >= 1000 or v.is_integer() else 1, lang)
    else:
        text = str(value)
    unit = "" if _is_missing(unit) else str(unit)
    return f"{text} {unit}".strip() if unit and unit != "%" else text + unit


def _coerce_score(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


#: x (in rank units) of the profile's value labels: right of the 0–100 axis, where no bar or mark is drawn.
VALUE_COLUMN_X = 103.0


def _draw_profile(ax, report: FocusReport) -> None:
    t = _labels(report.lang)
    items = [(label, DomainScore.coerce(v)) for label, v in report.domains.items()]
    lo = 100.0 - float(report.worst_band)
    ax.axvspan(lo, 100, color="#f4c7c3", zorder=0, lw=0)
    ys = np.arange(len(items))[::-1]
    for y, (_label, d) in zip(ys, items):
        if d.missing or d.score is None:
            ax.text(1, y, t["no_data"], va="center", ha="left", fontsize=8, style="italic", color="#555555")
        else:
            s = float(d.score)
            ax.barh(y, s, height=0.6, color="#8a1c13" if s >= lo else "#4a6fa5", zorder=2)
            # the value in its own column right of the axis: comparator marks never cover it
            ax.text(
                VALUE_COLUMN_X,
                y,
                f"{s:.0f}",
                va="center",
                ha="left",
                fontsize=7,
                color="black",
                zorder=3,
                clip_on=False,
            )
    for kind, (name, scores) in report.comparators.items():
        style = COMPARATOR_STYLE[kind]
        pts = [
            (float(_coerce_score(scores.get(label))), y)
            for y, (label, _) in zip(ys, items)
            if not math.isnan(_coerce_score(scores.get(label)))
        ]
        if pts:
            ax.scatter(
                [p[0] for p in pts],
                [p[1] for p in pts],
                marker=style["mpl"],
                s=22,
                color=style["colour"],
                edgecolors="white",
                linewidths=0.6,
                zorder=4,
                label=name,
            )
    if report.comparators:
        ax.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=2,
            fontsize=6.5,
            frameon=False,
            handletextpad=0.3,
            columnspacing=1.0,
        )
    ax.set_yticks(ys, [_wrap(f"{label} ({d.n}/{d.m})" if d.m else label, 26) for label, d in items], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, max(len(items) - 0.4, 0.6))
    ax.set_xticks([0, 20, 40, 60, 80, 100])
    ax.tick_params(axis="x", labelsize=7)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel(t["worst_band"].format(band=float(report.worst_band), lo=lo), fontsize=7, color="#8a1c13")


def _draw_key_figures(fig, report: FocusReport, top: float, bottom: float) -> None:
    """A plain-text table: figure | value | year | source, wrapped, rows that do not fit are counted."""
    t = _labels(report.lang)
    x = (0.06, 0.42, 0.60, 0.68)
    widths = (40, 18, 6, 30)
    line = 0.0135
    fig.text(0.06, top, t["key_figures"], fontsize=11, fontweight="bold", va="top")
    y = top - 0.03
    for xi, head in zip(x, (t["figure"], t["value"], t["year"], t["source"])):
        fig.text(xi, y, head, fontsize=8, fontweight="bold", va="top")
    y -= line * 1.3
    fig.add_artist(_hline(fig, y + line * 0.25))
    for i, kf in enumerate(report.key_figures):
        year = kf.get("year")
        cells = (
            kf.get("label", ""),
            _format_value(kf.get("value"), kf.get("unit"), report.lang),
            "" if _is_missing(year) else str(year),
            kf.get("source", ""),
        )
        wrapped = [_wrap(c, w).split("\n") for c, w in zip(cells, widths)]
        height = max(len(w) for w in wrapped) * line + line * 0.4
        if y - height < bottom:
            fig.text(
                0.06, y, t["more_rows"].format(n=len(report.key_figures) - i), fontsize=8, style="italic", va="top"
            )
            return
        for xi, lines in zip(x, wrapped):
            fig.text(xi, y, "\n".join(lines), fontsize=8, va="top", linespacing=1.3)
        y -= height


def _hline(fig, y: float):
    from matplotlib.lines import Line2D

    return Line2D([0.06, 0.94], [y, y], transform=fig.transFigure, color="#999999", linewidth=0.6)


def _report_page(report: FocusReport):
    from matplotlib.figure import Figure

    t = _labels(report.lang)
    fig = Figure(figsize=A4_PORTRAIT, facecolor="white")
    fig.text(0.06, 0.965, _wrap(f"{t['focus']}: {report.name}", 70), fontsize=16, fontweight="bold", va="top")
    fig.text(
        0.06,
        0.925,
        _wrap(f"{report.gemeente} · {report.year} · {t['reference_short']}: {report.reference}", 100),
        fontsize=10,
        color="#333333",
        va="top",
    )

    areas = _to_rd(report.areas) if report.areas is not None and len(report.areas) else None
    focus = _to_rd(report.focus) if report.focus is not None and len(report.focus) else None
    ax = fig.add_axes((0.05, 0.58, 0.40, 0.31))
    if areas is not None:
        _draw_polygons(ax, areas, [(0.88, 0.88, 0.88, 1.0)] * len(areas), edgecolor="white", linewidth=0.5)
    if focus is not None:
        _draw_polygons(ax, focus, [(0.54, 0.11, 0.07, 0.85)] * len(focus), edgecolor="#111111", linewidth=1.0, zorder=2)
    if not _frame_extent(ax, areas, focus):
        ax.text(0.5, 0.5, t["no_areas"], ha="center", va="center", transform=ax.transAxes, fontsize=8)
    fig.text(0.05, 0.565, t["map"], fontsize=7, color="#555555", va="top")

    fig.text(0.50, 0.895, _wrap(t["profile"], 55), fontsize=9, va="top")
    _draw_profile(fig.add_axes((0.66, 0.62, 0.28, 0.24)), report)

    fig.text(0.06, 0.53, _wrap(report.sentence, 95), fontsize=10, va="top", linespacing=1.4)
    n_lines = max(1, _wrap(report.sentence, 95).count("\n") + 1)
    _draw_key_figures(fig, report, top=0.53 - n_lines * 0.02 - 0.03, bottom=0.08)

    date_text = f"{t['date']}: {(report.export_date or today_amsterdam()).isoformat()}"
    fig.text(0.06, 0.03, _wrap(f"{report.source} · {CBS_ATTRIBUTION}", 120), fontsize=7, color="#333333", va="bottom")
    fig.text(0.94, 0.03, date_text, fontsize=7, color="#333333", va="bottom", ha="right")
    return fig


def focus_report_pdf(reports: Sequence[FocusReport], *, title: str = "Stapelkaart: focusgebieden") -> bytes:
    """An A4 PDF with exactly one page per focus area: map thumbnail, domain profile, key figures,
    the generated sentence, date and attribution."""
    from matplotlib.backends.backend_pdf import PdfPages

    if not reports:
        raise ValueError("focus_report_pdf needs at least one FocusReport")
    out = io.BytesIO()
    with _no_tex(), PdfPages(out, metadata={"Title": str(title), "Creator": "Stapelkaart"}) as pdf:
        for report in reports:
            pdf.savefig(_report_page(report))
        pages = pdf.get_pagecount()
    if pages != len(reports):  # pragma: no cover - guards the one-page-per-area promise
        raise RuntimeError(f"PDF has {pages} pages for {len(reports)} focus areas")
    return out.getvalue()
