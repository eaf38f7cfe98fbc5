"""The measure in words for the map component (components/deckmap): tooltip fields and legend lines.

Every text comes from the score result's typed fields (``indicators.result``) and the rule texts of ``indicators.method`` / ``indicators.hotspots``
(through ``loaders``), so the tooltip, legend, method page, sentence and PDF say the same thing:

* ``tooltip_fields(table, lang)``: per area ``sk_stack`` ("2 van 5 bekend (6 domeinen): werk, wonen";
  "niet genoeg gegevens (0 van 6 bekend)"), ``sk_composite`` ("61,3 (5 van 6 domeinen)") and ``sk_name``;
* ``tooltip_numbers(table, lang)``: the same numbers (k, n, m, composite, its n) as numeric lines for the map
  component (``components.deckmap.field``); ``tooltip_flags(table, lang)``: which domains stack, per area;
* ``legend_lines(result, view)``: the rules that computed the colours (stacking rule, composite base, hotspot
  rule and alpha), one sentence each.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators import method
from indicators import registry as reg
from indicators.result import scores, totals_frame
from pages._common import healthui, loaders
from pages._common.fmt import fmt_num, md
from pages._common.i18n import label, t


def _col(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name] if name in table else pd.Series(pd.NA, index=table.index, dtype="object")


def stack_field(row, lang: str) -> str:
    """ "k van n bekend (m domeinen)" followed by the flagged domains, from one score row."""
    text = method.stacking_text(row, lang)
    names = [label(reg.DOMAINS[d], lang) for d in loaders.stacked(row)]
    return f"{text}: {', '.join(names)}" if names else text


def composite_field(row, lang: str) -> str:
    """The composite with its base: "61,3 (5 van 6 domeinen)"; without a composite the reason in words."""
    comp = scores(row).composite
    n, m = loaders.num(comp.n), loaders.num(comp.m)
    base = t("composite_base", lang, n=int(n), m=int(m)) if np.isfinite(n) and np.isfinite(m) else ""
    value = loaders.num(comp.value)
    if np.isfinite(value):
        return f"{fmt_num(value, 1, lang)} ({base})" if base else fmt_num(value, 1, lang)
    return t("composite_none", lang, base=base) if base else t("not_enough_data", lang)


def area_names(table: pd.DataFrame) -> pd.Series:
    """The area's name, or its code where it has none (``sk_name``)."""
    name = _col(table, "name")
    return name.astype("object").where(name.notna(), _col(table, "code")).astype(str)


def tooltip_fields(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``sk_name``, ``sk_stack`` and ``sk_composite`` per row of ``table`` (a score table or the joined map frame;
    rows without scores, e.g. 'geen gegevens' areas, say 'niet genoeg gegevens')."""
    rows = totals_frame(table).to_dict("records")
    return pd.DataFrame(
        {
            "sk_name": area_names(table).to_numpy(),
            "sk_stack": [stack_field(r, lang) for r in rows],
            "sk_composite": [composite_field(r, lang) for r in rows],
        },
        index=table.index,
    )


def tooltip_numbers(table: pd.DataFrame, lang: str) -> list[dict]:
    """The same measure as numeric tooltip lines for the map component (``components.deckmap.field(**spec)``):
    composite, its n of m domains, stacking k, n known, m; a missing value shows 'niet genoeg gegevens'."""
    na = t("not_enough_data", lang)
    view = scores(table)
    comp, st = view.composite, view.stacking

    def num(col: pd.Series | None) -> np.ndarray:
        col = pd.Series(pd.NA, index=table.index, dtype="object") if col is None else col
        return pd.to_numeric(col, errors="coerce").to_numpy(dtype="float64")

    return [
        {"label": t("composite", lang), "values": num(comp.value), "decimals": 1, "missing": na},
        {"label": t("stacking_count", lang) + " (k)", "values": num(st.k), "decimals": 0, "missing": na},
        {"label": t("stacking_known_col", lang), "values": num(st.n), "decimals": 0, "missing": "0"},
        {"label": t("stacking_m_col", lang), "values": num(st.m), "decimals": 0, "missing": "–"},
        {"label": t("composite_on", lang) + " (n)", "values": num(comp.n), "decimals": 0, "missing": "0"},
    ]


def tooltip_flags(table: pd.DataFrame, lang: str) -> dict:
    """Which domains stack, per area, for ``components.deckmap.flags_field``: bit i = the i-th domain of the
    registry in the worst band (``DomainScores.band``); NaN where no domain is known ('niet genoeg gegevens')."""
    ids = list(reg.DOMAINS)
    view = scores(table)
    na = pd.Series(pd.NA, index=table.index, dtype="object")

    def or_na(col: pd.Series | None) -> pd.Series:
        return na if col is None else col

    bands = (
        np.column_stack(
            [pd.array(or_na(view.domain(d).band), dtype="boolean").fillna(False).to_numpy(dtype=bool) for d in ids]
        )
        if len(table)
        else np.zeros((0, len(ids)), bool)
    )
    masks = (bands * (1 << np.arange(len(ids)))).sum(axis=1).astype(float)
    known = pd.to_numeric(or_na(view.stacking.n), errors="coerce").fillna(0).to_numpy() > 0
    return {
        "label": t("stacking_domains", lang),
        "masks": np.where(known, masks, np.nan),
        "names": [label(reg.DOMAINS[d], lang) for d in ids],
        "missing": t("not_enough_data", lang),
        "none": t("stacking_none", lang),
    }


def base_labels(result, lang: str) -> dict[str, str]:
    """{Dutch label of a base (``IndicatorScores.base_label``, ``DomainScores.base_label``): its label in ``lang``}, from the result's bases (every
    indicator base and every domain base), so an English screen never shows a Dutch base."""
    out: dict[str, str] = {}
    if result is None:
        return out
    for ib in getattr(result.ref_sorted, "bases", {}).values():
        for b in ib.bases.values():
            out[b.label["nl"]] = b.label.get(lang, b.label["nl"])
    for per_key in getattr(result.ref_domains, "labels", {}).values():
        for lab_ in per_key.values():
            out[lab_["nl"]] = lab_.get(lang, lab_["nl"])
    return out


def legend_lines(result, view) -> list[str]:
    """The rules behind the map's colours, in the words of the method page (one line each)."""
    lang = view.lang
    lines = []
    if view.hotspots:
        lines.append(t("hotspot_rule_line", lang, rule=loaders.hotspot_rule_text(**loaders.HOTSPOT, lang=lang)))
    elif view.colour == "stacking":
        lines.append(method.STACKING_RULE[lang])
    elif view.colour == "composite":
        lines.append(t("composite_legend", lang))
    # Heel Nederland: fewer domains with data than the rule's minimum (Wonen only), said in the legend (issue 23)
    basis = loaders.composite_basis_line(result, view.colour, lang) if view.national and not view.hotspots else None
    if basis:
        lines.append(basis)
    if result is not None and view.colour.startswith("ind:"):
        ind = reg.INDICATORS.get(view.colour.partition(":")[2])
        if ind is not None and ind.count_based:
            lines.append(method.SMOOTHING_RULE[lang])
    if view.colour in ("stacking", "composite", "domain:gezondheid", "ind:ervaren_gezondheid_niet_goed"):
        lines += healthui.legend_lines(result, view)  # gezondheid absent (why, m) or its survey year
    return lines


def flagged_domain_lines(row, flagged, band: float, bases: dict, lang: str) -> list[str]:
    """One Markdown list line per flagged domain of a profile row: the domain, its RANK (the flag is decided on
    ranks) against its named base, and the indicators in the worst ``band`` %. Used by the profile of an area
    (Buurtprofiel) and of a focus area (focusprofile.py)."""
    lines = []
    view = scores(row)
    for d in flagged:
        inds = [i for i in reg.scored_indicators(d) if loaders.num(view.indicator(i.id).rank) >= 100 - band]
        dom = view.domain(d)
        ref = dom.base_label
        text = t(
            "flag_domain",
            lang,
            domain=label(reg.DOMAINS[d], lang),
            rank=fmt_num(dom.rank, 0, lang),
            base=md(bases.get(ref, ref)) or "–",
            indicators=", ".join(label(i, lang) for i in inds) or "–",
        )
        lines.append("- " + text)
    return lines
