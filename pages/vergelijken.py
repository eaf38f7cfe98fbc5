"""Vergelijken: the view's focus areas side by side, with their gemeenten and Nederland as fixed references."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from core.errors import StapelkaartError
from indicators import registry as reg
from indicators.result import scores
from indicators.tables import num
from pages._common import fmt, focusui, healthui, loaders, reports, shell, tables, widgets
from pages._common.i18n import label, t
from render.export import COMPARATOR_STYLE, FOCUS_COLOURS, FOCUS_MARKER
from render.report import ranking_sources, table_exports

view = shell.page_view("vergelijken")
lang = view.lang
st.title(t("page_vergelijken", lang))
try:
    with st.spinner(t("loading", lang)):
        data = loaders.focus_compare(view, view.weight_map(widgets.domain_ids()))
except Exception as exc:  # noqa: BLE001
    widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
    shell.end_page()
band = reports.worst_band(data.settings)  # the engine setting behind stacking
st.caption(t("compare_intro", lang, band=fmt.fmt_num(band, None, lang)))
focusui.problems(view, data.focus)
focusui.editor(view, data.focus)

areas, level = data.focus.areas, data.focus.level
other = [a.name for a in areas if a.level != level]
if other:
    st.info(t("fa_other_level", lang, level=t(f"level_{level}", lang), names=fmt.md(", ".join(other))))
if data.error is not None:  # no data for the table: said under the focus areas' editor
    widgets.show_error(data.error, lang, t("loading", lang).rstrip("…").lower())
    shell.end_page()
table = data.table
for text in data.notices:  # stale cache / degraded source behind this table (issue 20)
    st.warning(fmt.md_message(text), icon=":material/warning:")
if table.empty:
    st.info(t("no_focus", lang))
    shell.end_page()
gm_names = data.gemeente_names
no_map = data.no_map
if no_map:
    st.info(t("fa_no_map", lang, gemeenten=fmt.md_text(", ".join(f"{gm_names.get(g, g)} ({g})" for g in no_map))))

dom_labels = {d: label(reg.DOMAINS[d], lang) for d in reg.DOMAINS}
names = tables.column_names(table, lang)
focus_rows = table[table["kind"] == "focus"]
ref_word = t("ref_short_" + view.reference, lang)

# --- the chart: one panel per focus area; gemeente and Nederland as the same fixed marks in each -----------
style = COMPARATOR_STYLE
own = t("own_gemeente", lang)
long = []
for fid, row in focus_rows.iterrows():
    refs = [(g, "gemeente") for g in str(row["gemeenten"]).split(";") if g in table.index]
    refs += [(i, "land") for i in table.index[table["kind"] == "land"]]
    for rid, kind in [(fid, "focus"), *refs]:
        for d in reg.DOMAINS:  # each panel's own gemeente under one legend entry (one mark, one meaning)
            long.append(
                {
                    "panel": names[fid],
                    "gebied": own if kind == "gemeente" else names[rid],
                    "naam": names[rid],
                    "domein": dom_labels[d],
                    "kind": kind,
                    "plaats": num(scores(table.loc[rid]).domain(d).rank),
                }
            )
chart_df = pd.DataFrame(long).dropna(subset=["plaats"])
lands = list(table.index[table["kind"] == "land"])
legend_names = [names[i] for i in focus_rows.index] + [own] + [names[i] for i in lands]
colours = (
    [FOCUS_COLOURS[i % len(FOCUS_COLOURS)] for i in range(len(focus_rows))]
    + [style["gemeente"]["colour"]]
    + [style["land"]["colour"]] * len(lands)
)
shapes = [FOCUS_MARKER["vega"]] * len(focus_rows) + [style["gemeente"]["vega"]] + [style["land"]["vega"]] * len(lands)
n_cols = len(focus_rows) if len(focus_rows) <= 6 else math.ceil(len(focus_rows) / 2)
panel_w = max(80, int(630 / n_cols) - 24)  # fits the main column at 1280 px with the sidebar open
base = alt.Chart(chart_df)
shade = base.mark_rect(color="#f4cccc", opacity=0.6, aria=False).encode(  # the worst band: decorative
    x=alt.datum(100 - band), x2=alt.datum(100)
)
points = base.mark_point(size=150, filled=True, opacity=0.95).encode(
    x=alt.X("plaats:Q", title=t("rank", lang), scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(values=[0, 50, 100])),
    y=alt.Y("domein:N", title=None, scale=alt.Scale(domain=list(dom_labels.values()))),
    color=alt.Color(
        "gebied:N",
        title=t("area", lang),
        scale=alt.Scale(domain=legend_names, range=colours),
        legend=alt.Legend(orient="bottom", columns=4, labelLimit=260),
    ),
    shape=alt.Shape("gebied:N", title=t("area", lang), scale=alt.Scale(domain=legend_names, range=shapes)),
    tooltip=["panel", alt.Tooltip("naam:N", title=t("area", lang)), "domein", alt.Tooltip("plaats:Q", format=".0f")],
)
chart = (
    alt.layer(shade, points)
    .properties(width=panel_w, height=34 * len(dom_labels))
    .facet(
        facet=alt.Facet(
            "panel:N",
            title=None,
            sort=[names[i] for i in focus_rows.index],
            header=alt.Header(
                labelFontSize=13,
                labelFontWeight="bold",
                labelLimit=panel_w + 20,
                # a long name is split at its last space (two lines), never cut off
                labelExpr="length(datum.label) > 14 && lastindexof(datum.label, ' ') > 0 ? "
                "[substring(datum.label, 0, lastindexof(datum.label, ' ')), "
                "substring(datum.label, lastindexof(datum.label, ' ') + 1)] "
                ": datum.label",
            ),
        ),
        columns=n_cols,
    )
    .configure_axis(labelFontSize=13, titleFontSize=13, labelLimit=150, labelColor="#1a1a1a", titleColor="#1a1a1a")
    .configure_legend(labelFontSize=13, titleFontSize=13)
)
st.header(t("side_by_side", lang))
st.altair_chart(chart, width="content")
for line in healthui.absent_lines(view, level, view.weight_map(widgets.domain_ids())):  # an empty Health panel
    st.caption(fmt.md_message(line))

# --- one plain sentence per focus area, side by side (at most 3 per row) --------------------------------
per_row = min(3, len(focus_rows))
for start in range(0, len(focus_rows), per_row):
    cols = st.columns(per_row)
    for col, fid in zip(cols, list(focus_rows.index)[start : start + per_row]):
        with col:
            st.subheader(fmt.md(names[fid]))
            # the same sentence as the profile, presentation mode and PDF: "k van de n bekende domeinen (van m)",
            # each flagged domain with its own base (never "van Nederland" for a fallback base)
            widgets.sentence(reports.focus_sentence_for(view, fid, table))
            if st.button(t("page_buurtprofiel", lang), key=f"b_open_{fid}", icon=":material/location_on:"):
                widgets.update(fopen=fid, page="buurtprofiel")
                widgets.go("pages/buurtprofiel.py")  # with the view in the address bar

# --- the table: rows per domain and indicator, one column per focus area, then the references ------------
show = (
    st.segmented_control(
        t("display_as", lang),
        ["pct", "abs"],
        default="pct",
        key="w_show",
        format_func=lambda x: t("unit_pct" if x == "pct" else "unit_abs", lang),
    )
    or "pct"
)
basis = (
    st.segmented_control(
        t("basis_label", lang),
        ["households", "persons"],
        default="households",
        key="w_basis",
        format_func=lambda x: t(f"basis_{x}", lang),
    )
    or "households"
)
counts = data.counts() if show == "abs" else None
refs = ", ".join(names[i] for i in table.index[table["kind"] != "focus"])
st.caption(t("side_caption", lang, refs=fmt.md_text(refs), ref=ref_word))
side = tables.side_by_side(table, lang, counts, basis)
# A static table laid out to the column width: headers and labels wrap, so no column is cut off at 1280 px.
st.html(
    '<style>[data-testid="stTable"] table{table-layout:fixed;width:100%;font-size:0.8rem}'
    '[data-testid="stTable"] th,[data-testid="stTable"] th *,[data-testid="stTable"] td{white-space:normal'
    " !important;overflow-wrap:anywhere !important;padding:0.2rem 0.2rem !important}"
    '[data-testid="stTable"] thead th{font-size:0.72rem}[data-testid="stTable"] thead th:first-child{width:21%}</style>'
)
st.table(tables.for_st_table(tables.side_by_side_display(side, lang)))
# the table export the PDF points to ("zie de tabelexport"): every key figure of the PDF, full precision
try:
    csv_zip, xlsx = table_exports(
        tables.focus_figures(table, lang),
        title=t("fx_title", lang),
        year=view.year,
        reference=ref_word,
        weights=view.weight_map(widgets.domain_ids()) if view.weights else None,
        sources=ranking_sources(view.year, data.table_id, loaders.citations()),
        lang=lang,
        stem=f"stapelkaart_focusgebieden_{view.year}",
    )
    x1, x2 = st.columns(2)
    x1.download_button(
        t("fx_csv", lang),
        csv_zip,
        help=t("fx_help", lang),
        key="dl_fx_csv",
        file_name=f"stapelkaart_focusgebieden_{view.year}_csv.zip",
        mime="application/zip",
    )
    x2.download_button(
        t("fx_xlsx", lang),
        xlsx,
        help=t("fx_help", lang),
        key="dl_fx_xlsx",
        file_name=f"stapelkaart_focusgebieden_{view.year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
except StapelkaartError as exc:
    st.error(t("export_failed", lang, error=fmt.md_message(exc.text(lang))))
if st.button(t("export_pdf_make", lang), key="b_pdf"):
    try:
        st.download_button(
            t("export_pdf_download", lang),
            reports.focus_pdf(view, data),
            key="dl_pdf",
            mime="application/pdf",
            file_name=f"stapelkaart_focusgebieden_{view.year}.pdf",
        )
    except Exception as exc:  # noqa: BLE001 (a known failure in words, anything else logged under an error id)
        widgets.export_error(exc, lang)
healthui.compare_section(view, data.focus.compared, gm_names)  # health 2020/2022 -> 2024
st.caption(t("attribution", lang))
