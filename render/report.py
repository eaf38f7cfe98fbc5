"""Report assembly for the exports (next to render/export.py): the ranking table's CSV/XLSX with its header, and
the focus-area PDF (one A4 page per focus area) from plain rows.

I/O-free assembly of what render/export.py renders; it takes plain values (labels already in the user's
language) and reads score rows through their typed fields (``indicators.result``), never by column name.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from indicators.result import scores
from render.export import MAP_SOURCE, ExportHeader, FocusReport, csv_zip, focus_report_pdf, table_to_xlsx

MAP_SOURCES = "CBS/Kadaster, PDOK wijken en buurten"


def ranking_sources(year: int, table_id: str | None, user_citations: Sequence[str] = ()) -> list[str]:
    """Source lines of a ranking export: the KWB table of ``year``, the boundaries, every imported file."""
    kwb = f"CBS Kerncijfers wijken en buurten {year}" + (f" ({table_id})" if table_id else "")
    return [kwb, MAP_SOURCES, *user_citations]


def table_exports(
    table: pd.DataFrame,
    *,
    year: int,
    reference: str,
    weights: Mapping[str, float] | None,
    sources: Sequence[str],
    lang: str,
    stem: str = "stapelkaart",
    title: str = "Stapelkaart: prioritering",
) -> tuple[bytes, bytes]:
    """(CSV zip bytes, XLSX bytes) of a table as shown: the CSV alone in a zip beside ``{stem}_metadata.txt``
    (title, year, reference, weights, sources); the XLSX with the table on sheet 1 and the same block on sheet 2."""
    header = ExportHeader(
        title=title, year=year, reference=reference, weights=weights, sources=list(sources), lang=lang
    )
    return csv_zip(table, header, stem), table_to_xlsx(table, header)


class Figure(NamedTuple):
    """One indicator of the key figures: id (column in the focus row), label and unit in the user's language."""

    id: str
    label: str
    unit: str


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _count(value: object) -> int:
    v = _number(value)
    return 0 if math.isnan(v) else int(v)


def focus_report(
    row: pd.Series,
    *,
    name: str,
    gemeente: str,
    areas,
    focus_codes: Sequence[str],
    domains: Mapping[str, str],
    figures: Sequence[Figure],
    sentence: str,
    reference: str,
    year: int,
    worst_band: float,
    lang: str,
    comparators: Mapping[str, tuple[str, pd.Series]] | None = None,
    source: str | None = None,
) -> FocusReport:
    """One report page from the focus area's row of ``indicators.focusscore.score_focus``.

    ``domains``: domain id -> label; ``areas``: the gemeente's wijken (GeoDataFrame); key figures are the
    ``figures`` with a value (a missing value is left out, never printed as 0). ``comparators``: kind
    ("gemeente"/"land") -> (name, its score_focus row), drawn as reference marks (render.export.COMPARATOR_STYLE) on
    the same measure as the bars: the domain rank (as Vergelijken's chart). ``source``: the page's source line
    (``pages._common.reports.source_line``).
    """
    # the profile shows the domain RANK in its base (the stacking rule: rank >= 100 - worst_band is shaded)
    view = scores(row)
    doms = {
        label: {"score": dom.rank, "n": _count(dom.n), "m": _count(dom.m)}
        for label, dom in ((label, view.domain(d)) for d, label in domains.items())
    }
    key = [
        {"label": f.label, "value": ind.value, "unit": f.unit, "year": ind.year, "source": ind.source}
        for f, ind in ((f, view.indicator(f.id)) for f in figures)
        if not math.isnan(_number(ind.value))
    ]
    return FocusReport(
        name=name,
        gemeente=gemeente,
        areas=areas,
        focus=None if areas is None else areas[areas["code"].isin(list(focus_codes))],
        domains=doms,
        key_figures=key,
        sentence=sentence,
        reference=reference,
        year=year,
        worst_band=worst_band,
        lang=lang,
        source=source or MAP_SOURCE,
        comparators={
            k: (n, {label: scores(r).domain(d).rank for d, label in domains.items()})
            for k, (n, r) in (comparators or {}).items()
        },
    )


def focus_reports_pdf(reports: Sequence[FocusReport]) -> bytes:
    return focus_report_pdf(list(reports))
