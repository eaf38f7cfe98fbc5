"""Buurtprofiel of a focus area: the same profile as for a wijk, aggregated by summed numerators and
denominators (indicators.focusscore.focus_profile), with its members listed and what changed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.errors import StapelkaartError
from indicators.focus import source_text
from indicators.result import scores
from indicators.tables import num, stacked
from pages._common import (
    changesui,
    fmt,
    healthui,
    loaders,
    reasons,
    reports,
    tables,
    widgets,
    wording,
)
from pages._common.i18n import t


def show(view, area) -> None:
    lang = view.lang
    try:
        with st.spinner(t("loading", lang)):
            data = loaders.focus_profile(view, area, view.weight_map(widgets.domain_ids()))
    except StapelkaartError as exc:
        st.error(exc.text(lang))
        return
    st.header(fmt.md(t("profile_focus", lang, name=area.name)))
    st.caption(
        t("profile_focus_caption", lang, n=len(area.codes))
        + (f" {fmt.md(source_text(area.source, lang))}" if area.source else "")
    )
    row, members, scored = data.row, data.members, data.scored
    band = reports.worst_band(data.settings)
    if isinstance(row.get("suppressed_reason"), str) and row.get("suppressed_reason"):
        st.warning(t("suppressed", lang, reason=fmt.md(reasons.suppressed_text(row["suppressed_reason"], lang))))
    comp = scores(row).composite
    m1, m2, m3 = st.columns(3)
    m1.metric(t("composite", lang), fmt.fmt_num(comp.value, 1, lang))
    m2.metric(t("stacking_count", lang), fmt.fmt_num(scores(row).stacking.k, 0, lang))
    m3.metric(t("members", lang), str(len(area.codes)))
    if not row.get("suppressed") and num(comp.value) != num(comp.value):
        st.caption(
            t(
                "composite_withheld",
                lang,
                n=reasons.count(comp.n),
                need=reasons.count(comp.need),
                m=reasons.count(comp.m),
            )
        )
    st.subheader(t("why_flagged", lang))
    flagged = stacked(row)
    ref_nl = str(row.get("reference") or "")  # the engine's label is Dutch: the same Reference in the user's language
    ref = scored.result.reference if scored.result is not None else None
    ref_text = ref.text(lang) if ref is not None and ref.text("nl") == ref_nl else (ref_nl or view.reference)
    bases = wording.base_labels(scored.result, lang)  # the bases' labels in the user's language
    if not flagged:
        st.write(t("not_flagged", lang, band=f"{band:g}", ref=ref_text))
    for line in wording.flagged_domain_lines(row, flagged, band, bases, lang):
        st.markdown(line)
    st.subheader(t("all_indicators", lang))
    st.dataframe(tables.indicator_profile(row, lang, ref_text, bases), hide_index=True, width="stretch")
    gm_names = data.gemeente_names
    member_names = {c: (n if isinstance(n, str) else c) for c, n in zip(members.index, members["name"])}
    why = reasons.reasons(
        row,
        lang,
        gemeente=gm_names.get(area.gemeente_code or "", area.gemeente_code or ""),
        level=area.level or "wijk",
        names=member_names,
    )
    if why:  # which members lack what (the 90 % coverage rule), bases too small, values dropped
        st.markdown(f"**{t('why_missing', lang)}**\n\n" + "\n".join(f"- {fmt.md(w)}" for w in why))
    st.subheader(t("members", lang))
    pop = members["population"] if "population" in members.columns else pd.Series(index=members.index, dtype=float)
    st.dataframe(
        pd.DataFrame(
            {
                "code": list(members.index),
                t("area", lang): members["name"].to_numpy(),
                t("filter_gemeente", lang): members["gemeente_code"].to_numpy(),
                t("min_population", lang).split()[-1].capitalize(): pd.to_numeric(pop).to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    healthui.compare_section(view, [area], gm_names)  # health 2020/2022 -> 2024 of the area, its gemeente, NL
    changesui.section(view, [], [area], area.name)
    st.caption(t("attribution", lang))
