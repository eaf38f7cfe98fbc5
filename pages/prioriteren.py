"""Prioriteren: ranked table with adjustable domain weights, filters and CSV/XLSX export."""

from __future__ import annotations

import streamlit as st

from indicators import registry as reg
from indicators.tables import RANK_RULE
from pages._common import changesui, fmt, loaders, reports, shell, tables, widgets
from pages._common.i18n import label, t

view = shell.page_view("prioriteren")
lang = view.lang
domains = widgets.domain_ids()
st.title(t("page_prioriteren", lang))
changesui.version_notice(view)  # a view that reads an older kept version says so

# --- weights (default equal, shown, reset): the same sliders as on the Kaart, bound to the view ---
with st.expander(t("weights", lang), expanded=True):
    st.button(t("weights_reset", lang), key="b_reset", on_click=widgets.reset_weights)
    for col, d in zip(st.columns(len(domains)), domains):
        widgets.weight_slider(col, d, lang, view.level)
    widgets.weights_notice(lang)
wmap = view.weight_map(domains)
used = (
    t("weights_equal", lang)
    if not view.weights
    else ", ".join(f"{label(reg.DOMAINS[d], lang)} {fmt.fmt_num(w, None, lang)}" for d, w in wmap.items())
)
st.markdown(t("weights_used", lang, weights=used))

try:
    with st.spinner(t("loading", lang)):
        data = loaders.ranking(view)
except Exception as exc:  # noqa: BLE001
    widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
    shell.end_page()
scored = data.scored
for note in scored.notes:
    st.info(t(note, lang, year=view.year))
widgets.coverage_warning(scored, lang)
for text in data.notices:  # stale copies / degraded sources the data layer reported
    st.warning(fmt.md_message(text), icon=":material/warning:")

# --- filters ---
names = loaders.catalogue(view.year).names
f1, f2, f3 = st.columns(3)
gm = f1.multiselect(
    t("filter_gemeente", lang),
    list(view.gemeenten),
    default=list(view.gemeenten),
    format_func=lambda c: names.get(c, c),
    placeholder=t("gm_pick_placeholder", lang),  # not Streamlit's "Choose options"
    key="w_filter_gm",
)
min_pop = f2.number_input(
    t("min_population", lang),
    0,
    100_000,
    int(data.settings["min_population"]),
    step=100,
    key="w_min_pop",
)
min_stack = f3.number_input(t("min_stacking_known", lang), 0, len(domains), 0, key="w_min_stack")
ranked = tables.ranked(scored.table, gm, min_pop, min_stack, lang)
st.caption(t("n_shown", lang, n=len(ranked), total=len(scored.table)))
st.caption(RANK_RULE[lang])
if min_stack and len(ranked):
    n_col, m_col = ranked[t("stacking_known_col", lang)], ranked[t("stacking_m_col", lang)]
    st.caption(
        t(
            "stacking_filter_note",
            lang,
            k=int(min_stack),
            m=int(m_col.max()),
            unknown=int((n_col.fillna(0) < m_col).sum()),
        )
    )
st.dataframe(tables.shown(ranked, ["#", t("composite", lang)], lang), hide_index=True, width="stretch", key="ranked")

ref = scored.result.reference.text(lang) if scored.result is not None else view.reference
try:
    csv, xlsx = reports.exports(ranked, view, ref, wmap if view.weights else None, scored)
    e1, e2 = st.columns(2)
    e1.download_button(
        t("export_csv", lang),
        csv,
        file_name=f"stapelkaart_{view.year}_{view.level}_csv.zip",
        mime="application/zip",
        key="dl_csv",
    )
    e2.download_button(
        t("export_xlsx", lang),
        xlsx,
        file_name=f"stapelkaart_{view.year}_{view.level}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_xlsx",
    )
    st.caption(t("export_note", lang))
except Exception as exc:  # noqa: BLE001 (a known failure in words, anything else logged under an error id)
    widgets.export_error(exc, lang)
st.caption(t("attribution", lang))
