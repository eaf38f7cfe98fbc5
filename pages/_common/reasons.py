"""Why a value or rank is missing, in words: the engine's ``IndicatorScores.why`` codes (``indicators.columns.WHY_CODES``)
worded in the user's language, with the names of gemeenten and members where codes stand."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from indicators import method
from indicators import registry as reg
from indicators.result import scores
from pages._common.i18n import label, t


def count(value: object) -> int:
    """A count column's value as an int (0 where it is missing)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0
    return 0 if math.isnan(v) else int(v)


def suppressed_text(reason: object, lang: str) -> str:
    """The engine's ``suppressed_reason`` codes (``indicators.columns.SUPPRESSED_CODES``, ``;``-joined) in words;
    "" for none. An unknown code is shown as it is."""
    if not isinstance(reason, str) or not reason:
        return ""
    out = []
    for code in reason.split(";"):
        kind, _, rest = code.partition(":")
        if kind == "population":
            out.append(t("supp_population", lang, min=rest or "–"))
        elif kind == "population_unknown":
            out.append(t("supp_population_unknown", lang))
        elif kind == "den_small":
            ind_id, _, need = rest.partition(":")
            ind = reg.INDICATORS.get(ind_id)
            out.append(t("supp_den_small", lang, indicator=label(ind, lang) if ind else ind_id, min=need or "–"))
        else:
            out.append(code)
    return "; ".join(out)


def why_text(
    code: object,
    lang: str,
    *,
    indicator=None,
    gemeente: str = "",
    level: str = "wijk",
    names: Mapping[str, str] | None = None,
    reason: str = "",
) -> str:
    """One code in words ("" for no code). ``gemeente``: the own gemeente's name (rule D1); ``names``: code -> name
    of focus-area members; ``reason``: the area's suppression reason (codes, :func:`suppressed_text`)."""
    if not isinstance(code, str) or not code:
        return ""
    kind, _, rest = code.partition(":")
    numbers = method.rule_numbers()
    if kind == "base_small":
        n, _, need = rest.partition(":")
        words = method.level_words(level)[0 if lang == "nl" else 1]
        return t(
            "why_base_small",
            lang,
            gemeente=gemeente or "–",
            n=n,
            level=words,
            min=need or numbers["min_reference_values"],
        )
    if kind == "members":
        share, _, codes = rest.partition(":")
        pct = f"{100 * float(share):.0f}" if share not in ("", "nan") else "–"
        members = ", ".join((names or {}).get(c, c) for c in codes.split(",") if c)
        return t(
            "why_members", lang, pct=pct, min=f"{100 * numbers['min_member_coverage']:.0f}", members=members or "–"
        )
    if kind == "den_small":
        return t("why_den_small", lang, min=f"{getattr(indicator, 'min_denominator', 0):g}")
    if kind == "suppressed":
        return t("why_suppressed", lang, reason=suppressed_text(reason, lang) or "–")
    if kind == "no_base":
        return t("why_no_base", lang, min=numbers["min_reference_values"])
    key = f"why_{kind}"
    return t(key, lang) if kind in ("boundary_changed", "no_value", "level_absent", "source_absent") else code


def reasons(
    row: pd.Series, lang: str, *, gemeente: str = "", level: str = "wijk", names: Mapping[str, str] | None = None
) -> list[str]:
    """ "Indicator: reason" for every indicator of ``row`` (a score row) without a value or (scored) rank."""
    out = []
    reason = row.get("suppressed_reason")
    view = scores(row)
    for ind in reg.INDICATORS.values():
        text = why_text(
            view.indicator(ind.id).why,
            lang,
            indicator=ind,
            gemeente=gemeente,
            level=level,
            names=names,
            reason=reason if isinstance(reason, str) else "",
        )
        if text:
            out.append(f"{label(ind, lang)}: {text}")
    return out
