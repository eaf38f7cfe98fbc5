"""Focus areas: named groups of wijken or buurten, defined by users as data, and the presets.

A **focus area** is a name plus member codes (wijken *or* buurten, of one or more gemeenten). Its level and
gemeenten are derived from the codes. A **preset** is a named *set* of focus areas from a real programme,
with its source (``PRESETS``; ``praktijkgebieden`` holds all of them: the Zaanstad programme areas with Poelenburg,
Oud-Oost, Zuidoost, De Aker, Tongelre and Gestel); ``FOCUS_AREAS`` is the default set (Poelenburg, Oud-Oost, Zuidoost).
Bounds: at most ``MAX_FOCUS_AREAS`` areas, ``MAX_NAME`` characters per name, ``MAX_MEMBERS`` members per area.

The other focus-area modules: ``indicators.focuscodec`` (the ``fa`` URL parameter, the CLI ``--define``, the
JSON file and validation against the data) and ``indicators.focusscore`` (aggregation of the members, the gemeente
and Nederland comparators, the profile).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from core.codes import gemeente_of, level_of_code
from core.errors import UserInputError

MAX_FOCUS_AREAS = 12
MAX_NAME = 60
MAX_MEMBERS = 250


def _error(nl: str, en: str) -> UserInputError:
    return UserInputError(nl, en)


# ------------------------------------------------------------------------------------------ the model
@dataclass(frozen=True)
class FocusArea:
    """A named group of wijken or buurten (one or more gemeenten); level and gemeenten follow from the codes.

    ``id`` is a slug (unique within one set), ``source`` says where the definition comes from (a programme,
    or "zelf gedefinieerd"). ``label``/``gemeente_code``/``note`` keep the older attribute names working.
    """

    id: str
    name: str
    codes: tuple[str, ...]
    source: str = ""
    name_en: str = ""

    @classmethod
    def make(
        cls, name: str, codes: Iterable[str], *, id: str | None = None, source: str = "", name_en: str = ""
    ) -> FocusArea:
        """Normalise the name (NFC, control characters removed, trimmed) and codes (upper case, unique)."""
        clean = clean_name(name)
        members = tuple(dict.fromkeys(str(c).strip().upper() for c in codes if str(c).strip()))
        return cls(id or slug(clean), clean, members, source, name_en)

    @property
    def level(self) -> str | None:
        """``"wijk"`` or ``"buurt"`` when all members share it, otherwise None (see :func:`validate`)."""
        levels = {level_of_code(c) for c in self.codes}
        return levels.pop() if len(levels) == 1 else None

    @property
    def gemeenten(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g for g in (gemeente_of(c) for c in self.codes) if g))

    @property
    def gemeente_code(self) -> str | None:
        """The first gemeente (compatibility: pages written for one-gemeente focus areas)."""
        return self.gemeenten[0] if self.gemeenten else None

    @property
    def label(self) -> dict[str, str]:
        return {"nl": self.name, "en": self.name_en or self.name}

    @property
    def note(self) -> str:
        return self.source


@dataclass(frozen=True)
class Preset:
    """A named set of focus areas from a real programme, with its source (Dutch; ``name_en`` and
    :func:`source_text` give the English)."""

    id: str
    name: str
    areas: tuple[FocusArea, ...]
    source: str
    note: str = ""
    codes_found: dict[str, str] = field(default_factory=dict)
    name_en: str = ""

    @property
    def label(self) -> dict[str, str]:
        return {"nl": self.name, "en": self.name_en or self.name}


def clean_name(name: object, limit: int = MAX_NAME) -> str:
    """NFC-normalised, control characters dropped, whitespace collapsed; at most ``limit`` characters."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:limit].strip()


def slug(name: str) -> str:
    """ASCII slug of a name (``"Zaanstad – Kansengelijkheid"`` -> ``"zaanstad-kansengelijkheid"``)."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")
    return out or "focusgebied"


def unique_ids(areas: Sequence[FocusArea]) -> list[FocusArea]:
    """The same areas with ids made unique (``-2``, ``-3``... for repeats)."""
    seen: dict[str, int] = {}
    out = []
    for a in areas:
        base = a.id or slug(a.name)
        n = seen.get(base, 0) + 1
        seen[base] = n
        out.append(
            a
            if n == 1 and a.id == base
            else FocusArea(base if n == 1 else f"{base}-{n}", a.name, a.codes, a.source, a.name_en)
        )
    return out


# ------------------------------------------------------------------------------------------ presets
#: English of every Dutch source and note text of the presets (and of "zelf gedefinieerd"): :func:`source_text`.
SOURCE_EN: dict[str, str] = {}


def _en(nl: str, en: str) -> str:
    """Register the English of a Dutch source or note text; returns the Dutch (what the presets store)."""
    SOURCE_EN[nl] = en
    return nl


def source_text(text: str, lang: str) -> str:
    """A focus area's or preset's source/note text in ``lang`` (a text without a registered English stays as it
    is: a user's own words)."""
    return SOURCE_EN.get(text, text) if lang == "en" else text


SELF_DEFINED = _en("zelf gedefinieerd", "self-defined")
_OWN = _en("Stapelkaart-voorbeeld", "Stapelkaart example")
_ZAANSTAD = _en(
    "Gemeente Zaanstad, programma Kansengelijkheid (wijken genoemd in Stapelkaart issue 12); "
    "codes op naam opgezocht in CBS 85984NED (WijkenEnBuurten) en het CBS-inkomensbestand 2020 (indeling 2023)",
    "Municipality of Zaanstad, programme Kansengelijkheid (equal opportunities; districts named in Stapelkaart "
    "issue 12); codes looked up by name in CBS 85984NED (WijkenEnBuurten) and the CBS income file 2020 "
    "(2023 boundaries)",
)
_EINDHOVEN = _en(
    "Gemeente Eindhoven, gebiedsgericht werken in de stadsdelen Tongelre en Gestel (Stapelkaart issue 12); "
    "wijken op naam opgezocht in het CBS-inkomensbestand 2020 (indeling 2023) en CBS 85984NED: de wijkcode "
    "WK0772<stadsdeel><wijk> nummert Tongelre 3x en Gestel 7x",
    "Municipality of Eindhoven, area-based work in the city districts Tongelre and Gestel (Stapelkaart issue 12); "
    "districts looked up by name in the CBS income file 2020 (2023 boundaries) and CBS 85984NED: the district "
    "code WK0772<city district><district> numbers Tongelre 3x and Gestel 7x",
)
_AKER = _en(
    "Gemeente Amsterdam, stadsdeel Nieuw-West: De Aker (Stapelkaart issue 12); code op naam opgezocht in het "
    "CBS-inkomensbestand 2020 (indeling 2023) en CBS 85984NED. De ontwikkelbuurten zijn buurten van de "
    "gemeentelijke indeling en zitten hier niet in",
    "Municipality of Amsterdam, city district Nieuw-West: De Aker (Stapelkaart issue 12); code looked up by name "
    "in the CBS income file 2020 (2023 boundaries) and CBS 85984NED. The development neighbourhoods "
    "(ontwikkelbuurten) are neighbourhoods of the municipality's own division and are not included here",
)

_DEFAULT = (
    FocusArea(
        "poelenburg",
        "Poelenburg (Zaanstad)",
        ("WK047912",),
        _en("Wijk 12 Poelenburg. " + _OWN, "District 12 Poelenburg. Stapelkaart example"),
    ),
    FocusArea(
        "oud_oost",
        "Oud-Oost (Amsterdam)",
        ("WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"),
        _en(
            "GGW-gebied Oud-Oost: Weesperzijde, Oosterparkbuurt, Transvaalbuurt, Dapperbuurt. " + _OWN,
            "GGW area (Amsterdam's area division) Oud-Oost: Weesperzijde, Oosterparkbuurt, Transvaalbuurt, "
            "Dapperbuurt. Stapelkaart example",
        ),
    ),
    FocusArea(
        "zuidoost",
        "Zuidoost (Amsterdam)",
        tuple(f"WK0363T{c}" for c in "ABCDEFGHJKLM"),
        _en(
            "Stadsdeel Zuidoost: Bijlmer-West, Bijlmer-Centrum, Bijlmer-Oost, Gaasperdam. " + _OWN,
            "City district Zuidoost: Bijlmer-West, Bijlmer-Centrum, Bijlmer-Oost, Gaasperdam. Stapelkaart example",
        ),
    ),
)

_ZAANSTAD_AREAS = tuple(
    FocusArea(i, n, (c,), _ZAANSTAD)
    for i, n, c in (
        ("zaandam-zuid", "Zaandam-Zuid", "WK047911"),
        ("poelenburg", "Poelenburg (Zaanstad)", "WK047912"),
        ("peldersveld", "Pelders- en Hoornseveld", "WK047913"),
        ("rosmolenwijk", "Rosmolenwijk", "WK047914"),
        ("kogerveldwijk", "Kogerveldwijk", "WK047915"),
    )
)
_EINDHOVEN_AREAS = (
    FocusArea("tongelre", "Tongelre (Eindhoven)", ("WK077231", "WK077232", "WK077233"), _EINDHOVEN),
    FocusArea("gestel", "Gestel (Eindhoven)", ("WK077271", "WK077272", "WK077273"), _EINDHOVEN),
)
_EINDHOVEN_FOUND = {
    "WK077231": "De Laak",
    "WK077232": "Doornakkers",
    "WK077233": "Oud-Tongelre",
    "WK077271": "Rozenknopje",
    "WK077272": "Oud-Gestel",
    "WK077273": "Gestelse Ontginning",
}
_AKER_AREAS = (FocusArea("de-aker", "De Aker (Amsterdam)", ("WK0363FG",), _AKER),)
_NO_MAP = _en(
    "Heeft de gegevensbron geen grenzen voor een gemeente, dan werken vergelijking en profiel zonder kaart.",
    "Where the data source has no boundaries for a municipality, comparison and profile work without a map.",
)

PRESETS: dict[str, Preset] = {
    p.id: p
    for p in (
        Preset(
            "voorbeelden",
            "Poelenburg, Oud-Oost en Zuidoost",
            _DEFAULT,
            _OWN,
            name_en="Poelenburg, Oud-Oost and Zuidoost",
        ),
        Preset(
            "zaanstad-kansengelijkheid",
            "Zaanstad – Kansengelijkheid",
            _ZAANSTAD_AREAS,
            _ZAANSTAD,
            _en(
                "Delen van Wormerveer en Krommenie horen ook bij het programma; welke buurten is niet "
                "vastgelegd, dus ze zijn niet opgenomen.",
                "Parts of Wormerveer and Krommenie also belong to the programme; which neighbourhoods is not laid "
                "down, so they are not included.",
            ),
            name_en="Zaanstad – Kansengelijkheid (equal opportunities)",
        ),
        Preset(
            "eindhoven-tongelre-gestel",
            "Eindhoven – Tongelre en Gestel",
            _EINDHOVEN_AREAS,
            _EINDHOVEN,
            _NO_MAP,
            _EINDHOVEN_FOUND,
            name_en="Eindhoven – Tongelre and Gestel",
        ),
        Preset(
            "amsterdam-de-aker",
            "Amsterdam Nieuw-West – De Aker",
            _AKER_AREAS,
            _AKER,
            "",
            {"WK0363FG": "De Aker"},
            name_en="Amsterdam Nieuw-West – De Aker",
        ),
        # every area of the three programmes side by side (Vergelijken: each with its gemeente and Nederland)
        Preset(
            "praktijkgebieden",
            "Zaanstad, Amsterdam en Eindhoven – alle praktijkgebieden",
            _ZAANSTAD_AREAS + _DEFAULT[1:] + _AKER_AREAS + _EINDHOVEN_AREAS,
            _en(
                f"De gebieden van de voorinstellingen hierboven samen: {_ZAANSTAD}; {_OWN}; {_AKER}; {_EINDHOVEN}",
                "The areas of the presets above together: "
                + "; ".join(SOURCE_EN[x] for x in (_ZAANSTAD, _OWN, _AKER, _EINDHOVEN)),
            ),
            _NO_MAP,
            {**_EINDHOVEN_FOUND, "WK0363FG": "De Aker"},
            name_en="Zaanstad, Amsterdam and Eindhoven – all programme areas",
        ),
    )
}

#: The default set (what pages and the CLI show without a user definition).
FOCUS_AREAS: dict[str, FocusArea] = {f.id: f for f in _DEFAULT}


def preset(name: str) -> Preset:
    """A preset by id or (case-insensitive) name; unknown -> UserInputError listing the presets."""
    key = str(name).strip().lower()
    for p in PRESETS.values():
        if key in (p.id, p.name.lower(), slug(p.name)):
            return p
    known = "; ".join(f"{p.id} ({p.name})" for p in PRESETS.values())
    return _raise(
        f"Voorinstelling '{str(name)[:60]}' bestaat niet; kies uit: {known}.",
        f"Preset '{str(name)[:60]}' does not exist; must be one of: {known}.",
    )


def _raise(nl: str, en: str) -> NoReturn:
    raise _error(nl, en)
