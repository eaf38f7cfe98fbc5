"""The computation rules the method page did not state (issue 21, the independent recount): how a percentile rank
is counted, ties, which areas form a base, empirical Bayes and the interval in formulas, the reference value of a
context indicator, focus areas of one member, Nederland's row. Each number comes from the constant the engine
uses, so the text changes with the rule. The recount (``python -m benchmarks.recount``) reproduces every figure
of the CLI from these sentences and the ones beside them on the page."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

from core.thresholds import WORST_BAND_FROM
from indicators.engine import MIN_REFERENCE_AREAS
from indicators.focusscore import MIN_MEMBER_COVERAGE, NL_MIN_COVERAGE
from indicators.hotspots import MIN_AREAS, local_moran
from indicators.reference import LOW_COVERAGE_SHARE, MAX_NAMED_GEMEENTEN
from indicators.scores import SCORE_DECIMALS
from indicators.smoothing import CONFIDENCE

ROUNDING = 10  # CBS rounds the benefit and education counts of KWB to tens


def _pct(x: float) -> str:
    return f"{100 * x:g}"


def computation_rules(settings: Mapping, lang: str = "nl") -> list[tuple[str, str]]:
    """(title, sentence) per rule, nl or en, with the numbers of the engine's constants and ``settings``."""
    pop = f"{float(settings.get('min_population', 200)):g}"
    k, dec, band = MIN_REFERENCE_AREAS, SCORE_DECIMALS, f"{WORST_BAND_FROM:g}"
    conf, half, cov, nl_cov = _pct(CONFIDENCE), ROUNDING // 2, _pct(MIN_MEMBER_COVERAGE), _pct(NL_MIN_COVERAGE)
    low = _pct(LOW_COVERAGE_SHARE)
    seed = inspect.signature(local_moran).parameters["seed"].default  # the seed every caller leaves as is
    if lang == "nl":
        return [
            (
                "Indicatorrang",
                "De rang van een waarde is 100 × (aantal referentiegebieden met een waarde die even hoog of lager is, "
                "het gebied zelf meegeteld) / (aantal referentiegebieden met een waarde); bij 'lager = meer "
                "achterstand' wordt de waarde eerst omgekeerd. Gelijke waarden krijgen dus dezelfde, hoogste rang, "
                "en het hoogste gebied heeft rang 100.",
            ),
            (
                "Basis van een rang",
                f"De referentiegebieden zijn de gebieden met een waarde en met minstens {pop} inwoners (onderdrukte "
                f"gebieden tellen niet mee). Het label noemt hun aantal; is dat minder dan {low} % van alle gebieden "
                "van Nederland, dan noemt het label die kleinere basis, en liggen die gebieden in hoogstens "
                f"{MAX_NAMED_GEMEENTEN} gemeenten, dan ook die gemeenten ('landelijk alleen in Amsterdam en Zaanstad').",
            ),
            (
                "Domeinscore en domeinrang",
                f"De domeinscore wordt afgerond op {dec} decimalen (zo krijgen scores die exact gelijk zijn dezelfde "
                "rang); de samengestelde score is het gewogen gemiddelde van die afgeronde domeinscores. De domeinrang "
                "is 100 × (aantal referentiegebieden met een lagere domeinscore) / (aantal referentiegebieden met een "
                f"domeinscore): het gebied zelf en gelijke scores tellen niet mee, dus rang ≥ {band} betekent 'slechter "
                f"dan minstens {band} % van de referentie'. Hebben minder dan {k} referentiegebieden een domeinscore, "
                f"dan is de domeinrang t.o.v. de gebieden van de eigen gemeente, als dat er minstens {k} zijn (zoals "
                "D1). Is van geen enkel domein een score bekend, dan is er geen stapeling (geen getal).",
            ),
            (
                "Waarden uit afgeronde percentages",
                "Ontbreekt een aantal in de KWB-tabel, dan wordt het afgeleid uit het afgeronde percentage van de Wijk- "
                "en Buurtkaart: aantal = inwoners × percentage / 100, niet afgerond. De noemer 15-65 jaar is inwoners × "
                "(% 15-25 + % 25-45 + % 45-65) / 100. Is een noemer onbekend, dan blijft de waarde staan (de "
                "publicatieregel toetst alleen een bekende noemer).",
            ),
            (
                "Empirisch Bayes en interval",
                "EB (Marshall 1991, globaal) over de referentiegebieden met een waarde (bij D1: die van de eigen "
                "gemeente), met tellers e en noemers n: θ = Σe / Σn, s² = Σ n·(e/n − θ)² / Σn, A = max(0, s² − θ / "
                "gemiddelde n); de geschatte waarde is θ + A / (A + θ/n) · (e/n − θ). Het interval is exact Poisson "
                f"({conf} %): de ondergrens die van teller − {half}, de bovengrens die van teller + {half} (de afronding "
                f"op tientallen), gedeeld door de noemer; ook voor een opgetelde teller één keer ± {half}.",
            ),
            (
                "Referentiewaarde van een contextindicator",
                "Som van de tellers gedeeld door de som van de noemers van de referentiegebieden met een waarde "
                f"(minstens {pop} inwoners); hebben minder dan {k} gebieden een waarde, dan 'niet beschikbaar (te "
                "weinig gebieden)'.",
            ),
            (
                "Focusgebied van één lid en Nederland",
                f"Een focusgebied van één lid neemt de waarde van dat lid over, ook als de noemer onbekend is; de regel "
                f"van {cov} % geldt voor groepen. Nederland is de NL00-rij van het bestand als dat er een heeft (zoals "
                "het inkomensbestand); anders de som over alle gemeenten, alleen als de gemeenten met een waarde samen "
                f"minstens {nl_cov} % van de inwoners hebben, en anders 'niet beschikbaar'.",
            ),
            (
                "Hotspots: buren en toets",
                "Buren zijn gebieden die minstens één grenspunt delen (Queen-contiguïteit op de RD-grenzen), alleen "
                "onder de gebieden met een waarde; wie dan geen buur heeft, wordt niet getoetst. De gewichten zijn "
                "rijgestandaardiseerd. De pseudo-p komt uit conditionele permutaties (esda.Moran_Local) met vaste "
                f"seed {seed}; Benjamini-Hochberg: significant zijn alle p tot en met de grootste p(k) ≤ k·α/m. Met "
                f"minder dan {MIN_AREAS} getoetste gebieden geen hotspots.",
            ),
        ]
    return [
        (
            "Indicator rank",
            "The rank of a value is 100 × (number of reference areas whose value is as high or lower, the area itself "
            "included) / (number of reference areas with a value); for 'lower = more disadvantaged' the value is "
            "reversed first. Equal values therefore share the same, highest rank, and the highest area has rank 100.",
        ),
        (
            "Base of a rank",
            f"The reference areas are the areas with a value and at least {pop} inhabitants (suppressed areas do not "
            f"count). The label names their number; when that is under {low} % of all areas of the Netherlands, the "
            "label names that smaller base, and when those areas lie in at most "
            f"{MAX_NAMED_GEMEENTEN} gemeenten, those gemeenten too ('nationally only in Amsterdam and Zaanstad').",
        ),
        (
            "Domain score and domain rank",
            f"The domain score is rounded to {dec} decimals (so scores that are exactly equal share a rank); the "
            "composite is the weighted mean of those rounded domain scores. The domain rank is 100 × (number of "
            "reference areas with a lower domain score) / (number of reference areas with a domain score): the area "
            f"itself and equal scores do not count, so rank ≥ {band} means 'worse than at least {band} % of the "
            f"reference'. When fewer than {k} reference areas have a domain score, the domain rank is against the "
            f"areas of the own gemeente, if there are at least {k} (as D1). With no domain score known there is no "
            "stacking (no number).",
        ),
        (
            "Values from rounded percentages",
            "When a count is missing from the KWB table it is derived from the rounded percentage of the Wijk- en "
            "Buurtkaart: count = inhabitants × percentage / 100, not rounded. The 15-65 denominator is inhabitants × "
            "(% 15-25 + % 25-45 + % 45-65) / 100. An unknown denominator leaves the value in place (the publication "
            "rule tests only a known denominator).",
        ),
        (
            "Empirical Bayes and interval",
            "EB (Marshall 1991, global) over the reference areas with a value (with D1: those of the own gemeente), "
            "with numerators e and denominators n: θ = Σe / Σn, s² = Σ n·(e/n − θ)² / Σn, A = max(0, s² − θ / mean "
            "n); the estimate is θ + A / (A + θ/n) · (e/n − θ). The interval is exact Poisson "
            f"({conf} %): the lower limit that of numerator − {half}, the upper that of numerator + {half} (the "
            f"rounding to tens), divided by the denominator; for a summed numerator also once ± {half}.",
        ),
        (
            "Reference value of a context indicator",
            "The sum of the numerators over the sum of the denominators of the reference areas with a value (at least "
            f"{pop} inhabitants); with fewer than {k} areas with a value, 'not available (too few areas)'.",
        ),
        (
            "Focus area of one member, and the Netherlands",
            f"A focus area of one member takes that member's value, also when its denominator is unknown; the {cov} % "
            "rule applies to groups. The Netherlands is the file's NL00 row when it has one (as the income file "
            "does); otherwise the sum over all gemeenten, only when the gemeenten with a value hold at least "
            f"{nl_cov} % of the inhabitants, and otherwise 'not available'.",
        ),
        (
            "Hotspots: neighbours and test",
            "Neighbours are areas that share at least one boundary point (queen contiguity on the RD boundaries), among "
            "the areas with a value only; an area left without a neighbour is not tested. The weights are "
            "row-standardised. The pseudo-p comes from conditional permutations (esda.Moran_Local) with the fixed seed "
            f"{seed}; Benjamini-Hochberg: significant are all p up to and including the largest p(k) ≤ k·α/m. With "
            f"fewer than {MIN_AREAS} tested areas, no hotspots.",
        ),
    ]
