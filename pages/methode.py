"""Methode & bronnen: generated from the indicator registry, plus data freshness and attribution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from indicators import method, methodrules
from indicators import registry as reg
from indicators.hotspots import rule_text as hotspot_rule_text
from indicators.tables import RANK_RULE
from pages._common import fmt, healthui, loaders, methodtext, shell, tables, widgets
from pages._common.i18n import label, t

view = shell.page_view("methode")
lang = view.lang
st.title(t("page_methode", lang))
st.write(t("method_intro", lang))
facts = loaders.method(view)
settings = facts.settings
st.markdown(t("reference_text", lang, ref=t(f"ref_{view.reference}", lang)))

# the sources the scores of this view actually used (coverage), e.g. the income file for armoede; none without data
result = facts.result
coverage = result.coverage.set_index("indicator") if result is not None else pd.DataFrame()
for d in reg.DOMAINS.values():
    st.subheader(label(d, lang))
    st.write(d.description.get(lang, d.description["nl"]))
    for ind in [i for i in reg.INDICATORS.values() if i.domain == d.id]:
        with st.expander(label(ind, lang)):
            st.markdown(
                methodtext.indicator_method(
                    ind,
                    lang,
                    view.year,
                    float(settings["min_population"]),
                    facts.table_id,
                    coverage.loc[ind.id] if ind.id in coverage.index else None,
                )
            )

# The rules in the words of indicators.method / indicators.hotspots: the same sentences as legend, tooltip, PDF.
st.subheader(t("stacking_rule", lang))
st.write(method.STACKING_RULE[lang])
st.caption(t("min_population_rule", lang, n=fmt.fmt_num(settings["min_population"], None, lang)))
st.subheader(t("reference", lang))
st.write(method.REFERENCE_RULE[lang])
st.subheader(t("method_availability", lang))  # rules D1, D2, minima: generated from the engine's settings
for title, text in method.availability_rules({**settings, **(result.settings if result is not None else {})}, lang):
    st.markdown(f"**{title}.** {text}")
for title, text in methodrules.computation_rules(settings, lang):  # issue 21: the rules the recount needed
    st.markdown(f"**{title}.** {text}")
st.subheader(t("composite_rule", lang))
wmap = view.weight_map(widgets.domain_ids())
st.write(
    t(
        "composite_text",
        lang,
        weights=", ".join(f"{label(reg.DOMAINS[k], lang)} = {fmt.fmt_num(v, None, lang)}" for k, v in wmap.items()),
    )
)
st.caption(RANK_RULE[lang])
st.subheader(t("method_health_title", lang))
st.markdown(
    t("method_health", lang, years=", ".join(str(y) for y in reg.INDICATORS["ervaren_gezondheid_niet_goed"].years))
)
st.caption(t("method_health_status", lang, status=fmt.md(healthui.status_text(facts.health, view.year, lang))))
st.markdown(f"**{t('health_measures_title', lang)}**")
st.caption(t("health_measures_caption", lang))
st.dataframe(healthui.measures_table(facts.health_measures, lang), hide_index=True)
st.subheader(t("method_smoothing", lang))
st.write(method.SMOOTHING_RULE[lang])
st.subheader(t("method_bijstand", lang))
st.write(method.BIJSTAND_RULE[lang])
st.subheader(t("hotspots", lang).replace("Toon h", "H").replace("Show h", "H"))
st.write(t("hotspot_rule_line", lang, rule=hotspot_rule_text(**facts.hotspot, lang=lang)))
st.subheader(t("not_scored", lang))
st.write(reg.METHOD_TEXT.get(lang, reg.METHOD_TEXT["nl"]))
st.write(t("context_text", lang))
for ind in [i for i in reg.INDICATORS.values() if not i.scored and not i.variant_of]:
    st.caption(f"{label(ind, lang)}: {ind.description.get(lang, ind.description['nl'])}")
    if ind.id in coverage.index:
        st.caption(
            methodtext.indicator_method(
                ind,
                lang,
                view.year,
                float(settings["min_population"]),
                facts.table_id,
                coverage.loc[ind.id],
            ).split("\n", 1)[1]
        )

st.subheader(t("freshness", lang))
if facts.freshness.empty:
    st.write(t("nothing_cached", lang))
else:
    st.dataframe(tables.freshness(facts.freshness, lang), hide_index=True, width="stretch")  # words, not raw keys
st.subheader(t("licence", lang))
st.write(t("licence_text", lang))
