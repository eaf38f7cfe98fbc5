"""What the pages export: the ranking as CSV/XLSX, the focus-area sentence and the focus-area PDF.

The assembly is data/report.py; this module gives it the labels in the user's language.
"""

from __future__ import annotations

from core.errors import StapelkaartError
from indicators import registry as reg
from pages._common import loaders
from pages._common.i18n import label as lab, t
from pages._common.narrative import area_sentence
from pages._common.wording import base_labels


def exports(ranked_df, view, reference: str, weights, scored_: loaders.Scored) -> tuple[bytes, bytes]:
    """(CSV, XLSX) of the ranking table with its header and sources (KWB table, PDOK, imported files)."""
    citations = [uf.citation or uf.source for uf in loaders.user_files(loaders.active_files())]
    sources = loaders.ranking_sources(view.year, (scored_.source or {}).get("table_id") or None, citations)
    return loaders.ranking_exports(ranked_df, year=view.year, reference=reference, weights=weights,
                                   sources=sources, lang=view.lang)


def focus_name(f, lang: str) -> str:
    """A focus area's short name (its label without the parenthesised gemeente)."""
    return lab(f, lang).split(" (")[0]


def worst_band(settings: dict) -> float:
    """The engine's worst band (stacking: domain score >= 100 - band), from the settings actually used."""
    return float({**loaders.ENGINE_DEFAULTS, **settings}["worst_band"])


def focus_sentence_for(view, focus_id: str, table=None) -> str:
    """The sentence of one focus area (presentation mode, PDF; ``narrative.area_sentence`` over its score row:
    "k van de n bekende domeinen (van m)", each flagged domain with its base)."""
    try:
        table = loaders.focus_table(view, view.weight_map(tuple(reg.DOMAINS))) if table is None else table
    except StapelkaartError:  # no data: presentation mode then shows the map without a sentence
        return ""
    if table.empty or focus_id not in table.index:
        return ""
    row = table.loc[focus_id]
    labels = base_labels(loaders.scored(view.gemeenten, view.year, "wijk", view.reference).result, view.lang) \
        if view.lang != "nl" else None
    f = loaders.focus_by_id(focus_id, view)
    return area_sentence(row, focus_name(f, view.lang) if f else str(row["name"]), year=view.year, lang=view.lang,
                         older_years=loaders.older_years(row, view.year), labels=labels)


def focus_pdf(view) -> bytes:
    """One A4 page per focus area (data.report / data.export): map thumbnail, profile with the gemeente and
    Nederland as reference marks (the comparator style of Vergelijken), key figures, sentence."""
    lang = view.lang
    areas = loaders.view_focus_areas(view)
    table = loaders.focus_table(view, view.weight_map(tuple(reg.DOMAINS)), areas)
    gms = loaders.focus_gemeenten(view, areas)
    level = loaders.focus_level(view, areas)
    try:
        gdf = loaders.boundaries(gms, view.year, level)
    except StapelkaartError:   # no boundaries (e.g. Eindhoven in the mirror): the page is printed without a map
        gdf = None
    s = loaders.scored(gms, view.year, level, view.reference, None, view.kv)
    names = loaders.gemeente_options(view.year)
    domains = {d: lab(reg.DOMAINS[d], lang) for d in reg.DOMAINS}
    figures = [loaders.Figure(i.id, lab(i, lang), i.unit.get(lang, i.unit["nl"])) for i in reg.scored_indicators()]
    band = worst_band(dict(s.result.settings))
    land = table[table["kind"] == "land"]
    reports = []
    for f in (a for a in areas if a.id in table.index):
        comps = {"gemeente": (names.get(f.gemeente_code, f.gemeente_code), table.loc[f.gemeente_code])} \
            if f.gemeente_code in table.index else {}
        if len(land):
            comps["land"] = (t("nederland", lang), land.iloc[0])
        here = gdf[gdf["gemeente_code"].isin(list(f.gemeenten))] if gdf is not None else None
        reports.append(loaders.focus_report(
            table.loc[f.id], name=focus_name(f, lang), gemeente=", ".join(names.get(g, g) for g in f.gemeenten),
            areas=here, focus_codes=f.codes, domains=domains, figures=figures,
            sentence=focus_sentence_for(view, f.id, table), reference=s.result.reference.text(lang), year=view.year,
            worst_band=band, lang=lang, comparators=comps))
    return loaders.focus_reports_pdf(reports)
