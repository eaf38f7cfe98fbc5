"""One plain-language sentence per area, built only from the numbers shown beside it.

``area_sentence`` takes a score row (``ScoreResult.table`` or ``score_focus``) and says the engine's claim in the
words of ``indicators.method.stacking_sentence``: "k van de n bekende domeinen (van m)", the base of every flagged
domain named (never "van Nederland" for a rank against a fallback base or a base below half), and "niet genoeg
gegevens" when no domain is known (never "geen enkel domein"), plus the years before the view's year that some of
its values come from. Pure functions, no streamlit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from indicators.method import stacking_sentence
from indicators.result import is_base_label_column

_TEXT = {
    "nl": {"and": "en", "older": " Een deel van de cijfers is van {years}."},
    "en": {"and": "and", "older": " Some of the figures are from {years}."},
}


def join_list(items: list[str], lang: str = "nl") -> str:
    """``["a", "b", "c"]`` -> ``"a, b en c"``.

    >>> join_list(["armoede"]), join_list(["armoede", "werk"], "en")
    ('armoede', 'armoede and werk')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_TEXT[lang]['and']} {items[-1]}"


def area_sentence(
    row,
    name: str,
    *,
    year: int,
    lang: str = "nl",
    older_years: Collection[int] = (),
    labels: Mapping[str, str] | None = None,
) -> str:
    """The claim for one area from its score row (``indicators.method.stacking_sentence``), plus the years before
    ``year`` that some of its values come from. ``labels``: the bases' labels in ``lang`` (the row's base labels
    are Dutch; ``wording.base_labels``).

    >>> area_sentence({"stacking_known": 0, "stacking_m": 6, "stacking_count": None}, "Poelenburg", year=2024)[:58]
    'Voor Poelenburg is van geen enkel domein genoeg bekend om '
    """
    lang = lang if lang in _TEXT else "nl"
    if labels:
        row = {
            k: (labels.get(v, v) if is_base_label_column(k) and isinstance(v, str) else v) for k, v in dict(row).items()
        }
    text = stacking_sentence(row, name, lang)
    older = sorted({int(y) for y in older_years if int(y) < year})
    if older:
        text += _TEXT[lang]["older"].format(years=join_list([str(y) for y in older], lang))
    return text
