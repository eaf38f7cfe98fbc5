"""Methode & bronnen: generated from the indicator registry, plus data freshness and attribution."""

from __future__ import annotations

import streamlit as st

from indicators import method
from indicators import registry as reg

from pages._common import loaders, shell, tables, widgets
from pages._common.i18n import label, t

view = shell.page_view("methode")
lang = view.lang
st.title(t("page_methode", lang))
st.write(t("method_intro", lang))
settings = loaders.score_settings(view)
st.markdown(t("reference_text", lang, ref=t(f"ref_{view.reference}", lang)))

for d in reg.DOMAINS.values():
    st.subheader(label(d, lang))
    st.write(d.description.get(lang, d.description["nl"]))
    for ind in [i for i in reg.INDICATORS.values() if i.domain == d.id]:
        with st.expander(label(ind, lang)):
            st.markdown(tables.indicator_method(ind, lang, view.year, float(settings["min_population"])))

# The rules in the words of indicators.method / indicators.hotspots: the same sentences as legend, tooltip, PDF.
st.subheader(t("stacking_rule", lang))
st.write(method.STACKING_RULE[lang])
st.caption(t("min_population_rule", lang, n=f"{float(settings['min_population']):g}"))
st.subheader(t("reference", lang))
st.write(method.REFERENCE_RULE[lang])
st.subheader(t("composite_rule", lang))
wmap = view.weight_map(widgets.domain_ids())
st.write(t("composite_text", lang, weights=", ".join(f"{label(reg.DOMAINS[k], lang)} = {v:g}" for k, v in wmap.items())))
st.caption(loaders.RANK_RULE[lang])
st.subheader(t("method_smoothing", lang))
st.write(method.SMOOTHING_RULE[lang])
st.subheader(t("method_bijstand", lang))
st.write(method.BIJSTAND_RULE[lang])
st.subheader(t("hotspots", lang).replace("Toon h", "H").replace("Show h", "H"))
st.write(t("hotspot_rule_line", lang, rule=loaders.hotspot_rule_text(**loaders.HOTSPOT, lang=lang)))
st.subheader(t("not_scored", lang))
st.write(reg.METHOD_TEXT.get(lang, reg.METHOD_TEXT["nl"]))
st.write(t("context_text", lang))
for ind in [i for i in reg.INDICATORS.values() if not i.scored and not i.variant_of]:
    st.caption(f"{label(ind, lang)}: {ind.description.get(lang, ind.description['nl'])}")

st.subheader(t("freshness", lang))
fresh = loaders.freshness()
if fresh.empty:
    st.write(t("nothing_cached", lang))
else:
    st.dataframe(fresh, hide_index=True, width="stretch")
st.subheader(t("licence", lang))
st.write(t("licence_text", lang))
