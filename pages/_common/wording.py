"""The measure in words for the map component (components/deckmap): tooltip fields and legend lines.

Every text comes from the score result's typed fields (``indicators.result``) and the rule texts of ``indicators.method`` / ``indicators.hotspots``
(imported directly), so the tooltip, legend, method page, sentence and PDF say the same thing:

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
from indicators.hotspots import MAP_RULE
from indicators.hotspots import rule_text as hotspot_rule_text
from indicators.result import scores, totals_frame
from indicators.tables import num, stacked
from pages._common import healthui
from pages._common.fmt import fmt_num, md
from pages._common.i18n import label, t
from pages._common.scoring import ENGINE_DEFAULTS, composite_basis


def _col(table: pd.DataFrame, name: str) -> pd.Series:
    return table[name] if name in table else pd.Series(pd.NA, index=table.index, dtype="object")


def stack_field(row, lang: str) -> str:
    """ "k van n bekend (m domeinen)" followed by the flagged domains, from one score row."""
    text = method.stacking_text(row, lang)
    names = [label(reg.DOMAINS[d], lang) for d in stacked(row)]
    return f"{text}: {', '.join(names)}" if names else text


def composite_field(row, lang: str) -> str:
    """The composite with its base: "61,3 (5 van 6 domeinen)"; without a composite the reason in words."""
    comp = scores(row).composite
    n, m = num(comp.n), num(comp.m)
    base = t("composite_base", lang, n=int(n), m=int(m)) if np.isfinite(n) and np.isfinite(m) else ""
    value = num(comp.value)
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


def composite_basis_line(result, colour: str, lang: str) -> str | None:
    """The legend line saying on which domains the composite or stacking colours rest, when that is fewer than
    the domains with a weight (``scoring.composite_basis``); None otherwise or for another colouring."""
    basis = composite_basis(result) if colour in ("composite", "stacking") else None
    if basis is None:
        return None
    with_data, m, need = basis
    names = ", ".join(label(reg.DOMAINS[d], lang) for d in with_data)
    key = "composite_basis_one" if len(with_data) == 1 else "composite_basis_some"
    text = t(key, lang, domains=names, n=len(with_data), m=m, ref=result.reference.text(lang))
    return text + (t("composite_basis_min", lang, min=need) if len(with_data) < need else ".")


def legend_lines(result, view) -> list[str]:
    """The rules behind the map's colours, in the words of the method page (one line each)."""
    lang = view.lang
    lines = []
    if view.hotspots:
        lines.append(t("hotspot_rule_line", lang, rule=hotspot_rule_text(**MAP_RULE, lang=lang)))
    elif view.colour == "stacking":
        lines.append(method.STACKING_RULE[lang])
    elif view.colour == "composite":
        lines.append(t("composite_legend", lang))
    # fewer domains with data than carry weight, for every area (nationally Wonen only), said in the legend (issue 23)
    basis = composite_basis_line(result, view.colour, lang) if not view.hotspots else None
    if basis:
        lines.append(basis)
    if view.colour == "composite" and not view.hotspots:
        lines += withheld_lines(result.table, lang)
    if result is not None and view.colour.startswith("ind:"):
        ind = reg.INDICATORS.get(view.colour.partition(":")[2])
        if ind is not None and ind.count_based:
            lines.append(method.SMOOTHING_RULE[lang])
    if view.colour in ("stacking", "composite", "domain:gezondheid", "ind:ervaren_gezondheid_niet_goed"):
        lines += healthui.legend_lines(result, view)  # gezondheid absent (why, m) or its survey year
    return lines


def n_areas(n: int, lang: str) -> str:
    """ "1 gebied" / "15 gebieden" in the user's language and number format."""
    return t("n_areas_one" if n == 1 else "n_areas_many", lang, n=fmt_num(n, 0, lang))


def _withheld(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, int, int]:
    """(withheld mask, suppressed mask, need, m) from the composite's note codes (``engine.COMPOSITE_NOTES``)."""
    comp = scores(table).composite
    note = (comp.note if comp.note is not None else pd.Series("", index=table.index)).astype("object").fillna("")
    need = pd.to_numeric(comp.need, errors="coerce") if comp.need is not None else pd.Series(dtype=float)
    m = pd.to_numeric(comp.m, errors="coerce") if comp.m is not None else pd.Series(dtype=float)
    return (
        note == "withheld",
        note == "suppressed",
        int(need.max()) if need.notna().any() else 0,
        int(m.max()) if m.notna().any() else 0,
    )


def _suppressed_reason(table: pd.DataFrame, lang: str) -> pd.Series:
    from pages._common import reasons

    raw = _col(table, "suppressed_reason")
    return pd.Series([reasons.suppressed_text(r, lang) or "–" for r in raw], index=table.index)


def withheld_lines(table: pd.DataFrame, lang: str) -> list[str]:
    """The legend lines under a composite map's grey class: which rule withheld a composite and, per number of
    known domains, how many areas (issue 21: not only "geen gegevens / onderdrukt (n = 16)"); then the
    suppressed areas with their reason."""
    withheld, suppressed, need, m = _withheld(table)
    lines = []
    if withheld.any():
        known = pd.to_numeric(scores(table).composite.n, errors="coerce").fillna(0).astype(int)[withheld]
        counts = "; ".join(
            t("composite_withheld_count", lang, areas=n_areas(int(c), lang), n=int(k), need=need)
            for k, c in sorted(known.value_counts().items())
        )
        min_d = int(scores(table).composite.min_domains or ENGINE_DEFAULTS["min_domains"])
        lines.append(t("composite_withheld_legend", lang, need=need, m=m, min=min_d, counts=counts))
    if suppressed.any():
        why = _suppressed_reason(table, lang)[suppressed]
        counts = "; ".join(f"{n_areas(int(c), lang)}: {r}" for r, c in why.value_counts().items())
        lines.append(t("composite_suppressed_legend", lang, counts=counts))
    return lines


def composite_reasons(table: pd.DataFrame, lang: str) -> dict:
    """Why an area has no composite, per area, for ``components.deckmap.flags_field``: one name per reason
    ("0 van minimaal 1 domeinen met gewicht bekend (van 5)", "onderdrukt: minder dan 200 inwoners"), each area's
    mask the bit of its reason (0 = it has a composite: ``none``); at most 15 reasons, the rest share the last."""
    withheld, suppressed, need, m = _withheld(table)
    n = scores(table).composite.n
    known = pd.to_numeric(n if n is not None else _col(table, ""), errors="coerce").fillna(0).astype(int)
    text = pd.Series("", index=table.index, dtype="object")
    for k in sorted(set(known[withheld])):
        text[withheld & (known == k)] = t("why_no_composite_withheld", lang, n=k, need=need, m=m)
    why = _suppressed_reason(table, lang)
    text[suppressed] = [t("why_no_composite_suppressed", lang, reason=r) for r in why[suppressed]]
    names = [n for n in dict.fromkeys(text) if n][:15]
    bit = {n: 1 << i for i, n in enumerate(names)}
    masks = np.array([float(bit.get(x, 1 << 14 if x else 0)) for x in text], dtype=float)
    return {
        "label": t("why_no_composite", lang),
        "masks": masks,
        "names": names,
        "missing": t("not_enough_data", lang),
        "none": "–",
    }


def flagged_domain_lines(row, flagged, band: float, bases: dict, lang: str) -> list[str]:
    """One Markdown list line per flagged domain of a profile row: the domain, its RANK (the flag is decided on
    ranks) against its named base, and the indicators in the worst ``band`` %. Used by the profile of an area
    (Buurtprofiel) and of a focus area (focusprofile.py)."""
    lines = []
    view = scores(row)
    for d in flagged:
        inds = [i for i in reg.scored_indicators(d) if num(view.indicator(i.id).rank) >= 100 - band]
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
