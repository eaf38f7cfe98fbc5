"""Vergelijken: each focus area next to its gemeente and Nederland, one plain sentence first."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from indicators import registry as reg
from pages._common import loaders, reports, tables, widgets
from pages._common.i18n import label, t
from pages._common.narrative import focus_sentence

view = widgets.page_view("vergelijken")
lang = view.lang
st.title(t("page_vergelijken", lang))
band = reports.worst_band(loaders.score_settings(view))   # the engine setting behind stacking
st.caption(t("compare_intro", lang, band=f"{band:g}"))

try:
    with st.spinner(t("loading", lang)):
        table = loaders.focus_table(view, view.weight_map(widgets.domain_ids()))
except Exception as exc:  # noqa: BLE001
    widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
    st.stop()
if table.empty:
    st.info(t("no_focus", lang))
    st.stop()

dom_labels = {d: label(reg.DOMAINS[d], lang) for d in reg.DOMAINS}
show = st.segmented_control(t("display_as", lang), ["pct", "abs"], default="pct", key="w_show",
                            format_func=lambda x: t("unit_pct" if x == "pct" else "unit_abs", lang)) or "pct"
basis = st.segmented_control(t("basis_label", lang), ["households", "persons"], default="households", key="w_basis",
                             format_func=lambda x: t(f"basis_{x}", lang)) or "households"
focus_rows = table[table["kind"] == "focus"]
for fid, row in focus_rows.iterrows():
    f = loaders.focus_by_id(fid)
    name = reports.focus_name(f, lang) if f else str(row["name"])
    st.header(name)
    ranks = loaders.domain_ranks(row)
    flagged = loaders.stacked(row)
    ref_word = t("ref_short_" + view.reference, lang)
    widgets.sentence(focus_sentence(name, ranks, year=view.year, worst_band=band, flagged=flagged,
                                    older_years=loaders.older_years(row, view.year),
                                    labels={d: dom_labels[d].lower() for d in dom_labels},
                                    reference=ref_word, lang=lang))
    comparators = table[(table["kind"] != "focus") & ((table["id"] == f.gemeente_code) | (table["kind"] == "land"))] \
        if f else table[table["kind"] != "focus"]
    rows = pd.concat([row.to_frame().T, comparators])
    long = [{"gebied": (name if r["kind"] == "focus" else (t("nederland", lang) if r["kind"] == "land" else r["name"])),
             "domein": dom_labels[d], "plaats": r.get(f"domain__{d}")} for _, r in rows.iterrows() for d in reg.DOMAINS]
    chart_df = pd.DataFrame(long)
    chart_df["plaats"] = pd.to_numeric(chart_df["plaats"], errors="coerce")
    shade = alt.Chart(pd.DataFrame({"x": [100 - band], "x2": [100]})).mark_rect(color="#f4cccc", opacity=0.6).encode(
        x=alt.X("x:Q", title=t("rank", lang), scale=alt.Scale(domain=[0, 100])), x2="x2:Q")
    points = alt.Chart(chart_df.dropna()).mark_point(size=220, filled=True).encode(
        x="plaats:Q", y=alt.Y("domein:N", title=t("domain", lang), scale=alt.Scale(domain=list(dom_labels.values()))),
        color=alt.Color("gebied:N", title=t("area", lang), scale=alt.Scale(range=["#1f4e79", "#b35806", "#4d4d4d"])),
        shape=alt.Shape("gebied:N", title=t("area", lang)),
        tooltip=["gebied", "domein", alt.Tooltip("plaats:Q", format=".0f")])
    st.altair_chart((shade + points).properties(height=60 * len(dom_labels)).configure_axis(
        labelFontSize=16, titleFontSize=16, labelLimit=320, labelColor="#1a1a1a", titleColor="#1a1a1a").configure_legend(
        labelFontSize=15, titleFontSize=15, labelColor="#1a1a1a", titleColor="#1a1a1a"), width="stretch")
    counts = None
    if show == "abs" and f is not None:
        counts = loaders.focus_counts(view, {fid: f.codes, **{g: (g,) for g in rows.index if g != fid}})
    st.dataframe(tables.indicator_comparison(rows, lang, name, counts, basis), hide_index=True, width="stretch")
if st.button(t("export_pdf", lang), key="b_pdf"):
    try:
        st.download_button(t("export_pdf", lang), reports.focus_pdf(view), key="dl_pdf", mime="application/pdf",
                           file_name=f"stapelkaart_focusgebieden_{view.year}.pdf")
    except Exception as exc:  # noqa: BLE001
        st.error(t("export_failed", lang, error=getattr(exc, "message", type(exc).__name__)))
st.caption(t("attribution", lang))
