"""Focus areas: named groups of wijken or buurten, defined by users as data, and their comparators.

A **focus area** is a name plus member codes (wijken *or* buurten, of one or more gemeenten). Its level and
gemeenten are derived from the codes. A **preset** is a named *set* of focus areas from a real programme,
with its source (``PRESETS``; ``praktijkgebieden`` holds all of them: the Zaanstad programme areas with Poelenburg,
Oud-Oost, Zuidoost, De Aker, Tongelre and Gestel); ``FOCUS_AREAS`` is the default set (Poelenburg, Oud-Oost, Zuidoost).

Aggregation sums numerators and denominators, never averages percentages or ranks:

    value(group) = scale x sum_i num_i / sum_i den_i

For "already a percentage" indicators num_i = pct_i x base_i (the population the percentage refers to), for
averages (WOZ, income per inhabitant) num_i = mean_i x base_i (a base-weighted mean). A member without a
value makes the group value missing (never a silent partial sum), unless the members with a value hold at
least ``MIN_MEMBER_COVERAGE`` (90 %) of the group's base population: then the sum runs over those members and
the source names the missing ones (CBS keeps e.g. the income of WK0363TA Amstel III/Bullewijk secret). A
group of one member is that member's value. The aggregate is ranked against the **same reference** as the
areas (``ScoreResult.ref_sorted``) and scored with the same domain/stacking/composite rules (the registry
drives everything, so new indicators or domains need no change here).

Comparators: the gemeente row of every gemeente a focus area lies in (the CBS value for the whole gemeente,
as published) and Nederland: the ``NL00`` row when the data have one (an imported file may supply it),
otherwise the sum over a national frame (all gemeenten) when its areas with a value hold at least
``NL_MIN_COVERAGE`` of the inhabitants (the source then says "som over N gemeenten: ..." and names the
sources, e.g. the Wijk- en Buurtkaart for working-age groups derived from its %); otherwise "niet beschikbaar".

Sharing (``fa`` URL parameter, see :func:`format_focus_param`)::

    Zaandam-Zuid:WK047911+WK047912;Oud-Oost:WK0363MB+WK0363MC

Focus areas are separated by ``;``, name and codes by the first ``:``, codes by ``+`` (a space, what ``+``
becomes after URL decoding, and ``,`` are accepted too). In a name the characters ``% : ; +`` and control
characters and ``< >`` are percent-encoded (``%3A``, ``%3C``...), so any Unicode name round-trips. Bounds: at most
``MAX_FOCUS_AREAS`` areas, ``MAX_NAME`` characters per name, ``MAX_MEMBERS`` members per area.
Files (export/import): :func:`focus_to_json` / :func:`focus_from_json`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import quote, unquote

import numpy as np
import pandas as pd

from core.codes import gemeente_of, is_valid_code, level_of_code
from core.errors import UserInputError
from indicators.columns import population_reason, score_parts, suppress_small
from indicators.engine import ScoreResult, population
from indicators.rates import UserValues, _indexed, resolve_indicator, resolve_source_indicator
from indicators.registry import INDICATORS

NL_CODE = "NL00"
NL_MIN_COVERAGE = 0.99
MIN_MEMBER_COVERAGE = 0.9
NOT_AVAILABLE = "niet beschikbaar"
MAX_FOCUS_AREAS = 12
MAX_NAME = 60
MAX_MEMBERS = 250
MAX_PARAM = 8000
JSON_FORMAT = "stapelkaart-focusgebieden"
JSON_VERSION = 1
MAX_JSON_BYTES = 256_000
MAX_JSON_DEPTH = 8  # a focus-area file is 4 deep ({"focus_areas": [{"codes": [...]}]})
_ESCAPE = re.compile(r"[%:;+<>\x00-\x1f\x7f]")  # <> too: the link's fa= is refused with markup in it
_SPLIT_CODES = re.compile(r"[+\s,]+")


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


# ------------------------------------------------------------------------------------------ URL form
def _encode_name(name: str) -> str:
    return _ESCAPE.sub(lambda m: quote(m.group(0), safe=""), name)


def format_focus_param(areas: Sequence[FocusArea]) -> str:
    """The compact ``fa`` value: ``Name:CODE+CODE;Name2:CODE`` (names escaped, see the module docstring)."""
    return ";".join(f"{_encode_name(a.name)}:{'+'.join(a.codes)}" for a in areas)


def parse_focus_param(text: str, *, source: str = "zelf gedefinieerd") -> list[FocusArea]:
    """Focus areas from an ``fa`` value (the inverse of :func:`format_focus_param`); empty text -> ``[]``.

    Syntax problems (no ``:``, an empty name, a code that is no wijk/buurt code, too many areas or members,
    a value longer than ``MAX_PARAM``) raise one UserInputError naming every problem. Whether the codes
    exist is checked by :func:`validate` against the data.
    """
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_PARAM:
        _raise(
            f"De focusgebieden in de link zijn te lang ({len(text)} tekens, maximaal {MAX_PARAM}).",
            f"The focus areas in the link are too long ({len(text)} characters, at most {MAX_PARAM}).",
        )
    chunks = [c for c in text.split(";") if c.strip()]
    if len(chunks) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(chunks)} focusgebieden in de link; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(chunks)} focus areas in the link; at most {MAX_FOCUS_AREAS}.",
        )
    problems: list[tuple[str, str]] = []
    areas = []
    for i, chunk in enumerate(chunks, 1):
        name_part, sep, codes_part = chunk.partition(":")
        name = clean_name(unquote(name_part))
        if not sep:
            problems.append(
                (
                    f"focusgebied {i} ('{name[:30]}') heeft geen ':' tussen naam en codes",
                    f"focus area {i} ('{name[:30]}') has no ':' between name and codes",
                )
            )
            continue
        if not name:
            problems.append((f"focusgebied {i} heeft geen naam", f"focus area {i} has no name"))
            continue
        codes = [c for c in _SPLIT_CODES.split(codes_part.strip()) if c]
        if len(codes) > MAX_MEMBERS:
            problems.append(
                (
                    f"'{name}' heeft {len(codes)} leden (maximaal {MAX_MEMBERS})",
                    f"'{name}' has {len(codes)} members (at most {MAX_MEMBERS})",
                )
            )
            continue
        areas.append(FocusArea.make(name, codes, source=source))
    if problems:
        _raise(
            "Focusgebieden in de link: " + "; ".join(p[0] for p in problems) + ".",
            "Focus areas in the link: " + "; ".join(p[1] for p in problems) + ".",
        )
    syntax_check(areas)
    return unique_ids(areas)


def syntax_check(areas: Sequence[FocusArea]) -> None:
    """Each area has members, all are wijk or buurt codes, and of one level (no data needed)."""
    problems = []
    for a in areas:
        if not a.codes:
            problems.append((f"'{a.name}' heeft geen leden", f"'{a.name}' has no members"))
            continue
        bad = [c for c in a.codes if not (is_valid_code(c) and level_of_code(c) in ("wijk", "buurt"))]
        if bad:
            problems.append(
                (
                    f"'{a.name}': {', '.join(bad[:10])} {'is geen' if len(bad) == 1 else 'zijn geen'} "
                    "wijk- of buurtcode (WK047912, BU04791201)",
                    f"'{a.name}': {', '.join(bad[:10])} {'is not a' if len(bad) == 1 else 'are not'} "
                    "wijk or buurt code(s) (WK047912, BU04791201)",
                )
            )
        elif a.level is None:
            wk = [c for c in a.codes if level_of_code(c) == "wijk"]
            bu = [c for c in a.codes if level_of_code(c) == "buurt"]
            problems.append(
                (
                    f"'{a.name}' mengt wijken ({', '.join(wk[:5])}) en buurten ({', '.join(bu[:5])}); kies één niveau",
                    f"'{a.name}' mixes wijken ({', '.join(wk[:5])}) and buurten "
                    f"({', '.join(bu[:5])}); choose one level",
                )
            )
    if problems:
        _raise(
            "Ongeldige focusgebieden: " + "; ".join(p[0] for p in problems) + ".",
            "Invalid focus areas: " + "; ".join(p[1] for p in problems) + ".",
        )


def parse_define(text: str) -> FocusArea:
    """One CLI ``--define "Name=CODE,CODE"`` (``+``/space also separate codes)."""
    name, sep, codes = str(text).partition("=")
    if not sep or not clean_name(name):
        _raise(
            f"--define '{str(text)[:60]}' heeft de vorm \"Naam=WK047911,WK047912\".",
            f"--define '{str(text)[:60]}' must look like \"Name=WK047911,WK047912\".",
        )
    area = FocusArea.make(name, [c for c in _SPLIT_CODES.split(codes.strip()) if c], source="zelf gedefinieerd")
    syntax_check([area])
    return area


def validate(
    areas: Sequence[FocusArea], known_codes_by_level: Mapping[str, Collection[str]], *, level: str | None = None
) -> None:
    """Check every member against the data: UserInputError naming each bad member, nothing dropped.

    ``known_codes_by_level``: e.g. ``{"wijk": {...}, "buurt": {...}}`` from the loaded KWB frames. Problems:
    an empty member list, a code that is no wijk/buurt code, mixed levels, a code unknown in the data, a
    code of another level than ``level`` (the level being scored, when given).
    """
    syntax_check(areas)
    if len(areas) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(areas)} focusgebieden; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(areas)} focus areas; at most {MAX_FOCUS_AREAS}.",
        )
    problems = []
    for a in areas:
        known = set(known_codes_by_level.get(a.level, ())) if a.level is not None else set()
        unknown = [c for c in a.codes if c not in known]
        if unknown:
            problems.append(
                (
                    f"'{a.name}': {', '.join(unknown)} niet gevonden in de gegevens ({a.level})",
                    f"'{a.name}': {', '.join(unknown)} not found in the data ({a.level})",
                )
            )
        if level is not None and a.level != level:
            problems.append(
                (
                    f"'{a.name}' bestaat uit {a.level}en ({', '.join(a.codes[:5])}), maar er wordt op "
                    f"{level}niveau gescoord",
                    f"'{a.name}' consists of {a.level} codes "
                    f"({', '.join(a.codes[:5])}) but scoring is at {level} level",
                )
            )
    if problems:
        _raise(
            "Ongeldige focusgebieden: " + "; ".join(p[0] for p in problems) + ".",
            "Invalid focus areas: " + "; ".join(p[1] for p in problems) + ".",
        )


# ------------------------------------------------------------------------------------------ files
def focus_to_json(areas: Sequence[FocusArea]) -> str:
    """A small JSON document for export (``format``, ``version``, ``focus_areas: [{id,name,codes,source}]``)."""
    return json.dumps(
        {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "focus_areas": [{"id": a.id, "name": a.name, "codes": list(a.codes), "source": a.source} for a in areas],
        },
        ensure_ascii=False,
        indent=1,
    )


def _json_depth(text: str, limit: int) -> int:
    """The nesting depth of ``[``/``{`` in JSON text (outside strings); stops counting once past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def focus_from_json(data: str | bytes) -> list[FocusArea]:
    """Focus areas from :func:`focus_to_json` output; anything else -> UserInputError (nothing half-read)."""
    if len(data) > MAX_JSON_BYTES:
        _raise(
            f"Focusgebiedenbestand is te groot ({len(data)} bytes, maximaal {MAX_JSON_BYTES}).",
            f"Focus-area file is too large ({len(data)} bytes, at most {MAX_JSON_BYTES}).",
        )
    try:
        text = data.decode(json.detect_encoding(data)) if isinstance(data, (bytes, bytearray)) else str(data)
    except (UnicodeDecodeError, LookupError):
        _raise(
            "Focusgebiedenbestand is geen tekst (verwacht JSON in UTF-8).",
            "Focus-area file is not text (expected JSON in UTF-8).",
        )
    depth = _json_depth(text, MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        _raise(
            f"Focusgebiedenbestand is dieper genest dan een focusgebiedenbestand kan zijn (meer dan "
            f"{MAX_JSON_DEPTH} niveaus); het is niet gelezen. Gebruik een bestand van 'Focusgebieden downloaden'.",
            f"Focus-area file is nested deeper than a focus-area file can be (more than {MAX_JSON_DEPTH} "
            "levels); it was not read. Use a file from 'Download focus areas'.",
        )
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise _error(
            f"Focusgebiedenbestand is geen geldige JSON ({exc}).", f"Focus-area file is not valid JSON ({exc})."
        ) from None
    items = doc.get("focus_areas") if isinstance(doc, dict) and doc.get("format") == JSON_FORMAT else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        _raise(
            f'Geen Stapelkaart-focusgebiedenbestand (verwacht "format": "{JSON_FORMAT}" en een lijst "focus_areas").',
            f'Not a Stapelkaart focus-area file (expected "format": "{JSON_FORMAT}" and a list "focus_areas").',
        )
    if doc.get("version") != JSON_VERSION:
        _raise(
            f"Focusgebiedenbestand heeft versie {doc.get('version')!r}; deze Stapelkaart leest versie {JSON_VERSION}.",
            f"Focus-area file has version {doc.get('version')!r}; this Stapelkaart reads version {JSON_VERSION}.",
        )
    if len(items) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(items)} focusgebieden in het bestand; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(items)} focus areas in the file; at most {MAX_FOCUS_AREAS}.",
        )
    areas = []
    for i, item in enumerate(items, 1):
        codes = item.get("codes")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes) or len(codes) > MAX_MEMBERS:
            _raise(
                f"Focusgebied {i} in het bestand: 'codes' moet een lijst van hoogstens {MAX_MEMBERS} codes zijn.",
                f"Focus area {i} in the file: 'codes' must be a list of at most {MAX_MEMBERS} codes.",
            )
        name = clean_name(item.get("name"))
        if not name:
            _raise(f"Focusgebied {i} in het bestand heeft geen naam.", f"Focus area {i} in the file has no name.")
        areas.append(
            FocusArea.make(
                name,
                codes,
                id=slug(str(item.get("id") or name)),
                source=clean_name(item.get("source") or "zelf gedefinieerd", 500),
            )
        )
    syntax_check(areas)
    return unique_ids(areas)


# ------------------------------------------------------------------------------------------ scoring
def aggregate_parts(
    part: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    scale: float,
    min_member_coverage: float = MIN_MEMBER_COVERAGE,
) -> pd.DataFrame:
    """Sum numerators and denominators of member areas per group: value = scale x sum(num) / sum(den).

    ``part``: ``value, num, den, year, source`` indexed by code. A group of one member is that member.
    Members without a value are left out only when the members *with* a value hold at least
    ``min_member_coverage`` of the group's denominator (base population) and every member's base is known;
    the source then names the missing members. Otherwise the group value is NaN (never a silent partial sum).
    ``year`` is the latest member year used, ``source`` the distinct member sources; ``why`` the reason code of a
    missing group value (``engine.WHY_CODES``: ``members:<share>:<codes without a value>``), ``dropped`` a single
    member's rule-D2 flag (``rates.resolve_indicator``).
    """
    rows = {}
    for gid, codes in groups.items():
        sub = part.reindex(list(codes))
        if len(sub) == 1:
            rows[gid] = sub.iloc[0].to_dict()
            continue
        has = sub["value"].notna() & sub["num"].notna() & sub["den"].notna()
        total = sub["den"].sum(min_count=len(sub))  # NaN when a member's base is unknown
        used = sub["den"][has].sum()
        coverage = used / total if total > 0 else 0.0
        if not has.any() or not coverage >= min_member_coverage:
            # the reason as a code (engine.WHY_CODES): share of the base with a value, members without one
            share = f"{coverage:.4f}" if np.isfinite(coverage) else "nan"
            rows[gid] = {
                "value": np.nan,
                "num": np.nan,
                "den": np.nan,
                "year": pd.NA,
                "source": pd.NA,
                "why": f"members:{share}:{','.join(sub.index[~has])}",
            }
            continue
        source = " | ".join(sorted({str(s) for s in sub["source"][has].dropna()}))
        missing = list(sub.index[~has])
        if missing:
            source += f" (zonder {', '.join(missing)}: {1 - coverage:.0%} van de noemer)"
        rows[gid] = {
            "value": scale * sub["num"][has].sum() / used,
            "num": sub["num"][has].sum(),
            "den": used,
            "year": int(sub["year"][has].max()),
            "source": source,
        }
    out = pd.DataFrame.from_dict(
        rows, orient="index", columns=["value", "num", "den", "year", "source", "why", "dropped"]
    )
    out["why"] = out["why"].fillna("").astype(object)
    out["dropped"] = out["dropped"].fillna(False).astype(bool)
    out["value"] = out["value"].astype("float64")
    out["year"] = out["year"].astype("Int64")
    out["source"] = out["source"].astype("string")
    return out


def national_parts(
    result: ScoreResult,
    national: pd.DataFrame | None,
    user_values: Sequence[UserValues] = (),
    attributes: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], str]:
    """Indicator parts of Nederland (one row ``NL00``) and a note on how they were obtained.

    Without an ``NL00`` row: per indicator the sum of numerators over the sum of denominators of
    ``national`` (e.g. all gemeenten), with ``attributes`` (Wijk- en Buurtkaart attributes of the same
    areas: ``code`` + e.g. ``percentage_personen_15_tot_25_jaar``) for the marked %-fallback of missing KWB
    counts (the working-age denominators of WW/AO/bijstand). Coverage below ``NL_MIN_COVERAGE`` of the
    inhabitants -> "niet beschikbaar".
    """
    year = result.settings["year"]
    nl_index = pd.Index([NL_CODE])
    if NL_CODE in result.universe.index:
        return {k: p.loc[[NL_CODE]] for k, p in result.parts.items()}, "NL00-rij uit de gegevens"
    parts = {}
    notes = set()
    frame = _indexed(national) if national is not None else None
    attrs = {year: _indexed(attributes)} if attributes is not None else None
    for ind in INDICATORS.values():
        if ind.source_id:  # a second table: the pooled rate over the national frame's areas (adults as weights)
            parts[ind.id] = _national_source(result, frame, ind, nl_index)
            continue
        own = resolve_indicator({}, year, ind, nl_index, user_values=user_values)
        if own["value"].notna().all():
            parts[ind.id] = own
            notes.add(f"{ind.id}: NL00 uit {own['source'].iloc[0]}")
            continue
        if frame is None:
            parts[ind.id] = own
            continue
        p = resolve_indicator({year: frame}, year, ind, frame.index, user_values=user_values, attributes=attrs)
        pop = population({year: frame}, year, frame.index)
        has = p["num"].notna() & p["den"].notna()
        coverage = pop[has].sum() / pop.sum() if pop.sum() > 0 else 0.0
        agg = aggregate_parts(p[has], {NL_CODE: list(p.index[has])}, ind.scale) if has.any() else own
        if coverage < NL_MIN_COVERAGE:
            agg = own.copy()
            agg["source"] = f"{NOT_AVAILABLE} (dekking {coverage:.0%} van de inwoners)"
        else:
            agg["source"] = f"som over {int(has.sum())} {_plural(frame)}: " + agg["source"].astype(str)
        parts[ind.id] = agg.reindex(nl_index)
    return parts, "; ".join(sorted(notes)) or "som over het landelijke bestand"


def _national_source(result: ScoreResult, frame: pd.DataFrame | None, ind, nl_index: pd.Index) -> pd.DataFrame:
    """Nederland of a second-table indicator: sum(value x adults) / sum(adults) over the national frame's areas
    that have both (``rates.resolve_source_indicator``), all of them needed (else "niet beschikbaar")."""
    year = result.settings["year"]
    source = result.sources.get(str(ind.source_id))
    if frame is None or source is None:
        own = resolve_source_indicator({}, year, ind, nl_index, source)
        own["source"] = pd.array([NOT_AVAILABLE], dtype="string")
        return own
    p = resolve_source_indicator({year: frame}, year, ind, frame.index, source)
    has = p["num"].notna() & p["den"].notna()
    if not has.any() or not (p["den"].notna() | ~p["value"].notna()).all():
        own = resolve_source_indicator({}, year, ind, nl_index, None)
        own["source"] = pd.array([f"{NOT_AVAILABLE} (volwassenen onbekend)"], dtype="string")
        return own
    agg = aggregate_parts(p[has], {NL_CODE: list(p.index[has])}, ind.scale)
    agg["source"] = f"som over {int(has.sum())} {_plural(frame)}: " + agg["source"].astype(str)
    return agg.reindex(nl_index)


_PLURAL = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def _plural(frame: pd.DataFrame) -> str:
    """What the national frame's rows are, in the plural ("gemeenten"); "gebieden" for a mix or no level."""
    levels = set(frame["level"].dropna()) if "level" in frame.columns else set()
    return _PLURAL.get(levels.pop(), "gebieden") if len(levels) == 1 else "gebieden"


def _as_mapping(focus_areas: Mapping[str, FocusArea] | Sequence[FocusArea] | None) -> dict[str, FocusArea]:
    if focus_areas is None:
        return dict(FOCUS_AREAS)
    if isinstance(focus_areas, Mapping):
        return dict(focus_areas)
    return {f.id: f for f in unique_ids(list(focus_areas))}


def score_focus(
    result: ScoreResult,
    focus_areas: Mapping[str, FocusArea] | Sequence[FocusArea] | None = None,
    *,
    comparators: bool = True,
    national: pd.DataFrame | None = None,
    user_values: Sequence[UserValues] = (),
    national_attributes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per focus area (plus gemeente and Nederland comparators), scored against ``result.reference``.

    ``focus_areas``: a mapping id -> FocusArea or a list (ids made unique); any number, members from any
    gemeenten of ``result`` at its level (a member not scored in ``result`` -> UserInputError naming it).
    ``national``: a national tidy frame of the same year (e.g. all gemeenten) for the Nederland row when the
    data have no ``NL00`` row; ``national_attributes`` its Wijk- en Buurtkaart attributes (%-fallback).
    Columns: ``id, name, kind (focus|gemeente|land), members, gemeenten, level`` followed by the same
    value/rank/domain/stacking/composite columns as ``ScoreResult.table``; index = ``id``.
    """
    focus_areas = _as_mapping(focus_areas)
    missing = {f.name: [c for c in f.codes if c not in result.universe.index] for f in focus_areas.values()}
    missing = {k: v for k, v in missing.items() if v}
    if missing:
        text = "; ".join(f"'{k}': {', '.join(v[:10])}" for k, v in missing.items())
        _raise(
            f"Leden van focusgebieden zitten niet in de berekende gegevens ({result.settings['level']}, "
            f"{result.settings['year']}): {text}. Kies de gemeenten van deze leden of het juiste niveau.",
            f"Focus-area members are not in the scored data ({result.settings['level']}, "
            f"{result.settings['year']}): {text}. Select their gemeenten or the right level.",
        )
    groups = {f.id: f.codes for f in focus_areas.values()}
    parts = {k: aggregate_parts(p, groups, INDICATORS[k].scale) for k, p in result.parts.items()}
    info = [
        {
            "id": f.id,
            "name": f.name,
            "kind": "focus",
            "members": ";".join(f.codes),
            "gemeenten": ";".join(f.gemeenten),
            "level": f.level,
        }
        for f in focus_areas.values()
    ]
    if comparators:
        gms = list(dict.fromkeys(g for f in focus_areas.values() for g in f.gemeenten))
        have = [g for g in gms if g in result.universe.index]
        for k in parts:
            parts[k] = pd.concat([parts[k], result.parts[k].reindex(have)])
        for g in gms:
            name = result.universe["name"].get(g, g) if g in have else g
            info.append(
                {
                    "id": g,
                    "name": name if isinstance(name, str) else g,
                    "kind": "gemeente",
                    "members": g if g in have else NOT_AVAILABLE,
                    "gemeenten": g,
                    "level": "gemeente",
                }
            )
        nl, note = national_parts(result, national, user_values, national_attributes)
        for k in parts:
            parts[k] = pd.concat([parts[k], nl[k]])
        info.append(
            {"id": NL_CODE, "name": "Nederland", "kind": "land", "members": note, "gemeenten": "", "level": "land"}
        )
    ids = [str(r["id"]) for r in info]
    parts = {k: p.reindex(ids) for k, p in parts.items()}
    # A focus area is a sum of its members: below the minimum population it is suppressed like any area.
    pop = result.universe["population"] if "population" in result.universe.columns else pd.Series(dtype=float)
    focus_pop = pd.Series(
        {f.id: pop.reindex(list(f.codes)).sum(min_count=len(f.codes)) for f in focus_areas.values()}, dtype="float64"
    ).reindex(ids)
    small = (focus_pop < result.settings["min_population"]).fillna(False)
    suppressed = pd.Series(small.to_numpy(dtype=bool), index=pd.Index(ids))
    reasons = pd.Series(
        np.where(suppressed, population_reason(result.settings["min_population"]), ""),
        index=suppressed.index,
        dtype=object,
    )
    for ind in INDICATORS.values():
        parts[ind.id], reasons = suppress_small(ind, parts[ind.id], reasons)
    # The gemeente base (indicators ranked against the own gemeente) of each row: a focus area's only gemeente;
    # a focus area over several gemeenten has no single own gemeente and gets no rank there ("").
    row_gm = {f.id: (f.gemeenten[0] if len(f.gemeenten) == 1 else "") for f in focus_areas.values()}
    row_gm.update({str(r["id"]): str(r["gemeenten"]) for r in info if r["kind"] == "gemeente"})
    row_gemeente = np.array([row_gm.get(i, "") for i in ids], dtype=object)
    cols, _, _ = score_parts(
        parts,
        suppressed,
        result.ref_sorted,
        result.weights,
        result.settings,
        ref_domains=result.ref_domains,
        row_gemeente=row_gemeente,
    )
    head = pd.DataFrame(info, index=suppressed.index)
    head["year"] = result.settings["year"]
    head["reference"] = result.reference.text("nl")
    head["population"] = focus_pop.combine_first(pop.reindex(ids)).to_numpy()
    out = pd.concat([head, cols], axis=1)
    out["suppressed_reason"] = reasons.replace("", pd.NA).astype("string")
    return out


def focus_profile(result: ScoreResult, area: FocusArea, **score_kw) -> tuple[pd.Series, pd.DataFrame]:
    """Buurtprofiel of a focus area: its aggregated score row (as for one wijk, from :func:`score_focus`
    with comparators) and its members' own rows from ``result.universe`` (in member order)."""
    table = score_focus(result, [area], **score_kw)
    return table.loc[area.id], result.universe.reindex(list(area.codes))
