"""One plain-language sentence per area, built only from the numbers shown beside it.

``area_sentence`` (use this one) takes a score row (``ScoreResult.table`` or ``score_focus``) and says the engine's
claim in the words of ``indicators.method.stacking_sentence``: "k van de n bekende domeinen (van m)", the base of
every flagged domain named (never "van Nederland" for a rank against a fallback base or a base below half), and
"niet genoeg gegevens" when no domain is known (never "geen enkel domein"). ``focus_sentence`` is the older
sentence over domain scores only; it cannot name the bases and is kept for callers that have not moved.

Pure function, no streamlit: ``focus_sentence`` takes the domain ranks (0-100, 100 = most
disadvantaged; ``None``/NaN = not available) and says how many domains lie in the worst band. When
domains are missing it says so honestly instead of presenting a partial picture as complete.

>>> focus_sentence("Poelenburg", {"armoede": 91, "werk": 85, "onderwijs": 88, "wonen": 95,
...                               "gezondheid": 40, "veiligheid": 30}, year=2024)
'In Poelenburg liggen 4 van de 6 domeinen in de zwakste 20 % van Nederland: armoede, werk, onderwijs en wonen.'
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

from indicators.method import stacking_sentence, stacking_text  # noqa: F401  (stacking_text: pages' n/m words)

_TEXT = {
    "nl": {
        "and": "en",
        "none_available": ("Voor {name} zijn in {year} geen van de {total} domeinen beschikbaar; "
                           "over gestapelde achterstand valt hier nog niets te zeggen."),
        "all_one": "In {name} ligt {n} van de {total} domeinen in de zwakste {band} % van {ref}: {list}.",
        "all_many": "In {name} liggen {n} van de {total} domeinen in de zwakste {band} % van {ref}: {list}.",
        "all_zero": "In {name} ligt geen van de {total} domeinen in de zwakste {band} % van {ref}.",
        "partial": "Voor {name} zijn in {year} slechts {avail} van {total} domeinen beschikbaar ({avail_list})",
        "partial_one": "; daarvan ligt er {n} in de zwakste {band} % van {ref}: {list}.",
        "partial_many": "; daarvan liggen er {n} in de zwakste {band} % van {ref}: {list}.",
        "partial_zero": "; daarvan ligt geen in de zwakste {band} % van {ref}.",
        "missing": " Geen gegevens voor {list}.",
        "too_few": " Dat is te weinig voor een betrouwbaar totaalbeeld.",
        "older": " Een deel van de cijfers is van {years}.",
    },
    "en": {
        "and": "and",
        "none_available": ("For {name}, none of the {total} domains are available for {year}; "
                           "nothing can be said about stacked disadvantage yet."),
        "all_one": "In {name}, {n} of the {total} domains is in the weakest {band}% of {ref}: {list}.",
        "all_many": "In {name}, {n} of the {total} domains are in the weakest {band}% of {ref}: {list}.",
        "all_zero": "In {name}, none of the {total} domains are in the weakest {band}% of {ref}.",
        "partial": "For {name}, only {avail} of {total} domains are available for {year} ({avail_list})",
        "partial_one": "; of these, {n} is in the weakest {band}% of {ref}: {list}.",
        "partial_many": "; of these, {n} are in the weakest {band}% of {ref}: {list}.",
        "partial_zero": "; none of these is in the weakest {band}% of {ref}.",
        "missing": " No data for {list}.",
        "too_few": " That is too few for a reliable overall picture.",
        "older": " Some of the figures are from {years}.",
    },
}

_REF_DEFAULT = {"nl": "Nederland", "en": "the Netherlands"}


def join_list(items: list[str], lang: str = "nl") -> str:
    """``["a", "b", "c"]`` -> ``"a, b en c"``.

    >>> join_list(["armoede"]), join_list(["armoede", "werk"], "en")
    ('armoede', 'armoede and werk')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_TEXT[lang]['and']} {items[-1]}"


def _available(value: object) -> bool:
    if value is None:
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def focus_sentence(name: str, domain_ranks: Mapping[str, object], *, year: int, worst_band: float = 20.0,
                   flagged: Collection[str] | None = None, labels: Mapping[str, str] | None = None,
                   reference: str | None = None, lang: str = "nl", min_domains: int = 3,
                   older_years: Collection[int] = ()) -> str:
    """The sentence that opens a focus area on Vergelijken.

    ``domain_ranks``: every domain of the registry (order kept) -> rank 0-100 or None when missing.
    ``flagged``: the domains the engine counts as stacking; default: rank >= 100 - worst_band.
    ``labels``: display names of the domains (default: the ids). ``reference``: "Nederland" by default.
    ``older_years``: years before ``year`` that some of the shown values come from (said, never hidden).
    """
    lang = lang if lang in _TEXT else "nl"
    tx = _TEXT[lang]
    labels = dict(labels or {})
    label = lambda d: labels.get(d, d)  # noqa: E731
    ref = reference or _REF_DEFAULT[lang]
    domains = list(domain_ranks)
    total = len(domains)
    avail = [d for d in domains if _available(domain_ranks[d])]
    if flagged is None:
        flagged_set = {d for d in avail if float(domain_ranks[d]) >= 100.0 - worst_band}
    else:
        flagged_set = set(flagged) & set(avail)
    worst = [d for d in avail if d in flagged_set]
    band = f"{worst_band:g}"
    fmt = {"name": name, "year": year, "total": total, "band": band, "ref": ref,
           "n": len(worst), "list": join_list([label(d) for d in worst], lang)}

    older = sorted({int(y) for y in older_years if int(y) < year})
    tail = tx["older"].format(years=join_list([str(y) for y in older], lang)) if older else ""
    if not avail:
        return tx["none_available"].format(**fmt)
    if len(avail) == total:
        key = "all_zero" if not worst else ("all_one" if len(worst) == 1 else "all_many")
        return tx[key].format(**fmt) + tail
    missing = [d for d in domains if d not in avail]
    text = tx["partial"].format(avail=len(avail), avail_list=join_list([label(d) for d in avail], lang), **fmt)
    key = "partial_zero" if not worst else ("partial_one" if len(worst) == 1 else "partial_many")
    text += tx[key].format(**fmt)
    text += tx["missing"].format(list=join_list([label(d) for d in missing], lang))
    if len(avail) < min_domains:
        text += tx["too_few"]
    return text + tail


def area_sentence(row, name: str, *, year: int, lang: str = "nl", older_years: Collection[int] = (),
                  labels: Mapping[str, str] | None = None) -> str:
    """The claim for one area from its score row (``indicators.method.stacking_sentence``), plus the years before
    ``year`` that some of its values come from. ``labels``: the bases' labels in ``lang`` (the row's ``__ref``
    columns are Dutch; ``wording.base_labels``).

    >>> area_sentence({"stacking_known": 0, "stacking_m": 6, "stacking_count": None}, "Poelenburg", year=2024)[:58]
    'Voor Poelenburg is van geen enkel domein genoeg bekend om '
    """
    lang = lang if lang in _TEXT else "nl"
    if labels:
        row = {k: (labels.get(v, v) if k.endswith("__ref") and isinstance(v, str) else v) for k, v in dict(row).items()}
    text = stacking_sentence(row, name, lang)
    older = sorted({int(y) for y in older_years if int(y) < year})
    if older:
        text += _TEXT[lang]["older"].format(years=join_list([str(y) for y in older], lang))
    return text
