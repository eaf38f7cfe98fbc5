"""What the pages export: the ranking as CSV/XLSX, the focus-area sentence and the focus-area PDF.

The assembly is render/report.py; this module gives it the labels in the user's language.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import registry as reg
from indicators.method import stacking_text
from indicators.result import scores
from indicators.tables import older_years
from pages._common import loaders
from pages._common.i18n import label as lab
from pages._common.i18n import t
from pages._common.narrative import area_sentence
from pages._common.scoring import ENGINE_DEFAULTS
from pages._common.tables import composite_base
from pages._common.wording import base_labels
from render.export import map_png as render_map_png
from render.report import Figure, focus_report, focus_reports_pdf, ranking_sources, table_exports


def source_line(year: int, table_id: str | None, user_citations=()) -> str:
    """The source line under a map or on a PDF page: the KWB table of the year shown, PDOK, every imported file.

    >>> source_line(2023, "85618NED", ["CBS maatwerk 2023/35 (2020)"])
    'Bron: CBS Kerncijfers wijken en buurten 2023 (85618NED), PDOK; CBS maatwerk 2023/35 (2020); bewerking Stapelkaart'
    """
    kwb = f"CBS Kerncijfers wijken en buurten {year}" + (f" ({table_id})" if table_id else "")
    return "; ".join([f"Bron: {kwb}, PDOK", *dict.fromkeys(user_citations), "bewerking Stapelkaart"])


def figure_source(view, scored_=None) -> str:
    """The source line of a PNG/PDF for ``view`` (:func:`source_line`; the table of the view's year)."""
    tid = (getattr(scored_, "source", None) or {}).get("table_id") or loaders.catalogue(view.year).table_id
    return source_line(view.year, tid if tid != "?" else None, loaders.citations())


def map_png(view, data, scored_, gdf) -> bytes:
    """The Kaart as PNG (render.export.map_png): title, year and reference, the legend with every class and its n,
    the focus outlines, and the source line of the view's year (:func:`figure_source`)."""
    ref = scored_.result.reference.text(view.lang) if scored_.result is not None else view.reference
    return render_map_png(
        gdf,
        data.fill,
        data.entries,
        title=data.colour_label,
        subtitle=f"{view.year} · {t('reference', view.lang).lower()}: {ref}",
        focus=data.outlines,
        focus_labels="name" if data.outlines is not None else None,
        legend_title=data.colour_label,
        lang=view.lang,
        source=figure_source(view, scored_),
    )


def export_table(
    ranked, table: pd.DataFrame, lang: str, band: float, labels: dict[str, str] | None = None
) -> pd.DataFrame:
    """The ranking as a table for CSV/XLSX: the rows and order of the screen's table ``ranked``
    (``tables.ranked``: its ``#`` and ``code``), with the engine's ``table`` behind them: every number at full
    precision, and per domain its score, its RANK in its base (the flag is decided on the rank), whether it is in
    the worst ``band`` % (1/0, empty = unknown), the base's size and name (``labels``: the bases' labels in
    ``lang``, ``wording.base_labels``)."""
    labels = labels or {}
    code_col = t("export_col_code", lang)  # tables.ranked's header of the code column
    codes = list(ranked[code_col]) if code_col in ranked else []
    df = table.set_index("code", drop=False) if "code" in table.columns else table
    df = df.reindex(codes).assign(**{"#": ranked["#"].to_numpy() if "#" in ranked else pd.NA})

    def num(c: str | pd.Series | None) -> pd.Series:
        col = df.get(c) if isinstance(c, str) else c
        return pd.to_numeric(col, errors="coerce") if col is not None else pd.Series(np.nan, index=df.index)

    view = scores(df)
    comp, stack = view.composite, view.stacking

    names = loaders.catalogue(int(df["year"].iloc[0])).names if "year" in df and len(df) else {}
    rows = df.to_dict("records")
    out = pd.DataFrame(
        {"#": df["#"], t("area", lang): df.get("name", df.get("code")), t("export_col_code", lang): df.get("code")}
    )
    if "gemeente_code" in df:
        out[t("export_col_gm_code", lang)] = df["gemeente_code"].to_numpy()
        out[t("filter_gemeente", lang)] = [names.get(g, g) for g in df["gemeente_code"]]
    out[t("composite", lang)] = num(comp.value).to_numpy()
    out[t("composite_on", lang) + " (n)"] = pd.array(num(comp.n), dtype="Int64")
    out[t("export_col_need", lang)] = pd.array(num(comp.need), dtype="Int64")
    out[t("composite_on", lang)] = [composite_base(r, lang) for r in rows]
    out[t("stacking_count", lang)] = pd.array(num(stack.k), dtype="Int64")
    out[t("stacking_known_col", lang)] = pd.array(num(stack.n), dtype="Int64")
    out[t("stacking_m_col", lang)] = pd.array(num(stack.m), dtype="Int64")
    out[t("stacking_col", lang)] = [stacking_text(r, lang) for r in rows]
    for d, dom in view.domains.items():
        name = lab(reg.DOMAINS[d], lang)
        out[t("export_col_dom_score", lang, domain=name)] = num(dom.score).to_numpy()
        out[t("export_col_dom_rank", lang, domain=name)] = num(dom.rank).to_numpy()
        in_band = (
            pd.array(dom.band, dtype="boolean")
            if dom.band is not None
            else pd.array([pd.NA] * len(df), dtype="boolean")
        )
        out[t("export_col_dom_band", lang, domain=name, band=f"{band:g}")] = pd.array(in_band, dtype="Int64")
        out[t("export_col_dom_base_n", lang, domain=name)] = pd.array(num(dom.base_n), dtype="Int64")
        ref = dom.base_label.astype("object") if dom.base_label is not None else pd.Series(None, index=df.index)
        out[t("export_col_dom_base", lang, domain=name)] = [
            labels.get(v, v) if isinstance(v, str) else None for v in ref
        ]
    out[t("export_col_population", lang)] = num("population").to_numpy()
    return out.reset_index(drop=True)


def exports(ranked, view, reference: str, weights, scored_) -> tuple[bytes, bytes]:
    """(CSV zip, XLSX) of the ranking table on screen (:func:`export_table`) with its metadata and sources (KWB
    table of the year, PDOK, every imported file). ``scored_``: the page's scores (``loaders.ranking(view).scored``)."""
    df = export_table(
        ranked,
        scored_.table,
        view.lang,
        worst_band(dict(scored_.result.settings) if scored_.result is not None else {}),
        base_labels(scored_.result, view.lang),
    )
    sources = ranking_sources(view.year, (scored_.source or {}).get("table_id") or None, loaders.citations())
    return table_exports(
        df,
        year=view.year,
        reference=reference,
        weights=weights,
        sources=sources,
        lang=view.lang,
        stem=f"stapelkaart_{view.year}_{view.level}",
    )


def focus_name(f, lang: str) -> str:
    """A focus area's short name (its label without the parenthesised gemeente)."""
    return lab(f, lang).split(" (")[0]


def worst_band(settings: dict) -> float:
    """The engine's worst band (stacking: domain score >= 100 - band), from the settings actually used."""
    return float({**ENGINE_DEFAULTS, **settings}["worst_band"])


def focus_sentence_for(view, focus_id: str, table=None) -> str:
    """The sentence of one focus area (presentation mode, PDF; ``narrative.area_sentence`` over its score row:
    "k van de n bekende domeinen (van m)", each flagged domain with its base). ``table``: the comparison table
    (``loaders.focus_compare(...).table``); without it, that of the view."""
    if table is None:
        data = loaders.focus_compare(view, view.weight_map(tuple(reg.DOMAINS)))
        if data.error is not None:  # no data: presentation mode then shows the map without a sentence
            return ""
        table = data.table
    if table.empty or focus_id not in table.index:
        return ""
    row = table.loc[focus_id]
    labels = (
        base_labels(loaders.ranking(view.with_(level="wijk")).scored.result, view.lang) if view.lang != "nl" else None
    )
    f = loaders.focus(view).by_id(focus_id)
    return area_sentence(
        row,
        focus_name(f, view.lang) if f else str(row["name"]),
        year=view.year,
        lang=view.lang,
        older_years=older_years(row, view.year),
        labels=labels,
    )


def focus_pdf(view, data) -> bytes:
    """One A4 page per focus area (render.report / render.export): map thumbnail, profile with the gemeente and
    Nederland as reference marks (the comparator style of Vergelijken), key figures, sentence. ``data``: what
    Vergelijken shows (``loaders.focus_compare``)."""
    lang = view.lang
    areas, table, names = data.focus.areas, data.table, data.gemeente_names
    gdf = data.boundaries()  # None: no boundaries (e.g. Eindhoven in the mirror), the page is printed without a map
    s = data.scores()
    domains = {d: lab(reg.DOMAINS[d], lang) for d in reg.DOMAINS}
    source = figure_source(view, s)
    figures = [Figure(i.id, lab(i, lang), i.unit.get(lang, i.unit["nl"])) for i in reg.scored_indicators()]
    band = worst_band(dict(s.result.settings))
    land = table[table["kind"] == "land"]
    reports = []
    for f in (a for a in areas if a.id in table.index):
        comps = (
            {"gemeente": (names.get(f.gemeente_code, f.gemeente_code), table.loc[f.gemeente_code])}
            if f.gemeente_code in table.index
            else {}
        )
        if len(land):
            comps["land"] = (t("nederland", lang), land.iloc[0])
        here = gdf[gdf["gemeente_code"].isin(list(f.gemeenten))] if gdf is not None else None
        reports.append(
            focus_report(
                table.loc[f.id],
                name=focus_name(f, lang),
                gemeente=", ".join(names.get(g, g) for g in f.gemeenten),
                areas=here,
                focus_codes=f.codes,
                domains=domains,
                figures=figures,
                sentence=focus_sentence_for(view, f.id, table),
                reference=s.result.reference.text(lang),
                year=view.year,
                worst_band=band,
                lang=lang,
                comparators=comps,
                source=source,
            )
        )
    return focus_reports_pdf(reports)
