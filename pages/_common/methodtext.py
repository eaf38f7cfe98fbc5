"""The method text of one indicator, true to what is computed: the formula by kind (a share or a mean has no
"noemer": its base only weighs members when areas are summed), publication rule only where one exists, and the
sources the scores actually used (``ScoreResult.coverage``), not the KWB table for every indicator."""

from __future__ import annotations

import pandas as pd

from indicators.registry import KWB_SOURCE
from pages._common.i18n import t

_WORDS = {
    "nl": {
        "value": "Waarde",
        "base": "Basis",
        "weight": "weegt de leden bij het optellen van gebieden (focusgebied, Nederland)",
        "share": "percentage van",
        "mean": "gemiddelde",
        "external": "uit een ingelezen indicatorbestand (een kolom met de id '{id}')",
        "pub": "noemer kleiner dan {min}",
        "area": "gebied met minder dan {pop} inwoners",
        "used": "Bronnen van de waarden in deze selectie",
        "none_used": "in deze selectie geen waarden",
        "declared": "Bron volgens het register",
    },
    "en": {
        "value": "Value",
        "base": "Base",
        "weight": "weighs the members when areas are summed (focus area, the Netherlands)",
        "share": "percentage of",
        "mean": "mean",
        "external": "from an imported indicator file (a column with the id '{id}')",
        "pub": "denominator below {min}",
        "area": "area with fewer than {pop} inhabitants",
        "used": "Sources of the values in this selection",
        "none_used": "no values in this selection",
        "declared": "Source according to the registry",
    },
}


def indicator_method(
    ind, lang: str, year: int, min_population: float, table_id: str | None = None, coverage: pd.Series | None = None
) -> str:
    """Markdown for one indicator. ``coverage``: its row of ``ScoreResult.coverage`` (``sources`` used)."""
    w = _WORDS.get(lang, _WORDS["nl"])
    num_ = " + ".join(ind.numerator) or "–"
    den = " + ".join(ind.denominator) or "–"
    lines = [ind.description.get(lang, ind.description["nl"])]
    if ind.kind == "ratio":
        lines += [
            f"- **{t('formula', lang)}**: `{ind.scale:g} × ({num_}) / ({den})`",
            f"- **{t('numerator', lang)}**: `{num_}` · **{t('denominator', lang)}**: `{den}`",
        ]
    elif ind.kind == "share":
        lines += [f"- **{w['value']}**: `{num_}` ({w['share']} `{den}`)", f"- **{w['base']}**: `{den}`: {w['weight']}"]
    elif ind.kind == "mean":
        lines += [f"- **{w['value']}**: `{num_}` ({w['mean']})", f"- **{w['base']}**: `{den}`: {w['weight']}"]
    else:
        lines += [
            f"- **{w['value']}**: {w['external'].format(id=ind.id)}",
            f"- **{w['base']}**: `{den}`: {w['weight']}",
        ]
    if not ind.scored:  # context: shown, never ranked or scored, so no direction of disadvantage is claimed
        direction = "geen: context, niet gescoord" if lang == "nl" else "none: context, not scored"
    elif lang == "nl":
        direction = "+1 (hoger = meer achterstand)" if ind.direction > 0 else "−1 (lager = meer achterstand)"
    else:
        direction = "+1 (higher = more disadvantaged)" if ind.direction > 0 else "−1 (lower = more disadvantaged)"
    lines.append(f"- **{t('direction', lang)}**: {direction}")
    rules = ([w["pub"].format(min=f"{ind.min_denominator:g}")] if ind.min_denominator > 0 else []) + [
        w["area"].format(pop=f"{min_population:g}")
    ]
    lines.append(f"- **{t('suppression', lang)}**: {'; '.join(rules)}")
    declared = (
        f"{ind.source} {year}" + (f" ({table_id})" if table_id else "") if ind.source == KWB_SOURCE else str(ind.source)
    )
    lines.append(f"- **{w['declared']}**: {declared}")
    if coverage is not None:
        used = str(coverage.get("sources") or "").strip()
        lines.append(f"- **{w['used']}**: {used or w['none_used']}")
    if ind.denominator_note:
        lines.append(f"- {ind.denominator_note.get(lang, ind.denominator_note.get('nl', ''))}")
    return "\n".join(lines)
