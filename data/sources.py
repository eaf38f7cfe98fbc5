"""The CBS tables Stapelkaart reads, declared once, as data (like ``indicators.registry`` for indicators).

A :class:`Source` says which table (``table_id``), on which service (``opendata``: CBS's own tables on
``opendata.cbs.nl``; ``dataderden``: tables CBS publishes for third parties such as RIVM, on
``dataderden.cbs.nl``), which categories of its other dimensions to keep (:class:`DimensionFilter`), its
period dimension and years, and its measures (:class:`Measure`).

Measures are found **by their name part, never by their numeric suffix**: CBS numbers the topic keys by
position and renumbers them between revisions of a table (85984NED: ``MateVanStedelijkheid_127`` in the
2025 revision, ``MateVanStedelijkheid_120`` in a 2026 one). :func:`resolve_measures` takes the table's
real ``DataProperties`` and maps each declared measure to the key whose name part (the key without its
``_NN`` suffix) equals one of the measure's ``names``, compared case-insensitively. A measure the table
lacks is reported by :func:`resolve_measures` (``missing``) so the page can say "niet in deze gegevens";
:func:`measure_key` raises a :class:`~core.errors.FetchError` naming the keys that do exist.

Dimension filters are declared with the category key **and** its title as CBS publishes them (read from
the table's dimension endpoints, e.g. ``/50150NED/Leeftijd``: ``20300`` "18 jaar of ouder"); the loader
checks both against the live dimension list before it asks for rows (:func:`resolve_filter`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from core.codes import LEVELS
from core.errors import FetchError
from data import http
from data.kwb_schema import key_prefix

Service = Literal["opendata", "dataderden"]

DEFAULT_DATADERDEN_URL = "https://dataderden.cbs.nl"

#: Base-URL environment variable and default per service (``STAPELKAART_CBS_URL`` is also read by data.http).
SERVICE_URLS: dict[str, tuple[str, str]] = {
    "opendata": ("STAPELKAART_CBS_URL", http.DEFAULT_CBS_URL),
    "dataderden": ("STAPELKAART_DATADERDEN_URL", DEFAULT_DATADERDEN_URL),
}


def service_url(service: str) -> str:
    """Base URL of ``service`` from its environment variable (read now), without trailing slash."""
    try:
        env, default = SERVICE_URLS[service]
    except KeyError:
        raise ValueError(f"unknown CBS service {service!r}; must be one of: {', '.join(SERVICE_URLS)}") from None
    return (os.environ.get(env) or default).rstrip("/")


@dataclass(frozen=True)
class Measure:
    """One measure (topic) of a table: ``id`` is our column name, ``names`` the accepted key name parts."""

    id: str
    names: tuple[str, ...]
    label: dict[str, str]
    unit: dict[str, str]


@dataclass(frozen=True)
class DimensionFilter:
    """Keep one category of a dimension: ``key`` as served, ``title`` as CBS names it (both checked)."""

    dimension: str
    key: str
    title: str


@dataclass(frozen=True, kw_only=True)
class Source:
    """A CBS table declared as data (see the module docstring); keyword fields only."""

    id: str
    table_id: str
    service: Service
    title: dict[str, str]
    publisher: str
    measures: tuple[Measure, ...]
    filters: tuple[DimensionFilter, ...] = ()
    region_dimension: str = "WijkenEnBuurten"
    period_dimension: str | None = None
    #: CBS period key of a whole year (``2024JJ00``); ``{year}`` is replaced.
    period_format: str = "{year}JJ00"
    years: tuple[int, ...] = ()
    #: Levels the published table has (the data served may have fewer: the loader reports what it found).
    levels: tuple[str, ...] = LEVELS
    note: dict[str, str] | None = None

    @property
    def env(self) -> str:
        """Name of the environment variable that overrides this source's base URL."""
        return SERVICE_URLS[self.service][0]

    def base_url(self) -> str:
        """``{service URL}/ODataFeed/odata/{table_id}`` (the feed pages with ``odata.nextLink``)."""
        return f"{service_url(self.service)}/ODataFeed/odata/{self.table_id}"

    def period_key(self, year: int) -> str:
        """CBS period key of a whole year: ``2024`` -> ``2024JJ00``."""
        return self.period_format.format(year=int(year))

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(
            f"{measure_id!r} is not a measure of {self.table_id}; "
            f"must be one of: {', '.join(m.id for m in self.measures)}"
        )

    def citation(self, lang: str = "nl") -> str:
        """``Bron: RIVM Gezondheidsmonitor, Gezondheid per wijk en buurt (CBS 50150NED, dataderden)``."""
        word = "Source" if lang == "en" else "Bron"
        return (
            f"{word}: {self.publisher}, {self.title.get(lang, self.title['nl'])} (CBS {self.table_id}, {self.service})"
        )


def _pct(nl: str, en: str, measure_id: str, *names: str) -> Measure:
    return Measure(measure_id, names, {"nl": nl, "en": en}, {"nl": "% volwassenen (18+)", "en": "% adults (18+)"})


#: RIVM Gezondheidsmonitor Volwassenen en Ouderen per wijk en buurt. Keys read from the table's own
#: dimension endpoints (``Leeftijd`` ``20300`` = "18 jaar of ouder", ``Marges`` ``MW00000`` = "Waarde",
#: the estimate; the real table also has the interval bounds under other ``Marges`` keys). The monitor's
#: measures after the first two are declared so that a full 50150NED fills them; the copy in the emulator
#: has only ``GoedErvarenGezondheid_4`` and ``EenOfMeerLangdurigeAandoeningen_5`` (the latter only for NL).
GEZONDHEID = Source(
    id="gezondheid_wijk_buurt",
    table_id="50150NED",
    service="dataderden",
    title={"nl": "Gezondheid per wijk en buurt", "en": "Health by district and neighbourhood"},
    publisher="RIVM Gezondheidsmonitor Volwassenen en Ouderen",
    filters=(DimensionFilter("Leeftijd", "20300", "18 jaar of ouder"), DimensionFilter("Marges", "MW00000", "Waarde")),
    period_dimension="Perioden",
    years=(2012, 2016, 2020, 2022, 2024),
    measures=(
        _pct(
            "Goed ervaren gezondheid",
            "Good self-rated health",
            "goed_ervaren_gezondheid",
            "GoedErvarenGezondheid",
            "ErvarenGezondheidGoedZeerGoed",
        ),
        _pct(
            "Eén of meer langdurige aandoeningen",
            "One or more chronic conditions",
            "langdurige_aandoeningen",
            "EenOfMeerLangdurigeAandoeningen",
        ),
        _pct("Eenzaam", "Lonely", "eenzaamheid", "Eenzaam", "Eenzaamheid"),
        _pct(
            "(Zeer) ernstig eenzaam",
            "(Very) severely lonely",
            "ernstig_eenzaam",
            "ErnstigZeerErnstigEenzaam",
            "SterkEenzaam",
        ),
        _pct("Beperkt vanwege gezondheid", "Limited by health", "beperkt_gezondheid", "BeperktVanwegeGezondheid"),
        _pct(
            "Hoog risico op angst of depressie",
            "High risk of anxiety or depression",
            "risico_angst_depressie",
            "HoogRisicoOpAngstOfDepressie",
        ),
        _pct("Moeite met rondkomen", "Difficulty making ends meet", "moeite_met_rondkomen", "MoeiteMetRondkomen"),
        _pct("Mantelzorger", "Informal carer", "mantelzorger", "Mantelzorger"),
        _pct(
            "Ernstig overgewicht", "Obesity", "ernstig_overgewicht", "ErnstigOvergewicht", "ErnstigOvergewichtObesitas"
        ),
        _pct("Rookt", "Smokes", "roker", "Roker", "RooktTabak"),
    ),
    note={
        "nl": "Modelschattingen voor kleine gebieden (RIVM), geen tellingen: per buurt geschat uit de "
        "Gezondheidsmonitor-enquête met een statistisch model.",
        "en": "Small-area model estimates (RIVM), not counts: estimated per neighbourhood from the Health "
        "Monitor survey with a statistical model.",
    },
)

#: CBS Kerncijfers wijken en buurten 2024 (the KWB loader data.cbs resolves all its topics itself; the
#: measures declared here are the ones other sources are combined with, e.g. population weights).
KWB_2024 = Source(
    id="kwb_2024",
    table_id="85984NED",
    service="opendata",
    title={"nl": "Kerncijfers wijken en buurten 2024", "en": "Key figures districts and neighbourhoods 2024"},
    publisher="CBS",
    measures=(
        Measure(
            "aantal_inwoners",
            ("AantalInwoners",),
            {"nl": "Aantal inwoners", "en": "Inhabitants"},
            {"nl": "aantal", "en": "number"},
        ),
        Measure(
            "k_0_tot_15_jaar",
            ("k_0Tot15Jaar",),
            {"nl": "0 tot 15 jaar", "en": "Aged 0-15"},
            {"nl": "aantal", "en": "number"},
        ),
        Measure(
            "mate_van_stedelijkheid",
            ("MateVanStedelijkheid",),
            {"nl": "Mate van stedelijkheid", "en": "Degree of urbanisation"},
            {"nl": "code", "en": "code"},
        ),
    ),
)

SOURCES: dict[str, Source] = {s.id: s for s in (GEZONDHEID, KWB_2024)}


def get_source(source_id: str) -> Source:
    """The declaration of ``source_id``; an unknown id raises ``KeyError`` listing the valid ids."""
    try:
        return SOURCES[source_id]
    except (KeyError, TypeError):
        raise KeyError(f"{source_id!r} is not a source; must be one of: {', '.join(sorted(SOURCES))}") from None


# ------------------------------------------------------------------------------------------ resolving
def _topic_keys(properties: Iterable[Mapping]) -> list[str]:
    return [str(p["Key"]) for p in properties if p.get("Type") == "Topic" and p.get("Key")]


def find_measure_key(measure: Measure, properties: Iterable[Mapping]) -> str | None:
    """The real key of ``measure`` in a table's DataProperties, matched on the name part; None if absent.

    >>> m = Measure("x", ("MateVanStedelijkheid",), {}, {})
    >>> find_measure_key(m, [{"Type": "Topic", "Key": "MateVanStedelijkheid_120"}])
    'MateVanStedelijkheid_120'
    """
    wanted = [n.lower() for n in measure.names]
    keys = _topic_keys(properties)
    for name in wanted:  # the first declared name wins, so an older alias never shadows the current name
        hits = [k for k in keys if key_prefix(k).lower() == name]
        if len(hits) > 1:
            raise FetchError(
                f"Meetwaarde '{measure.id}' is niet eenduidig: {', '.join(hits)}.",
                f"Measure '{measure.id}' is ambiguous: {', '.join(hits)}.",
            )
        if hits:
            return hits[0]
    return None


def measure_key(source: Source, measure_id: str, properties: Iterable[Mapping]) -> str:
    """The real key of one measure; FetchError naming the table's measures when it is absent."""
    props = list(properties)
    measure = source.measure(measure_id)
    key = find_measure_key(measure, props)
    if key is None:
        known = ", ".join(_topic_keys(props)) or "geen"
        raise FetchError(
            f"{source.table_id} heeft geen meetwaarde '{measure.id}' (gezocht op naam: {', '.join(measure.names)}); "
            f"de tabel heeft: {known}.",
            f"{source.table_id} has no measure '{measure.id}' (looked up by name: {', '.join(measure.names)}); "
            f"the table has: {known}.",
        )
    return key


def resolve_measures(source: Source, properties: Iterable[Mapping]) -> tuple[dict[str, str], list[str]]:
    """``({measure id: real key}, [ids of declared measures the table does not have])``."""
    props = list(properties)
    found: dict[str, str] = {}
    missing: list[str] = []
    for m in source.measures:
        key = find_measure_key(m, props)
        if key is None:
            missing.append(m.id)
        else:
            found[m.id] = key
    return found, missing


def resolve_filter(source: Source, flt: DimensionFilter, categories: Sequence[Mapping]) -> str:
    """The key to filter ``flt.dimension`` on, checked against the live category list of that dimension.

    The declared key is used when the table has it with the declared title; a table that renamed the key
    but kept the title gets the key it has now. Neither: FetchError that lists the categories served.
    """

    def norm(text: object) -> str:
        return " ".join(str(text or "").split()).lower()

    by_key = {str(c.get("Key", "")).strip(): c for c in categories}
    hit = by_key.get(flt.key)
    if hit is not None and norm(hit.get("Title")) == norm(flt.title):
        return str(hit["Key"])
    same_title = [c for c in categories if norm(c.get("Title")) == norm(flt.title)]
    if len(same_title) == 1:
        return str(same_title[0]["Key"])
    shown = "; ".join(f"{str(c.get('Key', '')).strip()} = {c.get('Title')}" for c in categories) or "geen"
    raise FetchError(
        f"{source.table_id}: dimensie {flt.dimension} heeft geen categorie {flt.key} '{flt.title}'; wel: {shown}.",
        f"{source.table_id}: dimension {flt.dimension} has no category {flt.key} '{flt.title}'; it has: {shown}.",
    )
