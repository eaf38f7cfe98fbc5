"""'Wat is er veranderd': per area or focus area, between two kept versions of the KWB table (Buurtprofiel).

The versions come from the cache (``data.cbs.kwb_versions``: CBS ``Modified`` + fetch time). Default: the
previous kept version against the newest. "Terug naar de vorige versie" is a choice of this view (the ``kv``
URL parameter): the shared cache is not changed, so nobody else's view changes.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data.errors import StapelkaartError
from indicators import registry as reg
from pages._common import fmt, loaders, widgets
from pages._common.i18n import label, t


def _value(v, lang: str) -> str:
    """A KWB figure as published: whole numbers without decimals, missing as '–'."""
    if v is None or isinstance(v, str):
        return "–" if v is None else str(v)
    f = float(v)
    return fmt.fmt_num(f, 0 if f.is_integer() else 1, lang)


def _date(v: dict) -> str:
    return str(v.get("modified") or "?")[:10]


def version_notice(view) -> None:
    """Say when this view reads an older kept version, with the way back to the newest."""
    if view.kv:
        st.warning(t("view_version", view.lang, date=view.kv[:10]), icon=":material/history:")
        if st.button(t("use_current", view.lang), key="b_kv_current"):
            widgets.update(kv=None)
            st.rerun()


def _scores(view, gms, level, modified, areas) -> pd.DataFrame:
    v = view.with_(kv=modified)
    table = loaders.scored(gms, view.year, level, view.reference, None, modified).table
    if areas:
        table = pd.concat([table, loaders.focus_table(v, None, list(areas))[lambda d: d["kind"] == "focus"]])
    return table


def section(view, codes: list[str], areas: list, name: str) -> None:
    """The 'Wat is er veranderd' section for ``codes`` (an area) or ``areas`` (a focus area)."""
    lang = view.lang
    st.subheader(t("changed_title", lang))
    gms = loaders.focus_gemeenten(view, areas) if areas else view.gemeenten
    level = areas[0].level if areas else view.level
    try:
        kept = loaders.versions(tuple(sorted(gms)), view.year)
    except StapelkaartError as exc:
        st.info(exc.text(lang))
        return
    if len(kept) < 2:
        st.info(t("changed_one", lang, version=", ".join(f"CBS {_date(v)}" for v in kept) or "–"))
        return
    dates = [v["modified"] for v in kept]
    labels = {v["modified"]: t("changed_version_label", lang, date=_date(v), fetched=str(v["fetched_at"])[:10])
              for v in kept}
    c1, c2 = st.columns(2)
    old = c1.selectbox(t("changed_old", lang), dates, index=len(dates) - 2, key="w_changed_old",
                       format_func=labels.get)
    new = c2.selectbox(t("changed_new", lang), dates, index=len(dates) - 1, key="w_changed_new",
                       format_func=labels.get)
    try:
        old_frame = loaders.kwb(tuple(sorted(gms)), view.year, old)
        new_frame = loaders.kwb(tuple(sorted(gms)), view.year, new)
        ch = loaders.what_changed(old_frame, new_frame, codes, focus_areas=areas,
                                  old_scores=_scores(view, gms, level, old, areas),
                                  new_scores=_scores(view, gms, level, new, areas))
    except StapelkaartError as exc:
        st.error(exc.text(lang))
        return
    st.caption(t("changed_versions", lang, old=ch.old.text(lang), new=ch.new.text(lang)))
    ids = [*codes, *(a.id for a in areas)]
    for aid in ids:
        if aid in ch.not_comparable:
            st.info(f"{fmt.md(aid)}: {fmt.md(ch.not_comparable[aid])}")
            continue
        arow = ch.areas[ch.areas["area"] == aid]
        if len(arow):
            r = arow.iloc[0]
            st.markdown(t("changed_stacking", lang, old=fmt.fmt_num(r["stacking_old"], 0, lang),
                          new=fmt.fmt_num(r["stacking_new"], 0, lang), cold=fmt.fmt_num(r["composite_old"], 1, lang),
                          cnew=fmt.fmt_num(r["composite_new"], 1, lang)))
        figs = ch.figures[ch.figures["area"] == aid]
        if figs.empty:
            st.success(t("changed_none", lang, area=name))
        else:
            st.markdown(f"**{t('changed_figures', lang, n=len(figs))}**")
            st.dataframe(pd.DataFrame({
                "code": figs["member"], t("col_variable", lang): figs["title"],
                "variable": figs["variable"], t("col_status", lang): figs["status"].map(
                    lambda s: loaders.CHANGE_STATUS[s][lang]),
                t("col_old", lang): [_value(v, lang) for v in figs["old"]],
                t("col_new", lang): [_value(v, lang) for v in figs["new"]]}),
                hide_index=True, width="stretch")
        inds = ch.indicators[ch.indicators["area"] == aid]
        if len(inds):
            st.markdown(f"**{t('changed_indicators', lang)}**")
            st.dataframe(pd.DataFrame({
                t("indicator", lang): [label(reg.INDICATORS[i], lang) for i in inds["indicator"]],
                t("col_old", lang): [fmt.fmt_num(v, 1, lang) for v in inds["old"]],
                t("col_new", lang): [fmt.fmt_num(v, 1, lang) for v in inds["new"]],
                t("col_rank_move", lang): [f"{fmt.fmt_num(a, 0, lang)} → {fmt.fmt_num(b, 0, lang)}"
                                           for a, b in zip(inds["rank_old"], inds["rank_new"])]}),
                hide_index=True, width="stretch")
    if old != dates[-1] and view.kv != old:
        if st.button(t("use_version", lang, date=old[:10]), key="b_kv_old"):
            widgets.update(kv=old)
            st.rerun()

