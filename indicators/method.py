"""The rules in words: one sentence per rule, used by the method page, legend, tooltip, sentence and PDF.

Every text here describes what ``indicators.engine`` computes, in the same words everywhere:

* ``STACKING_RULE``: when a domain counts as "in de zwakste 20 %" and how the count is shown;
* ``REFERENCE_RULE``: against which areas a rank is computed;
* ``SMOOTHING_RULE``: intervals and empirical-Bayes shrinkage of count-based rates;
* ``BIJSTAND_RULE``: why social assistance counts in werk only;
* ``availability_rules(settings)``: every rule that decides whether a value, rank, domain or composite exists
  (D1, D2, suppression, domain minimum, composite minimum and weight 0, focus coverage), from the settings;
* ``stacking_sentence(row, name)``: the claim per area, from a score row (``ScoreResult.table`` or
  ``score_focus``), literally true: "k van n bekend (m domeinen)", the base of every flagged domain named, and
  "niet genoeg gegevens" never worded as "niets aan de hand".
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from core.numbers import format_number
from core.thresholds import WORST_BAND
from indicators.reference import level_words  # noqa: F401  (pages word "wijken"/"buurten" through this module)
from indicators.registry import DOMAINS
from indicators.result import scores


def _pct(value: float, lang: str) -> str:
    """A share of the method (20 -> "20"), in the UI's number format."""
    return format_number(value, None, lang)


def stacking_rule(worst_band: float = WORST_BAND) -> dict[str, str]:
    """The stacking rule in nl/en for the band of the settings (default ``core.thresholds.WORST_BAND``)."""
    b_nl, b_en = _pct(worst_band, "nl"), _pct(worst_band, "en")
    f_nl, f_en = _pct(100 - worst_band, "nl"), _pct(100 - worst_band, "en")
    return {
        "nl": f"Een domein ligt 'in de zwakste {b_nl} %' als de domeinscore van het gebied slechter is dan die van ten "
        f"minste {f_nl} % van de referentiegebieden met een domeinscore (domeinrang ≥ {f_nl}). De stapeling telt "
        "zulke domeinen en staat er altijd zo: 'k van n bekend (m domeinen)'.",
        "en": f"A domain is 'in the worst {b_en} %' when the area's domain score is worse than that of at least {f_en} % "
        f"of the reference areas with a domain score (domain rank ≥ {f_en}). Stacking counts such domains and is "
        "always shown as 'k of n known (m domains)'.",
    }


STACKING_RULE = stacking_rule()
REFERENCE_RULE = {
    "nl": "Rangen t.o.v. Nederland gebruiken alleen het landelijke bestand (alle gebieden van dat niveau in de KWB-tabel "
    "van dat jaar en ingelezen bestanden die heel Nederland dekken), nooit waarden die er alleen zijn omdat een "
    "gemeente gekozen is. Heeft het landelijke bestand te weinig waarden, dan is de rang t.o.v. de eigen gemeente "
    "als die genoeg gebieden met een waarde heeft (regel D1), en staat dat erbij; anders geen rang, met de reden. Elke rang noemt het aantal gebieden met gegevens; is dat minder dan de helft, dan noemt "
    "het label die werkelijke basis.",
    "en": "Ranks vs the Netherlands use the national frame only (every area of the level in that year's KWB table and "
    "imported files that cover the country), never values that exist only because a municipality is selected. "
    "Where the national frame has too few values, the rank is against the own municipality when it has enough "
    "areas with a value (rule D1), and says so; otherwise no rank, with the reason. Every "
    "rank names the number of areas with data; below half, the label names that true base.",
}
SMOOTHING_RULE = {
    "nl": "Voor percentages uit aantallen (uitkeringen, opleidingsniveau) geven we een 95 %-interval (Poisson, inclusief "
    "de afronding van CBS op tientallen) en rangschikken we de empirisch-Bayes-geschatte waarde (globale EB naar "
    "het gemiddelde van de referentie, Marshall 1991): kleine gebieden schuiven naar het gemiddelde; de ruwe "
    "waarde blijft zichtbaar.",
    "en": "For rates built from counts (benefits, education level) we give a 95 % interval (Poisson, including CBS "
    "rounding to tens) and rank the empirical-Bayes estimate (global EB toward the reference mean, Marshall "
    "1991): small areas move toward the mean; the raw value stays visible.",
}
BIJSTAND_RULE = {
    "nl": "Bijstand telt één keer: in werk, per 100 inwoners van 15-65 jaar. Armoede is alleen op inkomen gebaseerd; "
    "anders zou één signaal twee domeinen in de zwakste band kunnen zetten en dubbel gestapeld worden.",
    "en": "Social assistance counts once: in work, per 100 inhabitants aged 15-65. Poverty is income-based only; "
    "otherwise one signal could put two domains in the worst band and be stacked twice.",
}


def rule_numbers() -> dict[str, float]:
    """The fixed numbers of the rules, for texts: ``min_reference_values`` (engine default, D1) and
    ``min_member_coverage`` (focus areas)."""
    from indicators.engine import MIN_REFERENCE_AREAS
    from indicators.focusscore import MIN_MEMBER_COVERAGE

    return {"min_reference_values": MIN_REFERENCE_AREAS, "min_member_coverage": MIN_MEMBER_COVERAGE}


def availability_rules(settings: Mapping, lang: str = "nl") -> list[tuple[str, str]]:
    """(title, sentence) per rule that decides whether a value, rank, domain or composite exists, generated from
    the engine's ``settings`` (``ScoreResult.settings``) and the focus module's coverage minimum: D1 (gemeente base
    minimum), D2 (changed boundaries), suppression, domain score, composite minimum and weight 0, focus coverage."""
    numbers = rule_numbers()
    k = int(settings.get("min_reference_values", numbers["min_reference_values"]))
    pop = float(settings.get("min_population", 200))
    share = float(settings.get("min_indicator_share", 0.5))
    md = int(settings.get("min_domains", 3))
    cov = numbers["min_member_coverage"]
    if lang == "nl":
        return [
            (
                "D1 · Rang t.o.v. de eigen gemeente",
                (
                    f"Heeft het landelijke bestand voor een indicator minder dan {k} gebieden met een waarde, dan is de rang "
                    f"t.o.v. de gebieden van de eigen gemeente met een waarde, maar alleen als dat er minstens {k} zijn. "
                    f"Heeft de gemeente er minder, dan krijgt het gebied voor die indicator geen rang (en telt die niet mee "
                    f"in zijn domein); het profiel zegt dan: 'geen rang: van <gemeente> hebben maar n wijken een waarde; "
                    f"minimaal {k}'."
                ),
            ),
            (
                "D2 · Gewijzigde indeling",
                (
                    "Een waarde van een eerder jaar, of uit een ingelezen bestand met een oudere indeling (bijvoorbeeld het "
                    "CBS-inkomensbestand: inkomen 2020, indeling 2023), wordt alleen gebruikt voor gebieden waarvan code en "
                    "grenzen sindsdien niet veranderden. Staat in de KWB-kolom IndelingswijzigingGemeenteWijkBuurt van een "
                    "later jaar 2 (code gewijzigd) of 3 (grenzen gewijzigd), dan vervalt die waarde en zegt het profiel "
                    "waarom; ontbreekt die kolom, dan wordt de waarde gebruikt met 'indelingswijziging onbekend' bij de bron."
                ),
            ),
            (
                "Onderdrukking",
                (
                    f"Gebieden met minder dan {pop:g} inwoners krijgen geen rang, geen domeinscore en geen samengestelde "
                    "score; een waarde met een noemer onder het minimum van de indicator wordt niet gepubliceerd."
                ),
            ),
            (
                "Domeinscore",
                (
                    f"Gemiddelde van de indicatorrangen van het domein; alleen als minstens {share:.0%} van de indicatoren "
                    "van het domein (en minstens één) een rang heeft.".replace("%", " %")
                ),
            ),
            (
                "Samengestelde score en gewicht 0",
                (
                    f"Gewogen gemiddelde van de bekende domeinscores met een gewicht boven 0; alleen als minstens "
                    f"min({md}, aantal domeinen met gewicht boven 0 die in de referentie gegevens hebben) daarvan een score "
                    "hebben. Een gewicht 0 haalt een domein uit de samengestelde score én uit de stapeling ('k van n bekend "
                    "(m domeinen)' telt dan alleen domeinen met een gewicht boven 0); zijn eigen rang blijft zichtbaar."
                ),
            ),
            (
                "Focusgebied",
                (
                    f"Som van de tellers gedeeld door de som van de noemers van de leden. Mist een lid een waarde, dan telt "
                    f"de rest alleen als de leden met een waarde samen minstens {cov:.0%} van de noemer hebben en van elk lid "
                    "de noemer bekend is; anders heeft het focusgebied geen waarde en noemt het profiel de leden zonder "
                    "waarde.".replace("%", " %")
                ),
            ),
        ]
    return [
        (
            "D1 · Rank vs the own municipality",
            (
                f"Where the national frame has fewer than {k} areas with a value for an indicator, the rank is against the "
                f"areas of the own municipality with a value, but only when there are at least {k}. With fewer, the area "
                f"gets no rank for that indicator (and it does not count in its domain); the profile then says: 'no rank: "
                f"only n districts of <municipality> have a value; at least {k}'."
            ),
        ),
        (
            "D2 · Changed boundaries",
            (
                "A value of an earlier year, or from an imported file with an older division (e.g. the CBS income file: "
                "income 2020, division 2023), is only used for areas whose code and boundaries did not change since. Where "
                "the KWB column IndelingswijzigingGemeenteWijkBuurt of a later year says 2 (code changed) or 3 (boundaries "
                "changed), the value is dropped and the profile says why; without that column the value is used and its "
                "source says 'boundary change unknown'."
            ),
        ),
        (
            "Suppression",
            (
                f"Areas with fewer than {pop:g} inhabitants get no rank, no domain score and no composite; a value whose "
                "denominator is below the indicator's minimum is not published."
            ),
        ),
        (
            "Domain score",
            (
                f"Mean of the domain's indicator ranks; only when at least {share:.0%} of the domain's indicators (and at "
                "least one) have a rank."
            ),
        ),
        (
            "Composite score and weight 0",
            (
                f"Weighted mean of the known domain scores with a weight above 0; only when at least min({md}, number of "
                "domains with a weight above 0 that have data in the reference) of them have a score. A weight of 0 takes "
                "a domain out of the composite and out of stacking ('k of n known (m domains)' then counts only domains "
                "with a weight above 0); its own rank stays visible."
            ),
        ),
        (
            "Focus area",
            (
                f"Sum of the members' numerators over the sum of their denominators. Where a member lacks a value, the rest "
                f"counts only when the members with a value hold at least {cov:.0%} of the denominator and every member's "
                "denominator is known; otherwise the focus area has no value and the profile names the members without "
                "one."
            ),
        ),
    ]


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA


def stacking_text(row, lang: str = "nl") -> str:
    """ "2 van 5 bekend (6 domeinen)" / "2 of 5 known (6 domains)"; "niet genoeg gegevens (0 van 6 bekend)"."""
    st = scores(row).stacking
    n, m, k = st.n, st.m, st.k
    n = int(n) if _known(n) else 0
    m = int(m) if _known(m) else len(DOMAINS)
    if n == 0 or not _known(k):
        return f"niet genoeg gegevens (0 van {m} bekend)" if lang == "nl" else f"not enough data (0 of {m} known)"
    return f"{int(k)} van {n} bekend ({m} domeinen)" if lang == "nl" else f"{int(k)} of {n} known ({m} domains)"


def stacking_sentence(row, name: str, lang: str = "nl", worst_band: float = WORST_BAND) -> str:
    """The claim for one area, e.g. "In Zuidoost liggen 2 van de 5 bekende domeinen (van 6) in de zwakste 20 % van
    hun referentie: werk (t.o.v. 110 wijken van Amsterdam met gegevens ...), wonen (t.o.v. ...)."."""
    view = scores(row)
    st = view.stacking
    m = int(st.m) if _known(st.m) else len(DOMAINS)
    n = int(st.n) if _known(st.n) else 0
    k = st.k
    band = _pct(worst_band, lang)
    if n == 0 or not _known(k):
        if lang == "nl":
            return (
                f"Voor {name} is van geen enkel domein genoeg bekend om te zeggen of het in de zwakste {band} % ligt "
                f"(0 van {m} bekend); dat is geen teken dat er niets aan de hand is."
            )
        return (
            f"For {name} no domain has enough data to say whether it is in the worst {band} % (0 of {m} known); "
            "that is no sign that nothing is wrong."
        )
    k = int(k)
    domains = view.domains
    flagged = [d for d in DOMAINS if _known(domains[d].band) and bool(domains[d].band)]
    parts = []
    for d in flagged:
        ref = domains[d].base_label
        label = DOMAINS[d].label[lang].lower() if lang == "en" else DOMAINS[d].label["nl"].lower()
        parts.append(f"{label} ({ref})" if _known(ref) and ref else label)
    unknown = m - n
    if lang == "nl":
        tail = f"; van {unknown} domein{'en' if unknown != 1 else ''} is niet genoeg bekend" if unknown else ""
        if k == 0:
            return (
                f"In {name} ligt geen van de {n} bekende domeinen (van {m}) in de zwakste {band} % van zijn "
                f"referentie{tail}."
            )
        verb, own = ("ligt", "zijn") if k == 1 else ("liggen", "hun")
        return (
            f"In {name} {verb} {k} van de {n} bekende domeinen (van {m}) in de zwakste {band} % van {own} referentie: "
            f"{', '.join(parts)}{tail}."
        )
    tail = f"; {unknown} domain{'s' if unknown != 1 else ''} without enough data" if unknown else ""
    if k == 0:
        return f"In {name} none of the {n} known domains (of {m}) is in the worst {band} % of its reference{tail}."
    return (
        f"In {name} {k} of the {n} known domains (of {m}) {'is' if k == 1 else 'are'} in the worst {band} % of "
        f"{'its' if k == 1 else 'their'} reference: {', '.join(parts)}{tail}."
    )
