"""The indicator registry: every domain and indicator of Stapelkaart, declared once, as data.

Nothing here computes. ``indicators.rates`` turns these declarations into values, ``indicators.scores``
into ranks and scores. Variable names are the canonical KWB names of ``data.kwb_schema``
(``AantalInwoners_5`` -> ``aantal_inwoners``).

Three kinds of indicator (``Indicator.kind``):

* ``"ratio"``: value = ``scale`` x sum(numerator parts) / sum(denominator parts). A missing part makes the
  sum missing (never 0). Example: bijstand per 1 000 inwoners.
* ``"share"``: the KWB variable is already a percentage; ``denominator`` names the population it refers to
  (used for the publication threshold and to aggregate focus areas by counts: sum(pct x base) / sum(base)).
* ``"mean"``: the KWB variable is an average (WOZ, income per inhabitant); ``denominator`` is the base
  population it is averaged over (weights when aggregating).
* ``"external"``: not in KWB at all; only an imported indicator file (``UserValues``) supplies it
  (schooluitval/VSV). Until one is loaded the indicator is "geen gegevens op dit niveau", and its domain
  still counts in the *m* of the composite's *n of m*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["ratio", "share", "mean", "external"]

KWB_SOURCE = "CBS Kerncijfers wijken en buurten"


@dataclass(frozen=True)
class Domain:
    """A domain of disadvantage (armoede, werk, ...): the unit of stacking and of composite weights."""

    id: str
    label: dict[str, str]
    description: dict[str, str]


@dataclass(frozen=True)
class Indicator:
    """One indicator, declared as data.

    ``direction`` is +1 when a higher value means more disadvantage, -1 when lower is worse (income, WOZ).
    ``min_denominator`` is the publication threshold on the denominator/base population: below it the value
    is suppressed (not ranked, not stacked) and the reason is reported.
    ``scored=False`` marks context indicators that are shown but never enter a domain score and get no rank
    (they are shown with the reference's value, ``IndicatorScores.ref_value``).
    ``variant_of`` links a person-based variant to the household indicator it mirrors.

    What ``scale`` means depends on ``kind`` (checked in ``__post_init__``):

    * ``"ratio"``: the multiplier of the rate, value = scale x sum(numerator) / sum(denominator)
      (100: per 100, i.e. a percentage; 1000: per 1 000);
    * ``"share"``, ``"mean"``, ``"external"``: always 1 -- the published value is already in its unit
      (a percentage, an average in euro); the engine derives num = value x den (the base-weighted value)
      so that every kind aggregates the same way: value(group) = scale x sum(num) / sum(den).

    ``count_rounding``: CBS rounds the numerator count to this multiple (10 for benefit and education
    counts in KWB; 0 = not rounded or not a count). Only for ``"ratio"`` indicators of counts; such rates get
    an interval and empirical-Bayes shrinkage (``indicators.smoothing``).
    """

    id: str
    label: dict[str, str]
    description: dict[str, str]
    domain: str | None
    kind: Kind
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    direction: int
    unit: dict[str, str]
    source: str
    min_denominator: float = 0.0
    scale: float = 1.0
    scored: bool = True
    denominator_note: dict[str, str] = field(default_factory=dict)
    #: Person-based variant of a household indicator (``laagste_40_personen`` of ``laagste_40_huishoudens``):
    #: shown instead of it when a page switches to persons; never scored itself (the household form is).
    variant_of: str | None = None
    count_rounding: float = 0.0
    #: Another source than KWB: its declaration in ``data.sources`` (None = KWB), the levels it has values
    #: for and its (survey) years; ``complement``: the value is ``complement - measure`` (100 - % goed).
    source_id: str | None = None
    levels: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    complement: float | None = None

    def __post_init__(self) -> None:
        if self.complement is not None and self.kind != "share":
            raise ValueError(f"{self.id}: complement applies to percentages, i.e. kind 'share' only")
        if self.kind != "ratio" and self.scale != 1.0:
            raise ValueError(f"{self.id}: scale is only meaningful for kind 'ratio' (got {self.scale} for {self.kind})")
        if self.count_rounding and self.kind != "ratio":
            raise ValueError(f"{self.id}: count_rounding applies to counts, i.e. kind 'ratio' only")

    @property
    def count_based(self) -> bool:
        """A rate of counts (Poisson interval, empirical-Bayes shrinkage): kind ratio with ``count_rounding``."""
        return self.kind == "ratio" and self.count_rounding > 0

    def text(self, lang: str = "nl") -> str:
        return self.label.get(lang, self.label["nl"])


DOMAINS: dict[str, Domain] = {
    d.id: d
    for d in (
        Domain(
            "armoede",
            {"nl": "Armoede & inkomen", "en": "Poverty & income"},
            {
                "nl": "Lage inkomens en sociaal minimum (alleen inkomen; bijstand telt in werk).",
                "en": "Low incomes and social minimum (income only; social assistance counts in work).",
            },
        ),
        Domain(
            "werk",
            {"nl": "Werk", "en": "Work"},
            {
                "nl": "Uitkeringen (WW, AO, bijstand) per inwoner van 15-65 jaar.",
                "en": "Benefits (unemployment, disability, social assistance) per inhabitant aged 15-65.",
            },
        ),
        Domain(
            "onderwijs",
            {"nl": "Onderwijs & taal", "en": "Education & language"},
            {
                "nl": "Laag opleidingsniveau (beste proxy voor taalachterstand op wijk/buurt-niveau).",
                "en": "Low educational attainment (best wijk/buurt-level proxy for language disadvantage).",
            },
        ),
        Domain(
            "schooluitval",
            {"nl": "Schooluitval", "en": "Early school leaving"},
            {
                "nl": "Voortijdig schoolverlaten (VSV) zit niet in KWB: alleen via een ingelezen indicatorbestand.",
                "en": "Early school leaving (VSV) is not in KWB: only via an imported indicator file.",
            },
        ),
        Domain(
            "wonen",
            {"nl": "Wonen", "en": "Housing"},
            {"nl": "Sociale huur en woningwaarde.", "en": "Social rent and dwelling value."},
        ),
        Domain(
            "jeugd",
            {"nl": "Jeugd", "en": "Youth"},
            {
                "nl": "Jongeren met jeugdzorg, waar KWB dat heeft.",
                "en": "Young people in youth care, where KWB has it.",
            },
        ),
        Domain(
            "gezondheid",
            {"nl": "Gezondheid", "en": "Health"},
            {
                "nl": "Ervaren gezondheid van volwassenen (RIVM Gezondheidsmonitor, modelschattingen per buurt).",
                "en": "Self-rated health of adults (RIVM Health Monitor, model estimates per neighbourhood).",
            },
        ),
    )
}

WORKING_AGE = ("k_15_tot_25_jaar", "k_25_tot_45_jaar", "k_45_tot_65_jaar")
EDUCATION_15_75 = ("basisonderwijs_vmbo_mbo_1", "havo_vwo_mbo_24", "hbo_wo")
HOUSEHOLDS = ("huishoudens_totaal",)
INHABITANTS = ("aantal_inwoners",)
DWELLINGS = ("woningvoorraad",)

_KWB = KWB_SOURCE  # the source string is completed with year and table id per value

_HH = {"nl": "% huishoudens", "en": "% households"}
_WORK_UNIT = {"nl": "per 100 inwoners 15-65 jaar", "en": "per 100 inhabitants aged 15-65"}

_INDICATORS = (
    # --- armoede & inkomen (income-based only: bijstand counts in werk, see METHOD_TEXT) ---------------
    Indicator(
        id="laag_inkomen",
        label={"nl": "Huishoudens met laag inkomen", "en": "Low-income households"},
        description={
            "nl": "% particuliere huishoudens met een laag inkomen (CBS-definitie, excl. studenten).",
            "en": "% private households with a low income (CBS definition, excl. students).",
        },
        domain="armoede",
        kind="share",
        numerator=("huishoudens_met_een_laag_inkomen",),
        denominator=HOUSEHOLDS,
        direction=+1,
        unit=_HH,
        source=_KWB,
        min_denominator=50,
    ),
    Indicator(
        id="sociaal_minimum",
        label={"nl": "Huishoudens onder/rond sociaal minimum", "en": "Households at/below social minimum"},
        description={
            "nl": "% huishoudens met een inkomen onder of rond het sociaal minimum.",
            "en": "% households with an income below or around the social minimum.",
        },
        domain="armoede",
        kind="share",
        numerator=("huish_onder_of_rond_sociaal_minimum",),
        denominator=HOUSEHOLDS,
        direction=+1,
        unit=_HH,
        source=_KWB,
        min_denominator=50,
    ),
    Indicator(
        id="laagste_40_huishoudens",
        label={"nl": "Huishoudens in landelijke laagste 40% inkomen", "en": "Households in national bottom-40% income"},
        description={
            "nl": "% particuliere huishoudens in de landelijke 40% met het laagste (besteedbaar) inkomen.",
            "en": "% private households in the national bottom 40% of (disposable) income.",
        },
        domain="armoede",
        kind="share",
        numerator=("k_40_huishoudens_met_laagste_inkomen",),
        denominator=HOUSEHOLDS,
        direction=+1,
        unit=_HH,
        source=_KWB,
        min_denominator=50,
    ),
    Indicator(
        id="laagste_40_personen",
        label={"nl": "Personen in landelijke laagste 40% inkomen", "en": "Persons in national bottom-40% income"},
        description={
            "nl": "% personen in particuliere huishoudens in de landelijke 40% met het laagste inkomen; de "
            "personenvariant van 'huishoudens in laagste 40%' (getoond, niet gescoord).",
            "en": "% persons in private households in the national bottom 40% of income; the person-based "
            "variant of 'households in bottom 40%' (shown, not scored).",
        },
        domain="armoede",
        kind="share",
        numerator=("k_40_personen_met_laagste_inkomen",),
        denominator=INHABITANTS,
        direction=+1,
        unit={"nl": "% personen", "en": "% persons"},
        source=_KWB,
        min_denominator=200,
        scored=False,
        variant_of="laagste_40_huishoudens",
    ),
    Indicator(
        id="inkomen_per_inwoner",
        label={"nl": "Gemiddeld inkomen per inwoner", "en": "Average income per inhabitant"},
        description={
            "nl": "Gemiddeld persoonlijk inkomen per inwoner (x 1 000 euro); lager = meer achterstand.",
            "en": "Average personal income per inhabitant (x 1,000 euro); lower = more disadvantaged.",
        },
        domain="armoede",
        kind="mean",
        numerator=("gemiddeld_inkomen_per_inwoner",),
        denominator=INHABITANTS,
        direction=-1,
        unit={"nl": "x 1 000 euro", "en": "x 1,000 euro"},
        source=_KWB,
        min_denominator=200,
    ),
    # --- context: the per-inhabitant bijstand figure is shown, never scored (bijstand counts once, in werk) -
    Indicator(
        id="bijstand_per_1000",
        label={
            "nl": "Bijstandsontvangers per 1 000 inwoners (context)",
            "en": "Social assistance per 1,000 inhabitants (context)",
        },
        description={
            "nl": "Personen met een bijstandsuitkering per 1 000 inwoners. Alleen context: bijstand telt "
            "één keer mee, in het domein werk (per 100 inwoners van 15-65 jaar).",
            "en": "Persons receiving social assistance per 1,000 inhabitants. Context only: social "
            "assistance counts once, in the work domain (per 100 inhabitants aged 15-65).",
        },
        domain=None,
        kind="ratio",
        numerator=("personen_per_soort_uitkering_bijstand",),
        denominator=INHABITANTS,
        direction=+1,
        unit={"nl": "per 1 000 inwoners", "en": "per 1,000 inhabitants"},
        source=_KWB,
        min_denominator=200,
        scale=1000.0,
        scored=False,
        count_rounding=10.0,
    ),
    # --- werk -----------------------------------------------------------------------------------------
    Indicator(
        id="ww_werkleeftijd",
        label={"nl": "WW-uitkeringen per 100 inwoners 15-65", "en": "Unemployment benefits per 100 aged 15-65"},
        description={
            "nl": "Personen met WW per 100 inwoners van 15-65 jaar (som van drie leeftijdsgroepen; "
            "ontbreekt er een, dan ontbreekt de noemer).",
            "en": "Persons receiving WW per 100 inhabitants aged 15-65 (sum of three age groups; one "
            "missing -> missing).",
        },
        domain="werk",
        kind="ratio",
        numerator=("personen_per_soort_uitkering_ww",),
        denominator=WORKING_AGE,
        direction=+1,
        unit=_WORK_UNIT,
        source=_KWB,
        min_denominator=100,
        scale=100.0,
        count_rounding=10.0,
    ),
    Indicator(
        id="ao_werkleeftijd",
        label={"nl": "AO-uitkeringen per 100 inwoners 15-65", "en": "Disability benefits per 100 aged 15-65"},
        description={
            "nl": "Personen met een arbeidsongeschiktheidsuitkering per 100 inwoners van 15-65 jaar.",
            "en": "Persons receiving disability benefits per 100 inhabitants aged 15-65.",
        },
        domain="werk",
        kind="ratio",
        numerator=("personen_per_soort_uitkering_ao",),
        denominator=WORKING_AGE,
        direction=+1,
        unit=_WORK_UNIT,
        source=_KWB,
        min_denominator=100,
        scale=100.0,
        count_rounding=10.0,
    ),
    Indicator(
        id="bijstand_werkleeftijd",
        label={"nl": "Bijstand per 100 inwoners 15-65", "en": "Social assistance per 100 aged 15-65"},
        description={
            "nl": "Personen met bijstand per 100 inwoners van 15-65 jaar.",
            "en": "Persons receiving social assistance per 100 inhabitants aged 15-65.",
        },
        domain="werk",
        kind="ratio",
        numerator=("personen_per_soort_uitkering_bijstand",),
        denominator=WORKING_AGE,
        direction=+1,
        unit=_WORK_UNIT,
        source=_KWB,
        min_denominator=100,
        scale=100.0,
        count_rounding=10.0,
    ),
    # --- onderwijs & taal ------------------------------------------------------------------------------
    Indicator(
        id="laag_opgeleid",
        label={"nl": "Laag opgeleid (15-75 jaar)", "en": "Low education (aged 15-75)"},
        description={
            "nl": "% van de 15-75-jarigen met hoogstens basisonderwijs, vmbo of mbo-1. De beste beschikbare "
            "proxy voor taalachterstand op wijk/buurt-niveau (taalvaardigheid zelf wordt niet per "
            "wijk gemeten).",
            "en": "% of 15-75-year-olds with at most primary education, vmbo or mbo-1. The best available "
            "wijk/buurt-level proxy for language disadvantage (language proficiency itself is not "
            "measured per wijk).",
        },
        domain="onderwijs",
        kind="ratio",
        numerator=("basisonderwijs_vmbo_mbo_1",),
        denominator=EDUCATION_15_75,
        direction=+1,
        unit={"nl": "% 15-75 jaar", "en": "% aged 15-75"},
        source=_KWB,
        min_denominator=100,
        scale=100.0,
        count_rounding=10.0,
    ),
    # --- schooluitval ------------------------------------------------------------------------------------
    Indicator(
        id="voortijdig_schoolverlaten",
        label={"nl": "Voortijdig schoolverlaters", "en": "Early school leavers"},
        description={
            "nl": "% voortijdig schoolverlaters (VSV, DUO/OCW). Niet in KWB: laad een indicatorbestand met "
            "kolom 'voortijdig_schoolverlaten'. Zonder bestand: 'geen gegevens op dit niveau'.",
            "en": "% early school leavers (VSV, DUO/OCW). Not in KWB: import an indicator file with column "
            "'voortijdig_schoolverlaten'. Without one: 'no data at this level'.",
        },
        domain="schooluitval",
        kind="external",
        numerator=(),
        denominator=("k_15_tot_25_jaar",),
        direction=+1,
        unit={"nl": "%", "en": "%"},
        source="ingelezen indicatorbestand",
        denominator_note={
            "nl": "15-25-jarigen als benadering van de leerlingpopulatie (alleen als gewicht bij focusgebieden).",
            "en": "15-25-year-olds approximate the pupil population (weights for focus areas only).",
        },
    ),
    # --- wonen --------------------------------------------------------------------------------------------
    Indicator(
        id="sociale_huur",
        label={"nl": "Sociale huur (woningcorporatie)", "en": "Social rent (housing association)"},
        description={
            "nl": "% woningen in bezit van een woningcorporatie.",
            "en": "% dwellings owned by a housing association.",
        },
        domain="wonen",
        kind="share",
        numerator=("in_bezit_woningcorporatie",),
        denominator=DWELLINGS,
        direction=+1,
        unit={"nl": "% woningen", "en": "% dwellings"},
        source=_KWB,
        min_denominator=50,
    ),
    Indicator(
        id="woz_waarde",
        label={"nl": "Gemiddelde WOZ-waarde", "en": "Average WOZ value"},
        description={
            "nl": "Gemiddelde WOZ-waarde van woningen (x 1 000 euro); lager = meer achterstand.",
            "en": "Average WOZ (assessed) value of dwellings (x 1,000 euro); lower = more disadvantaged.",
        },
        domain="wonen",
        kind="mean",
        numerator=("gemiddelde_woz_waarde_van_woningen",),
        denominator=DWELLINGS,
        direction=-1,
        unit={"nl": "x 1 000 euro", "en": "x 1,000 euro"},
        source=_KWB,
        min_denominator=50,
    ),
    # --- jeugd ------------------------------------------------------------------------------------------
    Indicator(
        id="jeugdzorg",
        label={"nl": "Jongeren met jeugdzorg", "en": "Young people in youth care"},
        description={
            "nl": "% jongeren (tot 23 jaar) met jeugdhulp, jeugdbescherming of jeugdreclassering.",
            "en": "% young people (under 23) with youth care, child protection or youth probation.",
        },
        domain="jeugd",
        kind="share",
        numerator=("percentage_jongeren_met_jeugdzorg",),
        denominator=("k_0_tot_15_jaar", "k_15_tot_25_jaar"),
        direction=+1,
        unit={"nl": "% jongeren", "en": "% young people"},
        source=_KWB,
        min_denominator=100,
        denominator_note={
            "nl": "0-25-jarigen als benadering van 'jongeren tot 23 jaar' (drempel en gewicht).",
            "en": "0-25-year-olds approximate 'young people under 23' (threshold and weights).",
        },
    ),
    # --- gezondheid (a second table: CBS 50150NED on dataderden, data.sources.GEZONDHEID) -----------------
    Indicator(
        id="ervaren_gezondheid_niet_goed",
        label={"nl": "Ervaren gezondheid niet goed", "en": "Self-rated health not good"},
        description={
            "nl": "% volwassenen (18+) dat de eigen gezondheid niet als goed of zeer goed ervaart: 100 min "
            "% goed ervaren gezondheid. Modelschatting van het RIVM per buurt en gemeente (geen "
            "wijkwaarden in deze gegevens).",
            "en": "% adults (18+) who do not rate their own health as good or very good: 100 minus % good "
            "self-rated health. RIVM model estimate per neighbourhood and municipality (no district "
            "values in this data).",
        },
        domain="gezondheid",
        kind="share",
        numerator=("goed_ervaren_gezondheid",),
        denominator=INHABITANTS,
        direction=+1,
        unit={"nl": "% volwassenen (18+)", "en": "% adults (18+)"},
        source="RIVM Gezondheidsmonitor (CBS 50150NED)",
        denominator_note={
            "nl": "Het percentage is van volwassenen (18+); KWB heeft per buurt geen aantal 18+, dus "
            "weegt een focusgebied met inwoners min 0-15-jarigen (indicators.health).",
            "en": "The percentage is of adults (18+); KWB has no 18+ count per neighbourhood, so a "
            "focus area is weighted by inhabitants minus those aged 0-15 (indicators.health).",
        },
        source_id="gezondheid_wijk_buurt",
        levels=("gemeente", "buurt"),
        years=(2012, 2016, 2020, 2022, 2024),
        complement=100.0,
    ),
    # --- context only (never scored, never ranked) ----------------------------------------------------------
    Indicator(
        id="herkomst_buiten_europa",
        label={"nl": "Herkomstland buiten Europa (context)", "en": "Origin outside Europe (context)"},
        description={
            "nl": "% inwoners met herkomstland buiten Europa. Alleen context, nooit in een score en nooit "
            "gerangschikt: getoond met de waarde van de referentie (zie 'Bewust niet gescoord').",
            "en": "% inhabitants with a country of origin outside Europe. Context only, never scored and "
            "never ranked: shown with the reference value (see 'Deliberately not scored').",
        },
        domain=None,
        kind="ratio",
        numerator=("buiten_europa__herkomstland",),
        denominator=INHABITANTS,
        direction=+1,
        unit={"nl": "% inwoners", "en": "% inhabitants"},
        source=_KWB,
        min_denominator=200,
        scale=100.0,
        scored=False,
    ),
)

INDICATORS: dict[str, Indicator] = {i.id: i for i in _INDICATORS}

#: Alternative canonical names of the same concept in older KWB tables (first one present wins).
VARIABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "basisonderwijs_vmbo_mbo_1": ("opleidingsniveau_laag",),
    "havo_vwo_mbo_24": ("opleidingsniveau_middelbaar",),
    "hbo_wo": ("opleidingsniveau_hoog",),
    "buiten_europa__herkomstland": ("buiten_europa",),
}


@dataclass(frozen=True)
class Fallback:
    """A KWB count derived from a Wijk- en Buurtkaart percentage of the same year: count = base x pct / 100.

    The PDOK attribute is a rounded whole percentage, so the derived count is approximate
    (error up to 0.5 % of the base). Every derived value is marked with ``source`` per value.
    """

    variable: str
    attribute: str
    base: str = "aantal_inwoners"
    source: str = "CBS Wijk- en Buurtkaart {year} (PDOK), afgeleid uit afgerond %"


FALLBACK_SOURCE = Fallback.source


FALLBACKS: dict[str, Fallback] = {
    f.variable: f
    for f in (
        Fallback("k_0_tot_15_jaar", "percentage_personen_0_tot_15_jaar"),
        Fallback("k_15_tot_25_jaar", "percentage_personen_15_tot_25_jaar"),
        Fallback("k_25_tot_45_jaar", "percentage_personen_25_tot_45_jaar"),
        Fallback("k_45_tot_65_jaar", "percentage_personen_45_tot_65_jaar"),
        Fallback("buiten_europa__herkomstland", "percentage_met_herkomstland_buiten_europa"),
    )
}

METHOD_TEXT = {
    "nl": (
        "Migratieachtergrond (herkomstland buiten Europa) wordt alleen als context getoond en telt nooit mee in een "
        "score: het is op zichzelf geen achterstand, het meetellen ervan zou wijken en hun bewoners stigmatiseren, en "
        "de mechanismen waarlangs het met achterstand samenhangt (inkomen, werk, onderwijs/taal, wonen) worden al door "
        "de gescoorde domeinen gemeten."
    ),
    "en": (
        "Migration background (country of origin outside Europe) is shown as context only and never enters a score: it "
        "is not a disadvantage in itself, scoring it would stigmatise neighbourhoods and their residents, and the "
        "mechanisms through which it correlates with disadvantage (income, work, education/language, housing) are "
        "already measured by the scored domains."
    ),
}


def _one_of(kind: str, name: object, known) -> KeyError:
    return KeyError(f"{name!r} is not {kind}; must be one of: {', '.join(sorted(known))}")


def get_indicator(indicator_id: str) -> Indicator:
    """The registry entry of ``indicator_id``; an unknown id raises ``KeyError`` listing the valid ids.

    >>> get_indicator("woz_waarde").direction
    -1
    """
    try:
        return INDICATORS[indicator_id]
    except (KeyError, TypeError):
        raise _one_of("an indicator", indicator_id, INDICATORS) from None


def get_domain(domain_id: str) -> Domain:
    """The registry entry of ``domain_id``; an unknown id raises ``KeyError`` listing the valid ids."""
    try:
        return DOMAINS[domain_id]
    except (KeyError, TypeError):
        raise _one_of("a domain", domain_id, DOMAINS) from None


def variants() -> dict[str, Indicator]:
    """Household indicator id -> its person-based variant (for the households/persons switch)."""
    return {i.variant_of: i for i in INDICATORS.values() if i.variant_of}


def scored_indicators(domain_id: str | None = None) -> list[Indicator]:
    """Scored indicators in registry order, optionally of one domain."""
    if domain_id is not None:
        get_domain(domain_id)
    return [i for i in INDICATORS.values() if i.scored and (domain_id is None or i.domain == domain_id)]
