"""Buurtprofiel: one wijk/buurt or one focus area (aggregated). Why it is flagged, every indicator, its stacking
and rank interval, trend, and what changed between two kept versions of the data."""

from __future__ import annotations

import streamlit as st

from core.codes import level_of_code
from indicators.method import stacking_text
from indicators.result import scores
from indicators.tables import num, older_years, stacked
from pages._common import (
    changesui,
    fmt,
    focusui,
    healthui,
    loaders,
    narrative,
    reasons,
    reports,
    session,
    shell,
    tables,
    widgets,
    wording,
)
from pages._common.i18n import t
from pages._common.scoring import rank_interval

view = shell.page_view("buurtprofiel")
lang = view.lang
st.title(t("page_buurtprofiel", lang))
changesui.version_notice(view)

try:
    with st.spinner(t("loading", lang)):
        data = loaders.profile(view)
except Exception as exc:  # noqa: BLE001
    widgets.show_error(exc, lang, t("loading", lang).rstrip("…").lower())
    shell.end_page()
scored = data.scored
for text in data.notices:  # stale copies / degraded sources the data layer reported
    st.warning(fmt.md_message(text), icon=":material/warning:")
for note in scored.notes:
    st.info(t(note, lang, year=view.year))
table = scored.table
if table.empty:
    shell.end_page()

names = {c: (n if isinstance(n, str) else c) for c, n in zip(table["code"], table["name"])}
focus = {f"fa:{f.id}": f for f in data.focus_areas}
options = [*focus, *sorted(names, key=lambda c: names[c])]
st.selectbox(
    t("profile_pick", lang),
    options,
    format_func=lambda c: t("profile_focus", lang, name=focus[c].name) if c in focus else f"{names[c]} ({c})",
    placeholder=t("no_area", lang),
    **session.bind_profile_pick("w_profile_area", options),
)
if view.fopen and f"fa:{view.fopen}" in focus:
    from pages._common import focusprofile  # the focus-area variant of this page

    focusprofile.show(view, focus[f"fa:{view.fopen}"])
    shell.end_page()
if not view.area or view.area not in names:
    st.info(t("no_area", lang))
    shell.end_page()

row = table.loc[view.area]
st.header(fmt.md(f"{names[view.area]} ({view.area})"))
band = reports.worst_band(scored.result.settings if scored.result is not None else {})
ref_text = scored.result.reference.text(lang) if scored.result is not None else view.reference
if isinstance(row.get("suppressed_reason"), str) and row.get("suppressed_reason"):
    st.warning(t("suppressed", lang, reason=fmt.md(reasons.suppressed_text(row["suppressed_reason"], lang))))

comp = scores(row).composite
m1, m2, m3 = st.columns(3)
m1.metric(t("composite", lang), fmt.fmt_num(comp.value, 1, lang))
m2.metric(t("stacking_count", lang), fmt.fmt_num(scores(row).stacking.k, 0, lang))
st.caption(t("stacking_line", lang, text=stacking_text(row, lang)))
lo, hi, now = rank_interval(scored, view.area)
m3.metric(t("tooltip_rank", lang), f"{now}" if now else "–")
if not row.get("suppressed") and num(comp.value) != num(comp.value):
    st.caption(
        t(
            "composite_withheld",
            lang,
            n=reasons.count(comp.n),  # why: not "–"
            need=reasons.count(comp.need),
            m=reasons.count(comp.m),
        )
    )
st.caption(t("rank_interval_data", lang, lo=lo, hi=hi, now=now) if now else t("rank_interval_na", lang))

st.subheader(t("why_flagged", lang))
flagged = stacked(row)
bases = wording.base_labels(scored.result, lang)  # the bases' labels in the user's language
st.write(
    fmt.md(
        narrative.area_sentence(
            row,
            names[view.area],
            year=view.year,
            lang=lang,
            labels=bases,
            older_years=older_years(row, view.year),
        )
    )
)
for line in wording.flagged_domain_lines(row, flagged, band, bases, lang):
    st.markdown(line)

st.subheader(t("all_indicators", lang))
st.dataframe(tables.indicator_profile(row, lang, ref_text, bases), hide_index=True, width="stretch")
gm_names = loaders.catalogue(view.year).names
why = reasons.reasons(
    row, lang, gemeente=gm_names.get(row.get("gemeente_code"), row.get("gemeente_code") or ""), level=view.level
)
if why:  # every missing value or rank with its reason (rules D1, D2, suppression; the method page states them)
    st.markdown(f"**{t('why_missing', lang)}**\n\n" + "\n".join(f"- {fmt.md(w)}" for w in why))

areas = data.focus_areas
if areas and level_of_code(view.area) in ("wijk", "buurt"):
    area_label = fmt.label(fmt.area_name(names.get(view.area), view.area))  # "Poelenburg (WK047912)"
    with st.expander(t("add_to_focus", lang, area=area_label)):
        target = st.selectbox(
            t("fa_title", lang),
            range(len(areas)),
            key="w_add_target",
            format_func=lambda i: areas[i].name,
            placeholder=t("choose_one", lang),
        )
        if st.button(t("fa_add_selected_button", lang, area=area_label), key="b_add_focus"):
            focusui.add_member(view, areas[target].id, view.area)

st.subheader(t("trend", lang))
years = data.years
if len(years) <= 1:
    st.info(t("trend_one_year", lang, year=years[0] if years else view.year))
else:
    st.caption(t("trend_boundaries", lang))
    tr = data.trend
    if tr is not None and not tr.empty:
        st.line_chart(tr[tr["comparable"]].set_index("year")["value"])
        st.dataframe(tables.shown(tr, None, lang), hide_index=True)
healthui.profile_section(view, view.area, level_of_code(view.area) or view.level)
changesui.section(view, [view.area], [], names[view.area])
st.caption(t("attribution", lang))
